/**
 * The catalogue of calls: every request the suites send to the API, the state it needs and the
 * reference's answer. The behaviour matrix, the conformance drive (`stockproof conform`), the Pact
 * provider states and the MSW differential all read it, so a call's expected status is written here only.
 */
import { type CallCase, caseName, type OperationId } from "./case.js";
import { adminCases } from "./cases/admin.js";
import { cancelCases, payCases } from "./cases/orders.js";
import { pageCheckCases } from "./cases/page-checks.js";
import { reserveCases } from "./cases/reserve.js";
import { reserveInputCases } from "./cases/reserve-input.js";
import { testControlCases } from "./cases/test-control.js";
import { tokenCases } from "./cases/token.js";

export * from "./case.js";
export { reset, setStock, snapshot } from "./cases/admin.js";
export { cancel, pay } from "./cases/orders.js";
export { outOfStock, reserve } from "./cases/reserve.js";
export { login, otherLogin, readOnlyLogin, refresh } from "./cases/token.js";
export { type CatalogueSettings, type Credentials, demoSettings, fixedReserveFields } from "./settings.js";

export const catalogue: readonly CallCase[] = [
  ...tokenCases,
  ...reserveCases,
  ...reserveInputCases,
  ...payCases,
  ...cancelCases,
  ...adminCases,
  ...pageCheckCases,
  ...testControlCases,
];

/** A status the spec declares that no call of the catalogue produces, and why none can. */
export interface Exemption {
  readonly operationId: OperationId;
  readonly status: number;
  readonly reason: string;
}

export const exemptions: readonly Exemption[] = [
  {
    operationId: "getSnapshot",
    status: 503,
    reason:
      "the snapshot is one WAL read transaction, and WAL readers never wait for the write lock; " +
      "the status stays declared for stores whose reads can be refused",
  },
];

/** The catalogue's call by its name (`operationId: says`); throws for a name it does not have. */
export function callNamed(name: string): CallCase {
  const found = catalogue.find((c) => caseName(c) === name);
  if (found === undefined) throw new Error(`No call "${name}" in the catalogue`);
  return found;
}
