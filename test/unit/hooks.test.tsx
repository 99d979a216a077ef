import { act, render, renderHook } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineStream, SseProvider, useEventStream, useLatestEvent, useSseEvent, useSseStatus, useSsePool } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';
import { createRenderCounter, freshUrl, renderWithMock } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useLatestEvent', () => {
  it('re-renders only when the selected value changes', () => {
    const url = freshUrl();
    const renders = createRenderCounter();
    function Price() {
      renders.hit('price');
      const { data } = useLatestEvent<{ symbol: string; price: number }, number>(url, 'tick', { select: (t) => t.price });
      return <span>{data ?? '-'}</span>;
    }
    const { mock, getByText } = renderWithMock(<Price />);
    act(() => mock.open(url));
    const base = renders.get('price');
    act(() => mock.emit(url, 'tick', { symbol: 'A', price: 1 }));
    act(() => mock.emit(url, 'tick', { symbol: 'B', price: 1 }));
    act(() => mock.emit(url, 'tick', { symbol: 'C', price: 1 }));
    expect(renders.get('price')).toBe(base + 1);
    act(() => mock.emit(url, 'tick', { symbol: 'A', price: 2 }));
    expect(renders.get('price')).toBe(base + 2);
    expect(getByText('2')).toBeTruthy();
  });

  it('uses isEqual to compare selections', () => {
    const url = freshUrl();
    const renders = createRenderCounter();
    function Pair() {
      renders.hit('pair');
      const { data } = useLatestEvent<{ a: number; b: number }, { a: number }>(url, 'message', {
        select: (d) => ({ a: d.a }),
        isEqual: (x, y) => x.a === y.a,
      });
      return <span>{data?.a ?? '-'}</span>;
    }
    const { mock } = renderWithMock(<Pair />);
    act(() => mock.open(url));
    const base = renders.get('pair');
    act(() => mock.emit(url, 'message', { a: 1, b: 1 }));
    act(() => mock.emit(url, 'message', { a: 1, b: 2 }));
    act(() => mock.emit(url, 'message', { a: 1, b: 3 }));
    expect(renders.get('pair')).toBe(base + 1);
  });

  it('returns the typed data, the event and its ids', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const { result } = renderHook(() => useLatestEvent<{ n: number }>(url, 'message'), {
      wrapper: ({ children }) => <SseProvider transport={mock}>{children}</SseProvider>,
    });
    expect(result.current.status).toBe('connecting');
    act(() => mock.emit(url, 'message', { n: 3 }, { id: '42' }));
    expect(result.current.data).toEqual({ n: 3 });
    expect(result.current.event).toMatchObject({ type: 'message', id: '42', lastEventId: '42' });
    expect(result.current.status).toBe('open');
  });
});

describe('useEventStream', () => {
  it('keeps at most bufferSize events, oldest dropped first', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const { result } = renderHook(() => useEventStream<number>(url, { bufferSize: 3 }), {
      wrapper: ({ children }) => <SseProvider transport={mock}>{children}</SseProvider>,
    });
    act(() => {
      for (let i = 1; i <= 50; i++) mock.emit(url, 'message', i, { id: String(i) });
    });
    expect(result.current.events.map((e) => e.data)).toEqual([48, 49, 50]);
    expect(result.current.lastEvent?.data).toBe(50);
    expect(result.current.lastEventId).toBe('50');
  });

  it('keeps every event of a burst that arrives in one task', () => {
    const url = freshUrl();
    const renders = createRenderCounter();
    let seen: readonly unknown[] = [];
    function Feed() {
      renders.hit('feed');
      seen = useEventStream<number>(url, { bufferSize: 500 }).events.map((e) => e.data);
      return null;
    }
    const { mock } = renderWithMock(<Feed />);
    act(() => mock.open(url));
    const base = renders.get('feed');
    act(() => {
      for (let i = 0; i < 200; i++) mock.emit(url, 'message', i);
    });
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(renders.get('feed')).toBe(base + 1);
  });

  it('returns stable reconnect/close and closes the stream for every subscriber', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: React.ReactNode }) => <SseProvider transport={mock}>{children}</SseProvider>;
    const { result } = renderHook(() => ({ a: useEventStream(url), b: useSseStatus(url) }), { wrapper });
    const { close } = result.current.a;
    act(() => mock.open(url));
    expect(result.current.a.close).toBe(close);
    act(() => result.current.a.close());
    expect(result.current.a.status).toBe('closed');
    expect(result.current.b.status).toBe('closed');
    expect(mock.connections(url)).toBe(0);
    act(() => result.current.a.reconnect());
    expect(result.current.b.status).toBe('connecting');
    expect(mock.requests(url)).toHaveLength(2);
  });

  it("enabled: false reports 'paused' and holds no connection", () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: React.ReactNode }) => <SseProvider transport={mock} lingerMs={0}>{children}</SseProvider>;
    const { result, rerender } = renderHook(({ enabled }) => useEventStream(url, { enabled }), { wrapper, initialProps: { enabled: false } });
    expect(result.current.status).toBe('paused');
    expect(mock.requests(url)).toHaveLength(0);
    rerender({ enabled: true });
    expect(mock.connections(url)).toBe(1);
    act(() => mock.emit(url, 'message', 1));
    rerender({ enabled: false });
    act(() => vi.advanceTimersByTime(0));
    expect(result.current.status).toBe('paused');
    expect(mock.connections(url)).toBe(0);
    expect(result.current.events).toHaveLength(1);
  });
});

describe('useSseEvent', () => {
  it('calls the newest handler for every event without re-rendering its component', () => {
    const url = freshUrl();
    const renders = createRenderCounter();
    const calls: string[] = [];
    function Toasts({ label }: { label: string }) {
      renders.hit('toasts');
      useSseEvent<{ text: string }>(url, 'note', (e) => calls.push(`${label}:${e.data.text}`));
      return null;
    }
    const mock = createMockTransport();
    const { rerender } = render(
      <SseProvider transport={mock}>
        <Toasts label="v1" />
      </SseProvider>,
    );
    act(() => mock.emit(url, 'note', { text: 'a' }));
    act(() => mock.emit(url, 'note', { text: 'b' }));
    rerender(
      <SseProvider transport={mock}>
        <Toasts label="v2" />
      </SseProvider>,
    );
    const rendersAfter = renders.get('toasts');
    act(() => mock.emit(url, 'note', { text: 'c' }));
    act(() => mock.emit(url, 'other', { text: 'x' }));
    expect(calls).toEqual(['v1:a', 'v1:b', 'v2:c']);
    expect(renders.get('toasts')).toBe(rendersAfter);
  });

  it('keeps delivering to other subscribers when one handler throws', () => {
    const url = freshUrl();
    const seen: number[] = [];
    function Thrower() {
      useSseEvent(url, 'message', () => {
        throw new Error('handler bug');
      });
      return null;
    }
    function Good() {
      useSseEvent<number>(url, 'message', (e) => seen.push(e.data));
      return null;
    }
    const { mock } = renderWithMock(
      <>
        <Thrower />
        <Good />
      </>,
    );
    act(() => mock.emit(url, 'message', 1));
    expect(seen).toEqual([1]);
    expect(() => vi.runOnlyPendingTimers()).toThrow('handler bug');
  });
});

describe('useSsePool', () => {
  it('lists every connection with its subscribers, types and counters', () => {
    const a = freshUrl();
    let entries: ReturnType<typeof useSsePool> = [];
    function Pool() {
      entries = useSsePool();
      return null;
    }
    function Sub() {
      useEventStream(a, { events: ['x', 'y'] });
      return null;
    }
    const { mock } = renderWithMock(
      <>
        <Sub />
        <Sub />
        <Pool />
      </>,
    );
    act(() => mock.emit(a, 'x', 1, { id: '9' }));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: 'open', subscribers: 2, eventsReceived: 1, retryCount: 0, owner: 'this-tab', lastEventId: '9' });
    expect([...entries[0]!.eventTypes].sort()).toEqual(['message', 'x', 'y']);
    expect(entries[0]!.url).toBe(new URL(a, document.baseURI).href);
  });
});

describe('misuse and SSR', () => {
  it('throws an error that names <SseProvider> when a hook is used outside one', () => {
    // React 18 reports the thrown render error with console.error ("The above error occurred…");
    // React 19 rethrows it and logs nothing. Anything else logged here would be a real problem.
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => renderHook(() => useLatestEvent('/x', 'message'))).toThrow(/<SseProvider>/);
      expect(() => renderHook(() => useSsePool())).toThrow(/useSsePool\(\) must be used inside <SseProvider>/);
      for (const [message] of error.mock.calls) expect(String(message)).toMatch(/^The above error occurred in the <TestComponent> component/);
    } finally {
      error.mockRestore();
    }
  });

  it("renders 'connecting' with no events on the server and touches no transport", () => {
    const url = freshUrl();
    const mock = createMockTransport();
    function View() {
      const s = useEventStream(url);
      const l = useLatestEvent(url, 'message');
      const st = useSseStatus(url);
      return <p>{`${s.status}/${s.events.length}/${l.status}/${String(l.data)}/${st.status}`}</p>;
    }
    const html = renderToString(
      <SseProvider transport={mock}>
        <View />
      </SseProvider>,
    );
    expect(html).toContain('connecting/0/connecting/undefined/connecting');
    expect(mock.requests(url)).toHaveLength(0);
  });
});

describe('typed descriptors at runtime', () => {
  it('delivers events of the descriptor types', () => {
    const url = freshUrl();
    const prices = defineStream<{ tick: { p: number }; halt: { reason: string } }>(url, { events: ['tick', 'halt'] });
    const mock = createMockTransport();
    const { result } = renderHook(() => useEventStream(prices), {
      wrapper: ({ children }) => <SseProvider transport={mock}>{children}</SseProvider>,
    });
    act(() => {
      mock.emit(url, 'tick', { p: 1 });
      mock.emit(url, 'halt', { reason: 'x' });
      mock.emit(url, 'message', 'ignored');
    });
    expect(result.current.events.map((e) => e.type)).toEqual(['tick', 'halt']);
  });
});

describe('render cost', () => {
  it('renders a subscriber once on mount, once on open and once per burst, nothing more', () => {
    const url = freshUrl();
    const renders = createRenderCounter();
    function Status() {
      renders.hit('status');
      useSseStatus(url);
      return null;
    }
    function Feed() {
      renders.hit('feed');
      useEventStream(url);
      return null;
    }
    const { mock } = renderWithMock(
      <>
        <Status />
        <Feed />
      </>,
    );
    expect([renders.get('status'), renders.get('feed')]).toEqual([1, 1]);
    act(() => mock.open(url));
    expect([renders.get('status'), renders.get('feed')]).toEqual([2, 2]);
    act(() => {
      for (let i = 0; i < 50; i++) mock.emit(url, 'message', i);
    });
    expect([renders.get('status'), renders.get('feed')]).toEqual([2, 3]);
  });
});

describe('useEventStream details', () => {
  it('keeps the collected events when bufferSize changes', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: React.ReactNode }) => <SseProvider transport={mock}>{children}</SseProvider>;
    const { result, rerender } = renderHook(({ size }) => useEventStream<number>(url, { bufferSize: size }), { wrapper, initialProps: { size: 3 } });
    act(() => [1, 2, 3, 4].forEach((n) => mock.emit(url, 'message', n)));
    expect(result.current.events.map((e) => e.data)).toEqual([2, 3, 4]);
    rerender({ size: 10 });
    expect(result.current.events.map((e) => e.data)).toEqual([2, 3, 4]);
    rerender({ size: 2 });
    expect(result.current.events.map((e) => e.data)).toEqual([3, 4]);
  });

  it('reports the stream’s last event id, also when it moved with an event of another type', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const wrapper = ({ children }: { children: React.ReactNode }) => <SseProvider transport={mock}>{children}</SseProvider>;
    const { result } = renderHook(() => ({ a: useEventStream(url, { events: ['a'] }), b: useEventStream(url, { events: ['b'] }) }), { wrapper });
    act(() => mock.emit(url, 'a', 1, { id: '1' }));
    act(() => mock.emit(url, 'b', 2, { id: '7' }));
    expect(result.current.a.lastEventId).toBe('7');
  });
});

describe('development warnings', () => {
  it('warns once when inline options open a new connection on every render', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const url = freshUrl();
    function Inline() {
      // A new body object per render cannot be compared by content: a new key per render.
      useLatestEvent({ url, options: { method: 'POST', body: new Blob(['q']) } }, 'message');
      return null;
    }
    const { mock, rerender } = renderWithMock(<Inline />, { maxConnectionsPerOrigin: Infinity });
    for (let i = 0; i < 4; i++) rerender(<SseProvider transport={mock} maxConnectionsPerOrigin={Infinity}><Inline /></SseProvider>);
    const messages = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('changed on every render') && m.includes(url));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/module level or in useMemo/);
    warn.mockRestore();
  });

  it('an inline headers function keeps one connection across renders, and the next attempt calls the newest one', async () => {
    const url = freshUrl();
    function Inline({ token }: { token: string }) {
      useLatestEvent({ url, options: { headers: () => ({ Authorization: `Bearer ${token}` }) } }, 'message');
      return null;
    }
    const mock = createMockTransport();
    const app = (token: string) => (
      <SseProvider transport={mock} maxConnectionsPerOrigin={1} defaults={{ retry: { initialDelayMs: 10, minDelayMs: 0, jitter: false } }}>
        <Inline token={token} />
      </SseProvider>
    );
    const { rerender } = render(app('t0'));
    for (let i = 1; i <= 6; i++) rerender(app(`t${i}`));
    expect(mock.requests(url)).toHaveLength(1);
    act(() => mock.fail(url));
    await act(() => vi.advanceTimersByTimeAsync(10));
    expect(mock.requests(url).map((r) => r.headers.Authorization)).toEqual(['Bearer t0', 'Bearer t6']);
  });

  it("a hook that switches descriptors never makes another descriptor's headers() call the new function", () => {
    const [adminUrl, userUrl] = [freshUrl('admin'), freshUrl('user')];
    const adminFeed = defineStream(adminUrl, { headers: () => ({ Authorization: 'Bearer admin' }) });
    const userFeed = defineStream(userUrl, { headers: () => ({ Authorization: 'Bearer user' }) });
    function Feed({ admin }: { admin: boolean }) {
      useLatestEvent(admin ? adminFeed : userFeed, 'message');
      return null;
    }
    function Admin() {
      useLatestEvent(adminFeed, 'message');
      return null;
    }
    const mock = createMockTransport();
    const app = (admin: boolean, later: boolean) => (
      <SseProvider transport={mock}>
        <Feed admin={admin} />
        {later && <Admin />}
      </SseProvider>
    );
    const { rerender } = render(app(true, false));
    rerender(app(false, false));
    rerender(app(false, true));
    expect(mock.requests(adminUrl).map((r) => r.headers.Authorization)).toEqual(['Bearer admin', 'Bearer admin']);
    expect(mock.requests(userUrl).map((r) => r.headers.Authorization)).toEqual(['Bearer user']);
  });

  it('warns when fetch-only options are set with transport: eventsource', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const url = freshUrl();
    const stream = defineStream(url, { transport: 'eventsource', headers: { Authorization: 'Bearer x' } });
    function Reader() {
      useSseStatus(stream);
      return null;
    }
    renderWithMock(<Reader />);
    expect(warn.mock.calls.map((c) => String(c[0])).some((m) => m.includes("need the fetch transport") && m.includes(url))).toBe(true);
    warn.mockRestore();
  });
});
