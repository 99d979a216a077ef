import { classifyResponse } from './classify-response';
import type { TransportFailure } from '../types';
import { readHeadersWithin } from './read-headers-within';

/** How long the look-up may take; a server that has not answered by then is retried with backoff. */
const LOOKUP_TIMEOUT_MS = 3000;

/**
 * A native EventSource that gives up (readyState CLOSED) does not tell the page why: an HTTP error
 * status, a Content-Type other than text/event-stream and 204 all just "fail the connection"
 * (WHATWG HTML, server-sent events). One GET to the URL it requested, with its credentials, finds
 * the status out, so both transports keep one server contract (classifyResponse). Only the
 * response headers are read (readHeadersWithin): the request ends as soon as they arrive, after
 * LOOKUP_TIMEOUT_MS, or with `closed`. Undefined when it cannot tell: unreachable, blocked by CORS,
 * too slow, or an event stream again. Firefox resolves fetch() only with the first body byte, so a
 * healthy stream that sends nothing at first reaches the timeout: undefined too.
 */
export function lookUpStatus(url: string, requested: string, withCredentials: boolean, closed: AbortSignal): Promise<TransportFailure | undefined> {
  const init: RequestInit = { credentials: withCredentials ? 'include' : 'same-origin', cache: 'no-store', headers: { Accept: 'text/event-stream' } };
  return readHeadersWithin(requested, init, closed, LOOKUP_TIMEOUT_MS, ({ status, headers }) =>
    classifyResponse(url, status, headers.get('content-type'), headers.get('retry-after')),
  );
}
