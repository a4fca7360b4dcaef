/**
 * @module
 * Logs the first incident of a cause at once, then one line per interval with a count, however many follow.
 */

import type { IncidentCause } from "../http/app.js";

export interface IncidentLogOptions {
  /** One summary line per cause per interval at most, after the first line. */
  readonly intervalMs?: number;
  readonly write?: (line: string) => void;
  /** Runs `flush` after `ms`; the default timer does not keep the process alive. */
  readonly schedule?: (flush: () => void, ms: number) => void;
}

export type IncidentLog = (cause: IncidentCause, message: string) => void;

const defaultSchedule = (flush: () => void, ms: number) => {
  setTimeout(flush, ms).unref();
};

/**
 * The first incident of a cause is logged at once; later ones are counted, and at the end of each
 * interval in which some came, one line gives their number and the last message. A cause that
 * keeps happening therefore writes one line per interval, however many requests it fails.
 */
export function createIncidentLog(options: IncidentLogOptions = {}): IncidentLog {
  const intervalMs = options.intervalMs ?? 60_000;
  const write = options.write ?? ((line: string) => console.error(line));
  const schedule = options.schedule ?? defaultSchedule;
  const windows = new Map<IncidentCause, { count: number; last: string }>();
  const seconds = `${Math.round(intervalMs / 1000)} s`;

  const flush = (cause: IncidentCause) => {
    const window = windows.get(cause);
    if (window === undefined) return;
    if (window.count === 0) {
      windows.delete(cause);
      return;
    }
    write(`${cause}: ${window.count} more in the last ${seconds}; the last: ${window.last}`);
    windows.set(cause, { count: 0, last: window.last });
    schedule(() => flush(cause), intervalMs);
  };

  return (cause, message) => {
    const window = windows.get(cause);
    if (window !== undefined) {
      window.count++;
      window.last = message;
      return;
    }
    write(`${cause}: ${message} (further ones are counted, one line per ${seconds})`);
    windows.set(cause, { count: 0, last: message });
    schedule(() => flush(cause), intervalMs);
  };
}
