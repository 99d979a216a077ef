import { act, render } from '@testing-library/react';
import { createElement, StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SseProvider, useEventStream, type SseEvent } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { Connection, type ConnectionSubscriber } from '../../src/core/connection/connection';
import type { CrossTabEnvironment } from '../../src/core/cross-tab/environment';
import { CHANNEL_NAME } from '../../src/core/cross-tab/protocol';
import type { SseEnvironment } from '../../src/core/scheduling/environment';
import { ConnectionPool } from '../../src/core/client/pool';
import { poolEntries } from '../../src/core/client/pool-entries';
import { freshUrl } from './helpers';

// ---------------------------------------------------------------------------------------------
// An in-memory browser profile: a BroadcastChannel that delivers asynchronously to every other
// endpoint, and an exclusive, FIFO Web Locks manager that releases a tab's locks when it dies.

interface FakeTab {
  readonly id: number;
  readonly env: CrossTabEnvironment;
  dead: boolean;
  /** Messages for this tab wait here while deferred (a busy event loop). */
  deferred: (() => void)[] | undefined;
}

interface LockEntry {
  tab: FakeTab;
  grant(): void;
  forceRelease(): void;
  abort?: () => void;
}

function createFakeBrowser() {
  const endpoints = new Set<{ tab: FakeTab; name: string; closed: boolean; receive(message: unknown): void }>();
  const held = new Map<string, LockEntry>();
  const queues = new Map<string, LockEntry[]>();
  let nextTab = 1;

  const pump = (name: string) => {
    if (held.has(name)) return;
    const next = queues.get(name)?.shift();
    if (!next) return;
    held.set(name, next);
    next.grant();
  };
  const releaseLock = (name: string, entry: LockEntry) => {
    if (held.get(name) !== entry) return;
    held.delete(name);
    pump(name);
  };

  function createTab(): FakeTab {
    const tab: FakeTab = { id: nextTab++, dead: false, deferred: undefined, env: undefined as never };
    const locks = {
      request(name: string, a: unknown, b?: unknown): Promise<unknown> {
        const callback = (typeof a === 'function' ? a : b) as (lock: Lock | null) => unknown;
        const signal = typeof a === 'function' ? undefined : (a as LockOptions).signal;
        // ifAvailable: the callback gets null at once instead of queueing behind the holder.
        if (typeof a !== 'function' && (a as LockOptions).ifAvailable && (held.has(name) || queues.get(name)?.length)) {
          return Promise.resolve().then(() => callback(null));
        }
        return new Promise((resolve, reject) => {
          if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
          let settled = false;
          const entry: LockEntry = {
            tab,
            grant() {
              // Granted asynchronously, like the browser.
              void Promise.resolve()
                .then(() => callback({ name, mode: 'exclusive' } as Lock))
                .then(
                  (value) => {
                    settled = true;
                    resolve(value);
                  },
                  (error: unknown) => {
                    settled = true;
                    reject(error);
                  },
                )
                .finally(() => releaseLock(name, entry));
            },
            forceRelease() {
              if (!settled) releaseLock(name, entry);
            },
          };
          signal?.addEventListener('abort', () => {
            const queue = queues.get(name) ?? [];
            const index = queue.indexOf(entry);
            if (index < 0) return;
            queue.splice(index, 1);
            reject(new DOMException('Aborted', 'AbortError'));
          });
          const queue = queues.get(name) ?? [];
          queue.push(entry);
          queues.set(name, queue);
          pump(name);
        });
      },
      async query() {
        return { held: [...held.keys()].map((name) => ({ name, mode: 'exclusive' as const, clientId: String(tab.id) })), pending: [] };
      },
    } as unknown as CrossTabEnvironment['locks'];

    (tab as { env: CrossTabEnvironment }).env = {
      locks,
      channel(name, receive) {
        const endpoint = { tab, name, closed: false, receive };
        endpoints.add(endpoint);
        return {
          postMessage(message) {
            if (endpoint.closed || tab.dead) return;
            const copy = structuredClone(message);
            for (const other of endpoints) {
              if (other === endpoint || other.name !== name) continue;
              const deliver = () => {
                if (!other.closed && !other.tab.dead) other.receive(structuredClone(copy));
              };
              if (other.tab.deferred) other.tab.deferred.push(deliver);
              else void Promise.resolve().then(deliver);
            }
          },
          close() {
            endpoint.closed = true;
            endpoints.delete(endpoint);
          },
        };
      },
    };
    return tab;
  }

  return {
    createTab,
    /** The tab is gone without running any code: the browser drops its locks and channel. */
    kill(tab: FakeTab) {
      tab.dead = true;
      for (const [name, entry] of [...held]) if (entry.tab === tab) entry.forceRelease();
      for (const [name, queue] of queues) {
        queues.set(name, queue.filter((e) => e.tab !== tab));
        pump(name);
      }
    },
    defer(tab: FakeTab) {
      tab.deferred = [];
    },
    undefer(tab: FakeTab) {
      const pending = tab.deferred ?? [];
      tab.deferred = undefined;
      for (const deliver of pending) deliver();
    },
    heldLocks: () => [...held.keys()],
    openChannels: () => endpoints.size,
  };
}

// ---------------------------------------------------------------------------------------------

/** A visible, online page whose signals never change. */
const page: Partial<SseEnvironment> = {
  hidden: { get: () => false, subscribe: () => () => {} },
  online: { get: () => true, subscribe: () => () => {} },
};

/** Lets channel messages, lock grants and the cross-tab chunk's import (see pool.share) arrive. */
async function settle(): Promise<void> {
  await vi.dynamicImportSettled();
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

interface TabPool {
  tab: FakeTab;
  pool: ConnectionPool;
  events: SseEvent[];
  ids(): (string | undefined)[];
  unsubscribe(): void;
  key: string;
}

let browser: ReturnType<typeof createFakeBrowser>;
let mock: MockTransport;

beforeEach(() => {
  vi.useFakeTimers();
  browser = createFakeBrowser();
  mock = createMockTransport();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A tab with a provider-like pool and one subscriber on url. */
function openTab(url: string, types: string[] = ['message'], lingerMs = 100): TabPool {
  const tab = browser.createTab();
  const pool = new ConnectionPool({ shareAcrossTabs: true, transport: mock, lingerMs, environment: page }, { crossTab: tab.env });
  const stream = pool.resolve(url);
  const events: SseEvent[] = [];
  const subscriber: ConnectionSubscriber = { types, decoder: stream.decoder, onEvent: (e) => events.push(e), onState: () => {} };
  const unsubscribe = pool.join(stream, subscriber);
  return { tab, pool, events, ids: () => events.map((e) => e.id), unsubscribe, key: stream.key };
}

const stateOf = (t: TabPool) => t.pool.peek(t.key)?.state;
const ownerOf = (t: TabPool) => poolEntries(t.pool)[0]?.owner;

function emitIds(url: string, from: number, to: number, type = 'message') {
  for (let n = from; n <= to; n++) mock.emit(url, type, { n }, { id: String(n) });
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('election', () => {
  it('one owner among N pools: one real connection, the others follow', async () => {
    const url = freshUrl('elect');
    const tabs = Array.from({ length: 4 }, () => openTab(url));
    await settle();
    expect(mock.requests(url)).toHaveLength(1);
    expect(mock.connections(url)).toBe(1);
    expect(tabs.map(ownerOf)).toEqual(['this-tab', 'other-tab', 'other-tab', 'other-tab']);
  });

  it('followers receive the owner’s events, statuses and errors', async () => {
    const url = freshUrl('relay');
    const [a, b, c] = [openTab(url), openTab(url), openTab(url)];
    await settle();
    mock.open(url);
    await settle();
    expect([a, b, c].map((t) => stateOf(t)?.status)).toEqual(['open', 'open', 'open']);
    emitIds(url, 1, 3);
    await settle();
    for (const t of [a, b, c]) expect(t.ids()).toEqual(['1', '2', '3']);
    expect(b.events[2]).toMatchObject({ type: 'message', data: { n: 3 }, lastEventId: '3' });
    expect(poolEntries(b.pool)[0]).toMatchObject({ lastEventId: '3', eventsReceived: 3 });

    mock.fail(url, { status: 503 });
    await settle();
    for (const t of [b, c]) expect(stateOf(t)).toMatchObject({ status: 'reconnecting', retryCount: 1, error: { kind: 'http', status: 503 } });
    // Only the owner retries, resuming from its last id.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('3');
    mock.open(url);
    await settle();
    for (const t of [b, c]) expect(stateOf(t)).toMatchObject({ status: 'open', error: undefined, retryCount: 0 });
  });

  it('a follower’s onError is told each error once: not again with every relayed state, nor twice for an event both tabs could not decode', async () => {
    const url = freshUrl('relay-errors');
    const owner = openTab(url);
    await settle();
    const follower = openTab(url);
    const errors: string[] = [];
    const stream = follower.pool.resolve(url);
    const onError = (error: { kind: string }) => errors.push(error.kind);
    follower.pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: () => {}, onState: () => {}, onError });
    await settle();
    expect(ownerOf(follower)).toBe('other-tab');
    mock.open(url);
    await settle();
    mock.fail(url, { status: 503 });
    await settle();
    await vi.advanceTimersByTimeAsync(30_000); // the owner's retry: more states, the same error
    await settle();
    expect(errors).toEqual(['http']);
    mock.open(url);
    mock.emit(url, 'message', '{bad');
    await settle();
    expect(errors).toEqual(['http', 'parse']);
    expect(stateOf(owner)?.error?.kind).toBe('parse');
  });

  it('the owner listens to the union of every tab’s event types, and each tab gets only its own', async () => {
    const url = freshUrl('union');
    const a = openTab(url, ['a']);
    await settle();
    const b = openTab(url, ['b']);
    const c = openTab(url, ['c', 'message']);
    await settle();
    expect(mock.listening(url).sort()).toEqual(['a', 'b', 'c', 'message']);
    mock.emit(url, 'b', { n: 1 }, { id: '1' });
    mock.emit(url, 'c', { n: 2 }, { id: '2' });
    mock.emit(url, 'a', { n: 3 }, { id: '3' });
    await settle();
    expect([a.ids(), b.ids(), c.ids()]).toEqual([['3'], ['1'], ['2']]);
    // An event no follower needs still moves every tab's last event id.
    expect([b, c].map((t) => t.pool.peek(t.key)?.lastEventId)).toEqual(['3', '3']);

    b.unsubscribe();
    await vi.advanceTimersByTimeAsync(100); // b's linger: b leaves
    await settle();
    expect(mock.listening(url).sort()).toEqual(['a', 'c', 'message']);
    expect(mock.connections(url)).toBe(1);
  });
});

describe('failover', () => {
  it('when the owner tab dies a follower takes over from the last event id: no gap, no duplicate', async () => {
    const url = freshUrl('failover');
    const [a, b, c] = [openTab(url), openTab(url), openTab(url)];
    await settle();
    emitIds(url, 1, 5);
    await settle();
    a.pool.dispose(); // its transport goes away with the tab...
    browser.kill(a.tab); // ...and the browser releases its locks without a word on the channel
    await settle();
    expect(mock.connections(url)).toBe(1);
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('5');
    expect([b, c].map(ownerOf)).toEqual(['this-tab', 'other-tab']);
    emitIds(url, 6, 9);
    await settle();
    expect(b.ids()).toEqual(range(1, 9));
    expect(c.ids()).toEqual(range(1, 9));
  });

  it('a takeover that throws is reported on the stream and retried, never swallowed', async () => {
    const url = freshUrl('takeover-throws');
    const [a, b] = [openTab(url), openTab(url)];
    await settle();
    emitIds(url, 1, 3);
    await settle();
    const takeOver = vi.spyOn(Connection.prototype, 'takeOver').mockImplementationOnce(() => {
      throw new Error('boom');
    });
    a.pool.dispose();
    browser.kill(a.tab);
    await settle();
    expect(takeOver).toHaveBeenCalledTimes(1);
    expect(stateOf(b)).toMatchObject({ status: 'reconnecting', error: { kind: 'unsupported' } });
    expect(stateOf(b)?.error?.message).toMatch(/Taking over .* failed \(Error: boom\); retrying/);
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('3');
    takeOver.mockRestore();
  });

  it('a provider that unmounts hands over the same way', async () => {
    const url = freshUrl('handover');
    const [a, b] = [openTab(url), openTab(url)];
    await settle();
    emitIds(url, 1, 2);
    await settle();
    a.pool.dispose();
    await settle();
    expect(browser.heldLocks().filter((name) => name.includes('stream'))).toHaveLength(1);
    expect(mock.connections(url)).toBe(1);
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '2']);
    emitIds(url, 3, 4);
    await settle();
    expect(b.ids()).toEqual(range(1, 4));
  });

  it('resumes from ids of types only other tabs needed, so they see nothing twice', async () => {
    const url = freshUrl('types-failover');
    const a = openTab(url, ['message', 'tick']);
    await settle();
    const b = openTab(url, ['message']);
    const c = openTab(url, ['tick']);
    await settle();
    mock.emit(url, 'message', { n: 1 }, { id: '1' });
    mock.emit(url, 'tick', { n: 2 }, { id: '2' });
    mock.emit(url, 'tick', { n: 3 }, { id: '3' });
    await settle();
    a.pool.dispose();
    browser.kill(a.tab);
    await settle();
    expect(mock.requests(url).at(-1)!.lastEventId).toBe('3');
    // The new owner listens to the survivor's type from its first request.
    expect(mock.requests(url).at(-1)!.eventTypes.slice().sort()).toEqual(['message', 'tick']);
    mock.emit(url, 'tick', { n: 4 }, { id: '4' });
    mock.emit(url, 'message', { n: 5 }, { id: '5' });
    await settle();
    expect(b.ids()).toEqual(['1', '5']);
    expect(c.ids()).toEqual(['2', '3', '4']);
  });

  it('a new owner that missed the old owner’s last relays resumes earlier; the others skip the replay', async () => {
    const url = freshUrl('late-relay');
    const [a, b, c] = [openTab(url), openTab(url), openTab(url)];
    await settle();
    emitIds(url, 1, 3);
    await settle();
    browser.defer(b.tab); // b's event loop is busy: 4 and 5 reach c but not yet b
    emitIds(url, 4, 5);
    await settle();
    expect(c.ids()).toEqual(range(1, 5));
    a.pool.dispose();
    browser.kill(a.tab);
    await settle(); // b is granted the lock before it reads the queued relays
    expect(ownerOf(b)).toBe('this-tab');
    expect(mock.requests(url).at(-1)!.lastEventId).toBe('3');
    browser.undefer(b.tab);
    await settle();
    emitIds(url, 4, 7); // the server resends 4 and 5 after Last-Event-ID 3
    await settle();
    expect(b.ids()).toEqual(range(1, 7));
    expect(c.ids()).toEqual(range(1, 7));
  });

  it('a stream the owner closed stays closed on takeover, and reconnect() from a follower resumes it', async () => {
    const url = freshUrl('closed');
    const [a, b, c] = [openTab(url), openTab(url), openTab(url)];
    await settle();
    emitIds(url, 1, 2);
    await settle();
    b.pool.peek(b.key)!.close(); // a follower's close() goes to the owner
    await settle();
    expect(mock.connections(url)).toBe(0);
    expect([a, b, c].map((t) => stateOf(t)?.status)).toEqual(['closed', 'closed', 'closed']);
    a.pool.dispose();
    browser.kill(a.tab);
    await settle();
    expect(ownerOf(b)).toBe('this-tab');
    expect(mock.requests(url)).toHaveLength(1);
    expect(stateOf(c)?.status).toBe('closed');
    c.pool.peek(c.key)!.reconnect();
    await settle();
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '2']);
    mock.open(url);
    await settle();
    expect([b, c].map((t) => stateOf(t)?.status)).toEqual(['open', 'open']);
  });
});

describe('a close() or reconnect() sent while the owner dies', () => {
  /** a owns the stream; its event loop is busy (messages wait), then it dies without reading them. */
  async function ownerDiesWith(url: string, send: (b: TabPool, c: TabPool) => void) {
    const [a, b, c] = [openTab(url), openTab(url), openTab(url)];
    await settle();
    mock.open(url);
    emitIds(url, 1, 2);
    await settle();
    browser.defer(a.tab);
    send(b, c);
    await settle();
    a.pool.dispose(); // its transport goes away with the tab...
    browser.kill(a.tab); // ...and the browser releases its locks; the command was never read
    await settle();
    return { a, b, c };
  }

  it('runs a close() sent by the tab that takes over, before any request', async () => {
    const url = freshUrl('close-takeover');
    const { b, c } = await ownerDiesWith(url, (b) => b.pool.peek(b.key)!.close());
    expect(ownerOf(b)).toBe('this-tab');
    expect(mock.requests(url)).toHaveLength(1);
    expect(mock.connections(url)).toBe(0);
    expect([b, c].map((t) => stateOf(t)?.status)).toEqual(['closed', 'closed']);
  });

  it('sends a close() again to the tab that takes over', async () => {
    const url = freshUrl('close-resend');
    const { b, c } = await ownerDiesWith(url, (_b, c) => c.pool.peek(c.key)!.close());
    expect(ownerOf(b)).toBe('this-tab');
    expect(mock.connections(url)).toBe(0);
    expect([b, c].map((t) => stateOf(t)?.status)).toEqual(['closed', 'closed']);
    // The new owner confirmed it: when c takes over later, after b reopened the stream, c does not
    // close it again.
    b.pool.peek(b.key)!.reconnect();
    await settle();
    expect(mock.connections(url)).toBe(1);
    b.pool.dispose();
    browser.kill(b.tab);
    await settle();
    expect(ownerOf(c)).toBe('this-tab');
    expect(stateOf(c)?.status).not.toBe('closed');
    expect(mock.connections(url)).toBe(1);
  });

  it('runs a reconnect() of a closed stream in the tab that takes over: one request, from the last id', async () => {
    const url = freshUrl('reconnect-takeover');
    const [a, b, c] = [openTab(url), openTab(url), openTab(url)];
    await settle();
    mock.open(url);
    emitIds(url, 1, 2);
    await settle();
    a.pool.peek(a.key)!.close();
    await settle();
    expect([b, c].map((t) => stateOf(t)?.status)).toEqual(['closed', 'closed']);
    browser.defer(a.tab);
    b.pool.peek(b.key)!.reconnect();
    await settle();
    a.pool.dispose();
    browser.kill(a.tab);
    await settle();
    expect(ownerOf(b)).toBe('this-tab');
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '2']);
    mock.open(url);
    await settle();
    expect([b, c].map((t) => stateOf(t)?.status)).toEqual(['open', 'open']);
  });
});

describe('pauseWhenHidden across tabs', () => {
  /** A page whose visibility the test flips, as the browser's visibilitychange would. */
  function visiblePage() {
    let hidden = false;
    let notify: () => void = () => {};
    const lifecycle: Partial<SseEnvironment> = {
      ...page,
      hidden: {
        get: () => hidden,
        subscribe: (onChange) => {
          notify = onChange;
          return () => {};
        },
      },
    };
    return { lifecycle, setHidden: (next: boolean) => ((hidden = next), notify()) };
  }

  it('pauses a shared stream only when no tab that reads it is visible, and resumes from the last id', async () => {
    const url = freshUrl('hidden-owner');
    const tabs = [0, 1].map(() => {
      const tab = browser.createTab();
      const visibility = visiblePage();
      const pool = new ConnectionPool({ shareAcrossTabs: true, transport: mock, environment: visibility.lifecycle }, { crossTab: tab.env });
      const stream = pool.resolve({ url, options: { pauseWhenHidden: true } });
      const events: SseEvent[] = [];
      pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: (e) => events.push(e), onState: () => {} });
      return { pool, key: stream.key, events, ...visibility };
    });
    await settle();
    const [owner, follower] = poolEntries(tabs[0]!.pool)[0]!.owner === 'this-tab' ? tabs : [tabs[1]!, tabs[0]!];
    act(() => emitIds(url, 1, 2));
    await settle();

    // The owner's page is hidden, the follower's is not: the stream keeps flowing for it.
    owner!.setHidden(true);
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    expect(mock.connections(url)).toBe(1);
    expect(owner!.pool.peek(owner!.key)?.state.status).toBe('open');

    // Now nobody can see it: paused, no connection.
    follower!.setHidden(true);
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    expect(mock.connections(url)).toBe(0);
    expect(follower!.pool.peek(follower!.key)?.state.status).toBe('paused');

    // The follower comes back: the hidden owner reconnects for it, from the last event id.
    follower!.setHidden(false);
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    expect(mock.connections(url)).toBe(1);
    expect(mock.requests(url).at(-1)!.lastEventId).toBe('2');
    act(() => emitIds(url, 3, 3));
    await settle();
    expect(follower!.events.map((e) => e.id)).toEqual(['1', '2', '3']);
  });
});

describe('lifetime', () => {
  it('the owner keeps serving followers after its own subscribers leave, and closes lingerMs after the last follower', async () => {
    const url = freshUrl('linger');
    const [a, b] = [openTab(url), openTab(url)];
    await settle();
    a.unsubscribe();
    await vi.advanceTimersByTimeAsync(1000);
    expect(mock.connections(url)).toBe(1);
    expect(ownerOf(a)).toBe('this-tab');
    emitIds(url, 1, 1);
    await settle();
    expect(b.ids()).toEqual(['1']);

    b.unsubscribe();
    await vi.advanceTimersByTimeAsync(100); // b's linger: b leaves
    await settle();
    expect(mock.connections(url)).toBe(1); // a lingers too
    await vi.advanceTimersByTimeAsync(100);
    expect(mock.connections(url)).toBe(0);
    expect(poolEntries(a.pool)).toEqual([]);
    expect(browser.heldLocks().filter((name) => name.includes('stream'))).toEqual([]);
  });

  it('prunes a follower tab that vanished without a leave, then closes', async () => {
    const url = freshUrl('prune');
    const [a, b] = [openTab(url), openTab(url)];
    await settle();
    a.unsubscribe();
    await vi.advanceTimersByTimeAsync(500);
    expect(mock.connections(url)).toBe(1);
    browser.kill(b.tab);
    await vi.advanceTimersByTimeAsync(4000 + 100);
    expect(mock.connections(url)).toBe(0);
    expect(poolEntries(a.pool)).toEqual([]);
  });

  it('does not prune a live follower', async () => {
    const url = freshUrl('no-prune');
    const [a, b] = [openTab(url), openTab(url)];
    await settle();
    a.unsubscribe();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(mock.connections(url)).toBe(1);
    emitIds(url, 1, 1);
    await settle();
    expect(b.ids()).toEqual(['1']);
  });

  it('dispose releases every lock and closes the channel', async () => {
    const url = freshUrl('dispose');
    const [a, b] = [openTab(url), openTab(url)];
    await settle();
    expect(browser.openChannels()).toBe(2);
    a.pool.dispose();
    b.pool.dispose();
    await settle();
    expect(browser.heldLocks()).toEqual([]);
    expect(browser.openChannels()).toBe(0);
    expect(mock.connections(url)).toBe(0);
  });
});

describe('fallback and scope', () => {
  it('without BroadcastChannel + Web Locks (jsdom, SSR) each tab connects on its own', async () => {
    const url = freshUrl('fallback');
    // jsdom has no navigator.locks: the default environment is unavailable.
    const pools = [0, 1].map(() => new ConnectionPool({ shareAcrossTabs: true, transport: mock, environment: page }));
    const explicit = new ConnectionPool({ shareAcrossTabs: true, transport: mock, environment: page }, { crossTab: null });
    for (const pool of [...pools, explicit]) {
      const stream = pool.resolve(url);
      pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: () => {}, onState: () => {} });
    }
    await settle();
    expect(mock.connections(url)).toBe(3);
    expect([...pools, explicit].map((p) => poolEntries(p)[0]?.owner)).toEqual(['this-tab', 'this-tab', 'this-tab']);
  });

  it('streams whose key holds a per-tab identity (a headers function) are never shared', async () => {
    const url = freshUrl('unshareable');
    const headers = () => ({ Authorization: 'Bearer secret' });
    const tabs = [0, 1].map(() => {
      const tab = browser.createTab();
      const pool = new ConnectionPool({ shareAcrossTabs: true, transport: mock, environment: page }, { crossTab: tab.env });
      const stream = pool.resolve({ url, options: { headers } });
      pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: () => {}, onState: () => {} });
      return pool;
    });
    await settle();
    expect(mock.connections(url)).toBe(2);
    expect(tabs.map((p) => poolEntries(p)[0]?.owner)).toEqual(['this-tab', 'this-tab']);
    expect(browser.heldLocks().filter((name) => name.includes('stream'))).toEqual([]);
  });

  it('never puts header values on the channel', async () => {
    const url = freshUrl('secret');
    const seen: unknown[] = [];
    const spy = browser.createTab();
    spy.env.channel(CHANNEL_NAME, (message) => seen.push(message));
    const tabs = [0, 1].map(() => {
      const tab = browser.createTab();
      const pool = new ConnectionPool({ shareAcrossTabs: true, transport: mock, environment: page }, { crossTab: tab.env });
      const stream = pool.resolve({ url, options: { headers: { Authorization: 'Bearer top-secret-token' } } });
      pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: () => {}, onState: () => {} });
      return pool;
    });
    await settle();
    mock.emit(url, 'message', { n: 1 }, { id: '1' });
    await settle();
    expect(mock.connections(url)).toBe(1);
    expect(tabs.map((p) => poolEntries(p)[0]?.owner).sort()).toEqual(['other-tab', 'this-tab']);
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toContain('top-secret-token');
  });
});

describe('<SseProvider shareAcrossTabs>', () => {
  let fake: ReturnType<typeof createFakeBrowser>;
  beforeEach(() => {
    fake = createFakeBrowser();
    const tab = fake.createTab();
    class FakeBroadcastChannel {
      onmessage: ((event: { data: unknown }) => void) | null = null;
      private readonly endpoint;
      constructor(name: string) {
        this.endpoint = tab.env.channel(name, (data) => this.onmessage?.({ data }));
      }
      postMessage(message: unknown) {
        this.endpoint.postMessage(message);
      }
      close() {
        this.endpoint.close();
      }
    }
    vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel);
    Object.defineProperty(navigator, 'locks', { value: tab.env.locks, configurable: true });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    delete (navigator as { locks?: unknown }).locks;
  });

  function Probe({ url }: { url: string }) {
    const { status, events } = useEventStream(url, { bufferSize: 1000 });
    return createElement('span', null, `${status}:${events.map((e) => e.id).join(',')}`);
  }
  const app = (url: string) => createElement(StrictMode, null, createElement(SseProvider, { transport: mock, shareAcrossTabs: true, lingerMs: 100 }, createElement(Probe, { url })));

  it('two providers under StrictMode share one connection; unmounting the owner hands over and releases its lock', async () => {
    const url = freshUrl('provider');
    const first = render(app(url));
    const second = render(app(url));
    await act(settle);
    expect(mock.requests(url)).toHaveLength(1);
    expect(mock.connections(url)).toBe(1);
    act(() => emitIds(url, 1, 2));
    await act(settle);
    expect(first.container.textContent).toBe('open:1,2');
    expect(second.container.textContent).toBe('open:1,2');

    first.unmount();
    await act(settle);
    expect(mock.connections(url)).toBe(1);
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '2']);
    act(() => emitIds(url, 3, 3));
    await act(settle);
    expect(second.container.textContent).toBe('open:1,2,3');

    second.unmount();
    await act(settle);
    expect(mock.connections(url)).toBe(0);
    expect(fake.heldLocks()).toEqual([]);
    expect(fake.openChannels()).toBe(0);
  });
});
