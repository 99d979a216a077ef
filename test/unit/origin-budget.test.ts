import { describe, expect, it } from 'vitest';
import { OriginBudget } from '../../src/core/budget/origin-budget';
import { OriginQueues } from '../../src/core/budget/origin-queues';
import type { SlotHolder } from '../../src/core/budget/slot-budget';

const A = 'http://a.test';
const B = 'http://b.test';

/** Holders that log when they are given a slot. */
function holders(log: string[], ...names: string[]): SlotHolder[] {
  return names.map((name) => ({ slotGranted: () => log.push(name) }));
}

describe('OriginBudget (one tab’s connection slots per origin)', () => {
  it('grants up to the limit per origin and queues the rest; each origin counts its own', () => {
    const log: string[] = [];
    const budget = new OriginBudget(2);
    const [a1, a2, a3, b1] = holders(log, 'a1', 'a2', 'a3', 'b1');
    expect([a1, a2, a3].map((h) => budget.acquire(A, h!))).toEqual([true, true, false]);
    expect(budget.acquire(B, b1!)).toBe(true);
    expect(budget.acquire(A, a1!)).toBe(true); // already holds a slot
    expect(log).toEqual([]); // slotGranted is only for holders that waited
  });

  it('hands a released slot to the head of the queue, in FIFO order', () => {
    const log: string[] = [];
    const budget = new OriginBudget(1);
    const [h1, h2, h3, h4] = holders(log, 'h1', 'h2', 'h3', 'h4');
    budget.acquire(A, h1!);
    for (const h of [h2, h3, h4]) expect(budget.acquire(A, h!)).toBe(false);
    budget.acquire(A, h2!); // asking again keeps its place
    budget.release(A, h1!);
    expect(log).toEqual(['h2']);
    budget.release(A, h2!);
    budget.release(A, h3!);
    expect(log).toEqual(['h2', 'h3', 'h4']);
    expect(budget.acquire(A, h4!)).toBe(true);
  });

  it('release of a queued holder takes it out: it is never granted and those behind move up', () => {
    const log: string[] = [];
    const budget = new OriginBudget(1);
    const [h1, h2, h3] = holders(log, 'h1', 'h2', 'h3');
    for (const h of [h1, h2, h3]) budget.acquire(A, h!);
    budget.release(A, h2!);
    expect(budget.position(A, h3!)).toBe(1);
    budget.release(A, h1!);
    expect(log).toEqual(['h3']);
  });

  it('position is the 1-based place in the origin’s queue, undefined with a slot or unknown', () => {
    const budget = new OriginBudget(1);
    const [h1, h2, h3] = holders([], 'h1', 'h2', 'h3');
    for (const h of [h1, h2, h3]) budget.acquire(A, h!);
    expect([h1, h2, h3].map((h) => budget.position(A, h!))).toEqual([undefined, 1, 2]);
    expect(budget.position(B, h2!)).toBeUndefined();
  });

  it('raising the limit drains every origin’s queue in order; lowering it takes no slot away', () => {
    const log: string[] = [];
    const budget = new OriginBudget(1);
    const [a1, a2, a3, b1, b2] = holders(log, 'a1', 'a2', 'a3', 'b1', 'b2');
    for (const h of [a1, a2, a3]) budget.acquire(A, h!);
    for (const h of [b1, b2]) budget.acquire(B, h!);
    budget.setLimit(2);
    expect(log).toEqual(['a2', 'b2']);
    expect(budget.position(A, a3!)).toBe(1);
    budget.setLimit(1);
    budget.release(A, a1!); // two held, limit one: nobody new gets in
    expect(log).toEqual(['a2', 'b2']);
    budget.release(A, a2!);
    expect(log).toEqual(['a2', 'b2', 'a3']);
  });

  it('with Infinity never queues, and setLimit(Infinity) grants everyone waiting', () => {
    const log: string[] = [];
    const unlimited = new OriginBudget(Infinity);
    expect(holders(log, ...'abcdefgh').every((h) => unlimited.acquire(A, h))).toBe(true);
    const budget = new OriginBudget(1);
    for (const h of holders(log, 'x', 'y', 'z')) budget.acquire(A, h);
    budget.setLimit(Infinity);
    expect(log).toEqual(['y', 'z']);
  });
});

describe('OriginQueues (FIFO queues per origin)', () => {
  it('enqueues without duplicates and shifts in FIFO order, per origin', () => {
    const queues = new OriginQueues<string>();
    for (const w of ['x', 'y', 'x', 'z']) queues.enqueue(A, w);
    queues.enqueue(B, 'x');
    expect([queues.size(A), queues.size(B), queues.size('http://none.test')]).toEqual([3, 1, 0]);
    expect(queues.waiters(A)).toEqual(['x', 'y', 'z']);
    expect([queues.shift(A), queues.shift(A), queues.shift(A), queues.shift(A)]).toEqual(['x', 'y', 'z', undefined]);
  });

  it('position is 1-based; remove says whether the waiter was queued', () => {
    const queues = new OriginQueues<string>();
    for (const w of ['x', 'y', 'z']) queues.enqueue(A, w);
    expect([queues.position(A, 'y'), queues.position(A, 'w'), queues.position(B, 'y')]).toEqual([2, undefined, undefined]);
    expect(queues.remove(A, 'y')).toBe(true);
    expect(queues.remove(A, 'y')).toBe(false);
    expect(queues.remove(B, 'x')).toBe(false);
    expect(queues.position(A, 'z')).toBe(2);
  });

  it('drops an origin once its queue empties; origins() and waiters() are copies', () => {
    const queues = new OriginQueues<string>();
    queues.enqueue(A, 'x');
    queues.enqueue(B, 'y');
    const origins = queues.origins();
    const waiters = queues.waiters(A);
    queues.remove(A, 'x');
    expect(queues.origins()).toEqual([B]);
    expect([origins, waiters]).toEqual([[A, B], ['x']]);
    queues.shift(B);
    expect(queues.origins()).toEqual([]);
    queues.enqueue(A, 'x');
    queues.clear();
    expect([queues.origins(), queues.size(A)]).toEqual([[], 0]);
  });
});
