// @vitest-environment node
// createSseClient in Node (no EventSource, no DOM) against the real counting test server: the
// same client, budget, resume and lifecycle as in the browser. Assertions are on what the server saw.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSseClient, defineStream, type SseClient, type SseEvent, type StreamDescriptor, type StreamState } from 'react-sse-hub';
import { startSseTestServer, type SseTestServer } from '../server/sse-server';

let server: SseTestServer;
let client: SseClient | undefined;
beforeAll(async () => {
  server = await startSseTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  client?.dispose();
  client = undefined;
});

/** Waits on a condition, not a clock; the timeout only bounds a hang. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

function watch(stream: string | StreamDescriptor) {
  const events: SseEvent[] = [];
  const states: StreamState[] = [];
  const options = { onEvent: (e: SseEvent) => events.push(e), onStatus: (_s: unknown, state: StreamState) => states.push(state) };
  const stop = typeof stream === 'string' ? client!.subscribe(stream, options) : client!.subscribe(stream, options);
  return { events, states, stop, last: () => states.at(-1) };
}

describe('createSseClient in Node', () => {
  it('has no EventSource or DOM here: the fetch transport is the default', async () => {
    expect(typeof EventSource).toBe('undefined');
    expect(typeof document).toBe('undefined');
    client = createSseClient();
    const path = '/sse/node-default';
    const w = watch(`${server.origin}${path}?count=3&interval=5`);
    await until(() => expect(w.events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]));
    expect(client.entries()[0]).toMatchObject({ status: 'open', transport: 'fetch' });
    expect(server.stats(path).requests).toBe(1);
  });

  it('resumes a dropped stream from the last id: every event once', async () => {
    client = createSseClient({ defaults: { retry: { initialDelayMs: 50, minDelayMs: 50, jitter: false } } });
    const path = '/sse/node-resume';
    const w = watch(`${server.origin}${path}?count=6&interval=5&dropAfter=3`);
    await until(() => expect(w.events).toHaveLength(6));
    expect(w.events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6]);
    // Every request after a drop carried the id of an event the client had delivered (how many
    // arrived before the server destroyed the socket is up to the network).
    const resumed = server.stats(path).log.map((r) => r.resumedFrom);
    expect(resumed[0]).toBeUndefined();
    expect(resumed.length).toBeGreaterThan(1);
    for (const id of resumed.slice(1)) expect(Number(id)).toBeGreaterThan(0);
  });

  it('keeps to the per-origin budget: the server never sees more than the limit open', async () => {
    client = createSseClient({ maxConnectionsPerOrigin: 2 });
    server.resetMax();
    const streams = [0, 1, 2].map((i) => watch(`${server.origin}/sse/node-budget-${i}?interval=20`));
    await until(() => expect(server.openTotal()).toBe(2));
    expect(streams[2]!.last()?.status).toBe('queued');
    streams[0]!.stop();
    client.close(`${server.origin}/sse/node-budget-0?interval=20`);
    await until(() => expect(server.stats('/sse/node-budget-2').requests).toBe(1));
    expect(server.maxOpenTotal()).toBeLessThanOrEqual(2);
  });

  it('follows the server contract: 503 retried, then 204 closes with no error, 401 closes with it', async () => {
    client = createSseClient({ defaults: { retry: { initialDelayMs: 50, minDelayMs: 50, jitter: false } } });
    const retried = watch(`${server.origin}/sse/node-503?failFirst=2&count=1&interval=5`);
    await until(() => expect(retried.events).toHaveLength(1));
    expect(server.stats('/sse/node-503').requests).toBe(3);
    expect(retried.states.map((s) => s.status)).toContain('reconnecting');

    const stopped = watch(`${server.origin}/sse/node-204?status=204`);
    await until(() => expect(stopped.last()).toMatchObject({ status: 'closed', error: undefined }));
    const denied = watch(`${server.origin}/sse/node-401?status=401`);
    await until(() => expect(denied.last()).toMatchObject({ status: 'closed', error: { kind: 'http', status: 401 } }));
    expect(server.stats('/sse/node-204').requests).toBe(1);
    expect(server.stats('/sse/node-401').requests).toBe(1);
  });

  it("resume: 'session' without web storage falls back to memory, silently", async () => {
    const warn = vi.spyOn(console, 'warn');
    client = createSseClient();
    const path = '/sse/node-session';
    const w = watch(defineStream(`${server.origin}${path}?count=2&interval=5`, { resume: 'session' }));
    await until(() => expect(w.events).toHaveLength(2));
    expect(warn).not.toHaveBeenCalled();
  });
});
