/**
 * @module
 * Run ids, and paymentOrderIds unique across runs, processes and requests within the spec's alphabet.
 */

import { randomBytes } from "node:crypto";

/** A short random id for one run: 48 bits, URL-safe. */
export function newRunId(): string {
  return randomBytes(6).toString("base64url");
}

/**
 * paymentOrderIds unique across runs (random run id), processes (pid) and requests (counter),
 * within the spec's 64 characters of [A-Za-z0-9_.:-].
 */
export function createOrderIds(prefix: string, runId: string, pid = process.pid): () => string {
  let counter = 0;
  const head = `${prefix === "" ? "" : `${prefix}-`}${runId}-${pid.toString(36)}-`;
  return () => `${head}${(counter++).toString(36)}`;
}
