/**
 * Resume across reloads (API.md 0.3, "Resume across reloads"; issue 20): a stream with
 * `resume: 'session'` keeps its last event id in sessionStorage, so the first request after a
 * reload resumes from it. The server's request log is the evidence; the ids the page handled in
 * its two lives must be every id exactly once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MountSpec } from './page/app';
import { startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
/** Where the page keeps the ids its first life handled: written on pagehide, read after the reload. */
const FIRST_LIFE = 'resume-test:first-life-ids';
const COUNT = 60;

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
});
afterAll(() => h?.close());

let errorsSeen = 0;
afterEach(async () => {
  const errors = await h.pageErrors();
  const during = errors.slice(errorsSeen);
  errorsSeen = errors.length;
  expect(during, 'uncaught exceptions on the page during this test').toEqual([]);
});

/** Ids the first (only) component of mount `id` handled, in order. */
const handled = async (id: number): Promise<string[]> => (await page.evaluate((i) => window.hub.records(i), id))[0]?.[0]?.ids ?? [];

/** Reloads the tab and waits for the new document's window.hub (the old one is marked, so it cannot pass for it). */
async function reload(): Promise<void> {
  await page.evaluate(() => {
    (window as { oldLife?: boolean }).oldLife = true;
    // After evaluate has answered: a navigation inside it would cut the answer off in some engines.
    setTimeout(() => location.reload(), 0);
  });
  await waitUntil(
    () => page.evaluate(() => 'hub' in window && !('oldLife' in window)).catch(() => false),
    'the reloaded page to be ready',
  );
}

describe("resume: 'session' across a reload", () => {
  for (const transport of ['eventsource', 'fetch'] as const) {
    it(`${transport}: the first request after the reload resumes from the last id; every id arrives exactly once over the two lives`, async () => {
      const path = `/sse/resume-${transport}-${++n}`;
      const spec: MountSpec = {
        // No `end`: after the last id the response stays open, so nothing else asks for the stream again.
        streams: [{ url: `${path}?count=${COUNT}&interval=25`, hook: 'handler', options: { resume: 'session', transport } }],
      };
      const first = await page.evaluate((s) => window.hub.mount(s), spec);
      await page.evaluate(
        ([i, key]) => addEventListener('pagehide', () => sessionStorage.setItem(key, JSON.stringify(window.hub.records(i)[0]![0]!.ids))),
        [first, FIRST_LIFE] as const,
      );
      // Mid-stream: some ids handled, more on the way.
      await waitUntil(async () => (await handled(first)).length >= 10, 'ten events before the reload');
      const requestsBefore = h.server.stats(path).requests;

      await reload();
      const firstLife = JSON.parse((await page.evaluate((key) => sessionStorage.getItem(key), FIRST_LIFE)) ?? '[]') as string[];
      expect(firstLife.length).toBeGreaterThanOrEqual(10);
      expect(firstLife.length, 'the reload came before the stream ended').toBeLessThan(COUNT);

      const second = await page.evaluate((s) => window.hub.mount(s), spec);
      await waitUntil(async () => (await handled(second)).includes(String(COUNT)), `id ${COUNT} after the reload`);
      const secondLife = await handled(second);
      await page.evaluate((i) => window.hub.unmount(i), second);

      const log = h.server.stats(path).log;
      expect.soft(requestsBefore, 'one request in the first life').toBe(1);
      expect.soft(log[0]!.resumedFrom, 'the first life started fresh').toBeUndefined();
      expect.soft(log.length, 'one request after the reload').toBe(requestsBefore + 1);
      expect(log[requestsBefore]!.resumedFrom, 'the first request after the reload').toBe(firstLife.at(-1));
      expect([...firstLife, ...secondLife]).toEqual(range(1, COUNT));
    });
  }
});
