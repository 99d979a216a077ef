import { useCallback } from 'react';
import { EventBufferObserver } from '../core/client/view-observers';
import type { EventMap, SseEvent, SseEventOf, StreamDescriptor, StreamSource, StreamState } from '../core/types';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';
import { useObserverStore, useStreamObserver } from './use-stream-observer';

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

export interface EventStreamResult<Ev extends SseEvent = SseEvent> extends StreamState {
  /** Oldest -> newest, at most bufferSize. */
  events: readonly Ev[];
  lastEvent: Ev | undefined;
}

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
  // A render only reads with its size; what the observer keeps changes once the size is committed.
  useIsomorphicLayoutEffect(() => observer.resize(size), [observer, size]);
  const getSnapshot = useCallback(() => observer.getResult(enabled, size), [observer, enabled, size]);
  return useObserverStore(observer, enabled, getSnapshot, observer.getServerResult());
}
