/**
 * @module
 * The target's test-control API as the runner uses it: set stock, read snapshots, guarded by X-Admin-Key.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { noAnswerWords, type TransportCause } from "../probe/transport-cause.js";
import type { TargetClient } from "./client.js";
import type { ScenarioSku } from "./types.js";

/** One SKU as the test-control snapshot shows it. */
export interface SkuSnapshot {
  readonly productStockId: number;
  readonly initial: number;
  readonly available: number;
  readonly held: number;
  readonly paid: number;
  readonly invariantHolds: boolean;
}

export interface StockSnapshot {
  readonly takenAt: number;
  readonly invariantHolds: boolean;
  readonly skus: readonly SkuSnapshot[];
}

/**
 * A snapshot holding only what was observed: available units. held, paid and initial are not
 * known without the test-control API and are NaN; the invariant is not judged from it.
 */
export function availableOnlySnapshot(available: ReadonlyMap<number, number>, takenAt: number): StockSnapshot {
  return {
    takenAt,
    invariantHolds: true,
    skus: [...available].map(([productStockId, units]) => ({
      productStockId,
      available: units,
      initial: Number.NaN,
      held: Number.NaN,
      paid: Number.NaN,
      invariantHolds: true,
    })),
  };
}

/** The test-control API of the target (PUT /__admin/stock, GET /__admin/snapshot), guarded by X-Admin-Key. */
export function createAdmin(client: TargetClient, key: string) {
  const headers = { "x-admin-key": key, accept: "application/json" };

  const explain = (
    what: string,
    status: number | null,
    body: string,
    message: string | null,
    cause: TransportCause | null = null,
  ) => {
    if (status === 404) {
      return `${what}: the target has no test-control API (404). Declare the stock instead (given.stock: declared) after setting it yourself.`;
    }
    if (status === 401) return `${what}: the admin key was refused (401). Pass the target's key with --admin-key.`;
    return `${what} failed: ${status === null ? `${noAnswerWords(client.target, cause, message)}.` : `HTTP ${status} ${body.slice(0, 200)}`}`;
  };

  const parse = (body: string, skus: readonly number[]): StockSnapshot => {
    const data = JSON.parse(body) as { invariantHolds?: boolean; skus?: SkuSnapshot[] };
    const wanted = new Set(skus);
    const mine = (data.skus ?? []).filter((s) => wanted.has(s.productStockId));
    return {
      takenAt: client.now(),
      invariantHolds: mine.every((s) => s.invariantHolds !== false),
      skus: mine.map((s) => ({
        productStockId: s.productStockId,
        initial: s.initial,
        available: s.available,
        held: s.held,
        paid: s.paid,
        invariantHolds: s.invariantHolds !== false && s.available >= 0 && s.initial === s.available + s.held + s.paid,
      })),
    };
  };

  return {
    async setStock(skus: readonly ScenarioSku[]): Promise<Result<StockSnapshot, string>> {
      const items = skus.map((s) => ({
        productStockId: s.productStockId,
        quantity: s.stock,
        productId: s.productId,
        productName: s.productName,
        color: s.color,
        size: s.size,
        salePrice: s.salePrice,
      }));
      const exchange = await client.send(
        "PUT",
        "/__admin/stock",
        { ...headers, "content-type": "application/json" },
        JSON.stringify({ items }),
      );
      if (exchange.status !== 200)
        return err(
          explain(
            "Setting stock (PUT /__admin/stock)",
            exchange.status,
            exchange.body,
            exchange.message,
            exchange.cause,
          ),
        );
      return ok(
        parse(
          exchange.body,
          skus.map((s) => s.productStockId),
        ),
      );
    },
    async snapshot(skus: readonly number[]): Promise<Result<StockSnapshot, string>> {
      const exchange = await client.send("GET", "/__admin/snapshot", headers);
      if (exchange.status !== 200)
        return err(
          explain(
            "Reading the snapshot (GET /__admin/snapshot)",
            exchange.status,
            exchange.body,
            exchange.message,
            exchange.cause,
          ),
        );
      return ok(parse(exchange.body, skus));
    },
  };
}

export type Admin = ReturnType<typeof createAdmin>;
