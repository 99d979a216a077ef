import { streamError } from '../errors/stream-error';
import { message } from '../errors/messages';
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
    return {
      retry: transient ? 'backoff' : 'never',
      error: streamError('http', message('http-status', url, status, transient), { status }),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'text/event-stream') {
    return {
      retry: 'never',
      error: streamError('content-type', message('content-type', url, contentType ?? '(none)')),
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
