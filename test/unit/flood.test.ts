/**
 * Flood behaviour (issue 14): each event is decoded and stored once per connection however many
 * views read it, views are told once per flush, and the library's own work runs in slices that
 * yield to the browser while handlers still get every event in order.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionPool } from '../../src/core/client/pool';
import { createNotifyScheduler } from '../../src/core/client/notify-scheduler';
import { EventBufferObserver, HandlerObserver, LatestEventObserver } from '../../src/core/client/stream-observer';
import { createWorkSlicer } from '../../src/core/client/work-slicer';
import type { SseEvent } from '../../src/core/types';
import { createMockTransport } from 'react-sse-hub/testing';
import { freshUrl } from './helpers';

const act = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
let mock: ReturnType<typeof createMockTransport>;
let flushes: Array<() => void>;
let clock: number;
let pool: ConnectionPool;

beforeEach(() => {
  vi.useFakeTimers();
  act.IS_REACT_ACT_ENVIRONMENT = false;
  mock = createMockTransport();
  flushes = [];
  clock = 0;
  pool = new ConnectionPool(
    { transport: mock },
    { scheduler: createNotifyScheduler((flush) => flushes.push(flush)), slicer: createWorkSlicer(() => clock, (task) => setTimeout(task, 0)), crossTab: null },
  );
});
afterEach(() => {
  pool.dispose();
  act.IS_REACT_ACT_ENVIRONMENT = true;
  vi.useRealTimers();
});

const runFlushes = () => {
  const pending = flushes;
  flushes = [];
  for (const flush of pending) flush();
};

describe('one copy of each event per connection', () => {
  it('decodes each event once and hands every view the same object; views are told once per flush', () => {
    const url = freshUrl();
    const parse = vi.fn((data: string) => JSON.parse(data) as unknown);
    const stream = pool.resolve({ url, options: { parse } });
    const views = Array.from({ length: 100 }, () => new LatestEventObserver(pool, stream, ['message']));
    const renders = views.map(() => vi.fn());
    views.forEach((view, i) => view.subscribe(renders[i]!, true));
    mock.open(url);
    runFlushes();
    renders.forEach((render) => render.mockClear());
    for (let n = 1; n <= 1000; n++) mock.emit(url, 'message', n);
    expect(parse).toHaveBeenCalledTimes(1000);
    expect(renders[0]).not.toHaveBeenCalled();
    runFlushes();
    for (const render of renders) expect(render).toHaveBeenCalledTimes(1);
    expect(views[0]!.latest?.data).toBe(1000);
    expect(new Set(views.map((view) => view.latest)).size).toBe(1);
  });

  it('buffers are shared: a view sees only events after it subscribed, at most its bufferSize, none lost between flushes', () => {
    const url = freshUrl();
    const stream = pool.resolve(url);
    const early = new EventBufferObserver(pool, stream, ['message'], 5);
    early.subscribe(() => {}, true);
    mock.open(url);
    for (let n = 1; n <= 3; n++) mock.emit(url, 'message', n);
    const late = new EventBufferObserver(pool, stream, ['message'], 100);
    late.subscribe(() => {}, true);
    for (let n = 4; n <= 40; n++) mock.emit(url, 'message', n);
    runFlushes();
    expect(early.events().map((e) => e.data)).toEqual([36, 37, 38, 39, 40]);
    expect(late.events().map((e) => e.data)).toEqual(Array.from({ length: 37 }, (_, i) => i + 4));
    // The same array until something new arrives.
    expect(late.events()).toBe(late.events());
  });
});

describe('work in slices', () => {
  it('past the slice budget, events wait for a later task; handlers get every one, in order', () => {
    const url = freshUrl();
    const stream = pool.resolve(url);
    const seen: unknown[] = [];
    const handler = new HandlerObserver(pool, stream, ['message']);
    handler.handler = (event: SseEvent) => {
      seen.push(event.data);
      clock += 1; // each event's work takes 1 ms
    };
    handler.subscribe(() => {}, true);
    mock.open(url);
    for (let n = 1; n <= 30; n++) mock.emit(url, 'message', n);
    // An 8 ms slice: the rest waits, and what arrives meanwhile queues behind it.
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pool.peek(stream.key)!.lastEventId).toBeUndefined();
    vi.runOnlyPendingTimers();
    expect(seen).toHaveLength(16);
    vi.runAllTimers();
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('the last event id moves at once, before the queued events are decoded', () => {
    const url = freshUrl();
    const stream = pool.resolve(url);
    const handler = new HandlerObserver(pool, stream, ['message']);
    handler.handler = () => void (clock += 10);
    handler.subscribe(() => {}, true);
    mock.open(url);
    mock.emit(url, 'message', 1, { id: '1' });
    mock.emit(url, 'message', 2, { id: '2' });
    expect(pool.peek(stream.key)!.lastEventId).toBe('2');
  });

  it('a disposed connection drops the events it had queued', () => {
    const url = freshUrl();
    const stream = pool.resolve(url);
    const seen: unknown[] = [];
    const handler = new HandlerObserver(pool, stream, ['message']);
    handler.handler = (event) => {
      seen.push(event.data);
      clock += 10;
    };
    handler.subscribe(() => {}, true);
    mock.open(url);
    mock.emit(url, 'message', 1);
    mock.emit(url, 'message', 2);
    pool.dispose();
    vi.runAllTimers();
    expect(seen).toEqual([1]);
  });
});

describe('rendering at most once per frame', () => {
  it('nextFrame waits for an animation frame in a visible page, with a timer fallback', async () => {
    const { nextFrame } = await import('../../src/core/client/notify-scheduler');
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => {});
    const flush = vi.fn();
    nextFrame(flush);
    vi.advanceTimersByTime(50);
    expect(flush).not.toHaveBeenCalled();
    frames[0]!(0);
    expect(flush).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100);
    expect(flush).toHaveBeenCalledTimes(1);
    // No frame comes (a throttled page): the fallback timer flushes.
    nextFrame(flush);
    vi.advanceTimersByTime(100);
    expect(flush).toHaveBeenCalledTimes(2);
    vi.unstubAllGlobals();
  });
});
