import type { ConnectionSubscriber, JoinedConnection } from '../connection/connection';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { SseEvent, StreamError } from '../types';
import type { ConnectionPool } from './pool';

/**
 * The first event of one type on a stream, as a Suspense hook waits for it. `promise` resolves
 * (never rejects) when `event` or `error` is set: an error is what closed the stream before it.
 */
export interface FirstEvent {
  readonly promise: Promise<void>;
  event?: SseEvent;
  error?: StreamError;
}

/**
 * Held by the client (per client, by stream key and type), not by the component: a component that
 * suspends on its first mount keeps no hook state, so its next render must find the same wait.
 * Kept out of ConnectionPool so apps without Suspense hooks do not download it.
 */
const waits = new WeakMap<ConnectionPool, Map<string, FirstEvent>>();

/** The wait for the first `type` event on `stream`, started (subscribing to its connection) on the first ask. */
export function firstEvent(pool: ConnectionPool, stream: ResolvedStream, type: string): FirstEvent {
  let byKey = waits.get(pool);
  if (!byKey) waits.set(pool, (byKey = new Map()));
  const id = `${stream.key}\n${type}`;
  let wait = byKey.get(id);
  if (!wait) byKey.set(id, (wait = startWait(pool, stream, type)));
  return wait;
}

/** The component that waited has committed (its own subscription shows the stream now): a later mount waits anew. */
export function forgetFirstEvent(pool: ConnectionPool, stream: ResolvedStream, type: string, wait: FirstEvent): void {
  const byKey = waits.get(pool);
  const id = `${stream.key}\n${type}`;
  if (byKey?.get(id) === wait) byKey.delete(id);
}

function startWait(pool: ConnectionPool, stream: ResolvedStream, type: string): FirstEvent {
  let settle!: () => void;
  const wait: FirstEvent = { promise: new Promise<void>((resolve) => (settle = resolve)) };
  let joined: JoinedConnection | undefined;
  let leave: (() => void) | undefined;
  let done = false;
  const finish = (event: SseEvent | undefined, error: StreamError | undefined) => {
    if (done) return;
    done = true;
    if (event) wait.event = event;
    else if (error) wait.error = error;
    // The connection lingers lingerMs after this: the component's own subscription joins it.
    if (leave) leave();
    settle();
  };
  const subscriber: ConnectionSubscriber = {
    types: [type],
    decoder: stream.decoder,
    onEvent: (event) => finish(event, undefined),
    onState: () => {
      const state = joined?.state;
      if (state?.status === 'closed' && state.error) finish(undefined, state.error);
    },
    // Another reader of the same type may have an event already: no need to wait for the next one.
    attach: (channel, connection) => {
      joined = connection;
      if (channel.latest) finish(channel.latest, undefined);
    },
  };
  const stop = pool.join(stream, subscriber);
  // Joined a stream that had already closed with an error (it stays closed until reconnect()).
  subscriber.onState();
  if (done) stop();
  else leave = stop;
  return wait;
}
