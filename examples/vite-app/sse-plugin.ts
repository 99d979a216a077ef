import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';

const INTERVAL_MS = 200;

/**
 * A tiny SSE endpoint inside Vite's dev and preview servers:
 * - GET /sse/ticks: endless `event: tick`, `id: n`, data {"n":n,"at":ms}; resumes after the
 *   Last-Event-ID header or the `lastEventId` query parameter.
 * - GET /sse/stats: {"ticks": requests /sse/ticks has received, "open": responses still streaming}.
 */
export function sseTicks(): Plugin {
  const stats = { ticks: 0, open: 0 };

  const ticks = (req: IncomingMessage, res: ServerResponse) => {
    stats.ticks += 1;
    stats.open += 1;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers['last-event-id'];
    const last = Number((typeof header === 'string' && header) || url.searchParams.get('lastEventId') || 0);
    let n = Number.isFinite(last) && last > 0 ? Math.floor(last) : 0;

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
    const send = () => {
      n += 1;
      res.write(`id: ${n}\nevent: tick\ndata: ${JSON.stringify({ n, at: Date.now() })}\n\n`);
    };
    send();
    const timer = setInterval(send, INTERVAL_MS);
    res.on('close', () => {
      clearInterval(timer);
      stats.open -= 1;
    });
  };

  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/sse/ticks') return ticks(req, res);
    if (req.method === 'GET' && path === '/sse/stats') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(stats));
      return;
    }
    next();
  };

  return {
    name: 'example-sse-ticks',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
