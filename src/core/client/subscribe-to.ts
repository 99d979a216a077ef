import type { ConnectionSubscriber, JoinedConnection } from '../connection/connection';
import type { ConnectionView } from '../connection/state';
import { callSafely } from '../errors/call-safely';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { StreamError, StreamState } from '../types';
import type { SubscribeOptions } from './sse-client';

/**
 * client.subscribe(): a plain-callback subscriber on the stream's shared connection. `join` adds
 * it (opening the connection if needed) and returns what removes it; the returned function may be
 * called any number of times.
 */
export function subscribeTo(
  join: (resolved: ResolvedStream, subscriber: ConnectionSubscriber) => () => void,
  resolved: ResolvedStream,
  { events, onEvent, onStatus, onError }: SubscribeOptions,
): () => void {
  let shown: ConnectionView | undefined;
  // The connection joined: still reported after the client's dispose() took it out of the pool.
  let joined: JoinedConnection | undefined;
  const report = () => {
    const connection = joined;
    const state = connection?.state;
    if (!connection || !state || state === shown) return;
    shown = state;
    if (!onStatus) return;
    // The one result shape every hook returns, built only when someone listens (status changes are rare).
    const full: StreamState = { ...state, lastEventId: connection.lastEventId, reconnect: () => connection.reconnect(), close: () => connection.close() };
    callSafely(onStatus, state.status, full);
  };
  const subscriber: ConnectionSubscriber = {
    // A copy: the connection finds the subscriber's channel by its types when it leaves.
    types: [...new Set(events ?? resolved.events)],
    decoder: resolved.decoder,
    onEvent: (event) => {
      if (onEvent) callSafely(onEvent, event);
    },
    onState: report,
    ...(onError ? { onError: (error: StreamError) => callSafely(onError, error) } : {}),
    showsErrors: () => onError !== undefined || onStatus !== undefined,
    attach: (_channel, connection) => (joined = connection),
  };
  const leave = join(resolved, subscriber);
  report();
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    leave();
  };
}
