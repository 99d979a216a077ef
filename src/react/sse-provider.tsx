import { useEffect, useRef, type ReactNode } from 'react';
import { ConnectionPool } from '../core/client/pool';
import type { SseClient } from '../core/client/sse-client';
import { message } from '../core/errors/messages';
import type { StreamOptions, Transport } from '../core/types';
import { DefaultsContext, PoolContext } from './context';
import { useStableOptions } from './use-stable-source';

/** A given client's pool; anything else is misuse, which throws into render with what to do. */
function clientPool(client: SseClient): ConnectionPool {
  if (client instanceof ConnectionPool) return client;
  throw new Error(message('bad-client'));
}

/**
 * @example
 * <SseProvider shareAcrossTabs lingerMs={5000} defaults={{ withCredentials: true }}>
 *   <App />
 * </SseProvider>
 */
export interface SseProviderProps {
  children?: ReactNode | undefined;
  /**
   * Open connections allowed per origin; more streams wait with status 'queued'. Default 'auto':
   * 4 for an HTTP/1.1 origin (under the browser's 6-per-host limit, leaving room for ordinary
   * requests), no limit for an origin the page has seen speak h2 or h3 (its navigation, or an
   * earlier request's resource timing with Timing-Allow-Origin); unknown → 4. A number wins.
   *
   * @example
   * <SseProvider maxConnectionsPerOrigin={2}>
   */
  maxConnectionsPerOrigin?: number | 'auto' | undefined;
  /** One real connection per stream for every tab of the browser profile (Web Locks + BroadcastChannel). */
  shareAcrossTabs?: boolean | undefined;
  /** Keep an unused connection this long before closing it. Default 1000. */
  lingerMs?: number | undefined;
  /** Options applied to every stream (a descriptor's own options win). */
  defaults?: StreamOptions | undefined;
  /** Transport for every stream that does not bring its own; tests pass createMockTransport(). */
  transport?: Transport | undefined;
  /**
   * A client made by createSseClient(): components share its connections with code outside React.
   * The client keeps its own options (the props above are then not used) and outlives the
   * provider: unmounting does not dispose it.
   */
  client?: SseClient | undefined;
}

/**
 * Owns the connection pool: one connection per URL (and connection options) for every hook
 * below it. Two providers never share connections.
 *
 * @example
 * <SseProvider maxConnectionsPerOrigin={4}>
 *   <App />
 * </SseProvider>
 */
export function SseProvider({ children, client, maxConnectionsPerOrigin, shareAcrossTabs, lingerMs, defaults, transport }: SseProviderProps) {
  const given = client && clientPool(client);
  // Made the first time a render has no client (a provider may be given one later, or lose it).
  // shareAcrossTabs is read once: switching a live provider between modes would orphan connections.
  const ownRef = useRef<ConnectionPool>(undefined);
  if (!given) ownRef.current ??= new ConnectionPool({ maxConnectionsPerOrigin, lingerMs, defaults, transport, shareAcrossTabs });
  const own = ownRef.current;
  const pool = given ?? own!;
  useEffect(() => {
    if (pool === own) pool.configure({ maxConnectionsPerOrigin, lingerMs, defaults, transport });
  }, [pool, own, maxConnectionsPerOrigin, lingerMs, defaults, transport]);
  // Unmounting closes every connection of the provider's own pool and, with shareAcrossTabs,
  // releases the Web Locks and the channel so another tab takes over at once. StrictMode's
  // unmount/remount keeps the pool. A given client belongs to its creator.
  useEffect(() => (pool === own ? pool.hold() : undefined), [pool, own]);
  // Inline defaults={{ headers: () => … }} must not give every stream a new key on each render.
  // A client's defaults are stable already (forwarded when it was created).
  const ownDefaults = useStableOptions(pool === own ? defaults : undefined);
  const stableDefaults = pool === own ? ownDefaults : pool.config.defaults;
  return (
    <PoolContext.Provider value={pool}>
      <DefaultsContext.Provider value={stableDefaults}>{children}</DefaultsContext.Provider>
    </PoolContext.Provider>
  );
}
