/**
 * GitLab CI's `rules: if:` expressions, the part the recipes use: `$VAR` (true when defined and not
 * empty), `$VAR == "text"`, `$VAR != "text"`, joined by `&&` and `||` (no parentheses). Anything else
 * is refused rather than guessed.
 */
export function ruleIf(expression: string, variables: Readonly<Record<string, string>>): boolean {
  return expression.split("||").some((part) =>
    part.split("&&").every((atom) => {
      const match = /^\s*\$(\w+)\s*(?:(==|!=)\s*"([^"]*)"\s*)?$/.exec(atom);
      if (match === null) throw new Error(`unsupported rules:if syntax "${atom.trim()}" in: ${expression}`);
      const [, name, op, text] = match;
      const value = variables[name as string];
      if (op === undefined) return value !== undefined && value !== "";
      return op === "==" ? value === text : value !== text;
    }),
  );
}

/** The job's rules decide it runs: the first rule whose `if` holds (no `when: never` in the recipes). */
export function jobRuns(
  rules: readonly { if?: string; when?: string }[] | undefined,
  variables: Record<string, string>,
) {
  if (rules === undefined) return true;
  const rule = rules.find((r) => r.if === undefined || ruleIf(r.if, variables));
  return rule !== undefined && rule.when !== "never";
}
