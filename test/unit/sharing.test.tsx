import { act, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineStream, SseProvider, useEventStream, useLatestEvent, useSsePool, useSseStatus } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';
import { createRenderCounter, freshUrl, renderWithMock } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function Latest({ url, type = 'message', testId }: { url: string; type?: string; testId?: string }) {
  const { data, status } = useLatestEvent<{ n: number }>(url, type);
  return <span data-testid={testId}>{`${status}:${data?.n ?? '-'}`}</span>;
}

describe('connection sharing', () => {
  it('shares one connection between 20 components on one URL', () => {
    const url = freshUrl();
    const { mock, getAllByText } = renderWithMock(
      <>
        {Array.from({ length: 20 }, (_, i) => (
          <Latest key={i} url={url} />
        ))}
      </>,
    );
    expect(mock.requests(url)).toHaveLength(1);
    act(() => mock.emit(url, 'message', { n: 7 }));
    expect(getAllByText('open:7')).toHaveLength(20);
    expect(mock.connections(url)).toBe(1);
  });

  it('opens exactly one connection under StrictMode', () => {
    const url = freshUrl();
    const mock = createMockTransport();
    render(
      <StrictMode>
        <SseProvider transport={mock}>
          <Latest url={url} />
          <Latest url={url} />
        </SseProvider>
      </StrictMode>,
    );
    expect(mock.requests(url)).toHaveLength(1);
    expect(mock.connections(url)).toBe(1);
  });

  it('closes lingerMs after the last subscriber unmounts, and reuses the connection on a quick remount', async () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const ui = (show: boolean) => (
      <SseProvider transport={mock} lingerMs={500}>
        {show && <Latest url={url} />}
      </SseProvider>
    );
    const { rerender } = render(ui(true));
    rerender(ui(false));
    await act(() => vi.advanceTimersByTimeAsync(400));
    expect(mock.connections(url)).toBe(1);
    rerender(ui(true));
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(mock.requests(url)).toHaveLength(1);
    rerender(ui(false));
    await act(() => vi.advanceTimersByTimeAsync(499));
    expect(mock.connections(url)).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(mock.connections(url)).toBe(0);
  });

  it('opens one connection per URL', () => {
    const a = freshUrl();
    const b = freshUrl();
    const { mock } = renderWithMock(
      <>
        <Latest url={a} />
        <Latest url={b} />
        <Latest url={a} />
      </>,
    );
    expect(mock.connections(a)).toBe(1);
    expect(mock.connections(b)).toBe(1);
  });

  it('shares between equal descriptors and separates different connection options', () => {
    const url = freshUrl();
    const plain = defineStream(url);
    const samePlain = defineStream(url, { events: ['message'] });
    const withAuth = defineStream(url, { headers: { Authorization: 'Bearer a' } });
    const otherAuth = defineStream(url, { headers: { Authorization: 'Bearer b' } });
    function Status({ stream }: { stream: Parameters<typeof useSseStatus>[0] }) {
      useSseStatus(stream);
      return null;
    }
    const { mock } = renderWithMock(
      <>
        <Status stream={plain} />
        <Status stream={samePlain} />
        <Status stream={url} />
        <Status stream={withAuth} />
        <Status stream={otherAuth} />
      </>,
    );
    expect(mock.connections(url)).toBe(3);
    expect(mock.requests(url).map((r) => r.headers.Authorization ?? null)).toEqual([null, 'Bearer a', 'Bearer b']);
  });

  it('keys the connection on a hash, never on header values', () => {
    const url = freshUrl();
    const secret = defineStream(url, { headers: { Authorization: 'Bearer top-secret' } });
    let key = '';
    function Probe() {
      useSseStatus(secret);
      return null;
    }
    function Keys() {
      key = useSsePoolKeys();
      return null;
    }
    renderWithMock(
      <>
        <Probe />
        <Keys />
      </>,
    );
    expect(key).toContain(url);
    expect(key).not.toContain('top-secret');
  });
});

function useSsePoolKeys(): string {
  return useSsePool()
    .map((e) => e.key)
    .join(',');
}

describe('per-type fan-out', () => {
  it('never re-renders a component for events of a type it does not listen to', () => {
    const url = freshUrl();
    const renders = createRenderCounter();
    function A() {
      renders.hit('a');
      useLatestEvent(url, 'a');
      return null;
    }
    function B() {
      renders.hit('b');
      useEventStream(url, { events: ['b'] });
      return null;
    }
    const { mock } = renderWithMock(
      <>
        <A />
        <B />
      </>,
    );
    act(() => mock.open(url));
    const before = { a: renders.get('a'), b: renders.get('b') };
    act(() => mock.emit(url, 'a', { n: 1 }));
    act(() => mock.emit(url, 'a', { n: 2 }));
    expect(renders.get('a')).toBe(before.a + 2);
    expect(renders.get('b')).toBe(before.b);
  });

  it('listens to the union of subscribed types and drops a type with its last subscriber', () => {
    const url = freshUrl();
    function Types({ types }: { types: string[] }) {
      useEventStream(url, { events: types });
      return null;
    }
    const mock = createMockTransport();
    const ui = (second: boolean) => (
      <SseProvider transport={mock}>
        <Types types={['a', 'b']} />
        {second && <Types types={['b', 'c']} />}
      </SseProvider>
    );
    const { rerender } = render(ui(true));
    // 'message' too: that is where `data: [DONE]` (endOn) arrives.
    expect(mock.listening(url).sort()).toEqual(['a', 'b', 'c', 'message']);
    rerender(ui(false));
    expect(mock.listening(url).sort()).toEqual(['a', 'b', 'message']);
  });
});

describe('provider defaults', () => {
  it('reach mounted hooks when they change: the new options get their own connection, the old one lingers out', async () => {
    const url = freshUrl();
    const mock = createMockTransport();
    const app = (token: string) => (
      <SseProvider transport={mock} lingerMs={100} defaults={{ headers: { Authorization: `Bearer ${token}` } }}>
        <Latest url={url} />
      </SseProvider>
    );
    const { rerender } = render(app('one'));
    expect(mock.requests(url).map((r) => r.headers.Authorization)).toEqual(['Bearer one']);
    rerender(app('two'));
    expect(mock.requests(url).map((r) => r.headers.Authorization)).toEqual(['Bearer one', 'Bearer two']);
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(mock.connections(url)).toBe(1);
  });
});

describe('mock transport', () => {
  it('records headers from a headers function at once (sync) or when they settle (async)', async () => {
    const sync = freshUrl();
    const async = freshUrl();
    const mock = createMockTransport();
    const syncHeaders = () => ({ Authorization: 'Bearer s' });
    const asyncHeaders = async () => ({ Authorization: 'Bearer a' });
    render(
      <SseProvider transport={mock}>
        <Latest url={sync} />
        <StreamWithHeaders url={async} headers={asyncHeaders} />
        <StreamWithHeaders url={sync} headers={syncHeaders} />
      </SseProvider>,
    );
    const withFn = mock.requests(sync).find((r) => r.headers.Authorization);
    expect(withFn?.headers).toEqual({ Authorization: 'Bearer s' });
    expect(mock.requests(async)[0]!.headers).toEqual({});
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(mock.requests(async)[0]!.headers).toEqual({ Authorization: 'Bearer a' });
  });
});

function StreamWithHeaders({ url, headers }: { url: string; headers: () => Record<string, string> | Promise<Record<string, string>> }) {
  useLatestEvent({ url, options: { headers } }, 'message');
  return null;
}
