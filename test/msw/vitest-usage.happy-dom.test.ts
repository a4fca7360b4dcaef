// @vitest-environment happy-dom
// The frontend guide's vitest example under happy-dom.
import { expect, it } from "vitest";
import { readmeVitestExample } from "./readme-vitest-example.js";

it("runs under happy-dom", () => {
  expect(navigator.userAgent).toContain("HappyDOM");
});

readmeVitestExample();
