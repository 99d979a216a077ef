import { SseError } from '../errors/sse-error';
import type { SseEvent, StreamError, StreamState, StreamStatus } from '../types';

type Subscribe = (onEvent: (event: SseEvent) => void, onStatus: (status: StreamStatus, state: Pick<StreamState, 'error'>) => void) => () => void;

/**
 * Turns a subscription into an async iterator. It subscribes on the first next() (an iterator
 * that is never read holds no connection) and unsubscribes when it ends, however it ends: the
 * stream closed, the signal aborted, or the consumer broke out of its loop (return()).
 */
export async function* streamEvents(subscribe: Subscribe, signal: AbortSignal | undefined): AsyncGenerator<SseEvent, void, undefined> {
  if (signal?.aborted) return;
  // A queue with a moving head: shift() on a long backlog would cost O(n) per event.
  let queue: SseEvent[] = [];
  let head = 0;
  let end: { error: StreamError | undefined } | undefined;
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    wake?.();
    wake = undefined;
  };
  const onAbort = () => {
    // Aborted: stop at once, without the events still queued.
    (queue = []), (head = 0);
    end = { error: undefined };
    wakeUp();
  };
  signal?.addEventListener('abort', onAbort);
  const unsubscribe = subscribe(
    (event) => {
      queue.push(event);
      wakeUp();
    },
    (status, state) => {
      if (status !== 'closed') return;
      end ??= { error: state.error };
      wakeUp();
    },
  );
  try {
    for (;;) {
      while (head < queue.length) {
        const event = queue[head]!;
        // Drop the reference: a consumer that falls far behind should not pin delivered events.
        queue[head++] = undefined as never;
        if (head === queue.length) (queue = []), (head = 0);
        yield event;
      }
      // Events queued before the end are all yielded first.
      if (end) {
        if (end.error) throw new SseError(end.error);
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
