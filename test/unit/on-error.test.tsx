import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createSseClient, defineStream, SseProvider, useLatestEvent, useSseEvent, useSseStatus, type SseClient, type StreamError, type StreamState } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import type { ConnectionPool } from '../../src/core/client/pool';
import { freshUrl } from './helpers';

let mock: MockTransport;
let client: SseClient;
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  vi.useFakeTimers();
  mock = createMockTransport();
  client = createSseClient({ transport: mock, lingerMs: 100 });
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  client.dispose();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const FIXED = { initialDelayMs: 100, minDelayMs: 100, maxDelayMs: 100, factor: 1, jitter: false };
const kinds = (errors: StreamError[]) => errors.map((e) => (e.kind === 'http' ? `${e.kind} ${e.status}` : e.kind));
const unseenWarnings = (url: string) => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('nothing reads') && m.includes(url));

describe('useSseEvent(…, { onError })', () => {
  it('sees a bad event that a good one clears within the same frame; the render shows no error', () => {
    const url = freshUrl();
    const ticks = defineStream<{ tick: { n: number } }>(url, { events: ['tick'] });
    const errors: StreamError[] = [];
    const seen: number[] = [];
    const rendered: (StreamState['error'] | 'none')[] = [];
    function Ticker() {
      useSseEvent(ticks, 'tick', (e) => seen.push(e.data.n), { onError: (error) => errors.push(error) });
      rendered.push(useSseStatus(ticks).error ?? 'none');
      return null;
    }
    render(
      <SseProvider transport={mock}>
        <Ticker />
      </SseProvider>,
    );
    act(() => mock.open(url));
    const before = rendered.length;
    act(() => {
      mock.emit(url, 'tick', '{not json');
      mock.emit(url, 'tick', { n: 1 });
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'parse', eventType: 'tick' });
    expect(seen).toEqual([1]);
    // Rendered once for the frame (or not at all: the error came and went), never with the error.
    expect(rendered.slice(before)).not.toContainEqual(expect.objectContaining({ kind: 'parse' }));
    expect(rendered.at(-1)).toBe('none');
  });

  it('sees every error: two bad events in a row are two calls, a connection error another', () => {
    const url = freshUrl();
    const errors: StreamError[] = [];
    function Reader() {
      useSseEvent(url, 'message', () => {}, { onError: (error) => errors.push(error) });
      return null;
    }
    render(
      <SseProvider transport={mock}>
        <Reader />
      </SseProvider>,
    );
    act(() => {
      mock.emit(url, 'message', '{bad');
      mock.emit(url, 'message', '{worse');
      mock.fail(url, { status: 503 });
    });
    expect(kinds(errors)).toEqual(['parse', 'parse', 'http 503']);
  });

  it('uses the newest onError, and a throwing one breaks neither the stream nor other subscribers', () => {
    const url = freshUrl();
    const calls: string[] = [];
    const handled: number[] = [];
    function Reader({ name }: { name: string }) {
      useSseEvent<number>(url, 'message', (e) => handled.push(e.data), {
        onError: () => {
          calls.push(name);
          if (name === 'thrower') throw new Error('onError bug');
        },
      });
      return null;
    }
    const app = (name: string) => (
      <SseProvider transport={mock}>
        <Reader name={name} />
        <Reader name="other" />
      </SseProvider>
    );
    const { rerender } = render(app('first'));
    rerender(app('thrower'));
    act(() => {
      mock.emit(url, 'message', '{bad');
      mock.emit(url, 'message', 2);
    });
    expect(calls).toEqual(['thrower', 'other']);
    expect(handled).toEqual([2, 2]);
    expect(() => vi.runOnlyPendingTimers()).toThrow('onError bug');
    act(() => mock.emit(url, 'message', 3));
    expect(handled).toEqual([2, 2, 3, 3]);
  });
});

describe('client.subscribe(…, { onError })', () => {
  it('sees a 500, then the max-attempts error that closes the stream', () => {
    const url = freshUrl();
    const errors: StreamError[] = [];
    client.subscribe(defineStream(url, { retry: { ...FIXED, maxAttempts: 1 } }), { onError: (error) => errors.push(error) });
    mock.open(url);
    mock.fail(url, { status: 500 });
    vi.advanceTimersByTime(100);
    mock.fail(url, { status: 500 });
    // The last 500 is the cause of the max-attempts error that closes the stream, not a state of its own.
    expect(kinds(errors)).toEqual(['http 500', 'max-attempts']);
    expect(errors[1]!.cause).toMatchObject({ kind: 'http', status: 500 });
    expect(errors[1]!.cause).toMatchObject({ kind: 'http', status: 500 });
    expect(errors[1]!.cause).not.toBe(errors[0]);
  });

  it('is told once per error object, not once per state change', () => {
    const url = freshUrl();
    const errors: StreamError[] = [];
    client.subscribe(defineStream(url, { retry: FIXED }), { onError: (error) => errors.push(error) });
    mock.fail(url); // backoff: 'reconnecting', retryCount 1, error
    vi.advanceTimersByTime(100); // a new attempt: same error, still shown
    mock.end(url); // lost without an error of its own: the error stays
    vi.advanceTimersByTime(100);
    expect(kinds(errors)).toEqual(['network']);
  });

  it('a throwing onError does not break the stream', () => {
    const url = freshUrl();
    const data: unknown[] = [];
    client.subscribe(url, {
      onEvent: (e) => data.push(e.data),
      onError: () => {
        throw new Error('handler bug');
      },
    });
    mock.emit(url, 'message', '{bad');
    mock.emit(url, 'message', 1);
    expect(data).toEqual([1]);
    expect(() => vi.runOnlyPendingTimers()).toThrow('handler bug');
    mock.emit(url, 'message', 2);
    expect(data).toEqual([1, 2]);
  });
});

describe('development warning for errors nothing reads', () => {
  it('warns once per stream and kind when no subscriber shows errors', () => {
    const url = freshUrl();
    client.subscribe(url, { onEvent: () => {} });
    mock.emit(url, 'message', '{bad');
    mock.emit(url, 'message', '{bad again');
    expect(unseenWarnings(url)).toHaveLength(1);
    expect(unseenWarnings(url)[0]).toMatch(/"parse" error.*onError/);
    mock.fail(url);
    expect(unseenWarnings(url)).toHaveLength(2);
  });

  it('does not warn when something shows them: onError, onStatus, or a hook that returns the error', () => {
    const [withOnError, withOnStatus, withHook] = [freshUrl(), freshUrl(), freshUrl()];
    client.subscribe(withOnError, { onEvent: () => {}, onError: () => {} });
    client.subscribe(withOnStatus, { onEvent: () => {}, onStatus: () => {} });
    function Reader() {
      useSseEvent(withHook, 'message', () => {});
      useLatestEvent(withHook, 'message');
      return null;
    }
    render(
      <SseProvider client={client}>
        <Reader />
      </SseProvider>,
    );
    act(() => [withOnError, withOnStatus, withHook].forEach((url) => mock.emit(url, 'message', '{bad')));
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('nothing reads'))).toEqual([]);
  });

  it('counts a side channel as showing errors only if it relays them (another tab), not a devtools tap', () => {
    const [tapped, relayed] = [freshUrl(), freshUrl()];
    const pool = client as unknown as ConnectionPool;
    const untap = pool.tapEvents(() => {});
    for (const url of [tapped, relayed]) client.subscribe(url, { onEvent: () => {} });
    pool.peek(pool.resolve(relayed).key)!.observe({ relaysErrors: true, event: () => {} });
    for (const url of [tapped, relayed]) mock.emit(url, 'message', '{bad');
    expect(unseenWarnings(tapped)).toHaveLength(1);
    expect(unseenWarnings(relayed)).toHaveLength(0);
    untap();
  });

  it('warns for a useSseEvent without onError', () => {
    const url = freshUrl();
    function Reader() {
      useSseEvent(url, 'message', () => {});
      return null;
    }
    render(
      <SseProvider transport={mock}>
        <Reader />
      </SseProvider>,
    );
    act(() => mock.fail(url, { status: 404 }));
    expect(unseenWarnings(url)).toHaveLength(1);
  });
});
