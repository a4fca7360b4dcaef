import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jm } from "../../src/verify/export/jmx.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { tempDir } from "../helpers/reference.js";

const devScenario = `name: my-races
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 800 }]
  stock: declared
  users:
    - { name: buyer, username: qa1@dev.test, password: pw-one-SECRET, userId: 1 }
    - { name: other, username: qa2@dev.test, password: pw-two-SECRET, userId: 2 }
  client: { id: devshop, secret: devshop-secret-1 }
  traffic: { shape: burst, rounds: 5 }
when:
  - { name: reserve, reserve: [{ sku: 800001, count: 1 }] }
`;

describe("exported scripts read secrets from the engine, not the file", () => {
  const temp = tempDir("stockproof-export-");
  const scenario = join(temp.dir, "my-races.yaml");
  beforeAll(() => {
    ensureBuilt();
    writeFileSync(scenario, devScenario);
  });
  afterAll(() => temp.remove());

  it.each(["k6", "jmeter"])(
    "%s: no password or client secret of the scenario is written; the run line names what to pass",
    async (engine) => {
      const out = join(temp.dir, `plan.${engine}`);
      const exported = await runBuiltCli(["export", engine, scenario, "--out", out]);
      expect(exported.code, exported.stderr).toBe(0);
      const text = readFileSync(out, "utf8");
      for (const secret of ["pw-one-SECRET", "pw-two-SECRET", "devshop-secret-1"]) expect(text).not.toContain(secret);
      expect(exported.stderr).not.toMatch(/pw-one-SECRET|pw-two-SECRET|devshop-secret-1/);
      if (engine === "k6") {
        expect(text).toContain('__ENV["STOCKPROOF_PASSWORD_" + i]');
        expect(text).toContain("__ENV.STOCKPROOF_CLIENT_SECRET");
        expect(exported.stderr).toMatch(
          /run: k6 run -e TARGET=http:\/\/HOST:PORT -e STOCKPROOF_PASSWORD_0='<password of qa1@dev\.test>' -e STOCKPROOF_PASSWORD_1='<password of qa2@dev\.test>' -e STOCKPROOF_CLIENT_SECRET='<secret of client devshop>'/,
        );
      } else {
        expect(text).toContain(jm("__P(password_0,)"));
        expect(text).toContain(jm("__P(clientSecret,)"));
        expect(exported.stderr).toMatch(
          /-Jpassword_0='<password of qa1@dev\.test>'.* -JclientSecret='<secret of client devshop>'/,
        );
      }
      // The judge line names the file exported, not a built-in scenario.
      expect(exported.stderr).toContain(`judge: stockproof check ${scenario} --history`);
      expect(text).not.toMatch(/check seed-3-1/);
    },
  );

  it("takes --users and --client (and STOCKPROOF_USERS) as run does: their user names, never their passwords", async () => {
    const out = join(temp.dir, "users.k6.js");
    const exported = await runBuiltCli(["export", "k6", scenario, "--out", out, "--client", "shop2:s3cret-x"], {
      STOCKPROOF_USERS: "buyer=alice@dev.test:alice-SECRET",
    });
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("alice@dev.test");
    expect(text).toContain('"id":"shop2"');
    expect(text).not.toMatch(/alice-SECRET|s3cret-x/);
  });

  it("the public demo logins stay in the file, so a built-in scenario runs against the reference as it is", async () => {
    const out = join(temp.dir, "races.k6.js");
    const exported = await runBuiltCli(["export", "k6", "races", "--out", out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toContain('"password":"buyer-password"');
    expect(exported.stderr).not.toContain("STOCKPROOF_PASSWORD_0");
  });
});
