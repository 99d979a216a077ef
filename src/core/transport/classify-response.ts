import { streamError } from '../stream/stream-error';
import type { TransportFailure } from '../types';

/**
 * Decides what an HTTP answer means for the stream. Shared by every transport that can see the
 * status, so 'fatal vs transient' is the same everywhere.
 * - 204: the spec's "stop reconnecting" signal (WHATWG HTML, server-sent events, §9.2.3).
 * - 408, 429 and 5xx are transient; other 4xx will not heal by retrying.
 * Returns undefined for a usable event stream.
 */
export function classifyResponse(
  url: string,
  status: number,
  contentType: string | null,
  retryAfter: string | null,
): TransportFailure | undefined {
  if (status === 204) {
    return {
      retry: 'never',
      error: streamError('http', `${url} answered 204 No Content: the server asked clients to stop. Call reconnect() to start again.`, { status }),
    };
  }
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
