/** A clock that only moves when a test moves it; pass `clock.now` wherever a `() => number` clock is taken. */
export interface FakeClock {
  readonly now: () => number;
  advance(ms: number): number;
}

export function createFakeClock(start = Date.UTC(2021, 5, 21, 11, 21, 51)): FakeClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
      return current;
    },
  };
}
