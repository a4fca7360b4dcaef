import { it } from "vitest";
import { expiringShop } from "../audit/servers/expiring-shop.js";
import { audit, devReset, devSnapshot, verdicts } from "../audit/support.js";
import { startBrokenShop } from "../helpers/broken-shop.js";

it("probe", async () => {
  for (let i = 0; i < 12; i++) {
    const shop = await startBrokenShop({
      ledger: expiringShop({ fault: "never-sweeps", ttlMs: 500 }),
      stockApi: "own",
    });
    const url = shop.url;
    const report = await audit({
      target: url,
      setup: devReset(url),
      snapshot: devSnapshot(url),
      scenarios: ["expiry"],
      holdTtlMs: 500,
    });
    const p = report.scenarios[0]!.phases[0]!;
    const run = p.result.phases[0]!;
    const ttl = p.result.scenario.holdTtl!;
    const reserves = run.observations.filter((o) => o.request.kind === "reserve");
    const last = reserves.reduce((m, o) => Math.max(m, o.endedAt ?? 0), 0);
    const target = last + ttl.ttlMs + ttl.graceMs;
    const open = reserves.filter((o) => (o.endedAt ?? 0) + ttl.ttlMs + ttl.graceMs > (run.settledAt ?? 0)).length;
    console.log(
      i,
      verdicts(report)["hold-expiry"],
      "settled-target",
      ((run.settledAt ?? 0) - target).toFixed(3),
      "open",
      open,
      "of",
      reserves.length,
      "spread last6",
      reserves
        .map((o) => o.endedAt ?? 0)
        .sort((a, b) => b - a)
        .slice(0, 6)
        .map((x) => (last - x).toFixed(2))
        .join(","),
    );
    await shop.close();
  }
}, 120000);
