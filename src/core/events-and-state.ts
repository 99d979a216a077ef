// What a stream delivers and shows: its events, its status and its errors. The bottom of the
// core's layers (it imports nothing); types.ts re-exports all of it.

export type EventMap = Record<string, unknown>;

export type StreamStatus =
  | 'queued' // waiting for a free slot under maxConnectionsPerOrigin
  | 'connecting' // first connection attempt in flight (also the SSR / pre-hydration value)
  | 'open' // connected, events flowing
  | 'reconnecting' // lost; waiting out backoff or retrying
  | 'paused' // deliberately not connected: enabled=false, page hidden, or offline
  | 'closed'; // stopped for good: close() called, fatal error, or retries exhausted

export interface SseEvent<T = unknown, K extends string = string> {
  /** 'message' for unnamed events. */
  type: K;
  /** Parsed (and validated, when a schema is given). */
  data: T;
  /**
   * The event's own `id:` field, if any. The native EventSource does not expose the field: with
   * it, `id` is set when the event changed the stream's last event id.
   */
  id: string | undefined;
  /** The stream's last event id after this event. */
  lastEventId: string;
  /** Date.now() when it arrived. */
  receivedAt: number;
}

/** The union of typed events of an event map: narrowing on `type` narrows `data`. */
export type SseEventOf<E extends EventMap> = { [K in keyof E & string]: SseEvent<E[K], K> }[keyof E & string];

/**
 * What every hook returns about its stream (useSseStatus returns only this; the others add their
 * own fields). The same object until one of the fields it shows changes.
 *
 * @example
 * const { status, error, retryCount, reconnect } = useSseStatus(prices);
 */
export interface StreamState {
  status: StreamStatus;
  /**
   * The stream's current problem: a connection error is cleared by the next successful open, an
   * event error (parse, validation, too-large) by the next event delivered.
   */
  error: StreamError | undefined;
  /** Reconnect attempts since the last successful open. */
  retryCount: number;
  /**
   * The stream's last event id when this result was made. Only useEventStream re-renders for it
   * alone; useSseStatus, useLatestEvent and useEventReducer pick it up with their next change, so
   * that they still render only for what they show (status, the selected value, the state).
   */
  lastEventId: string | undefined;
  /** Reconnect now with a fresh retry budget (also from 'closed'), for every subscriber. */
  reconnect(): void;
  /** Stop the stream for every subscriber -> 'closed' (until reconnect()). */
  close(): void;
}

export type StreamErrorKind = StreamError['kind'];

/**
 * What went wrong, discriminated by `kind`: `status` exists exactly on `'http'`, `eventType`
 * exactly on the errors of one event (`'parse'`, `'validation'`, `'too-large'`), so narrowing on
 * `kind` gives them their types. `'max-attempts'` keeps the last error it gave up on as `cause`.
 *
 * @example
 * if (error?.kind === 'http' && error.status === 401) signIn();
 */
export type StreamError = HttpStreamError | EventStreamError | TooLargeStreamError | OtherStreamError;

/** The fields every StreamError has. */
interface StreamErrorBase {
  /** Readable, says what to do (a short code in production builds). */
  message: string;
  cause?: unknown;
}

/** The server answered with a status that is not an event stream's. */
interface HttpStreamError extends StreamErrorBase {
  kind: 'http';
  status: number;
}

/** One event could not be read; the stream goes on. */
interface EventStreamError extends StreamErrorBase {
  kind: 'parse' | 'validation';
  eventType: string;
}

/**
 * One event was over maxEventBytes and dropped; the stream goes on. `eventType` is absent when the
 * event overflowed before its type was known (it is dropped without being buffered).
 */
interface TooLargeStreamError extends StreamErrorBase {
  kind: 'too-large';
  eventType?: string;
}

/** `'max-attempts'`: `cause` is the last error before giving up, when there was one. */
interface OtherStreamError extends StreamErrorBase {
  kind: 'network' | 'content-type' | 'max-attempts' | 'unsupported';
}
