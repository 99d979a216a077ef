import { useCallback, useMemo, useRef } from 'react';
import { EventBufferObserver } from '../core/client/stream-observer';
import type { EventMap, SseEvent, StreamDescriptor, StreamSource } from '../core/types';
import type { SseEventOf, StreamStatusResult } from './types';
import { useObserverStore, useStreamActions, useStreamObserver } from './use-stream-observer';

/**
 * @example
 * useEventStream(orders, { events: ['created', 'cancelled'], bufferSize: 20, enabled: isVisible });
 */
export interface UseEventStreamOptions<K extends string = string> {
  /** Event types to collect. Default: the descriptor's `events`, else ['message']. */
  events?: readonly K[] | undefined;
  /** Events kept, oldest dropped first. Default 100. */
  bufferSize?: number | undefined;
  /** false: status 'paused', no connection held. Default true. */
  enabled?: boolean | undefined;
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
  const size = Math.max(1, bufferSize);
  const observer = useStreamObserver('useEventStream', stream, types, (pool, resolved, t) => new EventBufferObserver(pool, resolved, t, size));
  // Resizing in render is safe: it is idempotent and only changes which buffered events are shown.
  observer.resize(size);
  const cache = useRef<Snapshot>(undefined);
  const getSnapshot = useCallback((): Snapshot => {
    const state = observer.state(enabled);
    const events = observer.events();
    // The stream's last event id also moves with events of other types and id-only blocks.
    const lastEventId = observer.lastEventId();
    const cached = cache.current;
    if (cached && cached.status === state.status && cached.error === state.error && cached.retryCount === state.retryCount && cached.events === events && cached.lastEventId === lastEventId) {
      return cached;
    }
    return (cache.current = {
      status: state.status,
      error: state.error,
      retryCount: state.retryCount,
      events,
      lastEvent: events[events.length - 1],
      lastEventId,
    });
  }, [observer, enabled]);
  const snapshot = useObserverStore(observer, enabled, getSnapshot, SERVER_SNAPSHOT);
  const actions = useStreamActions(observer);
  return useMemo(() => ({ ...snapshot, ...actions }), [snapshot, actions]);
}
