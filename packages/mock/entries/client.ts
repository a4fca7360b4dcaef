export * from "../../../src/client/index.js";
