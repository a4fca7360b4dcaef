import { defineConfig } from "vitest/config";
import { integrationTests } from "./test/tiers.js";
import base, { workerProjects } from "./vitest.config.js";

/** `npm run test:unit`: the in-process tier, every file of vitest.config.ts but test/tiers.ts's. */
export default defineConfig({
  ...base,
  test: { ...base.test, projects: workerProjects(["test/**/*.test.ts", "contracts/**/*.test.ts"], integrationTests) },
});
