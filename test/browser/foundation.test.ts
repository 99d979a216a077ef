import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
/** A fresh stream path per test: the server's counts are per path. */
const fresh = (name: string) => `/sse/foundation-${name}-${++n}`;

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
});
afterAll(() => h?.close());

const { mount, records, unmount, cleanup } = hubDriver(() => page);
afterEach(cleanup);

describe('one pooled connection per URL (server-observed)', () => {
  it('20 components on one URL: 1 request, at most 1 open connection, all render live events', async () => {
    const path = fresh('twenty');
    const id = await mount({ streams: [{ url: path, components: 20 }] });
    await waitUntil(async () => (await records(id))[0]!.every((r) => r.ids.length >= 5), 'all 20 components to see 5 events');
    const stats = h.server.stats(path);
    expect(stats.requests).toBe(1);
    expect(stats.maxOpen).toBe(1);
    await unmount(id);
  });

  it('StrictMode mount -> unmount -> mount opens exactly one connection', async () => {
    const path = fresh('strict');
    const id = await mount({ strict: true, streams: [{ url: path, components: 3 }] });
    await waitUntil(async () => (await records(id))[0]!.every((r) => r.ids.length >= 3), 'events under StrictMode');
    expect(h.server.stats(path).requests).toBe(1);
    expect(h.server.stats(path).maxOpen).toBe(1);
    await unmount(id);
  });

  it('the server sees the connection close within lingerMs + 1 s of unmount', async () => {
    const path = fresh('linger');
    const lingerMs = 500;
    const id = await mount({ provider: { lingerMs }, streams: [{ url: path }] });
    await waitUntil(() => h.server.stats(path).open === 1, 'the connection to open');
    await unmount(id);
    // The bound is the behaviour: the linger timer, then the close reaching this process. The
    // 1 s margin is for the engine to tear the socket down (a few ms in every run), not for a
    // second timer: a connection kept past lingerMs by a leak or a forgotten subscriber stays open.
    await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the close', lingerMs + 1000);
    expect(h.server.stats(path).requests).toBe(1);
  });

  it('two URLs: two connections', async () => {
    const a = fresh('a');
    const b = fresh('b');
    const id = await mount({ streams: [{ url: a, components: 5 }, { url: b, components: 5 }, { url: a, hook: 'latest', components: 5 }] });
    await waitUntil(async () => (await records(id)).every((s) => s.every((r) => r.ids.length >= 2)), 'events on both URLs');
    expect([h.server.stats(a).requests, h.server.stats(b).requests]).toEqual([1, 1]);
    expect([h.server.stats(a).maxOpen, h.server.stats(b).maxOpen]).toEqual([1, 1]);
    await unmount(id);
  });

  it('a burst of 100 events in one network chunk reaches every subscriber in order', async () => {
    const path = `${fresh('burst')}?count=100&burst=1`;
    const id = await mount({ streams: [{ url: path, components: 3 }, { url: path, hook: 'handler' }] });
    const expected = Array.from({ length: 100 }, (_, i) => String(i + 1));
    await waitUntil(async () => (await records(id)).flat().every((r) => r.ids.length === 100), 'all 100 events');
    for (const record of (await records(id)).flat()) expect(record.ids).toEqual(expected);
    // README: "a flood of events renders at most once per frame". One chunk is read in a few
    // frames at most (the work is sliced, ~8 ms each); a render per event would be 100 or more.
    const renders = (await records(id)).flat().map((r) => r.renders);
    console.info(`[burst] renders per subscriber: ${renders.join(', ')}`);
    for (const count of renders) expect(count).toBeLessThanOrEqual(10);
    await unmount(id);
  });
});
