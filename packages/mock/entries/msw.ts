export * from "../../../src/backend/msw/index.js";
