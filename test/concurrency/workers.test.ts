import { spawnServe } from "./spawned.js";
import { describeConcurrency } from "./suite.js";

describeConcurrency("`stockproof serve --workers 2` on one SQLite file", () => spawnServe(["--workers", "2"]));
