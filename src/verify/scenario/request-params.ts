/**
 * @module
 * The reserve call's query as the runner sends it, in the seed's shape, built cheaply for many requests.
 */

import { reserveParameters } from "../client/reserve-query.js";
import type { PlannedRequest } from "./plan.js";
import type { Scenario, ScenarioSku } from "./types.js";

/** yyyyMMdd of a date, in local time (the day the seed's team would type). */
export function runDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}

function skuOf(scenario: Scenario, id: number): ScenarioSku {
  const sku = scenario.skus.find((s) => s.productStockId === id);
  if (sku === undefined) throw new Error(`SKU ${id} is not in the scenario (the loader should have refused it)`);
  return sku;
}

const money = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

/** customData in the seed's shape (or the minimal one), with the line items of the request. */
export function customDataFor(
  scenario: Scenario,
  request: PlannedRequest,
  finalAmount: number,
): Record<string, unknown> {
  const { shape, lines, fields } = scenario.request.customData;
  const items = request.lines.map((line, index) => ({ sku: skuOf(scenario, line.sku), count: line.count, index }));
  const stockList =
    shape === "minimal"
      ? items.map(({ sku, count }) => ({ productStockId: sku.productStockId, orderCount: count }))
      : items.map(({ sku, count, index }) => ({
          productId: sku.productId,
          boutiqueId: 1,
          productName: sku.productName,
          salePrice: sku.salePrice,
          productStockId: sku.productStockId,
          colorId: null,
          sizeId: null,
          color: sku.color,
          size: sku.size,
          shippingFee: 0,
          orderCount: count,
          crawlerUpdatedAt: null,
          supplier: null,
          ordering: index + 1,
        }));
  const infoList = items.map(({ sku, count }) => ({
    productId: sku.productId,
    color: sku.color,
    size: sku.size,
    colorId: null,
    sizeId: null,
    count,
  }));
  const lineFields = {
    productInfoList: lines === "productStockList" ? null : infoList,
    productStockList: lines === "productInfoList" ? null : stockList,
  };
  if (shape === "minimal") return { ...lineFields, ...fields };
  return {
    orderId: 0,
    addressId: 0,
    iamportId: null,
    payMethod: "card",
    usePoint: 0,
    shippingFee: 0,
    shippingText: "",
    paymentOrderId: request.paymentOrderId,
    userId: request.user.userId ?? 0,
    paymentAmount: 0,
    eventProductPriceId: null,
    eventProductPriceListId: null,
    linkprice: null,
    productInfoList: lineFields.productInfoList,
    couponCodeList: [],
    finalAmount,
    productInStockList: null,
    productStockList: lineFields.productStockList,
    ...fields,
  };
}

/** The reserve call's query string: the seed's full parameter set. */
export function reserveQuery(scenario: Scenario, request: PlannedRequest, day: string): string {
  const total = request.lines.reduce((sum, l) => sum + skuOf(scenario, l.sku).salePrice * l.count, 0);
  const { storeId, merchantId, amount, timestamp } = scenario.request;
  return new URLSearchParams(
    reserveParameters({
      storeId,
      merchantId,
      amount: amount === "auto" ? money(total) : amount,
      timestamp: timestamp === "today" ? day : timestamp,
      paymentOrderId: request.paymentOrderId,
      customData: customDataFor(scenario, request, total),
    }),
  ).toString();
}

// Stands for the paymentOrderId in a cached query: letters only, so form-encoding leaves it as is.
const idPlaceholder = "QzXpaymentOrderIdXzQ";

/**
 * reserveQuery for many requests of one run, each built from a cached text: a run's reservations
 * differ only in their paymentOrderId for a given cart and user, and building the whole query
 * (customData object, JSON, URLSearchParams) costs some 12 KiB of garbage a request. Gives the
 * same text as reserveQuery.
 */
export function createReserveQueries(scenario: Scenario, day: string): (request: PlannedRequest) => string {
  const cache = new Map<readonly unknown[], Map<unknown, readonly string[]>>();
  return (request) => {
    const id = request.paymentOrderId;
    // An id that JSON would escape is encoded differently inside customData: build it in full.
    if (JSON.stringify(id) !== `"${id}"`) return reserveQuery(scenario, request, day);
    let byUser = cache.get(request.lines);
    if (byUser === undefined) {
      byUser = new Map();
      cache.set(request.lines, byUser);
    }
    let parts = byUser.get(request.user);
    if (parts === undefined) {
      parts = reserveQuery(scenario, { ...request, paymentOrderId: idPlaceholder }, day).split(idPlaceholder);
      byUser.set(request.user, parts);
    }
    return parts.join(new URLSearchParams([["", id]]).toString().slice(1));
  };
}
