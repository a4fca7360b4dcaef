// The frontend guide's vitest example under vitest's default environment (node).
import { readmeVitestExample } from "./readme-vitest-example.js";

readmeVitestExample();
