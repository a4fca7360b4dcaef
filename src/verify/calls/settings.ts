/**
 * @module
 * What the catalogue's calls need to know about the server under test, with the demo data as defaults.
 */

import { defaultAdminKey, demoClient, demoSku, demoUsers } from "../../base/config/defaults.js";

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** What the catalogue's calls need to know about the server under test. Defaults: the demo data. */
export interface CatalogueSettings {
  readonly client: { readonly id: string; readonly secret: string };
  readonly buyer: Credentials;
  /** A second user, for "another user's order answers 404"; null leaves those calls out. */
  readonly other: Credentials | null;
  /** Key of the test-control API; null leaves its calls out (no stock set-up, no snapshot). */
  readonly adminKey: string | null;
  /** The SKU every reservation takes, and how its product is named in productInfoList. */
  readonly sku: {
    readonly productStockId: number;
    readonly productId: number;
    readonly color: string;
    readonly size: string;
  };
  /** A productStockId the server does not know. */
  readonly unknownSku: number;
}

const credentialsOf = ({ username, password }: Credentials): Credentials => ({ username, password });

export const demoSettings: CatalogueSettings = {
  client: { id: demoClient.id, secret: demoClient.secret },
  buyer: credentialsOf(demoUsers[0]),
  other: credentialsOf(demoUsers[1]),
  adminKey: defaultAdminKey,
  sku: { ...demoSku },
  unknownSku: 999_999_999,
};

/** The amount and day every catalogue reservation carries (the seed's sample day). */
export const fixedReserveFields = { amount: "3000", timestamp: "20210621" } as const;
