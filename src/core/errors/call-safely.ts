/**
 * Calls a user callback for one subscriber. A callback that throws must not keep the event from
 * the other subscribers nor break the connection's dispatch, so its error is reported (see
 * rethrowLater). Fixed parameters, no rest array: this runs once per event per handler.
 */
export function callSafely<A, B>(callback: (a: A, b: B) => void, a: A, b?: B): void {
  try {
    callback(a, b as B);
  } catch (error) {
    rethrowLater(error);
  }
}

/** Rethrows a user callback's error on a macrotask: it still reaches window.onerror and the console, and breaks nothing of ours. */
export function rethrowLater(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}
