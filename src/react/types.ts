import type { StreamState } from '../core/types';

export type { SseEventOf } from '../core/types';

/** What every hook returns about the connection: status, current error, retries since the last open. */
export type StreamStatusResult = StreamState;
