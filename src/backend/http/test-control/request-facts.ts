/**
 * @module
 * What the journal and fault rules read of a request (paymentOrderId, lines), each read once when asked.
 */

import type { components } from "../../generated/openapi.js";
import type { PublicOperation } from "../../test-control/declared-answer.js";

type JournalLine = components["schemas"]["JournalLine"];

/** What the journal and the fault rules read of a request: its paymentOrderId and a reservation's lines. */
export interface RequestFacts {
  paymentOrderId(): string | undefined;
  lines(): readonly JournalLine[] | undefined;
  productStockIds(): readonly number[];
}

/** More lines than a valid reservation has (50) are not kept: the journal stays small whatever is sent. */
const maxLines = 100;

const intOf = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : undefined);
const strOf = (value: unknown) => (typeof value === "string" ? value : undefined);

/** Lines as sent, read leniently: the journal records what the app sent, valid or not. */
function linesOf(customData: string | null): JournalLine[] | undefined {
  if (customData === null) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(customData);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const { productStockList, productInfoList } = data as Record<string, unknown>;
  const list = Array.isArray(productStockList)
    ? productStockList
    : Array.isArray(productInfoList)
      ? productInfoList
      : [];
  const byStock = Array.isArray(productStockList);
  return list.slice(0, maxLines).map((raw) => {
    const l = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const line: Record<string, unknown> = byStock
      ? { productStockId: intOf(l.productStockId), count: intOf(l.orderCount) ?? 0 }
      : { productId: intOf(l.productId), color: strOf(l.color), size: strOf(l.size), count: intOf(l.count) ?? 0 };
    for (const key of Object.keys(line)) if (line[key] === undefined) delete line[key];
    return line as JournalLine;
  });
}

/** The facts of one request, each read once and only when asked. */
export function requestFacts(operationId: PublicOperation | null, url: string, path: string): RequestFacts {
  let query: URLSearchParams | undefined;
  const params = () => {
    if (query === undefined) {
      const at = url.indexOf("?");
      query = new URLSearchParams(at < 0 ? "" : url.slice(at + 1));
    }
    return query;
  };
  let lines: JournalLine[] | undefined | null = null;
  const readLines = () => {
    if (lines === null) lines = operationId === "reserveStock" ? linesOf(params().get("customData")) : undefined;
    return lines;
  };
  return {
    paymentOrderId() {
      if (operationId === "reserveStock") return params().get("paymentOrderId") ?? undefined;
      if (operationId === "payOrder" || operationId === "cancelOrder") {
        const segment = path.slice(path.lastIndexOf("/") + 1);
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      }
      return undefined;
    },
    lines: readLines,
    productStockIds: () =>
      (readLines() ?? []).flatMap((l) => (l.productStockId === undefined ? [] : [l.productStockId])),
  };
}
