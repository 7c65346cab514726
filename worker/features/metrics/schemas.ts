import { errorResponse, type RouteContract } from "../../lib/contract";
import { EXPOSITION_CONTENT_TYPE } from "./exposition";

const tag = "Operators";

export const metricsContract: RouteContract[] = [
  {
    method: "GET",
    path: "/metrics",
    tag,
    summary: "Prometheus metrics",
    description:
      "The platform's counters, histograms and job gauges in the Prometheus text exposition format 0.0.4, for a scraper sending `Authorization: Bearer <METRICS_TOKEN>`.",
    security: "metrics-token",
    responses: {
      200: { description: "The metrics, as text.", contentType: EXPOSITION_CONTENT_TYPE },
      404: errorResponse("Metrics are off: METRICS_TOKEN is not set."),
    },
  },
];
