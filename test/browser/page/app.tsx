/**
 * The real-browser test page: mounts providers and components on demand from Playwright
 * (`window.hub.mount(spec)`) and records what each component saw, so tests can compare it with
 * what the server sent.
 */
import { Activity, StrictMode, useEffect, useRef } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import {
  SseProvider,
  useEventStream,
  useLatestEvent,
  useSseEvent,
  useSsePool,
  useSseStatus,
  type PoolEntry,
  type SseProviderProps,
  type StreamOptions,
} from 'react-sse-hub';

export interface StreamSpec {
  url: string;
  options?: StreamOptions;
  /** How many components subscribe to this stream. Default 1. */
  components?: number;
  /** Which hook each component uses. Default 'events'. */
  hook?: 'events' | 'latest' | 'handler' | 'status';
  /** Event type to read. Default 'message'. */
  type?: string;
  bufferSize?: number;
  /** Fetch transport: headers come from an async function returning this bearer token. */
  tokenFn?: string;
  /**
   * Headers from a function returning `Bearer <token>`, the token starting at `from`; a 401 is
   * answered by retry.shouldRetry with a refresh (a round trip to /ping) that sets it to `to`.
   */
  tokenRefresh?: { from: string; to: string };
}

export interface MountSpec {
  provider?: Omit<SseProviderProps, 'children' | 'transport'> | undefined;
  strict?: boolean;
  /**
   * Wraps the streams' components (not the provider) in React 19's <Activity mode={activity}>;
   * hub.activity() flips it. Unset: no <Activity> at all.
   */
  activity?: 'visible' | 'hidden' | undefined;
  streams: StreamSpec[];
}

/** window.hub.churn(): one provider whose components mount and unmount in random batches. */
export interface ChurnSpec {
  urls: string[];
  options?: StreamOptions;
  provider?: Omit<SseProviderProps, 'children' | 'transport'> | undefined;
  /** Mounts to perform in all (each is unmounted again, at the latest at the end). */
  cycles: number;
  /** Components per URL. Default 2. */
  perUrl?: number;
  /** Components toggled (mounted or unmounted) per step. Default 8. */
  batch?: number;
  /** Wait between steps: random in [0, pauseMs] ms. Default 10. */
  pauseMs?: number;
  /** Seed of the deterministic random sequence. Default 1. */
  seed?: number;
}

export interface ChurnResult {
  mounts: number;
  steps: number;
  ms: number;
}

export interface ComponentRecord {
  status: string;
  retryCount: number;
  error: { kind: string; status?: number | undefined; message: string } | undefined;
  /** useEventStream: ids in the buffer now. useLatestEvent: every distinct latest id rendered. useSseEvent: every id handled. */
  ids: string[];
  /** Every error kind this component rendered, in order (deduplicated runs). */
  errors: string[];
  /** Every status this component rendered (deduplicated runs). */
  statuses: string[];
  /**
   * Mounts with `activity` set: the status of every render, in order, not deduplicated (a
   * 'connecting' rendered while hidden and again when shown are two entries).
   */
  rendered?: string[] | undefined;
  /** useSseEvent: every error kind its onError was told, in order. */
  heard: string[];
  renders: number;
}

interface Mounted {
  root: Root;
  container: HTMLElement;
  records: ComponentRecord[][];
  pool: readonly PoolEntry[];
  /** The spec as mounted, plus any streams add() appended. */
  spec?: MountSpec;
  /** Renders the mount with its current spec (again, after add()); resolves once committed. */
  render?: () => Promise<void>;
}

const mounted = new Map<number, Mounted>();
const actions = new WeakMap<ComponentRecord, { close(): void; reconnect(): void }>();
let nextId = 1;

function emptyRecord(): ComponentRecord {
  return { status: '', retryCount: 0, error: undefined, ids: [], errors: [], statuses: [], heard: [], renders: 0 };
}

function noteState(record: ComponentRecord, state: { status: string; retryCount: number; error: ComponentRecord['error'] }) {
  record.status = state.status;
  record.retryCount = state.retryCount;
  record.error = state.error && { kind: state.error.kind, status: state.error.status, message: state.error.message };
  if (record.statuses.at(-1) !== state.status) record.statuses.push(state.status);
  record.rendered?.push(state.status);
  if (state.error && record.errors.at(-1) !== state.error.kind) record.errors.push(state.error.kind);
}

function resolveOptions(spec: StreamSpec): StreamOptions {
  if (spec.tokenRefresh) return withTokenRefresh(spec.options ?? {}, spec.tokenRefresh);
  if (!spec.tokenFn) return spec.options ?? {};
  const token = spec.tokenFn;
  return { ...spec.options, headers: async () => ({ Authorization: `Bearer ${token}` }) };
}

function withTokenRefresh(options: StreamOptions, { from, to }: { from: string; to: string }): StreamOptions {
  let token = from;
  return {
    ...options,
    headers: () => ({ Authorization: `Bearer ${token}` }),
    retry: {
      ...options.retry,
      shouldRetry: async (error) => {
        if (error.kind !== 'http' || error.status !== 401) return false;
        await fetch(`/ping?refresh=${Math.random()}`, { cache: 'no-store' });
        token = to;
        return true;
      },
    },
  };
}

function EventsProbe({ spec, record, options }: { spec: StreamSpec; record: ComponentRecord; options: StreamOptions }) {
  const result = useEventStream({ url: spec.url, options }, { events: [spec.type ?? 'message'], bufferSize: spec.bufferSize ?? 10_000 });
  record.renders++;
  noteState(record, result);
  record.ids = result.events.map((e) => String(e.id));
  actions.set(record, result);
  return <li data-status={result.status}>{result.events.length}</li>;
}

function LatestProbe({ spec, record, options }: { spec: StreamSpec; record: ComponentRecord; options: StreamOptions }) {
  const result = useLatestEvent({ url: spec.url, options }, spec.type ?? 'message');
  const status = useSseStatus({ url: spec.url, options });
  record.renders++;
  noteState(record, status);
  const id = result.event?.id;
  if (id !== undefined && record.ids.at(-1) !== id) record.ids.push(id);
  return <li data-status={result.status}>{id}</li>;
}

function HandlerProbe({ spec, record, options }: { spec: StreamSpec; record: ComponentRecord; options: StreamOptions }) {
  useSseEvent(
    { url: spec.url, options },
    spec.type ?? 'message',
    (event) => {
      record.ids.push(String(event.id));
    },
    { onError: (error) => record.heard.push(error.kind) },
  );
  const status = useSseStatus({ url: spec.url, options });
  record.renders++;
  noteState(record, status);
  return <li data-status={status.status}>{status.status}</li>;
}

function StatusProbe({ spec, record, options }: { spec: StreamSpec; record: ComponentRecord; options: StreamOptions }) {
  const status = useSseStatus({ url: spec.url, options });
  record.renders++;
  noteState(record, status);
  return <li data-status={status.status}>{status.status}</li>;
}

function ChurnProbe({ source }: { source: { url: string; options: StreamOptions } }) {
  const { status } = useEventStream(source, { bufferSize: 1 });
  return <li data-status={status} />;
}

const PROBES = { events: EventsProbe, latest: LatestProbe, handler: HandlerProbe, status: StatusProbe };

function PoolProbe({ target }: { target: Mounted }) {
  target.pool = useSsePool();
  return null;
}

function App({ spec, target }: { spec: MountSpec; target: Mounted }) {
  // Options objects are created once per stream, as an app would define them at module level
  // (streams added later by hub.add() get theirs when they first render).
  const options = useRef<StreamOptions[]>([]).current;
  spec.streams.forEach((stream, s) => (options[s] ??= resolveOptions(stream)));
  const probes = spec.streams.map((stream, s) => {
    const Probe = PROBES[stream.hook ?? 'events'];
    return (
      <ul key={s}>
        {target.records[s]!.map((record, c) => (
          <Probe key={c} spec={stream} record={record} options={options[s]!} />
        ))}
      </ul>
    );
  });
  // The pool probe stays outside <Activity>: it reads the pool whether the streams are shown or not.
  return (
    <SseProvider {...spec.provider}>
      <PoolProbe target={target} />
      {spec.activity === undefined ? probes : <Activity mode={spec.activity}>{probes}</Activity>}
    </SseProvider>
  );
}

function Ready({ onReady }: { onReady: () => void }) {
  useEffect(onReady, [onReady]);
  return null;
}

const hub = {
  mount(spec: MountSpec): Promise<number> {
    const id = nextId++;
    const container = document.createElement('div');
    document.body.appendChild(container);
    const records = spec.streams.map((s) => Array.from({ length: s.components ?? 1 }, emptyRecord));
    if (spec.activity !== undefined) records.flat().forEach((record) => (record.rendered = []));
    const target: Mounted = { root: createRoot(container), container, records, pool: [] };
    mounted.set(id, target);
    const current = { ...spec, streams: [...spec.streams] };
    target.render = () =>
      new Promise((resolve) => {
        const app = (
          <>
            <App spec={{ ...current, streams: [...current.streams] }} target={target} />
            <Ready onReady={resolve} />
          </>
        );
        target.root.render(current.strict ? <StrictMode>{app}</StrictMode> : app);
      });
    target.spec = current;
    return target.render().then(() => id);
  },
  /** Adds a stream to a mounted provider (after the ones already there); resolves with its index. */
  async add(id: number, stream: StreamSpec): Promise<number> {
    const target = mounted.get(id);
    if (!target?.render || !target.spec) throw new Error(`no mount ${id}`);
    target.spec.streams.push(stream);
    target.records.push(Array.from({ length: stream.components ?? 1 }, emptyRecord));
    await target.render();
    return target.spec.streams.length - 1;
  },
  /** Sets the <Activity> mode of a mount made with `activity` set; resolves once committed. */
  async activity(id: number, mode: 'visible' | 'hidden'): Promise<void> {
    const target = mounted.get(id);
    if (!target?.render || target.spec?.activity === undefined) throw new Error(`no mount ${id} with <Activity>`);
    target.spec.activity = mode;
    await target.render();
  },
  /**
   * Mounts and unmounts components of a few URLs under ONE provider (so one budget), `batch` at a
   * time with random pauses, `cycles` mounts in all; then unmounts everything.
   */
  async churn(spec: ChurnSpec): Promise<ChurnResult> {
    const { urls, perUrl = 2, batch = 8, pauseMs = 10 } = spec;
    let seed = spec.seed ?? 1;
    const random = () => {
      // mulberry32: a small deterministic generator, so a failing run can be replayed.
      let t = (seed = (seed + 0x6d2b79f5) | 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const sources = urls.map((url) => ({ url, options: spec.options ?? {} }));
    const on: boolean[] = Array(urls.length * perUrl).fill(false);
    const container = document.createElement('div');
    document.body.appendChild(container);
    const root = createRoot(container);
    const draw = () =>
      flushSync(() =>
        root.render(
          <SseProvider {...spec.provider}>
            {on.map((isOn, i) => (isOn ? <ChurnProbe key={i} source={sources[i % urls.length]!} /> : null))}
          </SseProvider>,
        ),
      );
    const start = performance.now();
    let mounts = 0;
    let steps = 0;
    while (mounts < spec.cycles) {
      for (let b = 0; b < batch && mounts < spec.cycles; b++) {
        const i = Math.floor(random() * on.length);
        on[i] = !on[i];
        if (on[i]) mounts++;
      }
      draw();
      steps++;
      await new Promise((r) => setTimeout(r, Math.floor(random() * (pauseMs + 1))));
    }
    on.fill(false);
    draw();
    root.unmount();
    container.remove();
    return { mounts, steps, ms: Math.round(performance.now() - start) };
  },
  unmount(id: number): void {
    const target = mounted.get(id);
    if (!target) return;
    target.root.unmount();
    target.container.remove();
    mounted.delete(id);
  },
  records(id: number): ComponentRecord[][] {
    return JSON.parse(JSON.stringify(mounted.get(id)?.records ?? []));
  },
  /** close() or reconnect() through the first useEventStream component of stream s. */
  command(id: number, s: number, command: 'close' | 'reconnect'): void {
    const record = mounted.get(id)?.records[s]?.[0];
    const target = record && actions.get(record);
    if (!target) throw new Error(`stream ${s} of mount ${id} has no useEventStream component`);
    target[command]();
  },
  pool(id: number): PoolEntry[] {
    return JSON.parse(JSON.stringify(mounted.get(id)?.pool ?? []));
  },
  /** Time a plain request to the page's origin while streams are open. */
  async ping(): Promise<number> {
    const start = performance.now();
    await fetch(`/ping?t=${Math.random()}`, { cache: 'no-store' });
    return performance.now() - start;
  },
};

declare global {
  interface Window {
    hub: typeof hub;
  }
}
window.hub = hub;
