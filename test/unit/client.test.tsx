import { act, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSseClient, defineStream, SseError, SseProvider, useEventReducer, useLatestEvent, type SseEvent, type SseClient } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { freshUrl, createRenderCounter } from './helpers';
import { ConnectionPool } from '../../src/core/client/pool';
import { createNotifyScheduler } from '../../src/core/scheduling/notify-scheduler';
import { EventBufferObserver } from '../../src/core/client/view-observers';

const act_ = (on: boolean) => ((globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = on);

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
});

/** Drains an async iterator in the background, recording what it yields and how it ended. */
function drain<T>(iterable: AsyncIterable<T>) {
  const seen: T[] = [];
  const ended: { how?: 'returned' | 'threw'; error?: unknown } = {};
  void (async () => {
    try {
      for await (const item of iterable) seen.push(item);
      ended.how = 'returned';
    } catch (error) {
      ended.how = 'threw';
      ended.error = error;
    }
  })();
  return { seen, ended };
}

/** Lets the iterator's awaits run (they are promise jobs, not timers). */
const flush = () => act(async () => {});

describe('createSseClient().subscribe', () => {
  it('opens one connection for two subscribers, delivers events in order, and closes lingerMs after the last leaves', () => {
    const url = freshUrl();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = client.subscribe<number>(url, { onEvent: (e) => a.push(e.data) });
    const stopB = client.subscribe<number>(url, { onEvent: (e) => b.push(e.data) });
    expect(mock.requests(url)).toHaveLength(1);
    mock.open(url);
    mock.emit(url, 'message', 1);
    mock.emit(url, 'message', 2);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 2]);
    stopA();
    stopA(); // idempotent: must not remove B's hold
    expect(mock.connections(url)).toBe(1);
    stopB();
    vi.advanceTimersByTime(99);
    expect(mock.connections(url)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(mock.connections(url)).toBe(0);
  });

  it('reports the current status at once, then every change', () => {
    const url = freshUrl();
    const statuses: string[] = [];
    client.subscribe(url, { onStatus: (status) => statuses.push(status) });
    mock.open(url);
    mock.fail(url, { status: 500 });
    client.close(url);
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'closed']);
  });

  it('a throwing callback does not keep the event from other subscribers; its error surfaces on a macrotask', () => {
    const url = freshUrl();
    const other: unknown[] = [];
    client.subscribe(url, {
      onEvent: () => {
        throw new Error('boom');
      },
    });
    client.subscribe(url, { onEvent: (e) => other.push(e.data) });
    mock.open(url);
    mock.emit(url, 'message', 3);
    expect(other).toEqual([3]);
    expect(() => vi.runOnlyPendingTimers()).toThrow('boom');
  });

  it('listens only to the event types asked for (and to where [DONE] comes), typed from the descriptor', () => {
    const url = freshUrl();
    const stream = defineStream<{ tick: { n: number }; halt: string }>(url, { events: ['tick', 'halt'] });
    const ticks: number[] = [];
    client.subscribe(stream, { events: ['tick'], onEvent: (e) => ticks.push(e.data.n) });
    expect(mock.listening(url).sort()).toEqual(['message', 'tick']);
    mock.open(url);
    mock.emit(url, 'tick', { n: 1 });
    mock.emit(url, 'halt', 'stop');
    expect(ticks).toEqual([1]);
  });

  it('close() and reconnect() act on the shared connection', () => {
    const url = freshUrl();
    let status = '';
    client.subscribe(url, { onStatus: (s) => (status = s) });
    mock.open(url);
    client.close(url);
    expect(status).toBe('closed');
    expect(mock.connections(url)).toBe(0);
    client.reconnect(url);
    expect(mock.requests(url)).toHaveLength(2);
    expect(status).toBe('connecting');
  });

  it('entries() lists the connections; dispose() closes them all', () => {
    const url = freshUrl();
    client.subscribe(url, {});
    mock.open(url);
    expect(client.entries()).toMatchObject([{ url: expect.stringContaining(url), status: 'open', subscribers: 1 }]);
    client.dispose();
    expect(mock.connections(url)).toBe(0);
    expect(client.entries()).toEqual([]);
  });
});

describe('createSseClient().events', () => {
  it('yields every event in order, queued while the consumer is busy, and returns when a finite stream ends', async () => {
    const url = freshUrl();
    const stream = defineStream(url, { finite: true });
    const { seen, ended } = drain(client.events(stream));
    await flush();
    mock.open(url);
    for (let n = 1; n <= 5; n++) mock.emit(url, 'message', n);
    mock.end(url);
    await flush();
    expect(seen.map((e) => e.data)).toEqual([1, 2, 3, 4, 5]);
    expect(ended.how).toBe('returned');
    vi.advanceTimersByTime(100);
    expect(mock.connections(url)).toBe(0);
    expect(mock.requests(url)).toHaveLength(1);
  });

  it('subscribes only when read, and unsubscribes when the consumer breaks out', async () => {
    const url = freshUrl();
    const iterator = client.events<number>(url);
    expect(mock.requests(url)).toHaveLength(0);
    const first = iterator.next();
    await flush();
    expect(mock.requests(url)).toHaveLength(1);
    mock.open(url);
    mock.emit(url, 'message', 7);
    expect((await first).value?.data).toBe(7);
    await iterator.return?.();
    vi.advanceTimersByTime(100);
    expect(mock.connections(url)).toBe(0);
  });

  it('an aborted signal ends the iteration at once, without the events still queued', async () => {
    const url = freshUrl();
    const controller = new AbortController();
    const iterator = client.events<number>(url, { signal: controller.signal });
    const first = iterator.next();
    await flush();
    mock.open(url);
    mock.emit(url, 'message', 1);
    mock.emit(url, 'message', 2);
    expect((await first).value?.data).toBe(1);
    controller.abort();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    vi.advanceTimersByTime(100);
    expect(mock.connections(url)).toBe(0);
  });

  it('a signal aborted before the first read never connects', async () => {
    const url = freshUrl();
    const controller = new AbortController();
    controller.abort();
    const { ended } = drain(client.events(url, { signal: controller.signal }));
    await flush();
    expect(ended.how).toBe('returned');
    expect(mock.requests(url)).toHaveLength(0);
  });

  it('throws when the stream closes with an error: an SseError with its fields, whose cause is the StreamError', async () => {
    const url = freshUrl();
    const { seen, ended } = drain(client.events(url));
    await flush();
    mock.open(url);
    mock.emit(url, 'message', 1);
    mock.fail(url, { status: 401 });
    await flush();
    expect(seen).toHaveLength(1);
    expect(ended.how).toBe('threw');
    expect(ended.error).toBeInstanceOf(SseError);
    expect(ended.error).toMatchObject({ name: 'SseError', kind: 'http', status: 401 });
    expect((ended.error as SseError).cause).toMatchObject({ kind: 'http', status: 401 });
    expect((ended.error as SseError).message).toBe((ended.error as SseError).cause.message);
  });

  it('keeps reading through a reconnect (nothing lost, nothing repeated)', async () => {
    const url = freshUrl();
    const { seen, ended } = drain(client.events<number>(url));
    await flush();
    mock.open(url);
    mock.emit(url, 'message', 1, { id: '1' });
    mock.fail(url);
    vi.advanceTimersByTime(60_000);
    mock.open(url);
    expect(mock.requests(url).at(-1)?.lastEventId).toBe('1');
    mock.emit(url, 'message', 2, { id: '2' });
    await flush();
    expect(seen.map((e: SseEvent<number>) => e.data)).toEqual([1, 2]);
    expect(ended.how).toBeUndefined();
  });
});

describe('<SseProvider client>', () => {
  it('components and code outside React share one connection', () => {
    const url = freshUrl();
    const outside: unknown[] = [];
    client.subscribe(url, { onEvent: (e) => outside.push(e.data) });
    function Latest() {
      return <span>{String(useLatestEvent<number>(url, 'message').data ?? '-')}</span>;
    }
    const { getByText } = render(
      <StrictMode>
        <SseProvider client={client}>
          <Latest />
        </SseProvider>
      </StrictMode>,
    );
    act(() => mock.open(url));
    act(() => mock.emit(url, 'message', 42));
    expect(getByText('42')).toBeTruthy();
    expect(outside).toEqual([42]);
    expect(mock.requests(url)).toHaveLength(1);
  });

  it('unmounting the provider leaves the given client and its connections alone', () => {
    const url = freshUrl();
    client.subscribe(url, {});
    function Latest() {
      useLatestEvent(url, 'message');
      return null;
    }
    const { unmount } = render(
      <SseProvider client={client}>
        <Latest />
      </SseProvider>,
    );
    act(() => mock.open(url));
    unmount();
    vi.advanceTimersByTime(10_000);
    expect(mock.connections(url)).toBe(1);
  });

  it('uses the client’s defaults, not its own props', () => {
    const url = freshUrl();
    client.dispose();
    client = createSseClient({ transport: mock, defaults: { headers: { 'X-From': 'client' } } });
    function Latest() {
      useLatestEvent(url, 'message');
      return null;
    }
    render(
      <SseProvider client={client} defaults={{ headers: { 'X-From': 'props' } }}>
        <Latest />
      </SseProvider>,
    );
    expect(mock.requests(url)[0]?.headers).toMatchObject({ 'X-From': 'client' });
  });

  it('anything but a client from createSseClient() throws, saying what to pass', () => {
    // React 18 reports the thrown render error with console.error; React 19 rethrows it and logs nothing.
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => render(<SseProvider client={{} as SseClient} />)).toThrow(/createSseClient\(\)/);
      for (const [message] of error.mock.calls) expect(String(message)).toMatch(/^The above error occurred in the <SseProvider> component/);
    } finally {
      error.mockRestore();
    }
  });
});

describe('useEventReducer', () => {
  it('folds every event once, O(1) per event, and renders once per burst', () => {
    const url = freshUrl();
    const stream = defineStream<{ delta: { text: string } }>(url, { events: ['delta'] });
    const reducer = vi.fn((text: string, e: SseEvent<{ text: string }>) => text + e.data.text);
    const renders = createRenderCounter();
    let result: ReturnType<typeof useEventReducer<{ delta: { text: string } }, string>> | undefined;
    function Completion() {
      renders.hit('c');
      result = useEventReducer(stream, reducer, '');
      return null;
    }
    render(
      <StrictMode>
        <SseProvider transport={mock}>
          <Completion />
        </SseProvider>
      </StrictMode>,
    );
    act(() => mock.open(url));
    const words = Array.from({ length: 50 }, (_, i) => `w${i} `);
    // Five bursts of ten: the work a burst costs must not grow with the events folded before it
    // (re-reading a growing buffer on each render would cost 10, 20, 30… reducer calls).
    for (let burst = 0; burst < 5; burst++) {
      const rendersBefore = renders.get('c');
      const callsBefore = reducer.mock.calls.length;
      act(() => {
        for (const text of words.slice(burst * 10, burst * 10 + 10)) mock.emit(url, 'delta', { text });
      });
      expect(reducer.mock.calls.length - callsBefore).toBe(10);
      // StrictMode renders twice per commit: one commit for the burst.
      expect(renders.get('c') - rendersBefore).toBeLessThanOrEqual(2);
    }
    // Each event folded exactly once, in order.
    expect(reducer.mock.calls.map(([, e]) => e.data.text)).toEqual(words);
    expect(result?.state).toBe(words.join(''));
    act(() => result!.reset());
    expect(result?.state).toBe('');
    act(() => mock.emit(url, 'delta', { text: 'again' }));
    expect(result?.state).toBe('again');
  });

  it('uses the newest reducer; one that throws keeps the previous state and the stream', () => {
    const url = freshUrl();
    let result: { state: number; status: string } | undefined;
    function Counter({ step }: { step: number }) {
      result = useEventReducer<unknown, number>(
        url,
        (n, e) => {
          if (e.data === 0) throw new Error('bad event');
          return n + step;
        },
        0,
      );
      return null;
    }
    const { rerender } = render(
      <SseProvider transport={mock}>
        <Counter step={1} />
      </SseProvider>,
    );
    act(() => mock.open(url));
    act(() => mock.emit(url, 'message', 1));
    expect(result?.state).toBe(1);
    rerender(
      <SseProvider transport={mock}>
        <Counter step={10} />
      </SseProvider>,
    );
    act(() => mock.emit(url, 'message', 1));
    expect(result?.state).toBe(11);
    act(() => mock.emit(url, 'message', 0));
    expect(result).toMatchObject({ state: 11, status: 'open' });
    expect(() => vi.runOnlyPendingTimers()).toThrow('bad event');
    act(() => mock.emit(url, 'message', 1));
    expect(result?.state).toBe(21);
  });

  it('enabled: false holds no connection and keeps the state', () => {
    const url = freshUrl();
    let result: { state: number; status: string } | undefined;
    function Counter({ enabled }: { enabled: boolean }) {
      result = useEventReducer<unknown, number>(url, (n) => n + 1, 0, { enabled });
      return null;
    }
    const { rerender } = render(
      <SseProvider transport={mock} lingerMs={0}>
        <Counter enabled />
      </SseProvider>,
    );
    act(() => mock.open(url));
    act(() => mock.emit(url, 'message', 1));
    rerender(
      <SseProvider transport={mock} lingerMs={0}>
        <Counter enabled={false} />
      </SseProvider>,
    );
    act(() => vi.advanceTimersByTime(1));
    expect(mock.connections(url)).toBe(0);
    expect(result).toMatchObject({ state: 1, status: 'paused' });
  });
});

describe('endOn with named event types', () => {
  it('a stream read only by a named type still sees `data: [DONE]` (an unnamed event) and finishes', () => {
    const url = freshUrl();
    const stream = defineStream<{ tick: number }>(url, { events: ['tick'], finite: true });
    const statuses: string[] = [];
    client.subscribe(stream, { onStatus: (s) => statuses.push(s) });
    mock.open(url);
    mock.emit(url, 'tick', 1);
    mock.emit(url, 'message', '[DONE]');
    expect(statuses.at(-1)).toBe('closed');
    expect(client.entries()[0]?.error).toBeUndefined();
  });

  it('endOn: false listens to the named types only', () => {
    const url = freshUrl();
    client.subscribe(defineStream<{ tick: number }>(url, { events: ['tick'], endOn: false }), {});
    expect(mock.listening(url)).toEqual(['tick']);
  });
});

describe('events() on a finished stream', () => {
  it('a new iteration of a finite stream that ended is a new request; a closed one stays closed', async () => {
    const url = freshUrl();
    const stream = defineStream(url, { finite: true });
    const first = drain(client.events(stream));
    await flush();
    mock.open(url);
    mock.emit(url, 'message', 1);
    mock.end(url);
    await flush();
    expect(first.ended.how).toBe('returned');
    const second = drain(client.events(stream));
    await flush();
    expect(mock.requests(url)).toHaveLength(2);
    mock.open(url);
    mock.emit(url, 'message', 2);
    mock.end(url);
    await flush();
    expect(second.seen.map((e) => e.data)).toEqual([2]);
    client.close(stream);
    const third = drain(client.events(stream));
    await flush();
    expect(third.ended.how).toBe('returned');
    expect(mock.requests(url)).toHaveLength(2);
  });
});

describe('function options', () => {
  it('a component and the client on a descriptor with a headers() and body() function share one connection, and close() reaches it', () => {
    const url = freshUrl();
    const stream = defineStream(url, { headers: () => ({ Authorization: 'Bearer t' }), body: () => '{"q":1}', method: 'POST' });
    function Latest() {
      useLatestEvent(stream, 'message');
      return null;
    }
    render(
      <SseProvider client={client}>
        <Latest />
      </SseProvider>,
    );
    const seen: unknown[] = [];
    client.subscribe(stream, { onEvent: (e) => seen.push(e.data) });
    expect(mock.requests(url)).toHaveLength(1);
    expect(client.entries()).toHaveLength(1);
    act(() => mock.open(url));
    act(() => mock.emit(url, 'message', 5));
    expect(seen).toEqual([5]);
    act(() => client.close(stream));
    expect(client.entries()[0]?.status).toBe('closed');
  });

  it('function defaults of the client give components and client calls the same key', () => {
    const url = freshUrl();
    client.dispose();
    client = createSseClient({ transport: mock, defaults: { headers: () => ({ 'X-Token': 'a' }) } });
    function Latest() {
      useLatestEvent(url, 'message');
      return null;
    }
    render(
      <SseProvider client={client}>
        <Latest />
      </SseProvider>,
    );
    client.subscribe(url, {});
    expect(mock.requests(url)).toHaveLength(1);
    expect(client.entries()[0]?.subscribers).toBe(2);
  });
});

describe('review fixes', () => {
  it('dispose() ends every iterator and reports closed to subscribers and components', async () => {
    const url = freshUrl();
    const statuses: string[] = [];
    client.subscribe(url, { onStatus: (s) => statuses.push(s) });
    const iteration = drain(client.events(url));
    let shown = '';
    function Status() {
      shown = useLatestEvent(url, 'message').status;
      return null;
    }
    render(
      <SseProvider client={client}>
        <Status />
      </SseProvider>,
    );
    await flush();
    act(() => mock.open(url));
    act(() => client.dispose());
    await flush();
    expect(statuses.at(-1)).toBe('closed');
    expect(iteration.ended.how).toBe('returned');
    expect(shown).toBe('closed');
  });

  it('a buffer that resubscribes before a frame keeps the events of that frame', () => {
    act_(false);
    try {
      const url = freshUrl();
      const flushes: Array<() => void> = [];
      const pool = new ConnectionPool({ transport: mock }, { scheduler: createNotifyScheduler((f) => flushes.push(f)), crossTab: null });
      const view = new EventBufferObserver(pool, pool.resolve(url), ['message'], 10);
      const stop = view.subscribe(() => {}, true);
      mock.open(url);
      for (const n of [1, 2, 3]) mock.emit(url, 'message', n);
      flushes.splice(0).forEach((f) => f());
      for (const n of [4, 5]) mock.emit(url, 'message', n);
      stop();
      view.subscribe(() => {}, true);
      mock.emit(url, 'message', 6);
      expect(view.events().map((e) => e.data)).toEqual([1, 2, 3, 4, 5, 6]);
      // Growing bufferSize in a burst that outran the old size (10): the newest 10 of the burst, then
      // what came after, with no gap — not only the events since the resize.
      for (let n = 7; n <= 60; n++) mock.emit(url, 'message', n);
      view.resize(100);
      mock.emit(url, 'message', 61);
      expect(view.events().map((e) => e.data)).toEqual(Array.from({ length: 11 }, (_, i) => 51 + i));
      pool.dispose();
    } finally {
      act_(true);
    }
  });

  it('events() on a finished stream that components still show ends at once: the answer is not re-sent', async () => {
    const url = freshUrl();
    const chat = defineStream(url, { method: 'POST', body: '{"q":1}' });
    let text = '';
    function Answer() {
      text = useEventReducer(chat, (t: string, e) => t + (e.data as { t: string }).t, '').state;
      return null;
    }
    render(
      <SseProvider client={client}>
        <Answer />
      </SseProvider>,
    );
    act(() => mock.open(url));
    act(() => mock.emit(url, 'message', { t: 'A' }));
    act(() => mock.end(url));
    const again = drain(client.events(chat));
    await flush();
    expect(again.ended.how).toBe('returned');
    expect(mock.requests(url)).toHaveLength(1);
    expect(text).toBe('A');
  });

  it('a subscriber whose events array is changed afterwards still leaves cleanly', () => {
    const url = freshUrl();
    const events = ['a'];
    const seen: unknown[] = [];
    const stop = client.subscribe(url, { events, onEvent: (e) => seen.push(e.data) });
    client.subscribe(url, { events: ['a'] }); // keeps the connection open
    mock.open(url);
    events.push('b');
    stop();
    mock.emit(url, 'a', 1);
    expect(seen).toEqual([]);
  });

  it('a provider that loses its client makes its own pool instead of failing', () => {
    const url = freshUrl();
    const own = createMockTransport();
    function Latest() {
      return <span>{String(useLatestEvent<number>(url, 'message').data ?? '-')}</span>;
    }
    const { rerender, container } = render(
      <SseProvider client={client}>
        <Latest />
      </SseProvider>,
    );
    act(() => mock.open(url));
    act(() => mock.emit(url, 'message', 1));
    expect(container.textContent).toBe('1');
    rerender(
      <SseProvider transport={own}>
        <Latest />
      </SseProvider>,
    );
    // The component now reads a connection of a pool made from the provider's own props…
    expect(own.requests(url)).toHaveLength(1);
    act(() => own.open(url));
    act(() => own.emit(url, 'message', 2));
    expect(container.textContent).toBe('2');
    // …and no longer holds the client's.
    expect(client.entries().find((entry) => entry.url.endsWith(url))?.subscribers ?? 0).toBe(0);
  });
});
