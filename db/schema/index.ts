export * from "./auth-factors";
export * from "./jobs";
export * from "./scheduler-heartbeats";
export * from "./sessions";
export * from "./users";
