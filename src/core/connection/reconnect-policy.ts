import { streamError } from '../stream/stream-error';
import type { RetryOptions, StreamError, TransportFailure } from '../types';

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
  maxAttempts: Infinity,
  minDelayMs: 500,
};

/**
 * Delay before reconnect attempt `attempt` (0-based): min(maxDelay, initial × factor^attempt),
 * with "full jitter" (a uniform pick in [0, delay]) so that clients dropped together by one server
 * restart do not all come back in the same millisecond.
 */
export function backoffDelay(attempt: number, retry: ResolvedRetryOptions, random: () => number = Math.random): number {
  const exponential = retry.initialDelayMs * Math.pow(retry.factor, attempt);
  const capped = Math.min(retry.maxDelayMs, exponential);
  return Math.round(retry.jitter ? random() * capped : capped);
}

/** What to do after a failed or ended attempt. */
export type RetryDecision =
  | { kind: 'stop'; error: StreamError | undefined }
  /** Connect again after the delay. */
  | { kind: 'wait'; delayMs: number }
  /** The transport is reconnecting by itself (a native EventSource in CONNECTING state). */
  | { kind: 'self' };

export interface RetryContext {
  url: string;
  /** Attempts since the last successful open (the API's retryCount). */
  retryCount: number;
  /** Attempts since a connection last delivered an event: drives the delay. */
  backoffAttempt: number;
  retry: ResolvedRetryOptions;
  /** The server's `retry:` field, which replaces initialDelayMs. */
  serverRetryMs: number | undefined;
  random: () => number;
}

/**
 * The reconnect policy as one pure decision, shared by every transport: fatal failures stop,
 * maxAttempts ends with 'max-attempts', and the rest wait out the backoff (at least Retry-After).
 */
export function decideRetry(failure: TransportFailure, context: RetryContext): RetryDecision {
  const { url, retryCount, retry } = context;
  if (failure.retry === 'never') return { kind: 'stop', error: failure.error };
  if (retryCount >= retry.maxAttempts) return { kind: 'stop', error: maxAttemptsError(url, retryCount, failure.error) };
  if (failure.retry === 'self') return { kind: 'self' };
  const policy = context.serverRetryMs === undefined ? retry : { ...retry, initialDelayMs: context.serverRetryMs };
  return { kind: 'wait', delayMs: Math.max(backoffDelay(context.backoffAttempt, policy, context.random), failure.retryAfterMs ?? 0) };
}

function maxAttemptsError(url: string, attempts: number, last: StreamError | undefined): StreamError {
  return streamError(
    'max-attempts',
    `Gave up on ${url} after ${attempts} reconnect attempts${last ? ` (last error: ${last.message})` : ''}. Call reconnect() to try again, or raise retry.maxAttempts.`,
    { cause: last, ...(last?.status !== undefined ? { status: last.status } : {}) },
  );
}
