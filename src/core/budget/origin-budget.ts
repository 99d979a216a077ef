import { OriginQueues } from './origin-queues';
import { limitOf, type OriginLimit, type SlotBudget, type SlotHolder } from './slot-budget';

/**
 * Counts open connections per origin and queues the rest in FIFO order. Browsers allow 6
 * HTTP/1.1 connections per host shared by all tabs; a stream held beyond that stalls the
 * app's ordinary requests, so we stay under a lower limit and make the rest wait visibly.
 *
 * This is one tab's budget. With shareAcrossTabs the pool uses SharedOriginBudget instead, whose
 * slots are Web Locks of the whole browser profile; there only real connections take a slot (a
 * following tab gives its slot or queue place back and asks again only if it takes over).
 */
export class OriginBudget implements SlotBudget {
  readonly #active = new Map<string, Set<SlotHolder>>();
  readonly #queues = new OriginQueues<SlotHolder>();

  #limit: OriginLimit;

  constructor(limit: OriginLimit) {
    this.#limit = limit;
  }

  setLimit(limit: OriginLimit): void {
    this.#limit = limit;
    for (const origin of this.#queues.origins()) this.#drain(origin);
  }

  /** True when the holder has a slot now; otherwise it is queued and slotGranted() comes later. */
  acquire(origin: string, holder: SlotHolder): boolean {
    if (this.#active.get(origin)?.has(holder)) return true;
    // A free slot goes to a newcomer only after everyone already waiting: first come, first served.
    // Slots may be free while some wait when the origin's limit grew ('auto' found it speaks h2).
    this.#queues.enqueue(origin, holder);
    this.#drain(origin, holder);
    return this.#active.get(origin)?.has(holder) ?? false;
  }

  /** Gives the slot (or the place in the queue) back. */
  release(origin: string, holder: SlotHolder): void {
    this.#active.get(origin)?.delete(holder);
    this.#queues.remove(origin, holder);
    this.#drain(origin);
  }

  /** 1-based place in the origin's queue, or undefined when not queued. */
  position(origin: string, holder: SlotHolder): number | undefined {
    return this.#queues.position(origin, holder);
  }

  #activeFor(origin: string): Set<SlotHolder> {
    let active = this.#active.get(origin);
    if (!active) {
      active = new Set();
      this.#active.set(origin, active);
    }
    return active;
  }

  /** Hands free slots to the queue's head, in order; `asking` learns it from acquire()'s answer. */
  #drain(origin: string, asking?: SlotHolder): void {
    const active = this.#activeFor(origin);
    const limit = limitOf(this.#limit, origin);
    while (active.size < limit) {
      const next = this.#queues.shift(origin);
      if (!next) break;
      active.add(next);
      if (next !== asking) next.slotGranted();
    }
    if (active.size === 0) this.#active.delete(origin);
  }
}
