import { CONNECTING_STATE, type ConnectionSubscriber } from '../connection/connection';
import type { PublicState } from '../connection/state';
import type { ConnectionPool } from './pool';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { SseEvent } from '../types';
import { callSafely } from './call-safely';

export const PAUSED_STATE: PublicState = Object.freeze({ status: 'paused', error: undefined, retryCount: 0 });

/**
 * One hook call's subscription to a shared connection (the TanStack "observer"): created during
 * render without side effects, attached to the pool only while subscribed and enabled.
 */
export abstract class StreamObserver implements ConnectionSubscriber {
  readonly decoder;
  private listener: (() => void) | undefined;

  constructor(
    protected readonly pool: ConnectionPool,
    readonly stream: ResolvedStream,
    readonly types: readonly string[],
  ) {
    this.decoder = stream.decoder;
  }

  /** Subscribe for useSyncExternalStore / an effect; a disabled observer holds no connection. */
  subscribe(onChange: () => void, enabled: boolean): () => void {
    this.listener = onChange;
    const unsubscribe = enabled ? this.pool.subscribe(this.stream, this) : undefined;
    return () => {
      this.listener = undefined;
      unsubscribe?.();
    };
  }

  /** The shared connection's state, or what it would be before the first subscribe. */
  state(enabled: boolean): PublicState {
    if (!enabled) return PAUSED_STATE;
    return this.pool.peek(this.stream.key)?.state ?? CONNECTING_STATE;
  }

  lastEventId(): string | undefined {
    return this.pool.peek(this.stream.key)?.lastEventId;
  }

  /** Reconnect the shared connection now with a fresh retry budget (also from 'closed'). */
  reconnect(): void {
    this.pool.peek(this.stream.key)?.reconnect();
  }

  /** Close the shared connection for every subscriber. */
  close(): void {
    this.pool.peek(this.stream.key)?.close();
  }

  abstract onEvent(event: SseEvent): void;

  onState(): void {
    this.notify();
  }

  /** Batched: a burst of events costs one render. */
  protected notify(): void {
    if (this.listener) this.pool.scheduler.schedule(this.listener);
  }
}

/** Keeps the last `size` events (useEventStream). Every event is stored as it arrives, so batched renders lose none. */
export class EventBufferObserver extends StreamObserver {
  private buffer: SseEvent[] = [];
  private version = 0;
  private cache: { version: number; events: readonly SseEvent[] } | undefined;

  constructor(pool: ConnectionPool, stream: ResolvedStream, types: readonly string[], private size: number) {
    super(pool, stream, types);
  }

  /** A new bufferSize keeps the events already collected (the newest `size` of them). */
  resize(size: number): void {
    if (size === this.size) return;
    // Events already dropped stay dropped: the buffer keeps a few extra between trims.
    this.buffer = this.buffer.slice(-this.size);
    this.size = size;
    this.version++;
  }

  onEvent(event: SseEvent): void {
    this.buffer.push(event);
    // Trim in batches: amortised O(1) per event instead of shifting on every push.
    if (this.buffer.length >= this.size * 2 + 16) this.buffer = this.buffer.slice(-this.size);
    this.version++;
    this.notify();
  }

  /** Events oldest -> newest, at most `size`; the same array until a new event arrives. */
  events(): readonly SseEvent[] {
    if (this.cache?.version !== this.version) {
      const events = this.buffer.length > this.size ? this.buffer.slice(-this.size) : this.buffer.slice();
      this.cache = { version: this.version, events };
    }
    return this.cache.events;
  }
}

/** Remembers the newest event of its type (useLatestEvent); selection happens in the hook. */
export class LatestEventObserver extends StreamObserver {
  latest: SseEvent | undefined;

  onEvent(event: SseEvent): void {
    this.latest = event;
    this.notify();
  }
}

/** Calls a handler for every event and never asks for a render (useSseEvent). */
export class HandlerObserver extends StreamObserver {
  handler: (event: SseEvent) => void = () => {};

  onEvent(event: SseEvent): void {
    callSafely(this.handler, event);
  }

  override onState(): void {}
}

/** Status only: subscribes to no event type (useSseStatus). */
export class StatusObserver extends StreamObserver {
  onEvent(): void {}
}

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
    callSafely(() => (this.value = this.reducer(this.value, event)));
    this.notify();
  }

  reset(): void {
    this.value = this.initial;
    this.notify();
  }
}
