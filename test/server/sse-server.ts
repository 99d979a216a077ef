import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { Server, Socket } from 'node:net';
import { formatEvent, readBody, resumeId, startStream } from './sse-wire';
import { testCertificate } from './test-certificate';

/** What the server saw on one path. Tests assert on these, never on what the page claims. */
export interface PathStats {
  requests: number;
  open: number;
  maxOpen: number;
  /** Every request, oldest first. */
  log: RequestRecord[];
}

export interface RequestRecord {
  method: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Header or query parameter the request resumed from. */
  resumedFrom: string | undefined;
  body: string;
  at: number;
  /** '2.0' for an h2 request, '1.1' otherwise. */
  httpVersion: string;
}

export interface SseTestServer {
  /** http://127.0.0.1:PORT, or https://127.0.0.1:PORT when secure */
  readonly origin: string;
  stats(path: string): PathStats;
  /** Event-stream responses open now, over every path. */
  openTotal(): number;
  /** The most event-stream responses open at once since start or resetMax(), sampled SETTLE_MS after each opens. */
  maxOpenTotal(): number;
  /**
   * The longest stretch, in ms, during which more than `limit` event-stream responses (over every
   * path) were open at once, counted from exact open/close times rather than sampled; a stretch
   * still going on counts up to now. Only what happened at or after `since` (epoch ms) counts.
   * A client that closes one stream and at once opens the next is over by the time its close takes
   * to reach this process; a client that breaks its budget stays over for as long as it holds on.
   */
  overBudgetMs(limit: number, since?: number): number;
  /** overBudgetMs() with what was open when that longest stretch began (path, opened at), for failure messages. */
  overBudget(limit: number, since?: number): OverBudget;
  resetMax(): void;
  /** Lets a response held by holdAfter=k go on with its next event. */
  release(path: string): void;
  /** Destroys every open response on the path (a network drop): its socket over HTTP/1.1, its stream over h2. */
  drop(path: string): void;
  /** Stops listening and destroys every socket, then listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface OverBudget {
  longestMs: number;
  /** Epoch ms the longest stretch began; undefined when never over. */
  startedAt: number | undefined;
  /** Responses open when it began, oldest first. */
  open: Array<{ path: string; since: number }>;
}

export interface SseTestServerOptions {
  /** Extra routes (the test page and its bundle); return true when handled. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  port?: number;
  /**
   * CORS for pages on other origins. Every response carries `Access-Control-Allow-Origin:
   * allowOrigin` and nothing more, so a request that needs a preflight fails (the OPTIONS request
   * is logged like any other and answered as a stream). With `allowHeaders`, an OPTIONS request to
   * a stream path is logged and answered 204 with `Access-Control-Allow-Headers: allowHeaders`.
   */
  cors?: { allowOrigin: string; allowHeaders?: string };
  /**
   * TLS with a self-signed certificate (test-certificate.ts) and HTTP/2, HTTP/1.1 still offered
   * (ALPN): the origin is https://127.0.0.1:PORT. Everything above works alike for h2 and h1
   * requests: Node's HTTP/2 compatibility API gives handlers and routes the same req/res shape,
   * each h2 stream is one response (counted as one open connection would be), and a drop
   * resets the stream, not the session the page's other streams share.
   */
  secure?: boolean;
}

/**
 * A counting SSE server on 127.0.0.1 for real-browser tests. Every path under /sse/ is a stream
 * whose behaviour is chosen by its query string, so each test makes its own fresh URL:
 *
 * - count=N (default: endless) ids 1..N, interval=ms between events (default 20), type=NAME,
 *   burst=1 (all events in one write), end=1 (end the response after the last event)
 * - retry=ms (a `retry:` field first, written verbatim: retry=0 and retry=99999999999 both work),
 *   dropAfter=k (destroy the socket after k events of a response)
 * - done=1: after the last of `count` events send `data: [DONE]` (no id) and end the response
 *   (implies end=1; OpenAI style). Works for POST too (the body has been read by then).
 * - silentAfter=k: after k events of a response stop writing but keep the socket open (a dead
 *   proxy). Counted per response like dropAfter, so a resumed request (Last-Event-ID or the
 *   lastEventId parameter) sends its next k events before falling silent again.
 * - failFirst=n with failStatus=503 and retryAfter=s, failFrom=m (requests after the m-th fail),
 *   failEvery=k (every k-th request fails: a native EventSource then gives up and must be re-created),
 *   status=204|404 (always), contentType=text/plain (always)
 * - malformedAt=i (event i is not JSON), bigAt=i with bigBytes=n (event i is that large)
 * - holdAfter=k: after event k, send nothing more until the test calls release(path)
 * - auth=TOKEN (401 without `Authorization: Bearer TOKEN`), echo=1 (first event echoes the request)
 * - connection=close: `Connection: close` instead of keep-alive (Chromium then closes the socket
 *   of a closed EventSource at once instead of draining the response to reuse it)
 * Resumes after the Last-Event-ID header, else the lastEventId query parameter.
 */
export async function startSseTestServer(options: SseTestServerOptions = {}): Promise<SseTestServer> {
  const stats = new Map<string, PathStats>();
  const sockets = new Set<Socket>();
  const openResponses = new Map<string, Set<ServerResponse>>();
  let openTotal = 0;
  let maxOpenTotal = 0;
  /** openTotal after every change, with its time and response: what overBudget() reads. */
  const openTimeline: Array<{ at: number; open: number; res: ServerResponse; path: string }> = [];
  const noteOpenTotal = (delta: number, res: ServerResponse, path: string) => {
    openTotal += delta;
    openTimeline.push({ at: Date.now(), open: openTotal, res, path });
  };
  const overBudget = (limit: number, since = 0): OverBudget => {
    let worst: OverBudget = { longestMs: 0, startedAt: undefined, open: [] };
    let overSince: number | undefined;
    let openAtStart: OverBudget['open'] = [];
    const open = new Map<ServerResponse, { path: string; since: number }>();
    let count = 0;
    const end = (at: number) => {
      if (overSince !== undefined && at - overSince >= worst.longestMs) worst = { longestMs: at - overSince, startedAt: overSince, open: openAtStart };
    };
    for (const change of openTimeline) {
      const at = Math.max(change.at, since);
      if (change.open > count) open.set(change.res, { path: change.path, since: change.at });
      else open.delete(change.res);
      if (count <= limit && change.open > limit) {
        overSince = at;
        openAtStart = [...open.values()];
      }
      if (count > limit && change.open <= limit) end(at);
      count = change.open;
    }
    if (count > limit) end(Date.now());
    return worst;
  };

  /** Responses waiting for release(path), by path. */
  const held = new Map<string, () => void>();
  const statsFor = (path: string): PathStats => {
    let s = stats.get(path);
    if (!s) stats.set(path, (s = { requests: 0, open: 0, maxOpen: 0, log: [] }));
    return s;
  };

  const handleStream = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const s = statsFor(url.pathname);
    s.requests++;
    const q = Object.fromEntries(url.searchParams);
    const body = await readBody(req);
    const resumedFrom = resumeId(req, url);
    s.log.push({ method: req.method ?? 'GET', query: q, headers: req.headers, resumedFrom, body, at: Date.now(), httpVersion: req.httpVersion });
    const n = s.requests;
    if (req.method === 'OPTIONS' && options.cors?.allowHeaders !== undefined) {
      res.writeHead(204, { 'Access-Control-Allow-Headers': options.cors.allowHeaders, 'Access-Control-Allow-Methods': 'GET, POST' });
      return void res.end();
    }
    const num = (name: string, fallback: number) => (q[name] !== undefined ? Number(q[name]) : fallback);

    if (q.auth !== undefined && req.headers.authorization !== `Bearer ${q.auth}`) return plain(res, 401, 'unauthorized');
    if (q.status !== undefined) return plain(res, Number(q.status), '');
    const failing =
      n <= num('failFirst', 0) || (q.failFrom !== undefined && n > Number(q.failFrom)) || (q.failEvery !== undefined && n % Number(q.failEvery) === 0);
    if (failing) {
      if (q.retryAfter !== undefined) res.setHeader('Retry-After', q.retryAfter);
      return plain(res, num('failStatus', 503), 'failing on purpose');
    }
    if (q.contentType !== undefined) return plain(res, 200, 'data: not a stream\n\n', q.contentType);

    startStream(res, 200, undefined, q.connection !== 'close');
    s.open++;
    noteOpenTotal(+1, res, url.pathname);
    let responses = openResponses.get(url.pathname);
    if (!responses) openResponses.set(url.pathname, (responses = new Set()));
    responses.add(res);
    // Sample the maxima a moment later: when a client closes one stream and at once opens the
    // next, the new request can arrive before this process has read the old socket's FIN.
    setTimeout(() => {
      if (!responses.has(res)) return;
      s.maxOpen = Math.max(s.maxOpen, s.open);
      maxOpenTotal = Math.max(maxOpenTotal, openTotal);
    }, SETTLE_MS);

    const count = num('count', Infinity);
    const dropAfter = num('dropAfter', Infinity);
    const silentAfter = num('silentAfter', Infinity);
    let next = Number(resumedFrom ?? 0) + 1;
    let sentHere = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = () => {
      clearTimeout(timer);
      if (!responses.delete(res)) return;
      s.open--;
      noteOpenTotal(-1, res, url.pathname);
    };
    res.on('close', closed);

    const eventText = (id: number) => {
      let data = JSON.stringify({ n: id });
      if (id === num('malformedAt', -1)) data = '{not json';
      if (id === num('bigAt', -1)) data = JSON.stringify({ n: id, pad: 'x'.repeat(num('bigBytes', 2_000_000)) });
      if (id === 1 && q.echo) data = JSON.stringify({ n: id, method: req.method, body, authorization: req.headers.authorization ?? null });
      return formatEvent({ id, event: q.type, data });
    };
    const send = () => {
      if (res.destroyed) return;
      if (next > count) {
        if (q.done) res.end(formatEvent({ data: '[DONE]' }));
        else if (q.end) res.end();
        return;
      }
      if (sentHere >= silentAfter) return; // silent from here on, the socket stays open
      if (q.burst) {
        let chunk = '';
        while (next <= count && sentHere < Math.min(dropAfter, silentAfter)) chunk += eventText(next++), sentHere++;
        res.write(chunk);
      } else {
        res.write(eventText(next++));
        sentHere++;
      }
      if (sentHere >= dropAfter) {
        res.destroy();
        return;
      }
      if (next - 1 === num('holdAfter', -1)) return void held.set(url.pathname, send);
      timer = setTimeout(send, q.burst ? 0 : num('interval', 20));
    };
    res.write(q.retry !== undefined ? `retry: ${q.retry}\n\n` : ': open\n\n');
    timer = setTimeout(send, q.burst ? 0 : num('interval', 20));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (options.cors) res.setHeader('Access-Control-Allow-Origin', options.cors.allowOrigin);
    if (url.pathname.startsWith('/sse/')) {
      handleStream(req, res, url).catch((error: unknown) => plain(res, 500, String(error)));
      return;
    }
    if (url.pathname === '/ping') return plain(res, 200, 'pong');
    if (options.routes?.(req, res, url)) return;
    plain(res, 404, 'not found');
  };
  // The compatibility API's Http2ServerRequest/Response have everything handle() and the routes use.
  const server: Server = options.secure
    ? createSecureServer({ allowHTTP1: true, ...(await testCertificate()) }, handle as unknown as Parameters<typeof createSecureServer>[1])
    : createServer(handle);
  // Raw TCP sockets (under TLS too): destroying one ends its h2 session or HTTP/1.1 connection.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  const port = await listen(options.port ?? 0);
  return {
    origin: `${options.secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    stats: (path) => statsFor(path),
    openTotal: () => openTotal,
    maxOpenTotal: () => maxOpenTotal,
    overBudgetMs: (limit, since) => overBudget(limit, since).longestMs,
    overBudget,
    resetMax: () => {
      maxOpenTotal = openTotal;
      for (const s of stats.values()) s.maxOpen = s.open;
    },
    release: (path) => {
      const send = held.get(path);
      held.delete(path);
      send?.();
    },
    drop: (path) => openResponses.get(path)?.forEach((res) => res.destroy()),
    restart: async () => {
      await stop();
      await listen(port);
    },
    close: stop,
  };
}

/** How long after a stream starts its open-count maxima are sampled (see above). */
const SETTLE_MS = 50;

function plain(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(text);
}
