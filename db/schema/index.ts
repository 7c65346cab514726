export * from "./auth-factors";
export * from "./deployments";
export * from "./jobs";
export * from "./projects";
export * from "./scheduler-heartbeats";
export * from "./sessions";
export * from "./users";
