export * from "./diagnostics/index.js";
