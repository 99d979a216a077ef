/**
 * One request of which only the response headers are read, for a look-up beside a stream (the
 * CORS probe, the native transport's status look-up). Aborted as soon as they arrive (the body is
 * never read, so a stream it starts ends at once), after `timeoutMs`, or with `outer`; undefined
 * when it rejects or is aborted first. Its own timer, not AbortSignal.timeout(): WebKit rejects
 * that with an AbortError rather than a TimeoutError.
 */
export async function readHeadersWithin<T>(
  url: string,
  init: RequestInit,
  outer: AbortSignal,
  timeoutMs: number,
  read: (response: Response) => T,
): Promise<T | undefined> {
  const request = new AbortController();
  const stop = () => request.abort();
  outer.addEventListener('abort', stop);
  const timer = setTimeout(stop, timeoutMs);
  try {
    return read(await fetch(url, { ...init, signal: request.signal }));
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', stop);
    request.abort();
  }
}
