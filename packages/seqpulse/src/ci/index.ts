export { actorFrom, branchFrom, ciRunUrlFrom, commitFrom, idempotencyKeyFrom } from "./ci-env.js";
export {
  type CIClient,
  type CIClientOptions,
  createCIClient,
  type DeploymentAnswer,
  type Finding,
  type FinishInput,
  type FinishResult,
  type PipelineResult,
  SeqPulseError,
  type TriggerInput,
  type TriggerResult,
  type VerdictAnswer,
  type VerdictLevel,
  VerdictTimeoutError,
  type WaitOptions,
} from "./client.js";
