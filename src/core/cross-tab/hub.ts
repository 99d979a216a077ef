import type { Connection } from '../connection/connection';
import { streamError } from '../errors/stream-error';
import type { CrossTabEnvironment } from './environment';
import { CHANNEL_NAME, PROTOCOL_VERSION, readMessage, streamLockName, tabLockName, toRelayedState, type CrossTabCommand, type CrossTabMessage } from './protocol';
import { anyVisible, needs, unionOf, type FollowerTabs } from './follower-tabs';
import { idsAfter, rememberId } from './replay';
import { message } from '../errors/messages';

interface Member {
  connection: Connection;
  /** Gives up ownership (or aborts the wait for it), and stops relaying. */
  release: () => void;
  owner: boolean;
  /**
   * The other tabs following this stream, with the event types each needs. Every member keeps
   * it, not only the owner: a follower that takes over must listen to the survivors' types from
   * its very first request, or events arriving before their re-'join' would be lost.
   */
  tabs: FollowerTabs;
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
  pending: CrossTabCommand | undefined;
}

type Outgoing = CrossTabMessage extends infer M ? (M extends CrossTabMessage ? Omit<M, 'v' | 'from'> : never) : never;

const PRUNE_MS = 2000;

/**
 * One real connection per stream key for the whole browser profile. Each tab that wants a stream
 * queues for a Web Lock named after its key; the holder owns the connection and relays states and
 * raw events over a BroadcastChannel; the others follow. The browser releases the lock when the
 * owner's tab closes, crashes or navigates away, and the next tab in the queue takes over from the
 * last event id the old owner relayed, so the survivors miss nothing and see nothing twice.
 * Keys hash header values and only `shareable` streams join: tokens never cross the channel.
 * Every message is checked by readMessage() before use; the names carry the protocol version.
 */
export class CrossTabHub {
  readonly tab = Math.random().toString(36).slice(2);
  readonly #channel;
  readonly #members = new Map<string, Member>();
  #pruneTimer: ReturnType<typeof setInterval> | undefined;
  #releaseTabLock: (() => void) | undefined;
  #disposed = false;

  readonly #env: CrossTabEnvironment;
  /** Called when an owned stream loses its last remote follower (it may linger and close). */
  readonly #followersGone: (connection: Connection) => void;
  /** This tab's page is visible (followers tell the owner, which then does not pause for being hidden). */
  readonly #isVisible: () => boolean;

  constructor(env: CrossTabEnvironment, followersGone: (connection: Connection) => void, isVisible: () => boolean = () => true) {
    this.#env = env;
    this.#followersGone = followersGone;
    this.#isVisible = isVisible;
    this.#channel = env.channel(CHANNEL_NAME, (raw) => {
      const message = readMessage(raw);
      if (message) this.#receive(message);
    });
    // A lock held for this tab's lifetime lets owners find tabs that vanished without a 'leave'.
    void env.locks
      .request(tabLockName(this.tab), () => (this.#disposed ? undefined : new Promise<void>((resolve) => (this.#releaseTabLock = resolve))))
      .catch(() => undefined);
  }

  /** Starts sharing a connection: follow whoever owns it, and queue to own it. */
  join(connection: Connection, pending?: CrossTabCommand): void {
    const key = connection.stream.key;
    const controller = new AbortController();
    let releaseOwnership = () => {};
    let stopRelaying = () => {};
    const member: Member = { connection, owner: false, tabs: new Map(), recent: [], replay: [], announced: '', pending, release: () => {} };
    member.release = () => {
      controller.abort();
      stopRelaying();
      releaseOwnership();
    };
    this.#members.set(key, member);
    connection.follow({ command: (cmd) => this.#command(member, cmd) });
    if (pending) this.#post({ kind: 'cmd', key, cmd: pending });
    this.#announce(member, true);
    this.#env.locks
      .request(streamLockName(key), { signal: controller.signal }, () => {
        // Left (or the provider unmounted) while the grant was on its way: hand it straight on.
        if (this.#members.get(key) !== member) return undefined;
        stopRelaying = this.#becomeOwner(member);
        return new Promise<void>((resolve) => (releaseOwnership = resolve));
      })
      .catch(() => undefined); // AbortError when we leave before getting the lock
  }

  /** This tab's subscribers changed the event types it needs. */
  typesChanged(connection: Connection): void {
    const member = this.#members.get(connection.stream.key);
    if (member?.connection === connection && !member.owner) this.#announce(member, false);
  }

  /** Would closing this connection strand another tab? */
  hasFollowers(connection: Connection): boolean {
    const member = this.#members.get(connection.stream.key);
    return member?.connection === connection && member.owner && member.tabs.size > 0;
  }

  leave(connection: Connection): void {
    const key = connection.stream.key;
    const member = this.#members.get(key);
    if (!member || member.connection !== connection) return;
    this.#members.delete(key);
    if (!member.owner) this.#post({ kind: 'leave', key });
    member.release();
    if (this.#members.size === 0) this.#stopPruning();
  }

  /** This tab's page was hidden or shown: followers tell their owners. */
  visibilityChanged(): void {
    for (const member of this.#members.values()) if (!member.owner) this.#announce(member, false);
  }

  /** Closes the channel and gives up every lock (provider unmounted). */
  dispose(): void {
    for (const member of [...this.#members.values()]) this.leave(member.connection);
    this.#stopPruning();
    this.#disposed = true;
    this.#releaseTabLock?.();
    this.#channel.close();
  }

  #command(member: Member, cmd: CrossTabCommand): void {
    member.pending = cmd;
    this.#post({ kind: 'cmd', key: member.connection.stream.key, cmd });
  }

  #announce(member: Member, force: boolean): void {
    const types = member.connection.localEventTypes;
    const visible = this.#isVisible();
    const announced = `${types.join('\n')}|${visible}`;
    if (!force && announced === member.announced) return;
    member.announced = announced;
    this.#post({ kind: 'join', key: member.connection.stream.key, types, visible });
  }

  /** Runs in the stream lock's callback; returns what stops relaying when ownership ends. */
  #becomeOwner(member: Member): () => void {
    const { connection } = member;
    const key = connection.stream.key;
    member.owner = true;
    member.replay = [];
    member.recent = [];
    const stopRelaying = connection.observe({
      relaysErrors: true,
      state: () => this.#post({ kind: 'state', key, ...this.#snapshot(connection) }),
      // Every id goes to the followers, the data only where a tab needs it: whichever follower
      // takes over must resume from this very id, or the others would see events twice.
      event: (type, data, id) => {
        if (member.tabs.size > 0) this.#post({ kind: 'event', key, type, data: needs(member.tabs, type) ? data : undefined, id });
      },
    });
    // Followers answer with 'join', and know which of their ids the resumed stream will repeat.
    this.#post({ kind: 'owner', key, lastEventId: connection.lastEventId });
    this.#takeOver(member);
    this.#startPruning();
    return stopRelaying;
  }

  /** A takeover never fails silently: the stream shows the error and this tab tries again. */
  #takeOver(member: Member): void {
    const { connection } = member;
    try {
      // Listen to what the surviving tabs need before the first request goes out.
      connection.setRemoteTypes(unionOf(member.tabs));
      connection.setRemoteVisible(anyVisible(member.tabs));
      connection.takeOver();
      // A command the old owner never confirmed runs here.
      const pending = member.pending;
      member.pending = undefined;
      if (pending === 'close') connection.close();
      else if (pending === 'reconnect') connection.reconnect();
    } catch (cause) {
      connection.takeOverFailed(streamError('unsupported', message('takeover-failed', connection.stream.url, String(cause)), { cause }));
    }
  }

  #snapshot(connection: Connection) {
    return { state: toRelayedState(connection.state), lastEventId: connection.lastEventId, eventsReceived: connection.eventsReceived };
  }

  #receive(message: CrossTabMessage): void {
    const member = this.#members.get(message.key);
    if (!member || message.from === this.tab) return;
    const { connection } = member;
    switch (message.kind) {
      case 'join':
        member.tabs.set(message.from, { types: message.types, visible: message.visible, seen: Date.now() });
        if (!member.owner) return;
        this.#followersChanged(member);
        this.#post({
          kind: 'state',
          key: message.key,
          ...this.#snapshot(connection),
          tabs: [...member.tabs].map(([tab, { types, visible }]) => [tab, { types, visible }]),
        });
        return;
      case 'leave':
        if (member.tabs.delete(message.from) && member.owner) this.#followersChanged(member);
        return;
      case 'owner':
        member.tabs.delete(message.from);
        if (member.owner) return;
        if (member.pending) this.#post({ kind: 'cmd', key: message.key, cmd: member.pending });
        member.replay = idsAfter(member.recent, message.lastEventId, connection.lastEventId);
        this.#announce(member, true);
        return;
      case 'state':
        if (member.owner) return;
        if (message.tabs) {
          const seen = Date.now();
          member.tabs = new Map(message.tabs.filter(([tab]) => tab !== this.tab).map(([tab, follower]) => [tab, { ...follower, seen }]));
        }
        // While a replay is pending the owner's id is behind what this tab delivered: keep ours.
        connection.mirror(message.state, message.lastEventId, message.eventsReceived, member.replay.length > 0);
        return;
      case 'event':
        if (member.owner) return;
        if (message.id !== undefined && member.replay[0] === message.id) {
          // Already delivered here by the previous owner: the new one resumed from an older id.
          member.replay.shift();
          return;
        }
        member.replay = [];
        if (message.id !== undefined) rememberId(member.recent, message.id);
        connection.deliver(message.type, message.data, message.id);
        return;
      case 'cmd':
        if (!member.owner) return;
        if (message.cmd === 'close') connection.close();
        else connection.reconnect();
        this.#post({ kind: 'done', key: message.key, to: message.from });
        return;
      case 'done':
        if (message.to === this.tab) member.pending = undefined;
        return;
    }
  }

  #followersChanged(member: Member): void {
    member.connection.setRemoteTypes(unionOf(member.tabs));
    member.connection.setRemoteVisible(anyVisible(member.tabs));
    if (member.tabs.size === 0) this.#followersGone(member.connection);
  }

  /** Drop followers whose tab is gone (crashed or closed without a 'leave'). */
  async #prune(): Promise<void> {
    const snapshot = await this.#env.locks.query();
    const alive = new Set((snapshot.held ?? []).map((lock) => lock.name));
    // A tab that has just joined may not hold its tab lock yet.
    const settled = Date.now() - PRUNE_MS;
    for (const member of this.#members.values()) {
      if (!member.owner) continue;
      let changed = false;
      for (const [tab, { seen }] of member.tabs) {
        if (seen > settled || alive.has(tabLockName(tab))) continue;
        member.tabs.delete(tab);
        changed = true;
      }
      if (changed) this.#followersChanged(member);
    }
  }

  #startPruning(): void {
    this.#pruneTimer ??= setInterval(() => void this.#prune().catch(() => undefined), PRUNE_MS);
  }

  #stopPruning(): void {
    clearInterval(this.#pruneTimer);
    this.#pruneTimer = undefined;
  }

  #post(message: Outgoing): void {
    if (!this.#disposed) this.#channel.postMessage({ v: PROTOCOL_VERSION, from: this.tab, ...message });
  }
}
