import { LATE_CLOSE_MS } from './late-close';
import { classifyRejection } from './classify-rejection';
import { classifyResponse } from './classify-response';
import { readEventBody } from './read-event-body';
import { corsOrigin, fetchResume } from './resume-url';
import { describeCause, streamError } from '../errors/stream-error';
import { message } from '../errors/messages';
import type { Transport, TransportCallbacks, TransportRequest } from '../types';

/**
 * fetch + ReadableStream + eventsource-parser: everything native EventSource cannot do —
 * headers (Authorization), POST bodies, status codes — parsed like the browser's own.
 * Every attempt is one request; the connection's lifecycle decides when the next one starts.
 */
export function createFetchTransport(): Transport {
  return {
    name: 'fetch',
    connect(request, callbacks) {
      const control: AttemptControl = { controller: new AbortController(), closing: false, stage: 'preparing' };
      // Settles once the request is over: aborted, failed or ended (the slot is given back then).
      const finished = stream(request, callbacks, control).catch(() => undefined);
      return {
        // fetch delivers every event type; the connection drops the ones nobody listens to.
        listen() {},
        unlisten() {},
        close: () => {
          control.closing = true;
          // Chromium keeps the socket of a request aborted before its response headers open for
          // about 5 s (seen in the churn test): such a request is aborted once its headers
          // arrive, so the slot is given back when the socket really goes. Bounded, for a server
          // that never answers.
          if (control.stage === 'requesting') {
            control.lateAbort = setTimeout(() => control.controller.abort(), LATE_CLOSE_MS);
            return finished;
          }
          // Probing (the request failed; classifyRejection asks whether the server answers at all):
          // the probe is aborted with the attempt and settles at once.
          control.controller.abort();
          // Still preparing (a headers() promise pending): nothing is open, and no request will go out.
          return control.stage === 'preparing' ? undefined : finished;
        },
      };
    },
  };
}

interface AttemptControl {
  controller: AbortController;
  /** close() was called: nothing more is reported. */
  closing: boolean;
  /**
   * Resolving headers and body; the request went out and waits for its response headers; it
   * failed and a probe tells CORS from an unreachable server; reading the body.
   */
  stage: 'preparing' | 'requesting' | 'probing' | 'streaming';
  lateAbort?: ReturnType<typeof setTimeout>;
}

async function stream(request: TransportRequest, callbacks: TransportCallbacks, control: AttemptControl): Promise<void> {
  const { url, options } = request;
  const { signal } = control.controller;
  const over = () => control.closing || signal.aborted;
  let headerValues: HeadersInit | undefined;
  let body: BodyInit | null | undefined;
  try {
    // Called on every attempt, so a reconnect carries a refreshed token.
    headerValues = typeof options.headers === 'function' ? await options.headers() : options.headers;
    body = typeof options.body === 'function' ? options.body() : options.body;
  } catch (cause) {
    if (over()) return;
    return callbacks.failure({
      retry: 'backoff',
      error: streamError('network', message('options-threw', url, describeCause(cause)), { cause }),
    });
  }
  if (over()) return;
  let headers: Headers;
  try {
    headers = new Headers(headerValues);
  } catch (cause) {
    return callbacks.failure({
      retry: 'never',
      error: streamError('unsupported', message('bad-header', url, describeCause(cause)), { cause }),
    });
  }
  // No request header that needs a CORS preflight unless the user set one: a server that sends
  // only Access-Control-Allow-Origin refuses any preflight, so the stream would never start.
  // Accept is CORS-safelisted (its value has no CORS-unsafe byte). Caching is off through
  // `cache: 'no-store'` below, not a Cache-Control header, which is not safelisted.
  headers.set('Accept', 'text/event-stream');
  const pageOrigin = corsOrigin(url);
  // WHATWG HTML: the id is sent only when it is not empty. Cross-origin it goes in the query
  // parameter unless lastEventIdParam is false (see fetchResume).
  const resume = fetchResume(url, options.lastEventIdParam, request.lastEventId, pageOrigin !== undefined);
  if (resume.header !== undefined) headers.set('Last-Event-ID', resume.header);
  const method = options.method.toUpperCase();
  if (body != null && (method === 'GET' || method === 'HEAD')) {
    // fetch() would reject this as a TypeError indistinguishable from a network error, forever.
    return callbacks.failure({
      retry: 'never',
      error: streamError('unsupported', message('body-not-allowed', method, url)),
    });
  }
  let response: Response;
  control.stage = 'requesting';
  try {
    response = await fetch(resume.url, {
      method,
      headers,
      body: body ?? null,
      credentials: options.withCredentials ? 'include' : 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (cause) {
    clearTimeout(control.lateAbort);
    if (over()) return;
    control.stage = 'probing';
    const failure = await classifyRejection(url, cause, { pageOrigin, method, headers, withCredentials: options.withCredentials, signal });
    if (over()) return;
    return callbacks.failure(failure);
  }
  control.stage = 'streaming';
  if (over()) {
    clearTimeout(control.lateAbort);
    control.controller.abort();
    return void response.body?.cancel().catch(() => undefined);
  }
  const failure = classifyResponse(url, response.status, response.headers.get('content-type'), response.headers.get('retry-after'));
  if (failure || !response.body) {
    void response.body?.cancel().catch(() => undefined);
    return callbacks.failure(
      failure ?? { retry: 'backoff', error: streamError('network', message('no-body', url)) },
    );
  }
  callbacks.open();
  await readEventBody(response.body, url, options.maxEventBytes, callbacks, () => control.closing, over);
}

