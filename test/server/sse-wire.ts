import type { IncomingMessage, ServerResponse } from 'node:http';

/** One server-sent event, as the wire format writes it (WHATWG HTML, "server-sent events"). */
export interface WireEvent {
  id?: string | number;
  event?: string | undefined;
  data: string;
  retry?: number;
}

/** Serialises an event; multi-line data becomes several `data:` lines. */
export function formatEvent({ id, event, data, retry }: WireEvent): string {
  let out = '';
  if (retry !== undefined) out += `retry: ${retry}\n`;
  if (id !== undefined) out += `id: ${id}\n`;
  if (event !== undefined) out += `event: ${event}\n`;
  for (const line of data.split('\n')) out += `data: ${line}\n`;
  return `${out}\n`;
}

/**
 * Starts a text/event-stream response with proxy buffering off and no caching. `keepAlive` is
 * HTTP/1.1's Connection header; an h2 response (Node's compatibility API, which has `stream`)
 * gets none: HTTP/2 forbids connection-specific headers (RFC 9113 §8.2.2) and Node throws on them.
 */
export function startStream(res: ServerResponse, status = 200, contentType = 'text/event-stream', keepAlive = true): void {
  const h2 = (res as { stream?: unknown }).stream !== undefined;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    ...(h2 ? {} : { Connection: keepAlive ? 'keep-alive' : 'close' }),
    'X-Accel-Buffering': 'no',
  });
  // Flush the headers now so the client's 'open' does not wait for the first event.
  res.flushHeaders();
}

/**
 * The id to resume after: the Last-Event-ID header (sent by the browser's own reconnects and by
 * the fetch transport) wins over the `lastEventId` query parameter (sent when the library had to
 * re-create a native EventSource).
 */
export function resumeId(req: IncomingMessage, url: URL, param = 'lastEventId'): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header !== '') return header;
  return url.searchParams.get(param) ?? undefined;
}

/** Reads a request body as text (POST-started streams). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
