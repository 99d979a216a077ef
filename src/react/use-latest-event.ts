import { useCallback } from 'react';
import { LatestEventObserver } from '../core/client/view-observers';
import type { EventMap, SseEvent, StreamDescriptor, StreamSource, StreamState } from '../core/types';
import { useObserverStore, useStreamObserver } from './use-stream-observer';

/**
 * @example
 * // Renders only when the rounded price changes.
 * useLatestEvent(prices, 'tick', { select: (t) => Math.round(t.price), isEqual: Object.is });
 */
export interface UseLatestEventOptions<T, S> {
  /** Re-render only when the selected value changes. */
  select?: ((data: T) => S) | undefined;
  /** Compares selected values. Default Object.is. */
  isEqual?: ((a: S, b: S) => boolean) | undefined;
  /** false: status 'paused', no connection held. Default true. */
  enabled?: boolean | undefined;
}

export interface LatestEventResult<S, T = unknown, K extends string = string> extends StreamState {
  /** The selected value of the newest event (its data when there is no select). */
  data: S | undefined;
  /** The event at which `data` last changed. */
  event: SseEvent<T, K> | undefined;
}

/**
 * The newest event of one type, optionally narrowed with `select`: the component renders only
 * when the selected value changes.
 *
 * @example
 * const price = useLatestEvent(prices, 'tick', { select: (t) => t.price }).data;
 */
export function useLatestEvent<E extends EventMap, K extends keyof E & string, S = E[K]>(
  stream: StreamDescriptor<E>,
  type: K,
  options?: UseLatestEventOptions<E[K], S>,
): LatestEventResult<S, E[K], K>;
export function useLatestEvent<T = unknown, S = T>(
  stream: string,
  type: string,
  options?: UseLatestEventOptions<T, S>,
): LatestEventResult<S, T>;
/**
 * A string URL with the payload type spelled (`useLatestEvent<Tick>(url, 'tick', { select })`):
 * TypeScript infers no type argument once one is given, so the selected value is `unknown` here.
 * Annotate select's parameter instead to get both types inferred:
 * `useLatestEvent(url, 'tick', { select: (t: Tick) => t.price }).data` is `number | undefined`.
 */
export function useLatestEvent<T>(
  stream: string,
  type: string,
  options: UseLatestEventOptions<T, unknown>,
): LatestEventResult<unknown, T>;
export function useLatestEvent(
  stream: StreamSource,
  type: string,
  options: UseLatestEventOptions<unknown, unknown> = {},
): LatestEventResult<unknown> {
  const { select, isEqual, enabled = true } = options;
  const observer = useStreamObserver('useLatestEvent', stream, [type], (pool, resolved, t) => new LatestEventObserver(pool, resolved, t));
  // The useSyncExternalStoreWithSelector pattern, in the observer: an unchanged selection keeps
  // the previous result object, so React bails out of the render.
  const getSnapshot = useCallback(() => observer.getResult(enabled, select, isEqual), [observer, enabled, select, isEqual]);
  return useObserverStore(observer, enabled, getSnapshot, observer.getServerResult());
}
