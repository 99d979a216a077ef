import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockTransport } from 'react-sse-hub/testing';
import type { CrossTabEnvironment } from '../../src/core/cross-tab/environment';
import type { ConnectionSharing, CreateConnectionSharing } from '../../src/core/cross-tab/connection-sharing';
import { OriginBudget } from '../../src/core/budget/origin-budget';
import { ConnectionPool } from '../../src/core/client/pool';
import type { ResolvedStream } from '../../src/core/stream/resolve-stream';
import { poolEntries } from '../../src/core/client/pool-entries';
import { defineStream } from '../../src/core/stream/define-stream';
import { freshUrl } from './helpers';

/**
 * Cross-tab sharing is a plug-in of the client, in a chunk loaded when a client with
 * shareAcrossTabs is created. Until it arrives no connection takes a slot (the plug-in's budget
 * replaces the client's); then shareable streams join it and the others connect on their own.
 */

/** A promise settled by hand: the chunk's download. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const env: CrossTabEnvironment = {
  channel: () => ({ postMessage() {}, close() {} }),
  locks: { request: vi.fn(), query: vi.fn() } as unknown as CrossTabEnvironment['locks'],
};

const reader = (stream: ResolvedStream) => ({ types: ['message'], decoder: stream.decoder, onEvent: () => {}, onState: () => {} });

afterEach(() => {
  vi.doUnmock('../../src/core/cross-tab/cross-tab-sharing');
});

describe('the sharing plug-in while its chunk downloads', () => {
  it('holds every new connection, then joins the shareable ones and connects the rest against its budget, in order', async () => {
    const gate = deferred<void>();
    const joined: string[] = [];
    const budget = new OriginBudget(1);
    const createCrossTabSharing: CreateConnectionSharing = () => {
      const sharing: ConnectionSharing = {
        budget,
        join: (connection, pending) => joined.push(`${connection.stream.key} ${pending ?? '-'}`),
        typesChanged() {},
        hasFollowers: () => false,
        leave() {},
        visibilityChanged() {},
        dispose() {},
      };
      return sharing;
    };
    vi.doMock('../../src/core/cross-tab/cross-tab-sharing', async () => {
      await gate.promise;
      return { createCrossTabSharing };
    });
    const mock = createMockTransport();
    const [shared, first, second] = ['shared', 'first', 'second'].map((name) => freshUrl(`plug-in-${name}`)) as [string, string, string];
    const pool = new ConnectionPool({ shareAcrossTabs: true, transport: mock }, { crossTab: env });
    const token = () => ({ authorization: 'Bearer t' });
    const streams = [pool.resolve(shared), pool.resolve(defineStream(first, { headers: token })), pool.resolve(defineStream(second, { headers: token }))];
    for (const stream of streams) pool.join(stream, reader(stream));
    pool.peek(streams[0]!.key)!.reconnect();
    await Promise.resolve();
    // Nothing connects and nothing holds a slot of the client's own budget while the chunk loads.
    for (const url of [shared, first, second]) expect(mock.requests(url)).toHaveLength(0);
    expect(pool.budget).not.toBe(budget);

    gate.resolve();
    await vi.waitFor(() => expect(mock.requests(first)).toHaveLength(1));
    expect(pool.budget).toBe(budget);
    // The shareable stream went to the plug-in with the reconnect() asked meanwhile.
    expect(joined).toEqual([`${streams[0]!.key} reconnect`]);
    // The others asked the plug-in's budget (limit 1) in the order they were created.
    expect(mock.requests(second)).toHaveLength(0);
    expect(pool.peek(streams[2]!.key)!.state.status).toBe('queued');
    expect(mock.requests(shared)).toHaveLength(0);
    pool.dispose();
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
