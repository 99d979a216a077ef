import { callSafely } from '../errors/call-safely';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { ConnectionView } from '../connection/state';
import type { SseEvent, StreamError, StreamState } from '../types';
import type { ConnectionPool } from './pool';
import { StreamObserver, type ReducerResult } from './stream-observer';

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
    callSafely(this.#fold, event);
    this.notify();
  }

  readonly #fold = (event: SseEvent): void => {
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
