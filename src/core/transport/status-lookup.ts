import { classifyResponse } from './classify-response';
import type { TransportFailure } from '../types';

/** How long the look-up may take; a server that has not answered by then is retried with backoff. */
const LOOKUP_TIMEOUT_MS = 3000;

/**
 * A native EventSource that gives up (readyState CLOSED) does not tell the page why: an HTTP error
 * status, a Content-Type other than text/event-stream and 204 all just "fail the connection"
 * (WHATWG HTML, server-sent events). One GET to the URL it requested, with its credentials, finds
 * the status out, so both transports keep one server contract (classifyResponse). Only the
 * response headers are read: the request is aborted as soon as they arrive, after
 * LOOKUP_TIMEOUT_MS, or with `closed`. Undefined when it cannot tell: unreachable, blocked by CORS,
 * too slow, or an event stream again. Firefox resolves fetch() only with the first body byte, so a
 * healthy stream that sends nothing at first reaches the timeout: undefined too.
 */
export async function lookUpStatus(url: string, requested: string, withCredentials: boolean, closed: AbortSignal): Promise<TransportFailure | undefined> {
  const lookup = new AbortController();
  const stop = () => lookup.abort();
  closed.addEventListener('abort', stop);
  // Not AbortSignal.timeout(): WebKit rejects it with an AbortError rather than a TimeoutError.
  const timer = setTimeout(stop, LOOKUP_TIMEOUT_MS);
  try {
    const response = await fetch(requested, {
      credentials: withCredentials ? 'include' : 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'text/event-stream' },
      signal: lookup.signal,
    });
    const { headers } = response;
    return classifyResponse(url, response.status, headers.get('content-type'), headers.get('retry-after'));
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    closed.removeEventListener('abort', stop);
    // The body is never read: a healthy stream must not stay open beside the next EventSource.
    lookup.abort();
  }
}
