import type { SlotHolder } from '../budget/slot-budget';
import { streamError } from '../stream/stream-error';
import type { TransportCallbacks, TransportConnection, TransportFailure } from '../types';
import type { Connection, ConnectionHost } from './connection';
import type { Action, MachineState } from './state';
import { message } from '../stream/messages';

/**
 * The effects of one connection's lifecycle in this tab: it reads each new state and makes the
 * world match — asks the budget for a slot or gives it back, starts or closes the transport, arms
 * the phase and hidden timers — and reports what happened as actions. It decides nothing.
 */
export class LocalDriver implements SlotHolder {
  private handle: TransportConnection | undefined;
  /** The timer of the current phase: backoff delay, idle watch (open) or stall watch (self-reconnecting). */
  private phaseTimer: ReturnType<typeof setTimeout> | undefined;
  private hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the newest request went out (or, for a browser's own reconnect, no earlier than this). */
  private lastRequestAt = 0;
  /** When the open transport last showed a sign of life (an event, or with fetch any bytes). */
  private lastActivity = 0;

  constructor(
    private readonly connection: Connection,
    private readonly host: ConnectionHost,
    private readonly dispatch: (action: Action) => void,
  ) {}

  // SlotHolder: the budget answers here.
  slotGranted(): void {
    this.dispatch({ type: 'slot-granted' });
  }

  slotWaiting(): void {
    this.dispatch({ type: 'slot-waiting' });
  }

  /** Makes the world match the new state. */
  follow(prev: MachineState, next: MachineState): void {
    const newAttempt = next.attempt !== prev.attempt;
    if (prev.transport === 'live' && (next.transport !== 'live' || newAttempt)) this.closeTransport();
    if (next.transport === 'live' && (prev.transport !== 'live' || newAttempt)) this.startAttempt(next.attempt);
    if (next.slot !== prev.slot) this.followSlot(prev.slot, next.slot);
    if (next.phase !== prev.phase) {
      clearTimeout(this.phaseTimer);
      this.phaseTimer = this.timerFor(next);
    }
  }

  /** Each waiting phase ends by a timer: the backoff delay, a silent open stream, a browser that does not come back. */
  private timerFor({ phase, attempt, delayMs }: MachineState): ReturnType<typeof setTimeout> | undefined {
    const { stream } = this.connection;
    if (phase === 'backoff') return setTimeout(() => this.dispatch({ type: 'delay-elapsed' }), delayMs);
    if (phase === 'self-reconnecting') return setTimeout(() => this.dispatch({ type: 'self-stalled', attempt }), stream.retry.maxDelayMs);
    const timeout = stream.idleTimeoutMs;
    if (phase !== 'open' || timeout === false) return undefined;
    this.lastActivity = Date.now();
    // One timer per quiet period, re-armed for the remainder rather than on every event.
    const check = () => {
      const quiet = Date.now() - this.lastActivity;
      if (quiet < timeout) return void (this.phaseTimer = setTimeout(check, timeout - quiet));
      const error = streamError('network', message('idle', stream.url, timeout));
      this.dispatch({ type: 'lost', attempt, cause: 'idle', error, random: this.host.random() });
    };
    return setTimeout(check, timeout);
  }

  listen(type: string): void {
    this.handle?.listen(type);
  }

  unlisten(type: string): void {
    this.handle?.unlisten(type);
  }

  /** Page visibility changed; only streams with pauseWhenHidden care. */
  visibilityChanged(hidden: boolean): void {
    const delay = this.connection.stream.pauseWhenHidden;
    if (delay === false) return;
    clearTimeout(this.hiddenTimer);
    if (hidden) this.hiddenTimer = setTimeout(() => this.dispatch({ type: 'page', hidden: true }), delay);
    else this.dispatch({ type: 'page', hidden: false });
  }

  dispose(): void {
    clearTimeout(this.hiddenTimer);
  }

  private followSlot(prev: MachineState['slot'], next: MachineState['slot']): void {
    const { budget } = this.host;
    const origin = this.connection.stream.origin;
    if (next === 'waiting') {
      if (budget.acquire(origin, this)) this.dispatch({ type: 'slot-granted' });
      // A browser-wide budget answers later; until it says "wait" the status stays as it is.
      else if (budget.position(origin, this) !== undefined) this.dispatch({ type: 'slot-waiting' });
    } else if (next === 'none' && prev !== 'none') {
      budget.release(origin, this);
    }
  }

  private startAttempt(attempt: number): void {
    const { stream } = this.connection;
    const transport = stream.invalid ?? this.host.transportFor(stream);
    if (!('connect' in transport)) return this.dispatch({ type: 'fatal', attempt, error: transport });
    this.lastRequestAt = Date.now();
    const request = { url: stream.url, eventTypes: this.connection.eventTypes, lastEventId: this.connection.lastEventId, options: stream.connection };
    try {
      this.handle = transport.connect(request, this.callbacks(attempt));
    } catch (cause) {
      const error = streamError('unsupported', message('start-failed', transport.name, stream.url, String(cause)), { cause });
      this.dispatch({ type: 'fatal', attempt, error });
    }
  }

  /** The slot is given back only once the transport has really closed (the reducer waits for this). */
  private closeTransport(): void {
    const handle = this.handle;
    this.handle = undefined;
    const closed = () => this.dispatch({ type: 'transport-closed' });
    let done: void | Promise<void>;
    try {
      done = handle?.close();
    } catch {
      done = undefined;
    }
    if (done) done.then(closed, closed);
    else closed();
  }

  private callbacks(attempt: number): TransportCallbacks {
    const connection = this.connection;
    const alive = () => connection.lifecycle.attempt === attempt && connection.lifecycle.transport === 'live';
    return {
      open: () => {
        // A browser's own reconnect succeeded: that was its request.
        if (connection.lifecycle.phase === 'self-reconnecting') this.lastRequestAt = Date.now();
        this.dispatch({ type: 'opened', attempt });
      },
      event: (type, data, id) => {
        this.lastActivity = Date.now();
        connection.received(attempt, type, data, id);
      },
      retry: (ms) => this.dispatch({ type: 'server-retry', attempt, ms }),
      failure: (failure) => {
        const now = Date.now();
        const sinceRequestMs = now - this.lastRequestAt;
        // The browser's own next request goes out no earlier than now.
        this.lastRequestAt = now;
        this.dispatch(lossOf(failure, attempt, this.host.random(), sinceRequestMs));
      },
      error: (error) => this.dispatch({ type: 'event-error', attempt, error }),
      id: (id) => alive() && connection.setLastEventId(id),
      activity: () => {
        this.lastActivity = Date.now();
      },
    };
  }
}

function lossOf(failure: TransportFailure, attempt: number, random: number, sinceRequestMs: number): Action {
  if (failure.retry === 'never') return { type: 'fatal', attempt, error: failure.error };
  const cause = failure.retry === 'self' ? 'self' : failure.error ? 'broken' : 'ended';
  const retryAfter = failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {};
  return { type: 'lost', attempt, cause, error: failure.error, random, sinceRequestMs, ...retryAfter };
}
