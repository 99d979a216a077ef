/**
 * One FIFO queue of waiters per origin: the order in which an origin's connection slots are handed
 * out. A waiter stands in an origin's queue at most once, and a queue that empties is dropped, so
 * origins() lists only origins somebody waits for and an idle budget holds no memory.
 */
export class OriginQueues<T> {
  readonly #queues = new Map<string, T[]>();

  /** Appends the waiter to the origin's queue unless it already stands in it (it keeps its place). */
  enqueue(origin: string, waiter: T): void {
    const queue = this.#queues.get(origin);
    if (!queue) this.#queues.set(origin, [waiter]);
    else if (!queue.includes(waiter)) queue.push(waiter);
  }

  /** Takes the waiter out wherever it stands; false when it was not in the origin's queue. */
  remove(origin: string, waiter: T): boolean {
    const queue = this.#queues.get(origin);
    const index = queue ? queue.indexOf(waiter) : -1;
    if (!queue || index < 0) return false;
    queue.splice(index, 1);
    this.#dropIfEmpty(origin, queue);
    return true;
  }

  /** 1-based place in the origin's queue, or undefined when the waiter is not in it. */
  position(origin: string, waiter: T): number | undefined {
    const index = this.#queues.get(origin)?.indexOf(waiter) ?? -1;
    return index >= 0 ? index + 1 : undefined;
  }

  /** Takes the origin's first waiter out, or undefined when nobody waits. */
  shift(origin: string): T | undefined {
    const queue = this.#queues.get(origin);
    if (!queue) return undefined;
    const first = queue.shift();
    this.#dropIfEmpty(origin, queue);
    return first;
  }

  /** How many wait for the origin. */
  size(origin: string): number {
    return this.#queues.get(origin)?.length ?? 0;
  }

  /** The origin's waiters, first first; a copy, so callbacks run over it may change the queue. */
  waiters(origin: string): readonly T[] {
    return [...(this.#queues.get(origin) ?? [])];
  }

  /** Origins with at least one waiter; a copy, so the caller may change queues while iterating. */
  origins(): string[] {
    return [...this.#queues.keys()];
  }

  clear(): void {
    this.#queues.clear();
  }

  #dropIfEmpty(origin: string, queue: T[]): void {
    if (queue.length === 0) this.#queues.delete(origin);
  }
}
