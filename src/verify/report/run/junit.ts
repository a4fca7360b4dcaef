/**
 * @module
 * A run as JUnit XML: a case per check, failures with their violations, checks not judged skipped.
 */

import { type JUnitCase, junitXml } from "../../../base/report-kit/junit.js";
import type { Verdict } from "../../scenario/check/index.js";
import { type FaultId, powerLines, type SmallestFault } from "../../scenario/check/power.js";
import type { Check } from "../../scenario/check/types.js";
import type { RunResult } from "../../scenario/runner.js";
import { violationsShown } from "./violations-shown.js";

/** The classes whose smallest fault each check's verdict speaks for. */
const faultsOf: Partial<Record<Check["id"], readonly FaultId[]>> = {
  oversell: ["oversell"],
  rejections: ["wrong-rejection"],
  orders: ["paid-and-cancelled", "ownership"],
  conservation: ["lost-update"],
  "double-restore": ["double-restore"],
  indeterminate: ["errors-under-contention", "timeouts"],
  "hold-expiry": ["hold-expiry"],
};

function testcase(c: Check, smallest: readonly SmallestFault[]): JUnitCase {
  const faults = smallest.filter((f) => faultsOf[c.id]?.includes(f.fault));
  const properties = Object.fromEntries(faults.map((f) => [`smallest-fault.${f.fault}`, f.text]));
  return faults.length === 0 ? judged(c) : { ...judged(c), properties };
}

function judged(c: Check): JUnitCase {
  const name = `${c.id}: ${c.title}`;
  switch (c.status) {
    case "fail": {
      const shown = violationsShown(c.violations, 50);
      const detail = shown.map((v) => `${v.message} expected ${v.expected}; observed ${v.observed}`);
      if (c.violations.length > shown.length) detail.push(`… and ${c.violations.length - shown.length} more`);
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
    properties: {
      target: result.target,
      runId: result.runId,
      ...Object.fromEntries(powerLines(verdict).map((l) => [`power.${l.key}`, l.value])),
    },
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
      ...verdict.checks.map((c) => testcase(c, verdict.power.smallest)),
    ],
  });
}
