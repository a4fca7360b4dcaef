/** One disagreement between a request or response and the spec, as Prism reported it. */
export interface Violation {
  /** "response": the server broke the spec; "request": the request did not match the spec. */
  readonly side: "request" | "response";
  readonly severity: string;
  /** Where, e.g. `response.body.lines.0.count`. */
  readonly location: string;
  readonly message: string;
}

/** What Prism said about one proxied exchange. */
export interface PrismVerdict {
  readonly violations: readonly Violation[];
  /** Prism answered itself (e.g. refused an invalid request) instead of forwarding it upstream. */
  readonly answeredByPrism: string | null;
}

const prismErrorType = "https://stoplight.io/prism/errors#";

interface RawViolation {
  readonly location?: unknown;
  readonly severity?: unknown;
  readonly message?: unknown;
}

function toViolation(raw: RawViolation, fallbackSide: Violation["side"]): Violation {
  const location = Array.isArray(raw.location) ? raw.location.map(String) : [];
  const side = location[0] === "request" || location[0] === "response" ? location[0] : fallbackSide;
  return {
    side,
    severity: typeof raw.severity === "string" ? raw.severity : "Error",
    location: location.join("."),
    message: typeof raw.message === "string" ? raw.message : JSON.stringify(raw),
  };
}

function fromHeader(value: string | undefined): Violation[] {
  if (value === undefined || value === "") return [];
  // Prism truncates long lists and prefixes them with this marker; keep what still parses.
  const text = value.startsWith("Too many violations! ") ? value.slice("Too many violations! ".length) : value;
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.map((raw) => toViolation(raw as RawViolation, "response")) : [];
  } catch {
    return [{ side: "response", severity: "Error", location: "", message: `sl-violations (truncated): ${text}` }];
  }
}

/**
 * Reads Prism's verdict on one exchange: the `sl-violations` header it adds whenever request or
 * response break the spec, and the problem body it sends instead of the upstream's answer (a 500
 * VIOLATIONS under `--errors`, a 422 or 401 when it refused the request, 404/405 for routes the
 * spec lacks).
 */
export function prismVerdict(headers: Record<string, string>, body: unknown): PrismVerdict {
  const found = fromHeader(headers["sl-violations"]);
  let answeredByPrism: string | null = null;
  const problem = body as { type?: unknown; title?: unknown; detail?: unknown; validation?: unknown } | null;
  if (problem !== null && typeof problem === "object" && typeof problem.type === "string") {
    if (problem.type.startsWith(prismErrorType)) {
      const kind = problem.type.slice(prismErrorType.length);
      answeredByPrism = `${kind}: ${String(problem.detail ?? problem.title ?? "")}`;
      const fallback: Violation["side"] = kind === "VIOLATIONS" ? "response" : "request";
      if (Array.isArray(problem.validation)) {
        for (const raw of problem.validation) found.push(toViolation(raw as RawViolation, fallback));
      }
    }
  }
  const seen = new Set<string>();
  const violations = found.filter((v) => {
    const key = `${v.side}|${v.location}|${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { violations, answeredByPrism };
}
