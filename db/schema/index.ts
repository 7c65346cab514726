export * from "./auth-factors";
export * from "./jobs";
export * from "./scheduler-heartbeats";
export * from "./sessions";
export * from "./users";
export * from "./deployments";
export * from "./projects";
