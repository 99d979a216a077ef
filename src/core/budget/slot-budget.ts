/**
 * Open connections allowed per origin: one number for every origin, or a function of the origin
 * (the pool's 'auto', which asks what the origin speaks). Read at every request for a slot.
 */
export type OriginLimit = number | ((origin: string) => number);

export const limitOf = (limit: OriginLimit, origin: string): number => (typeof limit === 'number' ? limit : limit(origin));

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
  /** A new limit, or the same function whose answers may have changed: waiters a larger limit admits get their slots. */
  setLimit(limit: OriginLimit): void;
  dispose?(): void;
  /** True for the budget the browser's tabs share (cross-tab sharing is on and loaded). */
  readonly sharedAcrossTabs?: boolean;
}
