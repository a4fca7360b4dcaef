export * from "../../../src/verify/client/index.js";
