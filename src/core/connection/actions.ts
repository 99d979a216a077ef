import type { StreamError } from '../types';
import type { ConnectionView } from './connection-view';

export type LossCause =
  /** The transport broke off or failed with a retryable error. */
  | 'broken'
  /** The server ended the response normally. */
  | 'ended'
  /** A native EventSource is reconnecting by itself. */
  | 'self'
  /** Nothing arrived for idleTimeoutMs. */
  | 'idle';

/** `random` in [0, 1) for the jitter, drawn by the driver so the reducer stays pure. */
export interface LostAction {
  type: 'lost';
  attempt: number;
  cause: LossCause;
  error: StreamError | undefined;
  retryAfterMs?: number;
  random: number;
  /** 'self': how long ago this connection's previous request went out. */
  sinceRequestMs?: number;
}

/** How an attempt failed: lost (the default rule retries it) or fatal (closed). */
export type Failure = LostAction | { type: 'fatal'; attempt: number; error: StreamError | undefined };

export type Action =
  | Failure
  | { type: 'want'; wanted: boolean }
  | { type: 'slot-granted' }
  | { type: 'slot-waiting' }
  | { type: 'opened'; attempt: number }
  | { type: 'event'; attempt: number }
  | { type: 'event-error'; attempt: number; error: StreamError }
  | { type: 'server-retry'; attempt: number; ms: number }
  /** A native EventSource reconnecting by itself has not come back within maxDelayMs (a huge `retry:`). */
  | { type: 'self-stalled'; attempt: number }
  /** retry.shouldRetry answered a failure with a promise: the attempt ends and waits for the answer. */
  | { type: 'deciding'; attempt: number; error: StreamError }
  /**
   * The answer for that attempt, as the failure to apply (ignored once anything else moved the
   * stream on). Never a loss with cause 'self': the transport is gone, the library's backoff takes over.
   */
  | { type: 'decided'; attempt: number; then: Failure }
  /** endOn matched: finished like a finite end. */
  | { type: 'done'; attempt: number }
  | { type: 'transport-closed' }
  | { type: 'delay-elapsed' }
  | { type: 'page'; hidden?: boolean; offline?: boolean; remoteVisible?: boolean }
  | { type: 'close'; error?: StreamError }
  | { type: 'reconnect' }
  /** The page came back from the back/forward cache: its connections are gone. */
  | { type: 'reopen' }
  | { type: 'follow' }
  | { type: 'mirror'; state: ConnectionView }
  /** `closed`: a close() asked of the follower, stays closed until reconnect(). */
  | { type: 'take-over'; closed?: boolean | undefined }
  /** Taking over threw: this tab owns the stream now, shows why and retries it like a lost one. */
  | { type: 'take-over-failed'; error: StreamError; random: number };
