import { useEffect, useState, type ReactNode } from 'react';
import { ConnectionPool } from '../core/client/pool';
import type { StreamOptions, Transport } from '../core/types';
import { DefaultsContext, PoolContext } from './context';
import { useStableOptions } from './use-stable-source';

/**
 * @example
 * <SseProvider maxConnectionsPerOrigin={Infinity} shareAcrossTabs lingerMs={5000} defaults={{ withCredentials: true }}>
 *   <App />
 * </SseProvider>
 */
export interface SseProviderProps {
  children?: ReactNode;
  /**
   * Open connections allowed per origin; more streams wait with status 'queued'.
   * Default 4: under the browser's 6-per-host HTTP/1.1 limit, leaving room for ordinary requests.
   * Use Infinity for HTTP/2 origins.
   */
  maxConnectionsPerOrigin?: number;
  /** One real connection per stream for every tab of the browser profile (Web Locks + BroadcastChannel). */
  shareAcrossTabs?: boolean;
  /** Keep an unused connection this long before closing it. Default 1000. */
  lingerMs?: number;
  /** Options applied to every stream (a descriptor's own options win). */
  defaults?: StreamOptions;
  /** Transport for every stream that does not bring its own; tests pass createMockTransport(). */
  transport?: Transport;
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
export function SseProvider({ children, maxConnectionsPerOrigin, shareAcrossTabs, lingerMs, defaults, transport }: SseProviderProps) {
  // shareAcrossTabs is read once: switching a live provider between modes would orphan connections.
  const [pool] = useState(() => new ConnectionPool({ maxConnectionsPerOrigin, lingerMs, defaults, transport, shareAcrossTabs }));
  useEffect(() => {
    pool.configure({ maxConnectionsPerOrigin, lingerMs, defaults, transport });
  }, [pool, maxConnectionsPerOrigin, lingerMs, defaults, transport]);
  // Unmounting closes every connection and, with shareAcrossTabs, releases the Web Locks and the
  // channel so another tab takes over at once. StrictMode's unmount/remount keeps the pool.
  useEffect(() => pool.hold(), [pool]);
  // Inline defaults={{ headers: () => … }} must not give every stream a new key on each render.
  const stableDefaults = useStableOptions(defaults);
  return (
    <PoolContext.Provider value={pool}>
      <DefaultsContext.Provider value={stableDefaults}>{children}</DefaultsContext.Provider>
    </PoolContext.Provider>
  );
}
