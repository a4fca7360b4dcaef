/**
 * @module
 * The JUnit file of a command that stopped before judging: one failing case naming the cause and the fix.
 */

import type { CannotJudge } from "../base/config/errors.js";
import { junitXml } from "../base/report-kit/junit.js";
import { writeReportFile } from "../base/report-kit/write.js";

/**
 * The JUnit file a command was asked for, when it stopped before judging anything: one failing case
 * naming the cause and the fix, so a CI test report shows why instead of missing a file.
 */
export function writeNotJudgedJunit(path: string, command: string, target: string | undefined, error: CannotJudge) {
  writeReportFile(
    path,
    junitXml({
      name: "stockproof",
      suite: `stockproof.${command}`,
      classname: `stockproof.${command}`,
      timestamp: new Date().toISOString(),
      time: 0,
      ...(target === undefined ? {} : { properties: { target } }),
      cases: [
        {
          name: "target could be judged",
          failure: { message: error.message, type: "not-judged", text: `${error.message}\nfix: ${error.fix}` },
        },
      ],
    }),
  );
}
