import { act, renderHook } from '@testing-library/react';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  defineStream,
  SseProvider,
  useEventStream,
  useLatestEvent,
  useSsePool,
  useSseStatus,
  type SseProviderProps,
  type Transport,
  type TransportCallbacks,
} from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { reconnectDelay } from '../../src/core/connection/reconnect-policy';
import { DEFAULT_RETRY } from '../../src/core/stream/retry-options';
import { classifyResponse, parseRetryAfter } from '../../src/core/transport/classify-response';
import { freshUrl } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function wrapperFor(mock: MockTransport, props: Omit<SseProviderProps, 'children'> = {}) {
  return ({ children }: { children: ReactNode }) => (
    <SseProvider transport={mock} {...props}>
      {children}
    </SseProvider>
  );
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('backoff policy', () => {
  it('grows by factor up to maxDelay, without jitter', () => {
    const policy = { ...DEFAULT_RETRY, jitter: false };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => reconnectDelay(n, policy, undefined, undefined, 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('picks a full-jitter delay up to the computed delay, never below minDelayMs', () => {
    expect(reconnectDelay(3, DEFAULT_RETRY, undefined, undefined, 0)).toBe(500);
    expect(reconnectDelay(3, DEFAULT_RETRY, undefined, undefined, 0.5)).toBe(4000);
    expect(reconnectDelay(3, DEFAULT_RETRY, undefined, undefined, 0.999999)).toBeLessThanOrEqual(8000);
    for (let i = 0; i < 200; i++) {
      const d = reconnectDelay(2, DEFAULT_RETRY, undefined, undefined, Math.random());
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it("clamps the server's retry: and Retry-After into [minDelayMs, maxDelayMs]", () => {
    const policy = { ...DEFAULT_RETRY, jitter: false };
    expect(reconnectDelay(0, policy, 0, undefined, 0.5)).toBe(500);
    expect(reconnectDelay(0, policy, 250, undefined, 0.5)).toBe(500);
    expect(reconnectDelay(0, policy, 99_999_999_999, undefined, 0.5)).toBe(30_000);
    expect(reconnectDelay(0, policy, undefined, 9000, 0.5)).toBe(9000);
    expect(reconnectDelay(0, policy, undefined, 3_600_000, 0.5)).toBe(30_000);
    expect(reconnectDelay(0, { ...policy, minDelayMs: 0 }, 0, undefined, 0.5)).toBe(0);
  });

  it('reconnects on the backoff schedule and gives up after maxAttempts', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream(url, { retry: { initialDelayMs: 100, minDelayMs: 0, factor: 2, jitter: false, maxAttempts: 3 } });
    const { result } = renderHook(() => useSseStatus(stream), { wrapper: wrapperFor(mock) });
    const attemptsAt: number[] = [];
    const start = Date.now();
    act(() => mock.fail(url)); // initial attempt fails -> retry 1 after 100
    for (const gap of [100, 200, 400]) {
      expect(result.current.status).toBe('reconnecting');
      await advance(gap - 1);
      const before = mock.requests(url).length;
      await advance(1);
      expect(mock.requests(url).length).toBe(before + 1);
      attemptsAt.push(Date.now() - start);
      act(() => mock.fail(url));
    }
    expect(attemptsAt).toEqual([100, 300, 700]);
    expect(result.current.status).toBe('closed');
    expect(result.current.error?.kind).toBe('max-attempts');
    expect(result.current.error?.message).toMatch(/reconnect\(\)/);
    expect(result.current.retryCount).toBe(3);
    await advance(60_000);
    expect(mock.requests(url)).toHaveLength(4);
  });

  it('keeps backing off against a server that accepts and at once ends the stream; an event resets the delay', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream(url, { retry: { initialDelayMs: 100, minDelayMs: 0, factor: 2, jitter: false } });
    renderHook(() => useSseStatus(stream), { wrapper: wrapperFor(mock) });
    const gaps: number[] = [];
    let last = Date.now();
    for (let i = 0; i < 4; i++) {
      act(() => {
        mock.open(url);
        mock.end(url); // accepted, nothing sent, ended
      });
      const before = mock.requests(url).length;
      while (mock.requests(url).length === before) await advance(10);
      gaps.push(Date.now() - last);
      last = Date.now();
    }
    expect(gaps).toEqual([100, 200, 400, 800]);
    // A connection that delivers an event is productive: the next loss starts over.
    act(() => {
      mock.emit(url, 'message', 1);
      mock.end(url);
    });
    await advance(100);
    expect(mock.requests(url)).toHaveLength(6);
  });

  it('resets retryCount and clears the error on a successful open', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream(url, { retry: { initialDelayMs: 10, minDelayMs: 0, jitter: false } });
    const { result } = renderHook(() => useSseStatus(stream), { wrapper: wrapperFor(mock) });
    act(() => mock.fail(url, { status: 503 }));
    await advance(10);
    act(() => mock.fail(url, { status: 503 }));
    expect(result.current).toMatchObject({ status: 'reconnecting', retryCount: 2 });
    expect(result.current.error).toMatchObject({ kind: 'http', status: 503 });
    await advance(20);
    act(() => mock.open(url));
    expect(result.current).toMatchObject({ status: 'open', error: undefined, retryCount: 0 });
  });

  it("uses the server's retry: as the base delay and honours Retry-After", async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream(url, { retry: { initialDelayMs: 1000, jitter: false } });
    renderHook(() => useSseStatus(stream), { wrapper: wrapperFor(mock) });
    act(() => mock.open(url));
    act(() => mock.retry(url, 700));
    act(() => mock.end(url));
    await advance(699);
    expect(mock.requests(url)).toHaveLength(1);
    await advance(1);
    expect(mock.requests(url)).toHaveLength(2);
    // A hostile retry: 0 is held to minDelayMs (500): no reconnect storm against an ending stream.
    act(() => mock.retry(url, 0));
    act(() => mock.end(url));
    await advance(499);
    expect(mock.requests(url)).toHaveLength(2);
    await advance(1);
    expect(mock.requests(url)).toHaveLength(3);
    act(() => mock.open(url));
    act(() => mock.fail(url, { status: 429, retryAfter: '5' }));
    await advance(4999);
    expect(mock.requests(url)).toHaveLength(3);
    await advance(1);
    expect(mock.requests(url)).toHaveLength(4);
  });

  it('reconnect() retries at once with a fresh budget, also from closed', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream(url, { retry: { maxAttempts: 0 } });
    const { result } = renderHook(() => useEventStream(stream), { wrapper: wrapperFor(mock) });
    act(() => mock.fail(url));
    expect(result.current.status).toBe('closed');
    act(() => result.current.reconnect());
    expect(result.current.status).toBe('connecting');
    expect(mock.requests(url)).toHaveLength(2);
  });

  it('close() cancels a pending retry', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const { result } = renderHook(() => useEventStream(url), { wrapper: wrapperFor(mock) });
    act(() => mock.fail(url));
    act(() => result.current.close());
    await advance(120_000);
    expect(mock.requests(url)).toHaveLength(1);
    expect(result.current.status).toBe('closed');
  });
});

describe('HTTP classification', () => {
  it('stops on 204 and on 4xx other than 408/429, retries 5xx, 408, 429', () => {
    const retryOf = (status: number) => classifyResponse('u', status, 'text/event-stream', null)?.retry;
    // 204 is the spec's "stop": closed, but not an error.
    expect(classifyResponse('u', 204, null, null)).toEqual({ retry: 'never', error: undefined });
    expect([400, 401, 403, 404, 410].map(retryOf)).toEqual(['never', 'never', 'never', 'never', 'never']);
    expect([408, 429, 500, 502, 503].map(retryOf)).toEqual(['backoff', 'backoff', 'backoff', 'backoff', 'backoff']);
    expect(retryOf(200)).toBeUndefined();
    expect(classifyResponse('u', 200, 'text/event-stream; charset=utf-8', null)).toBeUndefined();
    expect(classifyResponse('u', 200, 'text/html', null)).toMatchObject({ retry: 'never', error: { kind: 'content-type' } });
    expect(classifyResponse('u', 200, 'text/html', null)?.error).not.toHaveProperty('status');
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(inTenSeconds)).toBeGreaterThan(8000);
  });

  it('closes on 204 with no error (a deliberate stop) and never retries', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const { result } = renderHook(() => useSseStatus(url), { wrapper: wrapperFor(mock) });
    act(() => mock.fail(url, { status: 503 }));
    expect(result.current.error).toMatchObject({ kind: 'http', status: 503 });
    await advance(120_000);
    act(() => mock.fail(url, { status: 204 }));
    expect(result.current.status).toBe('closed');
    // The earlier 503 is not left showing either.
    expect(result.current.error).toBeUndefined();
    await advance(120_000);
    expect(mock.requests(url)).toHaveLength(2);
  });

  it('closes on 404 with the status and never retries', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const { result } = renderHook(() => useSseStatus(url), { wrapper: wrapperFor(mock) });
    act(() => mock.fail(url, { status: 404 }));
    expect(result.current.status).toBe('closed');
    expect(result.current.error).toMatchObject({ kind: 'http', status: 404 });
    await advance(120_000);
    expect(mock.requests(url)).toHaveLength(1);
  });
});

describe('connection budget', () => {
  function useMany(urls: string[]) {
    return urls.map((u) => useSseStatus(u).status);
  }

  it('queues streams beyond maxConnectionsPerOrigin in FIFO order', () => {
    const mock = createMockTransport();
    const urls = [freshUrl(), freshUrl(), freshUrl(), freshUrl()];
    const { result } = renderHook(() => useMany(urls), { wrapper: wrapperFor(mock, { maxConnectionsPerOrigin: 2 }) });
    expect(result.current).toEqual(['connecting', 'connecting', 'queued', 'queued']);
    act(() => mock.fail(urls[0]!, { status: 404 })); // fatal: releases its slot
    expect(result.current).toEqual(['closed', 'connecting', 'connecting', 'queued']);
    expect(mock.connections(urls[2]!)).toBe(1);
    expect(mock.connections(urls[3]!)).toBe(0);
  });

  it('gives the slot of a paused (disabled) or unmounted stream to the next in line', async () => {
    const mock = createMockTransport();
    const [a, b, c] = [freshUrl(), freshUrl(), freshUrl()];
    const { result, rerender } = renderHook(
      ({ aOn }) => [useEventStream(a, { enabled: aOn }).status, useSseStatus(b).status, useSseStatus(c).status],
      { wrapper: wrapperFor(mock, { maxConnectionsPerOrigin: 2, lingerMs: 0 }), initialProps: { aOn: true } },
    );
    expect(result.current).toEqual(['connecting', 'connecting', 'queued']);
    rerender({ aOn: false });
    await advance(0);
    expect(result.current).toEqual(['paused', 'connecting', 'connecting']);
    rerender({ aOn: true });
    expect(result.current).toEqual(['queued', 'connecting', 'connecting']);
  });

  it('allows Infinity', () => {
    const mock = createMockTransport();
    const urls = Array.from({ length: 12 }, () => freshUrl());
    const { result } = renderHook(() => useMany(urls), { wrapper: wrapperFor(mock, { maxConnectionsPerOrigin: Infinity }) });
    expect(result.current.every((s) => s === 'connecting')).toBe(true);
  });
});

describe('pausing', () => {
  function setHidden(hidden: boolean) {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }
  afterEach(() => setHidden(false));

  it('pauses after pauseWhenHidden ms hidden and resumes from the last event id', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream(url, { pauseWhenHidden: 5000 });
    const { result } = renderHook(() => useEventStream(stream), { wrapper: wrapperFor(mock) });
    act(() => mock.emit(url, 'message', 1, { id: '7' }));
    act(() => setHidden(true));
    await advance(4999);
    expect(result.current.status).toBe('open');
    await advance(1);
    expect(result.current.status).toBe('paused');
    expect(mock.connections(url)).toBe(0);
    act(() => setHidden(false));
    expect(result.current.status).toBe('connecting');
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '7']);
  });

  it('does not pause streams without pauseWhenHidden', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const { result } = renderHook(() => useSseStatus(url), { wrapper: wrapperFor(mock) });
    act(() => mock.open(url));
    act(() => setHidden(true));
    await advance(60_000);
    expect(result.current.status).toBe('open');
  });

  it('pauses while offline and reconnects at once when back online', async () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const { result } = renderHook(() => useSseStatus(url), { wrapper: wrapperFor(mock) });
    act(() => mock.open(url));
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    act(() => {
      window.dispatchEvent(new Event('offline'));
    });
    expect(result.current.status).toBe('paused');
    expect(mock.connections(url)).toBe(0);
    onLine.mockReturnValue(true);
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    expect(result.current.status).toBe('connecting');
    expect(mock.connections(url)).toBe(1);
  });

  it('re-opens live streams when the page comes back from the back/forward cache', () => {
    const mock = createMockTransport();
    const url = freshUrl();
    renderHook(() => useSseStatus(url), { wrapper: wrapperFor(mock) });
    act(() => mock.emit(url, 'message', 1, { id: '3' }));
    act(() => {
      window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    });
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '3']);
    expect(mock.connections(url)).toBe(1);
  });
});

describe('bad input', () => {
  it('skips malformed JSON with a parse error naming the event type; the stream goes on', () => {
    const mock = createMockTransport();
    const url = freshUrl();
    const { result } = renderHook(() => useEventStream(url, { events: ['tick'] }), { wrapper: wrapperFor(mock) });
    act(() => mock.emit(url, 'tick', '{"broken":'));
    expect(result.current.error).toMatchObject({ kind: 'parse', eventType: 'tick' });
    expect(result.current.status).toBe('open');
    act(() => mock.emit(url, 'tick', { ok: true }));
    expect(result.current.events.map((e) => e.data)).toEqual([{ ok: true }]);
  });

  it('validates with a Standard Schema: failures are validation errors, output is the schema output', () => {
    const positive: StandardSchemaV1<unknown, { n: number; doubled: number }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => {
          const n = (value as { n?: unknown })?.n;
          return typeof n === 'number' && n > 0
            ? { value: { n, doubled: n * 2 } }
            : { issues: [{ message: 'n must be positive', path: ['n'] }] };
        },
      },
    };
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream<{ m: { n: number; doubled: number } }>(url, { events: ['m'], schemas: { m: positive } });
    const { result } = renderHook(() => useEventStream(stream), { wrapper: wrapperFor(mock) });
    act(() => mock.emit(url, 'm', { n: -1 }));
    expect(result.current.error).toMatchObject({ kind: 'validation', eventType: 'm' });
    expect(result.current.error?.message).toMatch(/at n: n must be positive/);
    expect(Array.isArray(result.current.error?.cause)).toBe(true);
    act(() => mock.emit(url, 'm', { n: 2 }));
    expect(result.current.events.map((e) => e.data)).toEqual([{ n: 2, doubled: 4 }]);
  });

  it('turns a schema that throws into a validation error; the stream and its other events go on', () => {
    const strict: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => {
          if (value === 13) throw new Error('unlucky');
          return { value: value as number };
        },
      },
    };
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream<{ m: number }>(url, { events: ['m'], schemas: { m: strict } });
    const { result } = renderHook(() => useEventStream(stream), { wrapper: wrapperFor(mock) });
    act(() => {
      mock.emit(url, 'm', 12);
      mock.emit(url, 'm', 13);
    });
    expect(result.current.error).toMatchObject({ kind: 'validation', eventType: 'm' });
    expect(result.current.error?.message).toMatch(/threw \(unlucky\)/);
    // An event error lasts until the next event is delivered: a healthy stream does not alert forever.
    act(() => mock.emit(url, 'm', 14));
    expect(result.current.events.map((e) => e.data)).toEqual([12, 14]);
    expect(result.current.error).toBeUndefined();
    expect(result.current.status).toBe('open');
    expect(mock.requests(url)).toHaveLength(1);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('treats %s as an ordinary event name', (name) => {
    const mock = createMockTransport();
    const url = freshUrl();
    const stream = defineStream<Record<string, number>>(url, { events: [name], schemas: {} });
    const { result } = renderHook(() => ({ all: useEventStream(stream), latest: useLatestEvent(stream, name) }), { wrapper: wrapperFor(mock) });
    act(() => mock.emit(url, name, 5));
    act(() => mock.emit(url, 'message', 6));
    expect(result.current.all.events.map((e) => [e.type, e.data])).toEqual([[name, 5]]);
    expect(result.current.latest.data).toBe(5);
    expect(result.current.all.error).toBeUndefined();
  });

  it.each(['http://', 'ftp://example.com/feed'])("closes %s with kind 'unsupported' and does not throw into render", (bad) => {
    const mock = createMockTransport();
    const { result } = renderHook(() => useSseStatus(bad), { wrapper: wrapperFor(mock) });
    expect(result.current.status).toBe('closed');
    expect(result.current.error?.kind).toBe('unsupported');
    expect(result.current.error?.message).toMatch(/URL/);
  });

  it("closes with 'unsupported' when a stream asks for an EventSource the runtime lacks", () => {
    // jsdom has no EventSource: exactly the situation of an old runtime (or Node).
    expect(typeof EventSource).toBe('undefined');
    const stream = defineStream(freshUrl(), { transport: 'eventsource' });
    const { result } = renderHook(() => useSseStatus(stream), { wrapper: ({ children }) => <SseProvider>{children}</SseProvider> });
    expect(result.current.status).toBe('closed');
    expect(result.current.error).toMatchObject({ kind: 'unsupported' });
    expect(result.current.error?.message).toMatch(/transport: 'fetch'/);
  });

  it('uses the fetch transport by default where there is no EventSource (Node, React Native)', () => {
    expect(typeof EventSource).toBe('undefined');
    const url = freshUrl();
    const { result } = renderHook(() => useSsePool(), {
      wrapper: ({ children }) => (
        <SseProvider>
          <Probe url={url} />
          {children}
        </SseProvider>
      ),
    });
    expect(result.current.find((e) => e.url.endsWith(url))?.transport).toBe('fetch');
  });
});

function Probe({ url }: { url: string }) {
  useSseStatus(url);
  return null;
}

describe('resume point', () => {
  it('resumes from an id the transport reported without an event (an id-only block)', async () => {
    const url = freshUrl();
    const attempts: { lastEventId: string | undefined; callbacks: TransportCallbacks }[] = [];
    const transport: Transport = {
      name: 'stub',
      connect(request, callbacks) {
        attempts.push({ lastEventId: request.lastEventId, callbacks });
        return { listen() {}, unlisten() {}, close() {} };
      },
    };
    const wrapper = ({ children }: { children: ReactNode }) => (
      <SseProvider transport={transport} defaults={{ retry: { initialDelayMs: 10, minDelayMs: 0, jitter: false } }}>
        {children}
      </SseProvider>
    );
    const { result } = renderHook(() => useEventStream(url), { wrapper });
    act(() => {
      attempts[0]!.callbacks.open();
      attempts[0]!.callbacks.event('message', '1', '1');
      attempts[0]!.callbacks.id?.('2');
      attempts[0]!.callbacks.failure({ retry: 'backoff', error: undefined });
    });
    await act(() => vi.advanceTimersByTimeAsync(10));
    expect(attempts.map((a) => a.lastEventId)).toEqual([undefined, '2']);
    expect(result.current.events.map((e) => e.data)).toEqual([1]);
  });
});
