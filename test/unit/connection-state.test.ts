import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../src/core/stream/retry-options';
import { initialState, connectionViewOf, reduce, type Action, type MachinePolicy, type MachineState } from '../../src/core/connection/state';
import type { StreamError } from '../../src/core/types';

const policy: MachinePolicy = { retry: { ...DEFAULT_RETRY, jitter: false }, finite: 'no', url: 'http://x.test/s' };
const finitePolicy: MachinePolicy = { ...policy, finite: 'on-end' };
const nativeFinite: MachinePolicy = { ...policy, finite: 'on-any-end' };
const net: StreamError = { kind: 'network', message: 'lost' };
const parse: StreamError = { kind: 'parse', message: 'bad json', eventType: 'message' };

const run = (actions: Action[], p = policy, from = initialState(false)): MachineState => actions.reduce((s, a) => reduce(s, a, p), from);
/** Wanted, granted, attempt 1 in flight. */
const connecting = () => run([{ type: 'want', wanted: true }, { type: 'slot-granted' }]);
const open = () => run([{ type: 'opened', attempt: 1 }], policy, connecting());
const lost = (cause: 'broken' | 'ended' | 'self' | 'idle', extra: Partial<Extract<Action, { type: 'lost' }>> = {}): Action => ({
  type: 'lost',
  attempt: 1,
  cause,
  error: cause === 'ended' ? undefined : net,
  random: 0.5,
  ...extra,
});
const pick = (s: MachineState) => ({ phase: s.phase, slot: s.slot, transport: s.transport, status: connectionViewOf(s).status });

describe('connection lifecycle reducer', () => {
  it.each<[string, () => MachineState, Action[], Partial<ReturnType<typeof pick>>]>([
    ['a wanted stream asks for a slot', () => initialState(false), [{ type: 'want', wanted: true }], { phase: 'queued', slot: 'waiting', transport: 'none', status: 'connecting' }],
    ['an unwanted stream asks for nothing', () => initialState(false), [{ type: 'want', wanted: false }], { phase: 'queued', slot: 'none' }],
    ['the budget says wait: queued shows', () => run([{ type: 'want', wanted: true }]), [{ type: 'slot-waiting' }], { status: 'queued', slot: 'waiting' }],
    ['a granted slot starts attempt 1', () => run([{ type: 'want', wanted: true }]), [{ type: 'slot-granted' }], { phase: 'connecting', slot: 'held', transport: 'live' }],
    ['a slot granted after the last reader left goes straight back', () => run([{ type: 'want', wanted: true }, { type: 'want', wanted: false }]), [{ type: 'slot-granted' }], { slot: 'none', transport: 'none' }],
    ['open', connecting, [{ type: 'opened', attempt: 1 }], { phase: 'open', status: 'open', slot: 'held' }],
    ['a loss backs off and keeps the slot until the transport has closed', open, [lost('broken')], { phase: 'backoff', slot: 'held', transport: 'closing', status: 'reconnecting' }],
    ['backoff holds no slot once the transport closed', open, [lost('broken'), { type: 'transport-closed' }], { phase: 'backoff', slot: 'none', transport: 'none' }],
    ['the delay ends: queued again behind the others', open, [lost('broken'), { type: 'transport-closed' }, { type: 'delay-elapsed' }], { phase: 'queued', slot: 'waiting', status: 'reconnecting' }],
    ['a fatal answer closes', connecting, [{ type: 'fatal', attempt: 1, error: net }], { phase: 'closed', status: 'closed', transport: 'closing' }],
    ['close() while open', open, [{ type: 'close' }, { type: 'transport-closed' }], { phase: 'closed', slot: 'none', transport: 'none' }],
    ['reconnect() from closed queues at once', open, [{ type: 'close' }, { type: 'transport-closed' }, { type: 'reconnect' }], { phase: 'queued', slot: 'waiting' }],
    ['reconnect() while open waits for the old transport before the new attempt', open, [{ type: 'reconnect' }], { phase: 'queued', slot: 'held', transport: 'closing' }],
    ['… then starts it on the slot it kept', open, [{ type: 'reconnect' }, { type: 'transport-closed' }], { phase: 'connecting', slot: 'held', transport: 'live' }],
    ['offline pauses and gives the slot back', open, [{ type: 'page', offline: true }, { type: 'transport-closed' }], { phase: 'paused', slot: 'none', status: 'paused' }],
    ['back online from a backoff reconnects at once', open, [lost('broken'), { type: 'transport-closed' }, { type: 'page', offline: true }, { type: 'page', offline: false }], { phase: 'queued', slot: 'waiting' }],
    ['hidden pauses unless another reading tab is visible', open, [{ type: 'page', remoteVisible: true }, { type: 'page', hidden: true }], { phase: 'open' }],
    ['a native EventSource reconnecting by itself keeps its transport and slot', open, [lost('self', { sinceRequestMs: 5000 })], { phase: 'self-reconnecting', transport: 'live', slot: 'held', status: 'reconnecting' }],
    ['… but not when it would come back sooner than minDelayMs', open, [lost('self', { sinceRequestMs: 10 })], { phase: 'backoff', transport: 'closing' }],
    ['… nor when it has not come back within maxDelayMs', open, [lost('self', { sinceRequestMs: 5000 }), { type: 'self-stalled', attempt: 1 }], { phase: 'queued', transport: 'closing', slot: 'held' }],
    ['following closes the transport and gives the slot back', open, [{ type: 'follow' }, { type: 'transport-closed' }], { phase: 'following', slot: 'none', transport: 'none' }],
    ['a follower ignores close(); the owner runs it', () => run([{ type: 'follow' }]), [{ type: 'close' }], { phase: 'following' }],
    ['a takeover of an open stream queues for a slot', () => run([{ type: 'want', wanted: true }, { type: 'follow' }, { type: 'mirror', state: { status: 'open', error: undefined, retryCount: 0 } }]), [{ type: 'take-over' }], { phase: 'queued', slot: 'waiting' }],
    ['a takeover of a closed stream stays closed', () => run([{ type: 'want', wanted: true }, { type: 'follow' }, { type: 'mirror', state: { status: 'closed', error: undefined, retryCount: 0 } }]), [{ type: 'take-over' }], { phase: 'closed', slot: 'none' }],
    ['a takeover that threw leaves following, shows the error and backs off', () => run([{ type: 'want', wanted: true }, { type: 'follow' }]), [{ type: 'take-over-failed', error: net, random: 0.5 }], { phase: 'backoff', status: 'reconnecting', slot: 'none' }],
  ])('%s', (_name, from, actions, expected) => {
    expect(pick(run(actions, policy, from()))).toMatchObject(expected);
  });

  // Combinations the old booleans (stopped, following, holdsSlot, retryTimer, hiddenPaused) allowed.
  it('ignores every callback of an attempt that is over', () => {
    const backoff = run([lost('broken')], policy, open());
    for (const action of [{ type: 'opened', attempt: 1 }, { type: 'event', attempt: 1 }, lost('broken'), { type: 'fatal', attempt: 1, error: net }, { type: 'done', attempt: 1 }] as Action[]) {
      expect(reduce(backoff, action, policy)).toBe(backoff);
    }
  });

  it('never holds a slot without a transport that may be open, nor a transport outside a transport phase', () => {
    const phases = [connecting(), open(), run([lost('broken')], policy, open()), run([{ type: 'close' }], policy, open())];
    const actionsFrom = (s: MachineState): Action[] => [
      { type: 'transport-closed' }, { type: 'delay-elapsed' }, { type: 'page', offline: true }, { type: 'page', offline: false },
      { type: 'reconnect' }, { type: 'want', wanted: false }, { type: 'want', wanted: true }, { type: 'follow' }, { type: 'slot-granted' },
      { type: 'opened', attempt: s.attempt }, lost('broken', { attempt: s.attempt }), lost('self', { attempt: s.attempt, sinceRequestMs: 5000 }),
    ];
    // Every state three actions away from each start, each invariant checked on every state its
    // premise holds for — and a count of those states, because a premise never met proves nothing.
    const checked = { transportLive: 0, slotHeld: 0, slotWaiting: 0, queuedAndWanted: 0 };
    let states = phases;
    for (let depth = 0; depth < 3; depth++) {
      const next = states.flatMap((from) => actionsFrom(from).map((action) => reduce(from, action, policy)));
      states = [...new Map(next.map((s) => [JSON.stringify(s), s])).values()];
      for (const s of states) {
        if (s.transport === 'live') {
          checked.transportLive++;
          expect(['connecting', 'open', 'self-reconnecting']).toContain(s.phase);
        }
        if (s.slot === 'held') {
          checked.slotHeld++;
          expect(s.transport).not.toBe('none'); // given back once the transport has closed
        }
        if (s.slot === 'waiting') {
          checked.slotWaiting++;
          expect([s.phase, s.wanted]).toEqual(['queued', true]);
        }
        if (s.phase === 'queued' && s.wanted) {
          checked.queuedAndWanted++;
          expect(s.slot).not.toBe('none'); // asks for one, or starts on the one it kept
        }
      }
    }
    for (const count of Object.values(checked)) expect(count).toBeGreaterThan(0);
  });

  it('finite: a normal end finishes for good with no error; a loss before the end is retried', () => {
    expect(pick(run([lost('ended')], finitePolicy, open()))).toMatchObject({ phase: 'closed', status: 'closed' });
    expect(run([lost('ended')], finitePolicy, open())).toMatchObject({ finished: true, error: undefined });
    expect(run([lost('broken')], finitePolicy, open())).toMatchObject({ phase: 'backoff', error: net });
    // A native EventSource cannot tell an end from a loss: any end finishes it…
    expect(run([lost('self', { sinceRequestMs: 5000 })], nativeFinite, open())).toMatchObject({ phase: 'closed', finished: true });
    // …but an HTTP error it gave up on, or a silent connection, is a failure, not a finish.
    expect(run([lost('broken')], nativeFinite, open())).toMatchObject({ phase: 'backoff', finished: false, error: net });
    expect(run([lost('idle')], nativeFinite, open())).toMatchObject({ phase: 'backoff', error: net });
    // Not finite: an end is a loss without an error.
    expect(run([lost('ended')], policy, open())).toMatchObject({ phase: 'backoff', error: undefined });
  });

  it('a finite stream that keeps breaking after it opened is re-sent at most maxAttempts times', () => {
    const p: MachinePolicy = { ...finitePolicy, retry: { ...finitePolicy.retry, maxAttempts: 2 } };
    let s = open();
    for (let attempt = 1; attempt <= 2; attempt++) {
      // Each request opens and delivers before it breaks: retryCount starts again at every open.
      s = run([lost('broken', { attempt }), { type: 'transport-closed' }, { type: 'delay-elapsed' }, { type: 'slot-granted' }, { type: 'opened', attempt: attempt + 1 }], p, s);
      expect(s).toMatchObject({ phase: 'open', retryCount: 0, repeats: attempt });
    }
    expect(reduce(s, lost('broken', { attempt: 3 }), p)).toMatchObject({ phase: 'closed', error: { kind: 'max-attempts' } });
    // reconnect() gives it a fresh budget.
    expect(run([{ type: 'transport-closed' }, { type: 'reconnect' }], p, reduce(s, lost('broken', { attempt: 3 }), p)).repeats).toBe(0);
  });

  it('endOn (done) finishes any stream; reconnect() starts it again', () => {
    const done = run([{ type: 'done', attempt: 1 }], policy, open());
    expect(done).toMatchObject({ phase: 'closed', finished: true, error: undefined });
    expect(run([{ type: 'transport-closed' }, { type: 'reconnect' }], policy, done)).toMatchObject({ phase: 'queued', finished: false });
  });

  it('clears a connection error on the next open and an event error on the next event', () => {
    const reconnecting = run([lost('broken'), { type: 'transport-closed' }, { type: 'delay-elapsed' }, { type: 'slot-granted' }], policy, open());
    expect(reconnecting.error).toBe(net);
    // An event does not clear a connection error…
    expect(run([{ type: 'event', attempt: 2 }], policy, reconnecting).error).toBe(net);
    // …the next open does.
    const reopened = run([{ type: 'opened', attempt: 2 }], policy, reconnecting);
    expect(reopened.error).toBeUndefined();
    const withEventError = run([{ type: 'event-error', attempt: 2, error: parse }], policy, reopened);
    expect(connectionViewOf(withEventError)).toMatchObject({ status: 'open', error: parse });
    expect(run([{ type: 'event', attempt: 2 }], policy, withEventError).error).toBeUndefined();
  });

  it('counts retries until an open resets them, and gives up after maxAttempts', () => {
    const p = { ...policy, retry: { ...policy.retry, maxAttempts: 2 } };
    let s = open();
    for (let attempt = 1; attempt <= 2; attempt++) {
      s = run([lost('broken', { attempt }), { type: 'transport-closed' }, { type: 'delay-elapsed' }, { type: 'slot-granted' }], p, s);
      expect(s.retryCount).toBe(attempt);
    }
    s = reduce(s, lost('broken', { attempt: 3 }), p);
    expect(s).toMatchObject({ phase: 'closed', error: { kind: 'max-attempts' } });
  });

  it("gives up with 'max-attempts' whose cause is the last error; its status stays there (only 'http' errors have one)", () => {
    const p = { ...policy, retry: { ...policy.retry, maxAttempts: 0 } };
    const http503: StreamError = { kind: 'http', message: 'HTTP 503', status: 503 };
    const s = reduce(open(), lost('broken', { error: http503 }), p);
    expect(s).toMatchObject({ phase: 'closed', error: { kind: 'max-attempts', cause: http503 } });
    expect(s.error).not.toHaveProperty('status');
    expect(s.error?.message).toContain('HTTP 503');
  });

  it('the backoff grows until a connection delivers an event, not merely opens', () => {
    let s = open();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      s = run([lost('ended', { attempt }), { type: 'transport-closed' }], policy, s);
      delays.push(s.delayMs);
      s = run([{ type: 'delay-elapsed' }, { type: 'slot-granted' }, { type: 'opened', attempt: attempt + 1 }], policy, s);
    }
    expect(delays).toEqual([1000, 2000, 4000]);
    s = run([{ type: 'event', attempt: 4 }, lost('ended', { attempt: 4 })], policy, s);
    expect(s.delayMs).toBe(1000);
  });

  it("clamps the server's retry: into [minDelayMs, maxDelayMs]", () => {
    expect(run([{ type: 'server-retry', attempt: 1, ms: 0 }, lost('ended')], policy, open()).delayMs).toBe(500);
    expect(run([{ type: 'server-retry', attempt: 1, ms: 99_999_999_999 }, lost('ended')], policy, open()).delayMs).toBe(30_000);
  });

  it('keeps its identity when nothing changes, so nothing re-renders', () => {
    const s = open();
    expect(reduce(s, { type: 'event', attempt: 1 }, policy)).toBe(s);
    expect(reduce(s, { type: 'want', wanted: true }, policy)).toBe(s);
    expect(reduce(s, { type: 'transport-closed' }, policy)).toBe(s);
  });
});
