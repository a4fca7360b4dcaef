import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Order, StockLevel } from "../../src/backend/domain/types.js";
import { createStockService, type StockService } from "../../src/backend/service/stock-service.js";
import { createMemoryStore } from "../../src/backend/store/memory.js";
import { api, reserveQuery } from "../helpers/api.js";
import { buyer, other, type RunningReference, startReference } from "../helpers/reference.js";
import { runSeed, scale } from "./support.js";

/*
 * Model-based fuzzing: random command sequences go over HTTP to the reference (real SQLite) and,
 * in the same order, to the pure model (memory store + stock service). After every step the
 * response's status and code are the model's prediction and the admin snapshot equals the model's
 * state. fast-check shrinks a failure to the shortest sequence and prints it.
 */

const level = (productStockId: number, stock: number): StockLevel => ({
  productStockId,
  productId: productStockId,
  productName: `SKU ${productStockId}`,
  color: "NONE",
  size: "FREE",
  salePrice: 1000,
  initial: stock,
  available: stock,
  held: 0,
  paid: 0,
});
// Small stocks so OUT_OF_STOCK, restores and all-or-nothing carts happen within a few steps.
const catalog = [level(700001, 5), level(700002, 3), level(700003, 8)];
const unknownSku = 799999;
const users = [
  { credentials: buyer, userName: "144602" },
  { credentials: other, userName: "144603" },
] as const;

/** How a reserve request is spoiled, if at all; each spoiling has one documented answer. */
type Spoil = "none" | "count-zero" | "count-negative" | "count-fraction" | "count-huge" | "bad-id" | "malformed-json";
const spoiled: Record<Exclude<Spoil, "none">, string> = {
  "count-zero": "INVALID_CUSTOM_DATA",
  "count-negative": "INVALID_CUSTOM_DATA",
  "count-fraction": "INVALID_CUSTOM_DATA",
  "count-huge": "INVALID_CUSTOM_DATA",
  "bad-id": "INVALID_PARAMETER",
  "malformed-json": "MALFORMED_CUSTOM_DATA",
};

type Command =
  | { kind: "reserve"; user: 0 | 1; order: number; lines: { sku: number; count: number }[]; spoil: Spoil }
  | { kind: "pay" | "cancel"; user: 0 | 1; order: number; noToken: boolean }
  | { kind: "repeat" };

const user = fc.constantFrom<0 | 1>(0, 1);
const order = fc.integer({ min: 0, max: 4 });
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("reserve" as const),
      user,
      order,
      lines: fc.array(
        fc.record({
          sku: fc.constantFrom(...catalog.map((c) => c.productStockId), unknownSku),
          count: fc.integer({ min: 1, max: 4 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      spoil: fc.oneof(
        { weight: 6, arbitrary: fc.constant<Spoil>("none") },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Spoil>(
            "count-zero",
            "count-negative",
            "count-fraction",
            "count-huge",
            "bad-id",
            "malformed-json",
          ),
        },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom("pay" as const, "cancel" as const),
      user,
      order,
      noToken: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "repeat" as const }) },
);

const idOf = (n: number) => `model-${n}`;

function customDataFor(cmd: Extract<Command, { kind: "reserve" }>): string {
  if (cmd.spoil === "malformed-json") return '{"productStockList":[{"productStockId":700001,"orderCount":1}';
  const count = (c: number) =>
    cmd.spoil === "count-zero"
      ? 0
      : cmd.spoil === "count-negative"
        ? -c
        : cmd.spoil === "count-fraction"
          ? c + 0.5
          : cmd.spoil === "count-huge"
            ? 1e21
            : c;
  return JSON.stringify({
    productInfoList: null,
    productStockList: cmd.lines.map((l) => ({ productStockId: l.sku, orderCount: count(l.count) })),
  });
}

interface Expected {
  status: number;
  code?: string;
  orderStatus?: string;
}

/** The model's answer to one command (and its state change, applied to the model as it decides). */
async function predict(model: StockService, cmd: Exclude<Command, { kind: "repeat" }>): Promise<Expected> {
  if (cmd.kind === "reserve" && cmd.spoil !== "none") return { status: 400, code: spoiled[cmd.spoil] };
  if (cmd.kind !== "reserve" && cmd.noToken) return { status: 401, code: "INVALID_TOKEN" };
  const owner = users[cmd.user].userName;
  const result =
    cmd.kind === "reserve"
      ? await model.reserve(owner, {
          paymentOrderId: idOf(cmd.order),
          amount: "3000",
          lines: cmd.lines.map((l) => ({ kind: "stock", productStockId: l.sku, count: l.count })),
        })
      : await model[cmd.kind](owner, idOf(cmd.order));
  if (result.ok) return { status: 200, orderStatus: result.value.status };
  const status: Record<string, number> = {
    UNKNOWN_SKU: 400,
    OUT_OF_STOCK: 409,
    DUPLICATE_PAYMENT_ORDER: 409,
    ORDER_CANCELLED: 409,
    ORDER_PAID: 409,
    ORDER_EXPIRED: 409,
    ORDER_NOT_FOUND: 404,
  };
  return { status: status[result.error.code] ?? 0, code: result.error.code };
}

/** The comparable part of a state: figures per SKU and each order's owner, status and lines. */
function normalise(
  skus: readonly { productStockId: number; initial: number; available: number; held: number; paid: number }[],
  orders: readonly (Pick<Order, "paymentOrderId" | "status" | "lines"> & { owner?: string; userName?: string })[],
) {
  return {
    skus: skus
      .map(({ productStockId, initial, available, held, paid }) => ({ productStockId, initial, available, held, paid }))
      .sort((a, b) => a.productStockId - b.productStockId),
    orders: orders
      .map((o) => ({
        id: o.paymentOrderId,
        owner: o.owner ?? o.userName,
        status: o.status,
        lines: o.lines.map((l) => [l.productStockId, l.count]),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

describe("model-based fuzzing against the reference over HTTP", () => {
  let server: RunningReference;
  let client: ReturnType<typeof api>;
  const tokens: string[] = [];
  beforeAll(async () => {
    server = await startReference({ catalog });
    client = api(server.url);
    for (const u of users) tokens.push(await client.login(u.credentials));
  });
  afterAll(async () => server.close());

  const runs = scale(40, 400);
  const seed = runSeed();
  const budget = scale(120_000, 600_000);

  it(
    `after every step, responses and state equal the model's (${runs} sequences)`,
    async () => {
      console.log(`model-fuzz seed ${seed} (replay with STOCKPROOF_SEED=${seed}), ${runs} sequences`);
      let steps = 0;
      const property = fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: scale(25, 60), size: "max" }),
        async (commands) => {
          await client.reset();
          const model = createStockService({ store: createMemoryStore(catalog), catalog, clock: () => 0 });
          let last: Exclude<Command, { kind: "repeat" }> | undefined;
          for (const [index, next] of commands.entries()) {
            const cmd = next.kind === "repeat" ? last : next;
            if (cmd === undefined) continue;
            last = cmd;
            steps++;
            const expected = await predict(model, cmd);
            const token = cmd.kind !== "reserve" && cmd.noToken ? null : (tokens[cmd.user] as string);
            const response =
              cmd.kind === "reserve"
                ? await client.reserveRaw(
                    token,
                    reserveQuery(cmd.spoil === "bad-id" ? "bad id!" : idOf(cmd.order), customDataFor(cmd)),
                  )
                : await client[cmd.kind](token, idOf(cmd.order));
            const seen: Expected = { status: response.status };
            if (typeof response.body.code === "string") seen.code = response.body.code;
            if (response.status === 200) seen.orderStatus = response.body.status as string;
            expect(seen, `step ${index + 1}: ${JSON.stringify(cmd)}`).toEqual(expected);

            const snapshot = await client.snapshot();
            const body = snapshot.body as unknown as {
              invariantHolds: boolean;
              skus: { productStockId: number; initial: number; available: number; held: number; paid: number }[];
              orders: { paymentOrderId: string; userName: string; status: Order["status"]; lines: Order["lines"] }[];
            };
            expect(body.invariantHolds).toBe(true);
            const mine = model.snapshot();
            expect(normalise(body.skus, body.orders), `state after step ${index + 1}`).toEqual(
              normalise(
                mine.skus.map((s) => s.level),
                mine.orders,
              ),
            );
          }
        },
      );
      await fc.assert(property, { numRuns: runs, seed });
      console.log(`  ${runs} sequences, ${steps} steps: every response and every state equal to the model's`);
    },
    budget,
  );
});
