import { describeCause, streamError } from '../stream/stream-error';
import { message } from '../stream/messages';
import type { TransportFailure } from '../types';

/**
 * Decides what an HTTP answer means for the stream. Shared by every transport that can see the
 * status, so 'fatal vs transient' is the same everywhere.
 * - 204: the spec's "stop reconnecting" signal (WHATWG HTML, server-sent events, §9.2.3): the
 *   stream closes with no error.
 * - 408, 429 and 5xx are transient; other 4xx will not heal by retrying.
 * Returns undefined for a usable event stream.
 */
export function classifyResponse(
  url: string,
  status: number,
  contentType: string | null,
  retryAfter: string | null,
): TransportFailure | undefined {
  // A deliberate stop, not a failure: 'closed' with no error, as after close().
  if (status === 204) return { retry: 'never', error: undefined };
  if (status < 200 || status >= 300) {
    const transient = status === 408 || status === 429 || status >= 500;
    const retryAfterMs = parseRetryAfter(retryAfter);
    const hint = transient
      ? 'Retrying with backoff.'
      : status === 401 || status === 403
        ? 'Check the credentials (headers) and call reconnect().'
        : 'Check the URL and the server, then call reconnect().';
    return {
      retry: transient ? 'backoff' : 'never',
      error: streamError('http', `${url} answered HTTP ${status}. ${hint}`, { status }),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'text/event-stream') {
    return {
      retry: 'never',
      error: streamError(
        'content-type',
        `${url} answered with Content-Type "${contentType ?? '(none)'}"; an event stream must be text/event-stream. Fix the server response (or the URL).`,
        { status },
      ),
    };
  }
  return undefined;
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** What classifyRejection needs to know about the request that failed. */
export interface RejectedRequest {
  /** The page's origin when the request was cross-origin (see corsOrigin), else undefined. */
  pageOrigin: string | undefined;
  method: string;
  headers: Headers;
  withCredentials: boolean;
  /** The attempt's signal: close() stops the probe too. */
  signal: AbortSignal;
}

/**
 * A fetch that rejected: browsers give the same `TypeError: Failed to fetch` for a request
 * refused by CORS and for a server that cannot be reached. For a cross-origin request a probe
 * tells them apart, so the message can name CORS. Either way a 'network' failure retried with
 * backoff: a server deploy can fix its CORS headers, and a probe that misreads a passing network
 * glitch must not close the stream for good.
 */
export async function classifyRejection(url: string, cause: unknown, request: RejectedRequest): Promise<TransportFailure> {
  const { pageOrigin } = request;
  if (pageOrigin === undefined || !(await answers(url, request.signal))) {
    return { retry: 'backoff', error: streamError('network', `Could not reach ${url} (${describeCause(cause)}). Retrying with backoff.`, { cause }) };
  }
  // The list of headers only words the development message; production builds drop it.
  const preflight = process.env.NODE_ENV !== 'production' ? preflightNeeds(request.method, request.headers) : '';
  return { retry: 'backoff', error: streamError('network', message('cors', url, pageOrigin, preflight, request.withCredentials), { cause }) };
}

/** How long the probe may take; a server that does not answer by then counts as unreachable. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * Whether the server answers at all. A `no-cors` request needs no CORS headers: its (opaque)
 * response arrives whenever the server answers, and fetch rejects only when it does not. HEAD,
 * so no event stream is started for nothing; any answer (a 405 too) proves the server is there.
 * Aborted once answered, on timeout, and with the attempt.
 */
async function answers(url: string, attempt: AbortSignal): Promise<boolean> {
  const probe = new AbortController();
  const stop = () => probe.abort();
  attempt.addEventListener('abort', stop);
  const timer = setTimeout(stop, PROBE_TIMEOUT_MS);
  try {
    await fetch(url, { method: 'HEAD', mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: probe.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    attempt.removeEventListener('abort', stop);
    probe.abort();
  }
}

// Fetch spec, "CORS-safelisted request-header" (the values of Accept and the languages are not
// checked: this only words a hint).
const SAFELISTED_HEADER = /^(accept|accept-language|content-language)$/;
const SAFELISTED_CONTENT_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;

/** What the server's preflight answer must allow for this request ('' when it sends no preflight). */
function preflightNeeds(method: string, headers: Headers): string {
  const names: string[] = [];
  headers.forEach((value, name) => {
    if (SAFELISTED_HEADER.test(name) || (name === 'content-type' && SAFELISTED_CONTENT_TYPE.test(value))) return;
    names.push(name);
  });
  const needs = names.length > 0 ? [`Access-Control-Allow-Headers: ${names.join(', ')}`] : [];
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') needs.push(`Access-Control-Allow-Methods: ${method}`);
  return needs.join(' and ');
}
