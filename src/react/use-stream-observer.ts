import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { ConnectionPool } from '../core/pool';
import type { ResolvedStream } from '../core/resolve-stream';
import type { StreamObserver } from '../core/stream-observer';
import type { StreamSource } from '../core/types';
import { usePool } from './context';

/**
 * The observer for one hook call: recreated only when the stream key, the event types or an
 * observer-shaping option changes, so re-renders with inline options cost nothing.
 */
export function useStreamObserver<O extends StreamObserver>(
  hookName: string,
  stream: StreamSource,
  types: readonly string[] | undefined,
  create: (pool: ConnectionPool, resolved: ResolvedStream, types: readonly string[]) => O,
  shape: unknown = undefined,
): O {
  const pool = usePool(hookName);
  const resolved = useMemo(() => pool.resolve(stream), [pool, stream]);
  // Event names cannot contain line breaks (SSE is line-based), so '\n' is a safe separator.
  const typesKey = [...new Set(types ?? resolved.events)].join('\n');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by value, not identity
  return useMemo(() => create(pool, resolved, typesKey === '' ? [] : typesKey.split('\n')), [pool, resolved.key, typesKey, shape]);
}

/** useSyncExternalStore over an observer; `enabled: false` subscribes to nothing and reads 'paused'. */
export function useObserverStore<T>(observer: StreamObserver, enabled: boolean, getSnapshot: () => T, serverSnapshot: T): T {
  const subscribe = useCallback((onChange: () => void) => observer.subscribe(onChange, enabled), [observer, enabled]);
  return useSyncExternalStore(subscribe, getSnapshot, () => serverSnapshot);
}

/** close() and reconnect() act on the shared connection, for every subscriber. */
export function useStreamActions(observer: StreamObserver): { reconnect(): void; close(): void } {
  return useMemo(() => ({ reconnect: () => observer.reconnect(), close: () => observer.close() }), [observer]);
}
