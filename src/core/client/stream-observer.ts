import { CONNECTING_STATE, type Connection, type ConnectionSubscriber } from '../connection/connection';
import type { EventChannel } from '../connection/event-channel';
import type { PublicState } from '../connection/state';
import type { ConnectionPool } from './pool';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { SseEvent, StreamError } from '../types';
import { callSafely } from '../errors/call-safely';

export const PAUSED_STATE: PublicState = Object.freeze({ status: 'paused', error: undefined, retryCount: 0 });

/**
 * One hook call's subscription to a shared connection (the TanStack "observer"): created during
 * render without side effects, attached to the pool only while subscribed and enabled. Events
 * are kept once per connection (an EventChannel); views read them from there.
 */
export abstract class StreamObserver implements ConnectionSubscriber {
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
    const unsubscribe = enabled ? this.pool.subscribe(this.stream, this) : undefined;
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
  state(enabled: boolean): PublicState {
    if (!enabled) return PAUSED_STATE;
    return this.current()?.state ?? CONNECTING_STATE;
  }

  lastEventId(): string | undefined {
    return this.current()?.lastEventId;
  }

  /** Reconnect the shared connection now with a fresh retry budget (also from 'closed'). */
  reconnect(): void {
    this.current()?.reconnect();
  }

  /** Close the shared connection for every subscriber. */
  close(): void {
    this.current()?.close();
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
export class EventBufferObserver extends StreamObserver {
  private snapshot: readonly SseEvent[] = [];

  constructor(
    pool: ConnectionPool,
    stream: ResolvedStream,
    types: readonly string[],
    public keep: number,
  ) {
    super(pool, stream, types);
  }

  /** A new bufferSize keeps the events already collected (the newest `size` of them). */
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
}

/** The newest event of its type (useLatestEvent); selection happens in the hook. */
export class LatestEventObserver extends StreamObserver {
  latest: SseEvent | undefined;

  onEvents(): void {
    const channel = this.channel;
    if (channel && channel.total > this.from && channel.latest !== this.latest) {
      this.latest = channel.latest;
      this.changed();
    }
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
export class StatusObserver extends StreamObserver {}

/**
 * Folds every event into a value as it arrives (useEventReducer): O(1) work per event, however
 * long the stream runs, and a burst of events renders once.
 */
export class ReducerObserver<S> extends StreamObserver {
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

  reset(): void {
    this.value = this.initial;
    this.notify();
  }
}
