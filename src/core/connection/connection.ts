import type { ResolvedStream } from '../stream/resolve-stream';
import type { ResumeStore } from '../stream/resume-store';
import type { StreamError } from '../types';
import type { ConnectionHost, DrivenConnection } from './connection-host';
import type { ConnectionObserver, ConnectionSubscriber, FollowerDriver } from './connection-readers';
import { EventChannels } from './event-channels';
import { warnUnseenError } from '../errors/unseen-error-warning';
import { createLocalDriver, type LocalDriver } from './local-driver';
import { CONNECTING_STATE, initialState, connectionViewOf, reduce, type Action, type MachinePolicy, type MachineState, type ConnectionView } from './state';

export type { ConnectionCommand, ConnectionObserver, ConnectionSubscriber, FollowerDriver, JoinedConnection } from './connection-readers';

/**
 * One shared stream: its lifecycle state (changed only by `reduce`), its subscribers and the
 * fan-out of events to them by type. The effects of the lifecycle — transport attempts, timers,
 * the budget slot — live in the LocalDriver; while another tab owns the stream, close() and
 * reconnect() go to that tab through a FollowerDriver.
 */
export class Connection implements DrivenConnection {
  /** What hooks render; the same object until status, error or retryCount change. */
  state: ConnectionView = CONNECTING_STATE;
  /** The newest event id seen (here or, while following, relayed by the owning tab). Written only by the connection. */
  lastEventId: string | undefined = undefined;
  eventsReceived = 0;

  #machine: MachineState;
  readonly #policy: MachinePolicy;
  readonly #driver: LocalDriver;
  #follower: FollowerDriver | undefined;
  readonly #queue: Action[] = [];
  #dispatching = false;
  readonly #subscribers = new Set<ConnectionSubscriber>();
  /** The newest error told to subscribers (see errorRaised). */
  #lastError: StreamError | undefined;
  readonly #channels: EventChannels;
  /** Cross-tab owner: event types other tabs need from this tab. */
  #remoteTypes: ReadonlySet<string> = new Set();
  /** The types the transport listens to (see readersChanged). */
  #listening: ReadonlySet<string> = new Set();
  readonly #observers = new Set<ConnectionObserver>();
  /** resume 'session' / 'local': where the last event id outlives the page (see resumeWith). */
  #resume: ResumeStore | undefined;
  readonly #host: ConnectionHost;

  /** `lastEventId`: where a connection to the same stream that closed earlier stopped (see the client's retire). */
  constructor(readonly stream: ResolvedStream, host: ConnectionHost, lastEventId?: string) {
    this.#host = host;
    this.#channels = new EventChannels((flush) => host.scheduler.schedule(flush));
    this.#machine = initialState(!host.isOnline());
    this.#policy = { retry: stream.retry, finite: stream.finite, url: stream.url };
    this.#driver = createLocalDriver(this, host, (action) => this.#dispatch(action));
    this.lastEventId = lastEventId;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Types the transport listens to: this tab's subscribers plus, when owning, other tabs'. */
  get eventTypes(): string[] {
    return [...this.#listening];
  }

  /** Local subscribers' event types (what a following tab asks the owner for). */
  get localEventTypes(): string[] {
    return [...this.#channels.types()];
  }

  /** The lifecycle state, for the driver and tests; everyone else reads the derived facts below. */
  get lifecycle(): MachineState {
    return this.#machine;
  }

  /** A finite stream reached its end (or endOn): closed for good, not an error. */
  get finished(): boolean {
    return this.#machine.finished;
  }

  /** Another tab owns the real connection, or (before the first request) chunks it needs load. */
  get followed(): boolean {
    return this.#machine.phase === 'following';
  }

  queuePosition(): number | undefined {
    return this.#host.budget.position(this.stream.origin, this.#driver);
  }

  add(subscriber: ConnectionSubscriber): void {
    if (this.#subscribers.has(subscriber)) return;
    this.#subscribers.add(subscriber);
    const channel = this.#channels.join(subscriber);
    subscriber.attach?.(channel, this);
    this.#readersChanged();
  }

  remove(subscriber: ConnectionSubscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    this.#channels.leave(subscriber);
    this.#readersChanged();
  }

  /** The side channel (see ConnectionObserver); returns the function that stops it. */
  observe(observer: ConnectionObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Stop for every subscriber: 'closed' until reconnect(). */
  close(): void {
    if (this.#follower) this.#follower.command('close');
    else this.#dispatch({ type: 'close' });
  }

  /** Connect now with a fresh retry budget, from any status (also 'closed'). */
  reconnect(): void {
    if (this.#follower) this.#follower.command('reconnect');
    else this.#dispatch({ type: 'reconnect' });
  }

  /** Re-open a live stream from its last event id (page restored from the back/forward cache). */
  reopen(): void {
    this.#dispatch({ type: 'reopen' });
  }

  /** The client let go of it: close the transport and give the slot back, telling no other tab. */
  dispose(): void {
    this.#observers.clear();
    this.#follower = undefined;
    this.#driver.dispose();
    this.#dispatch({ type: 'close' });
  }

  visibilityChanged(hidden: boolean): void {
    this.#driver.visibilityChanged(hidden);
  }

  onlineChanged(): void {
    this.#dispatch({ type: 'page', offline: !this.#host.isOnline() });
  }

  // --- cross-tab: only what needs private state; the hub (in the lazily loaded cross-tab chunk)
  // mirrors the owner's state with these and hands relayed events to deliver().

  /** Another tab owns the stream: close ours and mirror theirs. */
  follow(follower: FollowerDriver): void {
    this.#follower = follower;
    this.#dispatch({ type: 'follow' });
  }

  /** This tab owns the stream now: resume from the last event id the old owner relayed (`closed`: stay closed). */
  takeOver(closed?: boolean): void {
    this.#follower = undefined;
    this.#dispatch({ type: 'take-over', closed });
  }

  /** Taking over failed: this tab owns the stream now, shows why, and retries with backoff. */
  takeOverFailed(error: StreamError): void {
    this.#follower = undefined;
    this.#dispatch({ type: 'take-over-failed', error, random: this.#host.random() });
  }

  /** Owner: the event types the following tabs listen to (they keep the stream wanted). */
  setRemoteTypes(types: Iterable<string>): void {
    this.#remoteTypes = new Set(types);
    this.#readersChanged();
  }

  /** Owner: whether a following tab's page is visible (then being hidden here is no reason to pause). */
  setRemoteVisible(visible: boolean): void {
    this.#dispatch({ type: 'page', remoteVisible: visible });
  }

  /**
   * Following: the owning tab's state. Its last event id is taken unless this tab is ahead (it
   * delivered ids a new owner is about to replay).
   */
  mirror(state: ConnectionView, lastEventId: string | undefined, eventsReceived: number, keepOwnId: boolean): void {
    if (!keepOwnId) this.lastEventId = lastEventId ?? this.lastEventId;
    this.eventsReceived = eventsReceived;
    // Each message carries a new copy of the owner's error, and a relayed event this tab could not
    // decode was told here already: an error told before keeps its object, so it is not told again.
    const told = this.#lastError;
    if (state.error && told && state.error.kind === told.kind && state.error.message === told.message) state = { ...state, error: told };
    this.#dispatch({ type: 'mirror', state });
  }

  // --- from the driver -------------------------------------------------------------------------
  /** An event off the wire of the current attempt `attempt` (the driver drops a stale attempt's). */
  received(attempt: number, type: string, data: string, id: string | undefined): void {
    const m = this.#machine;
    const endOn = this.stream.endOn;
    if (endOn !== undefined && (typeof endOn === 'string' ? data === endOn : endOn(data, type))) return this.#dispatch({ type: 'done', attempt });
    // The event clears an earlier event error (before its own decoding may set a new one) and the
    // backoff. Only the first event after a loss or an event error changes that: skip the reducer otherwise.
    if (m.backoff !== 0 || m.errorFrom === 'event') this.#dispatch({ type: 'event', attempt });
    this.deliver(type, data, id, attempt);
  }

  /**
   * An event for this tab: off the wire of `attempt`, or relayed by the owning tab (no attempt).
   * Relayed without data (a type no tab here needs), only its id and the count move.
   */
  deliver(type: string, data: string | undefined, id: string | undefined, attempt?: number): void {
    // setLastEventId written out, as this runs once per event.
    if (id !== undefined) {
      this.lastEventId = id;
      this.#resume?.save(id);
    }
    this.eventsReceived++;
    if (data !== undefined) {
      if (this.#observers.size > 0) for (const observer of this.#observers) observer.event(type, data, id);
      // No closure per event: the error handler reads the attempt being fanned out.
      this.#fanningOut = attempt;
      this.#channels.fanOut(type, data, id, this.lastEventId ?? '', this.#decodeFailed);
    }
    this.#host.changed();
  }

  /** The attempt whose event is being fanned out (undefined: relayed by another tab). */
  #fanningOut: number | undefined;
  readonly #decodeFailed = (error: StreamError): void => {
    const attempt = this.#fanningOut;
    if (attempt !== undefined) this.#dispatch({ type: 'event-error', attempt, error });
    // Relayed by the owning tab: not this tab's state to change, but still this tab's subscribers' error.
    else this.#errorRaised(error);
  };

  /** resume 'session' / 'local', before the first request; an id this page remembers (constructor) is newer than the stored one. */
  resumeWith(store: ResumeStore | undefined): void {
    this.#resume = store;
    this.lastEventId ??= store?.stored;
  }

  setLastEventId(id: string): void {
    this.lastEventId = id;
    this.#resume?.save(id);
  }

  /** Every state change goes through here; actions raised while one is applied queue behind it. */
  #dispatch(action: Action): void {
    this.#queue.push(action);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) this.#apply(next);
    } finally {
      this.#dispatching = false;
    }
  }

  #apply(action: Action): void {
    const prev = this.#machine;
    const next = reduce(prev, action, this.#policy);
    if (next === prev) return;
    this.#machine = next;
    // A finished stream is not resumed by the next page.
    if (next.finished && !prev.finished) this.#resume?.save(undefined);
    // Asked for again after it finished (a regenerate): a new request from the start, not a resume.
    if (prev.finished && !next.finished) this.lastEventId = undefined;
    this.#driver.follow(prev, next);
    this.#publish(next);
    this.#host.changed();
  }

  #publish(machine: MachineState): void {
    const view = connectionViewOf(machine);
    const prev = this.state;
    // An unchanged view keeps its identity, so snapshots stay equal and nothing re-renders.
    if (prev.status === view.status && prev.error === view.error && prev.retryCount === view.retryCount) return;
    this.state = view;
    if (view.error && view.error !== this.#lastError) this.#errorRaised(view.error);
    for (const subscriber of this.#subscribers) subscriber.onState();
    for (const observer of this.#observers) observer.state?.();
  }

  /** A new error, told at once: renders come once per frame and may never show it. */
  #errorRaised(error: StreamError): void {
    this.#lastError = error;
    for (const subscriber of this.#subscribers) subscriber.onError?.(error);
    // Another tab this one relays to may show it.
    if (process.env.NODE_ENV !== 'production' && ![...this.#observers].some((o) => o.relaysErrors)) warnUnseenError(this.stream.url, error, this.#subscribers);
  }

  /**
   * Subscribers here or types other tabs read changed: the transport listens to exactly the types
   * someone reads (a listener goes with the last reader of its type), and the stream is wanted
   * while anyone reads it.
   */
  #readersChanged(): void {
    const types = new Set([...this.#channels.types(), ...this.#remoteTypes]);
    // `data: [DONE]` (endOn) comes as an unnamed event: a native EventSource delivers it only to
    // a 'message' listener, so a stream read only by named types still needs one to see its end.
    if (types.size > 0 && this.stream.endOn !== undefined) types.add('message');
    for (const type of types) if (!this.#listening.has(type)) this.#driver.listen(type);
    for (const type of this.#listening) if (!types.has(type)) this.#driver.unlisten(type);
    this.#listening = types;
    this.#dispatch({ type: 'want', wanted: this.#subscribers.size > 0 || this.#remoteTypes.size > 0 });
    this.#host.changed();
  }
}
