import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelPath, payPath, reservePath } from "../../src/verify/client/paths.js";
import { api, customData, reserveQuery } from "../helpers/api.js";
import { adminKey, buyer, other, type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";
import {
  childPids,
  type OrderFigures,
  prng,
  recomputeInvariant,
  runSeed,
  type SkuFigures,
  scale,
  waitUntil,
  writeCatalog,
} from "./support.js";

/*
 * Durability across a process crash. A burst of reservations (and pays and cancels of orders
 * acknowledged earlier) is fired through an undici pool; at a seeded random point — after the
 * k-th response — the server gets SIGKILL. It restarts on the same SQLite file, and then:
 * every SKU keeps initial = available + held + paid (the server's audit and our own sum over the
 * orders), every reservation a client saw succeed is there with its lines, every acknowledged pay
 * or cancel stuck, and every refused reservation took nothing.
 */

const burst = scale(300, 1000);
const killPoints = scale(5, 8);
const budget = scale(120_000, 600_000);
const seed = runSeed();
console.log(`crash.test seed ${seed} (replay with STOCKPROOF_SEED=${seed}); burst ${burst}, kill points ${killPoints}`);

// One scarce SKU so OUT_OF_STOCK refusals happen mid-burst; two plentiful ones for multi-SKU carts.
const catalog = [
  { productStockId: 900001, stock: 120 },
  { productStockId: 900002, stock: 20_000 },
  { productStockId: 900003, stock: 20_000 },
];
const skuIds = catalog.map((c) => c.productStockId);

type Line = { productStockId: number; orderCount: number };
type Action =
  | { kind: "reserve"; id: string; owner: "buyer" | "other"; lines: Line[] }
  | { kind: "pay" | "cancel"; id: string; owner: "buyer" | "other" };
type Seen = { action: Action; status: number | "error" | "timeout"; code?: string };

interface Ledger {
  /** Reservations acknowledged with 200: id → owner and lines. */
  reserved: Map<string, { owner: "buyer" | "other"; lines: Line[] }>;
  /** Final acknowledged transition per order. */
  settled: Map<string, "PAID" | "CANCELLED">;
  /** Reservations refused by the domain (nothing may exist under their id). */
  refused: Set<string>;
}

async function fire(url: string, tokens: Record<"buyer" | "other", string>, actions: Action[], onResponse: () => void) {
  const pool = new Pool(url, { connections: 128, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const send = async (action: Action): Promise<Seen> => {
    const path =
      action.kind === "reserve"
        ? reservePath(reserveQuery(action.id, customData(action.lines)))
        : action.kind === "pay"
          ? payPath(action.id)
          : cancelPath(action.id);
    try {
      const response = await pool.request({
        path,
        method: action.kind === "cancel" ? "DELETE" : "GET",
        headers: { authorization: `Bearer ${tokens[action.owner]}` },
      });
      const body = (await response.body.json()) as { code?: string };
      onResponse();
      return { action, status: response.statusCode, ...(body.code ? { code: body.code } : {}) };
    } catch (error) {
      // A request that never got an answer in 10 s is a hang, not a crash: counted apart and must not happen.
      if ((error as { code?: string }).code === "UND_ERR_HEADERS_TIMEOUT") return { action, status: "timeout" };
      return { action, status: "error" }; // in flight when the process died: indeterminate
    }
  };
  try {
    return await Promise.all(actions.map(send));
  } finally {
    await pool.destroy();
  }
}

function planBurst(round: number, rng: ReturnType<typeof prng>, ledger: Ledger): Action[] {
  const actions: Action[] = [];
  // Pays and cancels of orders acknowledged in earlier rounds and not yet settled: one action each.
  const open = [...ledger.reserved.entries()].filter(([id]) => !ledger.settled.has(id));
  for (const [id, { owner }] of open.slice(0, Math.floor(burst / 5))) {
    actions.push({ kind: rng.next() < 0.5 ? "pay" : "cancel", id, owner });
  }
  while (actions.length < burst) {
    const first = rng.int(0, skuIds.length - 1);
    const skus = rng.next() < 0.4 ? [first, (first + 1) % skuIds.length] : [first];
    actions.push({
      kind: "reserve",
      id: `r${round}-${actions.length}`,
      owner: rng.next() < 0.5 ? "buyer" : "other",
      lines: skus.map((i) => ({ productStockId: skuIds[i] as number, orderCount: rng.int(1, 3) })),
    });
  }
  // Shuffle so settlements interleave with reservations.
  for (let i = actions.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [actions[i], actions[j]] = [actions[j] as Action, actions[i] as Action];
  }
  return actions;
}

function record(seen: Seen[], ledger: Ledger) {
  const counts = { ok: 0, refused: 0, error: 0, timeout: 0 };
  for (const s of seen) {
    if (s.status === "timeout") counts.timeout++;
    else if (s.status === "error") counts.error++;
    else if (s.status === 200) counts.ok++;
    else counts.refused++;
    const { action } = s;
    if (action.kind === "reserve") {
      if (s.status === 200) ledger.reserved.set(action.id, { owner: action.owner, lines: action.lines });
      else if (s.code === "OUT_OF_STOCK") ledger.refused.add(action.id);
    } else if (s.status === 200) {
      ledger.settled.set(action.id, action.kind === "pay" ? "PAID" : "CANCELLED");
    }
    if (typeof s.status === "number" && s.status >= 500) throw new Error(`5xx during the burst: ${JSON.stringify(s)}`);
  }
  return counts;
}

async function verify(url: string, ledger: Ledger) {
  const snapshot = await api(url).snapshot(adminKey);
  const body = snapshot.body as unknown as { invariantHolds: boolean; skus: SkuFigures[]; orders: OrderFigures[] };
  expect(body.invariantHolds).toBe(true);
  expect(recomputeInvariant(body.skus, body.orders)).toEqual([]);
  for (const product of catalog) {
    expect(body.skus.find((s) => s.productStockId === product.productStockId)?.initial).toBe(product.stock);
  }
  const orders = new Map(body.orders.map((o) => [o.paymentOrderId, o]));
  const userNames = { buyer: "144602", other: "144603" } as const;
  const lost: string[] = [];
  for (const [id, expected] of ledger.reserved) {
    const order = orders.get(id);
    if (order === undefined) {
      lost.push(id);
      continue;
    }
    expect(order.userName).toBe(userNames[expected.owner]);
    expect(order.lines.map((l) => ({ productStockId: l.productStockId, orderCount: l.count }))).toEqual(expected.lines);
    const settled = ledger.settled.get(id);
    if (settled !== undefined) expect(order.status).toBe(settled);
  }
  expect(lost, "acknowledged reservations missing after the crash").toEqual([]);
  for (const id of ledger.refused) expect(orders.has(id), `refused reservation ${id} took stock`).toBe(false);
  return body;
}

describe("crash safety: SIGKILL mid-burst, restart on the same file", () => {
  const temp = tempDir("stockproof-crash-");
  const catalogPath = writeCatalog(temp.dir, catalog);
  const spawned: SpawnedReference[] = [];
  afterAll(async () => {
    for (const s of spawned) await s.stop("SIGKILL");
    temp.remove();
  });

  it(
    `keeps every acknowledged reservation across ${killPoints} kill points (single process)`,
    async () => {
      const rng = prng(seed);
      const db = `${temp.dir}/single.db`;
      const args = ["--db", db, "--catalog", catalogPath];
      let server = await spawnReference([...args, "--fresh"]);
      spawned.push(server);
      const ledger: Ledger = { reserved: new Map(), settled: new Map(), refused: new Set() };
      for (let round = 0; round < killPoints; round++) {
        const client = api(server.url);
        const tokens = { buyer: await client.login(buyer), other: await client.login(other) };
        const actions = planBurst(round, rng, ledger);
        const killAfter = rng.int(Math.floor(burst * 0.05), Math.floor(burst * 0.8));
        let responses = 0;
        let killed: Promise<number | null> | undefined;
        const victim = server;
        const seen = await fire(server.url, tokens, actions, () => {
          if (++responses === killAfter) killed = victim.stop("SIGKILL");
        });
        await killed;
        const counts = record(seen, ledger);
        server = await spawnReference(args);
        spawned.push(server);
        const after = await verify(server.url, ledger);
        console.log(
          `  kill point ${round + 1}: SIGKILL after response ${killAfter}/${actions.length} · 200 ${counts.ok}, refused ${counts.refused}, cut off ${counts.error} · after restart: ${after.orders.length} orders, ${ledger.reserved.size} acknowledged reservations all present`,
        );
        expect(counts.error).toBeGreaterThan(0); // the kill really landed mid-burst
        expect(counts.timeout, "requests left hanging").toBe(0);
      }
    },
    budget,
  );

  describe("with --workers 2, killing one worker", () => {
    let cluster: SpawnedReference;
    const db = `${temp.dir}/cluster.db`;
    beforeAll(async () => {
      cluster = await spawnReference(["--db", db, "--catalog", catalogPath, "--fresh", "--workers", "2"]);
      spawned.push(cluster);
    });

    it(
      `the other worker keeps serving, the primary replaces the dead one, nothing is lost (${killPoints} kills)`,
      async () => {
        const rng = prng(seed ^ 0x5eed);
        const client = api(cluster.url);
        const tokens = { buyer: await client.login(buyer), other: await client.login(other) };
        const ledger: Ledger = { reserved: new Map(), settled: new Map(), refused: new Set() };
        await waitUntil("two workers", () => childPids(cluster.pid).length === 2);
        for (let round = 0; round < killPoints; round++) {
          const started = performance.now();
          const workers = childPids(cluster.pid);
          expect(workers).toHaveLength(2);
          const victim = rng.pick(workers);
          const actions = planBurst(round, rng, ledger);
          const killAfter = rng.int(Math.floor(burst * 0.05), Math.floor(burst * 0.5));
          let responses = 0;
          let okAfterKill = 0;
          let killedAt = Number.POSITIVE_INFINITY;
          const seen = await fire(cluster.url, tokens, actions, () => {
            responses++;
            if (responses === killAfter) {
              process.kill(victim, "SIGKILL");
              killedAt = responses;
            }
          });
          // Responses that arrived after the kill: the surviving worker (or the replacement) served them.
          okAfterKill = seen.filter((s) => s.status === 200).length - Math.min(killedAt, seen.length);
          const counts = record(seen, ledger);
          const burstMs = performance.now() - started;
          await waitUntil(
            `a replacement for worker ${victim}, listening`,
            () => {
              const now = childPids(cluster.pid);
              const replacement = now.find((pid) => !workers.includes(pid));
              return (
                now.length === 2 &&
                !now.includes(victim) &&
                cluster.output.includes(`worker ${replacement} is listening (replacement)`)
              );
            },
            30_000,
          );
          // Fresh connections after the replacement: every one is answered.
          const probe = await fire(
            cluster.url,
            tokens,
            Array.from({ length: 40 }, (_, i) => ({
              kind: "reserve" as const,
              id: `probe${round}-${i}`,
              owner: "buyer" as const,
              lines: [{ productStockId: 900002, orderCount: 1 }],
            })),
            () => {},
          );
          expect(probe.filter((p) => typeof p.status !== "number").map((p) => p.action.id)).toEqual([]);
          record(probe, ledger);
          const after = await verify(cluster.url, ledger);
          console.log(
            `  worker kill ${round + 1}: SIGKILL worker ${victim} after response ${killAfter}/${actions.length} · 200 ${counts.ok}, refused ${counts.refused}, cut off ${counts.error}, answered after the kill ≥ ${okAfterKill} · replaced by ${childPids(
              cluster.pid,
            )
              .filter((p) => !workers.includes(p))
              .join(
                ",",
              )} · ${after.orders.length} orders, ${ledger.reserved.size} acknowledged all present · burst ${burstMs.toFixed(0)} ms, round ${(performance.now() - started).toFixed(0)} ms`,
          );
          expect(seen.length - killAfter - counts.error).toBeGreaterThan(0);
          expect(counts.timeout, "requests left hanging after the worker died").toBe(0);
        }
        expect(cluster.output.filter((l) => /starting a replacement/.test(l))).toHaveLength(killPoints);
      },
      budget,
    );
  });
});
