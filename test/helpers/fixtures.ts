import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import type { Scenario } from "../../src/verify/scenario/types.js";

/**
 * The scenario files and `check` command lines the tests write again and again, built in one place:
 * the reference's demo SKU, buyer and client, so a test states only what its case is about.
 */

export interface ScenarioFixture {
  readonly name: string;
  /** Units of the one SKU at the start. */
  readonly stock: number;
  /** The SKU's productStockId (and productId); 800001 is the reference's demo SKU. */
  readonly sku?: number;
  readonly productName?: string;
  /** given.stock: how the runner sets and reads it (`admin`, the test-control API; `declared`, as given). */
  readonly stockSource?: "admin" | "declared";
  /** given.client: the reference's demo client, for scenarios that log in with a client id. */
  readonly client?: boolean;
  /** given.traffic as a YAML flow mapping, e.g. `{ shape: burst, rounds: 5 }`. */
  readonly traffic: string;
  /** given.limits as a YAML flow mapping. */
  readonly limits?: string;
  /** The steps of `when:`, one YAML flow item each; the default takes one unit of the SKU. */
  readonly steps?: readonly string[];
  /** `then: counts: model, finalStock: model`: judge the counts and the final stock against the model. */
  readonly model?: boolean;
}

/** `- { name: take, reserve: [{ sku: SKU, count: 1 }] }`: one unit of the SKU, the step most scenarios start with. */
export const reserveOne = (name: string, sku = 800001) => `{ name: ${name}, reserve: [{ sku: ${sku}, count: 1 }] }`;

/**
 * A scenario file for one SKU and the demo buyer, e.g.
 * `scenarioYaml({ name: "holds", stock: 5, stockSource: "admin", client: true, traffic: "{ shape: sequential, rounds: 3 }", model: true })`.
 */
export function scenarioYaml(fixture: ScenarioFixture): string {
  const sku = fixture.sku ?? 800001;
  const lines = [
    `name: ${fixture.name}`,
    "given:",
    `  skus: [{ productStockId: ${sku}, productId: ${sku}, productName: ${fixture.productName ?? "A"}, color: NONE, size: FREE, salePrice: 1000, stock: ${fixture.stock} }]`,
    ...(fixture.stockSource === undefined ? [] : [`  stock: ${fixture.stockSource}`]),
    "  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]",
    ...(fixture.client === true ? ["  client: { id: clientapp, secret: secret }"] : []),
    `  traffic: ${fixture.traffic}`,
    ...(fixture.limits === undefined ? [] : [`  limits: ${fixture.limits}`]),
    "when:",
    ...(fixture.steps ?? [reserveOne("take", sku)]).map((step) => `  - ${step}`),
    ...(fixture.model === true ? ["then:", "  counts: model", "  finalStock: model"] : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** Parses scenario YAML written by a test, which must load: a test's own fixture that does not is a bug in the test. */
export function loadedScenario(yaml: string, file = "inline.yaml"): Scenario {
  const parsed = parseScenario(yaml, file);
  if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
  return parsed.value;
}

/** The flags of `check` the tests pass; written in the order given, a `true` as a bare flag. */
export interface CheckFlags {
  readonly target?: string;
  readonly finalStock?: string;
  readonly snapshot?: string;
  readonly probe?: true;
  readonly holdTtl?: string;
  readonly json?: string;
}

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * `stockproof check SCENARIO --history H[,H…] FLAGS…` as an argument list, e.g.
 * `checkArgs(file, history, { target: reference.url })`.
 */
export function checkArgs(scenario: string, histories: string | readonly string[], flags: CheckFlags = {}): string[] {
  const history = typeof histories === "string" ? histories : histories.join(",");
  const rest = Object.entries(flags).flatMap(([key, value]) =>
    value === undefined ? [] : value === true ? [flagOf(key)] : [flagOf(key), String(value)],
  );
  return ["check", scenario, "--history", history, ...rest];
}
