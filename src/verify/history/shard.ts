/** The shard type under its former path: the shard helpers live in scenario/shard.ts (the runner sends a shard's share). */
export type { Shard } from "../scenario/shard.js";
