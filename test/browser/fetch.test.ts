/**
 * The fetch transport in real Chromium against the counting server: what the server saw
 * (headers, bodies, Last-Event-ID, request counts) is the evidence, not what the page claims.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MountSpec } from './page/app';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
/** A fresh stream path per test: the server's counts are per path. */
const fresh = (name: string) => `/sse/fetch-${name}-${++n}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
/** Fast, deterministic reconnects so tests wait on conditions, not on backoff. */
const FAST = { initialDelayMs: 20, maxDelayMs: 200, jitter: false, minDelayMs: 20 };

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
});
afterAll(() => h?.close());

// A failed test's streams are unmounted after it: left open, they would hold the browser's 6
// connections per host and time out the tests after it.
const { mount, records, unmount, cleanup } = hubDriver(() => page);
afterEach(cleanup);
const record = async (id: number, s = 0) => (await records(id))[s]![0]!;

describe('what the request carries', () => {
  it('POST body and a bearer token from an async headers function reach the server', async () => {
    const path = fresh('post');
    const id = await mount({
      streams: [{ url: `${path}?auth=s3cret&echo=1&count=5`, tokenFn: 's3cret', options: { method: 'POST', body: '{"prompt":"hi"}' } }],
    });
    await waitUntil(async () => (await record(id)).ids.length === 5, 'five events');
    expect((await record(id)).ids).toEqual(range(1, 5));
    const { requests, log } = h.server.stats(path);
    expect(requests).toBe(1);
    expect(log[0]).toMatchObject({ method: 'POST', body: '{"prompt":"hi"}', resumedFrom: undefined });
    // No Cache-Control header of ours (it is not CORS-safelisted); with `cache: 'no-store'` Chromium
    // adds its own `no-cache`, which needs no preflight (Fetch: HTTP-network-or-cache fetch).
    expect(log[0]!.headers).toMatchObject({ authorization: 'Bearer s3cret', accept: 'text/event-stream', 'cache-control': 'no-cache' });
    expect(log[0]!.headers['last-event-id']).toBeUndefined();
    await unmount(id);
  });

  it('a headers object alone selects the fetch transport', async () => {
    const path = fresh('headers');
    const id = await mount({ streams: [{ url: `${path}?count=3`, options: { headers: { 'X-Trace': 'abc' } } }] });
    await waitUntil(async () => (await record(id)).ids.length === 3, 'three events');
    expect(h.server.stats(path).log[0]).toMatchObject({ method: 'GET', headers: { 'x-trace': 'abc', accept: 'text/event-stream' } });
    expect((await page.evaluate((i) => window.hub.pool(i), id))[0]!.transport).toBe('fetch');
    await unmount(id);
  });

  it('a missing token is fatal: 401, closed, one request', async () => {
    const path = fresh('unauthorized');
    const sentinel = fresh('sentinel');
    const id = await mount({
      streams: [
        { url: `${path}?auth=s3cret`, options: { transport: 'fetch', retry: FAST } },
        // Fails three times first: once it is open, a retry of the fatal stream would have happened.
        { url: `${sentinel}?failFirst=3`, options: { transport: 'fetch', retry: FAST } },
      ],
    });
    await waitUntil(async () => (await record(id, 1)).status === 'open', 'the sentinel to recover');
    const r = await record(id);
    expect(r.status).toBe('closed');
    expect(r.error).toMatchObject({ kind: 'http', status: 401 });
    expect(h.server.stats(path).requests).toBe(1);
    await unmount(id);
  });
});

describe('resuming', () => {
  it('sends Last-Event-ID (and a fresh token) on every reconnect: 150 events, each exactly once', async () => {
    const path = fresh('resume');
    const id = await mount({
      streams: [{ url: `${path}?count=150&dropAfter=40&interval=2&auth=tok`, tokenFn: 'tok', options: { retry: FAST } }],
    });
    await waitUntil(async () => (await record(id)).ids.length >= 150, 'all 150 events', 30_000);
    expect((await record(id)).ids).toEqual(range(1, 150));
    // The server destroys the socket right after writing event 40 of each response, so that
    // event may or may not get out: the resume point is whatever the client last saw, and the
    // ids above prove it was exactly right (too high would lose events, too low duplicate them).
    const { log } = h.server.stats(path);
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log[0]!.headers['last-event-id']).toBeUndefined();
    const resumed = log.slice(1).map((r) => Number(r.headers['last-event-id']));
    expect(resumed.every((id, i) => id > (resumed[i - 1] ?? 0))).toBe(true);
    expect(log.every((r) => r.resumedFrom === r.headers['last-event-id'] && r.query.lastEventId === undefined)).toBe(true);
    expect(log.every((r) => r.headers.authorization === 'Bearer tok')).toBe(true);
    expect((await record(id)).statuses).toContain('reconnecting');
    await unmount(id);
  });

  it("a stream the server ends normally is resumed after the server's retry: delay, with no error", async () => {
    const path = fresh('ended');
    const id = await mount({
      streams: [{ url: `${path}?count=3&end=1&retry=1000`, options: { transport: 'fetch', retry: { initialDelayMs: 20, maxDelayMs: 5000, jitter: false } } }],
    });
    await waitUntil(() => h.server.stats(path).requests >= 2, 'the reconnect');
    const r = await record(id);
    expect(r.ids).toEqual(range(1, 3));
    expect(r.errors).toEqual([]);
    expect(r.statuses).toContain('reconnecting');
    const { log } = h.server.stats(path);
    expect(log[1]!.headers['last-event-id']).toBe('3');
    // retry: 1000 replaced the 20 ms initial delay (the first response itself lasts about 60 ms).
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(1000);
    await unmount(id);
  });

  it('close() aborts the request: the server sees it end, and nothing reconnects', async () => {
    const path = fresh('close');
    const sentinel = fresh('sentinel');
    const id = await mount({
      streams: [
        { url: path, options: { transport: 'fetch', retry: FAST } },
        { url: `${sentinel}?failFirst=3`, options: { transport: 'fetch', retry: FAST } },
      ],
    });
    await waitUntil(async () => (await record(id)).ids.length >= 3, 'events before close');
    await page.evaluate((i) => window.hub.command(i, 0, 'close'), id);
    await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the request end');
    await waitUntil(async () => (await record(id, 1)).status === 'open', 'the sentinel to recover');
    expect((await record(id)).status).toBe('closed');
    expect(h.server.stats(path).requests).toBe(1);
    await unmount(id);
  });

  it('going offline pauses (the request ends) and coming back resumes from Last-Event-ID', async () => {
    const path = fresh('offline');
    const id = await mount({ streams: [{ url: path, options: { transport: 'fetch', retry: FAST } }] });
    await waitUntil(async () => (await record(id)).ids.length >= 3, 'events before going offline');
    let before: number;
    try {
      await h.context.setOffline(true);
      await waitUntil(async () => (await record(id)).status === 'paused', 'the paused status');
      await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the request end');
      before = (await record(id)).ids.length;
    } finally {
      await h.context.setOffline(false);
    }
    await waitUntil(async () => (await record(id)).ids.length >= before + 3, 'events after coming back');
    const { ids, statuses } = await record(id);
    expect(ids).toEqual(range(1, ids.length));
    expect(statuses).toContain('paused');
    const { log } = h.server.stats(path);
    expect(log).toHaveLength(2);
    expect(Number(log[1]!.headers['last-event-id'])).toBe(before);
    await unmount(id);
  });

  it('unmount aborts the request', async () => {
    const path = fresh('unmount');
    const id = await mount({ provider: { lingerMs: 0 }, streams: [{ url: path, options: { transport: 'fetch' } }] });
    await waitUntil(() => h.server.stats(path).open === 1, 'the stream to open');
    await unmount(id);
    await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the request end');
    expect(h.server.stats(path).requests).toBe(1);
  });
});

describe('fatal and transient answers', () => {
  // One server contract for both transports (API.md 0.3). A native EventSource never shows the page
  // the status; the library looks it up with one GET of its own.
  for (const transport of ['eventsource', 'fetch'] as const) {
    it(`204 closes with no error, 404 and a wrong content type close with theirs, after one request each (+1 look-up on native) (${transport})`, async () => {
      const paths = { noContent: fresh('204'), notFound: fresh('404'), html: fresh('html') };
      const sentinel = fresh('sentinel');
      const options = { transport, retry: FAST } as const;
      const id = await mount({
        streams: [
          { url: `${paths.noContent}?status=204`, options },
          { url: `${paths.notFound}?status=404`, options },
          { url: `${paths.html}?contentType=text/html`, options },
          { url: `${sentinel}?failFirst=3`, options },
        ],
      });
      await waitUntil(async () => (await record(id, 3)).status === 'open', 'the sentinel to recover');
      await waitUntil(async () => (await records(id)).slice(0, 3).every((s) => s[0]!.status === 'closed'), "the three to be 'closed'");
      const all = await records(id);
      expect(all[0]![0]!.error).toBeUndefined();
      expect(all[1]![0]!.error).toMatchObject({ kind: 'http', status: 404 });
      expect(all[2]![0]!.error).toMatchObject({ kind: 'content-type' });
      expect(all[2]![0]!.error).not.toHaveProperty('status');
      expect(all.slice(0, 3).map((s) => s[0]!.statuses.includes('reconnecting'))).toEqual([false, false, false]);
      const logs = Object.values(paths).map((p) => h.server.stats(p).log);
      expect(logs.map((log) => log.length)).toEqual(Array(3).fill(transport === 'eventsource' ? 2 : 1));
      expect(logs.flat().map((r) => r.method)).toEqual(Array(logs.flat().length).fill('GET'));
      await unmount(id);
    });
  }

  it('503 twice, then recovery: the error carries the status and clears on open', async () => {
    const path = fresh('503');
    const id = await mount({ streams: [{ url: `${path}?failFirst=2&failStatus=503&count=5`, options: { transport: 'fetch', retry: FAST } }] });
    await waitUntil(async () => (await record(id)).ids.length === 5, 'five events after recovery');
    const r = await record(id);
    expect(r.ids).toEqual(range(1, 5));
    expect(r.errors).toEqual(['http']);
    expect(r.error).toBeUndefined();
    expect(r.statuses).toEqual(['connecting', 'reconnecting', 'open']);
    expect(h.server.stats(path).requests).toBe(3);
    await unmount(id);
  });

  it('429 with Retry-After waits at least that long, whatever the backoff says (up to maxDelayMs)', async () => {
    const path = fresh('429');
    // Every delay is clamped into [minDelayMs, maxDelayMs]: a Retry-After of a day must not park the stream.
    const retry = { ...FAST, maxDelayMs: 5000 };
    const id = await mount({ streams: [{ url: `${path}?failFirst=1&failStatus=429&retryAfter=1&count=2`, options: { transport: 'fetch', retry } }] });
    await waitUntil(async () => (await record(id)).ids.length === 2, 'events after the wait');
    const { log } = h.server.stats(path);
    expect(log).toHaveLength(2);
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(950);
    await unmount(id);
  });
});

describe('size limit and transport transparency', () => {
  it('an event over maxEventBytes is dropped with a too-large error while later events arrive', async () => {
    const path = fresh('big');
    // Renders are batched per frame and the next event clears an event error: the error is
    // asserted on a second stream whose last event is the big one (nothing clears it).
    const last = fresh('big-last');
    const options = { transport: 'fetch' as const, maxEventBytes: 100_000, retry: FAST };
    const id = await mount({
      streams: [
        { url: `${path}?count=8&bigAt=4&bigBytes=300000&interval=10`, options },
        { url: `${last}?count=4&bigAt=4&bigBytes=300000&interval=10`, options },
      ],
    });
    await waitUntil(async () => (await record(id)).ids.includes('8'), 'the events after the big one');
    await waitUntil(async () => (await record(id, 1)).errors.includes('too-large'), 'the too-large error');
    const [r, l] = [await record(id), await record(id, 1)];
    expect(r.ids).toEqual(['1', '2', '3', '5', '6', '7', '8']);
    expect(r.statuses).toEqual(['connecting', 'open']);
    expect(h.server.stats(path).requests).toBe(1);
    expect(l.ids).toEqual(['1', '2', '3']);
    expect(l.errors).toEqual(['too-large']);
    expect(l.statuses).toEqual(['connecting', 'open']);
    expect(h.server.stats(last).requests).toBe(1);
    await unmount(id);
  });

  it('a component sees the same thing from either transport', async () => {
    const es = fresh('same-es');
    const viaFetch = fresh('same-fetch');
    // retry=50: the server's retry: field, which both transports honour (native ignores our retry option).
    const query = '?count=6&type=tick&dropAfter=3&retry=50';
    const retry = { initialDelayMs: 50, jitter: false };
    const id = await mount({
      streams: [
        { url: es + query, type: 'tick', options: { events: ['tick'], transport: 'eventsource', retry } },
        { url: viaFetch + query, type: 'tick', options: { events: ['tick'], transport: 'fetch', retry } },
      ],
    });
    await waitUntil(async () => (await records(id)).every((s) => s[0]!.ids.length === 6), 'six events on both');
    const [a, b] = (await records(id)).map((s) => s[0]!);
    expect(a!.ids).toEqual(range(1, 6));
    expect(b!.ids).toEqual(a!.ids);
    expect(b!.statuses).toEqual(a!.statuses);
    expect(a!.statuses).toContain('reconnecting');
    expect(h.server.stats(viaFetch).log.slice(1).every((r) => r.headers['last-event-id'] !== undefined)).toBe(true);
    await unmount(id);
  });
});

describe('the fetch transport as a chunk of its own', () => {
  it('is downloaded once, by the first stream that needs it, never by native streams', async () => {
    // What the server sent from here on is this tab's: the earlier tab loaded its chunks long ago
    // and the harness serves scripts with no-store, so this tab downloads its own.
    const from = h.served().length;
    const tab = await h.open();
    const chunks = () =>
      h.served().slice(from).flatMap((path) => (/^\/(fetch-transport|cross-tab-sharing)-\w+\.js$/.test(path) ? [path.replace(/-\w+\.js$/, '')] : []));
    const inTab = (spec: MountSpec) => tab.evaluate((s) => window.hub.mount(s), spec);
    const recordIn = async (id: number) => (await tab.evaluate((i) => window.hub.records(i), id))[0]![0]!;

    try {
      const native = await inTab({ streams: [{ url: `${fresh('native-only')}?count=3` }] });
      await waitUntil(async () => (await recordIn(native)).ids.length === 3, 'native events');
      expect(chunks()).toEqual([]);

      const first = await inTab({ streams: [{ url: `${fresh('lazy-a')}?count=3`, options: { transport: 'fetch' } }] });
      const second = await inTab({ streams: [{ url: `${fresh('lazy-b')}?count=3`, options: { headers: { 'X-A': '1' } } }] });
      await waitUntil(async () => (await recordIn(first)).ids.length === 3 && (await recordIn(second)).ids.length === 3, 'fetch events');
      expect(chunks()).toEqual(['/fetch-transport']);
    } finally {
      await tab.close();
    }
  });
});
