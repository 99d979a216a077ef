/**
 * Flood behaviour (issue 14): each event is decoded and stored once per connection however many
 * views read it, views are told once per flush, and the fetch transport hands events over in
 * slices that yield to the browser, reading no further meanwhile, with every event in order.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionPool } from '../../src/core/client/pool';
import { createNotifyScheduler } from '../../src/core/scheduling/notify-scheduler';
import { EventBufferObserver, LatestEventObserver } from '../../src/core/client/view-observers';
import { setActEnvironment } from '../../src/core/scheduling/act-environment';
import { mainThreadSlicer } from '../../src/core/scheduling/work-slicer';
import { createFetchTransport } from '../../src/core/transport/fetch-transport';
import { createMockTransport } from 'react-sse-hub/testing';
import { connectionOptions, freshUrl } from './helpers';

const act = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
// The detector the React layer installs; this file drives the core without importing React.
setActEnvironment(() => act.IS_REACT_ACT_ENVIRONMENT === true);
let mock: ReturnType<typeof createMockTransport>;
let flushes: Array<() => void>;
let pool: ConnectionPool;

beforeEach(() => {
  vi.useFakeTimers();
  act.IS_REACT_ACT_ENVIRONMENT = false;
  mock = createMockTransport();
  flushes = [];
  pool = new ConnectionPool(
    { transport: mock },
    { scheduler: createNotifyScheduler((flush) => flushes.push(flush)), crossTab: null },
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

describe('the fetch transport works in slices', () => {
  /** A body of `n` events in one chunk per pull, recording how many events had been delivered at each pull. */
  function floodBody(chunks: number, perChunk: number, delivered: () => number, pulls: number[]) {
    const encoder = new TextEncoder();
    let next = 1;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls.push(delivered());
        if (pulls.length > chunks) return controller.close();
        let text = '';
        for (let i = 0; i < perChunk; i++, next++) text += `id: ${next}\ndata: ${next}\n\n`;
        controller.enqueue(encoder.encode(text));
      },
    }, { highWaterMark: 0 });
  }

  it('past the slice budget it yields a task; it reads no further until what it parsed is delivered; every event arrives in order', async () => {
    vi.useRealTimers();
    let clock = 0;
    // Restored in `finally` so a failed assertion cannot leave fetch or the clock faked for the next test.
    try {
      vi.spyOn(performance, 'now').mockImplementation(() => clock);
      const yields = vi.spyOn(mainThreadSlicer, 'nextSlice');
      const seen: string[] = [];
      const pulls: number[] = [];
      const body = floodBody(3, 200, () => seen.length, pulls);
      vi.stubGlobal('fetch', async () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }));
      let ended!: () => void;
      const done = new Promise<void>((resolve) => (ended = resolve));
      createFetchTransport().connect(
        { url: `${location.origin}/flood`, eventTypes: ['message'], lastEventId: undefined, options: connectionOptions() },
        {
          open: () => {},
          event: (_type, data) => {
            seen.push(data);
            clock += 0.1; // each event's work takes 0.1 ms
          },
          retry: () => {},
          error: () => {},
          failure: () => ended(),
        },
      );
      await done;
      expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => String(i + 1)));
      // Each chunk holds 20 ms of work; 8 ms slices, the clock read every 32 events (3.2 ms here).
      expect(yields.mock.calls.length).toBeGreaterThanOrEqual(5);
      // Each read came only after everything read before it was delivered.
      expect(pulls.slice(1, 4)).toEqual([200, 400, 600]);
    } finally {
      vi.unstubAllGlobals();
      vi.restoreAllMocks();
    }
  });
});

describe('rendering at most once per frame', () => {
  it('nextFrame waits for an animation frame in a visible page, with a timer fallback', async () => {
    const { nextFrame } = await import('../../src/core/scheduling/notify-scheduler');
    const frames: FrameRequestCallback[] = [];
    try {
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
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
