import { type JUnitCase, junitXml } from "../../report/junit.js";
import type { Verdict } from "../check/index.js";
import type { Check } from "../check/types.js";
import type { RunResult } from "../runner.js";

function testcase(c: Check): JUnitCase {
  const name = `${c.id}: ${c.title}`;
  switch (c.status) {
    case "fail": {
      const detail = c.violations
        .slice(0, 50)
        .map((v) => `${v.message} expected ${v.expected}; observed ${v.observed}`);
      return { name, failure: { message: c.summary, type: c.id, text: [c.summary, ...detail].join("\n") } };
    }
    case "skip":
      return { name, skipped: c.summary };
    case "warn":
      return { name, output: `warning: ${c.summary}` };
    case "pass":
      return { name };
  }
}

/** JUnit XML for CI: one test case per check, failures carrying their violations, checks not judged skipped. */
export function junitReport(result: RunResult, verdict: Verdict): string {
  const suite = `stockproof.${result.scenario.name}`;
  return junitXml({
    name: "stockproof",
    suite,
    classname: suite,
    timestamp: result.startedAt,
    time: result.wallMs / 1000,
    properties: { target: result.target, runId: result.runId },
    // A run that could not be judged fails one case of its own, so CI shows the cause, not only skips.
    cases: [
      ...(verdict.notJudged === null
        ? []
        : [
            {
              name: "target could be judged",
              failure: {
                message: verdict.notJudged.reason,
                type: "not-judged",
                text: `${verdict.notJudged.reason}\nfix: ${verdict.notJudged.fix}`,
              },
            },
          ]),
      ...verdict.checks.map(testcase),
    ],
  });
}
