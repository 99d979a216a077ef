import { classifyResponse } from '../core/transport/classify-response';
import { streamError } from '../core/errors/stream-error';
import type { Transport, TransportCallbacks, TransportRequest } from '../core/types';

/** One connection attempt the mock saw. */
export interface MockRequest {
  url: string;
  lastEventId: string | undefined;
  method: string;
  /** Resolved headers (a headers() function is called), as the fetch transport would send them. */
  headers: Record<string, string>;
  body: unknown;
  eventTypes: readonly string[];
  withCredentials: boolean;
}

export interface MockTransport extends Transport {
  /** Mark the newest connection for url as open (status 'open'). */
  open(url: string): void;
  /** Deliver an event; data that is not a string is sent as JSON. Opens the connection if needed. */
  emit(url: string, type: string, data: unknown, options?: { id?: string | undefined }): void;
  /** End the connection: with a status it is classified like a real response (204 closes with no error, 4xx are fatal, 5xx retried), without one it is a network error. */
  fail(url: string, options?: { status?: number | undefined; retryAfter?: string | undefined }): void;
  /** The server ended the stream normally (the client reconnects). */
  end(url: string): void;
  /** The server's `retry:` field. */
  retry(url: string, ms: number): void;
  /** How many connections are live for url now (connecting or open). */
  connections(url: string): number;
  /** Every connection attempt for url, oldest first. */
  requests(url: string): MockRequest[];
  /** Event types currently listened to on the newest live connection for url. */
  listening(url: string): string[];
}

interface MockConnection {
  request: TransportRequest;
  callbacks: TransportCallbacks;
  types: Set<string>;
  open: boolean;
  live: boolean;
}

/**
 * An in-memory transport for component tests: no network, no timers of its own, everything
 * synchronous. URLs may be given as the hook received them ('/api/x') or absolute.
 *
 * @example
 * const mock = createMockTransport();
 * render(<SseProvider transport={mock}><Prices /></SseProvider>);
 * act(() => mock.emit('/api/prices', 'tick', { price: 1 }, { id: '1' }));
 */
export function createMockTransport(): MockTransport {
  const all: MockConnection[] = [];
  const requests: MockRequest[] = [];
  const normalize = (url: string) => {
    try {
      return new URL(url, typeof document !== 'undefined' ? document.baseURI : undefined).href;
    } catch {
      return url;
    }
  };
  const live = (url: string) => all.filter((c) => c.live && c.request.url === normalize(url));
  const newest = (url: string): MockConnection => {
    const found = live(url).at(-1);
    if (!found) throw new Error(`createMockTransport: no live connection for ${url}. Is a component subscribed to it (and enabled)?`);
    return found;
  };
  const finish = (c: MockConnection) => {
    c.live = false;
  };

  return {
    name: 'mock',
    connect(request, callbacks) {
      const connection: MockConnection = { request, callbacks, types: new Set(request.eventTypes), open: false, live: true };
      all.push(connection);
      const { options } = request;
      requests.push({
        url: request.url,
        lastEventId: request.lastEventId,
        method: options.method,
        headers: typeof options.headers === 'function' ? {} : { ...options.headers },
        body: typeof options.body === 'function' ? options.body() : options.body,
        eventTypes: [...request.eventTypes],
        withCredentials: options.withCredentials,
      });
      const recorded = requests[requests.length - 1]!;
      if (typeof options.headers === 'function') {
        // Called once per attempt, like the fetch transport; an async result is recorded when it settles.
        const headers = options.headers();
        if (headers instanceof Promise) void headers.then((h) => Object.assign(recorded.headers, h));
        else Object.assign(recorded.headers, headers);
      }
      return {
        listen: (type) => connection.types.add(type),
        unlisten: (type) => connection.types.delete(type),
        close: () => finish(connection),
      };
    },
    open(url) {
      const c = newest(url);
      if (c.open) return;
      c.open = true;
      c.callbacks.open();
    },
    emit(url, type, data, options = {}) {
      const c = newest(url);
      if (!c.open) this.open(url);
      // Like the fetch transport, the mock delivers every type; the pool filters.
      c.callbacks.event(type, typeof data === 'string' ? data : JSON.stringify(data), options.id);
    },
    fail(url, options = {}) {
      const c = newest(url);
      finish(c);
      const failure =
        options.status !== undefined
          ? classifyResponse(c.request.url, options.status, 'text/event-stream', options.retryAfter ?? null)
          : undefined;
      c.callbacks.failure(failure ?? { retry: 'backoff', error: streamError('network', `Lost the connection to ${c.request.url} (mock). Retrying with backoff.`) });
    },
    end(url) {
      const c = newest(url);
      finish(c);
      c.callbacks.failure({ retry: 'backoff', error: undefined });
    },
    retry(url, ms) {
      newest(url).callbacks.retry(ms);
    },
    connections: (url) => live(url).length,
    requests: (url) => requests.filter((r) => r.url === normalize(url)),
    listening: (url) => [...(live(url).at(-1)?.types ?? [])],
  };
}
