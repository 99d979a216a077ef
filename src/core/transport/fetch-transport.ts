import { mainThreadSlicer } from '../client/work-slicer';
import { createBoundedParser } from './bounded-event-parser';
import { LATE_CLOSE_MS } from './late-close';
import { classifyRejection, classifyResponse } from './classify-response';
import { corsOrigin, fetchResume } from './resume-url';
import { describeCause, streamError } from '../stream/stream-error';
import type { Transport, TransportCallbacks, TransportRequest } from '../types';

const EVENT = 0;
const RETRY = 1;
const ID = 2;
const TOO_LARGE = 3;
/** Events delivered between two looks at the slice clock. */
const RUN = 32;
/** How much of a chunk is parsed before its events are delivered. */
const PIECE_CHARS = 16_384;

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
      error: streamError('network', `The headers or body function for ${url} threw (${describeCause(cause)}). Retrying with backoff.`, { cause }),
    });
  }
  if (over()) return;
  let headers: Headers;
  try {
    headers = new Headers(headerValues);
  } catch (cause) {
    return callbacks.failure({
      retry: 'never',
      error: streamError('unsupported', `A header for ${url} is not valid (${describeCause(cause)}); header names and values must be plain ASCII. Fix the headers option.`, { cause }),
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
      error: streamError('unsupported', `A ${method} request cannot have a body; set method: 'POST' (or drop body) for ${url}.`),
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
      failure ?? { retry: 'backoff', error: streamError('network', `${url} answered without a body. Retrying with backoff.`, { status: response.status }) },
    );
  }
  callbacks.open();
  const maxChars = options.maxEventBytes;
  const emit = (kind: unknown, a: unknown, b: unknown, c: unknown): void => {
    if (kind === EVENT) callbacks.event(a as string, b as string, c as string | undefined);
    else if (kind === RETRY) callbacks.retry(a as number);
    else if (kind === ID) callbacks.id?.(a as string);
    else
      callbacks.error(
        streamError('too-large', `An event from ${url} was larger than maxEventBytes (${maxChars}); it was dropped and the stream goes on. Raise maxEventBytes if such events are expected.`),
      );
  };
  // What the parser found past the slice budget, in order, 4 slots each: the kind, then its values.
  const parsed: unknown[] = [];
  // The clock is read once per run of events, not per event.
  let untilCheck = 0;
  let inBudget = true;
  const found = (kind: number, a: unknown, b: unknown, c: unknown): void => {
    // close() from inside a callback stops the rest of an already-read chunk too.
    if (control.closing) return;
    if (--untilCheck <= 0) (untilCheck = RUN), (inBudget = mainThreadSlicer.hasBudget());
    if (parsed.length === 0 && inBudget) emit(kind, a, b, c);
    else parsed.push(kind, a, b, c);
  };
  const parser = createBoundedParser(maxChars, {
    onEvent: (event) => found(EVENT, event.event || 'message', event.data, event.id),
    onRetry: (ms) => found(RETRY, ms, undefined, undefined),
    onId: (id) => found(ID, id, undefined, undefined),
    onTooLarge: () => found(TOO_LARGE, undefined, undefined, undefined),
  });
  /**
   * Hands what the parser found past the budget to the connection in slices that yield to the
   * browser, and reads no further meanwhile: a flood waits in the socket (the server slows down),
   * not in memory. Returns false once the attempt is over.
   */
  const deliver = async (): Promise<boolean> => {
    for (let i = 0; i < parsed.length; ) {
      if (over()) return false;
      if (!mainThreadSlicer.hasBudget()) {
        await mainThreadSlicer.nextSlice();
        continue;
      }
      for (const end = Math.min(parsed.length, i + RUN * 4); i < end; i += 4) {
        emit(parsed[i], parsed[i + 1], parsed[i + 2], parsed[i + 3]);
        if (control.closing) return false;
      }
    }
    parsed.length = 0;
    untilCheck = 0;
    return !over();
  };
  const reader = response.body.getReader();
  // TextDecoder drops a leading BOM and keeps multi-byte characters split across chunks intact.
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Any bytes, comments (keep-alives) included, show the connection is alive (idleTimeoutMs).
      callbacks.activity?.();
      const text = decoder.decode(value, { stream: true });
      // In pieces: a big chunk parsed at once would hold all its events (and their lines) alive
      // until the last of them is delivered, slices later.
      for (let at = 0; at < text.length; at += PIECE_CHARS) {
        parser.feed(text.length <= PIECE_CHARS ? text : text.slice(at, at + PIECE_CHARS));
        if (!(await deliver())) return;
      }
      // A body already buffered resolves read after read as microtasks: past the slice budget,
      // yield a task before the next read (a flood of comments parses to nothing to deliver).
      if (!mainThreadSlicer.hasBudget()) await mainThreadSlicer.nextSlice();
    }
    // Bytes of an unfinished character become U+FFFD, as in the browser's own decoder.
    parser.feed(decoder.decode());
    if (!(await deliver())) return;
  } catch (cause) {
    if (over()) return;
    // Also reached when a callback threw: no reader may keep the response open behind our back.
    void reader.cancel().catch(() => undefined);
    return callbacks.failure({
      retry: 'backoff',
      error: streamError('network', `The stream from ${url} broke off (${describeCause(cause)}). Reconnecting from the last event id.`, { cause }),
    });
  }
  if (over()) return;
  // The server ended the response: per spec the client reconnects (only 204 stops it), unless the
  // stream is finite — the connection decides; `error: undefined` says the end was a normal one.
  callbacks.failure({ retry: 'backoff', error: undefined });
}

