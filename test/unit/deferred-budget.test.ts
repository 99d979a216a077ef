import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockTransport } from 'react-sse-hub/testing';
import type { CrossTabEnvironment } from '../../src/core/cross-tab/environment';
import { DeferredBudget } from '../../src/core/budget/deferred-budget';
import { OriginBudget } from '../../src/core/budget/origin-budget';
import type { OriginLimit, SlotBudget, SlotHolder } from '../../src/core/budget/slot-budget';
import { ConnectionPool } from '../../src/core/client/pool';
import { poolEntries } from '../../src/core/client/pool-entries';
import { freshUrl } from './helpers';

function holder(name: string, log: string[]): SlotHolder {
  return {
    slotGranted: () => log.push(`granted ${name}`),
    slotWaiting: () => log.push(`waiting ${name}`),
  };
}

/** A promise settled by hand: the budget's download. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

afterEach(() => {
  vi.doUnmock('../../src/core/cross-tab/cross-tab-sharing');
});

describe('DeferredBudget (the browser-wide budget while its chunk downloads)', () => {
  it('holds holders in FIFO order without a place, then asks the real budget in that order, with the latest limit', async () => {
    const load = deferred<(limit: OriginLimit) => SlotBudget>();
    const budget = new DeferredBudget(4, load.promise);
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => holder(name, log));
    for (const h of [a, b, c, d]) expect(budget.acquire('http://x.test', h!)).toBe(false);
    budget.release('http://x.test', b!);
    expect(budget.position('http://x.test', a!)).toBeUndefined();
    budget.setLimit(2);

    let createdWith: OriginLimit | undefined;
    load.resolve((limit) => ((createdWith = limit), new OriginBudget(limit)));
    await flush();
    expect(createdWith).toBe(2);
    // a and c get the two slots; d waits in the real budget's queue; b, released, is never asked.
    expect(log).toEqual(['granted a', 'granted c', 'waiting d']);
    expect(budget.position('http://x.test', d!)).toBe(1);
    budget.release('http://x.test', a!);
    expect(log).toEqual(['granted a', 'granted c', 'waiting d', 'granted d']);
  });

  it('falls back to counting this tab’s connections when the download fails', async () => {
    const load = deferred<(limit: OriginLimit) => SlotBudget>();
    const budget = new DeferredBudget(1, load.promise);
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => holder(name, log));
    budget.acquire('http://x.test', a!);
    budget.acquire('http://x.test', b!);
    load.reject(new Error('chunk missing'));
    await flush();
    expect(log).toEqual(['granted a', 'waiting b']);
  });
});

describe('shareAcrossTabs when the cross-tab chunk cannot be downloaded', () => {
  it('the tab connects on its own instead of waiting forever', async () => {
    vi.doMock('../../src/core/cross-tab/cross-tab-sharing', () => {
      throw new Error('chunk missing');
    });
    const env: CrossTabEnvironment = {
      channel: () => ({ postMessage() {}, close() {} }),
      locks: { request: vi.fn(), query: vi.fn() } as unknown as CrossTabEnvironment['locks'],
    };
    const mock = createMockTransport();
    const url = freshUrl('no-chunk');
    const pool = new ConnectionPool({ shareAcrossTabs: true, transport: mock }, { crossTab: env });
    const stream = pool.resolve(url);
    pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: () => {}, onState: () => {} });
    expect(mock.requests(url)).toHaveLength(0);
    await vi.waitFor(() => expect(mock.requests(url)).toHaveLength(1));
    expect(poolEntries(pool)[0]).toMatchObject({ owner: 'this-tab' });
    expect(env.locks.request).not.toHaveBeenCalled();
    pool.dispose();
  });
});
