import { CONNECTING_STATE, type Connection, type ConnectionSubscriber } from '../connection/connection';
import type { EventChannel } from '../connection/event-channel';
import type { ConnectionView } from '../connection/state';
import type { ConnectionPool } from './pool';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { SseEvent, StreamError, StreamState } from '../types';
import { callSafely } from '../errors/call-safely';

export const PAUSED_STATE: ConnectionView = Object.freeze({ status: 'paused', error: undefined, retryCount: 0 });

/** What each view observer's getResult() returns (the hooks' results, before their type parameters). */
export interface EventBufferResult extends StreamState {
  events: readonly SseEvent[];
  lastEvent: SseEvent | undefined;
}
export interface LatestResult extends StreamState {
  data: unknown;
  event: SseEvent | undefined;
}
export interface ReducerResult<S> extends StreamState {
  state: S;
  reset(): void;
}

/**
 * One hook call's subscription to a shared connection (the TanStack "observer"): created during
 * render without side effects, attached to the pool only while subscribed and enabled. Events
 * are kept once per connection (an EventChannel); views read them from there. Each view owns its
 * result (QueryObserver.getCurrentResult()): getResult() hands out the same object until a field
 * it shows changes, so it is useSyncExternalStore's getSnapshot as it stands.
 */
export abstract class StreamObserver<R extends StreamState = StreamState> implements ConnectionSubscriber {
  readonly decoder;
  /** Where this observer's events are kept while it is subscribed. */
  protected channel: EventChannel | undefined;
  /** The channel's event count when attached: earlier events belong to other readers. */
  protected from = 0;
  private listener: (() => void) | undefined;
  private notifying = false;

  constructor(
    protected readonly pool: ConnectionPool,
    readonly stream: ResolvedStream,
    readonly types: readonly string[],
  ) {
    this.decoder = stream.decoder;
  }

  /** The connection joined, while subscribed: it is still this observer's after a client's dispose() took it out of the pool. */
  private connection: Connection | undefined;

  attach(channel: EventChannel, connection: Connection): void {
    this.channel = channel;
    this.from = channel.total;
    this.connection = connection;
  }

  private current(): Connection | undefined {
    return this.connection ?? this.pool.peek(this.stream.key);
  }

  /** Subscribe for useSyncExternalStore / an effect; a disabled observer holds no connection. */
  subscribe(onChange: () => void, enabled: boolean): () => void {
    this.listener = onChange;
    const unsubscribe = enabled ? this.pool.join(this.stream, this) : undefined;
    return () => {
      this.detach();
      this.channel = undefined;
      this.connection = undefined;
      this.listener = undefined;
      unsubscribe?.();
    };
  }

  /** Keep what the channel holds for this observer before letting go of it. */
  protected detach(): void {}

  /** The shared connection's state, or what it would be before the first subscribe. */
  state(enabled: boolean): ConnectionView {
    if (!enabled) return PAUSED_STATE;
    return this.current()?.state ?? CONNECTING_STATE;
  }

  lastEventId(): string | undefined {
    return this.current()?.lastEventId;
  }

  // Bound once: every result of this observer carries the same two functions.
  /** Reconnect the shared connection now with a fresh retry budget (also from 'closed'). */
  readonly reconnect = (): void => this.current()?.reconnect();
  /** Close the shared connection for every subscriber. */
  readonly close = (): void => this.current()?.close();

  /** The result last handed out, and the connection view it shows. */
  private result: R | undefined;
  private view: ConnectionView | undefined;
  private server: R | undefined;

  /**
   * The current result: the last one while it still shows the connection's view (replaced only
   * when a field changes) and `same(result)` holds, else a new one made by `make`.
   */
  protected read(enabled: boolean): R {
    const view = this.state(enabled);
    const prev = this.result;
    if (prev && view === this.view && this.same(prev)) return prev;
    this.view = view;
    return (this.result = this.make(view, this.lastEventId()));
  }

  /** The result still shows this observer's own fields (and whatever else it re-renders for). */
  protected same(_result: R): boolean {
    return true;
  }

  /** A new result: the base fields plus this observer's own, as they stand. */
  protected make(view: ConnectionView, lastEventId: string | undefined): R {
    return { status: view.status, error: view.error, retryCount: view.retryCount, lastEventId, reconnect: this.reconnect, close: this.close } as R;
  }

  /** Before hydration and on the server: 'connecting', nothing received (the fields as first made). */
  getServerResult(): R {
    return (this.server ??= this.make(CONNECTING_STATE, undefined));
  }

  onState(): void {
    this.notify();
  }

  /** At most once per flush, however many events or state changes asked. */
  protected notify(): void {
    if (!this.listener || this.notifying) return;
    this.notifying = true;
    this.pool.scheduler.schedule(this.flushNotify);
  }

  private readonly flushNotify = (): void => {
    this.notifying = false;
    this.listener?.();
  };

  /** Views: the channel flushed; the listener runs now (this already is the batched moment). */
  protected changed(): void {
    this.listener?.();
  }
}

/**
 * The last `keep` events (useEventStream). The connection's channel stores each event once; this
 * view takes the ones it has not seen when React asks for a snapshot, so the work per event does
 * not depend on how many views there are, and a batched render loses none.
 */
export class EventBufferObserver extends StreamObserver<EventBufferResult> {
  private snapshot: readonly SseEvent[] = [];
  /** The events the result shows: the newest of `snapshot`, as many as the reading render's bufferSize. */
  private shown: readonly SseEvent[] = [];

  constructor(
    pool: ConnectionPool,
    stream: ResolvedStream,
    types: readonly string[],
    /** The committed bufferSize: how many events this view keeps (and asks its channel to keep). */
    public keep: number,
  ) {
    super(pool, stream, types);
  }

  /** A new bufferSize, once committed: keeps the events already collected (the newest `size` of them). */
  resize(size: number): void {
    if (size === this.keep) return;
    // Take what arrived since the last read with the old size first.
    const shown = this.events();
    this.keep = size;
    this.channel?.resize();
    if (shown.length > size) this.snapshot = shown.slice(-size);
  }

  onEvents(): void {
    if (this.channel && this.channel.total > this.from) this.changed();
  }

  protected override detach(): void {
    this.events();
  }

  /** Events oldest -> newest, at most `keep`; the same array until new events arrive. */
  events(): readonly SseEvent[] {
    const channel = this.channel;
    if (channel && channel.total > this.from) {
      const unseen = channel.total - this.from;
      const fresh = channel.recent(this.keep, this.from);
      this.from = channel.total;
      // All unseen events are still in the channel (it keeps at least `keep`): append them; else
      // the newest ones replace what was shown.
      this.snapshot = fresh.length >= this.keep || fresh.length < unseen ? fresh : [...this.snapshot, ...fresh].slice(-this.keep);
    }
    return this.snapshot;
  }

  /**
   * The newest `size` events and the connection state. `size` is the bufferSize of the render
   * reading it, which may never commit: it only narrows what the result shows; the events kept
   * change with resize(), after a commit.
   */
  getResult(enabled: boolean, size = this.keep): EventBufferResult {
    const all = this.events();
    const shown = this.shown;
    // Both are windows onto one sequence that only grows at its end, where each event appears
    // once: the same length and the same newest event are the same events.
    if (shown.length !== Math.min(size, all.length) || shown[shown.length - 1] !== all[all.length - 1]) {
      this.shown = all.length > size ? all.slice(-size) : all;
    }
    return this.read(enabled);
  }

  // The stream's last event id also moves with events of other types and id-only blocks.
  protected override same(result: EventBufferResult): boolean {
    return result.events === this.shown && result.lastEventId === this.lastEventId();
  }

  protected override make(view: ConnectionView, lastEventId: string | undefined): EventBufferResult {
    const events = this.shown;
    return { ...super.make(view, lastEventId), events, lastEvent: events[events.length - 1] };
  }
}

/**
 * The newest event of its type (useLatestEvent), narrowed by the hook's `select`. Each new event
 * is selected once; `data` (and `event`) stay the same while `isEqual` finds the selection
 * unchanged, so the component does not render.
 */
export class LatestEventObserver extends StreamObserver<LatestResult> {
  latest: SseEvent | undefined;
  /** The event and the select function `data` was last worked out with. */
  private selectedFrom: SseEvent | undefined;
  private selectedWith: ((data: unknown) => unknown) | undefined;
  /** The selected value shown, and the event at which it last changed. */
  private data: unknown;
  private dataEvent: SseEvent | undefined;

  onEvents(): void {
    const channel = this.channel;
    if (channel && channel.total > this.from && channel.latest !== this.latest) {
      this.latest = channel.latest;
      this.changed();
    }
  }

  /**
   * `select` and `isEqual` are the reading render's: a render with a new select shows the current
   * event's selection by it (an inline select runs again per render; a stable one once per event).
   */
  getResult(enabled: boolean, select?: (data: unknown) => unknown, isEqual: (a: unknown, b: unknown) => boolean = Object.is): LatestResult {
    const latest = this.latest;
    if (latest !== this.selectedFrom || select !== this.selectedWith) {
      this.selectedFrom = latest;
      this.selectedWith = select;
      const data = latest && (select ? select(latest.data) : latest.data);
      if (!this.dataEvent || !latest || !isEqual(this.data, data)) {
        this.data = data;
        this.dataEvent = latest;
      }
    }
    return this.read(enabled);
  }

  protected override same(result: LatestResult): boolean {
    return result.event === this.dataEvent && Object.is(result.data, this.data);
  }

  protected override make(view: ConnectionView, lastEventId: string | undefined): LatestResult {
    return { ...super.make(view, lastEventId), data: this.data, event: this.dataEvent };
  }
}

/** Calls a handler for every event and never asks for a render (useSseEvent). */
export class HandlerObserver extends StreamObserver {
  handler: (event: SseEvent) => void = () => {};
  /** Every StreamError as it happens (useSseEvent's onError). */
  errorHandler: ((error: StreamError) => void) | undefined = undefined;

  onEvent(event: SseEvent): void {
    callSafely(this.handler, event);
  }

  onError(error: StreamError): void {
    if (this.errorHandler) callSafely(this.errorHandler, error);
  }

  /** It renders nothing: only an onError shows the stream's errors. */
  showsErrors(): boolean {
    return this.errorHandler !== undefined;
  }

  override onState(): void {}
}

/** Status only: subscribes to no event type (useSseStatus). */
export class StatusObserver extends StreamObserver {
  getResult(): StreamState {
    return this.read(true);
  }
}

/**
 * Folds every event into a value as it arrives (useEventReducer): O(1) work per event, however
 * long the stream runs, and a burst of events renders once.
 */
export class ReducerObserver<S> extends StreamObserver<ReducerResult<S>> {
  value: S;

  constructor(
    pool: ConnectionPool,
    stream: ResolvedStream,
    types: readonly string[],
    /** The newest committed reducer and initial state (the hook updates them after each commit). */
    public reducer: (state: S, event: SseEvent) => S,
    public initial: S,
  ) {
    super(pool, stream, types);
    this.value = initial;
  }

  onEvent(event: SseEvent): void {
    // A reducer that throws keeps the state it had; its error surfaces outside React's render.
    callSafely(this.fold, event);
    this.notify();
  }

  private readonly fold = (event: SseEvent): void => {
    this.value = this.reducer(this.value, event);
  };

  /** Back to the initial state; bound once, like reconnect and close. */
  readonly reset = (): void => {
    this.value = this.initial;
    this.notify();
  };

  getResult(enabled: boolean): ReducerResult<S> {
    return this.read(enabled);
  }

  protected override same(result: ReducerResult<S>): boolean {
    return Object.is(result.state, this.value);
  }

  protected override make(view: ConnectionView, lastEventId: string | undefined): ReducerResult<S> {
    return { ...super.make(view, lastEventId), state: this.value, reset: this.reset };
  }
}
