import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { requestHeader } from "../../src/backend/http/request-header.js";

// The header the app reads, echoed, so both paths of requestHeader can be driven directly.
const app = new Hono();
app.get("/", (c) => c.text(JSON.stringify(requestHeader(c, c.req.query("name") ?? "") ?? null)));

const read = async (name: string, init: { headers?: Record<string, string>; rawHeaders?: string[] }) => {
  const env = init.rawHeaders === undefined ? undefined : { incoming: { rawHeaders: init.rawHeaders } };
  const response = await app.fetch(
    new Request(`http://127.0.0.1/?name=${encodeURIComponent(name)}`, { headers: init.headers ?? {} }),
    env,
  );
  return JSON.parse(await response.text()) as string | null;
};

describe("requestHeader on Node's raw headers", () => {
  const rawHeaders = ["Host", "127.0.0.1", "X-Thing", "a", "x-thing", "b", "Empty", "", "accept", "*/*"];

  it("matches names case-insensitively, whatever case the caller asks in", async () => {
    expect(await read("x-thing", { rawHeaders })).toBe("a, b");
    expect(await read("X-THING", { rawHeaders })).toBe("a, b");
    expect(await read("Accept", { rawHeaders })).toBe("*/*");
  });

  it("keeps an empty value and answers undefined for an absent header", async () => {
    expect(await read("empty", { rawHeaders })).toBe("");
    expect(await read("authorization", { rawHeaders })).toBeNull();
  });

  it("gives what Hono's own lookup gives when there is no Node request (MSW, fetch handlers)", async () => {
    expect(await read("X-Thing", { headers: { "x-thing": "a" } })).toBe("a");
    expect(await read("authorization", { headers: {} })).toBeNull();
  });
});
