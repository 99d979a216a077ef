import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { EventMap, SseEvent, StreamError, StreamStatus } from './events-and-state';

export type { EventMap, SseEvent, SseEventOf, StreamError, StreamErrorKind, StreamState, StreamStatus } from './events-and-state';

/** Event type -> payload type. `message` is the type of events sent without an `event:` field. */

/**
 * The reconnect policy: delay n = min(maxDelayMs, initialDelayMs × factor^n), full jitter when on.
 *
 * @example
 * defineStream('/api/feed', { retry: { initialDelayMs: 500, maxDelayMs: 10_000, maxAttempts: 20 } });
 */
export interface RetryOptions {
  /** Delay before the first reconnect attempt. Default 1000. A server's `retry:` field replaces it. */
  initialDelayMs?: number | undefined;
  /** Upper bound of any delay. Default 30000. */
  maxDelayMs?: number | undefined;
  /** Growth per attempt. Default 2. */
  factor?: number | undefined;
  /** Full jitter: a random delay between 0 and the computed one. Default true. */
  jitter?: boolean | undefined;
  /** Reconnect attempts after a loss before giving up with 'max-attempts'. Default Infinity. */
  maxAttempts?: number | undefined;
  /**
   * Lower bound of any delay between two attempts, the server's `retry:` included. Default 500:
   * a server that sends `retry: 0` and ends its responses cannot make clients hammer it.
   */
  minDelayMs?: number | undefined;
  /**
   * Decides each connection failure before the default rule (4xx other than 408/429 and a wrong
   * content type close, the rest is retried): true retries it with backoff — a 401 or 404 too —
   * false closes the stream with the error. A promise lets the app refresh a token first: the next
   * attempt calls `headers()` again. Still bounded by maxAttempts and the delay bounds. `attempt`
   * counts the failures since the stream last opened (1 for the first). Not asked for event errors
   * (parse, validation, too-large), for a 204 (the server asks the client to stop), nor after close().
   * A function that throws or rejects leaves the failure to the default rule.
   *
   * @example
   * retry: { shouldRetry: async (error) => error.kind === 'http' && error.status === 401 && (await refreshToken()) }
   */
  shouldRetry?: ((error: StreamError, attempt: number) => boolean | Promise<boolean>) | undefined;
}

/** Data that ends a stream for good: a string compared with the data, or a predicate. */
export type EndOn = string | ((data: string, type: string) => boolean) | false;

export type HeadersInput =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

export type BodyInput = BodyInit | null | undefined | (() => BodyInit | null | undefined);

export type EventSchemas<E extends EventMap> = {
  [K in keyof E]?: StandardSchemaV1<unknown, E[K]> | undefined;
};

/**
 * Everything a stream can be configured with, on a descriptor or as the provider's `defaults`.
 *
 * @example
 * const orders = defineStream<{ order: Order }>('/api/orders', {
 *   events: ['order'],
 *   headers: async () => ({ Authorization: `Bearer ${await getToken()}` }), // implies transport 'fetch'
 *   retry: { maxAttempts: 10 },
 *   pauseWhenHidden: 30_000,
 * });
 */
export interface StreamOptions<E extends EventMap = EventMap> {
  /** Named event types to listen to. Native EventSource cannot listen to "all" events. */
  events?: ReadonlyArray<keyof E & string> | undefined;
  /** 'eventsource' (default), 'fetch', or a custom Transport. Headers, method or body imply 'fetch'. */
  transport?: 'eventsource' | 'fetch' | Transport | undefined;
  withCredentials?: boolean | undefined;
  /** Fetch transport. A function is called on every connection attempt (refreshed tokens). */
  headers?: HeadersInput | undefined;
  /** Fetch transport. Default 'GET'. */
  method?: string | undefined;
  /** Fetch transport. A function is called on every connection attempt. */
  body?: BodyInput | undefined;
  /** Turns the data string into a payload. Default JSON.parse. */
  parse?: ((data: string, type: string) => unknown) | undefined;
  /** Standard Schema (zod, valibot, arktype …) per event type. */
  schemas?: EventSchemas<E> | undefined;
  retry?: RetryOptions | undefined;
  /**
   * Query parameter that carries the last event id to resume from, where the Last-Event-ID header
   * cannot be sent: when a native EventSource must be re-created (a new EventSource cannot set
   * headers), and when a fetch-transport stream resumes cross-origin (Last-Event-ID is not a
   * CORS-safelisted header for fetch, whatwg/fetch#568, so it would need a preflight). Servers
   * should read the header first and fall back to this parameter. Default 'lastEventId'.
   * `false` disables the parameter: a re-created EventSource then resumes without the id, and a
   * cross-origin fetch stream sends the Last-Event-ID header, which the server must allow in its
   * preflight answer (Access-Control-Allow-Headers: Last-Event-ID).
   *
   * @example
   * defineStream('https://events.example.com/feed', { transport: 'fetch', lastEventIdParam: 'since' }); // ?since=42 on resume
   */
  lastEventIdParam?: string | false | undefined;
  /** true, or ms hidden before pausing; resumes with the last event id. */
  pauseWhenHidden?: boolean | number | undefined;
  /** Fetch transport: an event whose data takes more UTF-8 bytes is dropped with error kind 'too-large'. Default 1 MiB. */
  maxEventBytes?: number | undefined;
  /**
   * A stream that ends: the end of the response (or `endOn`) finishes it -> 'closed' with no error
   * and no retry (a POST is sent again only by reconnect(), or by a new reader once the connection
   * is let go). A loss before the end is still retried from the last event id. Default: true when
   * method is not GET. Selects the fetch transport unless `transport: 'eventsource'` is forced
   * (then any end of the connection finishes it).
   *
   * @example
   * defineStream<{ message: Chunk }>('/api/chat', { method: 'POST', body: () => JSON.stringify(prompt) }); // finite
   */
  finite?: boolean | undefined;
  /** Data that ends the stream for good, never parsed nor delivered. Default '[DONE]'; false disables. */
  endOn?: EndOn | undefined;
  /**
   * An open stream that receives nothing for this long is treated as lost (error kind 'network',
   * reconnect with backoff from the last event id). Fetch transport: any bytes count, comments
   * (keep-alives) included; native EventSource: only events count. Default false.
   */
  idleTimeoutMs?: number | false | undefined;
  /**
   * Where the stream's last event id is kept, so that a reload or a new tab resumes where the last
   * page stopped: 'memory' (default) for the page's life only; 'session' / 'local' also in
   * sessionStorage / localStorage — under a hash of the stream's URL and options, the id alone,
   * at most 100 streams per storage area (least recently written dropped). A finished finite stream
   * (or `endOn`) removes its id. Storage that throws (disabled, quota) falls back to memory.
   *
   * @example
   * defineStream('/api/notifications', { resume: 'session' }); // a reload sends Last-Event-ID
   */
  resume?: 'memory' | 'session' | 'local' | undefined;
}

/** A typed stream made by defineStream(). `E` is only carried in the type. */
export interface StreamDescriptor<E extends EventMap = EventMap> {
  readonly url: string;
  readonly options: StreamOptions<E>;
  /** Phantom field: never set at runtime. */
  readonly __events?: E;
}

/** Anything a hook accepts as a stream: a descriptor or a plain URL. */
export type StreamSource<E extends EventMap = EventMap> = StreamDescriptor<E> | string;

/** What useSsePool() reports for each connection. */
export interface PoolEntry {
  key: string;
  url: string;
  status: StreamStatus;
  subscribers: number;
  eventTypes: readonly string[];
  eventsReceived: number;
  retryCount: number;
  owner: 'this-tab' | 'other-tab';
  error: StreamError | undefined;
  lastEventId: string | undefined;
  /** 1-based place in the per-origin queue while status is 'queued'. */
  queuePosition: number | undefined;
  transport: string;
  /**
   * What the stream's origin speaks, from the page's timing entries (nextHopProtocol): the page's
   * navigation for its own origin, an earlier request's resource entry for another (shown
   * cross-origin only with Timing-Allow-Origin); undefined when unknown. maxConnectionsPerOrigin
   * 'auto' lifts the limit for 'h2' and 'h3'.
   */
  protocol: 'http/1.1' | 'h2' | 'h3' | undefined;
}

// ---------------------------------------------------------------------------------------------
// Transport contract: one object per connection attempt. The connection's lifecycle (its reducer)
// owns retries, status and the budget slot; a transport only reports what happened on the wire.

export interface ConnectionOptions {
  withCredentials: boolean;
  headers: HeadersInput | undefined;
  method: string;
  body: BodyInput;
  lastEventIdParam: string | false;
  maxEventBytes: number;
}

export interface TransportRequest {
  /** Absolute stream URL, without any resume parameter. */
  url: string;
  /** Event types subscribers currently listen to (more may be added with listen()). */
  eventTypes: readonly string[];
  /** Id to resume from, once the stream has seen one. */
  lastEventId: string | undefined;
  options: ConnectionOptions;
}

export interface TransportFailure {
  /** Undefined when the server ended the stream normally. */
  error: StreamError | undefined;
  /**
   * 'backoff': the attempt is over; the connection's lifecycle decides when the next one starts
   *   (with `error: undefined`, the server ended the response normally: a finite stream is finished).
   * 'never': the stream closes: fatal (4xx, wrong content type), or with `error: undefined` the
   *   server asked it to stop (204).
   * 'self': the transport is reconnecting on its own (a native EventSource in CONNECTING state).
   */
  retry: 'backoff' | 'never' | 'self';
  /** From a Retry-After header. */
  retryAfterMs?: number | undefined;
}

export interface TransportCallbacks {
  open(): void;
  /** `id` is the event's own id field when it had one (it then becomes the last event id). */
  event(type: string, data: string, id: string | undefined): void;
  /** The server's `retry:` field. */
  retry(ms: number): void;
  failure(failure: TransportFailure): void;
  /** A problem that did not end the stream (an oversized event was dropped). */
  error(error: StreamError): void;
  /**
   * The last event id changed without an event (a block with only an `id:` field, or a dropped
   * oversized event): the next reconnect must resume from it.
   */
  id?(id: string): void;
  /** Any bytes arrived, comments (keep-alives) included: the connection is alive (idleTimeoutMs). */
  activity?(): void;
}

export interface TransportConnection {
  /** Start delivering events of this type (native EventSource needs one listener per type). */
  listen(type: string): void;
  unlisten(type: string): void;
  /**
   * Ends the attempt. A promise, when returned, settles once the connection has really closed: the
   * stream's budget slot is given back only then, so a churn of streams never has more sockets
   * open than the budget.
   */
  close(): void | Promise<void>;
}

export interface Transport {
  readonly name: string;
  connect(request: TransportRequest, callbacks: TransportCallbacks): TransportConnection;
}
