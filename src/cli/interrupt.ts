/** The exit code of a process stopped by a signal, as shells report it: 128 + the signal's number. */
const signalExit = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof signalExit;

export interface InterruptTrap {
  /** Aborts on the first SIGINT or SIGTERM, with the signal's name as its reason. */
  readonly signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM; null when no signal came. */
  readonly exitCode: () => number | null;
  /** Puts Node's own handling back (a signal then ends the process at once). */
  readonly release: () => void;
}

/**
 * Turns the first SIGINT/SIGTERM into a request to stop: commands that send traffic stop sending,
 * judge what was sent and write every report asked for, and the process then exits 130/143. A
 * second signal exits at once, for an operator who will not wait for the reports.
 */
export function trapInterrupts(
  say: (line: string) => void,
  exit: (code: number) => void = (code) => process.exit(code),
): InterruptTrap {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const on = (name: StopSignal) => {
    if (received !== null) {
      say(`stockproof: ${name} again — exiting now; the reports were not written`);
      exit(signalExit[name]);
      return;
    }
    received = name;
    say(
      `stockproof: ${name} — stopping: no new requests; judging what was sent and writing the reports (${name === "SIGINT" ? "Ctrl-C" : "SIGTERM"} again exits at once)`,
    );
    controller.abort(name);
  };
  const onInt = () => on("SIGINT");
  const onTerm = () => on("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: controller.signal,
    exitCode: () => (received === null ? null : signalExit[received]),
    release: () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}
