import type { Connection, ConnectionState } from '../connection/connection';
import type { CrossTabEnvironment } from './environment';

type Message =
  /** A tab follows the stream (again: on an 'owner' announcement, or when its event types change). */
  | { t: 'join'; key: string; tab: string; types: string[]; visible: boolean }
  | { t: 'leave'; key: string; tab: string }
  /** `tab` took the stream over and resumes it from `lastEventId`. */
  | { t: 'owner'; key: string; tab: string; lastEventId: string | undefined }
  /** The owner's state; in answer to a 'join' it also lists every following tab. */
  | { t: 'state'; key: string; state: ConnectionState; lastEventId: string | undefined; eventsReceived: number; tabs?: [string, FollowerTab][] }
  /** `data` is left out when no other tab listens to the type: the id alone keeps followers' lastEventId exact. */
  | { t: 'event'; key: string; type: string; data: string | undefined; id: string | undefined }
  /** A follower's close()/reconnect(), for the owner; the owner answers 'done' to that tab. */
  | { t: 'cmd'; key: string; tab: string; cmd: Command }
  | { t: 'done'; key: string; tab: string };

type Command = 'close' | 'reconnect';

/** What a following tab needs: its event types, and whether its page is visible. */
interface FollowerTab {
  types: string[];
  visible: boolean;
}

interface Member {
  connection: Connection;
  /** Gives up ownership (or aborts the wait for it). */
  release: () => void;
  owner: boolean;
  /**
   * The other tabs following this stream, with the event types each needs. Every member keeps
   * it, not only the owner: a follower that takes over must listen to the survivors' types from
   * its very first request, or events arriving before their re-'join' would be lost.
   */
  tabs: Map<string, FollowerTab & { seen: number }>;
  /** Follower: ids relayed here, newest last, to recognise what a new owner replays. */
  recent: string[];
  /** Follower: ids the new owner is about to replay that this tab already delivered. */
  replay: string[];
  /** The types last announced, so unchanged subscriptions post nothing. */
  announced: string;
  /**
   * Follower: a close()/reconnect() sent and not yet confirmed. An owner that dies before it reads
   * the command would lose it: it goes again to the next owner, or runs here if this tab takes over.
   */
  pending: Command | undefined;
}

const PREFIX = 'react-sse-hub';
const PRUNE_MS = 2000;
const RECENT_IDS = 512;

/**
 * One real connection per stream key for the whole browser profile. Each tab that wants a stream
 * queues for a Web Lock named after its key; the holder owns the connection and relays states and
 * raw events over a BroadcastChannel; the others follow. The browser releases the lock when the
 * owner's tab closes, crashes or navigates away, and the next tab in the queue takes over from the
 * last event id the old owner relayed, so the survivors miss nothing and see nothing twice.
 * Keys hash header values and only `shareable` streams join: tokens never cross the channel.
 */
export class CrossTabHub {
  readonly tab = Math.random().toString(36).slice(2);
  private readonly channel;
  private readonly members = new Map<string, Member>();
  private pruneTimer: ReturnType<typeof setInterval> | undefined;
  private releaseTabLock: (() => void) | undefined;
  private disposed = false;

  constructor(
    private readonly env: CrossTabEnvironment,
    /** Called when an owned stream loses its last remote follower (it may linger and close). */
    private readonly followersGone: (connection: Connection) => void,
    /** This tab's page is visible (followers tell the owner, which then does not pause for being hidden). */
    private readonly isVisible: () => boolean = () => true,
  ) {
    this.channel = env.channel(PREFIX, (message) => this.receive(message as Message));
    // A lock held for this tab's lifetime lets owners find tabs that vanished without a 'leave'.
    void env.locks
      .request(`${PREFIX}:tab:${this.tab}`, () => (this.disposed ? undefined : new Promise<void>((resolve) => (this.releaseTabLock = resolve))))
      .catch(() => undefined);
  }

  /** Starts sharing a connection: follow whoever owns it, and queue to own it. */
  join(connection: Connection): void {
    const key = connection.stream.key;
    const controller = new AbortController();
    let releaseOwnership = () => {};
    const member: Member = {
      connection,
      owner: false,
      tabs: new Map(),
      recent: [],
      replay: [],
      announced: '',
      pending: undefined,
      release: () => {
        controller.abort();
        releaseOwnership();
      },
    };
    this.members.set(key, member);
    connection.setFollowing(true);
    connection.command = (cmd) => {
      member.pending = cmd;
      this.post({ t: 'cmd', key, tab: this.tab, cmd });
    };
    this.announce(member, true);
    this.env.locks
      .request(`${PREFIX}:stream:${key}`, { signal: controller.signal }, () => {
        // Left (or the provider unmounted) while the grant was on its way: hand it straight on.
        if (this.members.get(key) !== member) return undefined;
        this.becomeOwner(member);
        return new Promise<void>((resolve) => (releaseOwnership = resolve));
      })
      .catch(() => undefined); // AbortError when we leave before getting the lock
  }

  /** This tab's subscribers changed the event types it needs. */
  typesChanged(connection: Connection): void {
    const member = this.members.get(connection.stream.key);
    if (member?.connection === connection && !member.owner) this.announce(member, false);
  }

  /** Would closing this connection strand another tab? */
  hasFollowers(connection: Connection): boolean {
    const member = this.members.get(connection.stream.key);
    return member?.connection === connection && member.owner && member.tabs.size > 0;
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

  /** This tab's page was hidden or shown: followers tell their owners. */
  visibilityChanged(): void {
    for (const member of this.members.values()) if (!member.owner) this.announce(member, false);
  }

  private announce(member: Member, force: boolean): void {
    const types = member.connection.localEventTypes;
    const visible = this.isVisible();
    const announced = `${types.join('\n')}|${visible}`;
    if (!force && announced === member.announced) return;
    member.announced = announced;
    this.post({ t: 'join', key: member.connection.stream.key, tab: this.tab, types, visible });
  }

  private becomeOwner(member: Member): void {
    const { connection } = member;
    const key = connection.stream.key;
    member.owner = true;
    member.replay = [];
    member.recent = [];
    connection.command = undefined;
    // Listen to what the surviving tabs need before the first request goes out.
    connection.setRemoteTypes(unionOf(member));
    connection.setRemoteVisible(anyVisible(member));
    connection.relay = {
      state: (state) => this.post({ t: 'state', key, state: cloneable(state), lastEventId: connection.lastEventId, eventsReceived: connection.eventsReceived }),
      event: (type, data, id) => {
        if (member.tabs.size > 0 && (data !== undefined || id !== undefined)) this.post({ t: 'event', key, type, data, id });
      },
    };
    // Followers answer with 'join', and know which of their ids the resumed stream will repeat.
    this.post({ t: 'owner', key, tab: this.tab, lastEventId: connection.lastEventId });
    // A command the old owner never confirmed runs here. close() first, so no request goes out;
    // reconnect() both before (a fresh retry budget) and after (a closed stream stays closed on takeover).
    const pending = member.pending;
    member.pending = undefined;
    if (pending) (pending === 'close' ? connection.close() : connection.reconnect());
    connection.setFollowing(false);
    if (pending === 'reconnect' && connection.state.status === 'closed') connection.reconnect();
    this.startPruning();
  }

  private receive(message: Message): void {
    const member = this.members.get(message.key);
    if (!member) return;
    const { connection } = member;
    switch (message.t) {
      case 'join':
        member.tabs.set(message.tab, { types: message.types, visible: message.visible, seen: Date.now() });
        if (!member.owner) return;
        this.followersChanged(member);
        this.post({
          t: 'state',
          key: message.key,
          state: cloneable(connection.state),
          lastEventId: connection.lastEventId,
          eventsReceived: connection.eventsReceived,
          tabs: [...member.tabs].map(([tab, { types, visible }]) => [tab, { types, visible }]),
        });
        return;
      case 'leave':
        if (member.tabs.delete(message.tab) && member.owner) this.followersChanged(member);
        return;
      case 'owner':
        member.tabs.delete(message.tab);
        if (member.owner) return;
        if (member.pending) this.post({ t: 'cmd', key: message.key, tab: this.tab, cmd: member.pending });
        member.replay = idsAfter(member.recent, message.lastEventId, connection.lastEventId);
        this.announce(member, true);
        return;
      case 'state':
        if (member.owner) return;
        if (message.tabs) {
          const seen = Date.now();
          member.tabs = new Map(message.tabs.filter(([tab]) => tab !== this.tab).map(([tab, follower]) => [tab, { ...follower, seen }]));
        }
        // While a replay is pending the owner's id is behind what this tab delivered: keep ours.
        connection.mirror(message.state, member.replay.length > 0 ? connection.lastEventId : (message.lastEventId ?? connection.lastEventId), message.eventsReceived);
        return;
      case 'event':
        if (member.owner) return;
        if (message.id !== undefined && member.replay[0] === message.id) {
          // Already delivered here by the previous owner: the new one resumed from an older id.
          // Its lastEventId is already at (or past) this one: leave it, in case this tab takes over next.
          member.replay.shift();
          return;
        }
        member.replay = [];
        if (message.id !== undefined) remember(member, message.id);
        connection.deliver(message.type, message.data, message.id);
        return;
      case 'cmd':
        if (!member.owner) return;
        if (message.cmd === 'close') connection.close();
        else connection.reconnect();
        this.post({ t: 'done', key: message.key, tab: message.tab });
        return;
      case 'done':
        if (message.tab === this.tab) member.pending = undefined;
        return;
    }
  }

  private followersChanged(member: Member): void {
    member.connection.setRemoteTypes(unionOf(member));
    member.connection.setRemoteVisible(anyVisible(member));
    if (member.tabs.size === 0) this.followersGone(member.connection);
  }

  /** Drop followers whose tab is gone (crashed or closed without a 'leave'). */
  private async prune(): Promise<void> {
    const snapshot = await this.env.locks.query();
    const alive = new Set((snapshot.held ?? []).map((lock) => lock.name));
    // A tab that has just joined may not hold its tab lock yet.
    const settled = Date.now() - PRUNE_MS;
    for (const member of this.members.values()) {
      if (!member.owner) continue;
      let changed = false;
      for (const [tab, { seen }] of member.tabs) {
        if (seen > settled || alive.has(`${PREFIX}:tab:${tab}`)) continue;
        member.tabs.delete(tab);
        this.post({ t: 'leave', key: member.connection.stream.key, tab });
        changed = true;
      }
      if (changed) this.followersChanged(member);
    }
  }

  private startPruning(): void {
    this.pruneTimer ??= setInterval(() => void this.prune().catch(() => undefined), PRUNE_MS);
  }

  private stopPruning(): void {
    clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
  }

  private post(message: Message): void {
    if (!this.disposed) this.channel.postMessage(message);
  }

  /** Closes the channel and gives up every lock (provider unmounted). */
  dispose(): void {
    for (const member of [...this.members.values()]) this.leave(member.connection);
    this.stopPruning();
    this.disposed = true;
    this.releaseTabLock?.();
    this.channel.close();
  }
}

function unionOf(member: Member): string[] {
  const types = new Set<string>();
  for (const tab of member.tabs.values()) for (const type of tab.types) types.add(type);
  return [...types];
}

/** pauseWhenHidden pauses a shared stream only when no tab that reads it is visible. */
function anyVisible(member: Member): boolean {
  for (const tab of member.tabs.values()) if (tab.visible) return true;
  return false;
}

function remember(member: Member, id: string): void {
  member.recent.push(id);
  if (member.recent.length > RECENT_IDS * 2) member.recent = member.recent.slice(-RECENT_IDS);
}

/**
 * The ids this follower delivered after `resumeFrom`: a new owner that took over before it saw
 * the old owner's last relays resumes from an older id, and the server sends those again.
 */
function idsAfter(recent: string[], resumeFrom: string | undefined, delivered: string | undefined): string[] {
  if (resumeFrom === delivered) return [];
  if (resumeFrom === undefined) return [...recent];
  const index = recent.lastIndexOf(resumeFrom);
  return index >= 0 ? recent.slice(index + 1) : [];
}

/** Errors may carry a cause that cannot be structured-cloned; the readable part is what travels. */
function cloneable(state: ConnectionState): ConnectionState {
  if (!state.error) return state;
  const { cause: _cause, ...error } = state.error;
  return { ...state, error };
}
