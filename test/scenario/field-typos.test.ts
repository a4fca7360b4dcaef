import { describe, expect, it } from "vitest";
import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";

const withStep = (step: string) => `name: typo
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 800 }]
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  traffic: { shape: burst, rounds: 5 }
when:
${step}
  - { name: pay, pay: take }
`;

describe("a misspelt field in a scenario step", () => {
  it("is one line with a did-you-mean, not one 'needs the field' per alternative and 'name' called unknown", () => {
    const parsed = parseScenario(withStep("  - name: take\n    reserv: [{ sku: 800001, count: 1 }]"), "typo.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(formatLoadError(parsed.error)).toBe(
      'typo.yaml is not a valid scenario:\n  typo.yaml:8:5 when[0].reserv has an unknown field "reserv"; did you mean "reserve"?',
    );
  });

  it("an unknown field far from any still says what the step needs", () => {
    const parsed = parseScenario(withStep("  - name: take\n    xyzzy: 1"), "typo.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = formatLoadError(parsed.error);
    expect(text).toContain('has an unknown field "xyzzy"');
    expect(text).toContain('needs the field "reserve"');
    expect(text).not.toContain('unknown field "name"');
  });
});
