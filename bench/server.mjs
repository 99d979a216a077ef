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
//   format=lean  events are `id: n\ndata: {"n":n}\n\n` (the flood scenario) instead of a tick
//   comments=C   C `: keep-alive` comment blocks, with the `count` events spread evenly between
//                them (one after every C/count comments); perWrite then counts comments + events
//   gate=1       hold the first request's events until the driver calls release(path) (the page
//                settles, the driver forces a GC and starts its samplers, then opens the gate)
import { createServer } from 'node:http';

export async function startBenchServer({ routes } = {}) {
  const stats = new Map();
  const sockets = new Set();
  /** path -> { open: boolean, waiters: Array<() => void> } */
  const gates = new Map();
  const gateFor = (path) => {
    let g = gates.get(path);
    if (!g) gates.set(path, (g = { open: false, waiters: [] }));
    return g;
  };
  const statsFor = (path) => {
    let s = stats.get(path);
    if (!s) stats.set(path, (s = { requests: 0, open: 0, maxOpen: 0, eventsSent: 0, commentsSent: 0, bytesSent: 0, writes: 0, drainWaits: 0 }));
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
    const lean = q.format === 'lean';
    const event = (id) =>
      lean ? `id: ${id}\ndata: {"n":${id}}\n\n` : `id: ${id}\ndata: {"n":${id},"price":${(id * 1.01).toFixed(2)},"sym":"S${id % 50}"${pad ? `,"pad":"${pad}"` : ''}}\n\n`;
    // Comment flood: `comments` keep-alive blocks, an event after every `every` of them.
    let commentsLeft = resumed == null ? Number(q.comments ?? 0) : 0;
    const every = commentsLeft > 0 && Number.isFinite(count) && count > 0 ? Math.ceil(commentsLeft / count) : Infinity;
    let sinceEvent = 0;
    const finished = () => next > count && commentsLeft === 0;
    const pump = () => {
      if (closed) return;
      let chunk = '';
      let events = 0;
      let comments = 0;
      for (let i = 0; i < perWrite && !finished(); i++) {
        if (commentsLeft > 0 && (sinceEvent < every || next > count)) {
          chunk += ': keep-alive\n\n';
          commentsLeft--;
          sinceEvent++;
          comments++;
        } else {
          chunk += event(next++);
          sinceEvent = 0;
          events++;
        }
      }
      s.eventsSent += events;
      s.commentsSent += comments;
      s.bytesSent += chunk.length;
      if (chunk) s.writes++;
      const drained = chunk ? res.write(chunk) : true;
      if (finished()) {
        if (q.end) res.end();
        return;
      }
      if (interval !== undefined) timer = setTimeout(pump, interval);
      else if (drained) setImmediate(pump);
      else {
        // Backpressure: the socket buffer is full, so wait until it drains.
        s.drainWaits++;
        res.once('drain', pump);
      }
    };
    res.write(': open\n\n');
    const start = () => {
      if (!closed) timer = setTimeout(pump, Number(q.delay ?? 0));
    };
    const gate = q.gate ? gateFor(url.pathname) : undefined;
    if (gate && !gate.open) gate.waiters.push(start);
    else start();
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
    /** Opens the gate of a `gate=1` stream: its held (and any later) requests start sending. */
    release(path) {
      const g = gateFor(path);
      g.open = true;
      for (const start of g.waiters.splice(0)) start();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
