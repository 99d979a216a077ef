import { OriginBudget } from './origin-budget';
import type { SlotBudget, SlotHolder } from './slot-budget';

/**
 * A SlotBudget whose implementation is still downloading (the browser-wide budget comes with the
 * cross-tab chunk). Until it arrives, holders wait in FIFO order without a place in the queue, as
 * they do while the browser-wide budget tries its locks; then they ask it in that order. If the
 * download fails, this tab counts its own connections, as where the browser lacks the APIs.
 */
export class DeferredBudget implements SlotBudget {
  private budget: SlotBudget | undefined;
  private readonly waiting: { origin: string; holder: SlotHolder }[] = [];

  constructor(
    private limit: number,
    load: Promise<(limit: number) => SlotBudget>,
  ) {
    load.then(
      (create) => this.arrive(create(this.limit)),
      () => this.arrive(new OriginBudget(this.limit)),
    );
  }

  acquire(origin: string, holder: SlotHolder): boolean {
    if (this.budget) return this.budget.acquire(origin, holder);
    if (!this.waiting.some((w) => w.holder === holder)) this.waiting.push({ origin, holder });
    return false;
  }

  release(origin: string, holder: SlotHolder): void {
    if (this.budget) return this.budget.release(origin, holder);
    const index = this.waiting.findIndex((w) => w.holder === holder);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  position(origin: string, holder: SlotHolder): number | undefined {
    return this.budget?.position(origin, holder);
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.budget?.setLimit(limit);
  }

  dispose(): void {
    this.waiting.length = 0;
    this.budget?.dispose?.();
  }

  private arrive(budget: SlotBudget): void {
    this.budget = budget;
    for (const { origin, holder } of this.waiting.splice(0)) {
      if (budget.acquire(origin, holder)) holder.slotGranted();
      else if (budget.position(origin, holder) !== undefined) holder.slotWaiting?.();
    }
  }
}
