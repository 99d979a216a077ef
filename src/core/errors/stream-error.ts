import type { StreamError, StreamErrorKind } from '../types';

/** The union member whose `kind` includes K (several kinds share a member). */
export type StreamErrorOf<K extends StreamErrorKind> = StreamError extends infer E ? (E extends { kind: infer M } ? (K extends M ? E : never) : never) : never;

/** The fields a member of kind K has besides kind and message: required ones must be passed. */
type Extra<K extends StreamErrorKind> = Omit<StreamErrorOf<K>, 'kind' | 'message'>;

/**
 * Builds a StreamError; every message should tell the reader what to do next. The fields follow
 * the kind: `status` is required for 'http' and refused elsewhere, `eventType` likewise.
 */
export function streamError<K extends StreamErrorKind>(
  kind: K,
  message: string,
  ...[extra]: {} extends Extra<K> ? [extra?: Extra<K>] : [extra: Extra<K>]
): StreamErrorOf<K> {
  return { kind, message, ...extra } as StreamErrorOf<K>;
}

/** Safe own-property lookup: event names such as `__proto__` or `toString` must not hit Object.prototype. */
export function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The readable part of a thrown value, for error messages. */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
