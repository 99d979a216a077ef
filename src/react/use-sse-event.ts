import { useEffect } from 'react';
import { HandlerObserver } from '../core/client/stream-observer';
import type { EventMap, SseEvent, StreamDescriptor, StreamSource } from '../core/types';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';
import { useStreamObserver } from './use-stream-observer';

/**
 * Calls `handler` for every event of `type` (toasts, logs, cache updates). The newest handler is
 * always used and the calling component never re-renders because of events.
 *
 * @example
 * useSseEvent(alerts, 'notification', (e) => toast(e.data.text));
 */
export function useSseEvent<E extends EventMap, K extends keyof E & string>(
  stream: StreamDescriptor<E>,
  type: K,
  handler: (event: SseEvent<E[K], K>) => void,
  options?: { enabled?: boolean | undefined },
): void;
export function useSseEvent<T = unknown>(
  stream: string,
  type: string,
  handler: (event: SseEvent<T>) => void,
  options?: { enabled?: boolean | undefined },
): void;
export function useSseEvent(
  stream: StreamSource,
  type: string,
  handler: (event: SseEvent<never>) => void,
  options: { enabled?: boolean | undefined } = {},
): void {
  const { enabled = true } = options;
  const observer = useStreamObserver('useSseEvent', stream, [type], (pool, resolved, t) => new HandlerObserver(pool, resolved, t));
  useIsomorphicLayoutEffect(() => {
    observer.handler = handler as (event: SseEvent) => void;
  });
  useEffect(() => observer.subscribe(() => {}, enabled), [observer, enabled]);
}
