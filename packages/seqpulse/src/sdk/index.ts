export {
  canonicalPath,
  DEFAULT_MAX_SKEW_FUTURE_SECONDS,
  DEFAULT_MAX_SKEW_PAST_SECONDS,
  type HmacRejection,
  NonceCache,
  type SignedRequest,
  type VerifyOptions,
  verifySignedRequest,
} from "./hmac.js";
export { instrument, metrics, type NodeHandler, type NodeMiddleware } from "./node.js";
export {
  DEFAULT_ENDPOINT,
  defaultInstance,
  init,
  type Metrics,
  type MetricsAnswer,
  type MetricsRequest,
  SeqPulse,
  type SeqPulseOptions,
} from "./seqpulse.js";
