import type { StreamError, StreamState, StreamStatus } from '../types';
import type { ResolvedRetryOptions } from '../stream/retry-options';
import { maxAttemptsError, reconnectDelay } from './reconnect-policy';
import type { Action, LostAction } from './actions';
import type { ConnectionView } from './connection-view';

export type { Action, Failure, LossCause, LostAction } from './actions';
export type { ConnectionView } from './connection-view';

/**
 * Where a connection is in its lifecycle. Each phase says which resources it may hold:
 * - queued: wants a slot (or waits for the old transport to finish closing) — no live transport
 * - connecting, open, self-reconnecting: a transport and a slot
 * - backoff, deciding, paused, closed, following: neither (a closing transport keeps its slot until it has closed)
 * 'deciding': a failed attempt waits for retry.shouldRetry's promised answer.
 */
export type Phase = 'queued' | 'connecting' | 'open' | 'self-reconnecting' | 'backoff' | 'deciding' | 'paused' | 'closed' | 'following';


/** One connection's whole lifecycle state. Only `reduce` makes new ones. */
export interface MachineState {
  readonly phase: Phase;
  /** A per-origin budget slot: asked for while queued, held while a transport may be open. */
  readonly slot: 'none' | 'waiting' | 'held';
  /** 'closing' until the transport reports it has really closed: only then is the slot given back. */
  readonly transport: 'none' | 'live' | 'closing';
  /** Id of the newest transport attempt; callbacks of older attempts are ignored. */
  readonly attempt: number;
  /** Attempts since the last successful open (the API's retryCount). */
  readonly retryCount: number;
  /**
   * Finite streams: requests after the first, over the stream's life. An open resets retryCount,
   * so a completion that keeps breaking mid-way would be re-sent forever; maxAttempts bounds these.
   */
  readonly repeats: number;
  /** Losses since a connection last delivered an event: drives the backoff delay. */
  readonly backoff: number;
  /** The delay being waited out in 'backoff'. */
  readonly delayMs: number;
  /** The server's `retry:` field, unclamped (clamped where used). */
  readonly serverRetryMs?: number | undefined;
  readonly error?: StreamError | undefined;
  /** Which rule clears the error: the next successful open, or the next event delivered. */
  readonly errorFrom?: 'connection' | 'event' | undefined;
  /** The budget said this stream really waits (a browser-wide budget answers asynchronously). */
  readonly queueShown: boolean;
  /** Someone reads the stream: a subscriber here or, when this tab owns it, another tab. */
  readonly wanted: boolean;
  /** Hidden for longer than pauseWhenHidden. */
  readonly hidden: boolean;
  readonly offline: boolean;
  /** Cross-tab owner: a following tab's page is visible, so being hidden here is no reason to pause. */
  readonly remoteVisible: boolean;
  /** A finite stream reached its end (or endOn): closed for good, not an error. */
  readonly finished: boolean;
  /** Following: the owning tab's state. */
  readonly mirror?: ConnectionView | undefined;
}

/** What the reducer needs to know about the stream; fixed for a connection's life. */
export interface MachinePolicy {
  readonly retry: ResolvedRetryOptions;
  /** 'no': every end is a loss; 'on-end': a normal end finishes it; 'on-any-end': so does any loss (native EventSource). */
  readonly finite: 'no' | 'on-end' | 'on-any-end';
  readonly url: string;
}

export function initialState(offline: boolean): MachineState {
  return {
    phase: 'queued',
    slot: 'none',
    transport: 'none',
    attempt: 0,
    retryCount: 0,
    repeats: 0,
    backoff: 0,
    delayMs: 0,
    queueShown: false,
    wanted: false,
    hidden: false,
    offline,
    remoteVisible: false,
    finished: false,
  };
}

const TRANSPORT_PHASES: ReadonlySet<Phase> = new Set(['connecting', 'open', 'self-reconnecting']);
const LIVE_PHASES: ReadonlySet<Phase> = new Set(['queued', 'connecting', 'open', 'self-reconnecting', 'backoff', 'deciding']);

/** The lifecycle as a pure function: every change of a connection's state goes through here. */
export function reduce(state: MachineState, action: Action, policy: MachinePolicy): MachineState {
  const next = transition(state, action, policy);
  return next === state ? state : settle(next);
}

function transition(s: MachineState, action: Action, policy: MachinePolicy): MachineState {
  switch (action.type) {
    case 'want':
      return s.wanted === action.wanted ? s : { ...s, wanted: action.wanted };
    case 'slot-granted':
      return s.slot === 'waiting' ? { ...s, slot: 'held' } : s;
    case 'slot-waiting':
      return s.slot === 'waiting' && !s.queueShown ? { ...s, queueShown: true } : s;
    case 'opened':
      if (!current(s, action.attempt) || s.phase === 'open') return s;
      return { ...s, phase: 'open', retryCount: 0, ...(s.errorFrom === 'connection' ? NO_ERROR : {}) };
    case 'event':
      if (!current(s, action.attempt) || (s.backoff === 0 && s.errorFrom !== 'event')) return s;
      return { ...s, backoff: 0, ...(s.errorFrom === 'event' ? NO_ERROR : {}) };
    case 'event-error':
      return current(s, action.attempt) ? { ...s, error: action.error, errorFrom: 'event' } : s;
    case 'server-retry':
      return current(s, action.attempt) ? { ...s, serverRetryMs: action.ms } : s;
    case 'lost':
      return current(s, action.attempt) ? lose(s, action, policy) : s;
    case 'self-stalled':
      return current(s, action.attempt) && s.phase === 'self-reconnecting' ? { ...s, phase: 'queued' } : s;
    case 'fatal':
      return current(s, action.attempt) ? closed(s, action.error, false) : s;
    case 'deciding':
      return current(s, action.attempt) ? { ...s, phase: 'deciding', error: action.error, errorFrom: 'connection' } : s;
    case 'decided': {
      if (s.phase !== 'deciding' || s.attempt !== action.attempt) return s;
      const then = action.then;
      return then.type === 'fatal' ? closed(s, then.error, false) : lose(s, then, policy);
    }
    case 'done':
      return current(s, action.attempt) ? closed(s, undefined, true) : s;
    case 'transport-closed':
      return s.transport === 'closing' ? { ...s, transport: 'none' } : s;
    case 'delay-elapsed':
      return s.phase === 'backoff' ? { ...s, phase: 'queued' } : s;
    case 'page': {
      const { hidden = s.hidden, offline = s.offline, remoteVisible = s.remoteVisible } = action;
      // Back online: waiting out a backoff delay would only add latency.
      const phase = action.offline === false && s.phase === 'backoff' ? 'queued' : s.phase;
      const same = hidden === s.hidden && offline === s.offline && remoteVisible === s.remoteVisible && phase === s.phase;
      return same ? s : { ...s, hidden, offline, remoteVisible, phase };
    }
    case 'close':
      return s.phase === 'following' ? s : closed(s, action.error, false);
    case 'reconnect':
      if (s.phase === 'following') return s;
      return { ...s, phase: 'queued', retryCount: 0, repeats: 0, backoff: 0, finished: false, transport: s.transport === 'live' ? 'closing' : s.transport };
    case 'reopen':
      return LIVE_PHASES.has(s.phase) ? { ...s, phase: 'queued', transport: s.transport === 'live' ? 'closing' : s.transport } : s;
    case 'follow':
      return { ...s, phase: 'following', mirror: s.mirror ?? connectionViewOf(s) };
    case 'mirror':
      return s.phase === 'following' ? { ...s, mirror: action.state } : s;
    case 'take-over': {
      if (s.phase !== 'following') return s;
      // A stream the old owner closed (or asked to close) stays closed until reconnect(); any other resumes here.
      const wasClosed = action.closed || s.mirror?.status === 'closed';
      const retryCount = s.mirror?.retryCount ?? 0;
      return { ...s, phase: wasClosed ? 'closed' : 'queued', error: s.mirror?.error, errorFrom: s.mirror?.error ? 'connection' : undefined, retryCount, mirror: undefined };
    }
    case 'take-over-failed': {
      const delayMs = reconnectDelay(s.backoff, policy.retry, undefined, undefined, action.random);
      const retried = { retryCount: s.retryCount + 1, backoff: s.backoff + 1, delayMs };
      return { ...s, ...retried, phase: 'backoff', error: action.error, errorFrom: 'connection', mirror: undefined };
    }
    default:
      // Every action is handled above: a new one fails to compile here.
      return action satisfies never;
  }
}

const NO_ERROR = { error: undefined, errorFrom: undefined } as const;

function current(s: MachineState, attempt: number): boolean {
  return attempt === s.attempt && s.transport === 'live' && TRANSPORT_PHASES.has(s.phase);
}

function closed(s: MachineState, error: StreamError | undefined, finished: boolean): MachineState {
  return { ...s, phase: 'closed', finished, error, errorFrom: error ? 'connection' : undefined };
}

/** A lost or ended attempt: finish, give up, let a native EventSource reconnect, or back off. */
function lose(s: MachineState, action: LostAction, policy: MachinePolicy): MachineState {
  // A native EventSource cannot tell an end from a loss ('self'); an HTTP error or a silent
  // connection is still a failure, never a finish.
  const ends = action.cause === 'ended' || (policy.finite === 'on-any-end' && action.cause === 'self');
  if (ends && policy.finite !== 'no') return closed(s, undefined, true);
  const error = action.error ?? (s.errorFrom === 'connection' ? s.error : undefined);
  const failed = { ...s, error, errorFrom: error ? ('connection' as const) : undefined, retryCount: s.retryCount + 1, repeats: s.repeats + 1 };
  const spent = policy.finite === 'no' ? s.retryCount : s.repeats;
  if (spent >= policy.retry.maxAttempts) return closed(s, maxAttemptsError(policy.url, spent, action.error), false);
  // A native EventSource reconnects by itself (with the Last-Event-ID header), after a `retry:` the
  // page cannot read. It keeps doing so only while that stays inside the bounds: a loss within
  // minDelayMs of the previous request means the browser would come back too soon (a `retry: 0`
  // and an ended stream), and one that does not come back within maxDelayMs is 'self-stalled'.
  // Either way the library re-creates the EventSource under its own policy.
  if (action.cause === 'self' && (action.sinceRequestMs ?? 0) >= policy.retry.minDelayMs) return { ...failed, phase: 'self-reconnecting' };
  const delayMs = reconnectDelay(s.backoff, policy.retry, s.serverRetryMs, action.retryAfterMs, action.random);
  return { ...failed, phase: 'backoff', backoff: s.backoff + 1, delayMs };
}

/**
 * The invariants every state keeps, applied after each transition: pause wins over any live
 * phase; a transport lives only in a transport phase; a slot is asked for only while queued and
 * wanted, held only while a transport may be open, and given back once the transport has closed.
 * A queued stream starts its attempt when it holds a slot and the previous transport is gone.
 */
function settle(s: MachineState): MachineState {
  let next = s;
  const pause = next.offline || (next.hidden && !next.remoteVisible);
  if (pause && LIVE_PHASES.has(next.phase)) next = { ...next, phase: 'paused', retryCount: 0 };
  else if (!pause && next.phase === 'paused') next = { ...next, phase: 'queued' };
  if (next.transport === 'live' && !TRANSPORT_PHASES.has(next.phase)) next = { ...next, transport: 'closing' };
  const needsSlot = next.phase === 'queued' ? next.wanted : TRANSPORT_PHASES.has(next.phase);
  // A place in the queue, or a slot whose transport has closed, that nothing will use goes back.
  const unused = next.slot === 'waiting' || (next.slot === 'held' && next.transport === 'none');
  if (!needsSlot && unused) next = { ...next, slot: 'none' };
  else if (next.phase === 'queued' && next.wanted) {
    if (next.slot === 'none') next = { ...next, slot: 'waiting' };
    else if (next.slot === 'held' && next.transport === 'none') next = { ...next, phase: 'connecting', transport: 'live', attempt: next.attempt + 1 };
  }
  if (next.queueShown && (next.phase !== 'queued' || next.slot !== 'waiting')) next = { ...next, queueShown: false };
  return next;
}

/** What hooks show: derived from the phase, never stored beside it. */
export function connectionViewOf(s: MachineState): ConnectionView {
  if (s.phase === 'following' && s.mirror) return s.mirror;
  return { status: statusOf(s), error: s.error, retryCount: s.retryCount };
}

function statusOf(s: MachineState): StreamStatus {
  switch (s.phase) {
    case 'queued':
      return s.queueShown ? 'queued' : s.retryCount > 0 ? 'reconnecting' : 'connecting';
    case 'connecting':
      return s.retryCount > 0 ? 'reconnecting' : 'connecting';
    case 'self-reconnecting':
    case 'backoff':
    case 'deciding':
      return 'reconnecting';
    case 'following':
      return 'connecting';
    default:
      return s.phase;
  }
}

/** Before the first attempt; hooks show the same object before they subscribe, so subscribing renders nothing. */
export const CONNECTING_STATE: ConnectionView = Object.freeze(connectionViewOf(initialState(false)));
