/**
 * @module
 * Turns a schema-valid scenario document into a scenario, defaults applied and references checked.
 */

import { demoClient } from "../../base/config/defaults.js";
import { parseDuration } from "../../base/config/duration.js";
import {
  type Case,
  type Expectations,
  holdExpiry,
  type Phase,
  type Scenario,
  type ScenarioSku,
  type ScenarioUser,
  type Step,
  type Traffic,
} from "./types.js";
import type { Segment } from "./yaml-location.js";

/** A wait spread over each hold's release: TTL ± grace, densest at the TTL (see Step.wait). */
const aroundRelease = "around-release";

// The document's shape once the schema has accepted it.
interface RawTraffic {
  shape: Traffic["shape"];
  rounds: number;
  duration?: string;
  concurrency?: number;
  maxInFlight?: number;
}
interface RawCase {
  name: string;
  user?: string;
  order?: string;
  reserve?: { sku: number; count: number }[];
  pay?: string;
  cancel?: string;
}
export interface RawScenario {
  name: string;
  description?: string;
  given: {
    skus: (Partial<ScenarioSku> & { productStockId: number; stock: number })[];
    stock?: "admin" | "declared";
    users: { name?: string; username: string; password: string; userId?: number }[];
    client?: { id: string; secret: string };
    request?: {
      storeId?: string;
      merchantId?: string;
      amount?: string;
      timestamp?: string;
      orderIdPrefix?: string;
      customData?: {
        shape?: "seed" | "minimal";
        lines?: "productStockList" | "productInfoList" | "both";
        fields?: Record<string, unknown>;
      };
    };
    traffic?: RawTraffic;
    phases?: { name: string; traffic: RawTraffic; restock?: boolean }[];
    limits?: { requestTimeout?: string; runTimeout?: string };
    holdTtl?: string;
    expiryGrace?: string;
  };
  when: (RawCase | { together: RawCase[] } | { wait: string | { from: string; to: string } })[];
  then?: {
    counts?: "model" | Record<string, Record<string, number>>;
    finalStock?: "model" | Record<string, number>;
    allow?: { indeterminate?: number };
    thresholds?: string[];
  };
}

/** Records a problem at a path of the document. */
export type Report = (segments: readonly Segment[], message: string) => void;

function traffic(raw: RawTraffic): Traffic {
  return {
    shape: raw.shape,
    rounds: raw.rounds,
    durationMs: raw.duration === undefined ? null : parseDuration(raw.duration),
    concurrency: raw.concurrency ?? null,
    maxInFlight: raw.maxInFlight ?? null,
  };
}

/** The SKUs with their defaults; a SKU listed twice is reported. */
function normaliseSkus(raw: RawScenario, report: Report): { skus: ScenarioSku[]; skuIds: Set<number> } {
  const skus: ScenarioSku[] = raw.given.skus.map((s) => ({
    productStockId: s.productStockId,
    stock: s.stock,
    productId: s.productId ?? s.productStockId,
    productName: s.productName ?? `SKU ${s.productStockId}`,
    color: s.color ?? "NONE",
    size: s.size ?? "FREE",
    salePrice: s.salePrice ?? 1000,
  }));
  const skuIds = new Set<number>();
  skus.forEach((s, i) => {
    if (skuIds.has(s.productStockId))
      report(["given", "skus", i, "productStockId"], `SKU ${s.productStockId} is listed twice`);
    skuIds.add(s.productStockId);
  });
  return { skus, skuIds };
}

function normaliseUsers(raw: RawScenario): ScenarioUser[] {
  return raw.given.users.map((u, i) => ({
    name: u.name ?? `user${i + 1}`,
    username: u.username,
    password: u.password,
    userId: u.userId ?? null,
  }));
}

/** The declared phases, else one "main" phase of the scenario's traffic, else none. */
function phasesOf(raw: RawScenario): Phase[] {
  return (
    raw.given.phases?.map((p) => ({ name: p.name, traffic: traffic(p.traffic), restock: p.restock ?? true })) ??
    (raw.given.traffic ? [{ name: "main", traffic: traffic(raw.given.traffic), restock: true }] : [])
  );
}

type Wait = Extract<RawScenario["when"][number], { wait: unknown }>;

/** A wait step: around each release, in ttl, or in durations; a ttl needs given.holdTtl, and to ≥ from. */
function waitStep(entry: Wait, stepIndex: number, raw: RawScenario, report: Report): Step {
  if (entry.wait === aroundRelease) {
    if (raw.given.holdTtl === undefined)
      report(
        ["when", stepIndex, "wait"],
        "a wait around-release needs given.holdTtl (a --hold-ttl flag can then override it)",
      );
    return { cases: [], wait: { from: -1, to: 1, unit: "release" } };
  }
  const w = typeof entry.wait === "string" ? { from: entry.wait, to: entry.wait } : entry.wait;
  const inTtl = /ttl\s*$/.test(w.from) || /ttl\s*$/.test(w.to);
  const amount = (text: string) => (inTtl ? Number.parseFloat(text) : parseDuration(text));
  if (inTtl && !(/ttl\s*$/.test(w.from) && /ttl\s*$/.test(w.to)))
    report(["when", stepIndex, "wait"], "give from and to both as durations or both in ttl (e.g. 0.5ttl)");
  if (inTtl && raw.given.holdTtl === undefined)
    report(["when", stepIndex, "wait"], "waits in ttl need given.holdTtl (a --hold-ttl flag can then override it)");
  const [from, to] = [amount(w.from), amount(w.to)];
  if (to < from) report(["when", stepIndex, "wait"], "wait.to must not be shorter than wait.from");
  return { cases: [], wait: { from, to, unit: inTtl ? "ttl" : "ms" } };
}

/** What the round's steps have declared so far, for the references of the steps after them. */
interface RoundNames {
  readonly userNames: ReadonlySet<string>;
  readonly skuIds: ReadonlySet<number>;
  readonly caseNames: Set<string>;
  /** Reserve case name or order key → order key. */
  readonly orderKeys: Map<string, string>;
}

/** One case of a step; a reserve also records the names (case and order key) it declares. */
function caseOf(
  c: RawCase,
  at: Segment[],
  base: { name: string; user: string | null; step: number; raced: boolean },
  names: RoundNames,
  declared: [string, string][],
  report: Report,
): Case {
  if (c.reserve !== undefined) {
    c.reserve.forEach((line, k) => {
      if (!names.skuIds.has(line.sku)) {
        report([...at, "reserve", k, "sku"], `SKU ${line.sku} is not in given.skus; add it there with its stock`);
      }
    });
    const orderKey = c.order ?? c.name;
    declared.push([c.name, orderKey], [orderKey, orderKey]);
    return { ...base, action: { kind: "reserve", lines: c.reserve, orderKey } };
  }
  if (c.order !== undefined) report([...at, "order"], "only a reserve case takes an order key");
  const kind = c.pay !== undefined ? "pay" : "cancel";
  const target = (c.pay ?? c.cancel) as string;
  const orderKey = names.orderKeys.get(target);
  if (orderKey === undefined) {
    report([...at, kind], `"${target}" is not a reserve case (or order key) earlier in the round`);
  }
  return { ...base, action: { kind, orderKey: orderKey ?? target } };
}

/** A step of cases, alone or together; its order keys become known to the steps after it, not to its own cases. */
function casesStep(
  entry: RawCase | { together: RawCase[] },
  stepIndex: number,
  names: RoundNames,
  report: Report,
): Step {
  const rawCases = "together" in entry ? entry.together : [entry];
  const raced = rawCases.length > 1;
  const declared: [string, string][] = [];
  const cases: Case[] = rawCases.map((c, j) => {
    const at: Segment[] = "together" in entry ? ["when", stepIndex, "together", j] : ["when", stepIndex];
    if (names.caseNames.has(c.name))
      report([...at, "name"], `case name "${c.name}" is used twice; give each case its own name`);
    names.caseNames.add(c.name);
    if (c.user !== undefined && !names.userNames.has(c.user)) {
      report([...at, "user"], `names no user; given.users has ${[...names.userNames].join(", ")}`);
    }
    const base = { name: c.name, user: c.user ?? null, step: stepIndex, raced };
    return caseOf(c, at, base, names, declared, report);
  });
  for (const [name, key] of declared) names.orderKeys.set(name, key);
  return { cases, wait: null };
}

/** The round's steps in order, and the case names they declare. */
function roundOf(
  raw: RawScenario,
  userNames: ReadonlySet<string>,
  skuIds: ReadonlySet<number>,
  report: Report,
): { round: Step[]; caseNames: Set<string> } {
  const names: RoundNames = { userNames, skuIds, caseNames: new Set<string>(), orderKeys: new Map<string, string>() };
  const round = raw.when.map((entry, stepIndex) =>
    "wait" in entry ? waitStep(entry, stepIndex, raw, report) : casesStep(entry, stepIndex, names, report),
  );
  return { round, caseNames: names.caseNames };
}

/** The then-section's counts name cases of the round; its final stock, SKUs of given.skus. */
function finalStockOf(
  then: NonNullable<RawScenario["then"]>,
  caseNames: ReadonlySet<string>,
  skuIds: ReadonlySet<number>,
  report: Report,
): Expectations["finalStock"] {
  if (then.counts !== undefined && then.counts !== "model") {
    for (const name of Object.keys(then.counts)) {
      if (!caseNames.has(name))
        report(["then", "counts", name], `names no case; the cases are ${[...caseNames].join(", ")}`);
    }
  }
  let finalStock: Expectations["finalStock"] = "model";
  if (then.finalStock !== undefined && then.finalStock !== "model") {
    const entries = Object.entries(then.finalStock).map(([id, n]) => [Number(id), n] as const);
    for (const [id] of entries) {
      if (!skuIds.has(id)) report(["then", "finalStock", String(id)], `SKU ${id} is not in given.skus`);
    }
    finalStock = Object.fromEntries(entries);
  }
  return finalStock;
}

function requestOf(raw: RawScenario): Scenario["request"] {
  const request = raw.given.request ?? {};
  return {
    storeId: request.storeId ?? "itsdcode",
    merchantId: request.merchantId ?? "itsdcode",
    amount: request.amount ?? "auto",
    timestamp: request.timestamp ?? "today",
    orderIdPrefix: request.orderIdPrefix ?? "sp",
    customData: {
      shape: request.customData?.shape ?? "seed",
      lines: request.customData?.lines ?? "productStockList",
      fields: request.customData?.fields ?? {},
    },
  };
}

/**
 * The scenario a schema-valid document describes, defaults applied; what the schema cannot say
 * (names used twice, references to unknown users, SKUs or cases) goes to `report`.
 */
export function normalise(raw: RawScenario, source: string, report: Report): Scenario {
  const { skus, skuIds } = normaliseSkus(raw, report);
  const users = normaliseUsers(raw);
  const phases = phasesOf(raw);
  const { round, caseNames } = roundOf(raw, new Set(users.map((u) => u.name)), skuIds, report);
  const then = raw.then ?? {};
  const finalStock = finalStockOf(then, caseNames, skuIds, report);
  const limits = raw.given.limits ?? {};
  return {
    name: raw.name,
    description: raw.description ?? "",
    source,
    skus,
    stockSetup: raw.given.stock ?? "admin",
    users,
    client: raw.given.client ?? { id: demoClient.id, secret: demoClient.secret },
    request: requestOf(raw),
    phases,
    round,
    limits: {
      requestTimeoutMs: limits.requestTimeout === undefined ? 10_000 : parseDuration(limits.requestTimeout),
      runTimeoutMs: limits.runTimeout === undefined ? null : parseDuration(limits.runTimeout),
    },
    holdTtl:
      raw.given.holdTtl === undefined
        ? null
        : holdExpiry(
            parseDuration(raw.given.holdTtl),
            raw.given.expiryGrace === undefined ? undefined : parseDuration(raw.given.expiryGrace),
          ),
    expectations: {
      counts: then.counts ?? "model",
      finalStock,
      allowIndeterminate: then.allow?.indeterminate ?? 0,
      thresholds: then.thresholds ?? [],
    },
  };
}
