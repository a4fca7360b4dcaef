// @vitest-environment happy-dom
import { expect, it } from "vitest";
import { relativeBaseUrl } from "./relative-base-url.js";

it("runs under happy-dom", () => {
  expect(navigator.userAgent).toContain("HappyDOM");
});

relativeBaseUrl();
