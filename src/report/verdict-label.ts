/** A verdict as reports print it: PASS, FAIL, NOT JUDGED. */
export const verdictLabel = (verdict: "pass" | "fail" | "not-judged"): string =>
  verdict === "not-judged" ? "NOT JUDGED" : verdict.toUpperCase();
