/**
 * @module
 * What the drive needs to know about the server under test, with the demo data as defaults.
 */

import { type CatalogueSettings, demoSettings } from "../calls/index.js";

/** What the drive needs to know about the server under test. Defaults: the demo data. */
export interface DriveSettings extends CatalogueSettings {
  /** The seed-3-1 burst: this many simultaneous one-unit reservations (then pay) against `stock` units. */
  readonly burst: { readonly reservations: number; readonly stock: number };
  /** Makes this run's paymentOrderIds unique on servers that keep data between runs. */
  readonly runId: string;
}

export const demoDriveSettings: Omit<DriveSettings, "runId"> = {
  ...demoSettings,
  burst: { reservations: 100, stock: 50 },
};
