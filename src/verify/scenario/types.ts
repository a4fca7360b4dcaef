/** A scenario after loading: defaults applied, references resolved, durations in milliseconds. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The file it came from, or `builtin:<name>`. */
  readonly source: string;
  readonly skus: readonly ScenarioSku[];
  /** admin: the runner sets stock through PUT /__admin/stock; declared: an operator already set it. */
  readonly stockSetup: "admin" | "declared";
  readonly users: readonly ScenarioUser[];
  readonly client: { readonly id: string; readonly secret: string };
  readonly request: RequestSettings;
  readonly phases: readonly Phase[];
  /** One round: steps in order; a step of several cases fires them together. */
  readonly round: readonly Step[];
  readonly limits: { readonly requestTimeoutMs: number; readonly runTimeoutMs: number | null };
  /** How long the target keeps an unpaid hold (given.holdTtl or --hold-ttl); null: holds last for ever. */
  readonly holdTtl: HoldExpiry | null;
  /** `--hold-ttl never`: the target keeps every unpaid hold, so stock coming back is never put down to expiry. */
  readonly holdsNeverExpire?: boolean;
  readonly expectations: Expectations;
}

/**
 * A declared hold expiry. A hold sent at s and answered at e may be released at any instant in
 * [s + ttl − tolerance, e + ttl + grace]: the server's clock and its sweep interval are unknown.
 */
export interface HoldExpiry {
  readonly ttlMs: number;
  /** How long after ttl the server may take to release (its sweep interval, load). */
  readonly graceMs: number;
  /** How much earlier than ttl a release is still not early (clock granularity). */
  readonly toleranceMs: number;
}

/** The default grace: the reference sweeps every min(ttl, 1 s); a second more for a loaded host. */
export const defaultExpiryGraceMs = (ttlMs: number) => Math.min(ttlMs, 1000) + 1000;
export const expiryToleranceMs = 50;

export function holdExpiry(ttlMs: number, graceMs?: number): HoldExpiry {
  return { ttlMs, graceMs: graceMs ?? defaultExpiryGraceMs(ttlMs), toleranceMs: expiryToleranceMs };
}

export interface ScenarioSku {
  readonly productStockId: number;
  readonly stock: number;
  readonly productId: number;
  readonly productName: string;
  readonly color: string;
  readonly size: string;
  readonly salePrice: number;
}

export interface ScenarioUser {
  readonly name: string;
  readonly username: string;
  readonly password: string;
  readonly userId: number | null;
}

export interface RequestSettings {
  readonly storeId: string;
  readonly merchantId: string;
  /** "auto" (salePrice × count summed) or a fixed amount. */
  readonly amount: string;
  /** "today" (the run day, yyyyMMdd) or a fixed value. */
  readonly timestamp: string;
  readonly orderIdPrefix: string;
  readonly customData: {
    readonly shape: "seed" | "minimal";
    readonly lines: "productStockList" | "productInfoList" | "both";
    readonly fields: Readonly<Record<string, unknown>>;
  };
}

export type TrafficShape = "sequential" | "burst" | "rate" | "concurrency";

export interface Traffic {
  readonly shape: TrafficShape;
  readonly rounds: number;
  /** rate: the time the rounds are spread over, before --speed. */
  readonly durationMs: number | null;
  /** concurrency: rounds in flight. */
  readonly concurrency: number | null;
  /** rate: at most this many rounds at once (null: an open arrival rate, rounds may overlap). */
  readonly maxInFlight: number | null;
}

/** True when rounds never overlap, so every answer can be compared with the sequential model. */
export function isSerial(traffic: Traffic): boolean {
  return (
    traffic.shape === "sequential" ||
    (traffic.shape === "rate" && traffic.maxInFlight === 1) ||
    (traffic.shape === "concurrency" && traffic.concurrency === 1)
  );
}

export interface Phase {
  readonly name: string;
  readonly traffic: Traffic;
  /** Set every SKU back to its given stock before the phase. */
  readonly restock: boolean;
}

export interface ReserveLine {
  readonly sku: number;
  readonly count: number;
}

export type CaseAction =
  | { readonly kind: "reserve"; readonly lines: readonly ReserveLine[]; readonly orderKey: string }
  | { readonly kind: "pay" | "cancel"; readonly orderKey: string };

export interface Case {
  readonly name: string;
  /** A user alias, or null for the round's user. */
  readonly user: string | null;
  readonly action: CaseAction;
  /** Index of the step it belongs to in the round. */
  readonly step: number;
  /** True when the case is one of several fired together (its outcome depends on who wins). */
  readonly raced: boolean;
}

export interface Step {
  readonly cases: readonly Case[];
  /**
   * A pause before the step, spread linearly over the rounds: round 0 waits `from`, the last `to`;
   * in milliseconds, or (unit "ttl") in multiples of the declared hold TTL. Unit "release": TTL +
   * from…to × grace (`around-release`: −1…1), densest at the TTL, where a release is most likely.
   */
  readonly wait?: { readonly from: number; readonly to: number; readonly unit: "ms" | "ttl" | "release" } | null;
}

export type OutcomeCounts = Readonly<Record<string, number>>;

export interface Expectations {
  /** "model", or explicit counts per case and outcome (ok, OUT_OF_STOCK, …). */
  readonly counts: "model" | Readonly<Record<string, OutcomeCounts>>;
  /** "model", or the available units per SKU after the last phase. */
  readonly finalStock: "model" | Readonly<Record<number, number>>;
  /** 5xx answers, timeouts and network errors tolerated. */
  readonly allowIndeterminate: number;
  readonly thresholds: readonly string[];
}

/** Every case of a round, in order. */
export function casesOf(scenario: Pick<Scenario, "round">): Case[] {
  return scenario.round.flatMap((step) => step.cases);
}
