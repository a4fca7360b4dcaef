import { describe, expect, it } from "vitest";
import { type FailureClass, failureClasses } from "../../src/verify/audit/classes.js";
import { checkContext } from "../../src/verify/scenario/check/context.js";
import { checkRun, checks } from "../../src/verify/scenario/check/index.js";
import { type CheckDefinition, judgeChecks } from "../../src/verify/scenario/check/list.js";
import { type CheckId, notJudged } from "../../src/verify/scenario/check/types.js";
import { runAsModelled } from "../helpers/modelled-run.js";

describe("the check list", () => {
  it("names checks and audit classes by typed ids: a misspelt id does not compile", () => {
    // @ts-expect-error "oversel" names no check
    const misspelt: CheckId = "oversel";
    const klass: FailureClass = {
      id: "oversell",
      title: "Oversell",
      primary: "seed-3-1",
      // @ts-expect-error "overssell" names no check
      checks: ["overssell"],
    };
    expect([misspelt, ...klass.checks]).toHaveLength(2);
    const ids = checks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(failureClasses.flatMap((c) => c.checks).length).toBeGreaterThan(0);
  });

  it("judges a run as the model predicts it: sold out refused, nothing observed left unjudged", () => {
    const verdict = checkRun(runAsModelled());
    const status = Object.fromEntries(verdict.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      setup: "pass",
      oversell: "pass",
      rejections: "pass",
      orders: "pass",
      conservation: "skip",
      "double-restore": "skip",
      invariant: "skip",
      "model-steps": "pass",
      indeterminate: "pass",
      "time-bound": "pass",
      counts: "pass",
      "final-stock": "skip",
    });
    expect(verdict.cases.find((c) => c.name === "take")?.observed).toEqual({ ok: 3, OUT_OF_STOCK: 1 });
    expect(verdict.verdict).toBe("pass");
  });

  it("takes a new check as one more entry, judged with the run's context after the checks before it", () => {
    const seen: { requests: number; earlier: CheckId[] }[] = [];
    const released: CheckDefinition = {
      id: "oversell",
      title: "Every hold released once",
      judge: (ctx, earlier) => {
        seen.push({ requests: ctx.sent.length, earlier: earlier.map((c) => c.id) });
        return { status: "fail", summary: "one hold released twice", violations: [] };
      },
    };
    const judged = judgeChecks(checkContext(runAsModelled()), [checks[0] as CheckDefinition, released]);
    expect(seen).toEqual([{ requests: 8, earlier: ["setup"] }]);
    expect(judged.at(-1)).toMatchObject({ title: "Every hold released once", status: "fail" });
  });

  it("reports a check that judged nothing as not judged with its reason, never as a pass", () => {
    const unreachable: CheckDefinition = {
      id: "final-stock",
      title: "Final stock",
      judge: () => notJudged("target unreachable: nothing was sent"),
    };
    const [check] = judgeChecks(checkContext(runAsModelled()), [unreachable]);
    expect(check).toEqual({
      id: "final-stock",
      title: "Final stock",
      status: "skip",
      summary: "target unreachable: nothing was sent",
      violations: [],
    });
  });
});
