/**
 * The 0.2 lifecycle in real Chromium against the counting server (API.md, "Lifecycle (added in
 * 0.2)" and "Guarantees added in 0.2"): finite streams and endOn, the budget with failing and 204
 * streams, idle timeouts, the bounds on every reconnect delay, churn, and when an error clears.
 * What the server counted is the evidence; each case runs on both transports where it applies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnSpec, StreamSpec } from './page/app';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
const fresh = (name: string) => `/sse/lifecycle-${name}-${++n}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const TRANSPORTS = ['eventsource', 'fetch'] as const;
/** Fast, deterministic backoff; minDelayMs lowered too, so the tests wait on behaviour, not on delays. */
const QUICK = { initialDelayMs: 50, maxDelayMs: 1000, factor: 2, jitter: false, minDelayMs: 50 };

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
});
afterAll(() => h?.close());

const driver = hubDriver(() => page);
const { mount, records, unmount } = driver;
// Called as a method: hubDriver's cleanup() uses `this`, so a bare `afterEach(cleanup)` throws
// as soon as a test leaves something mounted.
afterEach(() => driver.cleanup());
/**
 * No uncaught exception on the page, checked after every test that has just driven it (a check of
 * its own would pass trivially when run alone): the errors that came up during this test.
 */
let errorsSeen = 0;
afterEach(async () => {
  const errors = await h.pageErrors();
  const during = errors.slice(errorsSeen);
  errorsSeen = errors.length;
  expect(during, 'uncaught exceptions on the page during this test').toEqual([]);
});
const record = async (id: number, s = 0) => (await records(id))[s]![0]!;
const requests = (path: string) => h.server.stats(path).requests;
const add = (id: number, stream: StreamSpec) => page.evaluate(([i, s]) => window.hub.add(i, s), [id, stream] as const);

/** An observation window: time passes, and the assertions after it are on what the server counted. */
async function observe(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await waitUntil(() => Date.now() >= until, `the end of a ${ms} ms observation window`, ms + 1000);
}

/** Let every earlier test's connections close so server-wide counts start from zero. */
async function quiet(): Promise<void> {
  await waitUntil(() => h.server.openTotal() === 0, 'earlier connections to close');
  h.server.resetMax();
}

/**
 * A stream that should end for good: wait until it is 'closed', or visibly is not going to be
 * (a second request, a reconnect, an error), then watch a further second for repeat requests.
 */
async function finished(id: number, path: string) {
  await waitUntil(async () => {
    const r = await record(id);
    return r.status === 'closed' || requests(path) > 1 || r.statuses.includes('reconnecting') || r.errors.length > 0;
  }, "the stream to close (or to show it won't)");
  await observe(1000);
  return record(id);
}

describe('finite streams and endOn', () => {
  it('a POST stream ending with [DONE] is sent once, delivers 1..5 once and closes with no error', async () => {
    const path = fresh('post-done');
    const id = await mount({
      streams: [{ url: `${path}?count=5&interval=5&done=1`, options: { method: 'POST', body: '{"prompt":"hi"}', retry: QUICK } }],
    });
    const r = await finished(id, path);
    expect.soft(h.server.stats(path).log.map((q) => q.method)).toEqual(['POST']);
    expect.soft(r.errors).toEqual([]); // '[DONE]' is never parsed
    expect.soft(r.ids).toEqual(range(1, 5));
    expect.soft(r.statuses).not.toContain('reconnecting');
    expect(r.status).toBe('closed');
    expect(r.error).toBeUndefined();
  });

  for (const transport of [...TRANSPORTS, undefined]) {
    it(`finite: true GET with a plain end (no [DONE]) closes after one request (transport: ${transport ?? 'unset'})`, async () => {
      const path = fresh('finite-get');
      // The server's retry: 100 must not bring a finished stream back either.
      const id = await mount({ streams: [{ url: `${path}?count=3&end=1&retry=100`, options: { finite: true, transport, retry: QUICK } }] });
      const r = await finished(id, path);
      expect.soft(requests(path)).toBe(1);
      expect.soft(r.ids).toEqual(range(1, 3));
      expect.soft(r.errors).toEqual([]);
      expect.soft(r.statuses).not.toContain('reconnecting');
      // Only fetch tells a normal end from a loss: an unforced finite stream uses it.
      if (transport === undefined) expect.soft((await page.evaluate((i) => window.hub.pool(i), id))[0]!.transport).toBe('fetch');
      expect(r.status).toBe('closed');
    });
  }

  for (const transport of TRANSPORTS) {
    it(`a non-finite GET stream whose data is [DONE] closes for good without a parse error (${transport})`, async () => {
      const path = fresh('get-done');
      const id = await mount({ streams: [{ url: `${path}?count=3&done=1&retry=100`, options: { transport, retry: QUICK } }] });
      const r = await finished(id, path);
      expect.soft(requests(path)).toBe(1);
      expect.soft(r.errors).toEqual([]);
      expect.soft(r.ids).toEqual(range(1, 3));
      expect(r.status).toBe('closed');
      expect(r.error).toBeUndefined();
    });
  }
});

describe('budget: only connections hold slots', () => {
  for (const transport of TRANSPORTS) {
    it(`four streams failing with 500 forever leave room for a fifth mounted after them (${transport})`, async () => {
      await quiet();
      const failing = Array.from({ length: 4 }, (_, i) => fresh(`failing${i}`));
      const healthy = fresh('healthy');
      const options = { transport, retry: { initialDelayMs: 200, maxDelayMs: 400, jitter: false, minDelayMs: 50 } };
      const id = await mount({
        provider: { maxConnectionsPerOrigin: 4, lingerMs: 0 },
        streams: failing.map((p) => ({ url: `${p}?failFirst=1000000&failStatus=500`, options })),
      });
      await waitUntil(() => failing.every((p) => requests(p) >= 2), 'each failing stream to be retried once');
      const added = Date.now();
      const s = await add(id, { url: healthy, options });
      await waitUntil(async () => (await record(id, s)).status === 'open', 'the fifth stream to open');
      expect(h.server.stats(healthy).open).toBe(1);
      // ARCHITECTURE.md: "a healthy fifth stream opens before any of four neighbours answering 500 forever has
      // been retried twice". The order, not a stopwatch: a failing stream holds no slot while it waits
      // out its delay (200-400 ms), so the fifth does not wait for their attempts. One attempt of a
      // neighbour may be under way when it is added; a second one before the fifth is a queue.
      const opened = h.server.stats(healthy).log[0]!.at;
      const perAttempt = transport === 'eventsource' ? 2 : 1; // native: the EventSource's GET + the status look-up
      const attemptsMeanwhile = failing.map((p) => h.server.stats(p).log.filter((r) => r.at >= added && r.at <= opened).length / perAttempt);
      console.info(`[budget 500] fifth requested ${opened - added} ms after it was added; neighbours' attempts meanwhile ${attemptsMeanwhile.join(', ')} (${transport})`);
      for (const attempts of attemptsMeanwhile) expect(attempts).toBeLessThanOrEqual(1);
    });

    it(`200 streams that end and are answered 204: all served, all 'closed' with no error, never more than 4 open (${transport})`, async () => {
      await quiet();
      const paths = Array.from({ length: 200 }, (_, i) => fresh(`no-content${i}`));
      // Each stream sends 2 events and ends; every later request is answered 204. retry=50 makes the
      // native EventSource's own reconnect (the one that meets the 204) quick. 40 ms between events
      // keeps each response open longer than the server's SETTLE_MS, so its open count sees them.
      const url = (p: string) => `${p}?count=2&interval=40&end=1&retry=50&failFrom=1&failStatus=204`;
      // maxDelayMs bounds the native EventSource's own reconnect too: past it the library calls the
      // reconnect stalled and re-creates the EventSource itself. With 200 streams Chromium's
      // reconnect (retry: 50) was seen ~250 ms after the end, so the bound is well above that.
      const retry = { initialDelayMs: 50, maxDelayMs: 2000, jitter: false, minDelayMs: 50 };
      const id = await mount({
        provider: { maxConnectionsPerOrigin: 4, lingerMs: 0 },
        streams: paths.map((p) => ({ url: url(p), options: { transport, retry } })),
      });
      // Counted in the page, so a poll ships one number, not 200 streams' records. The server's
      // counts are waited for first (no round-trip to the page at all): copying every record 40
      // times a second slowed the page itself (Firefox: 47 s -> 38 s here, its fetch case 21 s -> 11 s).
      // Firefox's floor is its own: Gecko raises `retry: 50` to 500 ms (MIN_RECONNECTION_TIME_VALUE
      // in dom/base/EventSource.cpp), and each stream holds its slot through that native wait.
      const closed = () => page.evaluate((i) => window.hub.records(i).filter((s) => s[0]!.status === 'closed').length, id);
      await waitUntil(() => paths.every((p) => requests(p) >= 2), 'every stream to meet its 204', 50_000)
        .then(() => waitUntil(async () => (await closed()) === 200, "every stream 'closed'"))
        .catch(async (error: Error) => {
          throw new Error(`${error.message}; ${await closed()}/200 closed, ${paths.filter((p) => requests(p) > 0).length}/200 requested`);
        });
      const all = await records(id);
      expect(all.map((s) => s[0]!.error).filter((e) => e !== undefined)).toEqual([]);
      // The stream, the reconnect that meets the 204, and (native only) one status look-up.
      const perStream = transport === 'eventsource' ? 3 : 2;
      const total = () => paths.reduce((sum, p) => sum + requests(p), 0);
      expect(Math.max(...paths.map(requests)), 'requests on one path').toBeLessThanOrEqual(perStream);
      expect(paths.map(requests).filter((r) => r < 2)).toEqual([]);
      const settled = total();
      expect(settled).toBeLessThanOrEqual(200 * perStream);
      expect(h.server.maxOpenTotal()).toBeLessThanOrEqual(4);
      expect(h.server.maxOpenTotal(), 'the server saw streams open at all').toBeGreaterThan(0);
      // A closed stream keeps no timer; a stray reconnect (the server asks for 50 ms, the policy's
      // first delay is 50 ms) would show well within a second.
      await observe(1000);
      expect(total()).toBe(settled);
      console.info(`[204] 200 streams closed with ${settled} requests, at most ${h.server.maxOpenTotal()} open (${transport})`);
    }, 75_000);
  }
});

describe('idleTimeoutMs: a silent connection is a lost one', () => {
  for (const transport of TRANSPORTS) {
    it(`detects a connection gone silent, resumes from the last id, and clears the error on reopen (${transport})`, async () => {
      const path = fresh('silent');
      const idleTimeoutMs = 1000;
      const id = await mount({ streams: [{ url: `${path}?silentAfter=5&count=20&interval=20`, options: { transport, idleTimeoutMs, retry: QUICK } }] });
      await waitUntil(() => requests(path) >= 2, 'the silent connection to be replaced');
      const [first, second] = h.server.stats(path).log;
      expect(second!.resumedFrom).toBe('5');
      // Timers never fire early: not replaced before a whole idleTimeoutMs without an event.
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(idleTimeoutMs);
      // ARCHITECTURE.md: "detected by the first idle check after `idleTimeoutMs` (1 s)". Silent from 5 events × 20 ms
      // after the first request; then idleTimeoutMs and QUICK's first delay. The margin is one more
      // idleTimeoutMs: a silence found by the first idle check passes, one missed by it does not.
      expect(second!.at - first!.at).toBeLessThan(5 * 20 + idleTimeoutMs + QUICK.initialDelayMs + idleTimeoutMs);
      await waitUntil(async () => (await record(id)).ids.length >= 20, 'all 20 events', 15_000);
      await waitUntil(async () => {
        const r = await record(id);
        return r.status === 'open' && r.error === undefined;
      }, "'open' with no error after the last resume");
      const r = await record(id);
      expect(r.ids).toEqual(range(1, 20));
      expect(r.errors).toContain('network');
      expect(r.statuses).toContain('reconnecting');
    });
  }
});

describe('every delay between attempts is clamped into [minDelayMs, maxDelayMs]', () => {
  for (const transport of TRANSPORTS) {
    it(`retry: 0 on a stream that keeps ending: at most one request per 500 ms (${transport})`, async () => {
      const path = fresh('retry0');
      await mount({ streams: [{ url: `${path}?retry=0&count=1&end=1`, options: { transport } }] });
      await waitUntil(() => requests(path) >= 1, 'the first request');
      const start = h.server.stats(path).log[0]!.at;
      const windowMs = 3000;
      await observe(start + windowMs - Date.now());
      const times = h.server.stats(path).log.filter((r) => r.at <= start + windowMs).map((r) => r.at);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      console.info(`[retry: 0] ${times.length} requests in ${windowMs} ms; smallest gap ${Math.min(...gaps)} ms (${transport})`);
      // ARCHITECTURE.md: "makes at most one request per `minDelayMs` (500 ms by default), never two arriving
      // within 450 ms". The bounds are the behaviour, from the default minDelayMs: the timer never fires
      // early, and two arrivals can be a little closer than the delay when one request took longer
      // to reach the server than the next (50 ms of margin; every run shows gaps over 500 ms).
      const minDelayMs = 500;
      expect.soft(times.length).toBeGreaterThanOrEqual(2); // it does resume, just not at once
      expect.soft(times.length).toBeLessThanOrEqual(windowMs / minDelayMs + 2);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(minDelayMs - 50);
    });

    it(`a huge retry: is capped by maxDelayMs and every event still arrives once (${transport})`, async () => {
      const path = fresh('huge-retry');
      const maxDelayMs = 1000;
      const id = await mount({ streams: [{ url: `${path}?retry=99999999999&dropAfter=3&count=10`, options: { transport, retry: { maxDelayMs } } }] });
      await waitUntil(async () => (await record(id)).ids.length >= 10, 'all 10 events');
      expect((await record(id)).ids).toEqual(range(1, 10));
      const { log } = h.server.stats(path);
      console.info(`[huge retry] requests resumed from ${log.map((r) => r.resumedFrom ?? '-').join(', ')} at +${log.map((r) => r.at - log[0]!.at).join(', ')} ms (${transport})`);
      expect(log.slice(1).every((r) => r.resumedFrom !== undefined)).toBe(true);
      // ARCHITECTURE.md: "reconnects within `maxDelayMs` of each drop". A response lasts 3 × 20 ms before the
      // drop; then one wait of at most maxDelayMs (the backoff clamped, or on native the browser's own
      // reconnect given up after maxDelayMs and re-created at once). The margin is under one more
      // maxDelayMs: an uncapped retry: would never come back, and a second wait would exceed it.
      log.slice(1).forEach((r, i) => expect(r.at - log[i]!.at).toBeLessThan(3 * 20 + 2 * maxDelayMs));
    });
  }
});

describe('churn under the budget', () => {
  for (const transport of TRANSPORTS) {
    // Native: an EventSource closed while still CONNECTING, when its response headers are already
    // on the way, stayed open at the server for ~5 s in runs against 0.1; the library now closes
    // such a request once it opens. After that, Chromium still drains a closed keep-alive (chunked)
    // response to reuse its socket, up to ~5 s: hundreds of ms over budget in runs of this test
    // against a keep-alive server (docs/server.md; ARCHITECTURE.md, "Why each quirk exists"). The streams here send `Connection: close`, so the test measures the
    // library's own bookkeeping, not Chromium's drain.
    it(`4000 mounts and unmounts over 6 URLs never stay over a budget of 4 longer than a close takes (${transport})`, async () => {
      await quiet();
      const since = Date.now();
      const paths = Array.from({ length: 6 }, (_, i) => fresh(`churn${i}`));
      const urls = paths.map((path) => `${path}?connection=close`);
      const spec: ChurnSpec = { urls, cycles: 4000, pauseMs: 0, provider: { maxConnectionsPerOrigin: 4, lingerMs: 0 }, options: { transport, retry: QUICK } };
      const result = await page.evaluate((s) => window.hub.churn(s), spec);
      await waitUntil(() => h.server.openTotal() === 0, 'every connection to close after the churn', 8000);
      const over = h.server.overBudget(4, since);
      const opened = paths.reduce((sum, path) => sum + requests(path), 0);
      console.info(`[churn] ${result.mounts} mounts in ${result.steps} steps, ${result.ms} ms; ${opened} requests; max open ${h.server.maxOpenTotal()}; longest over budget ${over.longestMs} ms (${transport})`);
      expect(opened).toBeGreaterThan(50); // the churn really opened connections
      const openThen = over.open.map((o) => `${o.path} since -${over.startedAt! - o.since} ms`).join(', ');
      // ARCHITECTURE.md: "never over the budget of 4 for longer than a close takes to reach it (under 300 ms
      // here)". Not derived from an option: 300 ms is far above a close's trip (tens of ms) and
      // far below a stream kept open past its unmount (the next churn step's stream, or ~5 s).
      expect(over.longestMs, `over budget from ${over.startedAt} with open: ${openThen}`).toBeLessThan(300);
    });
  }
});

describe('an event error is cleared by the next event delivered', () => {
  for (const transport of TRANSPORTS) {
    it(`a parse error is shown, then cleared when event 3 arrives (${transport})`, async () => {
      const path = fresh('malformed');
      // The server holds event 3 until the error has been rendered: renders are once per frame, and
      // an engine may hand two events that arrive close together to the page in one task.
      const id = await mount({ streams: [{ url: `${path}?malformedAt=2&holdAfter=2&count=5`, options: { transport, retry: QUICK } }] });
      await waitUntil(async () => (await record(id)).error?.kind === 'parse', 'the parse error to render');
      expect((await record(id)).ids).toEqual(['1']);
      h.server.release(path);
      await waitUntil(async () => (await record(id)).ids.includes('3'), 'event 3');
      const r = await record(id);
      expect.soft(r.errors).toEqual(['parse']);
      expect.soft(r.status).toBe('open');
      expect(r.error).toBeUndefined();
      await waitUntil(async () => (await record(id)).ids.length === 4, 'events 4 and 5');
      expect((await record(id)).ids).toEqual(['1', '3', '4', '5']);
      await unmount(id);
    });
  }
});
