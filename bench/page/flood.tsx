/**
 * The flood page (issue 14): N subscribers on one stream while the server sends events as fast as
 * the socket accepts. One variant per page load, driven from bench/run.mjs through `window.flood`:
 *
 *   baseline  a bare EventSource, one 'message' listener: JSON.parse, then N plain callbacks (no React)
 *   native    <SseProvider> + N components with useLatestEvent(url, 'message', { select: n })
 *   fetch     the same with defineStream(url, { transport: 'fetch' })
 *
 * The hub variants also mount one verifier component with useSseEvent on the same stream: it must
 * see every event exactly once, in order (n = previous + 1). useLatestEvent subscribers only see
 * the newest event; each must see n strictly increase and end on the last one.
 *
 * Measured in the page between arm() and the moment every subscriber has the last event: the
 * longest 'longtask' entry, the longest gap between requestAnimationFrame callbacks, and the peak
 * of performance.memory.usedJSHeapSize, sampled once per frame, every 4 ms by a timer and every
 * 256th event by the one per-event hook each variant has (the baseline's listener, the hub's
 * verifier): a long task starves frames and timers, not events. The driver also samples over CDP.
 */
import { memo, useEffect, useLayoutEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { SseProvider, defineStream, useLatestEvent, useSseEvent, useSseStatus } from 'react-sse-hub';

export type Variant = 'baseline' | 'native' | 'fetch';

interface Msg {
  n: number;
}

export interface FloodSpec {
  variant: Variant;
  url: string;
  subscribers: number;
  /** n of the last event (events carry n = 1..target). */
  target: number;
  /** Give up this long after arm(). */
  capMs: number;
}

interface State {
  spec: FloodSpec;
  open: boolean;
  armedAt: number;
  firstAt: number;
  doneAt: number;
  /** Newest n per subscriber. */
  last: Float64Array;
  renders: Uint32Array;
  /** Renders in which the subscriber's n changed (what events cost). */
  dataRenders: Uint32Array;
  subscribersDone: number;
  /** Events the verifier saw (hub) / events the listener parsed (baseline). */
  seen: number;
  seenLast: number;
  violations: string[];
  longestTask: number;
  longTasks: number;
  frameGap: number;
  frames: number;
  heapPeak: number;
  heapAtArm: number;
  resolve: (() => void) | undefined;
  root?: Root;
  source?: EventSource;
}

let st: State | undefined;

const heapNow = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
/** Called by the per-event hook after counting the event. */
const sampleEvent = (s: State) => {
  if ((s.seen & 255) === 0 && s.armedAt !== 0) s.heapPeak = Math.max(s.heapPeak, heapNow());
};

const violation = (s: State, text: string) => {
  if (s.violations.length < 20) s.violations.push(text);
};

function checkDone(s: State) {
  if (s.doneAt !== 0 || s.subscribersDone !== s.spec.subscribers || s.seen !== s.spec.target) return;
  s.doneAt = performance.now();
  s.resolve?.();
}

function subscriberGot(s: State, i: number, n: number) {
  if (n === s.spec.target) {
    s.subscribersDone++;
    checkDone(s);
  }
}

// --- baseline: bare EventSource + JSON.parse + N plain callbacks --------------------------------

function mountBaseline(s: State) {
  const { subscribers } = s.spec;
  const last = s.last;
  const callbacks = Array.from({ length: subscribers }, (_, i) => (data: Msg) => {
    if (data.n !== last[i]! + 1) violation(s, `subscriber ${i}: ${data.n} after ${last[i]}`);
    last[i] = data.n;
    s.dataRenders[i]!++;
    subscriberGot(s, i, data.n);
  });
  const source = new EventSource(s.spec.url);
  source.onopen = () => (s.open = true);
  source.addEventListener('message', (event: MessageEvent<string>) => {
    const data = JSON.parse(event.data) as Msg;
    if (s.firstAt === 0) s.firstAt = performance.now();
    s.seen++;
    s.seenLast = data.n;
    sampleEvent(s);
    for (let i = 0; i < callbacks.length; i++) callbacks[i]!(data);
  });
  s.source = source;
}

// --- react-sse-hub: N × useLatestEvent + one useSseEvent verifier ------------------------------

type Source = string | ReturnType<typeof defineStream<{ message: Msg }>>;
const selectN = (m: Msg) => m.n;

const Subscriber = memo(function Subscriber({ source, i, s }: { source: Source; i: number; s: State }) {
  const n = useLatestEvent(source as string, 'message', { select: selectN }).data;
  s.renders[i]!++;
  useLayoutEffect(() => {
    if (n === undefined) return;
    s.dataRenders[i]!++;
    if (!(n > s.last[i]!)) violation(s, `subscriber ${i}: rendered ${n} after ${s.last[i]}`);
    s.last[i] = n;
    subscriberGot(s, i, n);
  }, [n, i, s]);
  return <i>{n}</i>;
});

function Verifier({ source, s }: { source: Source; s: State }) {
  useSseEvent<Msg>(source as string, 'message', (event) => {
    const n = event.data.n;
    if (s.firstAt === 0) s.firstAt = performance.now();
    if (n !== s.seenLast + 1) violation(s, `verifier: ${n} after ${s.seenLast}`);
    s.seenLast = n;
    s.seen++;
    sampleEvent(s);
    checkDone(s);
  });
  const status = useSseStatus(source as string).status;
  useEffect(() => {
    if (status === 'open') s.open = true;
  }, [status, s]);
  return null;
}

function Hub({ source, s }: { source: Source; s: State }) {
  return (
    <SseProvider>
      <Verifier source={source} s={s} />
      {Array.from({ length: s.spec.subscribers }, (_, i) => (
        <Subscriber key={i} source={source} i={i} s={s} />
      ))}
    </SseProvider>
  );
}

function mountHub(s: State) {
  const source: Source = s.spec.variant === 'fetch' ? defineStream<{ message: Msg }>(s.spec.url, { transport: 'fetch' }) : s.spec.url;
  const container = document.createElement('div');
  document.body.appendChild(container);
  s.root = createRoot(container);
  s.root.render(<Hub source={source} s={s} />);
}

// --- measurement ---------------------------------------------------------------------------------

// Registered at load so no entry is missed; only entries that start after arm() count.
const longTasks: PerformanceEntry[] = [];
try {
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
} catch {
  // No Long Tasks API: longestTask stays 0 and the driver reports it as missing.
}
const longTaskApi = PerformanceObserver.supportedEntryTypes?.includes('longtask') ?? false;

function frameLoop(s: State) {
  let prev = performance.now();
  const tick = (t: number) => {
    s.frames++;
    s.frameGap = Math.max(s.frameGap, t - prev);
    prev = t;
    s.heapPeak = Math.max(s.heapPeak, heapNow());
    // One frame past the end, so a stall that ends with the flood still counts.
    if (s.doneAt === 0 || t < s.doneAt) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const flood = {
  longTaskApi,
  mount(spec: FloodSpec) {
    const s: State = {
      spec,
      open: false,
      armedAt: 0,
      firstAt: 0,
      doneAt: 0,
      last: new Float64Array(spec.subscribers),
      renders: new Uint32Array(spec.subscribers),
      dataRenders: new Uint32Array(spec.subscribers),
      subscribersDone: 0,
      seen: 0,
      seenLast: 0,
      violations: [],
      longestTask: 0,
      longTasks: 0,
      frameGap: 0,
      frames: 0,
      heapPeak: 0,
      heapAtArm: 0,
      resolve: undefined,
    };
    st = s;
    if (spec.variant === 'baseline') mountBaseline(s);
    else mountHub(s);
  },
  /** The connection is open and the page has painted since. */
  ready: () => st?.open === true,
  /** Starts the clocks; the driver opens the server's gate right after. */
  arm() {
    const s = st!;
    s.armedAt = performance.now();
    s.heapAtArm = heapNow();
    s.heapPeak = s.heapAtArm;
    frameLoop(s);
    const timer = setInterval(() => {
      s.heapPeak = Math.max(s.heapPeak, heapNow());
      if (s.doneAt !== 0) clearInterval(timer);
    }, 4);
  },
  /** Resolves when every subscriber has the last event, or at the cap. */
  async finish() {
    const s = st!;
    if (s.doneAt === 0) {
      await Promise.race([new Promise<void>((r) => (s.resolve = r)), sleep(Math.max(0, s.armedAt + s.spec.capMs - performance.now()))]);
    }
    const timedOut = s.doneAt === 0;
    const end = s.doneAt || performance.now();
    // Long task entries are delivered after the task; give them a couple of frames.
    await nextFrame();
    await nextFrame();
    await sleep(50);
    const tasks = longTasks.filter((t) => t.startTime >= s.armedAt && t.startTime <= end);
    const sum = (a: Uint32Array) => a.reduce((x, v) => x + v, 0);
    const renders = sum(s.renders);
    const dataRenders = sum(s.dataRenders);
    const result = {
      variant: s.spec.variant,
      timedOut,
      subscribers: s.spec.subscribers,
      target: s.spec.target,
      subscribersDone: s.subscribersDone,
      seen: s.seen,
      violations: s.violations,
      minLast: Math.min(...s.last),
      ok: !timedOut && s.violations.length === 0 && s.seen === s.spec.target && s.subscribersDone === s.spec.subscribers,
      /** arm() → first event delivered. */
      firstMs: s.firstAt ? s.firstAt - s.armedAt : undefined,
      /** first event delivered → last event delivered to every subscriber. */
      floodMs: s.firstAt ? end - s.firstAt : undefined,
      /** arm() → last event delivered to every subscriber. */
      totalMs: end - s.armedAt,
      longTaskApi,
      longestTask: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      longTasks: tasks.length,
      longTaskTotal: tasks.reduce((m, t) => m + t.duration, 0),
      frameGap: s.frameGap,
      frames: s.frames,
      heapAtArm: s.heapAtArm,
      heapPeak: s.heapPeak,
      renders,
      dataRenders,
      maxRenders: Math.max(...s.renders),
      maxDataRenders: Math.max(...s.dataRenders),
    };
    s.source?.close();
    s.root?.unmount();
    return result;
  },
};

declare global {
  interface Window {
    flood: typeof flood;
  }
}
window.flood = flood;
