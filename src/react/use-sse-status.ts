import { useCallback } from 'react';
import { StatusObserver } from '../core/client/handler-observers';
import type { StreamSource, StreamState } from '../core/types';
import { useObserverStore, useStreamObserver } from './use-stream-observer';

/**
 * Connection state only: renders on status, error and retry changes, never on events.
 *
 * @example
 * const { status, retryCount, reconnect } = useSseStatus(prices);
 */
export function useSseStatus(stream: StreamSource): StreamState {
  const observer = useStreamObserver('useSseStatus', stream, [], (pool, resolved, t) => new StatusObserver(pool, resolved, t));
  const getSnapshot = useCallback(() => observer.getResult(), [observer]);
  return useObserverStore(observer, true, getSnapshot, observer.getServerResult());
}
