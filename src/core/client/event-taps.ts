import type { Connection } from '../connection/connection';
import type { SseEvent } from '../types';

/** An event as it came off the wire: data not parsed. */
export type RawEvent = SseEvent<string>;

export type EventTap = (key: string, event: RawEvent) => void;

/**
 * Devtools' view of every event of every connection, through each connection's side channel
 * (ConnectionObserver). Connections are observed only while something taps: without devtools,
 * nothing is called or allocated per event.
 */
export class EventTaps {
  readonly #taps = new Set<EventTap>();
  readonly #untaps = new Map<Connection, () => void>();

  /** Adds a tap (the first starts observing `connections`); returns the function that removes it. */
  add(tap: EventTap, connections: Iterable<Connection>): () => void {
    this.#taps.add(tap);
    if (this.#taps.size === 1) for (const connection of connections) this.attach(connection);
    return () => {
      if (!this.#taps.delete(tap) || this.#taps.size > 0) return;
      this.#untaps.forEach((untap) => untap());
      this.#untaps.clear();
    };
  }

  /** A new connection: observed if something taps. */
  attach(connection: Connection): void {
    if (this.#taps.size === 0) return;
    const untap = connection.observe({
      event: (type, data, id) => {
        const event: RawEvent = { type, data, id, lastEventId: connection.lastEventId ?? '', receivedAt: Date.now() };
        for (const tap of this.#taps) tap(connection.stream.key, event);
      },
    });
    this.#untaps.set(connection, untap);
  }

  /** A connection closed for good (it drops its observers itself). */
  detach(connection: Connection): void {
    this.#untaps.delete(connection);
  }
}
