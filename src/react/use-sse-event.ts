import { useEffect } from 'react';
import { HandlerObserver } from '../core/client/handler-observers';
import type { EventMap, SseEvent, StreamDescriptor, StreamError, StreamSource } from '../core/types';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';
import { useStreamObserver } from './use-stream-observer';

/**
 * `onError` is called with every StreamError as it happens — connection errors and event errors
 * (parse, validation, too-large) — also one a later event clears before a render could show it.
 */
export interface UseSseEventOptions {
  enabled?: boolean | undefined;
  onError?: ((error: StreamError) => void) | undefined;
}

/**
 * Calls `handler` for every event of `type` (toasts, logs, cache updates). The newest handler is
 * always used and the calling component never re-renders because of events.
 *
 * @example
 * useSseEvent(alerts, 'notification', (e) => toast(e.data.text), { onError: (error) => log(error) });
 */
export function useSseEvent<E extends EventMap, K extends keyof E & string>(
  stream: StreamDescriptor<E>,
  type: K,
  handler: (event: SseEvent<E[K], K>) => void,
  options?: UseSseEventOptions,
): void;
export function useSseEvent<T = unknown>(
  stream: string,
  type: string,
  handler: (event: SseEvent<T>) => void,
  options?: UseSseEventOptions,
): void;
export function useSseEvent(
  stream: StreamSource,
  type: string,
  handler: (event: SseEvent<never>) => void,
  options: UseSseEventOptions = {},
): void {
  const { enabled = true, onError } = options;
  const observer = useStreamObserver('useSseEvent', stream, [type], (pool, resolved, t) => new HandlerObserver(pool, resolved, t));
  useIsomorphicLayoutEffect(() => {
    observer.handler = handler as (event: SseEvent) => void;
    observer.errorHandler = onError;
  });
  useEffect(() => observer.subscribe(() => {}, enabled), [observer, enabled]);
}
