import type { Decoder } from '../stream/decoder';
import type { SseEvent } from '../types';

/** One reader of a channel: a handler gets every event, a view is told once per flush and reads. */
export interface ChannelReader {
  /** Events this reader wants kept (a view's bufferSize); 0 or absent for none. */
  readonly keep?: number;
  /** Handlers (useSseEvent, useEventReducer, client subscribers): every event, in order. */
  onEvent?(event: SseEvent): void;
  /** Views (useLatestEvent, useEventStream): at most once per flush after new events. */
  onEvents?(): void;
}

/**
 * The events of one connection for one decoder and one set of event types, kept once however
 * many hooks read them: each event is decoded once, stored once (a bounded buffer sized by the
 * largest reader) and announced once per flush. The cost per event does not grow with the number
 * of views; a view reads what it needs when React asks for a snapshot.
 */
export class EventChannel {
  /** Events ever pushed; a reader attached at `total` = n sees the events after the n-th. */
  total = 0;
  latest: SseEvent | undefined;
  /** The newest events, oldest first; trimmed to `capacity` in batches (amortised O(1) per event). */
  #buffer: SseEvent[] = [];
  #capacity = 0;
  readonly #handlers = new Set<ChannelReader>();
  readonly #views = new Set<ChannelReader>();
  #scheduled = false;

  readonly #schedule: (flush: () => void) => void;

  constructor(
    readonly types: readonly string[],
    readonly decoder: Decoder,
    schedule: (flush: () => void) => void,
  ) {
    this.#schedule = schedule;
  }

  get size(): number {
    return this.#handlers.size + this.#views.size;
  }

  add(reader: ChannelReader): void {
    (reader.onEvent ? this.#handlers : this.#views).add(reader);
    this.resize();
  }

  remove(reader: ChannelReader): void {
    this.#handlers.delete(reader);
    this.#views.delete(reader);
    this.resize();
  }

  /** A reader's bufferSize changed. */
  resize(): void {
    let capacity = 0;
    for (const view of this.#views) capacity = Math.max(capacity, view.keep ?? 0);
    this.#capacity = capacity;
    if (capacity === 0) this.#buffer = [];
  }

  push(event: SseEvent): void {
    this.total++;
    this.latest = event;
    if (this.#capacity > 0) {
      this.#buffer.push(event);
      if (this.#buffer.length >= this.#capacity * 2 + 16) this.#buffer = this.#buffer.slice(-this.#capacity);
    }
    for (const handler of this.#handlers) handler.onEvent!(event);
    if (this.#views.size > 0 && !this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(this.#flush);
    }
  }

  /** The newest `size` events among those after the `from`-th, oldest first (a new array). */
  recent(size: number, from: number): SseEvent[] {
    const count = Math.min(size, this.total - from, this.#buffer.length);
    return count > 0 ? this.#buffer.slice(this.#buffer.length - count) : [];
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    for (const view of this.#views) view.onEvents?.();
  };
}
