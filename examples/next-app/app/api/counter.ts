// Per-process request counter shared by the route handlers. Route bundles may each get their own
// copy of this module, so the count lives on globalThis under a registered symbol.
const KEY = Symbol.for('react-sse-hub-example.next.stats');

interface Stats {
  ticks: number;
  open: number;
}

export function stats(): Stats {
  const g = globalThis as unknown as Record<symbol, Stats | undefined>;
  return (g[KEY] ??= { ticks: 0, open: 0 });
}
