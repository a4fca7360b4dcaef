export * from "../../../src/msw/index.js";
