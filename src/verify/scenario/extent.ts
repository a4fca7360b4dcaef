// Math.max(...xs) passes every value as an argument: past ~100 000 values it overflows the call
// stack, and histories reach millions of requests. These fold instead.

/** The largest of the values, or `floor` when there are none or all are smaller. */
export function largest(values: Iterable<number>, floor = Number.NEGATIVE_INFINITY): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The smallest of the values, or `ceiling` when there are none or all are larger. */
export function smallest(values: Iterable<number>, ceiling = Number.POSITIVE_INFINITY): number {
  let min = ceiling;
  for (const v of values) if (v < min) min = v;
  return min;
}
