import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditReport } from "../../src/verify/audit/audit.js";
import type { ClassVerdict } from "../../src/verify/audit/classes.js";
import { auditHtml } from "../../src/verify/report/audit/html.js";
import { compareHtml } from "../../src/verify/report/run/compare-html.js";
import { htmlReport } from "../../src/verify/report/run/html.js";
import { checkRun, type Verdict } from "../../src/verify/scenario/check/index.js";
import { launchChromium } from "../helpers/browser.js";
import { runAsModelled } from "../helpers/modelled-run.js";
import { tempDir } from "../helpers/reference.js";

/** Every badge-like element: the page's verdict, each check's status, each class's verdict cell. */
const badges = ".badge, .verdict, td.v";

interface Measured {
  readonly text: string;
  readonly color: string;
  readonly background: string;
  readonly ratio: number;
}

/**
 * WCAG 2 contrast of each badge's text against what is really behind it: its own background, else
 * the nearest ancestor's that is not transparent (white at the page).
 */
function measureInPage(selector: string): Measured[] {
  const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
    const [R, G, B] = [r, g, b].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const behind = (element: Element): string => {
    for (let e: Element | null = element; e !== null; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      const parts = rgb(bg);
      if (parts.length === 3 || (parts[3] ?? 0) > 0) return bg;
    }
    return "rgb(255, 255, 255)";
  };
  return [...document.querySelectorAll(selector)].map((element) => {
    const color = getComputedStyle(element).color;
    const background = behind(element);
    const [a, b] = [luminance(rgb(color)), luminance(rgb(background))];
    return {
      text: (element.textContent ?? "").trim(),
      color,
      background,
      ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    };
  });
}

const klass = (verdict: ClassVerdict["verdict"], id: ClassVerdict["id"]): ClassVerdict => ({
  id,
  title: id,
  verdict,
  judgedIn: verdict === "unjudged" ? [] : ["races"],
  failedIn: verdict === "fail" ? ["races"] : [],
  evidence: [],
  requests: [],
  timeMs: 10,
  smallestFault: "none: no scenario judged it",
  power: [],
});

function auditReport(verdict: AuditReport["verdict"], classes: readonly ClassVerdict[]): AuditReport {
  return {
    target: "http://127.0.0.1:1",
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1500,
    verdict,
    interrupted: verdict === "not-judged" ? { signal: "SIGINT", cut: ["seed-3-2"] } : null,
    strict: false,
    stockSetup: "test-control API (PUT /__admin/stock)",
    fallback: null,
    stockObservation: "test-control snapshot",
    scale: 1,
    speed: 60,
    classes,
    divergences: [],
    scenarios: [],
  };
}

/** The run report with each verdict, and checks in every status (pass, fail, warn, not judged). */
function runPages(): Record<string, string> {
  const result = runAsModelled();
  const judged = checkRun(result);
  const statuses = ["pass", "fail", "warn", "skip"] as const;
  const checks = judged.checks.map((c, i) => ({ ...c, status: statuses[i % statuses.length] ?? "pass" }));
  const page = (verdict: Verdict["verdict"]) => htmlReport(result, { ...judged, verdict, checks });
  const side = (verdict: Verdict["verdict"]) => ({ result, verdict: { ...judged, verdict, checks } });
  return {
    "run pass": page("pass"),
    "run fail": page("fail"),
    "run not judged": page("not-judged"),
    "compare fail, reference not judged": compareHtml(side("not-judged"), side("fail"), []),
  };
}

describe("every verdict badge in the HTML reports is readable (WCAG contrast ≥ 4.5)", () => {
  let browser: Browser;
  const temp = tempDir("stockproof-contrast-");
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    temp.remove();
  });

  const classes = [klass("pass", "oversell"), klass("fail", "lost-update"), klass("unjudged", "timeouts")];
  const pages = () => ({
    "audit pass": auditHtml(auditReport("pass", [klass("pass", "oversell")]), new Map()),
    "audit fail": auditHtml(auditReport("fail", classes), new Map()),
    "audit not judged": auditHtml(auditReport("not-judged", classes), new Map()),
    ...runPages(),
  });

  it.each(Object.keys(pages()))("%s", async (name) => {
    const html = pages()[name as keyof ReturnType<typeof pages>];
    const file = join(temp.dir, `${name.replace(/ /g, "-")}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage();
    try {
      await page.goto(`file://${file}`);
      const measured = await page.evaluate(measureInPage, badges);
      expect(measured.length).toBeGreaterThan(0);
      const unreadable = measured.filter((m) => m.ratio < 4.5);
      expect(unreadable, JSON.stringify(unreadable)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
