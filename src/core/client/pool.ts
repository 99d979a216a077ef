import { Connection, type ConnectionCommand, type ConnectionSubscriber } from '../connection/connection';
import type { ConnectionHost } from '../connection/connection-host';
import type { ConnectionSharing } from '../cross-tab/connection-sharing';
import { browserCrossTabEnvironment, type CrossTabEnvironment } from '../cross-tab/environment';
import { createTransportPicker } from './built-in-transports';
import { createNotifyScheduler, nextFrame, type NotifyScheduler } from '../scheduling/notify-scheduler';
import type { DecideFailure } from '../connection/retry-decision';
import { hashString } from '../stream/stable-key';
import { OriginBudget } from '../budget/origin-budget';
import type { SlotBudget } from '../budget/slot-budget';
import { OriginProtocols } from '../budget/origin-protocol';
import { resolveEnvironment, type SseEnvironment, type SseTimers } from '../scheduling/environment';
import { createStreamResolver, type ResolvedStream } from '../stream/resolve-stream';
import type { StreamError, StreamOptions, StreamSource, Transport } from '../types';
import { EventTaps, type EventTap } from './event-taps';
import type { PoolConfig, ResolvedPoolConfig } from './pool-config';

/** How many closed streams' last event ids a client remembers. */
const REMEMBERED_IDS = 100;

/** Test seams that are not options. */
export interface PoolEnvironment {
  /** BroadcastChannel + Web Locks; null disables. Default: the browser's, when both exist. */
  crossTab?: CrossTabEnvironment | null;
  scheduler?: NotifyScheduler;
  random?: () => number;
}

/**
 * Every connection of one provider, keyed by resolved URL + connection options and
 * reference-counted by subscribers: opened on the first subscribe, closed lingerMs after the last
 * unsubscribe (so React StrictMode's mount/unmount/mount reuses the same connection).
 */
export class ConnectionPool implements ConnectionHost {
  readonly scheduler: NotifyScheduler;
  readonly resolve: (source: StreamSource, defaults?: StreamOptions) => ResolvedStream;
  /** By stream key; read by poolEntries. */
  readonly connections = new Map<string, Connection>();
  /** Bumped by every change useSsePool shows (poolEntries caches by it). */
  version = 0;
  readonly #lingerTimers = new Map<string, unknown>();
  /** Last event ids of connections that closed, by stream key (see retire). */
  readonly #lastIds = new Map<string, string>();
  readonly #listeners = new Set<() => void>();
  readonly #taps = new EventTaps();
  /** This client's budget, or the sharing plug-in's once it has loaded. */
  budget: SlotBudget;
  /** What each origin speaks, for 'auto' and PoolEntry.protocol. */
  readonly protocols = new OriginProtocols();
  readonly environment: SseEnvironment;
  /** The environment's timers (what connections use). */
  readonly timers: SseTimers;
  readonly random: () => number;
  /** retry.shouldRetry's decision, once a stream that has one loaded it (see pluginsFor). */
  declare decideFailure: DecideFailure | undefined;
  /** The provider's props, as last configured. */
  config: ResolvedPoolConfig;
  /** The sharing plug-in (cross-tab), once its chunk has loaded. */
  #sharing: ConnectionSharing | undefined;
  /** Where sharing is on and possible: settles when the plug-in has loaded, or failed to. */
  readonly #sharingLoaded: Promise<void> | undefined;
  #holders = 0;
  readonly #pickTransport = createTransportPicker();
  #stopListening: (() => void) | undefined;

  constructor(config: PoolConfig = {}, env: PoolEnvironment = {}) {
    this.config = { maxConnectionsPerOrigin: 'auto', lingerMs: 1000, defaults: {}, transport: undefined };
    this.configure(config);
    this.budget = new OriginBudget(this.#limitFor);
    // Without BroadcastChannel or Web Locks (SSR, jsdom, old browsers) each tab connects on its own.
    const crossTabEnv = config.shareAcrossTabs ? (env.crossTab === undefined ? browserCrossTabEnvironment() : (env.crossTab ?? undefined)) : undefined;
    this.#sharingLoaded =
      crossTabEnv &&
      import('../cross-tab/cross-tab-sharing').then(
        ({ createCrossTabSharing }) => {
          this.#sharing = createCrossTabSharing(crossTabEnv, {
            limitFor: this.#limitFor,
            isVisible: () => !this.environment.hidden.get(),
            followersGone: (c) => this.#followersGone(c),
          });
          // Every tab shares the browser's 6-per-host limit: with sharing on, so does the budget.
          // No connection asked this pool's own budget for a slot: they all waited (see share).
          this.budget = this.#sharing.budget;
        },
        () => undefined,
      );
    this.environment = resolveEnvironment(config.environment);
    this.timers = this.environment.timers;
    this.scheduler = env.scheduler ?? createNotifyScheduler();
    this.resolve = createStreamResolver(() => this.config.defaults);
    this.random = env.random ?? Math.random;
  }

  // ConnectionHost: what the pool's connections ask of it.

  isOnline(): boolean {
    return this.environment.online.get();
  }

  /**
   * The provider holds the pool while mounted. The last release disposes it a microtask later,
   * unless it is held again at once: StrictMode re-runs effects synchronously.
   */
  hold(): () => void {
    this.#holders++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#holders--;
      void Promise.resolve().then(() => {
        if (this.#holders === 0) this.dispose();
      });
    };
  }

  /** Closes every connection now and leaves cross-tab sharing (releasing its locks); usable again afterwards. */
  dispose(): void {
    for (const timer of this.#lingerTimers.values()) this.environment.timers.clearTimeout(timer);
    this.#lingerTimers.clear();
    const connections = [...this.connections.values()];
    this.connections.clear();
    // Close our real connections before the locks go, so a tab taking over never overlaps them.
    for (const connection of connections) this.#retire(connection);
    this.#sharing?.dispose();
    this.budget.dispose?.();
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.changed();
  }

  /** Provider props may change between renders; undefined keeps the current value. */
  configure(config: PoolConfig): void {
    const next = { ...this.config };
    if (config.maxConnectionsPerOrigin !== undefined) next.maxConnectionsPerOrigin = config.maxConnectionsPerOrigin;
    if (config.lingerMs !== undefined) next.lingerMs = config.lingerMs;
    if (config.defaults !== undefined) next.defaults = config.defaults;
    next.transport = config.transport;
    this.config = next;
    this.budget?.setLimit(this.#limitFor);
  }

  /** The budget's limit for an origin, read from the current config at every request for a slot. */
  readonly #limitFor = (origin: string): number => {
    const max = this.config.maxConnectionsPerOrigin;
    return max === 'auto' ? this.protocols.limit(origin) : max;
  };

  /** Adds a subscriber to the stream's shared connection, creating it if needed. */
  join(stream: ResolvedStream, subscriber: ConnectionSubscriber): () => void {
    this.environment.timers.clearTimeout(this.#lingerTimers.get(stream.key));
    this.#lingerTimers.delete(stream.key);
    const connection = this.#connectionFor(stream);
    connection.add(subscriber);
    this.#sharing?.typesChanged(connection);
    return () => {
      connection.remove(subscriber);
      this.#sharing?.typesChanged(connection);
      if (connection.subscriberCount === 0) this.#linger(connection);
    };
  }

  /** The live connection for a key, if any (hooks read its state before subscribing). */
  peek(key: string): Connection | undefined {
    return this.connections.get(key);
  }

  /**
   * Devtools: every event of every connection (raw data, the stream's key), without counting as a
   * subscriber. Only event types some hook listens to arrive.
   */
  tapEvents(listener: EventTap): () => void {
    return this.#taps.add(listener, this.connections.values());
  }

  /** For useSsePool / devtools: notified (batched) whenever any connection changes. */
  subscribeEntries(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #connectionFor(stream: ResolvedStream): Connection {
    let connection = this.connections.get(stream.key);
    if (!connection) {
      // A stream read again after its connection closed resumes where that one stopped.
      connection = new Connection(stream, this, this.#lastIds.get(stream.key));
      this.connections.set(stream.key, connection);
      this.#stopListening ??= this.#listenToPage();
      if (this.environment.hidden.get()) connection.visibilityChanged(true);
      this.#admit(connection, this.#pluginsFor(connection));
      this.#taps.attach(connection);
    }
    return connection;
  }

  /**
   * The chunks a new connection needs before its first request, loading: the sharing plug-in
   * (until it has loaded, no connection may take a slot from the budget it replaces), the resume
   * store (the first request carries the stored id), shouldRetry's decision (a synchronous answer
   * is applied at once). A chunk that fails to load leaves its feature off: no sharing, the id in
   * memory only, the default retry rule.
   */
  #pluginsFor(connection: Connection): Promise<unknown>[] {
    const { resume, retry, key } = connection.stream;
    const loads: Promise<unknown>[] = [];
    if (this.#sharingLoaded && !this.#sharing) loads.push(this.#sharingLoaded);
    if (resume) loads.push(import('../stream/resume-store').then((m) => connection.resumeWith(m.openResumeStore(resume, hashString(key), nextFrame))));
    if (retry.shouldRetry && !this.decideFailure) loads.push(import('../connection/retry-decision').then((m) => (this.decideFailure = m.decideFailure)));
    return loads.map((load) => load.catch(() => undefined));
  }

  /**
   * A new connection waits (follows no one) until its chunks have loaded, then a shareable stream
   * joins the sharing plug-in, if on, and any other connects here, as where the browser lacks the APIs.
   */
  #admit(connection: Connection, loads: Promise<unknown>[]): void {
    const shared = () => this.#sharing && connection.stream.shareable;
    if (loads.length === 0) return void (shared() && this.#sharing!.join(connection));
    // A close() or reconnect() made meanwhile goes to the plug-in, or runs here without it.
    let pending: ConnectionCommand | undefined;
    connection.follow({ command: (command) => (pending = command) });
    void Promise.all(loads).then(() => {
      if (this.connections.get(connection.stream.key) !== connection) return;
      if (shared()) return this.#sharing!.join(connection, pending);
      // A pending reconnect() needs nothing more: nothing has connected yet.
      connection.takeOver(pending === 'close');
    });
  }

  /** An owned cross-tab stream lost its last follower tab: close it too if this tab has no subscriber. */
  #followersGone(connection: Connection): void {
    if (connection.subscriberCount === 0 && this.connections.get(connection.stream.key) === connection) this.#linger(connection);
  }

  #linger(connection: Connection): void {
    const key = connection.stream.key;
    const { timers } = this.environment;
    timers.clearTimeout(this.#lingerTimers.get(key));
    this.#lingerTimers.set(
      key,
      timers.setTimeout(() => {
        this.#lingerTimers.delete(key);
        if (this.connections.get(key) !== connection) return;
        // Other tabs still read this tab's connection: keep serving them; the hub calls
        // followersGone (and so linger) again when the last of them leaves.
        if (this.#sharing?.hasFollowers(connection)) return;
        this.#retire(connection);
        this.#sharing?.leave(connection);
        this.connections.delete(key);
        if (this.connections.size === 0) {
          this.#stopListening?.();
          this.#stopListening = undefined;
        }
        this.changed();
      }, this.config.lingerMs),
    );
  }

  /**
   * Closes a connection nobody reads any more and remembers its last event id (at most
   * REMEMBERED_IDS streams, oldest forgotten): a component shown again after lingerMs (React's
   * <Activity>, a route coming back) resumes from it and misses nothing. A finished finite stream
   * is asked for anew, from the start.
   */
  #retire(connection: Connection): void {
    const { key } = connection.stream;
    this.#lastIds.delete(key);
    if (connection.lastEventId !== undefined && !connection.finished) {
      this.#lastIds.set(key, connection.lastEventId);
      if (this.#lastIds.size > REMEMBERED_IDS) this.#lastIds.delete(this.#lastIds.keys().next().value!);
    }
    this.#taps.detach(connection);
    connection.dispose();
  }

  #listenToPage(): () => void {
    const { hidden, online, restored } = this.environment;
    const stops = [
      hidden.subscribe(() => {
        const isHidden = hidden.get();
        this.connections.forEach((c) => c.visibilityChanged(isHidden));
        this.#sharing?.visibilityChanged();
      }),
      online.subscribe(() => this.connections.forEach((c) => c.onlineChanged())),
      restored.subscribe(() => this.connections.forEach((c) => c.reopen())),
    ];
    return () => stops.forEach((stop) => stop());
  }

  transportFor(stream: ResolvedStream): Transport | StreamError {
    return this.#pickTransport(stream, this.config.transport);
  }

  changed(): void {
    this.version++;
    // Runs once per event: nothing to do unless useSsePool or devtools listen.
    if (this.#listeners.size > 0) for (const listener of this.#listeners) this.scheduler.schedule(listener);
  }
}
