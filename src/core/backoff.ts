import type { RetryOptions } from './types';

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
  maxAttempts: Infinity,
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
