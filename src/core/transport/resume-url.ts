/**
 * A re-created EventSource cannot send the Last-Event-ID header, so the id travels as a query
 * parameter instead. Servers should read the header first (the browser's own reconnects send a
 * fresher id there) and fall back to the parameter.
 */
export function withResumeParam(url: string, param: string | false, lastEventId: string | undefined): string {
  // WHATWG HTML: an empty last event ID string is not sent.
  if (param === false || !lastEventId) return url;
  const resumed = new URL(url);
  resumed.searchParams.set(param, lastEventId);
  return resumed.href;
}
