/** Why a request got no HTTP answer at all. */
export type TransportCause = "refused" | "reset" | "dns" | "tls" | "timeout" | "unreachable" | "other";

/** The outcome name reports show for each cause, in place of one NETWORK_ERROR for all. */
export const causeOutcome: Readonly<Record<TransportCause, string>> = {
  refused: "CONNECTION_REFUSED",
  reset: "CONNECTION_RESET",
  dns: "DNS_FAILURE",
  tls: "TLS_FAILURE",
  timeout: "TIMEOUT",
  unreachable: "HOST_UNREACHABLE",
  other: "NETWORK_ERROR",
};

/** Causes that mean nothing answers at all (as opposed to a slow server): the target is down or not there. */
export const connectionCauses: ReadonlySet<TransportCause> = new Set(["refused", "reset", "dns", "tls", "unreachable"]);

const codesOf = (error: unknown): string[] => {
  const codes: string[] = [];
  let current: unknown = error;
  // undici wraps the socket's error: the cause chain holds ECONNREFUSED and friends.
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === "string") codes.push(code);
    if (Array.isArray(errors)) for (const e of errors) codes.push(...codesOf(e));
    current = cause;
  }
  return codes;
};

/** Classifies an undici or Node network error by its codes (and a TimeoutError by name). */
export function transportCause(error: unknown): TransportCause {
  const codes = codesOf(error);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  if (has("ECONNREFUSED")) return "refused";
  if (has("ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL")) return "dns";
  if (
    has("UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT", "ABORT_ERR_TIMEOUT")
  )
    return "timeout";
  if (error instanceof Error && error.name === "TimeoutError") return "timeout";
  if (has("EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL")) return "unreachable";
  if (codes.some((c) => c.startsWith("ERR_TLS") || c.startsWith("ERR_SSL") || c.includes("CERT") || c === "EPROTO"))
    return "tls";
  if (has("ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED")) return "reset";
  return "other";
}

/** "nothing listens at http://127.0.0.1:18199", with the fix: one line each, for the first lines of a report. */
export function describeCause(target: string, cause: TransportCause, detail: string): { message: string; fix: string } {
  const host = (() => {
    try {
      return new URL(target).host;
    } catch {
      return target;
    }
  })();
  switch (cause) {
    case "refused":
      return {
        message: `nothing listens at ${target} (connection refused)`,
        fix: "is the server running? Check --target",
      };
    case "dns":
      return {
        message: `the host of ${target} does not resolve (DNS)`,
        fix: `check the spelling of ${host} in --target`,
      };
    case "tls":
      return {
        message: `the TLS handshake with ${target} failed (${detail})`,
        fix: "check the certificate, or http:// vs https:// in --target",
      };
    case "timeout":
      return {
        message: `${target} did not answer in time`,
        fix: "is the server up and reachable from here? Check --target and --timeout",
      };
    case "unreachable":
      return { message: `${host} cannot be reached from here (${detail})`, fix: "check the network path and --target" };
    case "reset":
      return {
        message: `${target} closed the connection without answering (${detail})`,
        fix: "is it an HTTP server? Check its logs and --target",
      };
    default:
      return { message: `no answer from ${target}: ${detail}`, fix: "check --target" };
  }
}

/**
 * A request that got no answer, in the words above with the fix, for a sentence that used to end in
 * the socket's raw error ("Error: connect ECONNREFUSED 127.0.0.1:80").
 */
export function noAnswerWords(target: string, cause: TransportCause | null, detail: string | null): string {
  const { message, fix } = describeCause(target, cause ?? "other", detail ?? "no answer");
  return `${message}: ${fix}`;
}
