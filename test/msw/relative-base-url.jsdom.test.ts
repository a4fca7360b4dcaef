// @vitest-environment jsdom
import { expect, it } from "vitest";
import { relativeBaseUrl } from "./relative-base-url.js";

it("runs under jsdom", () => {
  expect(navigator.userAgent).toContain("jsdom");
});

relativeBaseUrl();
