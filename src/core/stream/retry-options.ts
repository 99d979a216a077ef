import type { RetryOptions } from '../types';

/** Every bound set (`Required` would keep the `| undefined` the options accept); `shouldRetry` stays optional (no function: the default rule decides). */
export type ResolvedRetryOptions = { [K in Exclude<keyof RetryOptions, 'shouldRetry'>]-?: Exclude<RetryOptions[K], undefined> } & Pick<RetryOptions, 'shouldRetry'>;

/** The reconnect policy's defaults; a stream's `retry` options are merged over them when it is resolved. */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
  maxAttempts: Infinity,
  minDelayMs: 500,
};
