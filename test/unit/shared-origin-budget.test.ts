import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrossTabEnvironment } from '../../src/core/cross-tab/environment';
import type { SlotHolder } from '../../src/core/budget/slot-budget';
import { SharedOriginBudget } from '../../src/core/cross-tab/shared-origin-budget';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** One browser profile: exclusive Web Locks (only ifAvailable requests are needed here) and a BroadcastChannel. */
function createProfile() {
  const held = new Map<string, number>();
  const endpoints = new Set<{ tab: number; name: string; receive(message: unknown): void }>();
  let nextTab = 1;
  let requests = 0;
  const tab = () => {
    const id = nextTab++;
    const env: CrossTabEnvironment = {
      channel(name, receive) {
        const endpoint = { tab: id, name, receive };
        endpoints.add(endpoint);
        return {
          // Like BroadcastChannel: every other endpoint of the name, asynchronously, never the sender.
          postMessage: (message) =>
            endpoints.forEach((other) => other !== endpoint && other.name === name && queueMicrotask(() => other.receive(message))),
          close: () => endpoints.delete(endpoint),
        };
      },
      locks: {
        request: ((name: string, _options: LockOptions, callback: (lock: Lock | null) => unknown) => {
          requests++;
          if (held.has(name)) return Promise.resolve().then(() => callback(null));
          held.set(name, id);
          return Promise.resolve()
            .then(() => callback({ name, mode: 'exclusive' }))
            .finally(() => held.get(name) === id && held.delete(name));
        }) as LockManager['request'],
        query: async () => ({ held: [...held.keys()].map((name) => ({ name, mode: 'exclusive' as const })), pending: [] }),
      },
    };
    /** The tab crashes: the browser frees its locks, and nobody is told. */
    const crash = () => held.forEach((owner, name) => owner === id && held.delete(name));
    return { env, crash };
  };
  /** Another script of the page (or a tab of another library version) posting on a channel. */
  const post = (name: string, message: unknown) =>
    endpoints.forEach((endpoint) => endpoint.name === name && queueMicrotask(() => endpoint.receive(message)));
  return {
    tab,
    post,
    heldCount: () => held.size,
    heldNames: () => [...held.keys()],
    channelNames: () => [...endpoints].map((endpoint) => endpoint.name),
    requestCount: () => requests,
  };
}

function holder(): SlotHolder & { granted: number; waited: number } {
  return {
    granted: 0,
    waited: 0,
    slotGranted() {
      this.granted++;
    },
    slotWaiting() {
      this.waited++;
    },
  };
}

const flush = () => vi.advanceTimersByTimeAsync(0);
const ORIGIN = 'http://127.0.0.1:1';

describe('browser-wide connection budget (shareAcrossTabs)', () => {
  it('counts the slots of every tab: a second tab waits while the first holds the limit', async () => {
    const profile = createProfile();
    const a = new SharedOriginBudget(2, profile.tab().env);
    const b = new SharedOriginBudget(2, profile.tab().env);
    const [a1, a2, b1, b2] = [holder(), holder(), holder(), holder()];
    expect(a.acquire(ORIGIN, a1)).toBe(false); // answered asynchronously
    expect(a.position(ORIGIN, a1)).toBeUndefined(); // trying the locks is not waiting
    a.acquire(ORIGIN, a2);
    await flush();
    expect([a1.granted, a2.granted]).toEqual([1, 1]);
    expect(a.acquire(ORIGIN, a1)).toBe(true);

    b.acquire(ORIGIN, b1);
    b.acquire(ORIGIN, b2);
    await flush();
    expect([b1.granted, b2.granted, b1.waited, b2.waited]).toEqual([0, 0, 1, 1]);
    expect([b.position(ORIGIN, b1), b.position(ORIGIN, b2)]).toEqual([1, 2]);
    expect(profile.heldCount()).toBe(2);

    // A slot freed in tab A goes to tab B's first waiter, told over the channel.
    a.release(ORIGIN, a1);
    await flush();
    expect([b1.granted, b2.granted]).toEqual([1, 0]);
    expect(b.position(ORIGIN, b2)).toBe(1);
    expect(profile.heldCount()).toBe(2);
  });

  it("a slot freed in this tab goes to this tab's next waiter once the lock is really free, not at the next poll", async () => {
    const profile = createProfile();
    const a = new SharedOriginBudget(1, profile.tab().env);
    const [a1, a2] = [holder(), holder()];
    a.acquire(ORIGIN, a1);
    await flush();
    a.acquire(ORIGIN, a2);
    await flush();
    expect([a1.granted, a2.granted, a2.waited]).toEqual([1, 0, 1]);
    a.release(ORIGIN, a1);
    await flush(); // microtasks only: the 1 s poll has not run
    expect(a2.granted).toBe(1);
    expect(profile.heldCount()).toBe(1);
  });

  it("a crashed tab's slots are found by polling", async () => {
    const profile = createProfile();
    const first = profile.tab();
    const a = new SharedOriginBudget(1, first.env);
    const b = new SharedOriginBudget(1, profile.tab().env);
    const [a1, b1] = [holder(), holder()];
    a.acquire(ORIGIN, a1);
    await flush();
    b.acquire(ORIGIN, b1);
    await flush();
    expect(b1.granted).toBe(0);
    first.crash();
    await vi.advanceTimersByTimeAsync(1000);
    expect(b1.granted).toBe(1);
  });

  it('gives a lock back when the waiter left meanwhile, and stops polling when nobody waits', async () => {
    const profile = createProfile();
    const a = new SharedOriginBudget(1, profile.tab().env);
    const b = new SharedOriginBudget(1, profile.tab().env);
    const [a1, b1] = [holder(), holder()];
    a.acquire(ORIGIN, a1);
    await flush();
    b.acquire(ORIGIN, b1);
    await flush();
    b.release(ORIGIN, b1); // unmounted while queued
    a.release(ORIGIN, a1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(b1.granted).toBe(0);
    expect(profile.heldCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with Infinity grants at once and takes no lock; dispose releases every lock', async () => {
    const profile = createProfile();
    const unlimited = new SharedOriginBudget(Infinity, profile.tab().env);
    expect(unlimited.acquire(ORIGIN, holder())).toBe(true);
    const limited = new SharedOriginBudget(3, profile.tab().env);
    limited.acquire(ORIGIN, holder());
    limited.acquire(ORIGIN, holder());
    await flush();
    expect(profile.heldCount()).toBe(2);
    limited.dispose();
    await flush();
    expect(profile.heldCount()).toBe(0);
  });

  it("resolves the limit per origin ('auto'): an h2 origin takes no lock; when an origin's limit lifts, its waiters get in", async () => {
    const profile = createProfile();
    const H2 = 'https://h2.test';
    let limit = 1;
    const budget = new SharedOriginBudget((origin) => (origin === H2 ? Infinity : limit), profile.tab().env);
    expect(Array.from({ length: 5 }, () => budget.acquire(H2, holder()))).toEqual(Array(5).fill(true));
    const waiting = [holder(), holder(), holder()];
    for (const h of waiting) budget.acquire(ORIGIN, h);
    await flush();
    expect(waiting.map((h) => h.granted)).toEqual([1, 0, 0]);
    expect(profile.heldNames()).toEqual([`react-sse-hub:v3:slot:${ORIGIN}:0`]);
    limit = Infinity; // a resource entry now shows ORIGIN speaking h2
    expect(budget.acquire(ORIGIN, holder())).toBe(true);
    await flush();
    expect(waiting.map((h) => h.granted)).toEqual([1, 1, 1]);
    expect(profile.heldCount()).toBe(1);
    expect(vi.getTimerCount()).toBe(0); // nobody waits: no poll left running
    budget.dispose();
    await flush();
    expect(profile.heldCount()).toBe(0);
  });

  it('names its slot locks and channel with the protocol version, so other library versions never share them', async () => {
    const profile = createProfile();
    const a = new SharedOriginBudget(1, profile.tab().env);
    const b = new SharedOriginBudget(1, profile.tab().env);
    a.acquire(ORIGIN, holder());
    await flush();
    b.acquire(ORIGIN, holder());
    await flush();
    expect(profile.heldNames()).toEqual([`react-sse-hub:v3:slot:${ORIGIN}:0`]);
    expect(profile.channelNames()).toEqual(['react-sse-hub:v3:slot']);
    a.dispose();
    b.dispose();
    await flush();
  });

  it('on the slot channel only a string origin it waits for makes it try the locks again', async () => {
    const profile = createProfile();
    const a = new SharedOriginBudget(1, profile.tab().env);
    const b = new SharedOriginBudget(1, profile.tab().env);
    const [a1, b1] = [holder(), holder()];
    a.acquire(ORIGIN, a1);
    await flush();
    b.acquire(ORIGIN, b1);
    await flush();
    const tried = profile.requestCount();
    for (const junk of [42, null, { origin: ORIGIN }, [ORIGIN], 'http://other.test']) profile.post('react-sse-hub:v3:slot', junk);
    profile.post('react-sse-hub:slot', ORIGIN); // a tab of the previous version
    await flush();
    expect(profile.requestCount()).toBe(tried);
    profile.post('react-sse-hub:v3:slot', ORIGIN);
    await flush();
    expect(profile.requestCount()).toBe(tried + 1);
    expect(b1.granted).toBe(0);
    a.dispose();
    b.dispose();
    await flush();
  });
});
