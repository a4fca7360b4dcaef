import { describe, expect, it } from "vitest";
import { declaredStatuses, validateParameters, validateSchema } from "../../src/backend/spec/validators.js";
import { givenOf } from "../../src/verify/calls/givens.js";
import { caseName, catalogue, demoSettings, exemptions } from "../../src/verify/calls/index.js";

/** Values of every need, so any call's request can be built without a server. */
const anyGiven = givenOf("the catalogue test", {
  settings: demoSettings,
  id: "P-1",
  token: "a.b.c",
  readToken: "a.b.r",
  otherToken: "a.b.o",
  refreshToken: "r.e.f",
  readRefreshToken: "r.e.r",
  spentRefreshToken: "r.e.s",
  order: "P-0",
  adminKey: "key",
  signing: { secret: "secret", audience: "stockproof-api" },
});

describe("the catalogue of calls", () => {
  it("names each call once", () => {
    const names = catalogue.map(caseName);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it("expects only statuses the spec declares for the call's operation", () => {
    const undeclared = catalogue.filter((c) => !declaredStatuses(c.operationId).includes(c.expect.status));
    expect(undeclared.map((c) => `${caseName(c)} → ${c.expect.status}`)).toEqual([]);
    for (const e of exemptions) expect(declaredStatuses(e.operationId)).toContain(e.status);
  });

  it("marks a request valid only when its parameters and body conform to the spec", async () => {
    const invalid: string[] = [];
    for (const c of catalogue.filter((c) => c.valid)) {
      const request = await c.request(anyGiven);
      const [path, search = ""] = request.path.split("?");
      const query = Object.fromEntries(new URLSearchParams(search));
      const problems =
        c.operationId === "reserveStock"
          ? validateParameters("reserveStock", "query", query)
          : c.operationId === "payOrder" || c.operationId === "cancelOrder"
            ? validateParameters(c.operationId, "path", {
                paymentOrderId: decodeURIComponent(path?.split("/").at(-1) ?? ""),
              })
            : c.operationId === "createToken"
              ? validateSchema("TokenRequest", Object.fromEntries(new URLSearchParams(request.body ?? "")))
              : c.operationId === "setStock"
                ? validateSchema("SetStockRequest", JSON.parse(request.body ?? "null"))
                : { ok: true as const };
      if (!problems.ok) invalid.push(`${caseName(c)}: ${problems.errors.map((e) => e.message).join("; ")}`);
    }
    expect(invalid).toEqual([]);
  });

  it("throws, naming the call and the need, when a call reads a value it did not declare", async () => {
    const bare = givenOf("reserveStock: reserve", { settings: demoSettings, id: "P-1" });
    const reserve = catalogue.find((c) => caseName(c) === "reserveStock: reserve");
    expect(() => reserve?.request(bare)).toThrow(
      'reserveStock: reserve reads token but does not declare the need "buyer"',
    );
  });
});
