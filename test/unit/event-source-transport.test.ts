import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventSourceTransport } from '../../src/core/transport/event-source-transport';
import type { TransportCallbacks, TransportFailure } from '../../src/core/types';
import { connectionOptions } from './helpers';

/** jsdom has no EventSource: this one is driven by the test, as the browser would drive it. */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  constructor(
    readonly url: string,
    readonly init: EventSourceInit = {},
  ) {
    super();
    FakeEventSource.instances.push(this);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  message(type: string, data: string, lastEventId = '') {
    this.dispatchEvent(new MessageEvent(type, { data, lastEventId }));
  }
  /** A dropped connection the browser retries by itself. */
  lose() {
    this.readyState = FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event('error'));
  }
  /** An HTTP error status, a wrong content type or 204: the browser gives up and does not say which. */
  giveUp() {
    this.readyState = FakeEventSource.CLOSED;
    this.dispatchEvent(new Event('error'));
  }
}

/** The look-up's fetch: answers with `answer`, or never (until aborted); records each call. */
function stubFetch(answer: (() => Response | Promise<Response>) | 'never') {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchMock = vi.fn((url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Promise<Response>((resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      if (answer !== 'never') Promise.resolve().then(answer).then(resolve, reject);
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

function recorder() {
  const log: string[] = [];
  const failures: TransportFailure[] = [];
  const callbacks: TransportCallbacks = {
    open: () => log.push('open'),
    event: (type, data, id) => log.push(`${type}:${data}:${id ?? '-'}`),
    retry: (ms) => log.push(`retry:${ms}`),
    failure: (f) => failures.push(f),
    error: (e) => log.push(`error:${e.kind}`),
  };
  return { log, failures, callbacks };
}

const URL_ = 'http://x.test/s';

function connect(over: Parameters<typeof connectionOptions>[0] = {}, lastEventId = '41') {
  const rec = recorder();
  const handle = createEventSourceTransport().connect(
    { url: URL_, eventTypes: ['message', 'tick'], lastEventId, options: connectionOptions(over) },
    rec.callbacks,
  );
  const source = FakeEventSource.instances.at(-1)!;
  return { ...rec, handle, source };
}

/** Gives up on an open stream and waits for the look-up to be reported. */
async function gaveUp(answer: () => Response | Promise<Response>) {
  const calls = stubFetch(answer);
  const c = connect();
  c.source.open();
  c.source.giveUp();
  await vi.waitFor(() => expect(c.failures).toHaveLength(1));
  return { ...c, calls };
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('native EventSource transport', () => {
  it('opens with the resume parameter and credentials, and reports events with their ids', () => {
    stubFetch('never');
    const c = connect({ withCredentials: true });
    expect(c.source.url).toBe(`${URL_}?lastEventId=41`);
    expect(c.source.init.withCredentials).toBe(true);
    c.source.open();
    c.source.message('message', 'a', '7');
    // Same id as before: the event had no id field of its own.
    c.source.message('tick', 'b', '7');
    // A server event named "open" is an event, not the connection opening again.
    c.source.message('open', 'c', '7');
    c.handle.listen('open');
    c.source.message('open', 'd', '8');
    expect(c.log).toEqual(['open', 'message:a:7', 'tick:b:-', 'open:d:8']);
    expect(c.failures).toEqual([]);
  });

  it('reports a drop the browser retries by itself as a self retry, without a look-up', async () => {
    const calls = stubFetch(() => new Response(null, { status: 204 }));
    const c = connect();
    c.source.open();
    c.source.lose();
    expect(c.failures).toEqual([{ retry: 'self', error: expect.objectContaining({ kind: 'network' }) }]);
    await Promise.resolve();
    expect(calls).toHaveLength(0);
    expect(c.source.readyState).toBe(FakeEventSource.CONNECTING);
  });

  it('gave up, the look-up answers 204: closed with no error, after one GET like the EventSource’s', async () => {
    const c = await gaveUp(() => new Response(null, { status: 204 }));
    expect(c.failures).toEqual([{ retry: 'never', error: undefined }]);
    expect(c.calls).toHaveLength(1);
    const [{ url, init }] = c.calls as [{ url: string; init: RequestInit }];
    expect(url).toBe(`${URL_}?lastEventId=41`);
    expect(init.method ?? 'GET').toBe('GET');
    expect(init.credentials).toBe('same-origin');
    expect(init.cache).toBe('no-store');
    expect(new Headers(init.headers).get('accept')).toBe('text/event-stream');
  });

  it('sends the credentials the EventSource sent', async () => {
    const calls = stubFetch(() => new Response(null, { status: 204 }));
    // No id yet: nothing to resume from, no query parameter.
    const c = connect({ withCredentials: true }, '');
    c.source.giveUp();
    await vi.waitFor(() => expect(c.failures).toHaveLength(1));
    expect(calls[0]!.url).toBe(URL_);
    expect(calls[0]!.init.credentials).toBe('include');
  });

  it.each([401, 404])('gave up, the look-up answers %i: closed with the status', async (status) => {
    const c = await gaveUp(() => new Response(null, { status }));
    expect(c.failures).toEqual([{ retry: 'never', error: expect.objectContaining({ kind: 'http', status }) }]);
  });

  it.each([500, 429])('gave up, the look-up answers %i: backoff with the status and Retry-After', async (status) => {
    const c = await gaveUp(() => new Response(null, { status, headers: { 'retry-after': '7' } }));
    expect(c.failures).toEqual([{ retry: 'backoff', retryAfterMs: 7000, error: expect.objectContaining({ kind: 'http', status }) }]);
  });

  it('gave up, the look-up finds an event stream again: backoff, the headers only (the body is never read)', async () => {
    let response!: Response;
    const c = await gaveUp(() => (response = new Response('data: 1\n\n', { headers: { 'content-type': 'text/event-stream' } })));
    expect(c.failures).toEqual([{ retry: 'backoff', error: expect.objectContaining({ kind: 'network', message: expect.stringMatching(/gave up/) }) }]);
    // No status found: a 'network' error, which has none ('http' ones always carry one).
    expect(c.failures[0]!.error).not.toHaveProperty('status');
    expect(response.bodyUsed).toBe(false);
    expect(c.calls[0]!.init.signal!.aborted).toBe(true);
  });

  it('gave up, the look-up answers with another content type: closed with a content-type error (no status: only http errors have one)', async () => {
    const c = await gaveUp(() => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    expect(c.failures[0]!.error).not.toHaveProperty('status');
    expect(c.failures).toEqual([{ retry: 'never', error: expect.objectContaining({ kind: 'content-type' }) }]);
  });

  it('gave up, the look-up fails (network, CORS): backoff as before', async () => {
    const c = await gaveUp(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(c.calls).toHaveLength(1);
    expect(c.failures).toEqual([{ retry: 'backoff', error: expect.objectContaining({ kind: 'network', message: expect.stringMatching(/gave up/) }) }]);
  });

  it('gave up, the look-up chunk fails to load: backoff as before', async () => {
    const calls = stubFetch(() => new Response(null, { status: 204 }));
    vi.doMock('../../src/core/transport/status-lookup', () => {
      throw new Error('chunk missing');
    });
    try {
      const c = connect();
      c.source.giveUp();
      await vi.waitFor(() => expect(c.failures).toHaveLength(1));
      expect(c.failures).toEqual([{ retry: 'backoff', error: expect.objectContaining({ kind: 'network', message: expect.stringMatching(/gave up/) }) }]);
      expect(calls).toHaveLength(0);
    } finally {
      vi.doUnmock('../../src/core/transport/status-lookup');
    }
  });

  it('gave up, the look-up has no answer within 3 s: aborted, then backoff; nothing reported before', async () => {
    vi.useFakeTimers();
    const calls = stubFetch('never');
    const c = connect();
    c.source.giveUp();
    // The look-up's chunk loads; each check moves the fake clock on by 50 ms, once the look-up has started.
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(2900);
    // The slot stays held: the failure is not reported while the look-up runs.
    expect(c.failures).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(calls[0]!.init.signal!.aborted).toBe(true);
    expect(c.failures).toEqual([{ retry: 'backoff', error: expect.objectContaining({ kind: 'network', message: expect.stringMatching(/gave up/) }) }]);
  });

  it('close() during the look-up aborts it and reports nothing', async () => {
    const calls = stubFetch('never');
    const c = connect();
    c.source.open();
    c.source.giveUp();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    void c.handle.close();
    expect(calls[0]!.init.signal!.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(c.failures).toEqual([]);
  });

  it('close() while the look-up chunk loads sends no look-up and reports nothing', async () => {
    const calls = stubFetch(() => new Response(null, { status: 204 }));
    const c = connect();
    c.source.giveUp();
    void c.handle.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toHaveLength(0);
    expect(c.failures).toEqual([]);
  });

  it('looks up once per failure, each time the browser gives up', async () => {
    const calls = stubFetch(() => new Response(null, { status: 503 }));
    const c = connect();
    c.source.open();
    c.source.lose();
    c.source.giveUp();
    await vi.waitFor(() => expect(c.failures).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toHaveLength(1);
    expect(c.failures.map((f) => f.retry)).toEqual(['self', 'backoff']);
    // The connection re-creates the transport for the next attempt: one more failure, one more look-up.
    const next = connect();
    next.source.giveUp();
    await vi.waitFor(() => expect(next.failures).toHaveLength(1));
    expect(calls).toHaveLength(2);
  });
});
