/** Something that waits for, and then holds, one of an origin's connection slots. */
export interface SlotHolder {
  /** Called when a queued holder is given a slot. */
  slotGranted(): void;
  /** Called when a budget that answers asynchronously finds no free slot: the holder now really waits. */
  slotWaiting?(): void;
}

/** Per-origin connection slots: this tab's (OriginBudget) or the browser profile's (SharedOriginBudget). */
export interface SlotBudget {
  /** True when the holder has a slot now; otherwise it is queued and slotGranted() comes later. */
  acquire(origin: string, holder: SlotHolder): boolean;
  /** Gives the slot (or the place in the queue) back. */
  release(origin: string, holder: SlotHolder): void;
  /** 1-based place in the origin's queue, or undefined when not waiting. */
  position(origin: string, holder: SlotHolder): number | undefined;
  setLimit(limit: number): void;
  dispose?(): void;
}

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
  private readonly active = new Map<string, Set<SlotHolder>>();
  private readonly queues = new Map<string, SlotHolder[]>();

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    for (const origin of [...this.queues.keys()]) this.drain(origin);
  }

  /** True when the holder has a slot now; otherwise it is queued and slotGranted() comes later. */
  acquire(origin: string, holder: SlotHolder): boolean {
    const active = this.activeFor(origin);
    if (active.has(holder)) return true;
    if (active.size < this.limit && !this.queues.get(origin)?.length) {
      active.add(holder);
      return true;
    }
    const queue = this.queues.get(origin) ?? [];
    if (!queue.includes(holder)) queue.push(holder);
    this.queues.set(origin, queue);
    return false;
  }

  /** Gives the slot (or the place in the queue) back. */
  release(origin: string, holder: SlotHolder): void {
    this.active.get(origin)?.delete(holder);
    const queue = this.queues.get(origin);
    if (queue) {
      const index = queue.indexOf(holder);
      if (index >= 0) queue.splice(index, 1);
    }
    this.drain(origin);
  }

  /** 1-based place in the origin's queue, or undefined when not queued. */
  position(origin: string, holder: SlotHolder): number | undefined {
    const index = this.queues.get(origin)?.indexOf(holder) ?? -1;
    return index >= 0 ? index + 1 : undefined;
  }

  private activeFor(origin: string): Set<SlotHolder> {
    let active = this.active.get(origin);
    if (!active) {
      active = new Set();
      this.active.set(origin, active);
    }
    return active;
  }

  private drain(origin: string): void {
    const queue = this.queues.get(origin);
    const active = this.activeFor(origin);
    while (queue && queue.length > 0 && active.size < this.limit) {
      const next = queue.shift()!;
      active.add(next);
      next.slotGranted();
    }
    if (queue && queue.length === 0) this.queues.delete(origin);
    if (active.size === 0) this.active.delete(origin);
  }
}
