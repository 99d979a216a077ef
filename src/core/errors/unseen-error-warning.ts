import type { StreamError } from '../types';

interface Reader {
  /** False while it shows errors to no one (a handler without onError); absent: it does. */
  showsErrors?(): boolean;
}

// Development builds only: callers guard with `process.env.NODE_ENV !== 'production'` in place,
// so bundlers drop the call and this module with it (see src/react/dev-warning.ts for why it is
// read in place).
const warned = new Set<string>();

/**
 * A StreamError that the stream's readers all show no one (useSseEvent without onError,
 * client.subscribe without onError or onStatus) would pass unnoticed: say so once per stream and
 * error kind. A stream nobody reads has no one to tell.
 */
export function warnUnseenError(url: string, error: StreamError, readers: ReadonlySet<Reader>): void {
  const key = `${error.kind} ${url}`;
  if (readers.size === 0 || warned.has(key)) return;
  for (const reader of readers) if (reader.showsErrors?.() !== false) return;
  warned.add(key);
  console.warn(
    `react-sse-hub: ${error.message} (a "${error.kind}" error on ${url} that nothing reads: pass onError to useSseEvent() or client.subscribe(), or read the error a hook returns. Warned once per stream and kind, in development only.)`,
  );
}
