// Under exactOptionalPropertyTypes a wrapper forwards its own optional props as they are:
// `{ lingerMs: props.lingerMs }` is `{ lingerMs: undefined }` when the prop is not given. Every
// option set to undefined must mean what leaving it out means: the default (or the provider's).
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSseClient,
  defineStream,
  SseProvider,
  useEventReducer,
  useEventStream,
  useLatestEvent,
  useSseEvent,
  useSseStatus,
  type SseProviderProps,
} from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { freshUrl } from './helpers';

let mock: MockTransport;
beforeEach(() => {
  vi.useFakeTimers();
  mock = createMockTransport();
});
afterEach(() => {
  vi.useRealTimers();
});

function wrapperFor(props: Omit<SseProviderProps, 'children' | 'transport'>) {
  return ({ children }: { children: ReactNode }) => (
    <SseProvider transport={mock} {...props}>
      {children}
    </SseProvider>
  );
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('lingerMs: undefined', () => {
  it('on the provider: the connection outlives its last subscriber by 1000 ms, not 0', async () => {
    const url = freshUrl();
    const other = freshUrl('other');
    // The provider stays mounted; its only hook moves to another stream.
    const { rerender } = renderHook(({ on }) => useSseStatus(on ? url : other), {
      wrapper: wrapperFor({ lingerMs: undefined }),
      initialProps: { on: true },
    });
    expect(mock.connections(url)).toBe(1);
    rerender({ on: false });
    await advance(999);
    expect(mock.connections(url)).toBe(1);
    await advance(1);
    expect(mock.connections(url)).toBe(0);
  });

  it('on createSseClient: the connection outlives its last subscriber by 1000 ms, not 0', () => {
    const client = createSseClient({ transport: mock, lingerMs: undefined, maxConnectionsPerOrigin: undefined, defaults: undefined });
    const url = freshUrl();
    const stop = client.subscribe(url, { events: undefined, onEvent: undefined, onStatus: undefined });
    expect(mock.connections(url)).toBe(1);
    stop();
    vi.advanceTimersByTime(999);
    expect(mock.connections(url)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(mock.connections(url)).toBe(0);
    client.dispose();
  });
});

describe("a stream option set to undefined keeps the provider's default", () => {
  it('retry fields: the provider’s initialDelayMs, jitter, minDelayMs and maxAttempts apply', async () => {
    const url = freshUrl();
    const stream = defineStream(url, {
      retry: { initialDelayMs: undefined, maxDelayMs: undefined, factor: undefined, jitter: undefined, maxAttempts: undefined, minDelayMs: undefined },
    });
    const defaults = { retry: { initialDelayMs: 100, minDelayMs: 0, jitter: false, maxAttempts: 1 } };
    const { result } = renderHook(() => useSseStatus(stream), { wrapper: wrapperFor({ defaults }) });
    act(() => mock.fail(url));
    await advance(99);
    expect(mock.requests(url)).toHaveLength(1);
    await advance(1);
    expect(mock.requests(url)).toHaveLength(2);
    act(() => mock.fail(url));
    expect(result.current.status).toBe('closed');
    expect(result.current.error?.kind).toBe('max-attempts');
  });

  it('retry fields with no provider default: the library’s (1000 ms, no more than 30 s, retried for ever)', async () => {
    const url = freshUrl();
    const stream = defineStream(url, { retry: { initialDelayMs: undefined, jitter: false, maxAttempts: undefined, minDelayMs: undefined } });
    const { result } = renderHook(() => useSseStatus(stream), { wrapper: wrapperFor({}) });
    act(() => mock.fail(url));
    await advance(999);
    expect(mock.requests(url)).toHaveLength(1);
    await advance(1);
    expect(mock.requests(url)).toHaveLength(2);
    for (let i = 0; i < 10; i++) {
      act(() => mock.fail(url));
      await advance(30_000);
    }
    expect(mock.requests(url)).toHaveLength(12);
    expect(result.current.status).not.toBe('closed');
  });

  it('connection options: the provider’s headers and withCredentials are sent', () => {
    const url = freshUrl();
    const stream = defineStream(url, { headers: undefined, withCredentials: undefined, method: undefined, body: undefined, transport: undefined });
    const defaults = { headers: { Authorization: 'Bearer t' }, withCredentials: true };
    renderHook(() => useSseStatus(stream), { wrapper: wrapperFor({ defaults }) });
    const [request] = mock.requests(url);
    expect(request?.headers).toEqual({ Authorization: 'Bearer t' });
    expect(request?.withCredentials).toBe(true);
    expect(request?.method).toBe('GET');
  });

  it('a hook’s events: undefined listens to the descriptor’s events', () => {
    const url = freshUrl();
    const stream = defineStream<{ tick: number }>(url, { events: ['tick'] });
    const { result } = renderHook(() => useEventStream(stream, { events: undefined }), { wrapper: wrapperFor({}) });
    act(() => mock.emit(url, 'tick', 1));
    expect(result.current.events.map((e) => e.data)).toEqual([1]);
  });

  it('a descriptor with every option undefined shares the connection of one with none', () => {
    const url = freshUrl();
    const bare = defineStream(url);
    const undefinedOptions = defineStream(url, {
      events: undefined,
      headers: undefined,
      retry: { maxAttempts: undefined },
      endOn: undefined,
      idleTimeoutMs: undefined,
      pauseWhenHidden: undefined,
      lastEventIdParam: undefined,
      maxEventBytes: undefined,
      finite: undefined,
      parse: undefined,
      schemas: undefined,
    });
    const { result } = renderHook(() => [useEventStream(bare), useEventStream(undefinedOptions)], { wrapper: wrapperFor({}) });
    expect(mock.requests(url)).toHaveLength(1);
    act(() => mock.emit(url, 'message', 1));
    expect(result.current.map((r) => r.events.length)).toEqual([1, 1]);
  });
});

describe('hook options set to undefined', () => {
  it('bufferSize: undefined keeps the default 100 events', () => {
    const url = freshUrl();
    const { result } = renderHook(() => useEventStream<number>(url, { bufferSize: undefined }), { wrapper: wrapperFor({}) });
    act(() => {
      for (let i = 1; i <= 101; i++) mock.emit(url, 'message', i);
    });
    expect(result.current.events).toHaveLength(100);
    expect(result.current.events[0]?.data).toBe(2);
  });

  it('enabled: undefined connects, in every hook that takes it', () => {
    const url = freshUrl();
    const handled: unknown[] = [];
    const { result } = renderHook(
      () => ({
        stream: useEventStream(url, { enabled: undefined }),
        latest: useLatestEvent(url, 'message', { enabled: undefined, select: undefined, isEqual: undefined }),
        reducer: useEventReducer(url, (n: number) => n + 1, 0, { enabled: undefined, events: undefined }),
        handler: useSseEvent(url, 'message', (e) => handled.push(e.data), { enabled: undefined }),
      }),
      { wrapper: wrapperFor({}) },
    );
    expect(mock.requests(url)).toHaveLength(1);
    act(() => mock.emit(url, 'message', 7));
    expect(result.current.stream.status).toBe('open');
    expect(result.current.latest.status).toBe('open');
    expect(result.current.latest.data).toBe(7);
    expect(result.current.reducer.state).toBe(1);
    expect(handled).toEqual([7]);
  });
});
