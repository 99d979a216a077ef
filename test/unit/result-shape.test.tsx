import { act, render, renderHook } from '@testing-library/react';
import { StrictMode, Suspense, startTransition, useState, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSseClient, defineStream, SseProvider, useEventReducer, useEventStream, useLatestEvent, useSseStatus, type StreamState } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';
import { createRenderCounter, freshUrl } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const retry = { initialDelayMs: 10, minDelayMs: 0, jitter: false };

/** Every hook, reading the stream's 'message' events (useSseStatus reads none). */
const hooks: Array<[string, (stream: ReturnType<typeof defineStream>) => StreamState]> = [
  ['useSseStatus', (stream) => useSseStatus(stream)],
  ['useEventStream', (stream) => useEventStream(stream)],
  ['useLatestEvent', (stream) => useLatestEvent(stream, 'message')],
  ['useEventReducer', (stream) => useEventReducer(stream, (n: number) => n + 1, 0)],
];

describe.each(hooks)('%s returns the base StreamState, live', (name, useHook) => {
  function setup() {
    const url = freshUrl();
    const stream = defineStream(url, { retry });
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: ReactNode }) => <SseProvider transport={mock}>{children}</SseProvider>;
    const { result, rerender } = renderHook(() => useHook(stream), { wrapper });
    return { url, mock, result, rerender };
  }

  it('retryCount counts failures; lastEventId follows the stream', () => {
    const { url, mock, result } = setup();
    expect(result.current).toMatchObject({ status: 'connecting', error: undefined, retryCount: 0, lastEventId: undefined });
    act(() => mock.open(url));
    act(() => mock.emit(url, 'message', 1, { id: '5' }));
    // useSseStatus never renders for an event: it shows the id with its next change.
    if (name !== 'useSseStatus') expect(result.current.lastEventId).toBe('5');
    act(() => mock.fail(url, { status: 503 }));
    expect(result.current).toMatchObject({ status: 'reconnecting', retryCount: 1, lastEventId: '5' });
    expect(result.current.error).toMatchObject({ kind: 'http', status: 503 });
    act(() => vi.advanceTimersByTime(10));
    act(() => mock.fail(url, { status: 503 }));
    expect(result.current.retryCount).toBe(2);
  });

  it('reconnect() reconnects the shared connection and close() closes it, both the same functions on every render', () => {
    const { url, mock, result, rerender } = setup();
    const { reconnect, close } = result.current;
    act(() => mock.open(url));
    rerender();
    expect(result.current.reconnect).toBe(reconnect);
    expect(result.current.close).toBe(close);
    act(() => result.current.close());
    expect(result.current.status).toBe('closed');
    expect(mock.connections(url)).toBe(0);
    act(() => result.current.reconnect());
    expect(mock.requests(url)).toHaveLength(2);
    expect(result.current).toMatchObject({ status: 'connecting', retryCount: 0 });
    // From a backoff too: at once, with a fresh retry budget.
    act(() => mock.fail(url, { status: 503 }));
    expect(result.current.retryCount).toBe(1);
    act(() => result.current.reconnect());
    expect(mock.requests(url)).toHaveLength(3);
    expect(result.current).toMatchObject({ status: 'connecting', retryCount: 0 });
  });

  it('is the same object until something it shows changes', () => {
    const { url, mock, result, rerender } = setup();
    act(() => mock.open(url));
    const shown = result.current;
    rerender();
    rerender();
    expect(result.current).toBe(shown);
    act(() => mock.fail(url));
    expect(result.current).not.toBe(shown);
  });
});

describe('useSseStatus', () => {
  it('still renders for no event, ids included', () => {
    const url = freshUrl();
    const renders = createRenderCounter();
    function Status() {
      renders.hit('status');
      useSseStatus(url);
      return null;
    }
    function Reader() {
      useLatestEvent(url, 'message');
      return null;
    }
    const mock = createMockTransport();
    render(
      <SseProvider transport={mock}>
        <Status />
        <Reader />
      </SseProvider>,
    );
    act(() => mock.open(url));
    const base = renders.get('status');
    act(() => mock.emit(url, 'message', 1, { id: '1' }));
    act(() => mock.emit(url, 'message', 2, { id: '2' }));
    expect(renders.get('status')).toBe(base);
  });
});

describe('useLatestEvent selection', () => {
  it('a re-render with a new inline select shows the current event selected by it', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: ReactNode }) => <SseProvider transport={mock}>{children}</SseProvider>;
    const { result, rerender } = renderHook(
      ({ field }: { field: 'a' | 'b' }) => useLatestEvent<{ a: number; b: number }, number>(url, 'message', { select: (d) => d[field] }),
      { wrapper, initialProps: { field: 'a' as 'a' | 'b' } },
    );
    act(() => mock.emit(url, 'message', { a: 1, b: 2 }));
    expect(result.current.data).toBe(1);
    rerender({ field: 'b' });
    expect(result.current.data).toBe(2);
  });

  it('a stable select runs once per new event: not for re-renders nor status changes', () => {
    const url = freshUrl();
    const select = vi.fn((d: { a: number }) => d.a);
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: ReactNode }) => <SseProvider transport={mock}>{children}</SseProvider>;
    const { result, rerender } = renderHook(() => useLatestEvent(url, 'message', { select }), { wrapper });
    act(() => mock.emit(url, 'message', { a: 1 }));
    act(() => mock.emit(url, 'message', { a: 2 }));
    expect(select).toHaveBeenCalledTimes(2);
    rerender();
    rerender();
    act(() => mock.fail(url));
    expect(result.current).toMatchObject({ data: 2, status: 'reconnecting' });
    expect(select).toHaveBeenCalledTimes(2);
  });

  it('isEqual keeps the data object and the event it came with, across events and status changes', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: ReactNode }) => <SseProvider transport={mock}>{children}</SseProvider>;
    const select = (d: { a: number; b: number }) => ({ a: d.a });
    const isEqual = (x: { a: number }, y: { a: number }) => x.a === y.a;
    const { result } = renderHook(() => useLatestEvent(url, 'message', { select, isEqual }), { wrapper });
    act(() => mock.emit(url, 'message', { a: 1, b: 1 }));
    const { data, event } = result.current;
    act(() => mock.emit(url, 'message', { a: 1, b: 2 }));
    act(() => mock.fail(url));
    expect(result.current.status).toBe('reconnecting');
    expect(result.current.data).toBe(data);
    expect(result.current.event).toBe(event);
    act(() => vi.advanceTimersByTime(60_000));
    act(() => mock.emit(url, 'message', { a: 2, b: 2 }));
    expect(result.current.data).toEqual({ a: 2 });
  });
});

describe('useEventStream bufferSize', () => {
  it('a render that is thrown away changes nothing: the committed bufferSize still decides what is kept', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const never = new Promise<never>(() => {});
    let update: (next: { size: number; hold: boolean }) => void = () => {};
    function Gate({ hold }: { hold: boolean }) {
      if (hold) throw never;
      return null;
    }
    function Feed({ size }: { size: number }) {
      const { events } = useEventStream<number>(url, { bufferSize: size });
      return <p>{events.map((e) => e.data).join(',')}</p>;
    }
    function App() {
      const [props, setProps] = useState({ size: 5, hold: false });
      update = setProps;
      return (
        <Suspense fallback="loading">
          <Feed size={props.size} />
          <Gate hold={props.hold} />
        </Suspense>
      );
    }
    const { container } = render(
      <SseProvider transport={mock}>
        <App />
      </SseProvider>,
    );
    act(() => [1, 2, 3, 4, 5].forEach((n) => mock.emit(url, 'message', n)));
    expect(container.textContent).toBe('1,2,3,4,5');
    // A transition renders Feed with bufferSize 2, then suspends: React keeps showing the old tree.
    act(() => startTransition(() => update({ size: 2, hold: true })));
    expect(container.textContent).toBe('1,2,3,4,5');
    // The committed Feed (bufferSize 5) renders the next event: none of the five was dropped.
    act(() => mock.emit(url, 'message', 6));
    expect(container.textContent).toBe('2,3,4,5,6');
  });

  it('under StrictMode, a smaller bufferSize shows and keeps the newest events', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    function Feed({ size }: { size: number }) {
      const { events } = useEventStream<number>(url, { bufferSize: size });
      return <p>{events.map((e) => e.data).join(',')}</p>;
    }
    const app = (size: number) => (
      <StrictMode>
        <SseProvider transport={mock}>
          <Feed size={size} />
        </SseProvider>
      </StrictMode>
    );
    const { container, rerender } = render(app(4));
    act(() => [1, 2, 3, 4, 5].forEach((n) => mock.emit(url, 'message', n)));
    expect(container.textContent).toBe('2,3,4,5');
    rerender(app(2));
    expect(container.textContent).toBe('4,5');
    rerender(app(4));
    expect(container.textContent).toBe('4,5');
    act(() => [6, 7].forEach((n) => mock.emit(url, 'message', n)));
    expect(container.textContent).toBe('4,5,6,7');
  });
});

describe('client.subscribe onStatus', () => {
  it('gets the same StreamState: the last id, and reconnect() acting on the shared connection', () => {
    const url = freshUrl('client-shape');
    const mock = createMockTransport();
    const client = createSseClient({ transport: mock });
    const states: StreamState[] = [];
    const stop = client.subscribe(url, { onStatus: (_status, state) => states.push(state) });
    mock.emit(url, 'message', 1, { id: '9' });
    mock.fail(url);
    // Reported on a change of status: the id as of that change.
    const lost = states.at(-1)!;
    expect(lost).toMatchObject({ status: 'reconnecting', retryCount: 1, lastEventId: '9' });
    lost.reconnect();
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('9');
    states.at(-1)!.close();
    expect(states.at(-1)!.status).toBe('closed');
    stop();
    client.dispose();
  });
});
