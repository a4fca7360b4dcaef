/**
 * @module
 * `stockproof conform`: drives every operation through Prism's validation proxy and reports spec violations.
 */

import { defaultAdminKey, demoClient, demoSku, demoUsers } from "../base/config/defaults.js";
import { UsageError } from "../base/config/errors.js";
import type { OptionTable } from "../base/config/options.js";
import {
  demoClientText,
  demoUsersText,
  parseClientOption,
  parseIntegerOption,
  parseTargetOption,
  parseUsersOption,
  vocabulary,
} from "../base/config/vocabulary.js";
import { jsonText, writeReportFile } from "../base/report-kit/write.js";
import { runConformance } from "../verify/contract/conformance.js";
import { type DriveSettings, demoDriveSettings } from "../verify/contract/conformance-drive.js";
import { checkDriveSku } from "../verify/contract/sku-check.js";
import { preflight } from "../verify/probe/preflight.js";
import { conformanceJunit } from "../verify/report/conformance/junit.js";
import { formatReport, summarize } from "../verify/report/conformance/report.js";
import { defineCliCommand } from "./command.js";

const conformOptions = {
  target: vocabulary.target,
  "admin-key": {
    ...vocabulary["admin-key"],
    description: "X-Admin-Key of the target's test-control API; conform then resets it and sets the SKU's stock",
    defaultText: "none: only the public API is driven",
  },
  users: {
    ...vocabulary.users,
    description: "The buyer and a second user (for another user's order), as buyer=USER:PASSWORD,other=USER:PASSWORD",
    defaultText: demoUsersText,
  },
  user: { type: "string", valueHint: "USER:PASSWORD", description: "The buyer (older spelling of --users buyer=…)" },
  "other-user": {
    type: "string",
    valueHint: "USER:PASSWORD",
    description: "The second user, or none to skip its case (older spelling of --users other=…)",
  },
  client: { ...vocabulary.client, defaultText: demoClientText },
  sku: {
    type: "string",
    valueHint: "ID",
    description: "productStockId every reservation takes",
    default: String(demoSku.productStockId),
  },
  "product-info": {
    type: "string",
    valueHint: "PRODUCT/COLOR/SIZE",
    description: "That SKU as productId/color/size for the productInfoList case",
    defaultText: `${demoSku.productId}/${demoSku.color}/${demoSku.size}`,
  },
  burst: {
    type: "string",
    valueHint: "N",
    description: "Simultaneous one-unit reservations in the burst",
    default: "100",
  },
  "burst-stock": {
    type: "string",
    valueHint: "N",
    description: "Units the burst is set up against (with --admin-key)",
    default: "50",
  },
  json: vocabulary.json,
  junit: vocabulary.junit,
  progress: vocabulary.progress,
} as const satisfies OptionTable;

const credential = (source: string, text: string) => {
  const [user] = parseUsersOption(source, text);
  return { username: user?.username ?? "", password: user?.password ?? "" };
};

export const conformCommand = defineCliCommand({
  name: "conform",
  description:
    "Drive every operation (success, each error path and a seed-3-1 burst) against a server through Prism's validation proxy and report each spec violation.",
  options: conformOptions,
  examples: [
    `stockproof conform --target http://127.0.0.1:8080 --admin-key ${defaultAdminKey} --junit conform.xml`,
    "stockproof conform --target https://dev.example.com --users buyer=me@shop:pw,other=none --sku 1001 --product-info 77/RED/M",
  ],
  async run({ values, from }, io) {
    const target = parseTargetOption(from.target, values.target);
    let buyer: DriveSettings["buyer"] = { username: demoUsers[0].username, password: demoUsers[0].password };
    let other: DriveSettings["other"] = { username: demoUsers[1].username, password: demoUsers[1].password };
    if (values.users !== undefined) {
      // "other=none" skips the second user's case. A buyer of your own without an other skips it too:
      // the demo other user would not exist on your server.
      const entries = values.users.split(",").map((e) => e.trim());
      const skipOther = entries.includes("other=none");
      const rest = entries.filter((e) => e !== "other=none" && e !== "").join(",");
      const given = rest === "" ? [] : parseUsersOption(from.users, rest);
      const pick = (alias: string, index: number) =>
        given.find((u) => u.alias === alias) ?? given.filter((u) => u.alias === null)[index];
      const b = pick("buyer", 0);
      const o = pick("other", 1);
      if (b !== undefined) buyer = { username: b.username, password: b.password };
      other =
        o !== undefined ? { username: o.username, password: o.password } : skipOther || given.length > 0 ? null : other;
    }
    if (values.user !== undefined) buyer = credential(from.user, values.user);
    if (values["other-user"] !== undefined)
      other = values["other-user"] === "none" ? null : credential(from["other-user"], values["other-user"]);
    const client = values.client === undefined ? demoClient : parseClientOption(from.client, values.client);
    const [productId, color, size] = (values["product-info"] ?? "").split("/");
    if (values["product-info"] !== undefined && (color === undefined || size === undefined))
      throw new UsageError(`${from["product-info"]} takes PRODUCT_ID/COLOR/SIZE (got "${values["product-info"]}")`);
    const settings: DriveSettings = {
      ...demoDriveSettings,
      buyer,
      other,
      client: { id: client.id, secret: client.secret },
      adminKey: values["admin-key"] ?? null,
      sku: {
        productStockId: parseIntegerOption(from.sku, values.sku, 1, Number.MAX_SAFE_INTEGER),
        productId:
          productId === undefined || productId === ""
            ? demoSku.productId
            : parseIntegerOption(from["product-info"], productId, 1, Number.MAX_SAFE_INTEGER),
        color: color ?? demoSku.color,
        size: size ?? demoSku.size,
      },
      burst: {
        reservations: parseIntegerOption(from.burst, values.burst, 1, 4096),
        stock: parseIntegerOption(from["burst-stock"], values["burst-stock"], 1, 1_000_000),
      },
      runId: Date.now().toString(36),
    };
    // Before Prism starts: the target answers, the users and client log in, the key is taken, the SKU has stock.
    await preflight({
      target,
      client: settings.client,
      users: [settings.buyer, ...(settings.other === null ? [] : [settings.other])],
      adminKey: settings.adminKey,
      adminRequired: settings.adminKey !== null,
    });
    await checkDriveSku(target, settings);
    let done = 0;
    let violating = 0;
    const run = await runConformance({
      target,
      settings,
      onExchange: (e) => {
        done += 1;
        if (e.violations.length > 0) violating += 1;
        if (values.progress && done % 25 === 0) io.err(`… ${done} exchanges, ${violating} violating`);
      },
    });
    const report = summarize(run);
    io.out(formatReport(report));
    if (values.json !== undefined) {
      writeReportFile(values.json, jsonText(report));
      io.out(`wrote ${values.json}`);
    }
    if (values.junit !== undefined) {
      writeReportFile(values.junit, conformanceJunit(report));
      io.out(`wrote ${values.junit}`);
    }
    return report.violatingExchanges > 0 ? 1 : 0;
  },
});
