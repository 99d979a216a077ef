import { createBoundedParser } from './bounded-event-parser';
import { classifyResponse } from './classify-response';
import { streamError } from './stream-error';
import type { Transport, TransportCallbacks, TransportRequest } from './types';

/**
 * fetch + ReadableStream + eventsource-parser: everything native EventSource cannot do —
 * headers (Authorization), POST bodies, status codes — parsed like the browser's own.
 * Every attempt is one request; the pool decides when the next one starts.
 */
export function createFetchTransport(): Transport {
  return {
    name: 'fetch',
    connect(request, callbacks) {
      const controller = new AbortController();
      void stream(request, callbacks, controller.signal);
      return {
        // fetch delivers every event type; the pool drops the ones nobody listens to.
        listen() {},
        unlisten() {},
        close: () => controller.abort(),
      };
    },
  };
}

async function stream(request: TransportRequest, callbacks: TransportCallbacks, signal: AbortSignal): Promise<void> {
  const { url, options } = request;
  let response: Response;
  try {
    const headers = new Headers(typeof options.headers === 'function' ? await options.headers() : options.headers);
    headers.set('Accept', 'text/event-stream');
    headers.set('Cache-Control', 'no-store');
    // WHATWG HTML: the header is sent only when the last event id is not empty.
    if (request.lastEventId) headers.set('Last-Event-ID', request.lastEventId);
    if (signal.aborted) return;
    const body = typeof options.body === 'function' ? options.body() : options.body;
    response = await fetch(url, {
      method: options.method,
      headers,
      body: body ?? null,
      credentials: options.withCredentials ? 'include' : 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (cause) {
    if (signal.aborted) return;
    return callbacks.failure({
      retry: 'backoff',
      error: streamError('network', `Could not reach ${url} (${describe(cause)}). Retrying with backoff.`, { cause }),
    });
  }
  const failure = classifyResponse(url, response.status, response.headers.get('content-type'), response.headers.get('retry-after'));
  if (failure || !response.body) {
    void response.body?.cancel().catch(() => undefined);
    return callbacks.failure(
      failure ?? { retry: 'backoff', error: streamError('network', `${url} answered without a body. Retrying with backoff.`, { status: response.status }) },
    );
  }
  callbacks.open();
  const maxChars = options.maxEventBytes;
  const parser = createBoundedParser(maxChars, {
    onEvent: (event) => callbacks.event(event.event || 'message', event.data, event.id),
    onRetry: (ms) => callbacks.retry(ms),
    onTooLarge: () =>
      callbacks.error(
        streamError('too-large', `An event from ${url} was larger than maxEventBytes (${maxChars}); it was dropped and the stream goes on. Raise maxEventBytes if such events are expected.`),
      ),
  });
  const reader = response.body.getReader();
  // TextDecoder drops a leading BOM and keeps multi-byte characters split across chunks intact.
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (cause) {
    if (signal.aborted) return;
    return callbacks.failure({
      retry: 'backoff',
      error: streamError('network', `The stream from ${url} broke off (${describe(cause)}). Reconnecting from the last event id.`, { cause }),
    });
  }
  if (signal.aborted) return;
  // The server ended the response: per spec the client reconnects (only 204 stops it).
  callbacks.failure({ retry: 'backoff', error: undefined });
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
