export * from "./ci/index.js";
export * from "./sdk/index.js";
