import type { StreamError } from '../types';

// Development builds only: callers guard with `process.env.NODE_ENV !== 'production'` in place,
// so bundlers drop the call and this module with it (see src/react/dev-warning.ts for why it is
// read in place).
const warned = new Set<string>();

/**
 * A StreamError no subscriber shows anyone (a useSseEvent without onError, a client.subscribe
 * without onError or onStatus) would pass unnoticed: say so once per stream and error kind.
 */
export function warnUnseenError(url: string, error: StreamError): void {
  const key = `${error.kind} ${url}`;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(
    `react-sse-hub: ${error.message} (a "${error.kind}" error on ${url} that nothing reads: pass onError to useSseEvent() or client.subscribe(), or read the error a hook returns. Warned once per stream and kind, in development only.)`,
  );
}
