import type { Connection, ConnectionState } from './connection';

/** The two browser APIs cross-tab sharing needs, injectable for tests. */
export interface CrossTabEnvironment {
  /** Opens a channel every same-origin tab of the profile receives on. */
  channel(name: string, receive: (message: unknown) => void): { postMessage(message: unknown): void; close(): void };
  locks: Pick<LockManager, 'request' | 'query'>;
}

type Message =
  | { t: 'join'; key: string; tab: string; types: string[] }
  | { t: 'leave'; key: string; tab: string }
  | { t: 'owner'; key: string; tab: string }
  | { t: 'state'; key: string; state: ConnectionState; lastEventId: string | undefined; eventsReceived: number }
  | { t: 'event'; key: string; type: string; data: string; id: string | undefined }
  | { t: 'cmd'; key: string; cmd: 'close' | 'reconnect' };

interface Member {
  connection: Connection;
  /** Resolves to give up ownership (or abort the wait for it). */
  release: () => void;
  owner: boolean;
  /** Owner only: which tabs follow, with the event types each needs. */
  followers: Map<string, string[]>;
}

const PREFIX = 'react-sse-hub';
const PRUNE_MS = 2000;

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

/**
 * One real connection per stream key for the whole browser profile. Each tab that wants a stream
 * queues for a Web Lock named after its key; the holder owns the connection and relays states and
 * raw events over a BroadcastChannel; the others follow. The lock is released when the owner's tab
 * closes, crashes or navigates away, and the next tab in the queue takes over from the last event
 * id it saw, so the survivors miss nothing. Keys hash header values: tokens never cross the channel.
 */
export class CrossTabHub {
  readonly tab = Math.random().toString(36).slice(2);
  private readonly channel;
  private readonly members = new Map<string, Member>();
  private pruneTimer: ReturnType<typeof setInterval> | undefined;
  private releaseTabLock: (() => void) | undefined;

  constructor(
    private readonly env: CrossTabEnvironment,
    /** Called when an owned stream loses its last remote follower (it may linger and close). */
    private readonly followersGone: (connection: Connection) => void,
  ) {
    this.channel = env.channel(PREFIX, (message) => this.receive(message as Message));
    // A lock held for this tab's lifetime lets owners find tabs that vanished without a 'leave'.
    void env.locks.request(`${PREFIX}:tab:${this.tab}`, () => new Promise<void>((resolve) => (this.releaseTabLock = resolve)));
  }

  /** Starts sharing a connection: follow whoever owns it, and queue to own it. */
  join(connection: Connection): void {
    const key = connection.stream.key;
    const controller = new AbortController();
    let releaseOwnership = () => {};
    const member: Member = {
      connection,
      owner: false,
      followers: new Map(),
      release: () => {
        controller.abort();
        releaseOwnership();
      },
    };
    this.members.set(key, member);
    connection.setFollowing(true);
    connection.command = (cmd) => this.post({ t: 'cmd', key, cmd });
    this.post({ t: 'join', key, tab: this.tab, types: connection.localEventTypes });
    this.env.locks
      .request(`${PREFIX}:stream:${key}`, { signal: controller.signal }, () => {
        if (this.members.get(key) !== member) return undefined;
        this.becomeOwner(member);
        return new Promise<void>((resolve) => (releaseOwnership = resolve));
      })
      .catch(() => undefined); // AbortError when we leave before getting the lock
  }

  /** This tab's subscribers changed the event types it needs. */
  typesChanged(connection: Connection): void {
    const member = this.members.get(connection.stream.key);
    if (member && !member.owner) this.post({ t: 'join', key: connection.stream.key, tab: this.tab, types: connection.localEventTypes });
  }

  /** Would closing this connection strand another tab? */
  hasFollowers(connection: Connection): boolean {
    return (this.members.get(connection.stream.key)?.followers.size ?? 0) > 0;
  }

  leave(connection: Connection): void {
    const key = connection.stream.key;
    const member = this.members.get(key);
    if (!member || member.connection !== connection) return;
    this.members.delete(key);
    connection.relay = undefined;
    connection.command = undefined;
    if (!member.owner) this.post({ t: 'leave', key, tab: this.tab });
    member.release();
    if (this.members.size === 0) this.stopPruning();
  }

  isOwner(connection: Connection): boolean {
    return this.members.get(connection.stream.key)?.owner ?? false;
  }

  private becomeOwner(member: Member): void {
    const { connection } = member;
    const key = connection.stream.key;
    member.owner = true;
    connection.command = undefined;
    connection.relay = {
      state: (state) => this.post({ t: 'state', key, state: cloneable(state), lastEventId: connection.lastEventId, eventsReceived: connection.eventsReceived }),
      event: (type, data, id) => this.post({ t: 'event', key, type, data, id }),
    };
    // Followers answer with 'join' so we learn which event types they need.
    this.post({ t: 'owner', key, tab: this.tab });
    connection.setFollowing(false);
    this.startPruning();
  }

  private receive(message: Message): void {
    const member = this.members.get(message.key);
    if (!member) return;
    const { connection } = member;
    switch (message.t) {
      case 'join':
        if (!member.owner) return;
        member.followers.set(message.tab, message.types);
        this.followersChanged(member);
        this.post({ t: 'state', key: message.key, state: cloneable(connection.state), lastEventId: connection.lastEventId, eventsReceived: connection.eventsReceived });
        return;
      case 'leave':
        if (member.owner && member.followers.delete(message.tab)) this.followersChanged(member);
        return;
      case 'owner':
        if (!member.owner) this.post({ t: 'join', key: message.key, tab: this.tab, types: connection.localEventTypes });
        return;
      case 'state':
        if (!member.owner) connection.mirror(message.state, message.lastEventId, message.eventsReceived);
        return;
      case 'event':
        if (!member.owner) connection.deliver(message.type, message.data, message.id);
        return;
      case 'cmd':
        if (member.owner) (message.cmd === 'close' ? connection.close() : connection.reconnect());
        return;
    }
  }

  private followersChanged(member: Member): void {
    member.connection.setRemoteTypes(([] as string[]).concat(...member.followers.values()));
    if (member.followers.size === 0) this.followersGone(member.connection);
  }

  /** Drop followers whose tab is gone (crashed or closed without a 'leave'). */
  private async prune(): Promise<void> {
    const snapshot = await this.env.locks.query();
    const alive = new Set((snapshot.held ?? []).map((lock) => lock.name));
    for (const member of this.members.values()) {
      if (!member.owner) continue;
      let changed = false;
      for (const tab of member.followers.keys()) {
        if (!alive.has(`${PREFIX}:tab:${tab}`)) changed = member.followers.delete(tab) || changed;
      }
      if (changed) this.followersChanged(member);
    }
  }

  private startPruning(): void {
    this.pruneTimer ??= setInterval(() => void this.prune(), PRUNE_MS);
  }

  private stopPruning(): void {
    clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
  }

  private post(message: Message): void {
    this.channel.postMessage(message);
  }

  /** Closes the channel and gives up every lock (provider unmounted). */
  dispose(): void {
    for (const member of [...this.members.values()]) this.leave(member.connection);
    this.stopPruning();
    this.releaseTabLock?.();
    this.channel.close();
  }
}

/** Errors may carry a cause that cannot be structured-cloned; the readable part is what travels. */
function cloneable(state: ConnectionState): ConnectionState {
  if (!state.error) return state;
  const { cause: _cause, ...error } = state.error;
  return { ...state, error };
}
