/**
 * Keeps the library's own work per event in slices that yield to the browser. Under a flood a
 * native EventSource dispatches thousands of events in one task, and a fetch body that is already
 * buffered resolves read after read as microtasks: doing all the decoding and fan-out right there
 * would hold the main thread for seconds. Work runs inline while the current slice has budget;
 * past it, callers queue their work and continue in a later task, in order.
 */
import { isActEnvironment } from './act-environment';

export interface WorkSlicer {
  /** True while the current slice has time left (opens a slice if none is open). */
  hasBudget(): boolean;
  /** Runs `drain` in a later task, once per request until it runs; it calls hasBudget() again. */
  later(drain: () => void): void;
  /** Resolves in a later task (the fetch transport awaits it between reads when out of budget). */
  nextSlice(): Promise<void>;
}

/** Long enough to amortise the task switch, short enough to keep frames flowing (16.7 ms at 60 Hz). */
const SLICE_MS = 8;

export function createWorkSlicer(now: () => number = () => performance.now(), post: (task: () => void) => void = postTask): WorkSlicer {
  let sliceStart = -1;
  let ending = false;
  let waiting: Array<() => void> = [];
  const endSlice = () => {
    ending = false;
    sliceStart = -1;
    const run = waiting;
    waiting = [];
    for (const drain of run) drain();
  };
  const scheduleEnd = () => {
    if (ending) return;
    ending = true;
    post(endSlice);
  };
  const later = (drain: () => void) => {
    if (!waiting.includes(drain)) waiting.push(drain);
    scheduleEnd();
  };
  return {
    later,
    nextSlice: () => new Promise<void>((resolve) => later(resolve)),
    hasBudget() {
      // React's act() runs everything synchronously; tests expect it.
      if (isActEnvironment()) return true;
      const t = now();
      if (sliceStart < 0) {
        sliceStart = t;
        scheduleEnd();
      }
      return t - sliceStart < SLICE_MS;
    },
  };
}

let channel: MessageChannel | undefined;
const posted: Array<() => void> = [];

/**
 * Runs `task` in a new task, unclamped (nested setTimeout(0) waits at least 4 ms): setImmediate
 * where it exists (Node: SSR, scripts, tests — it keeps the process alive while a task is
 * pending, which a MessagePort would not once unref'd), else a MessageChannel made on first use
 * (nothing happens at import), else setTimeout.
 */
function postTask(task: () => void): void {
  if (typeof setImmediate === 'function') return void setImmediate(task);
  if (!channel && typeof MessageChannel !== 'undefined') {
    channel = new MessageChannel();
    channel.port1.onmessage = () => posted.shift()?.();
  }
  if (!channel) return void setTimeout(task, 0);
  posted.push(task);
  channel.port2.postMessage(null);
}

/** One budget for the whole page: every connection and transport shares the main thread. */
export const mainThreadSlicer: WorkSlicer = createWorkSlicer();
