import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSseClient, defineStream, SseProvider, useSseStatus, type SseClient, type StreamError, type StreamSource, type StreamState } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { createFetchTransport } from '../../src/core/transport/fetch-transport';
import { initialState, connectionViewOf, reduce, type Action, type LostAction, type MachinePolicy, type MachineState } from '../../src/core/connection/state';
import { createStreamResolver } from '../../src/core/stream/resolve-stream';
import { decideFailure } from '../../src/core/connection/retry-decision';
import { DEFAULT_RETRY } from '../../src/core/stream/retry-options';
import { chunksLoaded, freshUrl, withChunkFailing } from './helpers';

let mock: MockTransport;
let client: SseClient;
beforeEach(() => {
  vi.useFakeTimers();
  mock = createMockTransport();
  client = createSseClient({ transport: mock, lingerMs: 100 });
});
afterEach(() => {
  client.dispose();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A retry policy without jitter: every delay is exactly 100 ms. */
const FIXED = { initialDelayMs: 100, minDelayMs: 100, maxDelayMs: 100, factor: 1, jitter: false };


/** Subscribes, lets the decision's chunk load, and records every state the client reports. */
async function watch(stream: StreamSource) {
  const states: StreamState[] = [];
  const stop = client.subscribe(stream as string, { onStatus: (_status, state) => states.push(state) });
  await chunksLoaded();
  return { states, stop, last: () => states.at(-1)! };
}

/** A promise with its resolve and reject. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets promise jobs (a shouldRetry answer) run; no timer moves. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('retry.shouldRetry', () => {
  it('true retries a 401 with backoff (the default closes it), asked with the error and the failure count', async () => {
    const url = freshUrl();
    const shouldRetry = vi.fn((_error: StreamError, _attempt: number) => true);
    const { last } = await watch(defineStream(url, { retry: { ...FIXED, shouldRetry } }));
    mock.fail(url, { status: 401 });
    expect(shouldRetry).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'http', status: 401 }), 1);
    expect(last()).toMatchObject({ status: 'reconnecting', retryCount: 1, error: { kind: 'http', status: 401 } });
    vi.advanceTimersByTime(100);
    expect(mock.requests(url)).toHaveLength(2);
    mock.fail(url, { status: 404 });
    expect(shouldRetry).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'http', status: 404 }), 2);
    vi.advanceTimersByTime(100);
    expect(mock.requests(url)).toHaveLength(3);
    mock.open(url);
    expect(last()).toMatchObject({ status: 'open', error: undefined, retryCount: 0 });
  });

  it('false closes a 500 (the default retries it) with that error, and nothing more is requested', async () => {
    const url = freshUrl();
    const { last } = await watch(defineStream(url, { retry: { ...FIXED, shouldRetry: () => false } }));
    mock.open(url);
    mock.fail(url, { status: 500 });
    expect(last()).toMatchObject({ status: 'closed', error: { kind: 'http', status: 500 } });
    vi.advanceTimersByTime(60_000);
    expect(mock.requests(url)).toHaveLength(1);
  });

  it('decides a network error too', async () => {
    const url = freshUrl();
    const seen: string[] = [];
    await watch(defineStream(url, { retry: { ...FIXED, shouldRetry: (error) => (seen.push(error.kind), false) } }));
    mock.fail(url);
    expect(seen).toEqual(['network']);
    vi.advanceTimersByTime(60_000);
    expect(mock.requests(url)).toHaveLength(1);
  });

  it('async: the attempt waits holding no transport, then the next request carries the refreshed token', async () => {
    const url = freshUrl();
    let token = 'old';
    const refresh = deferred<void>();
    const shouldRetry = vi.fn(async (error: StreamError) => {
      if (error.kind !== 'http' || error.status !== 401) return false;
      await refresh.promise;
      token = 'new';
      return true;
    });
    const { last } = await watch(defineStream(url, { headers: () => ({ Authorization: `Bearer ${token}` }), retry: { ...FIXED, shouldRetry } }));
    expect(mock.requests(url)[0]!.headers).toEqual({ Authorization: 'Bearer old' });
    mock.fail(url, { status: 401 });
    // Deciding: still 'reconnecting', the error shown, nothing connected, nothing requested.
    expect(last()).toMatchObject({ status: 'reconnecting', error: { kind: 'http', status: 401 } });
    expect(mock.connections(url)).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(mock.requests(url)).toHaveLength(1);
    refresh.resolve();
    await settle();
    // Then the usual backoff.
    expect(last()).toMatchObject({ status: 'reconnecting', retryCount: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.headers).toEqual({ Authorization: 'Bearer new' });
    mock.open(url);
    expect(last()).toMatchObject({ status: 'open', error: undefined });
  });

  it('async false closes with the error', async () => {
    const url = freshUrl();
    const { last } = await watch(defineStream(url, { retry: { ...FIXED, shouldRetry: async () => false } }));
    mock.fail(url, { status: 503 });
    expect(last().status).toBe('reconnecting');
    await settle();
    expect(last()).toMatchObject({ status: 'closed', error: { kind: 'http', status: 503 } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mock.requests(url)).toHaveLength(1);
  });

  it('a throwing or rejecting shouldRetry leaves the default rule, and its error is reported', async () => {
    const url = freshUrl();
    const { last } = await watch(
      defineStream(url, {
        retry: {
          ...FIXED,
          shouldRetry: () => {
            throw new Error('policy bug');
          },
        },
      }),
    );
    mock.fail(url, { status: 500 });
    expect(last()).toMatchObject({ status: 'reconnecting', retryCount: 1 });
    expect(() => vi.advanceTimersByTime(100)).toThrow('policy bug');
    expect(mock.requests(url)).toHaveLength(2);
    mock.fail(url, { status: 401 });
    expect(last()).toMatchObject({ status: 'closed', error: { kind: 'http', status: 401 } });
    expect(() => vi.runOnlyPendingTimers()).toThrow('policy bug');

    const rejecting = freshUrl();
    const watched = await watch(defineStream(rejecting, { retry: { ...FIXED, shouldRetry: () => Promise.reject(new Error('refresh failed')) } }));
    mock.fail(rejecting, { status: 401 });
    // The rejection is rethrown on a timer, which this settling runs.
    await expect(settle()).rejects.toThrow('refresh failed');
    expect(watched.last()).toMatchObject({ status: 'closed', error: { kind: 'http', status: 401 } });
  });

  it('close() while the answer is pending: stays closed; reconnect(): the stale answer is ignored', async () => {
    const url = freshUrl();
    const answers = [deferred<boolean>(), deferred<boolean>()];
    let asked = 0;
    const stream = defineStream(url, { retry: { ...FIXED, shouldRetry: () => answers[asked++]!.promise } });
    const { last } = await watch(stream);
    mock.fail(url, { status: 401 });
    client.close(stream);
    expect(last()).toMatchObject({ status: 'closed', error: undefined });
    answers[0]!.resolve(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(last()).toMatchObject({ status: 'closed', error: undefined });
    expect(mock.requests(url)).toHaveLength(1);

    client.reconnect(stream);
    expect(mock.requests(url)).toHaveLength(2);
    mock.fail(url, { status: 401 });
    client.reconnect(stream);
    mock.open(url);
    answers[1]!.resolve(false); // about the attempt reconnect() replaced
    await settle();
    expect(last()).toMatchObject({ status: 'open', error: undefined });
    expect(mock.connections(url)).toBe(1);
  });

  it('is still bounded by maxAttempts (the last 401 is the max-attempts error\'s cause)', async () => {
    const url = freshUrl();
    const shouldRetry = vi.fn(() => true);
    const { last } = await watch(defineStream(url, { retry: { ...FIXED, maxAttempts: 2, shouldRetry } }));
    for (let i = 0; i < 3; i++) {
      mock.fail(url, { status: 401 });
      vi.advanceTimersByTime(100);
    }
    expect(shouldRetry).toHaveBeenCalledTimes(3);
    expect(last()).toMatchObject({ status: 'closed', error: { kind: 'max-attempts', cause: { kind: 'http', status: 401 } } });
    expect(mock.requests(url)).toHaveLength(3);
  });

  it('is not asked for a 204, a normal end or an event error', async () => {
    const url = freshUrl();
    const shouldRetry = vi.fn(() => false);
    const { last } = await watch(defineStream(url, { retry: { ...FIXED, shouldRetry } }));
    mock.emit(url, 'message', '{not json');
    expect(last().error?.kind).toBe('parse');
    mock.end(url);
    vi.advanceTimersByTime(100);
    expect(mock.requests(url)).toHaveLength(2);
    mock.fail(url, { status: 204 });
    expect(last()).toMatchObject({ status: 'closed', error: undefined });
    expect(shouldRetry).not.toHaveBeenCalled();
  });

  it('a pending answer holds no budget slot', async () => {
    const budgeted = createSseClient({ transport: mock, maxConnectionsPerOrigin: 1 });
    try {
      const [a, b] = [freshUrl(), freshUrl()];
      const answer = deferred<boolean>();
      budgeted.subscribe(defineStream(a, { retry: { ...FIXED, shouldRetry: () => answer.promise } }));
      await chunksLoaded();
      budgeted.subscribe(b);
      expect(mock.requests(b)).toHaveLength(0);
      mock.fail(a, { status: 401 });
      expect(mock.requests(b)).toHaveLength(1);
      answer.resolve(true);
      await settle();
      mock.open(b);
      await vi.advanceTimersByTimeAsync(100);
      // a queues behind b, which holds the slot now.
      expect(mock.requests(a)).toHaveLength(1);
      expect(budgeted.entries().find((e) => e.url.endsWith(a))?.status).toBe('queued');
    } finally {
      budgeted.dispose();
    }
  });
});

describe('retry.shouldRetry with the fetch transport', () => {
  it('refreshes the token on a 401: the second request carries it, and headers() runs once per attempt', async () => {
    const seen: (string | null)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const authorization = new Headers(init.headers).get('authorization');
        seen.push(authorization);
        if (authorization !== 'Bearer fresh') return new Response(null, { status: 401 });
        const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('data: 1\n\n')) });
        return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
      }),
    );
    const fetching = createSseClient({ transport: createFetchTransport() });
    try {
      let token = 'stale';
      const headers = vi.fn(() => ({ Authorization: `Bearer ${token}` }));
      const stream = defineStream(`${location.origin}/auth`, {
        headers,
        retry: {
          ...FIXED,
          shouldRetry: async (error) => {
            if (error.kind !== 'http' || error.status !== 401) return false;
            token = await Promise.resolve('fresh');
            return true;
          },
        },
      });
      const states: StreamState[] = [];
      const data: unknown[] = [];
      fetching.subscribe(stream, { onEvent: (e) => data.push(e.data), onStatus: (_s, state) => states.push(state) });
      await vi.advanceTimersByTimeAsync(100);
      expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
      expect(headers).toHaveBeenCalledTimes(2);
      expect(data).toEqual([1]);
      expect(states.at(-1)).toMatchObject({ status: 'open', error: undefined });
    } finally {
      fetching.dispose();
    }
  });

  it('decides a wrong content type (the default closes it)', async () => {
    const fetchMock = vi.fn(async () => new Response('<html>', { headers: { 'Content-Type': 'text/html' } }));
    vi.stubGlobal('fetch', fetchMock);
    const fetching = createSseClient({ transport: createFetchTransport() });
    try {
      const seen: StreamError[] = [];
      fetching.subscribe(defineStream(`${location.origin}/login`, { transport: 'fetch', retry: { ...FIXED, shouldRetry: (error) => (seen.push(error), true) } }));
      await vi.advanceTimersByTimeAsync(100);
      expect(seen.map((e) => e.kind)).toEqual(['content-type', 'content-type']);
      expect(fetchMock).toHaveBeenCalledTimes(2);
    } finally {
      fetching.dispose();
    }
  });
});

describe('retry.shouldRetry in hooks', () => {
  it('an inline shouldRetry made anew on every render keeps the connection, and the newest one decides', async () => {
    const mockForHook = createMockTransport();
    const url = freshUrl();
    const wrapper = ({ children }: { children: ReactNode }) => <SseProvider transport={mockForHook}>{children}</SseProvider>;
    const { result, rerender } = renderHook(
      ({ verdict }: { verdict: boolean }) => useSseStatus(defineStream(url, { retry: { ...FIXED, shouldRetry: () => verdict } })),
      { wrapper, initialProps: { verdict: true } },
    );
    await act(chunksLoaded);
    rerender({ verdict: true });
    rerender({ verdict: false });
    expect(mockForHook.requests(url)).toHaveLength(1);
    act(() => mockForHook.fail(url, { status: 500 }));
    expect(result.current).toMatchObject({ status: 'closed', error: { kind: 'http', status: 500 } });
  });

  it('keys streams by their shouldRetry: two policies on one URL are two connections, never shared across tabs', async () => {
    const url = freshUrl();
    const yes = defineStream(url, { retry: { shouldRetry: () => true } });
    const no = defineStream(url, { retry: { shouldRetry: () => false } });
    client.subscribe(yes);
    client.subscribe(no);
    client.subscribe(defineStream(url, { retry: yes.options.retry }));
    await chunksLoaded();
    expect(mock.requests(url)).toHaveLength(2);
    // A function's identity means something only in its own tab.
    const resolve = createStreamResolver(() => ({}));
    expect(resolve(yes).shareable).toBe(false);
    expect(resolve(url).shareable).toBe(true);
  });
});

describe("shouldRetry's chunk", () => {
  it('waits for its chunk: no request until it has loaded, a close() made meanwhile applies then', async () => {
    const url = freshUrl();
    const states: StreamState[] = [];
    client.subscribe(defineStream(url, { retry: { shouldRetry: () => true } }), { onStatus: (_s, state) => states.push(state) });
    expect(mock.requests(url)).toHaveLength(0);
    await chunksLoaded();
    expect(mock.requests(url)).toHaveLength(1);
    const other = freshUrl();
    const stream = defineStream(other, { retry: { shouldRetry: () => true } });
    const fresh = createSseClient({ transport: mock });
    try {
      fresh.subscribe(stream);
      fresh.close(stream);
      await chunksLoaded();
      expect(mock.requests(other)).toHaveLength(0);
      expect(fresh.entries().find((e) => e.url.endsWith(other))?.status).toBe('closed');
    } finally {
      fresh.dispose();
    }
  });

  it('a chunk that fails to load leaves the default rule: a 401 closes', async () => {
    await withChunkFailing('../../src/core/connection/retry-decision', async (lib) => {
      const isolated = lib.createSseClient({ transport: mock });
      const url = freshUrl();
      const states: StreamState[] = [];
      const shouldRetry = vi.fn(() => true);
      isolated.subscribe(lib.defineStream(url, { retry: { shouldRetry } }), { onStatus: (_s, state) => states.push(state) });
      await chunksLoaded();
      await settle();
      mock.fail(url, { status: 401 });
      expect(shouldRetry).not.toHaveBeenCalled();
      expect(states.at(-1)).toMatchObject({ status: 'closed', error: { kind: 'http', status: 401 } });
      isolated.dispose();
    });
  });


  it("a promised answer about a browser's own reconnect backs off: its transport is gone", async () => {
    const stream = createStreamResolver(() => ({}))(defineStream('http://x.test/s', { retry: { shouldRetry: async () => true } }));
    const dispatched: Action[] = [];
    const self: LostAction = { type: 'lost', attempt: 3, cause: 'self', error: { kind: 'network', message: 'lost' }, random: 0.5, sinceRequestMs: 5000 };
    decideFailure(stream, self, 3, 1, (action) => dispatched.push(action), { random: () => 0.25 });
    await settle();
    expect(dispatched.map((a) => a.type)).toEqual(['deciding', 'decided']);
    expect(dispatched[1]).toMatchObject({ type: 'decided', attempt: 3, then: { type: 'lost', cause: 'broken', sinceRequestMs: 5000 } });
  });

  it("is not asked about a superseded attempt's failure", () => {
    const shouldRetry = vi.fn(() => true);
    const stream = createStreamResolver(() => ({}))(defineStream('http://x.test/s', { retry: { shouldRetry } }));
    const dispatched: Action[] = [];
    const lost: LostAction = { type: 'lost', attempt: 2, cause: 'broken', error: { kind: 'network', message: 'lost' }, random: 0.5 };
    decideFailure(stream, lost, 3, 1, (action) => dispatched.push(action), { random: () => 0.25 });
    expect(shouldRetry).not.toHaveBeenCalled();
    expect(dispatched).toEqual([lost]);
  });
});

describe("the reducer's 'deciding' phase", () => {
  const policy: MachinePolicy = { retry: { ...DEFAULT_RETRY, jitter: false }, finite: 'no', url: 'http://x.test/s' };
  const http401: StreamError = { kind: 'http', message: '401', status: 401 };
  const run = (actions: Action[], from = initialState(false)): MachineState => actions.reduce((s, a) => reduce(s, a, policy), from);
  const open = () => run([{ type: 'want', wanted: true }, { type: 'slot-granted' }, { type: 'opened', attempt: 1 }]);
  const deciding = () => run([{ type: 'deciding', attempt: 1, error: http401 }, { type: 'transport-closed' }], open());
  const retry = (attempt = 1): Action => ({ type: 'decided', attempt, then: { type: 'lost', attempt, cause: 'broken', error: http401, random: 0.5 } });

  it("holds no transport and no slot, shows 'reconnecting' with the error", () => {
    const s = deciding();
    expect(s).toMatchObject({ phase: 'deciding', transport: 'none', slot: 'none' });
    expect(connectionViewOf(s)).toEqual({ status: 'reconnecting', error: http401, retryCount: 0 });
  });

  it('an answer to retry backs off; one to close closes', () => {
    expect(run([retry()], deciding())).toMatchObject({ phase: 'backoff', retryCount: 1, error: http401 });
    expect(run([{ type: 'decided', attempt: 1, then: { type: 'fatal', attempt: 1, error: http401 } }], deciding())).toMatchObject({ phase: 'closed', error: http401 });
  });

  it('ignores an answer once the stream moved on: closed, reconnected, paused, or about another attempt', () => {
    const closed = run([{ type: 'close' }], deciding());
    expect(run([retry()], closed)).toBe(closed);
    const reconnected = run([{ type: 'reconnect' }], deciding());
    expect(run([retry()], reconnected)).toBe(reconnected);
    const paused = run([{ type: 'page', offline: true }], deciding());
    expect(paused.phase).toBe('paused');
    expect(run([retry()], paused)).toBe(paused);
    expect(run([retry(2)], deciding())).toEqual(deciding());
  });
});

describe('docs/reconnection.md: refresh the token on a 401', () => {
  it('runs the example', async () => {
    type Order = { id: string };
    const tokens = ['expired', 'fresh'];
    const refreshToken = async () => tokens.shift()!;

    // --- the docs/reconnection.md block ("Status-aware retry"; keep it ~12 lines) ---
    let token = await refreshToken();
    const orders = defineStream<{ order: Order }>('/api/orders', {
      events: ['order'],
      headers: () => ({ Authorization: `Bearer ${token}` }), // called again on every attempt
      retry: {
        shouldRetry: async (error) => {
          if (error.kind === 'http' && error.status === 401) {
            token = await refreshToken(); // then retry: the next request carries the new token
            return true;
          }
          return error.kind === 'network' || (error.kind === 'http' && (error.status ?? 0) >= 500);
        },
      },
    });
    // --- end of the docs/reconnection.md block ---

    const { last } = await watch(orders);
    mock.fail('/api/orders', { status: 401 });
    await vi.advanceTimersByTimeAsync(30_000);
    mock.emit('/api/orders', 'order', { id: 'a' });
    expect(mock.requests('/api/orders').map((r) => r.headers.Authorization)).toEqual(['Bearer expired', 'Bearer fresh']);
    expect(last()).toMatchObject({ status: 'open', error: undefined });
  });
});
