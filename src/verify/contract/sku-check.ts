/**
 * @module
 * Checks before the drive that the SKU it reserves exists on the target with stock, and says how to fix it.
 */

import { request } from "undici";
import { CannotJudge } from "../../base/config/errors.js";
import type { DriveSettings } from "./drive-settings.js";

async function call(
  url: URL,
  init: { method: "GET" | "POST" | "DELETE"; headers: Record<string, string>; body?: string },
) {
  const response = await request(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.body.text();
  let code: string | null = null;
  try {
    const parsed = JSON.parse(text) as { code?: unknown; access_token?: unknown };
    if (typeof parsed.code === "string") code = parsed.code;
  } catch {
    // Not JSON: the status says enough.
  }
  return { status: response.statusCode, code, text };
}

/**
 * Before the drive: does the SKU it reserves exist on the target, with stock? Without the
 * test-control API conform cannot set it, and every success path after a refused first
 * reservation would fail as a consequence. Checked with one reservation of one unit, cancelled at
 * once (the unit comes back). With --admin-key the drive sets the stock itself: nothing to check.
 */
export async function checkDriveSku(target: string, settings: DriveSettings): Promise<void> {
  if (settings.adminKey !== null) return;
  const base = target.endsWith("/") ? target : `${target}/`;
  const url = (path: string) => new URL(path.replace(/^\//, ""), base);
  const login = await call(url("/oauth/token"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "password",
      ...settings.buyer,
      client_id: settings.client.id,
      client_secret: settings.client.secret,
    }).toString(),
  });
  const token = (JSON.parse(login.text) as { access_token?: string }).access_token ?? "";
  const auth = { authorization: `Bearer ${token}`, accept: "application/json" };
  const id = `conform-${settings.runId}-sku-check`;
  const sku = settings.sku.productStockId;
  const reserve = await call(
    url(
      `/orders/payment/choice?${new URLSearchParams({
        storeId: "itsdcode",
        merchantId: "itsdcode",
        amount: "3000",
        timestamp: "20210621",
        paymentOrderId: id,
        customData: JSON.stringify({
          productInfoList: null,
          productStockList: [{ productStockId: sku, orderCount: 1 }],
        }),
      })}`,
    ),
    { method: "GET", headers: auth },
  );
  if (reserve.status >= 200 && reserve.status < 300) {
    await call(url(`/orders/payment/cancel/${encodeURIComponent(id)}`), { method: "DELETE", headers: auth });
    return;
  }
  const said = `${reserve.status}${reserve.code === null ? "" : ` ${reserve.code}`}`;
  const fix = `pass --sku (and --product-info) of a SKU with at least ${settings.burst.stock} units on the target, or --admin-key so conform sets its stock`;
  if (reserve.code === "OUT_OF_STOCK")
    throw new CannotJudge(`SKU ${sku} has no stock on the target (a one-unit reservation answered ${said})`, fix);
  if (reserve.code === "UNKNOWN_SKU" || reserve.status === 404)
    throw new CannotJudge(`SKU ${sku} does not exist on the target (a one-unit reservation answered ${said})`, fix);
  throw new CannotJudge(
    `a one-unit reservation of SKU ${sku} was refused with ${said}: ${reserve.text.slice(0, 160)}`,
    `${fix}; check the reservation parameters the target expects`,
  );
}
