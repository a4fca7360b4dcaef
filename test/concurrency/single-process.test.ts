import { spawnServe } from "./spawned.js";
import { describeConcurrency } from "./suite.js";

describeConcurrency("`stockproof serve` (one process, group commit) on a SQLite file", () => spawnServe([]));
