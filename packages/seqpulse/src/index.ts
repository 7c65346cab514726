export * from "./ci/index.js";
