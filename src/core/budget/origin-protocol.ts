import type { PoolEntry } from '../types';

export type HttpProtocol = NonNullable<PoolEntry['protocol']>;

/**
 * The protocol each origin speaks, as the page's own timing entries tell it: `nextHopProtocol` is
 * the ALPN id of the connection a request used (W3C Resource Timing). The page's origin is named
 * by the navigation entry, another origin by resource entries of earlier requests to it; browsers
 * fill those in cross-origin only when the response had `Timing-Allow-Origin` (else '', unknown).
 * The newest entry that names a protocol wins. Over h2/h3 streams share one connection, so the
 * browser's 6-per-host limit that 'auto' guards against does not apply.
 *
 * Only h2/h3 answers are kept: an origin does not stop speaking them while the page lives, and
 * it is the answer read on every connection attempt. An 'http/1.1' or unknown answer is looked up
 * again at the next attempt, because a resource entry can appear later (the app's first fetch to
 * an API origin may end after its first stream started). A look-up scans the page's timing
 * buffer (250 resource entries by default) once per connection attempt, never per event.
 */
export class OriginProtocols {
  readonly #multiplexed = new Map<string, HttpProtocol>();

  of(origin: string): HttpProtocol | undefined {
    const found = this.#multiplexed.get(origin) ?? lookUp(origin);
    if (found && found !== 'http/1.1') this.#multiplexed.set(origin, found);
    return found;
  }

  /**
   * Open connections 'auto' allows the origin: none counted over h2/h3, else 4 — under the
   * browser's 6-per-host HTTP/1.1 limit, leaving room for the app's ordinary requests.
   */
  limit(origin: string): number {
    const protocol = this.of(origin);
    return protocol && protocol !== 'http/1.1' ? Infinity : 4;
  }
}

function lookUp(origin: string): HttpProtocol | undefined {
  // Node, React Native, old browsers: unknown, so 4.
  if (typeof performance === 'undefined' || !performance.getEntriesByType) return undefined;
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  for (let i = entries.length; i--; ) {
    const { name, nextHopProtocol: alpn } = entries[i] as PerformanceResourceTiming;
    // An entry's name is its URL's href: the origin's serialisation and a '/'. ALPN ids (IANA):
    // 'h2', 'h3' (drafts: 'h3-29'); anything else is counted as HTTP/1.x, the safe side.
    if (alpn && name.startsWith(`${origin}/`)) return alpn.startsWith('h3') ? 'h3' : alpn.startsWith('h2') ? 'h2' : 'http/1.1';
  }
  return undefined;
}
