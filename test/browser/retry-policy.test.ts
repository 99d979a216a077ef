/**
 * retry.shouldRetry and onError in a real browser against the counting server: what the server
 * saw (how many requests, with which token) is the evidence, not what the page claims.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
/** A fresh stream path per test: the server's counts are per path. */
const fresh = (name: string) => `/sse/retry-policy-${name}-${++n}`;
/** Fast, deterministic reconnects so tests wait on conditions, not on backoff. */
const FAST = { initialDelayMs: 20, maxDelayMs: 200, jitter: false, minDelayMs: 20 };

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
});
afterAll(() => h?.close());

const { mount, records, unmount, cleanup } = hubDriver(() => page);
afterEach(cleanup);

describe('retry.shouldRetry', () => {
  it('a 401 answered by refreshing the token: two requests, the second with the new token, then open with no error', async () => {
    const path = fresh('refresh');
    const id = await mount({
      // The server answers 401 unless the request carries `Bearer fresh`, then sends three events.
      streams: [{ url: `${path}?auth=fresh&count=3`, hook: 'handler', tokenRefresh: { from: 'stale', to: 'fresh' }, options: { retry: FAST } }],
    });
    await waitUntil(async () => (await records(id))[0]![0]!.ids.length === 3, 'the three events after the refresh');
    const record = (await records(id))[0]![0]!;
    const { requests, log } = h.server.stats(path);
    expect(requests).toBe(2);
    expect(log.map((r) => r.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(record.status).toBe('open');
    expect(record.error).toBeUndefined();
    // The 401 was shown while the refresh ran ('reconnecting', never 'closed'), and onError heard it.
    expect(record.statuses).not.toContain('closed');
    expect(record.heard).toEqual(['http']);
    await unmount(id);
  });
});
