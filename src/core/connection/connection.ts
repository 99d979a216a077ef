import { decideRetry } from './reconnect-policy';
import type { Decoder, DecodeResult } from '../stream/decoder';
import type { SlotBudget, SlotHolder } from '../budget/origin-budget';
import type { ResolvedStream } from '../stream/resolve-stream';
import { streamError } from '../stream/stream-error';
import type {
  SseEvent,
  StreamError,
  StreamStatus,
  Transport,
  TransportCallbacks,
  TransportConnection,
  TransportFailure,
} from '../types';

/** The part of a connection every subscriber renders; replaced (never mutated) on change. */
export interface ConnectionState {
  readonly status: StreamStatus;
  readonly error: StreamError | undefined;
  readonly retryCount: number;
}

/** One hook call's view of a connection: the event types it wants and how it decodes them. */
export interface ConnectionSubscriber {
  readonly types: readonly string[];
  readonly decoder: Decoder;
  onEvent(event: SseEvent): void;
  onState(): void;
}

/** What a connection needs from its pool. */
export interface ConnectionHost {
  readonly budget: SlotBudget;
  transportFor(stream: ResolvedStream): Transport | StreamError;
  isOnline(): boolean;
  random(): number;
  /** Something devtools / useSsePool shows changed. */
  changed(): void;
  /** Every raw event, for devtools; not a subscriber, so it attaches no listener and holds nothing open. */
  tap(stream: ResolvedStream, type: string, data: string, id: string | undefined, lastEventId: string): void;
}

/** Before the first attempt; hooks show the same object before they subscribe, so subscribing renders nothing. */
export const CONNECTING_STATE: ConnectionState = Object.freeze({ status: 'connecting', error: undefined, retryCount: 0 });

/**
 * One shared stream: the transport attempt in flight, the reconnect policy, pausing, the
 * per-origin slot, and fan-out to subscribers by event type. The only place that decides status.
 */
export class Connection implements SlotHolder {
  state: ConnectionState = CONNECTING_STATE;
  lastEventId: string | undefined = undefined;
  eventsReceived = 0;
  /** Epoch ms of the next scheduled reconnect attempt, for devtools. */
  nextRetryAt: number | undefined = undefined;

  private readonly subscribers = new Set<ConnectionSubscriber>();
  private readonly byType = new Map<string, Set<ConnectionSubscriber>>();
  private handle: TransportConnection | undefined;
  /** Bumped on every new attempt or teardown so late callbacks of an old attempt are ignored. */
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  private hiddenPaused = false;
  private stopped = false;
  private disposed = false;
  private holdsSlot = false;
  private serverRetryMs: number | undefined;
  /**
   * Drives the backoff delay. Unlike retryCount (reset by every open, as the API says) it resets
   * only when a connection delivers an event: a server that accepts and at once ends the stream
   * would otherwise be retried at the first delay forever.
   */
  private backoffAttempt = 0;
  /** Cross-tab: true while another tab owns the real connection and relays it here. */
  private following = false;
  /** Cross-tab (owner): a following tab's page is visible, so being hidden here is no reason to pause. */
  private remoteVisible = false;
  /** Cross-tab: event types other tabs need from this (owning) tab. */
  private remoteTypes = new Set<string>();
  /** Cross-tab: set while this tab owns a shared stream; receives what other tabs must see. */
  relay: { state(state: ConnectionState): void; event(type: string, data: string | undefined, id: string | undefined): void } | undefined;
  /** Cross-tab (follower): sends close()/reconnect() to the owning tab. */
  command: ((command: 'close' | 'reconnect') => void) | undefined;

  constructor(
    readonly stream: ResolvedStream,
    private readonly host: ConnectionHost,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Types the transport listens to: this tab's subscribers plus, when owning, other tabs'. */
  get eventTypes(): string[] {
    return [...new Set([...this.byType.keys(), ...this.remoteTypes])];
  }

  /** Local subscribers' event types (what a following tab asks the owner for). */
  get localEventTypes(): string[] {
    return [...this.byType.keys()];
  }

  get isFollowing(): boolean {
    return this.following;
  }

  /** Cross-tab: another tab owns the stream (true) or this tab takes it over (false). */
  setFollowing(following: boolean): void {
    this.following = following;
    if (following) {
      this.teardown();
      this.releaseSlot();
    } else {
      // Taking over: a stream the old owner closed stays closed until reconnect(); any other
      // state resumes from the last event id the old owner relayed.
      this.stopped = this.state.status === 'closed';
      this.sync();
    }
    this.host.changed();
  }

  /** Cross-tab (owner): the union of event types the following tabs listen to. */
  setRemoteTypes(types: Iterable<string>): void {
    const next = new Set(types);
    for (const type of next) if (!this.byType.has(type) && !this.remoteTypes.has(type)) this.handle?.listen(type);
    for (const type of this.remoteTypes) if (!next.has(type) && !this.byType.has(type)) this.handle?.unlisten(type);
    this.remoteTypes = next;
  }

  /** Cross-tab (owner): whether any following tab is visible. */
  setRemoteVisible(visible: boolean): void {
    if (visible === this.remoteVisible) return;
    this.remoteVisible = visible;
    this.sync();
  }

  /** Cross-tab (follower): the owner's state. */
  mirror(state: ConnectionState, lastEventId: string | undefined, eventsReceived: number): void {
    this.lastEventId = lastEventId;
    this.eventsReceived = eventsReceived;
    this.setState(state);
  }

  /** Cross-tab (follower): an event relayed by the owner; without data (a type no tab here needs) only its id counts. */
  deliver(type: string, data: string | undefined, id: string | undefined): void {
    if (data !== undefined) return this.dispatch(type, data, id);
    if (id !== undefined) this.lastEventId = id;
    this.eventsReceived++;
    this.host.changed();
  }

  add(subscriber: ConnectionSubscriber): void {
    this.subscribers.add(subscriber);
    for (const type of subscriber.types) {
      let set = this.byType.get(type);
      if (!set) {
        set = new Set();
        this.byType.set(type, set);
        if (!this.remoteTypes.has(type)) this.handle?.listen(type);
      }
      set.add(subscriber);
    }
    this.sync();
    this.host.changed();
  }

  remove(subscriber: ConnectionSubscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    // Give up a place in the queue nobody needs any more; add() queues again if one comes back.
    if (!this.wanted && !this.holdsSlot) this.host.budget.release(this.stream.origin, this);
    for (const type of subscriber.types) {
      const set = this.byType.get(type);
      if (!set) continue;
      set.delete(subscriber);
      if (set.size === 0) {
        // Detach the transport listener with the last subscriber of the type.
        this.byType.delete(type);
        if (!this.remoteTypes.has(type)) this.handle?.unlisten(type);
      }
    }
    this.host.changed();
  }

  /** Stop for every subscriber: 'closed' until reconnect(). */
  close(): void {
    if (this.following && this.command) return this.command('close');
    this.stop(undefined);
  }

  /** Connect now with a fresh retry budget, from any status (also 'closed'). */
  reconnect(): void {
    if (this.following && this.command) return this.command('reconnect');
    this.stopped = false;
    this.teardown();
    this.backoffAttempt = 0;
    this.setState({ status: this.state.status, error: this.state.error, retryCount: 0 });
    this.sync();
  }

  /** Re-open a live stream from its last event id (page restored from the back/forward cache). */
  reopen(): void {
    if (this.stopped || this.pauseReason()) return;
    this.teardown();
    this.sync();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.hiddenTimer);
    this.teardown();
    this.releaseSlot();
  }

  /** Page visibility changed; only streams with pauseWhenHidden care. */
  visibilityChanged(hidden: boolean): void {
    const delay = this.stream.pauseWhenHidden;
    if (delay === false) return;
    clearTimeout(this.hiddenTimer);
    if (hidden) {
      this.hiddenTimer = setTimeout(() => {
        this.hiddenPaused = true;
        this.sync();
      }, delay);
    } else if (this.hiddenPaused) {
      this.hiddenPaused = false;
      this.sync();
    }
  }

  /** Back online: waiting out a backoff delay would only add latency. */
  onlineChanged(): void {
    if (this.host.isOnline() && this.retryTimer !== undefined) this.teardown();
    this.sync();
  }

  slotGranted(): void {
    this.holdsSlot = true;
    // A queued stream whose last subscriber left while it waited is lingering, not wanted.
    if (this.disposed || this.stopped || this.pauseReason() || !this.wanted) this.releaseSlot();
    else this.connect();
  }

  slotWaiting(): void {
    if (this.state.status !== 'queued') this.setState({ ...this.state, status: 'queued' });
  }

  /** Someone reads this stream: a subscriber here or, when this tab owns it, another tab. */
  private get wanted(): boolean {
    return this.subscribers.size > 0 || this.remoteTypes.size > 0;
  }

  /** Brings the transport in line with what is wanted: connected, queued, paused or closed. */
  sync(): void {
    if (this.disposed || this.stopped || this.following) return;
    if (this.pauseReason()) {
      this.teardown();
      this.releaseSlot();
      if (this.state.status !== 'paused') this.setState({ status: 'paused', error: this.state.error, retryCount: 0 });
      return;
    }
    if (this.handle || this.retryTimer !== undefined) return;
    if (!this.holdsSlot) {
      if (!this.host.budget.acquire(this.stream.origin, this)) {
        // A browser-wide budget answers later; until it says "wait" the status stays as it is.
        if (this.host.budget.position(this.stream.origin, this) !== undefined) this.slotWaiting();
        return;
      }
      this.holdsSlot = true;
    }
    this.connect();
  }

  private pauseReason(): 'offline' | 'hidden' | undefined {
    if (!this.host.isOnline()) return 'offline';
    return this.hiddenPaused && !this.remoteVisible ? 'hidden' : undefined;
  }

  private connect(): void {
    const transport = this.stream.invalid ?? this.host.transportFor(this.stream);
    if (!('connect' in transport)) return this.stop(transport);
    const attempt = ++this.attempt;
    this.nextRetryAt = undefined;
    this.setState({ ...this.state, status: this.state.retryCount > 0 ? 'reconnecting' : 'connecting' });
    const request = {
      url: this.stream.url,
      eventTypes: this.eventTypes,
      lastEventId: this.lastEventId,
      options: this.stream.connection,
    };
    try {
      const handle = transport.connect(request, this.callbacks(attempt));
      // A transport may fail synchronously inside connect(); then this attempt is already over.
      if (attempt === this.attempt) this.handle = handle;
      else handle.close();
    } catch (cause) {
      this.stop(streamError('unsupported', `Could not start a ${transport.name} connection to ${this.stream.url}: ${String(cause)}`, { cause }));
    }
  }

  private callbacks(attempt: number): TransportCallbacks {
    const current = () => attempt === this.attempt && !this.disposed;
    return {
      open: () => current() && this.setState({ status: 'open', error: undefined, retryCount: 0 }),
      event: (type, data, id) => {
        if (!current()) return;
        this.backoffAttempt = 0;
        this.dispatch(type, data, id);
      },
      retry: (ms) => {
        if (current()) this.serverRetryMs = ms;
      },
      failure: (failure) => current() && this.failed(failure),
      error: (error) => current() && this.setState({ ...this.state, error }),
      id: (id) => {
        if (current()) this.lastEventId = id;
      },
    };
  }

  private dispatch(type: string, data: string, id: string | undefined): void {
    if (id !== undefined) this.lastEventId = id;
    this.eventsReceived++;
    this.host.tap(this.stream, type, data, id, this.lastEventId ?? '');
    // Every id goes to the followers, the data only where a tab needs it: whichever follower takes
    // over must resume from this very id, or the others would see events twice.
    this.relay?.event(type, this.remoteTypes.has(type) ? data : undefined, id);
    const subscribers = this.byType.get(type);
    if (subscribers) {
      // Decode once per distinct decoder: usually every subscriber shares one.
      let lastDecoder: Decoder | undefined;
      let lastResult: DecodeResult | undefined;
      const receivedAt = Date.now();
      const lastEventId = this.lastEventId ?? '';
      for (const subscriber of subscribers) {
        if (subscriber.decoder !== lastDecoder) {
          lastDecoder = subscriber.decoder;
          lastResult = lastDecoder.decode(type, data);
          if (!lastResult.ok) this.setState({ ...this.state, error: lastResult.error });
        }
        if (lastResult!.ok) subscriber.onEvent({ type, data: lastResult!.value, id, lastEventId, receivedAt });
      }
    }
    this.host.changed();
  }

  private failed(failure: TransportFailure): void {
    const decision = decideRetry(failure, {
      url: this.stream.url,
      retryCount: this.state.retryCount,
      backoffAttempt: this.backoffAttempt,
      retry: this.stream.retry,
      serverRetryMs: this.serverRetryMs,
      random: this.host.random,
    });
    if (decision.kind === 'stop') return this.stop(decision.error);
    if (decision.kind === 'wait') {
      this.teardown();
      this.backoffAttempt++;
      this.nextRetryAt = Date.now() + decision.delayMs;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.sync();
      }, decision.delayMs);
    }
    // 'self': a native EventSource reconnects by itself (honouring the server's retry:); we count and report.
    this.setState({ status: 'reconnecting', error: failure.error ?? this.state.error, retryCount: this.state.retryCount + 1 });
  }

  private stop(error: StreamError | undefined): void {
    this.stopped = true;
    this.teardown();
    this.releaseSlot();
    this.setState({ status: 'closed', error, retryCount: this.state.retryCount });
  }

  private teardown(): void {
    this.attempt++;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.nextRetryAt = undefined;
    const handle = this.handle;
    this.handle = undefined;
    handle?.close();
  }

  private releaseSlot(): void {
    this.holdsSlot = false;
    this.host.budget.release(this.stream.origin, this);
  }

  private setState(next: ConnectionState): void {
    const prev = this.state;
    // An unchanged state keeps its identity, so snapshots stay equal and nothing re-renders
    // (a first attempt moves 'connecting' to 'connecting').
    if (prev.status === next.status && prev.error === next.error && prev.retryCount === next.retryCount) return;
    this.state = next;
    this.relay?.state(next);
    for (const subscriber of this.subscribers) subscriber.onState();
    this.host.changed();
  }
}
