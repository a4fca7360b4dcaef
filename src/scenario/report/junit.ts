import type { Verdict } from "../check/index.js";
import type { RunResult } from "../runner.js";

/** Drops the control characters XML 1.0 forbids even when escaped (tab, LF and CR are allowed). */
const dropControls = (text: string) =>
  [...text]
    .filter((ch) => {
      const code = ch.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
    })
    .join("");

const xmlText = (text: string) =>
  dropControls(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** JUnit XML for CI: one test case per check, failures carrying their violations. */
export function junitReport(result: RunResult, verdict: Verdict): string {
  const suite = `stockproof.${result.scenario.name}`;
  const failures = verdict.checks.filter((c) => c.status === "fail").length;
  const skipped = verdict.checks.filter((c) => c.status === "skip").length;
  const seconds = (result.wallMs / 1000).toFixed(3);
  const cases = verdict.checks.map((c) => {
    const open = `    <testcase classname="${xmlText(suite)}" name="${xmlText(`${c.id}: ${c.title}`)}">`;
    if (c.status === "fail") {
      const detail = [
        c.summary,
        ...c.violations.slice(0, 50).map((v) => `${v.message} expected ${v.expected}; observed ${v.observed}`),
      ].join("\n");
      return `${open}\n      <failure message="${xmlText(c.summary)}" type="${xmlText(c.id)}">${xmlText(detail)}</failure>\n    </testcase>`;
    }
    if (c.status === "skip") return `${open}\n      <skipped message="${xmlText(c.summary)}"/>\n    </testcase>`;
    const out = c.status === "warn" ? `\n      <system-out>${xmlText(`warning: ${c.summary}`)}</system-out>` : "";
    return `${open}${out}\n    </testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="stockproof" tests="${verdict.checks.length}" failures="${failures}" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="${xmlText(suite)}" tests="${verdict.checks.length}" failures="${failures}" skipped="${skipped}" errors="0" time="${seconds}" timestamp="${xmlText(result.startedAt)}">`,
    `    <properties><property name="target" value="${xmlText(result.target)}"/><property name="runId" value="${xmlText(result.runId)}"/></properties>`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
