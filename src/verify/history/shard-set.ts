/**
 * @module
 * Refuses a sharded run with a shard missing: it is judged whole or not at all.
 */

import type { History } from "./format.js";

/**
 * A sharded run is judged whole or not at all: a shard left out would count its rounds as never
 * sent while the stock shows them taken. Per phase, stockproof's shard histories must be every
 * shard of one count, i from 0 to N−1. Null when they are.
 */
export function missingShards(histories: readonly History[]): string | null {
  const byPhase = new Map<number, { count: number; index: number; file: string }[]>();
  for (const h of histories) {
    if (h.header.source !== "stockproof" || h.header.shard.count <= 1) continue;
    const phases = new Set([...h.phases.map((p) => p.index), ...h.observations.map((o) => o.ph)]);
    for (const phase of phases) {
      const list = byPhase.get(phase) ?? [];
      list.push({ ...h.header.shard, file: h.file });
      byPhase.set(phase, list);
    }
  }
  for (const [phase, shards] of byPhase) {
    const counts = [...new Set(shards.map((s) => s.count))];
    if (counts.length > 1)
      return `Phase ${phase}'s histories come from shardings of different sizes (${shards.map((s) => `${s.file}: shard ${s.index}/${s.count}`).join(", ")}): give the histories of one sharded run.`;
    const count = counts[0] as number;
    const present = new Set(shards.map((s) => s.index));
    const absent = Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
    if (absent.length > 0)
      return `Phase ${phase} ran in ${count} shards, but the histories of shard${absent.length > 1 ? "s" : ""} ${absent.map((i) => `${i}/${count}`).join(", ")} are not given (${shards.map((s) => `${s.file} is ${s.index}/${count}`).join(", ")}): their rounds would count as never sent while the stock shows them taken. Give every shard's history.`;
  }
  return null;
}
