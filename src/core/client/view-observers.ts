import type { ConnectionView } from '../connection/state';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { SseEvent } from '../types';
import type { ConnectionPool } from './pool';
import { StreamObserver, type EventBufferResult, type LatestResult } from './stream-observer';

/**
 * The last `keep` events (useEventStream). The connection's channel stores each event once; this
 * view takes the ones it has not seen when React asks for a snapshot, so the work per event does
 * not depend on how many views there are, and a batched render loses none.
 */
export class EventBufferObserver extends StreamObserver<EventBufferResult> {
  #snapshot: readonly SseEvent[] = [];
  /** The events the result shows: the newest of `snapshot`, as many as the reading render's bufferSize. */
  #shown: readonly SseEvent[] = [];

  constructor(
    pool: ConnectionPool,
    stream: ResolvedStream,
    types: readonly string[],
    /** The committed bufferSize: how many events this view keeps (and asks its channel to keep). */
    public keep: number,
  ) {
    super(pool, stream, types);
  }

  /** A new bufferSize, once committed: keeps the events already collected (the newest `size` of them). */
  resize(size: number): void {
    if (size === this.keep) return;
    // Take what arrived since the last read with the old size first.
    const shown = this.events();
    this.keep = size;
    this.channel?.resize();
    if (shown.length > size) this.#snapshot = shown.slice(-size);
  }

  onEvents(): void {
    if (this.channel && this.channel.total > this.from) this.changed();
  }

  protected override detach(): void {
    this.events();
  }

  /** Events oldest -> newest, at most `keep`; the same array until new events arrive. */
  events(): readonly SseEvent[] {
    const channel = this.channel;
    if (channel && channel.total > this.from) {
      const unseen = channel.total - this.from;
      const fresh = channel.recent(this.keep, this.from);
      this.from = channel.total;
      // All unseen events are still in the channel (it keeps at least `keep`): append them; else
      // the newest ones replace what was shown.
      this.#snapshot = fresh.length >= this.keep || fresh.length < unseen ? fresh : [...this.#snapshot, ...fresh].slice(-this.keep);
    }
    return this.#snapshot;
  }

  /**
   * The newest `size` events and the connection state. `size` is the bufferSize of the render
   * reading it, which may never commit: it only narrows what the result shows; the events kept
   * change with resize(), after a commit.
   */
  getResult(enabled: boolean, size = this.keep): EventBufferResult {
    const all = this.events();
    const shown = this.#shown;
    // Both are windows onto one sequence that only grows at its end, where each event appears
    // once: the same length and the same newest event are the same events.
    if (shown.length !== Math.min(size, all.length) || shown[shown.length - 1] !== all[all.length - 1]) {
      this.#shown = all.length > size ? all.slice(-size) : all;
    }
    return this.read(enabled);
  }

  // The stream's last event id also moves with events of other types and id-only blocks.
  protected override same(result: EventBufferResult): boolean {
    return result.events === this.#shown && result.lastEventId === this.lastEventId();
  }

  protected override make(view: ConnectionView, lastEventId: string | undefined): EventBufferResult {
    const events = this.#shown;
    return { ...super.make(view, lastEventId), events, lastEvent: events[events.length - 1] };
  }
}

/**
 * The newest event of its type (useLatestEvent), narrowed by the hook's `select`. Each new event
 * is selected once; `data` (and `event`) stay the same while `isEqual` finds the selection
 * unchanged, so the component does not render.
 */
export class LatestEventObserver extends StreamObserver<LatestResult> {
  latest: SseEvent | undefined;
  /** The event and the select function `data` was last worked out with. */
  #selectedFrom: SseEvent | undefined;
  #selectedWith: ((data: unknown) => unknown) | undefined;
  /** The selected value shown, and the event at which it last changed. */
  #data: unknown;
  #dataEvent: SseEvent | undefined;

  onEvents(): void {
    const channel = this.channel;
    if (channel && channel.total > this.from && channel.latest !== this.latest) {
      this.latest = channel.latest;
      this.changed();
    }
  }

  /**
   * `select` and `isEqual` are the reading render's: a render with a new select shows the current
   * event's selection by it (an inline select runs again per render; a stable one once per event).
   */
  getResult(enabled: boolean, select?: (data: unknown) => unknown, isEqual: (a: unknown, b: unknown) => boolean = Object.is): LatestResult {
    const latest = this.latest;
    if (latest !== this.#selectedFrom || select !== this.#selectedWith) {
      this.#selectedFrom = latest;
      this.#selectedWith = select;
      const data = latest && (select ? select(latest.data) : latest.data);
      if (!this.#dataEvent || !latest || !isEqual(this.#data, data)) {
        this.#data = data;
        this.#dataEvent = latest;
      }
    }
    return this.read(enabled);
  }

  protected override same(result: LatestResult): boolean {
    return result.event === this.#dataEvent && Object.is(result.data, this.#data);
  }

  protected override make(view: ConnectionView, lastEventId: string | undefined): LatestResult {
    return { ...super.make(view, lastEventId), data: this.#data, event: this.#dataEvent };
  }
}
