import type { StreamError } from '../types';
import type { ResolvedRetryOptions } from '../stream/retry-options';
import { message } from '../errors/messages';
import { streamError } from '../errors/stream-error';

/**
 * Delay before reconnect attempt `attempt` (0-based): initial × factor^attempt with full jitter
 * (clients dropped together by one server restart must not come back in the same millisecond),
 * the server's `retry:` replacing initialDelayMs, at least Retry-After — and whatever the server
 * asked for, clamped into [minDelayMs, maxDelayMs] so that `retry: 0` cannot make us hammer it
 * and a huge `retry:` cannot park the stream for good.
 */
export function reconnectDelay(
  attempt: number,
  retry: ResolvedRetryOptions,
  serverRetryMs: number | undefined,
  retryAfterMs: number | undefined,
  random: number,
): number {
  const initial = serverRetryMs ?? retry.initialDelayMs;
  const exponential = Math.min(retry.maxDelayMs, initial * Math.pow(retry.factor, attempt));
  const jittered = retry.jitter ? random * exponential : exponential;
  const wanted = Math.max(jittered, retryAfterMs ?? 0);
  return Math.round(Math.min(retry.maxDelayMs, Math.max(retry.minDelayMs, wanted)));
}

/**
 * The error a stream gives up with. Only 'http' errors carry a status, so the last error's status
 * is not copied: it stays readable as `cause` (`error.cause.kind === 'http' && error.cause.status`).
 */
export function maxAttemptsError(url: string, attempts: number, last: StreamError | undefined): StreamError {
  return streamError('max-attempts', message('max-attempts', url, attempts, last?.message ?? ''), { cause: last });
}

