import { describe, expect, expectTypeOf, it } from "vitest";
import type { paths } from "../../src/backend/generated/openapi.js";
import { operations, validateParameters } from "../../src/backend/spec/validators.js";
import { cancelPath, pathTemplates, payPath, reservePath } from "../../src/verify/client/paths.js";
import { reserveParameters, reserveQuery, stockLineData } from "../../src/verify/client/reserve-query.js";

describe("the API's paths", () => {
  it("are the spec's own path templates, one per operation", () => {
    expectTypeOf(pathTemplates.pay).toExtend<keyof paths>();
    expect(new Set(Object.values(pathTemplates))).toEqual(new Set(operations().map((o) => o.path)));
  });

  it("percent-encode the paymentOrderId, taking no character of it as a pattern", () => {
    expect(payPath("P_1")).toBe("/orders/payment/kcp/payResultTest/P_1");
    expect(cancelPath("a b/c")).toBe("/orders/payment/cancel/a%20b%2Fc");
    expect(payPath("x$&y$1")).toBe("/orders/payment/kcp/payResultTest/x%24%26y%241");
    expect(cancelPath("주문")).toBe(`/orders/payment/cancel/${encodeURIComponent("주문")}`);
  });

  it("carry the reserve query in the seed's parameter order", () => {
    const query = reserveParameters({ paymentOrderId: "P-1", customData: "{}", amount: "3000", timestamp: "20210621" });
    expect(reservePath(query)).toBe(
      "/orders/payment/choice?storeId=itsdcode&merchantId=itsdcode&amount=3000&timestamp=20210621&paymentOrderId=P-1&customData=%7B%7D",
    );
    expect(reservePath("a=1")).toBe("/orders/payment/choice?a=1");
  });
});

describe("the one builder of the reserve parameters", () => {
  it("fills the seed's defaults: itsdcode, amount 0, today, a fresh id in the seed's shape", () => {
    const query = reserveParameters({ customData: { productStockList: [] } });
    expect(query).toMatchObject({ storeId: "itsdcode", merchantId: "itsdcode", amount: "0" });
    expect(query.timestamp).toBe(new Date().toISOString().slice(0, 10).replaceAll("-", ""));
    expect(query.paymentOrderId).toMatch(/^P_\d+_[0-9a-f]{12}$/);
    expect(query.customData).toBe('{"productStockList":[]}');
    expect(validateParameters("reserveStock", "query", { ...query }).ok).toBe(true);
  });

  it("sends a customData text exactly as given, even when it is not JSON", () => {
    expect(reserveParameters({ paymentOrderId: "P-1", customData: '{"productStockList":' }).customData).toBe(
      '{"productStockList":',
    );
  });

  it("is what the client's reserveQuery builds on: items as productStockList after the extra fields", () => {
    const items = [{ productStockId: 311191, orderCount: 2 }];
    const fields = { paymentOrderId: "P-2", amount: "6000", timestamp: "20210621" };
    const data = stockLineData(items, { addressId: 84577 });
    expect(data).toEqual({ addressId: 84577, productInfoList: null, productStockList: items });
    expect(reserveQuery(items, { ...fields, customData: { addressId: 84577 } })).toEqual(
      reserveParameters({ ...fields, customData: data }),
    );
  });
});
