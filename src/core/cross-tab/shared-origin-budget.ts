import type { CrossTabEnvironment } from './environment';
// Versioned names: tabs running different library versions never count each other's slots.
import { SLOT_CHANNEL_NAME, slotLockName } from './protocol';
import { OriginQueues } from '../budget/origin-queues';
import { limitOf, type OriginLimit, type SlotBudget, type SlotHolder } from '../budget/slot-budget';

/** A tab that crashed frees its slot locks without a word: waiters look again this often. */
const POLL_MS = 1000;

/**
 * The per-origin budget for the whole browser profile (shareAcrossTabs): the 6-per-host limit is
 * shared by every tab, so a slot is one of `limit` Web Locks named after the origin, held exactly
 * as long as the real connection. Streams of this tab wait in a local FIFO queue; its head takes
 * the first free slot lock, and waits for another tab's "freed" message on a BroadcastChannel (or
 * a slow poll, for tabs that died) when none is free. Channel and timers exist only while waiting.
 *
 * The limit is resolved per origin in each tab, as in OriginBudget. An origin a tab finds speaking
 * h2/h3 ('auto') takes no lock there: its streams share one multiplexed connection and use none of
 * the per-host connections the locks count, so tabs that still count it as HTTP/1.1 stay correct.
 */
export class SharedOriginBudget implements SlotBudget {
  readonly sharedAcrossTabs = true;
  readonly #queues = new OriginQueues<SlotHolder>();
  /** Holders with a slot: its origin, and how to give its lock back (settles once the lock is free; none under Infinity). */
  readonly #held = new Map<SlotHolder, { origin: string; unlock: (() => Promise<void>) | undefined }>();
  /** "Freed" announcements still waiting for their lock's release; the channel outlives them. */
  readonly #unlocking = new Set<Promise<void>>();
  readonly #pumping = new Set<string>();
  readonly #waiting = new Set<string>();
  #channel: { postMessage(message: unknown): void; close(): void } | undefined;
  #pollTimer: ReturnType<typeof setInterval> | undefined;

  #limit: OriginLimit;
  readonly #env: CrossTabEnvironment;

  constructor(limit: OriginLimit, env: CrossTabEnvironment) {
    this.#limit = limit;
    this.#env = env;
  }

  setLimit(limit: OriginLimit): void {
    this.#limit = limit;
    for (const origin of this.#queues.origins()) void this.#pump(origin);
  }

  acquire(origin: string, holder: SlotHolder): boolean {
    if (this.#held.has(holder)) return true;
    if (limitOf(this.#limit, origin) === Infinity) {
      this.#queues.remove(origin, holder);
      this.#held.set(holder, { origin, unlock: undefined });
      // Streams queued before 'auto' found the origin speaks h2/h3 are let in too.
      if (this.#queues.size(origin) > 0) void this.#pump(origin);
      return true;
    }
    this.#queues.enqueue(origin, holder);
    void this.#pump(origin);
    return false;
  }

  release(origin: string, holder: SlotHolder): void {
    const slot = this.#held.get(holder);
    if (slot) {
      this.#held.delete(holder);
      // This tab's waiters try the lock once the browser has released it (tried earlier, they
      // would find it taken and wait for the next poll).
      if (slot.unlock) return void this.#announceFreed(origin, slot.unlock).then(() => this.#pump(origin));
    } else {
      this.#queues.remove(origin, holder);
    }
    void this.#pump(origin);
  }

  /** 1-based place in this tab's queue once it really waits for another tab; undefined while the locks are being tried. */
  position(origin: string, holder: SlotHolder): number | undefined {
    return this.#waiting.has(origin) ? this.#queues.position(origin, holder) : undefined;
  }

  /** Gives every lock back and stops listening (the pool was disposed); usable again afterwards. */
  dispose(): void {
    this.#queues.clear();
    this.#waiting.clear();
    this.#stopWaiting();
    for (const [holder, { origin }] of [...this.#held]) this.release(origin, holder);
    const channel = this.#channel;
    this.#channel = undefined;
    void Promise.all(this.#unlocking).then(() => channel?.close());
  }

  /**
   * Releases the lock, then tells the other tabs' waiters (ours pump after it in release()). Told before
   * the browser has released the lock, they could try it too early and go back to waiting.
   */
  #announceFreed(origin: string, unlock: () => Promise<void>): Promise<void> {
    const channel = this.#openChannel();
    const announced = unlock().then(() => channel.postMessage(origin));
    this.#unlocking.add(announced);
    void announced.finally(() => this.#unlocking.delete(announced));
    return announced;
  }

  /** Hands free slot locks to the queue's head, one at a time, in order. */
  async #pump(origin: string): Promise<void> {
    if (this.#pumping.has(origin)) return;
    this.#pumping.add(origin);
    try {
      while (this.#queues.size(origin) > 0) {
        const unlimited = limitOf(this.#limit, origin) === Infinity;
        const unlock = unlimited ? undefined : await this.#takeFreeSlot(origin);
        if (!unlock && !unlimited) return this.#wait(origin);
        this.#grant(origin, unlock);
      }
      this.#waiting.delete(origin);
      if (this.#waiting.size === 0) this.#stopWaiting();
    } finally {
      this.#pumping.delete(origin);
    }
  }

  /** The queue may have changed while the locks were tried: the lock goes to whoever is first now, or back. */
  #grant(origin: string, unlock: (() => Promise<void>) | undefined): void {
    const holder = this.#queues.shift(origin);
    if (!holder) return void (unlock && this.#announceFreed(origin, unlock));
    this.#held.set(holder, { origin, unlock });
    holder.slotGranted();
  }

  #wait(origin: string): void {
    const first = !this.#waiting.has(origin);
    this.#waiting.add(origin);
    this.#openChannel();
    this.#pollTimer ??= setInterval(() => this.#waiting.forEach((o) => void this.#pump(o)), POLL_MS);
    if (first) for (const holder of this.#queues.waiters(origin)) holder.slotWaiting?.();
  }

  #stopWaiting(): void {
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  #openChannel() {
    return (this.#channel ??= this.#env.channel(SLOT_CHANNEL_NAME, (origin) => {
      // Anything may arrive on a channel any same-origin script can open: only an origin we wait for counts.
      if (typeof origin === 'string' && this.#waiting.has(origin)) void this.#pump(origin);
    }));
  }

  /** Takes the first slot lock of the origin that no tab holds, or returns undefined. */
  async #takeFreeSlot(origin: string): Promise<(() => Promise<void>) | undefined> {
    for (let i = 0, limit = limitOf(this.#limit, origin); i < limit; i++) {
      const unlock = await this.#tryLock(slotLockName(origin, i));
      if (unlock) return unlock;
    }
    return undefined;
  }

  /** Resolves with the function that releases the lock, or undefined when another tab holds it. */
  #tryLock(name: string): Promise<(() => Promise<void>) | undefined> {
    return new Promise((resolve) => {
      const released: Promise<unknown> = this.#env.locks
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
