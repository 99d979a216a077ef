import { rethrowLater } from '../errors/call-safely';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { Action, Failure } from './actions';

/**
 * How the local driver has a failure of `stream` decided: `liveAttempt` is the attempt whose
 * transport is live (0: none), `count` the failures since the last open, this one included.
 */
export type DecideFailure = (
  stream: ResolvedStream,
  failure: Failure,
  liveAttempt: number,
  count: number,
  dispatch: (action: Action) => void,
  host: { random(): number },
) => void;

/**
 * retry.shouldRetry decides a failure with an error before the default rule. Not asked: a normal
 * end, a 204, any end of a stream that every end finishes, and a superseded attempt's report
 * (after close() or reconnect()), which the reducer drops.
 *
 * A promised answer ends the attempt at once ('deciding' holds no transport and no slot) and
 * arrives as 'decided', which the reducer ignores once the stream moved on (close(), reconnect()).
 * A function that throws or rejects leaves the failure to the default rule; its error is reported.
 *
 * A lazily loaded chunk: only clients with a stream that has shouldRetry download it, before that
 * stream's first request (the client holds the connection until then), so a synchronous answer is
 * applied at once.
 */
export const decideFailure: DecideFailure = ({ retry, finite }, failure, liveAttempt, count, dispatch, host) => {
  const { attempt: id, error } = failure;
  const finishes = failure.type === 'lost' && failure.cause === 'self' && finite === 'on-any-end';
  if (!retry.shouldRetry || !error || finishes || id !== liveAttempt) return dispatch(failure);
  let answer: unknown;
  try {
    answer = retry.shouldRetry(error, count);
  } catch (cause) {
    rethrowLater(cause);
    return dispatch(failure);
  }
  if (!isThenable(answer)) return dispatch(decided(answer, failure, host));
  dispatch({ type: 'deciding', attempt: id, error });
  // The transport is gone meanwhile: a browser's own reconnect cannot go on, the library's backoff takes over.
  const later: Failure = failure.type === 'lost' && failure.cause === 'self' ? { ...failure, cause: 'broken' } : failure;
  Promise.resolve(answer).then(
    (value) => dispatch({ type: 'decided', attempt: id, then: decided(value, later, host) }),
    (cause: unknown) => {
      rethrowLater(cause);
      dispatch({ type: 'decided', attempt: id, then: later });
    },
  );
};

/** true retries the failure with backoff (a fatal one too), false closes with its error; any other answer leaves the default rule. */
function decided(answer: unknown, failure: Failure, host: { random(): number }): Failure {
  if (answer === false) return { type: 'fatal', attempt: failure.attempt, error: failure.error };
  if (answer !== true || failure.type === 'lost') return failure;
  return { type: 'lost', attempt: failure.attempt, cause: 'broken', error: failure.error, random: host.random() };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
