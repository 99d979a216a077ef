/**
 * maxConnectionsPerOrigin 'auto' (API.md, "Additions in 0.3"): no limit on an origin the page sees
 * speaking h2, 4 on an HTTP/1.1 origin, a number still wins. Every count is the server's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MountSpec, StreamSpec } from './page/app';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type HarnessOptions, type TestPage } from './support/harness';

let n = 0;
const paths = (name: string, count: number) => Array.from({ length: count }, (_, i) => `/sse/protocols-${name}-${++n}-${i}`);
const streamsOf = (list: string[]): StreamSpec[] => list.map((url) => ({ url, hook: 'status' }));

/** One harness per describe block: its server, browser and page. */
function harness(options: HarnessOptions) {
  const h = {} as { h: BrowserHarness; page: TestPage };
  beforeAll(async () => {
    h.h = await startHarness(options);
    h.page = await h.h.open();
  });
  afterAll(() => h.h?.close());
  const driver = hubDriver(() => h.page);
  afterEach(driver.cleanup);
  /** Let every earlier test's connections close so server-wide counts start from zero. */
  const quiet = async () => {
    await waitUntil(() => h.h.server.openTotal() === 0, 'earlier connections to close');
    h.h.server.resetMax();
  };
  const statuses = async (id: number) => (await driver.records(id)).map((components) => components[0]!.status);
  const pool = (id: number) => h.page.evaluate((i) => window.hub.pool(i), id);
  return { h, ...driver, quiet, statuses, pool };
}

// The harness serves over TLS with h2 (HTTP/1.1 still offered) and the browser accepts its certificate.
const secure: HarnessOptions = { secure: true };

describe('an h2 origin (the page came over h2)', () => {
  const tools = harness(secure);
  const { h, mount, unmount, quiet, statuses, pool } = tools;

  it('opens 20 streams at once with the default options, and PoolEntry.protocol says h2', async () => {
    expect(await h.page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe('h2');
    await quiet();
    const list = paths('h2-auto', 20);
    const id = await mount({ provider: { lingerMs: 0 }, streams: streamsOf(list) });
    await waitUntil(() => h.h.server.maxOpenTotal() === 20, '20 streams open at once on the server');
    expect(list.map((p) => h.h.server.stats(p).log.map((r) => r.httpVersion))).toEqual(Array(20).fill(['2.0']));
    await waitUntil(async () => (await statuses(id)).every((s) => s === 'open'), 'every stream to report open');
    const entries = await pool(id);
    expect(entries).toHaveLength(20);
    expect(entries.map((e) => e.protocol)).toEqual(Array(20).fill('h2'));
    expect(entries.map((e) => e.status)).toEqual(Array(20).fill('open'));
    await unmount(id);
  });

  it('an explicit maxConnectionsPerOrigin: 4 still holds 4', () => expectFourOfTen(tools, { maxConnectionsPerOrigin: 4, lingerMs: 0 }, 'h2'));
});

describe('an HTTP/1.1 origin', () => {
  const tools = harness({});
  it('opens at most 4 with the default options and queues the rest', () => expectFourOfTen(tools, { lingerMs: 0 }, 'http/1.1'));
});

/** 10 streams under `provider`: the server sees 4 open and never a request for the other 6, which are 'queued'. */
async function expectFourOfTen({ h, mount, unmount, quiet, statuses, pool }: ReturnType<typeof harness>, provider: MountSpec['provider'], protocol: string) {
  await quiet();
  const list = paths(`four-${protocol.replace("/", "")}`, 10);
  const id = await mount({ provider, streams: streamsOf(list) });
  await waitUntil(() => h.h.server.maxOpenTotal() === 4, '4 streams open on the server');
  const fourOpen = JSON.stringify([...Array(4).fill('open'), ...Array(6).fill('queued')]);
  await waitUntil(async () => JSON.stringify(await statuses(id)) === fourOpen, 'the first 4 open, the other 6 queued');
  expect(h.h.server.maxOpenTotal()).toBe(4);
  expect(list.slice(4).map((p) => h.h.server.stats(p).requests)).toEqual(Array(6).fill(0));
  expect((await pool(id)).map((e) => e.protocol)).toEqual(Array(10).fill(protocol));
  await unmount(id);
}
