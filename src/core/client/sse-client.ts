import type { EventMap, PoolEntry, SseEvent, SseEventOf, StreamDescriptor, StreamError, StreamSource, StreamState, StreamStatus } from '../types';
import type { PoolConfig } from './pool-config';

/**
 * @example
 * const client = createSseClient({ maxConnectionsPerOrigin: 4, lingerMs: 1000 });
 */
export type SseClientOptions = PoolConfig;

/**
 * @example
 * client.subscribe(prices, { events: ['tick'], onEvent: (e) => store.set(e.data), onStatus: (s) => log(s) });
 */
export interface SubscribeOptions<Ev extends SseEvent = SseEvent, K extends string = string> {
  /** Event types to receive. Default: the descriptor's `events`, else ['message']. */
  events?: readonly K[] | undefined;
  /** Every event of those types, in order, as it arrives. */
  onEvent?: ((event: Ev) => void) | undefined;
  /** Called at once with the current status, then on every change of status, error or retryCount. */
  onStatus?: ((status: StreamStatus, state: StreamState) => void) | undefined;
  /**
   * Every StreamError as it happens: connection errors and event errors (parse, validation,
   * too-large), also one that a later event clears before onStatus could report it.
   */
  onError?: ((error: StreamError) => void) | undefined;
}

/**
 * @example
 * for await (const e of client.events(prices, { events: ['tick'], signal })) console.log(e.data);
 */
export interface EventsOptions<K extends string = string> {
  /** Event types to yield. Default: the descriptor's `events`, else ['message']. */
  events?: readonly K[] | undefined;
  /** Aborting ends the iteration (it returns; it does not throw). */
  signal?: AbortSignal | undefined;
}

/**
 * Everything `<SseProvider>` does, without React: the same shared connections, budget, reconnect
 * policy and cross-tab sharing for code outside components (a TanStack Query `streamedQuery`, a
 * store, a logger). Pass it to `<SseProvider client={client}>` and components share its connections.
 */
export interface SseClient {
  /** Adds a subscriber to the stream's shared connection (opening it if needed); returns the function that removes it. */
  subscribe<E extends EventMap, K extends keyof E & string = keyof E & string>(
    stream: StreamDescriptor<E>,
    options?: SubscribeOptions<SseEventOf<Pick<E, K>>, K>,
  ): () => void;
  subscribe<T = unknown>(stream: string, options?: SubscribeOptions<SseEvent<T>>): () => void;
  /**
   * The stream's events as an async iterable sharing the connection. It returns when the stream
   * finishes (a finite end or `endOn`), is closed, or `signal` aborts; it throws when the stream
   * closes with an error (an `SseError`, whose `cause` is the StreamError). Events are queued while the
   * consumer awaits something else, none are dropped. Iterating a stream that already finished
   * requests it again (a refetch) when nothing else reads it (a finished POST is never re-sent
   * under mounted components); one closed by close() or an error stays closed.
   */
  events<E extends EventMap, K extends keyof E & string = keyof E & string>(
    stream: StreamDescriptor<E>,
    options?: EventsOptions<K>,
  ): AsyncIterableIterator<SseEventOf<Pick<E, K>>>;
  events<T = unknown>(stream: string, options?: EventsOptions): AsyncIterableIterator<SseEvent<T>>;
  /** Stops the stream for every subscriber -> 'closed' (until reconnect()). */
  close(stream: StreamSource): void;
  /** Reconnects now with a fresh retry budget, also from 'closed'. */
  reconnect(stream: StreamSource): void;
  /** Every connection the client knows (what useSsePool() shows). */
  entries(): readonly PoolEntry[];
  /** Closes every connection this client holds and leaves cross-tab sharing; usable again afterwards. */
  dispose(): void;
}
