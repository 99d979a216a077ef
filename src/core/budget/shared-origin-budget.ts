import type { CrossTabEnvironment } from '../cross-tab/environment';
import type { SlotBudget, SlotHolder } from './origin-budget';

const PREFIX = 'react-sse-hub:slot';
/** A tab that crashed frees its slot locks without a word: waiters look again this often. */
const POLL_MS = 1000;

/**
 * The per-origin budget for the whole browser profile (shareAcrossTabs): the 6-per-host limit is
 * shared by every tab, so a slot is one of `limit` Web Locks named after the origin, held exactly
 * as long as the real connection. Streams of this tab wait in a local FIFO queue; its head takes
 * the first free slot lock, and waits for another tab's "freed" message on a BroadcastChannel (or
 * a slow poll, for tabs that died) when none is free. Channel and timers exist only while waiting.
 */
export class SharedOriginBudget implements SlotBudget {
  private readonly queues = new Map<string, SlotHolder[]>();
  /** Holders with a slot: its origin, and how to give its lock back (settles once the lock is free; none under Infinity). */
  private readonly held = new Map<SlotHolder, { origin: string; unlock: (() => Promise<void>) | undefined }>();
  /** "Freed" announcements still waiting for their lock's release; the channel outlives them. */
  private readonly unlocking = new Set<Promise<void>>();
  private readonly pumping = new Set<string>();
  private readonly waiting = new Set<string>();
  private channel: { postMessage(message: unknown): void; close(): void } | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private limit: number,
    private readonly env: CrossTabEnvironment,
  ) {}

  setLimit(limit: number): void {
    this.limit = limit;
    for (const origin of [...this.queues.keys()]) void this.pump(origin);
  }

  acquire(origin: string, holder: SlotHolder): boolean {
    if (this.held.has(holder)) return true;
    if (this.limit === Infinity) {
      this.held.set(holder, { origin, unlock: undefined });
      return true;
    }
    const queue = this.queues.get(origin) ?? [];
    if (!queue.includes(holder)) queue.push(holder);
    this.queues.set(origin, queue);
    void this.pump(origin);
    return false;
  }

  release(origin: string, holder: SlotHolder): void {
    const slot = this.held.get(holder);
    if (slot) {
      this.held.delete(holder);
      if (slot.unlock) this.announceFreed(origin, slot.unlock);
    } else {
      const queue = this.queues.get(origin);
      const index = queue?.indexOf(holder) ?? -1;
      if (index >= 0) queue!.splice(index, 1);
    }
    void this.pump(origin);
  }

  /** 1-based place in this tab's queue once it really waits for another tab; undefined while the locks are being tried. */
  position(origin: string, holder: SlotHolder): number | undefined {
    if (!this.waiting.has(origin)) return undefined;
    const index = this.queues.get(origin)?.indexOf(holder) ?? -1;
    return index >= 0 ? index + 1 : undefined;
  }

  /** Gives every lock back and stops listening (the pool was disposed); usable again afterwards. */
  dispose(): void {
    this.queues.clear();
    this.waiting.clear();
    this.stopWaiting();
    for (const [holder, { origin }] of [...this.held]) this.release(origin, holder);
    const channel = this.channel;
    this.channel = undefined;
    void Promise.all(this.unlocking).then(() => channel?.close());
  }

  /**
   * Releases the lock, then tells the other tabs' waiters (ours pump in release()). Told before
   * the browser has released the lock, they could try it too early and go back to waiting.
   */
  private announceFreed(origin: string, unlock: () => Promise<void>): void {
    const channel = this.openChannel();
    const announced = unlock().then(() => channel.postMessage(origin));
    this.unlocking.add(announced);
    void announced.finally(() => this.unlocking.delete(announced));
  }

  /** Hands free slot locks to the queue's head, one at a time, in order. */
  private async pump(origin: string): Promise<void> {
    if (this.pumping.has(origin)) return;
    this.pumping.add(origin);
    try {
      for (let queue = this.queues.get(origin); queue?.length; queue = this.queues.get(origin)) {
        const unlock = await this.takeFreeSlot(origin);
        if (!unlock) return this.wait(origin, queue);
        // The queue may have changed while the locks were tried: the lock goes to whoever is first now.
        const holder = this.queues.get(origin)?.shift();
        if (!holder) {
          this.announceFreed(origin, unlock);
          break;
        }
        this.held.set(holder, { origin, unlock });
        holder.slotGranted();
      }
      this.queues.delete(origin);
      this.waiting.delete(origin);
      if (this.waiting.size === 0) this.stopWaiting();
    } finally {
      this.pumping.delete(origin);
    }
  }

  private wait(origin: string, queue: SlotHolder[]): void {
    const first = !this.waiting.has(origin);
    this.waiting.add(origin);
    this.openChannel();
    this.pollTimer ??= setInterval(() => this.waiting.forEach((o) => void this.pump(o)), POLL_MS);
    if (first) for (const holder of queue) holder.slotWaiting?.();
  }

  private stopWaiting(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private openChannel() {
    return (this.channel ??= this.env.channel(PREFIX, (origin) => {
      if (typeof origin === 'string' && this.waiting.has(origin)) void this.pump(origin);
    }));
  }

  /** Takes the first slot lock of the origin that no tab holds, or returns undefined. */
  private async takeFreeSlot(origin: string): Promise<(() => Promise<void>) | undefined> {
    for (let i = 0; i < this.limit; i++) {
      const unlock = await this.tryLock(`${PREFIX}:${origin}:${i}`);
      if (unlock) return unlock;
    }
    return undefined;
  }

  /** Resolves with the function that releases the lock, or undefined when another tab holds it. */
  private tryLock(name: string): Promise<(() => Promise<void>) | undefined> {
    return new Promise((resolve) => {
      const released: Promise<unknown> = this.env.locks
        .request(name, { ifAvailable: true }, (lock) => {
          if (!lock) return resolve(undefined);
          // The lock is held until this promise settles; request() settles after the release.
          return new Promise<void>((unlock) =>
            resolve(() => {
              unlock();
              return released.then(() => undefined);
            }),
          );
        })
        .catch(() => resolve(undefined));
    });
  }
}
