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

/**
 * Where a fetch request carries the id to resume from: the URL to request and the Last-Event-ID
 * header value, never both. Last-Event-ID is not a CORS-safelisted header for fetch
 * (whatwg/fetch#568): cross-origin it would need a preflight that a server sending only
 * Access-Control-Allow-Origin refuses, and the stream would never start again. So a cross-origin
 * request sends the id in the `lastEventIdParam` query parameter, as a re-created EventSource does;
 * `lastEventIdParam: false` opts into the header (the server then has to allow it in
 * Access-Control-Allow-Headers). A same-origin request keeps the header.
 */
export function fetchResume(
  url: string,
  param: string | false,
  lastEventId: string | undefined,
  crossOrigin: boolean,
): { url: string; header: string | undefined } {
  if (!lastEventId) return { url, header: undefined };
  if (crossOrigin && param !== false) return { url: withResumeParam(url, param, lastEventId), header: undefined };
  return { url, header: lastEventId };
}

/**
 * The page's origin when a request to `url` is cross-origin (so CORS applies), else undefined: a
 * same-origin URL, or a runtime with no page (Node, SSR), where nothing enforces CORS. An opaque
 * page origin ("null": a sandboxed iframe, file:) makes every request cross-origin.
 */
export function corsOrigin(url: string): string | undefined {
  let page: string | undefined;
  try {
    page = globalThis.location?.origin;
  } catch {
    // Deno throws on reading `location` when it was started without --location.
    return undefined;
  }
  if (!page) return undefined;
  return new URL(url, page).origin === page ? undefined : page;
}
