import type { Connection, ConnectionSubscriber } from '../connection/connection';
import { CONNECTING_STATE } from '../connection/state';
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
  #listener: (() => void) | undefined;
  #notifying = false;

  constructor(
    protected readonly pool: ConnectionPool,
    readonly stream: ResolvedStream,
    readonly types: readonly string[],
  ) {
    this.decoder = stream.decoder;
  }

  /** The connection joined, while subscribed: it is still this observer's after a client's dispose() took it out of the pool. */
  #connection: Connection | undefined;

  attach(channel: EventChannel, connection: Connection): void {
    this.channel = channel;
    this.from = channel.total;
    this.#connection = connection;
  }

  #current(): Connection | undefined {
    return this.#connection ?? this.pool.peek(this.stream.key);
  }

  /** Subscribe for useSyncExternalStore / an effect; a disabled observer holds no connection. */
  subscribe(onChange: () => void, enabled: boolean): () => void {
    this.#listener = onChange;
    const unsubscribe = enabled ? this.pool.join(this.stream, this) : undefined;
    return () => {
      this.detach();
      this.channel = undefined;
      this.#connection = undefined;
      this.#listener = undefined;
      unsubscribe?.();
    };
  }

  /** Keep what the channel holds for this observer before letting go of it. */
  protected detach(): void {}

  /** The shared connection's state, or what it would be before the first subscribe. */
  state(enabled: boolean): ConnectionView {
    if (!enabled) return PAUSED_STATE;
    return this.#current()?.state ?? CONNECTING_STATE;
  }

  lastEventId(): string | undefined {
    return this.#current()?.lastEventId;
  }

  // Bound once: every result of this observer carries the same two functions.
  /** Reconnect the shared connection now with a fresh retry budget (also from 'closed'). */
  readonly reconnect = (): void => this.#current()?.reconnect();
  /** Close the shared connection for every subscriber. */
  readonly close = (): void => this.#current()?.close();

  /** The result last handed out, and the connection view it shows. */
  #result: R | undefined;
  #view: ConnectionView | undefined;
  #server: R | undefined;

  /**
   * The current result: the last one while it still shows the connection's view (replaced only
   * when a field changes) and `same(result)` holds, else a new one made by `make`.
   */
  protected read(enabled: boolean): R {
    const view = this.state(enabled);
    const prev = this.#result;
    if (prev && view === this.#view && this.same(prev)) return prev;
    this.#view = view;
    return (this.#result = this.make(view, this.lastEventId()));
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
    return (this.#server ??= this.make(CONNECTING_STATE, undefined));
  }

  onState(): void {
    this.notify();
  }

  /** At most once per flush, however many events or state changes asked. */
  protected notify(): void {
    if (!this.#listener || this.#notifying) return;
    this.#notifying = true;
    this.pool.scheduler.schedule(this.#flushNotify);
  }

  readonly #flushNotify = (): void => {
    this.#notifying = false;
    this.#listener?.();
  };

  /** Views: the channel flushed; the listener runs now (this already is the batched moment). */
  protected changed(): void {
    this.#listener?.();
  }
}
