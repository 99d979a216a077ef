/** The two browser APIs cross-tab sharing needs, injectable for tests. Apart from the hub, which is
 * loaded lazily: the pool checks for them before it downloads the code that uses them. */
export interface CrossTabEnvironment {
  /** Opens a channel every same-origin tab of the profile receives on (never the sender itself). */
  channel(name: string, receive: (message: unknown) => void): { postMessage(message: unknown): void; close(): void };
  locks: Pick<LockManager, 'request' | 'query'>;
}

/** The browser's BroadcastChannel + Web Locks, or undefined where either is missing (SSR, jsdom, old browsers). */
export function browserCrossTabEnvironment(): CrossTabEnvironment | undefined {
  if (typeof BroadcastChannel === 'undefined' || typeof navigator === 'undefined' || !navigator.locks) return undefined;
  return {
    channel(name, receive) {
      const channel = new BroadcastChannel(name);
      channel.onmessage = (event) => receive(event.data);
      return channel;
    },
    locks: navigator.locks,
  };
}
