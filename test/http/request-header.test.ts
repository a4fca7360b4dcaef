import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reservePath } from "../../src/verify/client/paths.js";
import { api, customData, reserveQuery, stockOf } from "../helpers/api.js";
import { buyer, type RunningReference, startReference } from "../helpers/reference.js";

/** A raw request, so that header names and repeated fields reach the server exactly as written. */
function rawGet(url: string, headers: Record<string, string | string[]>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

// Headers are read from the Node request on the server's hot path; they must mean what the Fetch API says.
describe("request headers on the Node server", () => {
  let server: RunningReference;
  let token: string;
  beforeAll(async () => {
    server = await startReference();
    token = await api(server.url).login(buyer);
  });
  afterAll(async () => server.close());

  const reserveUrl = (id: string) =>
    `${server.url}${reservePath(reserveQuery(id, customData([{ productStockId: 311191, orderCount: 1 }])))}`;

  it("matches the header name case-insensitively", async () => {
    const response = await rawGet(reserveUrl("hdr-case"), { AUTHORIZATION: `Bearer ${token}` });
    expect(response.status).toBe(200);
  });

  it("refuses two Authorization fields as the Fetch API joins them, and leaves stock untouched", async () => {
    const client = api(server.url);
    const before = await stockOf(client);
    const response = await rawGet(reserveUrl("hdr-twice"), { authorization: [`Bearer ${token}`, `Bearer ${token}`] });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).code).toBe("INVALID_TOKEN");
    expect(await stockOf(client)).toEqual(before);
  });
});
