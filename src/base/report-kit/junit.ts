/**
 * @module
 * JUnit XML as CI servers read it: one suite, a case per check or class, failures with their evidence.
 */

import { escapeXml as xml } from "./escape.js";

/** One test case; at most one of failure, skipped and output. */
export interface JUnitCase {
  readonly name: string;
  /** Seconds. */
  readonly time?: number;
  readonly failure?: { readonly message: string; readonly type?: string; readonly text: string };
  /** Not judged, and why. */
  readonly skipped?: string;
  /** Shown with a passing case, e.g. a warning. */
  readonly output?: string;
  /** What the case's verdict rests on (its power), as <properties> of the case. */
  readonly properties?: Readonly<Record<string, string>>;
}

export interface JUnitReport {
  /** The <testsuites> name. */
  readonly name: string;
  /** The one <testsuite>: its name, the classname of its cases, when it started. */
  readonly suite: string;
  readonly classname: string;
  readonly timestamp: string;
  /** Seconds. */
  readonly time: number;
  readonly properties?: Readonly<Record<string, string>>;
  readonly cases: readonly JUnitCase[];
}

const seconds = (s: number) => s.toFixed(3);

const propertiesXml = (properties: readonly [string, string][]) =>
  `<properties>${properties.map(([k, v]) => `<property name="${xml(k)}" value="${xml(v)}"/>`).join("")}</properties>`;

function testcase(c: JUnitCase, classname: string): string {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(c.name)}"${c.time === undefined ? "" : ` time="${seconds(c.time)}"`}`;
  const child =
    c.failure !== undefined
      ? `<failure message="${xml(c.failure.message)}"${c.failure.type === undefined ? "" : ` type="${xml(c.failure.type)}"`}>${xml(c.failure.text)}</failure>`
      : c.skipped !== undefined
        ? `<skipped message="${xml(c.skipped)}"/>`
        : c.output !== undefined && c.output !== ""
          ? `<system-out>${xml(c.output)}</system-out>`
          : null;
  const properties = Object.entries(c.properties ?? {});
  const children = [
    ...(properties.length === 0 ? [] : [propertiesXml(properties)]),
    ...(child === null ? [] : [child]),
  ];
  return children.length === 0
    ? `${open}/>`
    : `${open}>\n${children.map((x) => `      ${x}\n`).join("")}    </testcase>`;
}

/** JUnit XML as CI servers read it: one suite, a case per check or class, failures with their evidence. */
export function junitXml(report: JUnitReport): string {
  const tests = report.cases.length;
  const failures = report.cases.filter((c) => c.failure !== undefined).length;
  const skipped = report.cases.filter((c) => c.failure === undefined && c.skipped !== undefined).length;
  const time = seconds(report.time);
  const properties = Object.entries(report.properties ?? {});
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xml(report.name)}" tests="${tests}" failures="${failures}" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${xml(report.suite)}" tests="${tests}" failures="${failures}" skipped="${skipped}" errors="0" time="${time}" timestamp="${xml(report.timestamp)}">`,
    ...(properties.length === 0 ? [] : [`    ${propertiesXml(properties)}`]),
    ...report.cases.map((c) => testcase(c, report.classname)),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
