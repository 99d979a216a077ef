import { useCallback } from 'react';
import { StatusObserver } from '../core/client/stream-observer';
import type { StreamSource } from '../core/types';
import type { StreamStatusResult } from './types';
import { useObserverStore, useStreamObserver } from './use-stream-observer';

const SERVER_SNAPSHOT: StreamStatusResult = Object.freeze({ status: 'connecting', error: undefined, retryCount: 0 });

/**
 * Connection state only: renders on status, error and retry changes, never on events.
 *
 * @example
 * const { status, retryCount } = useSseStatus(prices);
 */
export function useSseStatus(stream: StreamSource): StreamStatusResult {
  const observer = useStreamObserver('useSseStatus', stream, [], (pool, resolved, t) => new StatusObserver(pool, resolved, t));
  // ConnectionState has exactly the fields of the result and is replaced only on change.
  const getSnapshot = useCallback((): StreamStatusResult => observer.state(true), [observer]);
  return useObserverStore(observer, true, getSnapshot, SERVER_SNAPSHOT);
}
