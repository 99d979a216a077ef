import { useCallback, useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ConnectionPool } from '../core/client/pool';
import type { ResolvedStream } from '../core/stream/resolve-stream';
import type { StreamObserver } from '../core/client/stream-observer';
import type { StreamSource } from '../core/types';
import { DefaultsContext, usePool } from './context';
import { warnOnce } from './dev-warning';
import { useStableSource } from './use-stable-source';

/**
 * The observer for one hook call: recreated only when the stream key or the event types change,
 * so re-renders with inline options cost nothing.
 */
export function useStreamObserver<O extends StreamObserver>(
  hookName: string,
  stream: StreamSource,
  types: readonly string[] | undefined,
  create: (pool: ConnectionPool, resolved: ResolvedStream, types: readonly string[]) => O,
): O {
  const pool = usePool(hookName);
  const defaults = useContext(DefaultsContext);
  const source = useStableSource(stream);
  const resolved = useMemo(() => pool.resolve(source, defaults), [pool, source, defaults]);
  useMisuseWarnings(hookName, resolved);
  // Event names cannot contain line breaks (SSE is line-based), so '\n' is a safe separator.
  const typesKey = [...new Set(types ?? resolved.events)].join('\n');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by value, not identity
  return useMemo(() => create(pool, resolved, typesKey === '' ? [] : typesKey.split('\n')), [pool, resolved.key, typesKey]);
}

/** useSyncExternalStore over an observer; `enabled: false` subscribes to nothing and reads 'paused'. */
export function useObserverStore<T>(observer: StreamObserver, enabled: boolean, getSnapshot: () => T, serverSnapshot: T): T {
  const subscribe = useCallback((onChange: () => void) => observer.subscribe(onChange, enabled), [observer, enabled]);
  return useSyncExternalStore(subscribe, getSnapshot, () => serverSnapshot);
}

/** Misuse that silently costs connections or options; development builds only (a constant per build, so hooks stay in order). */
const useMisuseWarnings = process.env.NODE_ENV !== 'production' ? useMisuseWarningsInDev : () => {};

function useMisuseWarningsInDev(hookName: string, resolved: ResolvedStream): void {
  const last = useRef<{ key: string; url: string; changes: number }>(undefined);
  useEffect(() => {
    const { key, url, connection } = resolved;
    const prev = last.current;
    // A key that changes on commit after commit for the same URL means options made anew in
    // render. Functions are kept stable (useStableSource); a body object (Blob, FormData) is not.
    // Each new key is a new connection.
    const changes = prev && prev.url === url && prev.key !== key ? prev.changes + 1 : 0;
    last.current = { key, url, changes };
    if (changes >= 3) {
      warnOnce(
        `${hookName}(${url}): the stream's connection options changed on every render, so each render opened a new connection. Define the descriptor (and its body) at module level or in useMemo.`,
      );
    }
    if (resolved.transport === 'eventsource' && (connection.headers || connection.body != null || connection.method !== 'GET')) {
      warnOnce(`${hookName}(${url}): headers, method and body need the fetch transport; with transport: 'eventsource' they are ignored. Remove the transport option or set it to 'fetch'.`);
    }
  }, [hookName, resolved]);
}
