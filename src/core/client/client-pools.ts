import type { ConnectionPool } from './pool';

// Apart from createSseClient, so that <SseProvider> can find a given client's pool without
// bundling the client's own methods into apps that never create one.
const pools = new WeakMap<object, ConnectionPool>();

export function registerPool(client: object, pool: ConnectionPool): void {
  pools.set(client, pool);
}

/** The pool behind a client made by createSseClient, or undefined for anything else. */
export function poolOf(client: object): ConnectionPool | undefined {
  return pools.get(client);
}
