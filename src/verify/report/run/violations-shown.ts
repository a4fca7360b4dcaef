/**
 * @module
 * Which violations a report shows when it cannot show them all.
 */

/**
 * The first violation of each check (or kind), then the earliest others up to `limit`, in their
 * order: a flood of one kind (25 orders paid and cancelled) must not hide another's only one.
 */
export function violationsShown<V extends { readonly check: string }>(all: readonly V[], limit: number): V[] {
  const firsts = new Set<number>();
  const checks = new Set<string>();
  all.forEach((v, i) => {
    if (!checks.has(v.check)) {
      checks.add(v.check);
      firsts.add(i);
    }
  });
  let room = Math.max(0, limit - firsts.size);
  return all.filter((_, i) => {
    if (firsts.has(i)) return true;
    if (room === 0) return false;
    room--;
    return true;
  });
}
