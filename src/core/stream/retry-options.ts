import type { RetryOptions } from '../types';

export type ResolvedRetryOptions = Required<RetryOptions>;

/** The reconnect policy's defaults; a stream's `retry` options are merged over them when it is resolved. */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
  maxAttempts: Infinity,
  minDelayMs: 500,
};
