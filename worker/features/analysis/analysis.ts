// The analysis feature's public surface: pure functions, no I/O. The analysis job loads the
// samples, picks the project's judge and persists the Verdict (hints once each).
export { assessDataQuality } from "./data-quality";
export { generateHints, hintContradictions } from "./hints";
export { DEFAULT_JUDGE_NAME, isJudgeName, type Judge, judges, resolveJudge, shadowJudgeOf } from "./judge";
export { classicJudge, createClassicJudge } from "./judges/classic";
export { type AnalysisLocale, analysisMessages, renderLocalizedText } from "./messages";
export { type MetricMeans, summarizeSamples } from "./samples";
export { CLASSIC_THRESHOLDS, type ClassicThresholds } from "./thresholds";
export type * from "./types";
