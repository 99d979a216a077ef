import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatEvent, readBody, resumeId, startStream } from '../test/server/sse-wire.js';

/**
 * The showroom's SSE endpoints, as one connect-style handler: Storybook's dev server mounts it
 * (see main.ts) and a plain node:http server can too (`createServer((q, s) => demoEndpoints(q, s, …))`).
 * Everything lives under /sse/demo/; other paths go to `next()`.
 */
export const DEMO_PREFIX = '/sse/demo/';

type Next = (error?: unknown) => void;
type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** Sends `tick()`'s events every `ms` until the client goes away. */
function every(req: IncomingMessage, ms: number, tick: () => void): void {
  const timer = setInterval(tick, ms);
  req.on('close', () => clearInterval(timer));
}

const send = (res: ServerResponse, type: string | undefined, data: unknown, id?: string | number) =>
  res.write(formatEvent({ event: type, id, data: JSON.stringify(data) }));

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
};

/** Ids are sequence numbers, so resuming is "everything after n". */
const resumeFrom = (req: IncomingMessage, url: URL) => Number(resumeId(req, url) ?? 0) || 0;

// ---- news: a backlog of headlines, then one every 1.5 s; resumes after Last-Event-ID ----------
const TOPICS = ['Markets', 'Science', 'Weather', 'Sports', 'Tech', 'Culture'];
const SUBJECTS = ['Local team', 'New telescope', 'City council', 'Open-source project', 'Storm front', 'Chip maker', 'Museum', 'Rail network'];
const VERBS = ['announces', 'delays', 'celebrates', 'reveals', 'rethinks', 'doubles down on', 'wraps up', 'previews'];
const OBJECTS = ['a bold plan', 'record numbers', 'its 2.0 release', 'a surprise result', 'a quiet weekend', 'new partnerships', 'a late comeback'];
const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
const headline = (n: number) => ({
  id: n,
  topic: pick(TOPICS, n * 7),
  title: `${pick(SUBJECTS, n * 3)} ${pick(VERBS, n * 5)} ${pick(OBJECTS, n * 11)}`,
  at: Date.now(),
});

const news: Route = (req, res, url) => {
  startStream(res);
  let n = resumeFrom(req, url);
  // A fresh reader gets the last five headlines at once; a resuming one only what it missed.
  const backlog = n === 0 ? 5 : 1;
  for (let i = 0; i < backlog; i++) send(res, 'headline', headline(++n), n);
  every(req, 1500, () => send(res, 'headline', headline(++n), n));
};

// ---- notifications ------------------------------------------------------------------------
const LEVELS = ['info', 'success', 'warning', 'error'] as const;
const NOTES = ['Deploy #412 finished', 'Ana commented on your pull request', 'Disk usage above 80 %', 'Payment failed for invoice 1043', 'Nightly backup completed', 'New sign-in from Firefox on Linux'];
const notifications: Route = (req, res, url) => {
  startStream(res);
  let n = resumeFrom(req, url);
  const note = () => {
    n++;
    send(res, 'notification', { id: n, level: pick(LEVELS, n), text: pick(NOTES, n * 5) }, n);
  };
  setTimeout(() => !res.writableEnded && note(), 300);
  every(req, 2500, note);
};

// ---- system metrics: random walks every 500 ms -------------------------------------------------
const walk = (value: number, step: number, min: number, max: number) => Math.min(max, Math.max(min, value + (Math.random() - 0.5) * step));
const metrics: Route = (req, res) => {
  startStream(res);
  let cpu = 35;
  let memory = 52;
  let rps = 420;
  const tick = () => {
    cpu = walk(cpu, 14, 3, 98);
    memory = walk(memory, 3, 20, 95);
    rps = walk(rps, 90, 50, 1200);
    send(res, 'metrics', { cpu: +cpu.toFixed(1), memory: +memory.toFixed(1), rps: Math.round(rps), at: Date.now() });
  };
  tick();
  every(req, 500, tick);
};

// ---- price ticker: ~400 ticks/s in batches of 4 every 10 ms ---------------------------------------
const SYMBOLS = { ACME: 182.4, GLOBX: 54.1, INITECH: 12.75, UMBR: 310.2, HOOLI: 97.3, STARK: 421.9, WAYNE: 66.6, CYBD: 23.05 };
const prices: Route = (req, res) => {
  startStream(res);
  const book = new Map(Object.entries(SYMBOLS));
  const symbols = [...book.keys()];
  let seq = 0;
  every(req, 10, () => {
    let chunk = '';
    for (let i = 0; i < 4; i++) {
      const symbol = symbols[Math.floor(Math.random() * symbols.length)]!;
      const price = Math.max(0.01, book.get(symbol)! * (1 + (Math.random() - 0.5) * 0.002));
      book.set(symbol, price);
      chunk += formatEvent({ event: 'tick', data: JSON.stringify({ symbol, price: +price.toFixed(2), seq: ++seq }) });
    }
    res.write(chunk);
  });
};

// ---- flaky: a stream whose failures the story drives through /sse/demo/flaky/control ------------
interface FlakyChannel {
  failNext: number;
  noContentNext: boolean;
  malformedNext: boolean;
  intervalMs: number;
  open: Set<ServerResponse>;
  connects: number;
}
const channels = new Map<string, FlakyChannel>();
const channelOf = (url: URL) => {
  const name = url.searchParams.get('channel') ?? 'default';
  let channel = channels.get(name);
  if (!channel) channels.set(name, (channel = { failNext: 0, noContentNext: false, malformedNext: false, intervalMs: 700, open: new Set(), connects: 0 }));
  return channel;
};
const describeChannel = (c: FlakyChannel) => ({ failNext: c.failNext, noContentNext: c.noContentNext, intervalMs: c.intervalMs, open: c.open.size, connects: c.connects });

const flaky: Route = (req, res, url) => {
  const channel = channelOf(url);
  channel.connects++;
  if (channel.noContentNext) {
    channel.noContentNext = false;
    res.writeHead(204).end();
    return;
  }
  if (channel.failNext > 0) {
    channel.failNext--;
    res.writeHead(503, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('demo: failing on purpose');
    return;
  }
  startStream(res);
  // A short server retry: the browser's own EventSource reconnect then shows up within a second.
  res.write('retry: 1000\n\n');
  channel.open.add(res);
  let n = resumeFrom(req, url);
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    n++;
    if (channel.malformedNext) {
      channel.malformedNext = false;
      res.write(formatEvent({ event: 'tick', id: n, data: '{"n": ' + n + ', oops' }));
    } else {
      send(res, 'tick', { n, at: Date.now() }, n);
    }
    timer = setTimeout(tick, channel.intervalMs);
  };
  timer = setTimeout(tick, 100);
  req.on('close', () => {
    clearTimeout(timer);
    channel.open.delete(res);
  });
};

const flakyControl: Route = (_req, res, url) => {
  const channel = channelOf(url);
  const count = Number(url.searchParams.get('count') ?? 1);
  switch (url.searchParams.get('action')) {
    case 'drop':
      for (const open of channel.open) open.destroy();
      break;
    case 'fail':
      channel.failNext = count;
      break;
    case 'slow':
      channel.intervalMs = channel.intervalMs > 700 ? 700 : 3000;
      break;
    case 'malformed':
      channel.malformedNext = true;
      break;
    case 'no-content':
      channel.noContentNext = true;
      for (const open of channel.open) open.end();
      break;
    case 'reset':
      Object.assign(channel, { failNext: 0, noContentNext: false, malformedNext: false, intervalMs: 700 });
      break;
  }
  json(res, 200, describeChannel(channel));
};

// ---- bearer-protected stream (fetch transport) ----------------------------------------------
const secure: Route = (req, res, url) => {
  if (req.headers.authorization !== 'Bearer demo-token') {
    json(res, 401, { error: 'Send Authorization: Bearer demo-token' });
    return;
  }
  startStream(res);
  let n = resumeFrom(req, url);
  const tick = () => {
    n++;
    send(res, 'balance', { account: 'demo', balance: +(1000 + Math.sin(n / 3) * 120).toFixed(2), n }, n);
  };
  tick();
  every(req, 1000, tick);
};

// ---- POST completion: tokens with ids; a resume after the end gets 204 (stop) ---------------------
const ANSWER =
  'Server-Sent Events keep one HTTP response open and write small text frames to it. ' +
  'Each frame can carry an id, so a client that loses the connection reconnects with Last-Event-ID and the server resumes right after it. ' +
  'With the fetch transport the same wire format also works for POST requests, which is how most LLM APIs stream their answers.';
const complete: Route = async (req, res, url) => {
  const body = await readBody(req);
  let prompt = 'Explain server-sent events';
  try {
    prompt = String((JSON.parse(body) as { prompt?: unknown }).prompt ?? prompt);
  } catch {
    // Not JSON: keep the default prompt.
  }
  const tokens = `“${prompt}” — ${ANSWER}`.split(/(?<= )/);
  const from = resumeId(req, url);
  if (from === 'done') {
    res.writeHead(204).end();
    return;
  }
  startStream(res);
  let i = Number(from ?? 0) || 0;
  const timer = setInterval(() => {
    if (i >= tokens.length) {
      send(res, 'done', { tokens: tokens.length }, 'done');
      clearInterval(timer);
      res.end();
      return;
    }
    send(res, 'token', { text: tokens[i], index: i }, ++i);
  }, 35);
  req.on('close', () => clearInterval(timer));
};

// ---- typed orders: every fifth one (2, 7, 12 …) breaks the schema (qty as a string) -------------
const ITEMS = ['Espresso beans', 'Grinder', 'Milk jug', 'Tamper', 'Filter papers', 'Kettle'];
const orders: Route = (req, res, url) => {
  startStream(res);
  let n = resumeFrom(req, url);
  const tick = () => {
    n++;
    const qty = (n % 4) + 1;
    send(res, 'order', { id: n, item: pick(ITEMS, n), qty: n % 5 === 2 ? `${qty} pcs` : qty, total: +(qty * (6.5 + (n % 7) * 3.2)).toFixed(2) }, n);
  };
  tick();
  every(req, 900, tick);
};

// ---- counter: a small generic stream (connection budget, sharing) ------------------------------
const counter: Route = (req, res, url) => {
  startStream(res);
  let n = resumeFrom(req, url);
  const ms = Math.max(50, Number(url.searchParams.get('interval') ?? 400) || 400);
  const tick = () => send(res, 'count', { n: ++n, name: url.searchParams.get('name') ?? '' }, n);
  tick();
  every(req, ms, tick);
};

const routes: Record<string, Route> = {
  'GET health': (_req, res) => json(res, 200, { ok: true, server: 'react-sse-hub-demo' }),
  'GET news': news,
  'GET notifications': notifications,
  'GET metrics': metrics,
  'GET prices': prices,
  'GET flaky': flaky,
  'GET flaky/control': flakyControl,
  'POST flaky/control': flakyControl,
  'GET secure': secure,
  'POST complete': complete,
  'GET orders': orders,
  'GET counter': counter,
};

/** Connect-style middleware: `(req, res, next)`. */
export function demoEndpoints(req: IncomingMessage, res: ServerResponse, next: Next): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(DEMO_PREFIX)) return next();
  const route = routes[`${req.method} ${url.pathname.slice(DEMO_PREFIX.length)}`];
  if (!route) {
    json(res, 404, { error: `No demo endpoint ${req.method} ${url.pathname}` });
    return;
  }
  Promise.resolve(route(req, res, url)).catch(next);
}
