/**
 * Every message the library throws or reports (StreamErrors, misuse errors), in one place: each says what happened and what to do. Development
 * builds carry them; production builds (`process.env.NODE_ENV === 'production'`, which bundlers
 * fold) drop the whole table and keep a short code with its arguments, as React does — the
 * messages are a fifth of the library's first download.
 */
const MESSAGES =
  process.env.NODE_ENV !== 'production'
    ? {
        parse: (type: string, cause: string) =>
          `Could not parse the data of a "${type}" event (${cause}); the event was skipped. Send valid JSON or pass a \`parse\` option.`,
        'schema-threw': (type: string, cause: string) =>
          `The schema for "${type}" events threw (${cause}); the event was skipped. Make the schema return issues instead of throwing.`,
        'schema-async': (type: string) => `The schema for "${type}" events is asynchronous; use a synchronous schema (no async refinements).`,
        'schema-failed': (type: string, where: string, issue: string) => `A "${type}" event failed its schema${where}: ${issue}. The event was skipped.`,
        'not-http': (input: string) => `"${input}" is not an http(s) URL; event streams need http: or https:.`,
        'bad-url': (input: string) => `"${input}" is not a valid URL. Pass an absolute URL or a path such as "/api/events".`,
        'max-attempts': (url: string, attempts: number, last: string) =>
          `Gave up on ${url} after ${attempts} reconnect attempts${last ? ` (last error: ${last})` : ''}. Call reconnect() to try again, or raise retry.maxAttempts.`,
        idle: (url: string, ms: number) =>
          `Nothing arrived from ${url} for ${ms} ms (idleTimeoutMs); the connection is presumed dead. Reconnecting from the last event id.`,
        'start-failed': (transport: string, url: string, cause: string) => `Could not start a ${transport} connection to ${url}: ${cause}`,
        'no-fetch': () => 'This runtime has no fetch streaming (fetch + ReadableStream + TextDecoder); use a modern browser or pass a custom transport.',
        'no-eventsource': () =>
          "This runtime has no EventSource. Use transport: 'fetch', pass a custom transport, or (in tests) <SseProvider transport={createMockTransport()}>.",
        'http-status': (url: string, status: number, retried: boolean) =>
          `${url} answered HTTP ${status}. ${
            retried
              ? 'Retrying with backoff.'
              : status === 401 || status === 403
                ? 'Check the credentials (headers) and call reconnect().'
                : 'Check the URL and the server, then call reconnect().'
          }`,
        'content-type': (url: string, contentType: string) =>
          `${url} answered with Content-Type "${contentType}"; an event stream must be text/event-stream. Fix the server response (or the URL).`,
        'es-lost': (url: string) => `Lost the connection to ${url}; the browser is reconnecting.`,
        'es-gave-up': (url: string) =>
          `${url} failed and the browser's EventSource gave up; looking up its status did not tell why (unreachable, blocked by CORS, no answer within 3 s, or an event stream again). Retrying with backoff.`,
        'too-large': (url: string, max: number) =>
          `An event from ${url} was larger than maxEventBytes (${max}); it was dropped and the stream goes on. Raise maxEventBytes if such events are expected.`,
        'broke-off': (url: string, cause: string) => `The stream from ${url} broke off (${cause}). Reconnecting from the last event id.`,
        unreachable: (url: string, cause: string) => `Could not reach ${url} (${cause}). Retrying with backoff.`,
        'options-threw': (url: string, cause: string) => `The headers or body function for ${url} threw (${cause}). Retrying with backoff.`,
        'bad-header': (url: string, cause: string) =>
          `A header for ${url} is not valid (${cause}); header names and values must be plain ASCII. Fix the headers option.`,
        'body-not-allowed': (method: string, url: string) => `A ${method} request cannot have a body; set method: 'POST' (or drop body) for ${url}.`,
        'no-body': (url: string) => `${url} answered without a body. Retrying with backoff.`,
        'outside-provider': (hook: string) =>
          `${hook}() must be used inside <SseProvider>. Wrap your app (or this component's tree) in <SseProvider> from 'react-sse-hub'.`,
        'bad-client': () => "<SseProvider client={…}> takes a client made by createSseClient() from 'react-sse-hub'.",
        'chunk-failed': (url: string, cause: string) => `Could not load the fetch transport for ${url} (${cause}). Retrying with backoff.`,
        'takeover-failed': (url: string, cause: string) => `Taking over ${url} from another tab failed (${cause}); retrying.`,
        cors: (url: string, origin: string, preflight: string, credentials: boolean) =>
          `${url} is reachable, but the browser blocked the request from ${origin} by CORS. The server must answer with Access-Control-Allow-Origin: ${origin}${credentials ? ' (not *) and Access-Control-Allow-Credentials: true, as withCredentials is set' : ' (or *)'}${preflight ? `, and answer the preflight (OPTIONS) with ${preflight}` : ''}. Retrying with backoff.`,
      }
    : undefined;

type Messages = NonNullable<typeof MESSAGES>;
export type MessageCode = keyof Messages;

/** The readable message for `code`, or in production the code and its arguments. */
export function message<C extends MessageCode>(code: C, ...args: Parameters<Messages[C]>): string {
  if (MESSAGES) return (MESSAGES[code] as (...a: unknown[]) => string)(...args);
  return `react-sse-hub error "${code}" (${args.join(', ')}); a development build says more.`;
}
