/**
 * @module
 * Progress of a run: a live bar on a terminal, a plain line every few seconds in CI logs.
 */

import cliProgress from "cli-progress";
import type { Progress } from "./runner.js";

export interface ProgressView {
  update(progress: Progress): void;
  stop(): void;
}

/** A live bar (rate, failures so far) on a terminal; a plain line every few seconds elsewhere (CI logs). */
export function createProgressView(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): ProgressView {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: "{phase} [{bar}] {value}/{total} · {rps} req/s · failures {failures}",
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    let phase: string | null = null;
    return {
      update(p) {
        const payload = {
          phase: p.phase,
          rps: p.elapsedMs > 0 ? Math.round((p.done / p.elapsedMs) * 1000) : 0,
          failures: p.failures,
        };
        if (phase !== p.phase) {
          if (phase !== null) bar.stop();
          phase = p.phase;
          bar.start(p.total, p.done, payload);
        } else bar.update(p.done, payload);
      },
      stop: () => {
        if (phase !== null) bar.stop();
      },
    };
  }
  let lastAt = 0;
  let lastPhase = "";
  return {
    update(p) {
      const now = performance.now();
      if (p.phase === lastPhase && p.done < p.total && now - lastAt < 2000) return;
      lastAt = now;
      lastPhase = p.phase;
      const rps = p.elapsedMs > 0 ? Math.round((p.done / p.elapsedMs) * 1000) : 0;
      stream.write(`[${p.phase}] ${p.done}/${p.total} requests · ${rps} req/s · failures ${p.failures}\n`);
    },
    stop() {},
  };
}
