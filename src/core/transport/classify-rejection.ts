import { describeCause, streamError } from '../errors/stream-error';
import { message } from '../errors/messages';
import type { TransportFailure } from '../types';
import { readHeadersWithin } from './read-headers-within';

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
    return { retry: 'backoff', error: streamError('network', message('unreachable', url, describeCause(cause)), { cause }) };
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
  const init: RequestInit = { method: 'HEAD', mode: 'no-cors', cache: 'no-store', credentials: 'omit' };
  return (await readHeadersWithin(url, init, attempt, PROBE_TIMEOUT_MS, () => true)) ?? false;
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
