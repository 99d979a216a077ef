import type { Connection, ConnectionSubscriber } from '../connection/connection';
import type { PublicState } from '../connection/state';
import type { EventMap, PoolEntry, SseEvent, SseEventOf, StreamDescriptor, StreamError, StreamSource, StreamState, StreamStatus } from '../types';
import { callSafely } from '../errors/call-safely';
import { registerPool } from './client-pools';
import { ConnectionPool, type PoolConfig } from './pool';
import { poolEntries } from './pool-entries';
import { streamEvents } from './stream-events';
import { forwardedOptions, forwardedSource } from '../stream/function-forwarders';
import type { ResolvedStream } from '../stream/resolve-stream';

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
  events?: readonly K[];
  /** Every event of those types, in order, as it arrives. */
  onEvent?: (event: Ev) => void;
  /** Called at once with the current status, then on every change of status, error or retryCount. */
  onStatus?: (status: StreamStatus, state: StreamState) => void;
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
  events?: readonly K[];
  /** Aborting ends the iteration (it returns; it does not throw). */
  signal?: AbortSignal;
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
   * closes with an error (the Error's `cause` is the StreamError). Events are queued while the
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

/**
 * @example
 * export const sseClient = createSseClient({ maxConnectionsPerOrigin: 4 });
 * // <SseProvider client={sseClient}> … and outside React:
 * const stop = sseClient.subscribe(prices, { onEvent: (e) => priceStore.set(e.data) });
 */
export function createSseClient(options: SseClientOptions = {}): SseClient {
  // Function options (a headers() token getter, a body()) key connections by their shared
  // forwarders, as in hooks: a component and the client on one descriptor share one connection.
  const pool = new ConnectionPool({ ...options, defaults: forwardedOptions(options.defaults) });
  const resolve = (stream: StreamSource) => pool.resolve(forwardedSource(stream));
  const peek = (stream: StreamSource) => pool.peek(resolve(stream).key);
  const client: SseClient = {
    subscribe: (stream: StreamSource, opts: SubscribeOptions = {}) => subscribeTo(pool, resolve(stream), opts),
    events: (stream: StreamSource, opts: EventsOptions = {}) =>
      streamEvents((onEvent, onStatus) => {
        // A stream that finished (a finite response that ended) and that nobody reads any more is
        // asked for again: a new iteration is a new request (a refetch). While components still
        // show its answer it is never re-sent; the iteration then ends at once.
        const finished = peek(stream);
        if (finished?.finished && finished.subscriberCount === 0) finished.reconnect();
        return client.subscribe(stream as string, { events: opts.events, onEvent, onStatus });
      }, opts.signal),
    close: (stream) => peek(stream)?.close(),
    reconnect: (stream) => peek(stream)?.reconnect(),
    entries: () => poolEntries(pool),
    dispose: () => pool.dispose(),
  };
  registerPool(client, pool);
  return client;
}

function subscribeTo(pool: ConnectionPool, resolved: ResolvedStream, { events, onEvent, onStatus, onError }: SubscribeOptions): () => void {
  let shown: PublicState | undefined;
  // The connection joined: still reported after the client's dispose() took it out of the pool.
  let joined: Connection | undefined;
  const report = () => {
    const state = joined?.state;
    if (!state || state === shown) return;
    shown = state;
    if (onStatus) callSafely(onStatus, state.status, state);
  };
  const subscriber: ConnectionSubscriber = {
    // A copy: the connection finds the subscriber's channel by its types when it leaves.
    types: [...new Set(events ?? resolved.events)],
    decoder: resolved.decoder,
    onEvent: (event) => {
      if (onEvent) callSafely(onEvent, event);
    },
    onState: report,
    onError: onError && ((error) => callSafely(onError, error)),
    showsErrors: () => onError !== undefined || onStatus !== undefined,
    attach: (_channel, connection) => (joined = connection),
  };
  const unsubscribe = pool.subscribe(resolved, subscriber);
  report();
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    unsubscribe();
  };
}
