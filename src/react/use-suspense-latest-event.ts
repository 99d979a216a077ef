import { useCallback, useEffect } from 'react';
import { firstEvent, forgetFirstEvent } from '../core/client/first-event';
import { LatestEventObserver } from '../core/client/view-observers';
import { SseError } from '../core/errors/sse-error';
import type { EventMap, SseEvent, StreamDescriptor, StreamSource, StreamState } from '../core/types';
import { usePool } from './context';
import { useObserverStore, useStreamObserver } from './use-stream-observer';

/**
 * @example
 * useSuspenseLatestEvent(prices, 'tick', { select: (t) => t.price });
 */
export interface UseSuspenseLatestEventOptions<T, S> {
  /** Re-render only when the selected value changes. */
  select?: ((data: T) => S) | undefined;
  /** Compares selected values. Default Object.is. */
  isEqual?: ((a: S, b: S) => boolean) | undefined;
}

export interface SuspenseLatestEventResult<S, T = unknown, K extends string = string> extends StreamState {
  /** The selected value of the newest event: never undefined, the hook suspends until there is one. */
  data: S;
  /** The event at which `data` last changed. */
  event: SseEvent<T, K>;
}

/** What the server renders instead: the nearest <Suspense> fallback (the stream starts in the browser). */
const NEVER = new Promise<never>(() => {});

/**
 * useLatestEvent for a `<Suspense>` boundary: suspends until the first event of `type`, then
 * renders with `data` defined. A stream that closes with an error before its first event throws
 * an `SseError` to the nearest error boundary. On the server it suspends (the fallback streams).
 *
 * @example
 * function Price() {
 *   const { data } = useSuspenseLatestEvent(prices, 'tick', { select: (t) => t.price });
 *   return <b>{data.toFixed(2)}</b>;
 * }
 * // <Suspense fallback={<Spinner />}><Price /></Suspense>
 */
export function useSuspenseLatestEvent<E extends EventMap, K extends keyof E & string, S = E[K]>(
  stream: StreamDescriptor<E>,
  type: K,
  options?: UseSuspenseLatestEventOptions<E[K], S>,
): SuspenseLatestEventResult<S, E[K], K>;
export function useSuspenseLatestEvent<T = unknown, S = T>(
  stream: string,
  type: string,
  options?: UseSuspenseLatestEventOptions<T, S>,
): SuspenseLatestEventResult<S, T>;
export function useSuspenseLatestEvent(
  stream: StreamSource,
  type: string,
  options: UseSuspenseLatestEventOptions<unknown, unknown> = {},
): SuspenseLatestEventResult<unknown> {
  const { select, isEqual } = options;
  const pool = usePool('useSuspenseLatestEvent');
  const observer = useStreamObserver('useSuspenseLatestEvent', stream, [type], (p, resolved, t) => new LatestEventObserver(p, resolved, t));
  const getSnapshot = useCallback(() => observer.getResult(true, select, isEqual), [observer, select, isEqual]);
  const result = useObserverStore(observer, true, getSnapshot, observer.getServerResult());
  // The component's own subscription starts at commit; until its first event, the event the wait
  // saw is what it shows. Once committed, a later mount waits anew.
  const wait = result.event === undefined && typeof window !== 'undefined' ? firstEvent(pool, observer.stream, type) : undefined;
  useEffect(() => {
    if (wait) forgetFirstEvent(pool, observer.stream, type, wait);
  }, [pool, observer, type, wait]);
  if (result.event !== undefined) return result as SuspenseLatestEventResult<unknown>;
  if (!wait) throw NEVER;
  if (wait.error) {
    // An error boundary's retry waits anew (on a stream someone reconnect()ed, or fails again).
    forgetFirstEvent(pool, observer.stream, type, wait);
    throw new SseError(wait.error);
  }
  const event = wait.event;
  if (!event) throw wait.promise;
  return { ...result, data: select ? select(event.data) : event.data, event };
}
