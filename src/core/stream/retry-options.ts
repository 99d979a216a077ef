import type { RetryOptions } from '../types';

/** Every bound set; `shouldRetry` stays optional (no function: the default rule decides). */
export type ResolvedRetryOptions = Required<Omit<RetryOptions, 'shouldRetry'>> & Pick<RetryOptions, 'shouldRetry'>;

/** The reconnect policy's defaults; a stream's `retry` options are merged over them when it is resolved. */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
  maxAttempts: Infinity,
  minDelayMs: 500,
};
