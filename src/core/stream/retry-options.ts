import type { RetryOptions } from '../types';

/** Every field set: `Required` would keep the `| undefined` the options accept. */
export type ResolvedRetryOptions = { [K in keyof RetryOptions]-?: Exclude<RetryOptions[K], undefined> };

/** The reconnect policy's defaults; a stream's `retry` options are merged over them when it is resolved. */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
  maxAttempts: Infinity,
  minDelayMs: 500,
};
