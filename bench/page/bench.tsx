/**
 * The benchmark page: mounts N subscribers of one SSE URL through one of four libraries and
 * records, per subscriber, its renders and when it first rendered the target event. Driven from
 * bench/run.mjs through `window.bench`. Bundled as a production build with React's profiling
 * renderer so <Profiler onRender> counts commits without development-build overhead.
 */
import { Profiler, useEffect, useMemo, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { SSEProvider, useSSE } from 'react-hooks-sse';
import { useEventSource } from 'react-use-websocket';
import { SseProvider, useEventStream, useLatestEvent } from 'react-sse-hub';

export type Lib = 'hub' | 'rws' | 'hooks-sse' | 'naive';

interface Tick {
  n: number;
  price: number;
  sym: string;
}

export interface MountSpec {
  lib: Lib;
  url: string;
  subscribers: number;
  /** The id (= n) of the last event: a subscriber is done when it renders it. */
  target: number;
  shareAcrossTabs?: boolean;
  /**
   * Stop after this long: every EventSource the page opened since the mount is closed, so a peer
   * that would take minutes (or block the page's main thread) still reports how far it got.
   */
  capMs?: number;
}

interface Run {
  root: Root;
  container: HTMLElement;
  startedAt: number;
  commits: number;
  renders: Uint32Array;
  /** Renders in which the subscriber already had data (what events cost). */
  dataRenders: Uint32Array;
  doneAt: Float64Array;
  /** The newest n each subscriber rendered. */
  lastN: Float64Array;
  done: number;
  capAt: number;
  stoppedAt: number;
  sources: EventSource[];
}

const runs = new Map<number, Run>();
let nextId = 1;

// Counts EventSource objects the page creates (a browser queues connections beyond 6 per host,
// so the server alone cannot see how many a naive page asks for).
let eventSourcesCreated = 0;
let liveSources: EventSource[] = [];
const NativeEventSource = window.EventSource;
window.EventSource = class extends NativeEventSource {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(url, init);
    eventSourcesCreated++;
    liveSources.push(this);
  }
};

function note(run: Run, i: number, n: number | undefined, target: number) {
  run.renders[i]!++;
  if (performance.now() > run.capAt) stop(run);
  if (n === undefined) return;
  run.lastN[i] = n;
  run.dataRenders[i]!++;
  if (n === target && run.doneAt[i] === 0) {
    run.doneAt[i] = performance.now();
    run.done++;
  }
}

function stop(run: Run) {
  if (run.stoppedAt !== 0 || run.done === run.doneAt.length) return;
  run.stoppedAt = performance.now();
  for (const source of run.sources) source.close();
}

const selectN = (t: Tick) => t.n;

interface SubscriberProps {
  run: Run;
  i: number;
  url: string;
  target: number;
}

function HubSubscriber({ run, i, url, target }: SubscriberProps) {
  const n = useLatestEvent<Tick, number>(url, 'message', { select: selectN }).data;
  note(run, i, n, target);
  return <i>{n}</i>;
}

function RwsSubscriber({ run, i, url, target }: SubscriberProps) {
  const { lastEvent } = useEventSource(url, { share: true });
  const n = useMemo(() => (lastEvent ? (JSON.parse(lastEvent.data as string) as Tick).n : undefined), [lastEvent]);
  note(run, i, n, target);
  return <i>{n}</i>;
}

const reduceToN = (_: number | undefined, action: { data: Tick }) => action.data.n;

function HooksSseSubscriber({ run, i, target }: SubscriberProps) {
  const n = useSSE<number | undefined, Tick>('message', undefined, { stateReducer: reduceToN });
  note(run, i, n, target);
  return <i>{n}</i>;
}

function NaiveSubscriber({ run, i, url, target }: SubscriberProps) {
  const [n, setN] = useState<number | undefined>(undefined);
  useEffect(() => {
    const source = new EventSource(url);
    source.onmessage = (event: MessageEvent<string>) => setN((JSON.parse(event.data) as Tick).n);
    return () => source.close();
  }, [url]);
  note(run, i, n, target);
  return <i>{n}</i>;
}

const SUBSCRIBERS = { hub: HubSubscriber, rws: RwsSubscriber, 'hooks-sse': HooksSseSubscriber, naive: NaiveSubscriber };

function Bench({ spec, run }: { spec: MountSpec; run: Run }) {
  const Subscriber = SUBSCRIBERS[spec.lib];
  const list = Array.from({ length: spec.subscribers }, (_, i) => <Subscriber key={i} run={run} i={i} url={spec.url} target={spec.target} />);
  const counted = (
    <Profiler id="subscribers" onRender={() => run.commits++}>
      {list}
    </Profiler>
  );
  if (spec.lib === 'hub') return <SseProvider shareAcrossTabs={spec.shareAcrossTabs}>{counted}</SseProvider>;
  if (spec.lib === 'hooks-sse') return <SSEProvider endpoint={spec.url}>{counted}</SSEProvider>;
  return counted;
}

function BufferProbe({ url, target, onDone }: { url: string; target: number; onDone: () => void }) {
  const { events } = useEventStream<Tick>(url, { bufferSize: 100 });
  const last = events[events.length - 1];
  useEffect(() => {
    if (last?.data.n === target) onDone();
  }, [last, target, onDone]);
  return <b>{last?.data.n}</b>;
}

const bench = {
  mount(spec: MountSpec): number {
    const id = nextId++;
    const container = document.createElement('div');
    document.body.appendChild(container);
    const run: Run = {
      root: createRoot(container),
      container,
      startedAt: performance.now(),
      commits: 0,
      renders: new Uint32Array(spec.subscribers),
      dataRenders: new Uint32Array(spec.subscribers),
      doneAt: new Float64Array(spec.subscribers),
      lastN: new Float64Array(spec.subscribers),
      done: 0,
      capAt: performance.now() + (spec.capMs ?? Infinity),
      stoppedAt: 0,
      sources: (liveSources = []),
    };
    runs.set(id, run);
    // The check in render covers a main thread too busy for timers; this one a page that went quiet.
    if (spec.capMs !== undefined) setTimeout(() => stop(run), spec.capMs);
    run.root.render(<Bench spec={spec} run={run} />);
    return id;
  },
  progress(id: number) {
    const run = runs.get(id)!;
    const last = run.done === run.doneAt.length ? Math.max(...run.doneAt) : undefined;
    const sum = (a: Uint32Array) => a.reduce((s, v) => s + v, 0);
    return {
      done: run.done,
      subscribers: run.doneAt.length,
      commits: run.commits,
      renders: sum(run.renders),
      dataRenders: sum(run.dataRenders),
      maxDataRenders: Math.max(...run.dataRenders),
      minDataRenders: Math.min(...run.dataRenders),
      /** Events every subscriber has rendered (the slowest subscriber's newest n). */
      delivered: Math.min(...run.lastN),
      stopped: run.stoppedAt !== 0,
      elapsedMs: (last ?? (run.stoppedAt || performance.now())) - run.startedAt,
      eventSourcesCreated,
    };
  },
  unmount(id: number): void {
    const run = runs.get(id);
    if (!run) return;
    run.root.unmount();
    run.container.remove();
    runs.delete(id);
  },
  /** One useEventStream({ bufferSize: 100 }) subscriber; resolves once it rendered event `target`. */
  buffer(url: string, target: number): { done: Promise<void>; unmount(): void } {
    const container = document.createElement('div');
    document.body.appendChild(container);
    const root = createRoot(container);
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    root.render(
      <SseProvider>
        <BufferProbe url={url} target={target} onDone={resolve} />
      </SseProvider>,
    );
    return {
      done,
      unmount() {
        root.unmount();
        container.remove();
      },
    };
  },
};

let buffered: ReturnType<typeof bench.buffer> | undefined;
const api = {
  ...bench,
  startBuffer(url: string, target: number) {
    buffered = bench.buffer(url, target);
  },
  bufferDone: () => buffered!.done,
  eventSourcesCreated: () => eventSourcesCreated,
  stopBuffer() {
    buffered?.unmount();
    buffered = undefined;
  },
};

declare global {
  interface Window {
    bench: typeof api;
  }
}
window.bench = api;
