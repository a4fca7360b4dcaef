import { writeFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { runConformance } from "../contract/conformance.js";
import { type DriveSettings, demoDriveSettings } from "../contract/conformance-drive.js";
import { formatReport, summarize } from "../contract/conformance-report.js";

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1 (got ${text}).`);
  return value;
}

function credentials(name: string, text: string | undefined, fallback: DriveSettings["buyer"] | null) {
  if (text === undefined) return fallback;
  if (text === "none") return null;
  const at = text.indexOf(":");
  if (at < 1) throw new Error(`--${name} takes USERNAME:PASSWORD (got ${text}).`);
  return { username: text.slice(0, at), password: text.slice(at + 1) };
}

export const conformCommand = defineCommand({
  meta: {
    name: "conform",
    description:
      "Drive every operation (success, each error path and a seed-3-1 burst) against a server through Prism's validation proxy and report each spec violation.",
  },
  args: {
    target: {
      type: "string",
      required: true,
      description: "Base URL of the server under test, e.g. http://127.0.0.1:8080",
    },
    "admin-key": {
      type: "string",
      description: "X-Admin-Key of its test-control API; without it only the public API is driven (no stock set-up)",
    },
    user: { type: "string", description: "USERNAME:PASSWORD of the buyer [buyer@example.com:buyer-password]" },
    "other-user": {
      type: "string",
      description: "USERNAME:PASSWORD of a second user, or none [other@example.com:other-password]",
    },
    client: { type: "string", description: "OAuth CLIENT_ID:SECRET [clientapp:secret]" },
    sku: { type: "string", description: "productStockId every reservation takes [311191]" },
    "product-info": {
      type: "string",
      description: "That SKU as productId/color/size for the productInfoList case [219622/BLACK/L]",
    },
    burst: { type: "string", description: "Simultaneous one-unit reservations in the burst [100]" },
    "burst-stock": { type: "string", description: "Units the burst is set up against (with --admin-key) [50]" },
    json: { type: "string", description: "Also write the report as JSON to this file" },
  },
  async run({ args }) {
    const buyer = credentials("user", args.user, demoDriveSettings.buyer);
    if (buyer === null) throw new Error("--user cannot be none: the drive needs a user to log in as.");
    const client = credentials("client", args.client, null);
    const [productId, color, size] = (args["product-info"] ?? "").split("/");
    const settings: DriveSettings = {
      ...demoDriveSettings,
      buyer,
      other: credentials("other-user", args["other-user"], demoDriveSettings.other),
      client: client === null ? demoDriveSettings.client : { id: client.username, secret: client.password },
      adminKey: args["admin-key"] ?? null,
      sku:
        args.sku === undefined && args["product-info"] === undefined
          ? demoDriveSettings.sku
          : {
              productStockId: positiveInteger("sku", args.sku ?? String(demoDriveSettings.sku.productStockId)),
              productId: positiveInteger("product-info", productId || String(demoDriveSettings.sku.productId)),
              color: color ?? demoDriveSettings.sku.color,
              size: size ?? demoDriveSettings.sku.size,
            },
      burst: {
        reservations: positiveInteger("burst", args.burst ?? "100"),
        stock: positiveInteger("burst-stock", args["burst-stock"] ?? "50"),
      },
      runId: Date.now().toString(36),
    };
    let done = 0;
    const run = await runConformance({
      target: args.target,
      settings,
      onExchange: (e) => {
        done += 1;
        if (e.violations.length > 0) process.stderr.write(`✗ ${e.operationId} ${e.response.status} — ${e.label}\n`);
        else if (done % 25 === 0) process.stderr.write(`… ${done} exchanges\n`);
      },
    });
    const report = summarize(run);
    process.stdout.write(`${formatReport(report)}\n`);
    if (args.json !== undefined) await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`);
    if (report.violatingExchanges > 0) process.exitCode = 1;
  },
});
