import type { EventMap, StreamDescriptor, StreamOptions } from '../types';

/**
 * Declares a stream once, with its event types and payload types, for use by every hook.
 * Descriptors are plain frozen objects: define them at module level and share them.
 *
 * @example
 * const prices = defineStream<{ tick: Tick; halt: Halt }>('/api/prices', { events: ['tick', 'halt'] });
 * const tick = useLatestEvent(prices, 'tick').data; // Tick | undefined
 */
export function defineStream<E extends EventMap = { message: unknown }>(
  url: string,
  options: StreamOptions<E> = {},
): StreamDescriptor<E> {
  return Object.freeze({ url, options: Object.freeze({ ...options }) });
}
