const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "500ms", "30s", "15m", "2h" or "1d" into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (match === null) throw new Error(`Not a duration: "${text}" (use e.g. 500ms, 30s, 15m, 2h)`);
  return Math.round(Number(match[1]) * (units[match[2] as string] as number));
}
