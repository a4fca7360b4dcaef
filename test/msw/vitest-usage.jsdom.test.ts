// @vitest-environment jsdom
// The frontend guide's vitest example under jsdom, the usual React set-up: the page's globals (Uint8Array,
// TextEncoder…) come from another realm than Node's, which the token code must not trip over.
import { expect, it } from "vitest";
import { readmeVitestExample } from "./readme-vitest-example.js";

it("runs under jsdom", () => {
  expect(navigator.userAgent).toContain("jsdom");
});

readmeVitestExample();
