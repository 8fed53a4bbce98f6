export * from "./diagnostic.js";
export * from "./codes.js";
export * from "./errors.js";
