import { useCallback, useMemo, useRef } from 'react';
import type { ConnectionState } from '../core/connection';
import { EventBufferObserver } from '../core/stream-observer';
import type { EventMap, SseEvent, StreamDescriptor, StreamSource } from '../core/types';
import type { SseEventOf, StreamStatusResult } from './types';
import { useObserverStore, useStreamActions, useStreamObserver } from './use-stream-observer';

export interface UseEventStreamOptions<K extends string = string> {
  /** Event types to collect. Default: the descriptor's `events`, else ['message']. */
  events?: readonly K[];
  /** Events kept, oldest dropped first. Default 100. */
  bufferSize?: number;
  /** false: status 'paused', no connection held. Default true. */
  enabled?: boolean;
}

export interface EventStreamResult<Ev extends SseEvent = SseEvent> extends StreamStatusResult {
  /** Oldest -> newest, at most bufferSize. */
  events: readonly Ev[];
  lastEvent: Ev | undefined;
  lastEventId: string | undefined;
  /** Reconnect now, resetting backoff (also from 'closed'). */
  reconnect(): void;
  /** Stop this stream for every subscriber -> 'closed'. */
  close(): void;
}

type Snapshot = Omit<EventStreamResult, 'reconnect' | 'close'>;

const SERVER_SNAPSHOT: Snapshot = Object.freeze({
  status: 'connecting',
  error: undefined,
  retryCount: 0,
  events: Object.freeze([]) as readonly SseEvent[],
  lastEvent: undefined,
  lastEventId: undefined,
});

/**
 * The stream's recent events and its connection state. Every event is kept even when many
 * arrive at once; a burst renders once.
 *
 * @example
 * const { events, status } = useEventStream(news, { bufferSize: 50 });
 * return <ul>{events.map((e) => <li key={e.id}>{e.data.title}</li>)}</ul>;
 */
export function useEventStream<E extends EventMap>(
  stream: StreamDescriptor<E>,
  options?: UseEventStreamOptions<keyof E & string>,
): EventStreamResult<SseEventOf<E>>;
export function useEventStream<T = unknown>(stream: string, options?: UseEventStreamOptions): EventStreamResult<SseEvent<T>>;
export function useEventStream(stream: StreamSource, options: UseEventStreamOptions = {}): EventStreamResult {
  const { events: types, bufferSize = 100, enabled = true } = options;
  const observer = useStreamObserver(
    'useEventStream',
    stream,
    types,
    (pool, resolved, t) => new EventBufferObserver(pool, resolved, t, Math.max(1, bufferSize)),
    bufferSize,
  );
  const cache = useRef<{ state: ConnectionState; events: readonly SseEvent[]; snapshot: Snapshot }>(undefined);
  const getSnapshot = useCallback((): Snapshot => {
    const state = observer.state(enabled);
    const events = observer.events();
    const cached = cache.current;
    if (cached && cached.state === state && cached.events === events) return cached.snapshot;
    const snapshot: Snapshot = {
      status: state.status,
      error: state.error,
      retryCount: state.retryCount,
      events,
      lastEvent: events[events.length - 1],
      lastEventId: observer.lastEventId(),
    };
    cache.current = { state, events, snapshot };
    return snapshot;
  }, [observer, enabled]);
  const snapshot = useObserverStore(observer, enabled, getSnapshot, SERVER_SNAPSHOT);
  const actions = useStreamActions(observer);
  return useMemo(() => ({ ...snapshot, ...actions }), [snapshot, actions]);
}
