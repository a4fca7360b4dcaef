/**
 * The checkout web app's view of the API: the few calls it makes and what it reads from each answer.
 * The consumer contracts are written against this module, so they record what the app relies on.
 * It builds its requests with the published client's helpers (`stockproof/client`), as an app may.
 */

import { cancelPath, pathTemplates, payPath, reservePath } from "../src/verify/client/paths.js";
import { reserveParameters, stockLineData } from "../src/verify/client/reserve-query.js";

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

export interface OrderView {
  readonly paymentOrderId: string;
  readonly status: "RESERVED" | "PAID" | "CANCELLED" | "EXPIRED";
  readonly lines: readonly { readonly productStockId: number; readonly count: number }[];
}

/** A refusal the app shows to the shopper; `shortSkus` lists what sold out. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly shortSkus: readonly number[];
}

export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

export interface CartLine {
  readonly productStockId: number;
  readonly orderCount: number;
}

export interface CheckoutClientOptions {
  readonly baseUrl: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly fetch?: typeof fetch;
}

async function refusal(response: Response): Promise<Refusal> {
  const body = (await response.json()) as {
    code?: string;
    error?: string;
    detail?: string;
    shortages?: { productStockId: number }[];
  };
  return {
    status: response.status,
    code: body.code ?? body.error ?? "UNKNOWN",
    detail: body.detail ?? "",
    shortSkus: (body.shortages ?? []).map((s) => s.productStockId),
  };
}

export function createCheckoutClient(options: CheckoutClientOptions) {
  const send = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/$/, "");
  const client = { client_id: options.clientId ?? "clientapp", client_secret: options.clientSecret ?? "secret" };

  const token = async (fields: Record<string, string>): Promise<Answer<Tokens>> => {
    const response = await send(`${base}${pathTemplates.token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, ...client }).toString(),
    });
    if (!response.ok) return { ok: false, refusal: await refusal(response) };
    const body = (await response.json()) as { access_token: string; refresh_token: string; expires_in: number };
    return {
      ok: true,
      value: { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in },
    };
  };

  const order = async (
    method: "GET" | "DELETE",
    path: string,
    accessToken: string | null,
  ): Promise<Answer<OrderView>> => {
    const headers: Record<string, string> = accessToken === null ? {} : { authorization: `Bearer ${accessToken}` };
    const response = await send(`${base}${path}`, { method, headers });
    if (!response.ok) return { ok: false, refusal: await refusal(response) };
    const body = (await response.json()) as OrderView;
    return {
      ok: true,
      value: {
        paymentOrderId: body.paymentOrderId,
        status: body.status,
        lines: body.lines.map((l) => ({ productStockId: l.productStockId, count: l.count })),
      },
    };
  };

  return {
    login: (username: string, password: string) => token({ grant_type: "password", username, password }),
    refresh: (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken }),
    /** Reserve the cart's lines for a payment; `customData` is sent exactly as given when present. */
    reserve(
      accessToken: string | null,
      paymentOrderId: string,
      cart: readonly CartLine[] | { readonly customData: string },
      amount = "3000",
    ) {
      const customData = "customData" in cart ? cart.customData : stockLineData(cart);
      const query = reserveParameters({ amount, timestamp: "20210621", paymentOrderId, customData });
      return order("GET", reservePath(query), accessToken);
    },
    pay: (accessToken: string | null, paymentOrderId: string) => order("GET", payPath(paymentOrderId), accessToken),
    cancel: (accessToken: string | null, paymentOrderId: string) =>
      order("DELETE", cancelPath(paymentOrderId), accessToken),
  };
}

export type CheckoutClient = ReturnType<typeof createCheckoutClient>;
