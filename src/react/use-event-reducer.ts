import { useCallback } from 'react';
import { ReducerObserver } from '../core/client/handler-observers';
import type { EventMap, SseEvent, SseEventOf, StreamDescriptor, StreamSource, StreamState } from '../core/types';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';
import { useObserverStore, useStreamObserver } from './use-stream-observer';

/**
 * @example
 * useEventReducer(chat, (text, e) => text + e.data.delta, '', { events: ['delta'], enabled: open });
 */
export interface UseEventReducerOptions<K extends string = string> {
  /** Event types to fold. Default: the descriptor's `events`, else ['message']. */
  events?: readonly K[] | undefined;
  /** false: status 'paused', no connection held; the state is kept. Default true. */
  enabled?: boolean | undefined;
}

export interface EventReducerResult<S> extends StreamState {
  /** Every event so far folded into the initial state. */
  state: S;
  /** Back to the initial state (of the latest render); later events fold into it. */
  reset(): void;
}

/**
 * Folds every event into state as it arrives — LLM text, counters, running aggregates — with O(1)
 * work per event instead of re-reading a growing buffer on every render. A burst renders once.
 * The reducer must be pure; the newest one is used for each event. One that throws keeps the
 * previous state (the error is reported outside render).
 *
 * @example
 * const { state: text } = useEventReducer(completion, (text, e) => text + e.data.token, '');
 */
export function useEventReducer<E extends EventMap, S, K extends keyof E & string = keyof E & string>(
  stream: StreamDescriptor<E>,
  reducer: (state: S, event: SseEventOf<Pick<E, K>>) => S,
  initialState: S,
  options?: UseEventReducerOptions<K>,
): EventReducerResult<S>;
export function useEventReducer<T = unknown, S = unknown>(
  stream: string,
  reducer: (state: S, event: SseEvent<T>) => S,
  initialState: S,
  options?: UseEventReducerOptions,
): EventReducerResult<S>;
export function useEventReducer(
  stream: StreamSource,
  reducer: (state: unknown, event: SseEvent<never>) => unknown,
  initialState: unknown,
  options: UseEventReducerOptions = {},
): EventReducerResult<unknown> {
  const { events: types, enabled = true } = options;
  const fold = reducer as (state: unknown, event: SseEvent) => unknown;
  const observer = useStreamObserver('useEventReducer', stream, types, (pool, resolved, t) => new ReducerObserver(pool, resolved, t, fold, initialState));
  // Like useSseEvent's handler: the committed render's reducer folds the next events.
  useIsomorphicLayoutEffect(() => {
    observer.reducer = fold;
    observer.initial = initialState;
  });
  const getSnapshot = useCallback(() => observer.getResult(enabled), [observer, enabled]);
  return useObserverStore(observer, enabled, getSnapshot, observer.getServerResult());
}
