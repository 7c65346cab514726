// The labelled deployment corpus of issue 10 and its scoring; pure, no I/O.
export { type Acceptability, acceptable, acceptableLevel, reportsInsufficientData } from "./acceptable";
export { type CorpusCase, type CorpusHalf, corpusHalf, DEFAULT_CORPUS_SEED, generateCorpus } from "./corpus";
export { type CaseLabel, FAMILIES, type Family } from "./families";
export { createRandom, hashString, type Random } from "./random";
export {
  type FamilyScore,
  GOAL,
  LABELS,
  LEVELS,
  meetsGoal,
  type Score,
  scoreVerdicts,
  share,
  type Tally,
} from "./scoring";
