import { forwardedOptions, forwardedSource } from '../stream/function-forwarders';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { PoolEntry, SseEvent, StreamSource } from '../types';
import { ConnectionPool } from './pool';
import { poolEntries } from './pool-entries';
import type { EventsOptions, SseClient, SseClientOptions, SubscribeOptions } from './sse-client';
import { streamEvents } from './stream-events';
import { subscribeTo } from './subscribe-to';

/**
 * The pool with the public API on it: one object for plain code and for the components of a
 * `<SseProvider client={…}>`. A provider without a client makes a bare ConnectionPool, so apps
 * that never call createSseClient() do not download these methods.
 */
export class SseHubClient extends ConnectionPool implements SseClient {
  subscribe(stream: StreamSource, options: SubscribeOptions = {}): () => void {
    return subscribeTo((resolved, subscriber) => this.join(resolved, subscriber), this.#own(stream), options);
  }

  events(stream: StreamSource, options: EventsOptions = {}): AsyncIterableIterator<SseEvent> {
    return streamEvents((onEvent, onStatus) => {
      // A stream that finished (a finite response that ended) and that nobody reads any more is
      // asked for again: a new iteration is a new request (a refetch). While components still
      // show its answer it is never re-sent; the iteration then ends at once.
      const finished = this.peek(this.#own(stream).key);
      if (finished?.finished && finished.subscriberCount === 0) finished.reconnect();
      return this.subscribe(stream, { events: options.events, onEvent, onStatus });
    }, options.signal);
  }

  close(stream: StreamSource): void {
    this.peek(this.#own(stream).key)?.close();
  }

  reconnect(stream: StreamSource): void {
    this.peek(this.#own(stream).key)?.reconnect();
  }

  entries(): readonly PoolEntry[] {
    return poolEntries(this);
  }

  /**
   * A stream given to the public API: function options (a headers() token getter, a body()) key
   * connections by their shared forwarders, as in hooks, so a component and plain code on one
   * descriptor share one connection.
   */
  #own(stream: StreamSource): ResolvedStream {
    return this.resolve(forwardedSource(stream));
  }
}

/**
 * The client `<SseProvider>` uses too: give it one (`<SseProvider client={client}>`) and code
 * outside React shares the components' connections.
 *
 * @example
 * export const sseClient = createSseClient({ maxConnectionsPerOrigin: 4 });
 * // <SseProvider client={sseClient}> … and outside React:
 * const stop = sseClient.subscribe(prices, { onEvent: (e) => priceStore.set(e.data) });
 */
export function createSseClient(options: SseClientOptions = {}): SseClient {
  // Function defaults (a headers() token getter) are forwarded once here, as a provider keeps its
  // inline defaults stable across renders: every stream keys its connection by the same forwarders.
  return new SseHubClient({ ...options, defaults: forwardedOptions(options.defaults) });
}
