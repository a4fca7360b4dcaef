/**
 * @module
 * Runs the conformance drive through two Prism validation proxies and records each exchange's violations.
 */

import { type Case, type DriveSettings, drive, type Skipped } from "./conformance-drive.js";
import { createSender, type ReceivedResponse, type SentRequest } from "./exchange.js";
import { type RunningPrism, startPrism } from "./prism.js";
import { exchangeHeader, startRecorder } from "./recorder.js";
import { prismVerdict, type Violation } from "./violations.js";

/** One case as it happened: what was sent, what the server answered, what Prism objected to. */
export interface Exchange {
  readonly operationId: string;
  readonly label: string;
  readonly channel: Case["channel"];
  readonly expected: readonly number[];
  readonly request: SentRequest;
  /** The server's answer (Prism's own when it did not forward the request). */
  readonly response: ReceivedResponse;
  /** What Prism sent back instead of the server's answer (its 500 under --errors), or null. */
  readonly prismAnswer: ReceivedResponse | null;
  /** Only the violations that count on this channel (see `Channel`). */
  readonly violations: readonly Violation[];
}

export interface ConformanceRun {
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly exchanges: readonly Exchange[];
  /** Calls not sent because the server refused their set-up (a login, an order). */
  readonly skipped: readonly Skipped[];
}

export interface ConformanceOptions {
  /** Base URL of the server under test. */
  readonly target: string;
  readonly settings: DriveSettings;
  /** Called after each exchange (progress output). */
  readonly onExchange?: (exchange: Exchange) => void;
}

function counted(c: Case, response: ReceivedResponse): Violation[] {
  const verdict = prismVerdict(response.headers, response.body);
  const violations = verdict.violations.filter((v) => c.channel === "strict" || v.side === "response");
  // Under --errors Prism answers an invalid request itself; the server never saw it.
  if (verdict.answeredByPrism !== null && !violations.some((v) => v.side === "response")) {
    const side = c.channel === "strict" ? "request" : "response";
    violations.push({
      side,
      severity: "Error",
      location: "",
      message: `Prism answered instead of the server — ${verdict.answeredByPrism}`,
    });
  }
  return violations;
}

/**
 * Drives every operation of the spec against `target` through two Prism validation proxies it
 * starts on loopback (`prism proxy --errors` for valid requests, `prism proxy` for requests that
 * are invalid by design) and records each exchange with the violations Prism found. Between Prism
 * and the target a recorder keeps the target's own answers.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceRun> {
  const target = options.target.replace(/\/$/, "");
  const started = Date.now();
  const proxies: RunningPrism[] = [];
  const recorder = await startRecorder(target);
  const sender = createSender({ connections: Math.max(256, options.settings.burst.reservations * 2) });
  try {
    const settled = await Promise.allSettled(
      [true, false].map((errors) => startPrism({ args: { mode: "proxy", upstream: recorder.url, errors } })),
    );
    for (const s of settled) if (s.status === "fulfilled") proxies.push(s.value);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    const [strict, observe] = proxies as [RunningPrism, RunningPrism];
    const exchanges: Exchange[] = [];
    const skipped: Skipped[] = [];
    let serial = 0;
    await drive(
      options.settings,
      async (c) => {
        const id = String(++serial);
        const sent = { ...c.request, headers: { ...c.request.headers, [exchangeHeader]: id } };
        const viaPrism = await sender.send(c.channel === "strict" ? strict.url : observe.url, sent);
        const fromServer = recorder.take(id);
        const response = fromServer ?? viaPrism;
        const prismAnswer = fromServer !== undefined && fromServer.status === viaPrism.status ? null : viaPrism;
        const exchange: Exchange = { ...c, response, prismAnswer, violations: counted(c, viaPrism) };
        exchanges.push(exchange);
        options.onExchange?.(exchange);
        return response;
      },
      (s) => skipped.push(s),
    );
    return { target, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, exchanges, skipped };
  } finally {
    await Promise.all(proxies.map((p) => p.stop()));
    await sender.close();
    await recorder.close();
  }
}
