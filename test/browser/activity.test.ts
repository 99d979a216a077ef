/**
 * React 19's <Activity mode="hidden"> in a real browser against the counting server (docs/reconnection.md,
 * "Hidden subtrees with Activity"; issue 20): a hidden subtree runs no effects, so
 * its hook holds no subscription and the connection closes after lingerMs unless something else
 * reads it. Shown again within lingerMs the hook renders the still-open connection at once; shown
 * later it keeps what it showed and the new connection resumes from the last id. What the server
 * counted is the evidence; each case runs on both transports.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
const fresh = (name: string) => `/sse/activity-${name}-${++n}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const TRANSPORTS = ['eventsource', 'fetch'] as const;
/** Events the server sends before holding the response (holdAfter) and in all (count). */
const SHOWN = 5;
const COUNT = 10;

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
});
afterAll(() => h?.close());

const driver = hubDriver(() => page);
const { mount, records } = driver;
afterEach(() => driver.cleanup());
/** No uncaught exception on the page during each test (see lifecycle.test.ts). */
let errorsSeen = 0;
afterEach(async () => {
  const errors = await h.pageErrors();
  const during = errors.slice(errorsSeen);
  errorsSeen = errors.length;
  expect(during, 'uncaught exceptions on the page during this test').toEqual([]);
});

const record = async (id: number) => (await records(id))[0]![0]!;
const show = (id: number, mode: 'visible' | 'hidden') => page.evaluate(([i, m]) => window.hub.activity(i, m), [id, mode] as const);
/** Subscribers of the stream's connection as the pool counts them (the pool probe is outside <Activity>); undefined: no connection. */
const subscribers = async (id: number) => (await page.evaluate((i) => window.hub.pool(i), id))[0]?.subscribers;

/**
 * One useEventStream component inside <Activity mode="visible"> on a stream that sends events
 * 1..SHOWN and then holds until released: the component has rendered all of them, and nothing
 * more arrives while it is hidden, so the last id it saw is the connection's too.
 */
async function mountShown(path: string, transport: (typeof TRANSPORTS)[number], lingerMs: number) {
  const id = await mount({
    provider: { lingerMs },
    activity: 'visible',
    streams: [{ url: `${path}?count=${COUNT}&holdAfter=${SHOWN}`, options: { transport } }],
  });
  await waitUntil(async () => (await record(id)).ids.length === SHOWN, `events 1..${SHOWN}`);
  const r = await record(id);
  expect(r.ids).toEqual(range(1, SHOWN));
  expect(r.status).toBe('open');
  expect(h.server.stats(path).requests).toBe(1);
  return id;
}

describe('<Activity mode="hidden">', () => {
  for (const transport of TRANSPORTS) {
    it(`hidden past lingerMs: the server sees the close; shown again, one new request resumes from the last id and every id shows once (${transport})`, async () => {
      const path = fresh('past-linger');
      const lingerMs = 1000;
      const id = await mountShown(path, transport, lingerMs);
      await show(id, 'hidden');
      // Hidden, the hook holds no subscription, but the connection lingers: still open right after
      // (a native close can take a moment to reach the server; the within-lingerMs case below
      // checks from the pool that the connection really is still open with no subscriber).
      expect(h.server.stats(path).open).toBe(1);
      // The bound is the behaviour (as in foundation.test.ts): the linger timer, then the close
      // reaching this process; a subscription kept by the hidden subtree would keep it open.
      await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the connection close', lingerMs + 1000);
      // The pool closed it (its entry is gone), not the network.
      await waitUntil(async () => (await subscribers(id)) === undefined, 'the pool to drop the connection');
      expect(h.server.stats(path).requests).toBe(1);

      await show(id, 'visible');
      await waitUntil(async () => (await record(id)).ids.length === COUNT, `events ${SHOWN + 1}..${COUNT} after the show`);
      const { log } = h.server.stats(path);
      expect(log).toHaveLength(2);
      expect(log[1]!.resumedFrom).toBe(String(SHOWN));
      // It kept what it showed (1..SHOWN) and the resumed connection added the rest, none twice.
      const r = await record(id);
      expect(r.ids).toEqual(range(1, COUNT));
      expect(r.status).toBe('open');
      expect(h.server.stats(path).open).toBe(1);
    });

    it(`shown again within lingerMs: the still-open connection at once, no new request, no 'connecting' rendered (${transport})`, async () => {
      const path = fresh('within-linger');
      // Long enough for a slow driver's round trips between the hide and the show; a show that
      // came too late fails below (a second request), it does not pass.
      const lingerMs = 5000;
      const id = await mountShown(path, transport, lingerMs);
      await show(id, 'hidden');
      await waitUntil(async () => (await subscribers(id)) !== 1, 'the hidden hook to unsubscribe');
      // Nobody reads it, yet it is open (undefined here would be a connection closed at once).
      expect(await subscribers(id)).toBe(0);
      expect(h.server.stats(path).open).toBe(1);
      // Every render is logged: a hidden subtree can render too, and a 'connecting' rendered
      // there and again on the show would be one run in `statuses`.
      const before = (await record(id)).rendered!.length;

      await show(id, 'visible');
      await waitUntil(async () => (await subscribers(id)) === 1, 'the shown hook to subscribe again');
      const r = await record(id);
      expect(r.rendered!.slice(before)).not.toContain('connecting');
      expect(r.rendered!.at(-1)).toBe('open');
      expect(r.ids).toEqual(range(1, SHOWN));

      // The same connection goes on: the rest arrive on it, once each.
      h.server.release(path);
      await waitUntil(async () => (await record(id)).ids.length === COUNT, `events ${SHOWN + 1}..${COUNT} on the same connection`);
      const after = await record(id);
      expect(after.ids).toEqual(range(1, COUNT));
      expect(after.rendered!.slice(before)).not.toContain('connecting');
      expect(h.server.stats(path).requests).toBe(1);
      expect(h.server.stats(path).open).toBe(1);
    });
  }
});
