import { OriginBudget } from './origin-budget';
import type { OriginLimit, SlotBudget, SlotHolder } from './slot-budget';

/**
 * A SlotBudget whose implementation is still downloading (the browser-wide budget comes with the
 * cross-tab chunk). Until it arrives, holders wait in FIFO order without a place in the queue, as
 * they do while the browser-wide budget tries its locks; then they ask it in that order. If the
 * download fails, this tab counts its own connections, as where the browser lacks the APIs.
 */
export class DeferredBudget implements SlotBudget {
  private budget: SlotBudget | undefined;
  /** Holders by when they first asked (a Map keeps insertion order), with their origin. */
  private readonly waiting = new Map<SlotHolder, string>();

  constructor(
    private limit: OriginLimit,
    load: Promise<(limit: OriginLimit) => SlotBudget>,
  ) {
    load.then(
      (create) => this.arrive(create(this.limit)),
      () => this.arrive(new OriginBudget(this.limit)),
    );
  }

  acquire(origin: string, holder: SlotHolder): boolean {
    if (this.budget) return this.budget.acquire(origin, holder);
    // Asking again keeps the place.
    this.waiting.set(holder, origin);
    return false;
  }

  release(origin: string, holder: SlotHolder): void {
    if (this.budget) return this.budget.release(origin, holder);
    this.waiting.delete(holder);
  }

  position(origin: string, holder: SlotHolder): number | undefined {
    return this.budget?.position(origin, holder);
  }

  setLimit(limit: OriginLimit): void {
    this.limit = limit;
    this.budget?.setLimit(limit);
  }

  dispose(): void {
    this.waiting.clear();
    this.budget?.dispose?.();
  }

  private arrive(budget: SlotBudget): void {
    this.budget = budget;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const [holder, origin] of waiting) {
      if (budget.acquire(origin, holder)) holder.slotGranted();
      else if (budget.position(origin, holder) !== undefined) holder.slotWaiting?.();
    }
  }
}
