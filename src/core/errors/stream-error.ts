import type { StreamError, StreamErrorKind } from '../types';

/** Builds a StreamError; every message should tell the reader what to do next. */
export function streamError(
  kind: StreamErrorKind,
  message: string,
  extra: Omit<StreamError, 'kind' | 'message'> = {},
): StreamError {
  return { kind, message, ...extra };
}

/** Safe own-property lookup: event names such as `__proto__` or `toString` must not hit Object.prototype. */
export function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The readable part of a thrown value, for error messages. */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
