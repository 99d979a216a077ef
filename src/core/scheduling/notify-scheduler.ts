import { isActEnvironment } from './act-environment';

/**
 * Coalesces change notifications so that a flood of events costs at most one render per
 * subscriber per frame. A native EventSource dispatches each event of a network chunk
 * separately, with a microtask checkpoint between them, so React (which batches per microtask)
 * would render once per event. Under React's act() (tests), React batches by itself and expects
 * updates inside act, so notifications go out at once.
 */
export interface NotifyScheduler {
  schedule(listener: () => void): void;
}

/** A hidden page gets no animation frames: fall back to a timer so state still moves. */
const FRAME_FALLBACK_MS = 100;

/** The next frame where the page paints, else the next task. */
export function nextFrame(flush: () => void): void {
  const visible = typeof document !== 'undefined' && document.visibilityState === 'visible';
  if (!visible || typeof requestAnimationFrame !== 'function') {
    setTimeout(flush, 0);
    return;
  }
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    flush();
  };
  const frame = requestAnimationFrame(run);
  const timer = setTimeout(run, FRAME_FALLBACK_MS);
}

export function createNotifyScheduler(defer: (flush: () => void) => void = nextFrame): NotifyScheduler {
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
