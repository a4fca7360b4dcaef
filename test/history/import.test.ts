import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jmeterPlan, jmeterProperties } from "../../src/verify/export/jmeter.js";
import { jm } from "../../src/verify/export/jmx.js";
import { k6Script } from "../../src/verify/export/k6.js";
import { jtlNoCode } from "../../src/verify/history/import-jtl.js";
import { loadHistories } from "../../src/verify/history/load.js";
import { mergeHistories } from "../../src/verify/history/merge.js";
import { availableOnlySnapshot } from "../../src/verify/history/stock-observer.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import { tempDir } from "../helpers/reference.js";

const parsed = parseScenario(
  `name: small-burst
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 2 }]
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password }]
  traffic: { shape: burst, rounds: 3 }
when:
  - { name: take, reserve: [{ sku: 800001, count: 1 }] }
then:
  counts: model
  finalStock: model
`,
  "inline.yaml",
);
if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
const scenario = parsed.value;
const temp = tempDir("stockproof-import-");
afterAll(() => temp.remove());

const base = "http://127.0.0.1:8080";
const reserveUrl = (id: string) =>
  `${base}/orders/payment/choice?storeId=s&merchantId=m&amount=1000&timestamp=20260101&paymentOrderId=${id}&customData=%7B%7D`;

/** A JTL as JMeter 2.13 writes it in CSV with the exported plan's properties (URL, hostname, sample_variables). */
function jtl(rows: readonly [round: number, status: number, code: string, host?: string][]): string {
  const header =
    "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,grpThreads,allThreads,URL,Latency,Hostname,IdleTime,Connect,stockproof_code,stockproof_user";
  const t0 = 1_790_000_000_000;
  const login = `${t0 - 50},12,login buyer@example.com,200,OK,main 1-1,text,true,,512,3,3,${base}/oauth/token,12,gen-a,0,3,,`;
  const lines = rows.map(
    ([round, status, code, host], i) =>
      `${t0 + i},${20 + i},sp:0:${round}:take,${status},${status === 200 ? "OK" : "Conflict"},main 1-${round + 1},text,${status === 200},,300,3,3,"${reserveUrl(`jm-1-${round}-take`)}",${20 + i},${host ?? "gen-a"},0,1,${code},buyer@example.com`,
  );
  return `${[header, login, ...lines].join("\n")}\n`;
}

async function verdictOf(file: string, finalStock: Record<number, number>, clockSkewMs?: number) {
  const loaded = await loadHistories([file], scenario);
  if (!loaded.ok) throw new Error(loaded.error);
  const available = new Map(Object.entries(finalStock).map(([k, v]) => [Number(k), v]));
  const merged = mergeHistories(scenario, loaded.value, {
    ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
    finalStock: {
      how: "stated",
      snapshot: availableOnlySnapshot(available, 0),
    },
  });
  if (!merged.ok) throw new Error(merged.error);
  return { histories: loaded.value.length, result: merged.value.result, verdict: checkRun(merged.value.result) };
}

const failed = (v: ReturnType<typeof checkRun>) => v.checks.filter((c) => c.status === "fail").map((c) => c.id);

describe("importing a JMeter JTL", () => {
  it("judges a server that held the stock correctly as passing", async () => {
    const file = join(temp.dir, "good.jtl");
    writeFileSync(
      file,
      jtl([
        [0, 200, ""],
        [1, 200, ""],
        [2, 409, "OUT_OF_STOCK"],
      ]),
    );
    const { verdict, result } = await verdictOf(file, { 800001: 0 });
    expect(failed(verdict)).toEqual([]);
    expect(verdict.cases[0]?.observed).toEqual({ ok: 2, OUT_OF_STOCK: 1 });
    // A JTL has no end record: the run lasted at least until its last answer (it used to say 0.0 s).
    const lastAnswer = Math.max(...result.phases.flatMap((p) => p.observations.map((o) => o.endedAt ?? 0)));
    expect(lastAnswer).toBeGreaterThan(0);
    expect(result.wallMs).toBeGreaterThanOrEqual(lastAnswer);
  });

  it("catches an oversell: three reservations accepted of two units", async () => {
    const file = join(temp.dir, "oversell.jtl");
    writeFileSync(
      file,
      jtl([
        [0, 200, ""],
        [1, 200, ""],
        [2, 200, ""],
      ]),
    );
    const { verdict } = await verdictOf(file, { 800001: 0 });
    expect(failed(verdict)).toContain("oversell");
  });

  it("treats the samples of each JMeter host as a clock of its own", async () => {
    const file = join(temp.dir, "distributed.jtl");
    writeFileSync(
      file,
      jtl([
        [0, 200, "", "gen-a"],
        [1, 200, "", "gen-b"],
        [2, 409, "OUT_OF_STOCK", "gen-b"],
      ]),
    );
    await expect(verdictOf(file, { 800001: 0 })).rejects.toThrow(/--clock-skew/);
    const { histories, verdict } = await verdictOf(file, { 800001: 0 }, 50);
    expect(histories).toBe(2);
    expect(failed(verdict)).toEqual([]);
  });

  it("reads the plan's '-' (no code in the answer) and JMeter's 'null' (variable never set) as no problem code", async () => {
    const file = join(temp.dir, "no-code.jtl");
    writeFileSync(
      file,
      jtl([
        [0, 200, "-"],
        [1, 503, "-"],
        [2, 502, "null"],
      ]),
    );
    const { verdict } = await verdictOf(file, { 800001: 1 });
    expect(verdict.cases[0]?.observed).toEqual({ ok: 1, HTTP_503: 1, HTTP_502: 1 });
  });

  it("judges the requests as sent: the plan sends every round as the first user, the JTL records who", async () => {
    // Round-robin users: round 1's take is planned as bob. JMeter 2.13 sends it as alice, so bob's
    // cancel of it is another user's order, and a correct server answers 404 both times.
    const twoUsers = parseScenario(
      `name: two-users
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 10 }]
  users:
    - { name: alice, username: alice@example.com, password: alice-password }
    - { name: bob, username: bob@example.com, password: bob-password }
  traffic: { shape: sequential, rounds: 2 }
when:
  - { name: take, reserve: [{ sku: 800001, count: 1 }] }
  - { name: steal, cancel: take, user: bob }
`,
      "inline.yaml",
    );
    if (!twoUsers.ok) throw new Error(formatLoadError(twoUsers.error));
    expect(jmeterPlan(twoUsers.value).caveats.join(" ")).toContain("as alice@example.com");
    const header = `timeStamp,elapsed,label,responseCode,responseMessage,URL,Hostname,stockproof_code,stockproof_user`;
    const t0 = 1_790_000_000_000;
    const row = (i: number, round: number, c: string, status: number, code: string, user: string) => {
      const id = `jm-1-${round}-take`;
      const url = c === "take" ? reserveUrl(id) : `${base}/orders/payment/cancel/${id}`;
      return `${t0 + 10 * i},5,sp:0:${round}:${c},${status},x,"${url}",gen-a,${code},${user}`;
    };
    const file = join(temp.dir, "two-users.jtl");
    writeFileSync(
      file,
      `${[
        header,
        row(0, 0, "take", 200, "-", "alice@example.com"),
        row(1, 0, "steal", 404, "ORDER_NOT_FOUND", "bob@example.com"),
        row(2, 1, "take", 200, "-", "alice@example.com"),
        row(3, 1, "steal", 404, "ORDER_NOT_FOUND", "bob@example.com"),
      ].join("\n")}\n`,
    );
    const loaded = await loadHistories([file], twoUsers.value);
    if (!loaded.ok) throw new Error(loaded.error);
    const merged = mergeHistories(twoUsers.value, loaded.value, {
      finalStock: { how: "stated", snapshot: availableOnlySnapshot(new Map([[800001, 8]]), 0) },
    });
    if (!merged.ok) throw new Error(merged.error);
    const verdict = checkRun(merged.value.result);
    // Planned as sent, the model expects what a correct server answered; with the planned users it
    // expected round 1's cancel to succeed and called the run a FAIL.
    expect(failed(verdict)).toEqual([]);
    const steal = verdict.cases.find((c) => c.name === "steal");
    expect(steal?.observed).toEqual({ ORDER_NOT_FOUND: 2 });
    expect(steal?.observed).toEqual(steal?.model);
  });

  it("names the missing columns of a JTL saved without URLs", async () => {
    const file = join(temp.dir, "no-url.jtl");
    writeFileSync(file, "timeStamp,elapsed,label,responseCode\n1,2,sp:0:0:take,200\n");
    const loaded = await loadHistories([file], scenario, "jtl");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.error).toContain("jmeter.save.saveservice.url=true");
      expect(loaded.error).toContain("jmeter.save.saveservice.print_field_names=true");
    }
  });
});

/** k6's JSON output (k6 run --out json=…): a Metric declaration, then Point samples with tags, one per line. */
function k6Output(rows: readonly [round: number, status: number, code: string, instance: string][]): string {
  const t0 = 1_790_000_000_000;
  const metric = (name: string, type: string) =>
    JSON.stringify({
      type: "Metric",
      data: { name, type, contains: "time", thresholds: [], submetrics: null },
      metric: name,
    });
  const lines = [metric("http_req_duration", "trend"), metric("stockproof_exchange", "trend")];
  rows.forEach(([round, status, code, instance], i) => {
    const time = new Date(t0 + i + 20).toISOString();
    const url = reserveUrl(`k6x-${round}-take`);
    lines.push(
      JSON.stringify({
        type: "Point",
        data: { time, value: 20, tags: { method: "GET", name: "take", status: String(status), url, instance } },
        metric: "http_req_duration",
      }),
      JSON.stringify({
        type: "Point",
        data: {
          time,
          value: 20,
          tags: {
            label: `sp:0:${round}:take`,
            url,
            user: "buyer@example.com",
            status: String(status),
            code,
            error: "",
            sent: String(t0 + i),
            ended: String(t0 + i + 20),
            instance,
          },
        },
        metric: "stockproof_exchange",
      }),
    );
  });
  return `${lines.join("\n")}\n`;
}

describe("engine results given wrongly or cut short are not judged", () => {
  const good = () =>
    jtl([
      [0, 200, ""],
      [1, 200, ""],
      [2, 409, "OUT_OF_STOCK"],
    ]);

  it("refuses one JTL given twice (it used to pass, with twice the requests the scenario has)", async () => {
    const file = join(temp.dir, "twice.jtl");
    writeFileSync(file, good());
    const loaded = await loadHistories([file, file], scenario);
    if (!loaded.ok) throw new Error(loaded.error);
    const merged = mergeHistories(scenario, loaded.value, { clockSkewMs: 0 });
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.error).toContain("recorded more than once");
  });

  it("marks a JTL that ends in the middle of a row as cut, and leaves that row out", async () => {
    const file = join(temp.dir, "cut.jtl");
    const text = good();
    writeFileSync(file, text.slice(0, text.length - 25));
    const loaded = await loadHistories([file], scenario);
    if (!loaded.ok) throw new Error(loaded.error);
    // The half row used to read as a sample of a second JMeter host with an empty name.
    expect(loaded.value).toHaveLength(1);
    expect(loaded.value[0]?.incomplete).toContain("ends in the middle of a line");
    expect(loaded.value[0]?.observations).toHaveLength(2);
  });

  it("marks k6 output whose last line is half a record as cut; a broken line before the end is still an error", async () => {
    const text = k6Output([
      [0, 200, "", "a"],
      [1, 200, "", "a"],
    ]);
    const cut = join(temp.dir, "cut.json");
    writeFileSync(cut, text.slice(0, text.length - 30));
    const loaded = await loadHistories([cut], scenario);
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.value[0]?.incomplete).toContain("ends in the middle of a line");
    const broken = join(temp.dir, "broken.json");
    const lines = text.trimEnd().split("\n");
    lines.splice(2, 0, '{"type":"Point"');
    writeFileSync(broken, `${lines.join("\n")}\n`);
    const refused = await loadHistories([broken], scenario);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toContain("broken.json:3: not JSON");
  });
});

describe("importing k6 JSON output (fixtures in k6's documented line format; k6 itself is not installed here)", () => {
  it("judges correct answers as passing and ignores k6's own metrics", async () => {
    const file = join(temp.dir, "good.json");
    writeFileSync(
      file,
      k6Output([
        [0, 200, "", "a"],
        [1, 409, "OUT_OF_STOCK", "a"],
        [2, 200, "", "a"],
      ]),
    );
    const { verdict } = await verdictOf(file, { 800001: 0 });
    expect(failed(verdict)).toEqual([]);
    expect(verdict.requests).toBe(3);
  });

  it("catches an oversell across two k6-operator instances", async () => {
    const file = join(temp.dir, "oversell.json");
    writeFileSync(
      file,
      k6Output([
        [0, 200, "", "pod-0"],
        [1, 200, "", "pod-1"],
        [2, 200, "", "pod-1"],
      ]),
    );
    const { histories, verdict } = await verdictOf(file, { 800001: -1 }, 1000);
    expect(histories).toBe(2);
    expect(failed(verdict)).toContain("oversell");
  });
});

/** Every opening tag closed in order: enough to know JMeter's parser gets a tree. */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  const body = xml.replace(/<\?xml[^>]*\?>/, "").replace(/<!--[\s\S]*?-->/g, "");
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w.]*)[^>]*?(\/?)>/g)) {
    if (m[3] === "/") continue;
    if (m[1] === "/") {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2] as string);
  }
  return stack.length === 0;
}

describe("exported scripts", () => {
  it("a JMeter plan labels each order request sp:<phase>:<round>:<case> and releases a burst together", () => {
    const { text, caveats } = jmeterPlan(scenario);
    expect(balanced(text)).toBe(true);
    expect(text).toContain(`testname="sp:0:${jm("round")}:take"`);
    expect(text).toContain('<intProp name="groupSize">3</intProp>');
    expect(text).toContain("stockproof_code");
    expect(caveats).toEqual([]);
  });

  it("a JMeter plan logs in once, in set-up, and sends its JSON stock body unencoded (what JMeter 2.13 needs)", () => {
    const { text } = jmeterPlan(scenario);
    const [setup, main] = text.split("<ThreadGroup ");
    // The user logs in once before the burst; the token reaches the main threads as a property.
    expect(setup).toContain('testname="login buyer@example.com"');
    expect(setup).toContain(`testname="publish tokens${jm(`__setProperty(stockproof_token_0,${jm("token_0")},)`)}"`);
    expect(main).not.toContain("/oauth/token");
    expect(main).toContain(`Bearer ${jm("__P(stockproof_token_0,NO_TOKEN)")}`);
    // A raw body URL-encoded by JMeter is not JSON any more: the set-stock PUT would get a 400.
    expect(setup).toMatch(
      /"HTTPArgument.always_encode">false<\/boolProp><stringProp name="Argument.name"><\/stringProp><stringProp name="Argument.value">\{&quot;items&quot;/,
    );
    // JMeter 2.13 writes no CSV header unless told; its extractor keeps a stale code under an empty default.
    expect(jmeterProperties).toContain("-Jjmeter.save.saveservice.print_field_names=true");
    expect(main).toContain(`<stringProp name="RegexExtractor.default">${jtlNoCode}</stringProp>`);
  });

  it("a k6 script tags its samples as the importer reads them and says k6 has no barrier", () => {
    const { text, caveats } = k6Script(scenario);
    for (const tag of ["label:", "url:", "status:", "code:", "sent:", "ended:", "user:"]) expect(text).toContain(tag);
    expect(text).toContain('executor":"per-vu-iterations"');
    expect(caveats.join(" ")).toContain("no barrier");
  });

  // Before: each VU logged in on its first request (a token cache per VU), so a burst of 1000 VUs
  // sent 1000 logins during the burst. As the JMeter plan: each user logs in once, in set-up.
  it("a k6 script logs each user in once in setup() and the VUs use the tokens setup returned", () => {
    const { text } = k6Script(scenario);
    const setup = text.slice(text.indexOf("export function setup()"), text.indexOf("export default function"));
    const main = text.slice(text.indexOf("export default function"));
    expect(setup).not.toBe("");
    expect(main).not.toBe("");
    // One login call, in a loop over the users, and the tokens in the data setup returns.
    expect(setup.split("/oauth/token")).toHaveLength(2);
    expect(setup).toMatch(
      /for \(const \[i, user\] of S\.users\.entries\(\)\) \{\s+if \(passwordOf\(i\) === ""\)[^\n]+\n\s+const res = http\.post\(TARGET \+ "\/oauth\/token"/,
    );
    expect(setup).toMatch(/return \{[^}]*\btokens \};/);
    // Nothing outside setup logs in; the default function reads the token from setup's data.
    expect(text.split("/oauth/token")).toHaveLength(2);
    expect(main).toMatch(/^export default function \(setupData\)/);
    expect(main).toContain('"Bearer " + setupData.tokens[user.username]');
  });
});
