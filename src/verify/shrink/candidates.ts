/**
 * @module
 * The smaller scenarios the shrinker tries: each pass of cuts, biggest first, every candidate tidied.
 */

import { parseDuration } from "../../base/config/duration.js";
import { casesOfDocument, cloneDocument, type RawCase, type RawStep, type ScenarioDocument } from "./document.js";

/** A smaller document to try, and what was changed to make it. */
export interface Candidate {
  readonly document: ScenarioDocument;
  readonly change: string;
}

type RawTraffic = NonNullable<ScenarioDocument["given"]["traffic"]>;

/**
 * Values below `value`, smallest first: the floor, one above it, then closer and closer to `value`
 * (half the gap, a quarter, …, one less). Tried in this order, with every refused value
 * remembered, this is a binary search for the smallest value that still fails: a kept value
 * halves the gap, and the values below it already refused cost nothing the next time.
 */
export function smallerValues(value: number, floor: number): number[] {
  const tries = [floor, floor + 1];
  for (let gap = Math.ceil((value - floor) / 2); gap >= 1; gap = gap === 1 ? 0 : Math.ceil(gap / 2))
    tries.push(value - gap);
  return [...new Set(tries)].filter((v) => v >= floor && v < value).sort((a, b) => a - b);
}

const traffics = (d: ScenarioDocument): RawTraffic[] =>
  d.given.phases !== undefined ? d.given.phases.map((p) => p.traffic) : d.given.traffic ? [d.given.traffic] : [];

const isCase = (step: RawStep): step is RawCase => "name" in step;

/**
 * Removes cases by name, and with them every case that can no longer run: a pay or cancel of an
 * order whose reservations are all gone. A `together` left with one case becomes a plain step.
 */
export function withoutCases(document: ScenarioDocument, names: readonly string[]): ScenarioDocument {
  const d = cloneDocument(document);
  const gone = new Set(names);
  for (let changed = true; changed; ) {
    changed = false;
    const left = casesOfDocument(d).filter((c) => !gone.has(c.name));
    const targets = new Set(left.filter((c) => c.reserve !== undefined).flatMap((c) => [c.name, c.order ?? c.name]));
    for (const c of left) {
      const of = c.pay ?? c.cancel;
      if (of !== undefined && !targets.has(of)) {
        gone.add(c.name);
        changed = true;
      }
    }
  }
  d.when = d.when.flatMap((step): RawStep[] => {
    if (isCase(step)) return gone.has(step.name) ? [] : [step];
    if (!("together" in step)) return [step];
    const kept = step.together.filter((c) => !gone.has(c.name));
    return kept.length === 0 ? [] : kept.length === 1 ? [kept[0] as RawCase] : [{ together: kept }];
  });
  // A wait with no step after it delays nothing.
  while (d.when.length > 0 && "wait" in (d.when[d.when.length - 1] as RawStep)) d.when.pop();
  return d;
}

/**
 * What every candidate is tidied to: SKUs no line reserves are dropped (nothing to set up), and
 * explicit expected counts and final stock, written for the bigger scenario, give way to the model.
 */
export function tidy(document: ScenarioDocument): ScenarioDocument {
  const d = cloneDocument(document);
  const used = new Set(casesOfDocument(d).flatMap((c) => (c.reserve ?? []).map((l) => l.sku)));
  if (used.size > 0) d.given.skus = d.given.skus.filter((s) => used.has(s.productStockId));
  if (d.then !== undefined) {
    if (d.then.counts !== undefined && d.then.counts !== "model") d.then.counts = "model";
    if (d.then.finalStock !== undefined && d.then.finalStock !== "model") d.then.finalStock = "model";
  }
  return d;
}

function* onePhase(d: ScenarioDocument): Generator<Candidate> {
  const phases = d.given.phases;
  if (phases === undefined || phases.length < 2) return;
  const bySize = [...phases.entries()].sort((a, b) => a[1].traffic.rounds - b[1].traffic.rounds);
  for (const [, phase] of bySize) {
    const c = cloneDocument(d);
    delete c.given.phases;
    c.given.traffic = structuredClone(phase.traffic);
    yield { document: c, change: `only phase "${phase.name}"` };
  }
}

function* fewerRounds(d: ScenarioDocument): Generator<Candidate> {
  for (const [i, traffic] of traffics(d).entries()) {
    for (const rounds of smallerValues(traffic.rounds, 1)) {
      const c = cloneDocument(d);
      (traffics(c)[i] as RawTraffic).rounds = rounds;
      yield { document: c, change: `rounds ${traffic.rounds} → ${rounds}` };
    }
  }
}

/**
 * Every number straight to its floor (one or two rounds, no or one unit of stock, one unit a line)
 * before any is searched for finely: how many rounds a race needs depends on the stock, so the
 * jump that removes most is tried for each first.
 */
function* floors(d: ScenarioDocument): Generator<Candidate> {
  for (const candidate of fewerRounds(d)) if (/ → [12]$/.test(candidate.change)) yield candidate;
  for (const candidate of lessStock(d)) if (/ → [01]$/.test(candidate.change)) yield candidate;
  for (const candidate of fewerLines(d)) if (/count \d+ → 1$/.test(candidate.change)) yield candidate;
}

function* fewerSteps(d: ScenarioDocument): Generator<Candidate> {
  for (const step of d.when) {
    if ("wait" in step) continue;
    const names = isCase(step) ? [step.name] : step.together.map((c) => c.name);
    if (names.length === casesOfDocument(d).length) continue;
    yield { document: withoutCases(d, names), change: `without step ${names.join(" + ")}` };
  }
  for (const step of d.when) {
    if (!("together" in step)) continue;
    for (const c of step.together) yield { document: withoutCases(d, [c.name]), change: `without case ${c.name}` };
  }
}

type RawWait = Extract<RawStep, { wait: unknown }>["wait"];

/** A wait half as long ("2s" → "1000ms"); null for a wait in ttl units or one already under 2 ms. */
function halfWait(wait: RawWait): RawWait | null {
  const half = (text: string) => {
    try {
      return Math.floor(parseDuration(text) / 2);
    } catch {
      return null;
    }
  };
  if (typeof wait === "string") {
    const ms = half(wait);
    return ms === null || ms < 1 ? null : `${ms}ms`;
  }
  const [from, to] = [half(wait.from), half(wait.to)];
  return from === null || to === null || to < 1 ? null : { from: `${from}ms`, to: `${to}ms` };
}

function* shorterWaits(d: ScenarioDocument): Generator<Candidate> {
  for (const [i, step] of d.when.entries()) {
    if (!("wait" in step)) continue;
    const c = cloneDocument(d);
    c.when.splice(i, 1);
    yield { document: c, change: `without wait ${JSON.stringify(step.wait)}` };
    const halved = halfWait(step.wait);
    if (halved !== null) {
      const h = cloneDocument(d);
      h.when[i] = { wait: halved };
      yield { document: h, change: `wait ${JSON.stringify(step.wait)} → ${JSON.stringify(halved)}` };
    }
  }
  for (const [i, traffic] of traffics(d).entries()) {
    if (traffic.concurrency !== undefined) {
      for (const n of smallerValues(traffic.concurrency, 1)) {
        const c = cloneDocument(d);
        (traffics(c)[i] as RawTraffic).concurrency = n;
        yield { document: c, change: `concurrency ${traffic.concurrency} → ${n}` };
      }
    }
    if (traffic.shape === "rate") {
      const c = cloneDocument(d);
      Object.assign(traffics(c)[i] as RawTraffic, { shape: "burst" });
      const t = traffics(c)[i] as RawTraffic;
      delete t.duration;
      delete t.maxInFlight;
      yield { document: c, change: "rate → burst (no spread)" };
    }
  }
}

function* fewerLines(d: ScenarioDocument): Generator<Candidate> {
  for (const kase of casesOfDocument(d)) {
    const lines = kase.reserve ?? [];
    for (const [j, line] of lines.entries()) {
      if (lines.length > 1) {
        const c = cloneDocument(d);
        const target = casesOfDocument(c).find((x) => x.name === kase.name) as RawCase;
        target.reserve = lines.filter((_, k) => k !== j).map((l) => ({ ...l }));
        yield { document: c, change: `${kase.name} without its line of SKU ${line.sku}` };
      }
      for (const count of smallerValues(line.count, 1)) {
        const c = cloneDocument(d);
        const target = casesOfDocument(c).find((x) => x.name === kase.name) as RawCase;
        (target.reserve as { count: number }[])[j] = { ...line, count };
        yield { document: c, change: `${kase.name}: SKU ${line.sku} count ${line.count} → ${count}` };
      }
    }
  }
}

function* lessStock(d: ScenarioDocument): Generator<Candidate> {
  for (const [i, sku] of d.given.skus.entries()) {
    for (const stock of smallerValues(sku.stock, 0)) {
      const c = cloneDocument(d);
      (c.given.skus[i] as { stock: number }).stock = stock;
      yield { document: c, change: `SKU ${sku.productStockId} stock ${sku.stock} → ${stock}` };
    }
  }
}

function* fewerUsers(d: ScenarioDocument): Generator<Candidate> {
  if (d.given.users.length < 2) return;
  for (const [i, user] of d.given.users.entries()) {
    const c = cloneDocument(d);
    c.given.users.splice(i, 1);
    yield { document: c, change: `without user ${user.name ?? user.username}` };
  }
}

/** One kind of cut: the smaller documents it makes from `d`, biggest cut first. */
export interface ShrinkPass {
  readonly name: string;
  readonly candidates: (d: ScenarioDocument) => Iterable<Candidate>;
}

const pass = (name: string, make: (d: ScenarioDocument) => Generator<Candidate>): ShrinkPass => ({
  name,
  *candidates(d) {
    for (const candidate of make(d)) yield { ...candidate, document: tidy(candidate.document) };
  },
});

/**
 * The passes, in the order the search runs them: the cuts that remove most requests first (one
 * phase, every number to its floor, fewer steps and cases, fewer rounds), then the ones that make
 * what is left simpler (waits, lines and units, stock, users). Every candidate is tidied.
 */
export const shrinkPasses: readonly ShrinkPass[] = [
  pass("phases", onePhase),
  pass("floors", floors),
  pass("steps", fewerSteps),
  pass("rounds", fewerRounds),
  pass("waits", shorterWaits),
  pass("lines", fewerLines),
  pass("stock", lessStock),
  pass("users", fewerUsers),
];
