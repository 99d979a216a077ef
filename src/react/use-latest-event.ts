import { useCallback, useRef } from 'react';
import type { PublicState } from '../core/connection/state';
import { LatestEventObserver } from '../core/client/stream-observer';
import type { EventMap, SseEvent, StreamDescriptor, StreamError, StreamSource, StreamStatus } from '../core/types';
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

export interface LatestEventResult<S, T = unknown, K extends string = string> {
  /** The selected value of the newest event (its data when there is no select). */
  data: S | undefined;
  /** The event at which `data` last changed. */
  event: SseEvent<T, K> | undefined;
  status: StreamStatus;
  error: StreamError | undefined;
}

const SERVER_SNAPSHOT: LatestEventResult<never> = Object.freeze({ data: undefined, event: undefined, status: 'connecting', error: undefined });

const identity = <T,>(value: T) => value;

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
  const { select = identity, isEqual = Object.is, enabled = true } = options;
  const observer = useStreamObserver('useLatestEvent', stream, [type], (pool, resolved, t) => new LatestEventObserver(pool, resolved, t));
  const memo = useRef<{ state: PublicState; event: SseEvent | undefined; select: unknown; result: LatestEventResult<unknown> }>(undefined);
  // The useSyncExternalStoreWithSelector pattern: an unchanged selection returns the previous
  // result object, so React bails out of the render.
  const getSnapshot = useCallback((): LatestEventResult<unknown> => {
    const state = observer.state(enabled);
    const event = observer.latest;
    const prev = memo.current;
    if (prev && prev.state === state && prev.event === event && prev.select === select) return prev.result;
    const data = event ? select(event.data) : undefined;
    const unchanged =
      prev && prev.state === state && prev.result.event !== undefined && event !== undefined && isEqual(prev.result.data, data);
    const result = unchanged ? prev.result : { data, event, status: state.status, error: state.error };
    memo.current = { state, event, select, result };
    return result;
  }, [observer, enabled, select, isEqual]);
  return useObserverStore(observer, enabled, getSnapshot, SERVER_SNAPSHOT);
}
