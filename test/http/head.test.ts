import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payPath, reservePath } from "../../src/client/paths.js";
import { api, customData, reserveQuery } from "../helpers/api.js";
import { buyer, type RunningReference, startReference } from "../helpers/reference.js";

describe("HEAD on order routes", () => {
  let server: RunningReference;
  beforeAll(async () => {
    server = await startReference();
  });
  afterAll(async () => server.close());

  it("is refused with 405 and changes no stock (Hono would otherwise run the GET handler)", async () => {
    const client = api(server.url);
    const token = await client.login(buyer);
    const before = (await client.snapshot()).body;
    const query = reserveQuery("head-1", customData([{ productStockId: 311191, orderCount: 1 }]));
    for (const path of [reservePath(query), payPath("head-1")]) {
      const response = await request(`${server.url}${path}`, {
        method: "HEAD",
        headers: { authorization: `Bearer ${token}` },
      });
      await response.body.dump();
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe("GET");
    }
    const after = (await client.snapshot()).body;
    expect({ ...after, takenAt: null }).toEqual({ ...before, takenAt: null });
  });
});
