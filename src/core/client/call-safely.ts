/**
 * Calls a user callback for one subscriber. A callback that throws must not keep the event from
 * the other subscribers nor break the connection's dispatch, so its error is rethrown on a
 * macrotask: it still reaches window.onerror and the console.
 */
export function callSafely<A extends unknown[]>(callback: (...args: A) => void, ...args: A): void {
  try {
    callback(...args);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}
