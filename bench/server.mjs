// A counting SSE server for the benchmarks (plain Node, no build step). Every /sse/<name> path is
// a stream chosen by its query string; the counts are what the server saw, not what pages claim.
//   count=N      events with ids 1..N (default endless)
//   perWrite=k   events per socket write (default 1); writes follow each other as fast as the
//                socket drains; interval=ms waits between writes instead
//   delay=ms     wait before the first event (so a page can settle first)
//   end=1        end the response after the last event; a resume past the end gets 204, which
//                stops a native EventSource for good (so naive per-component sources free their
//                connection slot)
//   pad=n        n extra bytes of payload per event
import { createServer } from 'node:http';

export async function startBenchServer({ routes } = {}) {
  const stats = new Map();
  const sockets = new Set();
  const statsFor = (path) => {
    let s = stats.get(path);
    if (!s) stats.set(path, (s = { requests: 0, open: 0, maxOpen: 0, eventsSent: 0 }));
    return s;
  };

  const stream = (req, res, url) => {
    const s = statsFor(url.pathname);
    s.requests++;
    const q = Object.fromEntries(url.searchParams);
    const count = q.count !== undefined ? Number(q.count) : Infinity;
    const perWrite = Number(q.perWrite ?? 1);
    const interval = q.interval !== undefined ? Number(q.interval) : undefined;
    const pad = q.pad ? 'x'.repeat(Number(q.pad)) : '';
    const resumed = req.headers['last-event-id'] ?? url.searchParams.get('lastEventId');
    let next = Number(resumed ?? 0) + 1;
    if (q.end && next > count) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    s.open++;
    s.maxOpen = Math.max(s.maxOpen, s.open);
    let timer;
    let closed = false;
    res.on('close', () => {
      closed = true;
      clearTimeout(timer);
      s.open--;
    });
    const event = (id) => `id: ${id}\ndata: {"n":${id},"price":${(id * 1.01).toFixed(2)},"sym":"S${id % 50}"${pad ? `,"pad":"${pad}"` : ''}}\n\n`;
    const pump = () => {
      if (closed) return;
      let chunk = '';
      for (let i = 0; i < perWrite && next <= count; i++) chunk += event(next++);
      s.eventsSent += chunk ? chunk.split('\n\n').length - 1 : 0;
      const drained = chunk ? res.write(chunk) : true;
      if (next > count) {
        if (q.end) res.end();
        return;
      }
      if (interval !== undefined) timer = setTimeout(pump, interval);
      else if (drained) setImmediate(pump);
      else res.once('drain', pump);
    };
    res.write(': open\n\n');
    timer = setTimeout(pump, Number(q.delay ?? 0));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/sse/')) return stream(req, res, url);
    if (routes?.(req, res, url)) return;
    res.writeHead(404).end('not found');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    stats: (path) => ({ ...statsFor(path) }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
