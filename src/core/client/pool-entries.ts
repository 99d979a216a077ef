import type { Connection } from '../connection/connection';
import type { PoolEntry } from '../types';
import type { OriginProtocols } from '../budget/origin-protocol';
import type { Transport } from '../types';

/** What entries are read from: the client's connections and what it knows of their origins. */
export interface EntrySource {
  readonly connections: ReadonlyMap<string, Connection>;
  /** Bumped by every change entries show. */
  readonly version: number;
  readonly protocols: OriginProtocols;
  readonly config: { readonly transport: Transport | undefined };
  readonly budget: { readonly sharedAcrossTabs?: boolean | undefined };
}

// By client, cached until its version moves: useSsePool may read entries on every render.
const cache = new WeakMap<EntrySource, { version: number; entries: readonly PoolEntry[] }>();

/** Every connection of the pool, as useSsePool shows them: the same array until one of them changes. */
export function poolEntries(pool: EntrySource): readonly PoolEntry[] {
  let cached = cache.get(pool);
  if (cached?.version !== pool.version) {
    // One look-up per origin per refresh (a refresh may follow every event): an origin not known
    // to speak h2/h3 scans the timing entries.
    const protocols: Record<string, PoolEntry['protocol']> = {};
    const protocolOf = (origin: string) => (origin in protocols ? protocols[origin] : (protocols[origin] = pool.protocols.of(origin)));
    cached = { version: pool.version, entries: [...pool.connections.values()].map((c) => entryOf(pool, c, protocolOf(c.stream.origin))) };
    cache.set(pool, cached);
  }
  return cached.entries;
}

function entryOf(pool: EntrySource, c: Connection, protocol: PoolEntry['protocol']): PoolEntry {
  const transport = typeof c.stream.transport === 'string' ? (pool.config.transport?.name ?? c.stream.transport) : c.stream.transport.name;
  return {
    key: c.stream.key,
    url: c.stream.url,
    status: c.state.status,
    subscribers: c.subscriberCount,
    eventTypes: c.eventTypes,
    eventsReceived: c.eventsReceived,
    retryCount: c.state.retryCount,
    // A connection also waits in the following phase while chunks it needs load (the client's
    // admit): only once tabs share the budget can another tab own it.
    owner: c.followed && pool.budget.sharedAcrossTabs ? 'other-tab' : 'this-tab',
    error: c.state.error,
    lastEventId: c.lastEventId,
    queuePosition: c.queuePosition(),
    transport,
    protocol,
  };
}
