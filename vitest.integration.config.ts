import { defineConfig } from "vitest/config";
import { integrationTests } from "./test/tiers.js";
import base, { workerProjects } from "./vitest.config.js";

/** `npm run test:integration`: the files of test/tiers.ts (processes, browsers, packing, long load runs). */
export default defineConfig({ ...base, test: { ...base.test, projects: workerProjects(integrationTests) } });
