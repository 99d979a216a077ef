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
  let [cpu, memory, rps] = [35, 52, 420];
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
  silent: WeakSet<ServerResponse>; // open responses that stopped writing on purpose (socket stays open)
  silenceAfter: number; // the channel's first response goes silent after this many events (?silenceAfter=n)
  retryZeroUntil: number; // until then every response is `retry: 0`, one event, and the end
  connects: number;
  connectTimes: number[];
  resumedFrom: string | null; // the Last-Event-ID (header or query parameter) of the latest connect
}
const channels = new Map<string, FlakyChannel>();
const channelOf = (url: URL) => {
  const name = url.searchParams.get('channel') ?? 'default';
  const fresh = (): FlakyChannel => ({ failNext: 0, noContentNext: false, malformedNext: false, intervalMs: 700, open: new Set(), silent: new WeakSet(), silenceAfter: 0, retryZeroUntil: 0, connects: 0, connectTimes: [], resumedFrom: null });
  return channels.get(name) ?? channels.set(name, fresh()).get(name)!;
};
const describeChannel = (c: FlakyChannel) => {
  // Connects in the last 5 s: their rate, and the shortest gap between two (the client's retry.minDelayMs).
  const recent = c.connectTimes.filter((t) => t > Date.now() - 5000);
  const gaps = recent.slice(1).map((t, i) => t - recent[i]!);
  const { failNext, noContentNext, intervalMs, connects, resumedFrom } = c;
  return { failNext, noContentNext, intervalMs, connects, resumedFrom, open: c.open.size, ratePerSecond: recent.length / 5, minGapMs: gaps.length ? Math.min(...gaps) : null, retryZeroMs: Math.max(0, c.retryZeroUntil - Date.now()) };
};

const flaky: Route = (req, res, url) => {
  const channel = channelOf(url);
  channel.connects++;
  channel.connectTimes = [...channel.connectTimes.slice(-99), Date.now()];
  channel.resumedFrom = resumeId(req, url) ?? null;
  if (channel.connects === 1) channel.silenceAfter = Number(url.searchParams.get('silenceAfter') ?? 0) || 0;
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
  let n = resumeFrom(req, url);
  if (Date.now() < channel.retryZeroUntil) {
    // "Reconnect right away", then the end: only the client's retry.minDelayMs stops a request storm.
    res.end(`retry: 0\n\n${formatEvent({ event: 'tick', id: ++n, data: JSON.stringify({ n, at: Date.now() }) })}`);
    return;
  }
  // A short server retry: the browser's own EventSource reconnect then shows up within a second.
  res.write('retry: 1000\n\n');
  channel.open.add(res);
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    if (channel.silent.has(res) || res.writableEnded) return; // silent: no more writes, socket open
    n++;
    if (channel.malformedNext) {
      channel.malformedNext = false;
      res.write(formatEvent({ event: 'tick', id: n, data: '{"n": ' + n + ', oops' }));
    } else {
      send(res, 'tick', { n, at: Date.now() }, n);
    }
    if (n === channel.silenceAfter) channel.silent.add(res); // the next tick writes nothing
    timer = setTimeout(tick, channel.intervalMs);
  };
  timer = setTimeout(tick, 100);
  res.on('close', () => {
    clearTimeout(timer);
    channel.open.delete(res);
  });
};

const FLAKY_ACTIONS: Record<string, (channel: FlakyChannel, count: number) => void> = {
  drop: (c) => c.open.forEach((open) => open.destroy()),
  fail: (c, count) => void (c.failNext = count),
  slow: (c) => void (c.intervalMs = c.intervalMs > 700 ? 700 : 3000),
  malformed: (c) => void (c.malformedNext = true),
  'no-content': (c) => {
    c.noContentNext = true;
    c.open.forEach((open) => open.end());
  },
  silence: (c) => c.open.forEach((open) => c.silent.add(open)),
  'retry-zero': (c) => {
    c.retryZeroUntil = Date.now() + 10_000;
    c.open.forEach((open) => open.end('retry: 0\n\n'));
  },
  reset: (c) => void Object.assign(c, { failNext: 0, noContentNext: false, malformedNext: false, intervalMs: 700, silenceAfter: 0, retryZeroUntil: 0 }),
};
/** `?action=` one of FLAKY_ACTIONS (anything else, e.g. `status`, only reports); answers the channel's state. */
const flakyControl: Route = (_req, res, url) => {
  const channel = channelOf(url);
  const action = url.searchParams.get('action') ?? '';
  if (Object.hasOwn(FLAKY_ACTIONS, action)) FLAKY_ACTIONS[action]!(channel, Number(url.searchParams.get('count') ?? 1));
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

// ---- expiring tokens: 401 until the client fetches the current one (status-aware retry) -------
interface TokenChannel {
  generation: number; // the valid token is `token-${generation}`
  open: Set<ServerResponse>;
  rejected: number; // 401s answered
}
const tokenChannels = new Map<string, TokenChannel>();
const tokenChannelOf = (url: URL) => {
  const name = url.searchParams.get('channel') ?? 'default';
  return tokenChannels.get(name) ?? tokenChannels.set(name, { generation: 1, open: new Set(), rejected: 0 }).get(name)!;
};
const validToken = (c: TokenChannel) => `token-${c.generation}`;
const describeTokens = (c: TokenChannel) => ({ token: validToken(c), open: c.open.size, rejected: c.rejected });

const expiring: Route = (req, res, url) => {
  const channel = tokenChannelOf(url);
  if (req.headers.authorization !== `Bearer ${validToken(channel)}`) {
    channel.rejected++;
    json(res, 401, { error: 'Token expired: get a fresh one from POST /sse/demo/expiring/token' });
    return;
  }
  startStream(res);
  channel.open.add(res);
  let n = resumeFrom(req, url);
  const tick = () => !res.writableEnded && send(res, 'tick', { n: ++n, at: Date.now() }, n);
  tick();
  const timer = setInterval(tick, 800);
  res.on('close', () => {
    clearInterval(timer);
    channel.open.delete(res);
  });
};
/** The refresh: answers the valid token. */
const expiringToken: Route = (_req, res, url) => json(res, 200, describeTokens(tokenChannelOf(url)));
/** The token expires: a new one is valid from now on, and the open streams end (their reconnect carries the old one). */
const expiringExpire: Route = (_req, res, url) => {
  const channel = tokenChannelOf(url);
  channel.generation++;
  channel.open.forEach((open) => open.end());
  json(res, 200, describeTokens(channel));
};

// ---- OpenAI-style completion over POST: word-by-word deltas, `data: [DONE]`, then the end -------
const ANSWER =
  'Server-Sent Events keep one HTTP response open and write small text frames to it. ' +
  'An LLM API streams its answer the same way: one small JSON delta per frame, then a last data: [DONE] frame, then the response ends. ' +
  'The fetch transport sends the POST with its JSON body once: a finished answer is never requested again.';
const completion: Route = async (req, res) => {
  const prompt = await readBody(req)
    .then((body) => String((JSON.parse(body) as { prompt?: unknown }).prompt ?? 'Explain server-sent events'))
    .catch(() => 'Explain server-sent events'); // not JSON
  const words = `“${prompt}” — ${ANSWER}`.split(/(?<= )/);
  startStream(res);
  let i = 0;
  const timer = setInterval(() => {
    if (i < words.length) {
      res.write(formatEvent({ data: JSON.stringify({ choices: [{ index: 0, delta: { content: words[i++] } }] }) }));
      return;
    }
    clearInterval(timer);
    res.end(formatEvent({ data: '[DONE]' }));
  }, 35);
  res.on('close', () => clearInterval(timer));
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
  // ?firstAfter=ms holds the first event back: a Suspense fallback stays up long enough to see.
  const firstAfter = Number(url.searchParams.get('firstAfter') ?? 0) || 0;
  if (firstAfter === 0) {
    tick();
    every(req, ms, tick);
    return;
  }
  const start = setTimeout(() => {
    tick();
    every(req, ms, tick);
  }, firstAfter);
  req.on('close', () => clearTimeout(start));
};

// ---- request counts per endpoint, in total ('*') and per `?session=` (one story run): GET stats ----
const counts = new Map<string, Record<string, number>>();
const countRequest = (route: string, session: string) => {
  const byRoute = counts.get(session) ?? {};
  counts.delete(session); // re-inserted last: the oldest sessions are forgotten first
  counts.set(session, { ...byRoute, [route]: (byRoute[route] ?? 0) + 1 });
  if (counts.size > 500) counts.delete(counts.keys().next().value!);
};

const routes: Record<string, Route> = {
  'GET health': (_req, res) => json(res, 200, { ok: true, server: 'react-sse-hub-demo' }),
  'GET stats': (_req, res, url) => json(res, 200, { requests: counts.get(url.searchParams.get('session') ?? '*') ?? {} }),
  'GET news': news,
  'GET notifications': notifications,
  'GET metrics': metrics,
  'GET prices': prices,
  'GET flaky': flaky,
  'GET flaky/control': flakyControl,
  'POST flaky/control': flakyControl,
  'GET secure': secure,
  'GET expiring': expiring,
  'POST expiring/token': expiringToken,
  'POST expiring/expire': expiringExpire,
  'POST completion': completion,
  'GET orders': orders,
  'GET counter': counter,
};

/** Connect-style middleware: `(req, res, next)`. */
export function demoEndpoints(req: IncomingMessage, res: ServerResponse, next: Next): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(DEMO_PREFIX)) return next();
  const name = `${req.method} ${url.pathname.slice(DEMO_PREFIX.length)}`;
  const route = routes[name];
  if (!route) {
    json(res, 404, { error: `No demo endpoint ${req.method} ${url.pathname}` });
    return;
  }
  if (name !== 'GET stats') for (const session of new Set(['*', url.searchParams.get('session') ?? '*'])) countRequest(name, session);
  Promise.resolve(route(req, res, url)).catch(next);
}
