import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentRecord } from './page/app';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
const fresh = (name: string) => `/sse/resilience-${name}-${++n}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
/** Fast, deterministic backoff so the tests spend their time on behaviour, not waiting. */
const quickRetry = { initialDelayMs: 50, maxDelayMs: 1000, factor: 2, jitter: false, minDelayMs: 20 };

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
});
afterAll(() => h?.close());

const { mount, records, unmount, cleanup } = hubDriver(() => page);
afterEach(cleanup);
const all = async (id: number): Promise<ComponentRecord[]> => (await records(id)).flat();

/** Let every earlier test's connections close so server-wide counts start from zero. */
async function quiet(): Promise<void> {
  await waitUntil(() => h.server.openTotal() === 0, 'earlier connections to close');
  h.server.resetMax();
}

describe('per-origin connection budget (server-observed)', () => {
  it('opens at most 4 of 10 streams, queues the rest FIFO, and a plain fetch still completes', async () => {
    await quiet();
    const paths = Array.from({ length: 10 }, (_, i) => fresh(`budget${i}`));
    const id = await mount({ provider: { lingerMs: 0 }, streams: paths.map((url) => ({ url })) });
    const statuses = async () => (await records(id)).map((s) => s[0]!.status);
    await waitUntil(async () => (await statuses()).filter((s) => s === 'open').length === 4, '4 open streams');
    expect((await statuses()).slice(4)).toEqual(Array(6).fill('queued'));

    // The app's ordinary requests still get a connection (naive EventSources stall this one).
    const pingMs = await page.evaluate(() => Promise.race([window.hub.ping(), new Promise<number>((r) => setTimeout(() => r(-1), 5000))]));
    expect(pingMs).toBeGreaterThanOrEqual(0);

    // close() on the first stream hands its slot to the first queued one.
    await page.evaluate((i) => window.hub.command(i, 0, 'close'), id);
    await waitUntil(async () => (await statuses())[4] === 'open', 'the first queued stream to open');
    expect(await statuses()).toEqual(['closed', 'open', 'open', 'open', 'open', ...Array(5).fill('queued')]);
    await waitUntil(() => h.server.stats(paths[0]!).open === 0, 'the closed stream to leave the server');
    expect(h.server.maxOpenTotal()).toBeLessThanOrEqual(4);
    expect(paths.slice(5).map((p) => h.server.stats(p).requests)).toEqual(Array(5).fill(0));
    console.info(`[budget] max open on server ${h.server.maxOpenTotal()}/10 requested; /ping took ${pingMs.toFixed(0)} ms`);
    await unmount(id);
  });

  it('a native EventSource that reconnects by itself keeps its slot: the queued stream is not requested meanwhile', async () => {
    await quiet();
    const a = fresh('self-reconnect');
    const b = fresh('queued-behind');
    // Each response of A sends 5 events 20 ms apart (100 ms, over minDelayMs 50, so the library lets
    // the browser reconnect by itself) and is dropped; retry: 50 brings the browser back quickly with
    // Last-Event-ID; maxDelayMs is far above that, so no reconnect is ever the library's own.
    const retry = { initialDelayMs: 50, minDelayMs: 50, maxDelayMs: 10_000, jitter: false };
    const id = await mount({
      provider: { maxConnectionsPerOrigin: 1, lingerMs: 0 },
      streams: [
        { url: `${a}?count=20&interval=20&dropAfter=5&retry=50`, options: { transport: 'eventsource', retry } },
        { url: b, options: { transport: 'eventsource', retry } },
      ],
    });
    await waitUntil(async () => (await records(id))[0]![0]!.ids.length === 20, "all 20 of A's events");
    const log = h.server.stats(a).log;
    // The browser's own reconnects: every later request resumes by header, none is a re-created
    // EventSource (which would resume with the query parameter).
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log.slice(1).map((r) => [r.headers['last-event-id'] !== undefined, r.query.lastEventId])).toEqual(Array(log.length - 1).fill([true, undefined]));
    expect((await records(id))[0]![0]!.ids).toEqual(range(1, 20));
    // While A was being re-established the server never saw B, which waited in the queue.
    expect(h.server.stats(b).requests).toBe(0);
    expect((await records(id))[1]![0]!.status).toBe('queued');
    // B was queued for the slot, not stuck: closing A hands it over.
    await page.evaluate((i) => window.hub.command(i, 0, 'close'), id);
    await waitUntil(() => h.server.stats(b).open === 1, 'B to open once A is closed');
    expect(h.server.stats(b).log[0]!.at).toBeGreaterThanOrEqual(log.at(-1)!.at);
    await unmount(id);
  });
});

describe('reconnect policy and exactly-once delivery', () => {
  it('delivers 150 events exactly once, in order, through browser reconnects and library re-creations', async () => {
    // Every 30 events the server drops the socket: Chromium reconnects by itself with the
    // Last-Event-ID header. Every 3rd request is a 503: Chromium gives up, and the library
    // re-creates the EventSource with the lastEventId query parameter.
    const url = `${fresh('exactly-once')}?count=150&interval=3&dropAfter=30&failEvery=3&retry=50`;
    const options = { retry: quickRetry };
    const id = await mount({
      streams: [
        { url, options, hook: 'events' },
        { url, options, hook: 'handler' },
        { url, options, hook: 'latest' },
      ],
    });
    await waitUntil(async () => (await all(id))[0]!.ids.length === 150, 'all 150 events', 30_000);
    const [events, handled, latest] = await all(id);
    expect(events!.ids).toEqual(range(1, 150));
    expect(handled!.ids).toEqual(range(1, 150));
    // useLatestEvent may skip intermediate values under batching, never repeat or reorder them.
    expect(latest!.ids.map(Number)).toEqual([...new Set(latest!.ids.map(Number))].sort((a, b) => a - b));
    expect(latest!.ids.at(-1)).toBe('150');

    const log = h.server.stats(url.split('?')[0]!).log;
    const byHeader = log.filter((r) => r.headers['last-event-id']).length;
    const byParam = log.filter((r) => !r.headers['last-event-id'] && r.query.lastEventId).length;
    expect(byHeader).toBeGreaterThan(0);
    expect(byParam).toBeGreaterThan(0);
    expect(events!.statuses).toContain('reconnecting');
    console.info(`[exactly-once] 150/150 delivered; ${log.length} requests: ${byHeader} resumed by header, ${byParam} by query parameter`);
    await unmount(id);
  });

  it('backs off with growing gaps and closes with max-attempts', async () => {
    const path = fresh('backoff');
    const id = await mount({
      streams: [{ url: `${path}?status=503`, options: { retry: { initialDelayMs: 100, minDelayMs: 100, factor: 2, jitter: false, maxAttempts: 4 } } }],
    });
    await waitUntil(async () => (await all(id))[0]!.status === 'closed', "'closed' after max attempts", 20_000);
    const [record] = await all(id);
    expect(record!.error?.kind).toBe('max-attempts');
    const { log } = h.server.stats(path);
    // Each attempt is two GETs: the native EventSource's, then the library's status look-up (it
    // never shows the page a status), which finds the 503 and backs off.
    expect(log).toHaveLength(2 * 5); // the first attempt + 4 retries
    const times = log.filter((_, i) => i % 2 === 0).map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Timers never fire early: each gap is at least the policy's delay (100, 200, 400, 800).
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(100 * 2 ** i - 5));
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]!);
    console.info(`[backoff] server-observed gaps ${gaps.join(', ')} ms`);
    await unmount(id);
  });

  it('survives a server restarted on the same port and resumes without loss', async () => {
    const url = `${fresh('restart')}?interval=10&retry=100`;
    const id = await mount({ streams: [{ url }] });
    await waitUntil(async () => (await all(id))[0]!.ids.length >= 10, '10 events');
    await h.server.restart();
    await waitUntil(async () => (await all(id))[0]!.ids.length >= 40, '40 events after the restart');
    const [record] = await all(id);
    expect(record!.ids).toEqual(range(1, record!.ids.length));
    expect(record!.statuses).toContain('reconnecting');
    await unmount(id);
  });
});

describe('pausing releases the server connection', () => {
  it("offline: 'paused' with no open connection, then resumes from the last event id", async () => {
    const path = fresh('offline');
    const id = await mount({ streams: [{ url: `${path}?interval=10` }] });
    await waitUntil(async () => (await all(id))[0]!.ids.length >= 5, '5 events');
    // `before` is read while offline: once back online, events arrive every 10 ms and a later read
    // would count some of them (fetch.test.ts reads in the same order).
    let before: number;
    try {
      await h.context.setOffline(true);
      await waitUntil(async () => (await all(id))[0]!.status === 'paused', "'paused'");
      await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the connection close');
      before = (await all(id))[0]!.ids.length;
    } finally {
      await h.context.setOffline(false);
    }
    await waitUntil(async () => (await all(id))[0]!.ids.length >= before + 10, '10 more events after coming back online');
    const [record] = await all(id);
    expect(record!.ids).toEqual(range(1, record!.ids.length));
    expect(h.server.stats(path).log.at(-1)!.resumedFrom).toBe(String(before));
    await unmount(id);
  });

  it("pauseWhenHidden: a hidden page holds no connection and resumes when visible", async () => {
    const path = fresh('hidden');
    const setHidden = (hidden: boolean) =>
      page.evaluate((hide) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hide ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    const id = await mount({ streams: [{ url: `${path}?interval=10`, options: { pauseWhenHidden: true } }] });
    await waitUntil(async () => (await all(id))[0]!.ids.length >= 5, '5 events');
    await setHidden(true);
    await waitUntil(async () => (await all(id))[0]!.status === 'paused', "'paused'");
    await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the connection close');
    const before = (await all(id))[0]!.ids.length;
    await setHidden(false);
    await waitUntil(async () => (await all(id))[0]!.ids.length >= before + 10, 'events after becoming visible');
    const [record] = await all(id);
    expect(record!.ids).toEqual(range(1, record!.ids.length));
    expect(h.server.stats(path).requests).toBe(2);
    await unmount(id);
  });
});

describe('bad input never breaks the app', () => {
  it('skips malformed JSON with a parse error and keeps the stream going', async () => {
    // Renders are batched per frame and the next event clears an event error, so the error is
    // asserted on a stream whose last event is the malformed one (nothing clears it).
    const id = await mount({
      streams: [{ url: `${fresh('malformed')}?count=20&interval=5&malformedAt=5` }, { url: `${fresh('malformed-last')}?count=5&interval=5&malformedAt=5` }],
    });
    await waitUntil(async () => (await all(id))[0]!.ids.includes('20'), 'event 20');
    await waitUntil(async () => (await all(id))[1]!.errors.includes('parse'), 'the parse error');
    const [going, last] = await all(id);
    expect(going!.ids).toEqual(range(1, 20).filter((x) => x !== '5'));
    expect(going!.status).toBe('open');
    expect(last!.ids).toEqual(range(1, 4));
    expect(last!.status).toBe('open');
    await unmount(id);
  });

  it('treats __proto__, constructor and toString like any other event name', async () => {
    const types = ['__proto__', 'constructor', 'toString'];
    const id = await mount({ streams: types.map((type) => ({ url: `${fresh(type.replace(/_/g, ''))}?count=5&interval=5&type=${type}`, type })) });
    await waitUntil(async () => (await all(id)).every((r) => r.ids.length === 5), 'five events of each type');
    for (const record of await all(id)) expect(record.ids).toEqual(range(1, 5));
    await unmount(id);
  });

  it("closes an unparseable URL with 'unsupported' and nothing thrown", async () => {
    const id = await mount({ streams: [{ url: 'http://[::1' }] });
    await waitUntil(async () => (await all(id))[0]!.status === 'closed', "'closed'");
    expect((await all(id))[0]!.error?.kind).toBe('unsupported');
    expect(await h.pageErrors()).toEqual([]);
    await unmount(id);
  });
});
