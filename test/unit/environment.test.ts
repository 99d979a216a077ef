import { afterEach, describe, expect, it } from 'vitest';
import { createSseClient, defineStream, type PageSignal, type SseClient, type SseEnvironment, type StreamStatus } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';
import { freshUrl } from './helpers';

/** A signal the test sets, as AppState/NetInfo or a test double would. */
function settable<T>(value: T): PageSignal<T> & { set(next: T): void } {
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    subscribe: (onChange) => (listeners.add(onChange), () => listeners.delete(onChange)),
    set(next) {
      value = next;
      listeners.forEach((listener) => listener());
    },
  };
}

/** Timers that run only when the test says so: proves the client uses the injected ones. */
function manualTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  let next = 1;
  return {
    setTimeout: (callback: () => void, ms: number) => (pending.set(next, { at: now + ms, callback }), next++),
    clearTimeout: (handle: unknown) => void pending.delete(handle as number),
    now: () => now,
    pending: () => pending.size,
    advance(ms: number) {
      now += ms;
      for (const [handle, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now || !pending.has(handle)) continue;
        pending.delete(handle);
        timer.callback();
      }
    },
  };
}

let client: SseClient | undefined;
afterEach(() => client?.dispose());

function watch(environment: Partial<SseEnvironment>, url: string, pauseWhenHidden?: number) {
  const mock = createMockTransport();
  client = createSseClient({ transport: mock, environment });
  const statuses: StreamStatus[] = [];
  const stream = defineStream(url, pauseWhenHidden === undefined ? {} : { pauseWhenHidden });
  client.subscribe(stream, { onStatus: (status) => statuses.push(status) });
  return { mock, statuses, last: () => statuses.at(-1) };
}

describe('createSseClient({ environment })', () => {
  it('pauses on its hidden signal after pauseWhenHidden, on its timers, and reconnects from the last id when shown', () => {
    const url = freshUrl('env-hidden');
    const hidden = settable(false);
    const timers = manualTimers();
    const { mock, last } = watch({ hidden, timers }, url, 5000);
    mock.emit(url, 'message', 'a', { id: '1' });
    hidden.set(true);
    timers.advance(4999);
    expect(last()).toBe('open');
    timers.advance(1);
    expect(last()).toBe('paused');
    expect(mock.connections(url)).toBe(0);
    hidden.set(false);
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('1');
  });

  it('pauses while its online signal says offline and reconnects at once when it comes back', () => {
    const url = freshUrl('env-online');
    const online = settable(true);
    const { mock, last } = watch({ online }, url);
    mock.open(url);
    online.set(false);
    expect(last()).toBe('paused');
    expect(mock.connections(url)).toBe(0);
    online.set(true);
    expect(mock.connections(url)).toBe(1);
  });

  it('starts paused when its online signal says offline at creation', () => {
    const url = freshUrl('env-offline-first');
    const { mock, last } = watch({ online: settable(false) }, url);
    expect(last()).toBe('paused');
    expect(mock.requests(url)).toHaveLength(0);
  });

  it('re-opens live streams from the last id when its restored signal fires', () => {
    const url = freshUrl('env-restored');
    let restore = () => {};
    const restored = { subscribe: (onRestore: () => void) => ((restore = onRestore), () => {}) };
    const { mock } = watch({ restored }, url);
    mock.emit(url, 'message', 'a', { id: '7' });
    restore();
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('7');
  });

  it('waits out backoff delays and lingering on its own timers, not the global ones', () => {
    const url = freshUrl('env-timers');
    const timers = manualTimers();
    const mock = createMockTransport();
    client = createSseClient({ transport: mock, environment: { timers }, lingerMs: 300, defaults: { retry: { jitter: false, initialDelayMs: 1000 } } });
    const stop = client.subscribe(url);
    mock.fail(url);
    expect(mock.requests(url)).toHaveLength(1);
    timers.advance(999);
    expect(mock.requests(url)).toHaveLength(1);
    timers.advance(1);
    expect(mock.requests(url)).toHaveLength(2);
    mock.open(url);
    stop();
    timers.advance(299);
    expect(mock.connections(url)).toBe(1);
    timers.advance(1);
    expect(mock.connections(url)).toBe(0);
  });

  it('keeps the default for a part given as undefined', () => {
    const url = freshUrl('env-undefined');
    const { mock, last } = watch({ hidden: undefined as unknown as PageSignal<boolean> }, url);
    mock.open(url);
    expect(last()).toBe('open');
  });
});
