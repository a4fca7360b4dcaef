import { defineCommand } from "citty";
import { resolveServeSettings, type ServeSettings } from "../config/serve-settings.js";
import { StartRefused, startReference } from "../server/start.js";

export const serveCommand = defineCommand({
  meta: {
    name: "serve",
    description: "Run the reference server on its embedded SQLite, seeded with the demo catalog and users.",
  },
  args: {
    port: { type: "string", description: "Port to listen on (0: any free port) [STOCKPROOF_PORT, default 8080]" },
    host: { type: "string", description: "Host to bind [STOCKPROOF_HOST, default 127.0.0.1]" },
    db: { type: "string", description: "SQLite file, or :memory: [STOCKPROOF_DB, default stockproof.db]" },
    workers: {
      type: "string",
      description: "Server processes sharing the port and DB file [STOCKPROOF_WORKERS, default 1]",
    },
    catalog: {
      type: "string",
      description: "Catalog JSON file to seed and reset to [STOCKPROOF_CATALOG, default: the demo catalog]",
    },
    users: { type: "string", description: "Users JSON file [STOCKPROOF_USERS, default: the demo users]" },
    "admin-key": {
      type: "string",
      description:
        "Key of the test-control API, at least 12 characters [STOCKPROOF_ADMIN_KEY, default stockproof-admin on loopback]",
    },
    admin: {
      type: "boolean",
      default: true,
      description: "Serve the test-control API (--no-admin turns it off) [STOCKPROOF_NO_ADMIN=1]",
    },
    "hold-ttl": {
      type: "string",
      description: "Expire unpaid reservations after e.g. 15m, from 100ms to 30d [STOCKPROOF_HOLD_TTL, default off]",
    },
    "token-secret": { type: "string", description: "HS256 signing secret [STOCKPROOF_TOKEN_SECRET]" },
    fresh: {
      type: "boolean",
      description:
        "Reset the database to the catalog on start; refused while another process has it open [STOCKPROOF_FRESH=1]",
    },
    "log-every": { type: "string", description: "Log one request in N (0: none) [STOCKPROOF_LOG_EVERY, default 0]" },
    "group-commit": {
      type: "boolean",
      default: true,
      description:
        "Share one SQLite transaction among reservations arriving together [STOCKPROOF_GROUP_COMMIT=0 turns it off]",
    },
    "background-checkpoint": {
      type: "boolean",
      default: true,
      description:
        "Checkpoint the SQLite WAL from a background thread, not inside commits [STOCKPROOF_BACKGROUND_CHECKPOINT=0 turns it off]",
    },
    cors: {
      type: "string",
      description:
        'Browser origins allowed cross-origin, comma-separated: origins, "loopback" or "*"; --no-cors turns CORS off [STOCKPROOF_CORS, default loopback: http://localhost:*, 127.0.0.1:*, [::1]:*]',
    },
  },
  async run({ args }) {
    // Operator errors end here, in one place: a bad flag exits 2, a start that cannot happen (port
    // taken, database in use) exits 1; both print one line and change nothing.
    let settings: ServeSettings;
    try {
      settings = resolveServeSettings({
        port: args.port,
        host: args.host,
        db: args.db,
        workers: args.workers,
        catalog: args.catalog,
        users: args.users,
        adminKey: args["admin-key"],
        admin: args.admin,
        holdTtl: args["hold-ttl"],
        tokenSecret: args["token-secret"],
        fresh: args.fresh,
        logEvery: args["log-every"],
        groupCommit: args["group-commit"],
        backgroundCheckpoint: args["background-checkpoint"],
        cors: args.cors as string | boolean | undefined,
      });
    } catch (error) {
      console.error((error as Error).message);
      process.exit(2);
    }
    try {
      await startReference(settings);
    } catch (error) {
      if (!(error instanceof StartRefused)) throw error;
      console.error(error.message);
      process.exit(1);
    }
  },
});
