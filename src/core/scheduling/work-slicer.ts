/**
 * Keeps the library's own work in slices that yield to the browser: a fetch body that is already
 * buffered resolves read after read as microtasks, so a flood parsed and delivered in one go would
 * hold the main thread for seconds. Work runs while the current slice has budget; past it, the
 * worker awaits the next slice (a later task). Native EventSource events are not sliced: the
 * browser dispatches them in its own task, which the library cannot split.
 */
import { isActEnvironment } from './act-environment';

export interface WorkSlicer {
  /** True while the current slice has time left (opens a slice if none is open). */
  hasBudget(): boolean;
  /** Resolves in a later task (the fetch transport awaits it between reads when out of budget). */
  nextSlice(): Promise<void>;
}

/** Long enough to amortise the task switch, short enough to keep frames flowing (16.7 ms at 60 Hz). */
const SLICE_MS = 8;

export function createWorkSlicer(): WorkSlicer {
  let sliceStart = -1;
  let ending = false;
  let waiting: Array<() => void> = [];
  const endSlice = () => {
    ending = false;
    sliceStart = -1;
    const run = waiting;
    waiting = [];
    for (const resume of run) resume();
  };
  const scheduleEnd = () => {
    if (ending) return;
    ending = true;
    postTask(endSlice);
  };
  return {
    nextSlice: () =>
      new Promise<void>((resume) => {
        waiting.push(resume);
        scheduleEnd();
      }),
    hasBudget() {
      // React's act() runs everything synchronously; tests expect it.
      if (isActEnvironment()) return true;
      const t = performance.now();
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
