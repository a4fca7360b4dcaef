/** The part of an npm v3 lockfile the install checks read. */
export interface Lockfile {
  readonly packages: Record<
    string,
    {
      readonly dependencies?: Record<string, string>;
      readonly optionalDependencies?: Record<string, string>;
      readonly peerDependencies?: Record<string, string>;
      readonly hasInstallScript?: boolean;
    }
  >;
}

/** The installed location a package at `from` gets for `name`: nested first, then each enclosing node_modules. */
function resolveFrom(lock: Lockfile, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (base === "") return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

/** Installed locations of a package and everything it depends on, transitively. */
export function closureOf(lock: Lockfile, name: string): Set<string> {
  const seen = new Set<string>();
  const start = resolveFrom(lock, "", name);
  const queue = start === undefined ? [] : [start];
  while (queue.length > 0) {
    const path = queue.pop() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    const entry = lock.packages[path] ?? {};
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}),
    ];
    for (const dependency of names) {
      const found = resolveFrom(lock, path, dependency);
      if (found !== undefined) queue.push(found);
    }
  }
  return seen;
}

/** Installed packages outside `name`'s closure, by package name (the project itself excluded). */
export function packagesBesides(lock: Lockfile, name: string): string[] {
  const closure = closureOf(lock, name);
  return Object.keys(lock.packages)
    .filter((path) => path !== "" && !closure.has(path))
    .map((path) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length))
    .sort();
}
