/**
 * Coalesces change notifications so that a burst of events costs one render per subscriber.
 * A native EventSource dispatches each event of a network chunk separately, with a microtask
 * checkpoint between them, so React (which batches per microtask) would render once per event.
 * Flushing on a macrotask instead renders once per burst. Under React's act() (tests), React
 * batches by itself and expects updates inside act, so notifications go out at once.
 */
export interface NotifyScheduler {
  schedule(listener: () => void): void;
}

export function createNotifyScheduler(
  defer: (flush: () => void) => void = (flush) => setTimeout(flush, 0),
): NotifyScheduler {
  let pending = new Set<() => void>();
  let scheduled = false;
  const flush = () => {
    const listeners = pending;
    pending = new Set();
    scheduled = false;
    for (const listener of listeners) listener();
  };
  return {
    schedule(listener) {
      if (isActEnvironment()) return listener();
      pending.add(listener);
      if (!scheduled) {
        scheduled = true;
        defer(flush);
      }
    },
  };
}

function isActEnvironment(): boolean {
  return (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT === true;
}
