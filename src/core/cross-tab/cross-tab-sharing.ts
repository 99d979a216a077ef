// The cross-tab chunk: what a client with shareAcrossTabs loads (one download) when the browser has
// BroadcastChannel and Web Locks. Apps that never share across tabs never download it.
import type { CreateConnectionSharing } from './connection-sharing';
import { CrossTabHub } from './hub';
import { SharedOriginBudget } from './shared-origin-budget';

/**
 * Cross-tab sharing as the client's plug-in: the browser-wide budget at once, the hub (a channel
 * and a lock for this tab) only with the first shared stream, since a client may be created and
 * thrown away without ever reading one (React builds one in render, StrictMode twice).
 */
export const createCrossTabSharing: CreateConnectionSharing = (env, host) => {
  let hub: CrossTabHub | undefined;
  return {
    budget: new SharedOriginBudget(host.limitFor, env),
    join: (connection, pending) => (hub ??= new CrossTabHub(env, host.followersGone, host.isVisible)).join(connection, pending),
    typesChanged: (connection) => hub?.typesChanged(connection),
    hasFollowers: (connection) => hub?.hasFollowers(connection) ?? false,
    leave: (connection) => hub?.leave(connection),
    visibilityChanged: () => hub?.visibilityChanged(),
    dispose() {
      hub?.dispose();
      hub = undefined;
    },
  };
};
