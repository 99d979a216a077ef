import type { SlotHolder } from '../budget/slot-budget';
import { streamError } from '../errors/stream-error';
import type { TransportCallbacks, TransportConnection, TransportFailure } from '../types';
import type { ConnectionHost, DrivenConnection } from './connection-host';
import type { Action, Failure, MachineState } from './state';
import { message } from '../errors/messages';

/**
 * The effects of one connection's lifecycle in this tab: it reads each new state and makes the
 * world match — asks the budget for a slot or gives it back, starts or closes the transport, arms
 * the phase and hidden timers — and reports what happened as actions. It decides nothing.
 * The budget knows it as the connection's SlotHolder and answers through it.
 */
export interface LocalDriver extends SlotHolder {
  /** Makes the world match the new state. */
  follow(prev: MachineState, next: MachineState): void;
  listen(type: string): void;
  unlisten(type: string): void;
  /** Page visibility changed; only streams with pauseWhenHidden care. */
  visibilityChanged(hidden: boolean): void;
  dispose(): void;
}

export function createLocalDriver(connection: DrivenConnection, host: ConnectionHost, dispatch: (action: Action) => void): LocalDriver {
  const { stream } = connection;
  const { timers } = host;
  let handle: TransportConnection | undefined;
  /** The timer of the current phase: backoff delay, idle watch (open) or stall watch (self-reconnecting). */
  let phaseTimer: unknown;
  let hiddenTimer: unknown;
  /** When the newest request went out (or, for a browser's own reconnect, no earlier than this). */
  let lastRequestAt = 0;
  /** When the open transport last showed a sign of life (an event, or with fetch any bytes). */
  let lastActivity = 0;
  const watchIdle = stream.idleTimeoutMs !== false;
  /**
   * The attempt whose transport is live (0: none), kept from each new state: the per-event check
   * that drops a superseded attempt's events is then one comparison, not a read of the state.
   */
  let liveAttempt = 0;

  const driver: LocalDriver = {
    slotGranted: () => dispatch({ type: 'slot-granted' }),
    slotWaiting: () => dispatch({ type: 'slot-waiting' }),
    follow(prev, next) {
      liveAttempt = next.transport === 'live' ? next.attempt : 0;
      const newAttempt = next.attempt !== prev.attempt;
      if (prev.transport === 'live' && (next.transport !== 'live' || newAttempt)) closeTransport();
      if (next.transport === 'live' && (prev.transport !== 'live' || newAttempt)) startAttempt(next.attempt);
      if (next.slot !== prev.slot) followSlot(prev.slot, next.slot);
      if (next.phase !== prev.phase) {
        timers.clearTimeout(phaseTimer);
        phaseTimer = timerFor(next);
      }
    },
    listen: (type) => handle?.listen(type),
    unlisten: (type) => handle?.unlisten(type),
    visibilityChanged(hidden) {
      const delay = stream.pauseWhenHidden;
      if (delay === false) return;
      timers.clearTimeout(hiddenTimer);
      if (hidden) hiddenTimer = timers.setTimeout(() => dispatch({ type: 'page', hidden: true }), delay);
      else dispatch({ type: 'page', hidden: false });
    },
    dispose: () => timers.clearTimeout(hiddenTimer),
  };

  /** Each waiting phase ends by a timer: the backoff delay, a silent open stream, a browser that does not come back. */
  function timerFor({ phase, attempt, delayMs }: MachineState): unknown {
    if (phase === 'backoff') return timers.setTimeout(() => dispatch({ type: 'delay-elapsed' }), delayMs);
    if (phase === 'self-reconnecting') return timers.setTimeout(() => dispatch({ type: 'self-stalled', attempt }), stream.retry.maxDelayMs);
    const timeout = stream.idleTimeoutMs;
    if (phase !== 'open' || timeout === false) return undefined;
    lastActivity = timers.now();
    // One timer per quiet period, re-armed for the remainder rather than on every event.
    const check = () => {
      const quiet = timers.now() - lastActivity;
      if (quiet < timeout) return void (phaseTimer = timers.setTimeout(check, timeout - quiet));
      const error = streamError('network', message('idle', stream.url, timeout));
      failed({ type: 'lost', attempt, cause: 'idle', error, random: host.random() });
    };
    return timers.setTimeout(check, timeout);
  }

  function followSlot(prev: MachineState['slot'], next: MachineState['slot']): void {
    const { budget } = host;
    if (next === 'waiting') {
      if (budget.acquire(stream.origin, driver)) driver.slotGranted();
      // A browser-wide budget answers later; until it says "wait" the status stays as it is.
      else if (budget.position(stream.origin, driver) !== undefined) driver.slotWaiting!();
    } else if (next === 'none' && prev !== 'none') {
      budget.release(stream.origin, driver);
    }
  }

  function startAttempt(attempt: number): void {
    const transport = stream.invalid ?? host.transportFor(stream);
    if (!('connect' in transport)) return dispatch({ type: 'fatal', attempt, error: transport });
    lastRequestAt = timers.now();
    const request = { url: stream.url, eventTypes: connection.eventTypes, lastEventId: connection.lastEventId, options: stream.connection };
    try {
      handle = transport.connect(request, callbacks(attempt));
    } catch (cause) {
      const error = streamError('unsupported', message('start-failed', transport.name, stream.url, String(cause)), { cause });
      dispatch({ type: 'fatal', attempt, error });
    }
  }

  /** The slot is given back only once the transport has really closed (the reducer waits for this). */
  function closeTransport(): void {
    const closing = handle;
    handle = undefined;
    const closed = () => dispatch({ type: 'transport-closed' });
    let done: void | Promise<void>;
    try {
      done = closing?.close();
    } catch {
      done = undefined;
    }
    if (done) done.then(closed, closed);
    else closed();
  }

  /**
   * A transport's callbacks, bound to its attempt. A superseded attempt's events and ids are dropped
   * here; its other reports become actions the reducer ignores for a stale attempt.
   */
  function callbacks(attempt: number): TransportCallbacks {
    return {
      open: () => {
        // A browser's own reconnect succeeded: that was its request.
        if (connection.lifecycle.phase === 'self-reconnecting') lastRequestAt = timers.now();
        dispatch({ type: 'opened', attempt });
      },
      event: (type, data, id) => {
        if (attempt !== liveAttempt) return;
        // Read the clock only when an idle watch needs it: this runs once per event.
        if (watchIdle) lastActivity = timers.now();
        connection.received(attempt, type, data, id);
      },
      retry: (ms) => dispatch({ type: 'server-retry', attempt, ms }),
      failure: (failure) => {
        const now = timers.now();
        const sinceRequestMs = now - lastRequestAt;
        // The browser's own next request goes out no earlier than now.
        lastRequestAt = now;
        failed(lossOf(failure, attempt, host.random(), sinceRequestMs));
      },
      error: (error) => dispatch({ type: 'event-error', attempt, error }),
      id: (id) => attempt === liveAttempt && connection.setLastEventId(id),
      activity: () => {
        lastActivity = timers.now();
      },
    };
  }

  /** An attempt failed: retry.shouldRetry, when given, may decide (retry-decision.ts), else the reducer's rule. */
  function failed(failure: Failure): void {
    const decide = stream.retry.shouldRetry && host.decideFailure;
    if (decide) decide(stream, failure, liveAttempt, connection.lifecycle.retryCount + 1, dispatch, host);
    else dispatch(failure);
  }

  return driver;
}

function lossOf(failure: TransportFailure, attempt: number, random: number, sinceRequestMs: number): Failure {
  if (failure.retry === 'never') return { type: 'fatal', attempt, error: failure.error };
  const cause = failure.retry === 'self' ? 'self' : failure.error ? 'broken' : 'ended';
  const retryAfter = failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {};
  return { type: 'lost', attempt, cause, error: failure.error, random, sinceRequestMs, ...retryAfter };
}
