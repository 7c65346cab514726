// The labelled corpus of deployments: every family's cases, each drawn from its own seeded
// stream (so adding a family never changes another family's cases), split into a `tune` half and
// a `report` half by a hash of the case id.
import type { JudgeInput } from "../types";
import { type CaseLabel, FAMILIES, type Family } from "./families";
import { createRandom, hashString } from "./random";
import { buildInput } from "./scenario";
import type { DeployStyle } from "./service";

export const DEFAULT_CORPUS_SEED = 20261205;

export type CorpusHalf = "tune" | "report";

export interface CorpusCase {
  id: string;
  family: string;
  label: CaseLabel;
  /** Healthy releases that look alarming to a rule-of-thumb judge. */
  alarming: boolean;
  half: CorpusHalf;
  deployStyle: DeployStyle;
  /** How many PRE samples were taken after the trigger, i.e. may contain the new version. */
  preAfterTrigger: number;
  /** How many PRE samples do hold some of the new version (known to the corpus, not the judge). */
  preContaminated: number;
  input: JudgeInput;
}

/** Tune on one half, report on the other: the split depends on the id only, never on a verdict. */
export function corpusHalf(id: string): CorpusHalf {
  return hashString(`half:${id}`) % 2 === 0 ? "tune" : "report";
}

function buildCase(seed: number, family: Family, index: number): CorpusCase {
  const id = `${family.name}-${String(index + 1).padStart(3, "0")}`;
  const random = createRandom(hashString(`${seed}:${id}`));
  const scenario = family.build(random);
  const { input, preAfterTrigger, preContaminated } = buildInput(random, scenario);
  return {
    id,
    family: family.name,
    label: family.label,
    alarming: family.alarming,
    half: corpusHalf(id),
    deployStyle: scenario.rollout.style,
    preAfterTrigger,
    preContaminated,
    input,
  };
}

export function generateCorpus(
  seed: number = DEFAULT_CORPUS_SEED,
  families: readonly Family[] = FAMILIES,
): CorpusCase[] {
  return families.flatMap((family) =>
    Array.from({ length: family.count }, (_, index) => buildCase(seed, family, index)),
  );
}
