import { describe, expect, it } from "vitest";
import { resolveOptions } from "../../src/base/config/options.js";
import { auditCommand } from "../../src/cli/audit.js";
import { compareCommand } from "../../src/cli/compare.js";
import { runCommand } from "../../src/cli/run.js";

describe("environment variables mean one thing for every command", () => {
  const env = { STOCKPROOF_AUDIT_USERS: "buyer=qa1@dev.test:pw-one" };

  it("run and compare do not read audit's older STOCKPROOF_AUDIT_USERS (a dev server's users sent to the reference)", () => {
    for (const command of [runCommand, compareCommand]) {
      const { values } = resolveOptions(command.options, { scenario: "races", target: "http://127.0.0.1:1" }, env);
      expect(values.users, command.name).toBeUndefined();
    }
  });

  it("audit still reads it, as its older name for STOCKPROOF_USERS", () => {
    const { values, from } = resolveOptions(auditCommand.options, { target: "http://127.0.0.1:1" }, env);
    expect(values.users).toBe("buyer=qa1@dev.test:pw-one");
    expect(from.users).toBe("STOCKPROOF_AUDIT_USERS");
  });
});
