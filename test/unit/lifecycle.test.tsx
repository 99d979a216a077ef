import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineStream, SseProvider, useEventStream, useSsePool, useSseStatus, type Transport, type TransportCallbacks } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { freshUrl } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const wrapperFor =
  (mock: MockTransport, props: { maxConnectionsPerOrigin?: number } = {}) =>
  ({ children }: { children: ReactNode }) => (
    <SseProvider transport={mock} {...props}>
      {children}
    </SseProvider>
  );

describe('finite streams', () => {
  it('a POST stream that ends is finished for good: closed, no error, never re-sent', async () => {
    const mock = createMockTransport();
    const url = freshUrl('completion');
    const completion = defineStream<{ message: { text: string } }>(url, { method: 'POST', body: '{"prompt":"hi"}', retry: { maxAttempts: 3 } });
    const { result } = renderHook(() => useEventStream(completion), { wrapper: wrapperFor(mock) });
    act(() => {
      mock.emit(url, 'message', { text: 'Hel' });
      mock.emit(url, 'message', { text: 'lo' });
      mock.end(url);
    });
    await advance(60_000);
    expect(result.current.status).toBe('closed');
    expect(result.current.error).toBeUndefined();
    expect(result.current.events.map((e) => e.data.text).join('')).toBe('Hello');
    expect(mock.requests(url)).toHaveLength(1);
  });

  it('a loss before the end is retried from the last event id, up to maxAttempts', async () => {
    const mock = createMockTransport();
    const url = freshUrl('completion');
    const completion = defineStream(url, { method: 'POST', retry: { initialDelayMs: 500, jitter: false, maxAttempts: 1 } });
    const { result } = renderHook(() => useEventStream(completion), { wrapper: wrapperFor(mock) });
    act(() => mock.emit(url, 'message', 1, { id: '1' }));
    act(() => mock.fail(url));
    await advance(500);
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '1']);
    act(() => mock.fail(url));
    expect(result.current.status).toBe('closed');
    expect(result.current.error?.kind).toBe('max-attempts');
  });

  it("data '[DONE]' ends any stream for good without a parse error (endOn), and is never delivered", async () => {
    const mock = createMockTransport();
    const url = freshUrl('openai');
    const { result } = renderHook(() => useEventStream(url), { wrapper: wrapperFor(mock) });
    act(() => {
      mock.emit(url, 'message', { n: 1 });
      mock.emit(url, 'message', '[DONE]');
    });
    await advance(60_000);
    expect(result.current).toMatchObject({ status: 'closed', error: undefined });
    expect(result.current.events.map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(mock.requests(url)).toHaveLength(1);
    expect(mock.connections(url)).toBe(0);
  });

  it('endOn takes a predicate, and false turns it off', () => {
    const mock = createMockTransport();
    const custom = freshUrl('custom');
    const off = freshUrl('off');
    const a = defineStream(custom, { endOn: (data) => data === 'bye' });
    const b = defineStream(off, { endOn: false, parse: (data) => data });
    const { result } = renderHook(() => [useEventStream(a), useEventStream(b)] as const, { wrapper: wrapperFor(mock) });
    act(() => {
      mock.emit(custom, 'message', 'bye');
      mock.emit(off, 'message', '[DONE]');
    });
    expect(result.current[0].status).toBe('closed');
    expect(result.current[1]).toMatchObject({ status: 'open' });
    expect(result.current[1].events.map((e) => e.data)).toEqual(['[DONE]']);
  });
});

describe('idleTimeoutMs', () => {
  it('treats an open stream that receives nothing as lost, and resumes from the last event id', async () => {
    const mock = createMockTransport();
    const url = freshUrl('silent');
    const stream = defineStream(url, { idleTimeoutMs: 3000, retry: { initialDelayMs: 500, jitter: false } });
    const { result } = renderHook(() => useEventStream(stream), { wrapper: wrapperFor(mock) });
    act(() => mock.emit(url, 'message', 1, { id: '1' }));
    await advance(2000);
    act(() => mock.emit(url, 'message', 2, { id: '2' })); // activity pushes the deadline back
    await advance(2999);
    expect(result.current.status).toBe('open');
    await advance(1);
    expect(result.current.status).toBe('reconnecting');
    expect(result.current.error?.kind).toBe('network');
    expect(mock.connections(url)).toBe(0);
    await advance(500);
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '2']);
    act(() => mock.open(url));
    expect(result.current).toMatchObject({ status: 'open', error: undefined });
  });
});

describe('budget slots follow the lifecycle', () => {
  it('streams waiting out a backoff hold no slot: a healthy fifth opens while four neighbours fail', async () => {
    const mock = createMockTransport();
    const failing = [1, 2, 3, 4].map(() => freshUrl('failing'));
    const healthy = freshUrl('healthy');
    const opts = { retry: { initialDelayMs: 5000, jitter: false } };
    const { result } = renderHook(
      () => {
        failing.forEach((url) => useSseStatus(defineStream(url, opts)));
        return useSseStatus(healthy);
      },
      { wrapper: wrapperFor(mock, { maxConnectionsPerOrigin: 4 }) },
    );
    expect(result.current.status).toBe('queued');
    act(() => failing.forEach((url) => mock.fail(url, { status: 500 })));
    expect(mock.requests(healthy)).toHaveLength(1);
    act(() => mock.open(healthy));
    expect(result.current.status).toBe('open');
    // When their delay ends they queue again, behind streams already waiting.
    await advance(5000);
    expect(failing.map((url) => mock.connections(url))).toEqual([1, 1, 1, 0]);
  });

  it('a slot is given back only once the transport has really closed', async () => {
    const requests: string[] = [];
    let closed!: () => void;
    const slowClose: Transport = {
      name: 'slow-close',
      connect(request, callbacks) {
        requests.push(request.url);
        queueMicrotask(() => callbacks.open());
        return { listen() {}, unlisten() {}, close: () => new Promise<void>((resolve) => (closed = resolve)) };
      },
    };
    const [a, b] = [freshUrl('a'), freshUrl('b')];
    const { result } = renderHook(() => [useEventStream(a), useSseStatus(b)] as const, {
      wrapper: ({ children }) => (
        <SseProvider transport={slowClose} maxConnectionsPerOrigin={1}>
          {children}
        </SseProvider>
      ),
    });
    await advance(0);
    expect(result.current[1].status).toBe('queued');
    act(() => result.current[0].close());
    await advance(1000);
    // a's socket is still closing: b waits.
    expect(requests.map((url) => url.endsWith(b))).toEqual([false]);
    await act(async () => closed());
    expect(requests.map((url) => url.endsWith(b))).toEqual([false, true]);
  });

  it("a superseded attempt's late events and ids are dropped; the new attempt's arrive", async () => {
    const attempts: TransportCallbacks[] = [];
    const resumedFrom: (string | undefined)[] = [];
    const keepsTalking: Transport = {
      name: 'keeps-talking',
      connect(request, callbacks) {
        attempts.push(callbacks);
        resumedFrom.push(request.lastEventId);
        queueMicrotask(() => callbacks.open());
        // close() does not silence it: a transport whose last events were already in flight.
        return { listen() {}, unlisten() {}, close() {} };
      },
    };
    const url = freshUrl('stale');
    const { result } = renderHook(() => useEventStream(url), {
      wrapper: ({ children }) => <SseProvider transport={keepsTalking}>{children}</SseProvider>,
    });
    await advance(0);
    act(() => attempts[0]!.event('message', '1', '1'));
    act(() => result.current.reconnect());
    await advance(0);
    expect(attempts).toHaveLength(2);
    act(() => {
      attempts[0]!.event('message', '99', '99');
      attempts[0]!.id!('98');
      attempts[1]!.event('message', '2', '2');
    });
    expect(result.current.events.map((e) => e.data)).toEqual([1, 2]);
    expect(result.current.lastEventId).toBe('2');
    // An id alone (a comment-only or data-less event) from the old attempt does not move the resume point either.
    act(() => attempts[0]!.id!('97'));
    act(() => result.current.reconnect());
    await advance(0);
    expect(resumedFrom).toEqual([undefined, '1', '2']);
  });

  it('a queued stream shows its place in the queue', () => {
    const mock = createMockTransport();
    const urls = [1, 2, 3].map(() => freshUrl('q'));
    const { result } = renderHook(() => useSsePool(), {
      wrapper: ({ children }) => (
        <SseProvider transport={mock} maxConnectionsPerOrigin={1}>
          <Subscribe urls={urls} />
          {children}
        </SseProvider>
      ),
    });
    expect(result.current.map((e) => [e.status, e.queuePosition])).toEqual([
      ['connecting', undefined],
      ['queued', 1],
      ['queued', 2],
    ]);
  });
});

function Subscribe({ urls }: { urls: string[] }) {
  urls.forEach((url) => useSseStatus(url)); // eslint-disable-line react-hooks/rules-of-hooks -- fixed length
  return null;
}
