import type { EventMap, SseEvent, StreamError, StreamStatus } from '../core/types';

/** The union of typed events of an event map: narrowing on `type` narrows `data`. */
export type SseEventOf<E extends EventMap> = { [K in keyof E & string]: SseEvent<E[K], K> }[keyof E & string];

export interface StreamStatusResult {
  status: StreamStatus;
  /** Latest error; cleared on the next successful open. */
  error: StreamError | undefined;
  /** Reconnect attempts since the last successful open. */
  retryCount: number;
}
