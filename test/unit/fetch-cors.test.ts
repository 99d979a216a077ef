/**
 * The fetch transport across origins (issue 13): no request header that needs a CORS preflight
 * unless the user sets one, the resume id in the query parameter cross-origin, and a request
 * refused by CORS reported as such. jsdom's page is on http://localhost:3000, so http://x.test is
 * another origin.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetchTransport } from '../../src/core/transport/fetch-transport';
import type { ConnectionOptions, TransportCallbacks, TransportFailure } from '../../src/core/types';
import { connectionOptions } from './helpers';

const SAME = `${location.origin}/sse`;
const CROSS = 'http://x.test/sse';

function sseResponse(): Response {
  return new Response('data: 1\n\n', { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** What fetch() resolves to for a no-cors request the server answered: status 0, nothing readable. */
function opaqueResponse(): Response {
  return Object.defineProperties(new Response(null), { type: { value: 'opaque' }, status: { value: 0 } });
}

function recorder() {
  const failures: TransportFailure[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const callbacks: TransportCallbacks = {
    open: () => {},
    event: () => {},
    retry: () => {},
    failure: (f) => {
      failures.push(f);
      done();
    },
    error: () => {},
  };
  return { failures, callbacks, finished };
}

/** Runs one attempt against a stubbed fetch; returns every fetch call and the reported failures. */
async function attempt(url: string, lastEventId: string | undefined, over: Partial<ConnectionOptions>, answer: (init: RequestInit) => Promise<Response>) {
  const fetchMock = vi.fn((_url: string, init: RequestInit) => answer(init));
  vi.stubGlobal('fetch', fetchMock);
  const rec = recorder();
  createFetchTransport().connect({ url, eventTypes: ['message'], lastEventId, options: connectionOptions(over) }, rec.callbacks);
  await rec.finished;
  const calls = fetchMock.mock.calls.map(([u, init]) => ({ url: u, init, headers: new Headers(init.headers) }));
  return { calls, failures: rec.failures };
}

/** A browser refusing the request by CORS: the real request fails, a no-cors request is answered. */
const corsBlocked = async (init: RequestInit) => {
  if (init.mode === 'no-cors') return opaqueResponse();
  throw new TypeError('Failed to fetch');
};
const unreachable = async () => {
  throw new TypeError('Failed to fetch');
};

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('fetch transport: request headers', () => {
  it('a plain GET sends only CORS-safelisted headers: Accept, no Cache-Control (caching is off through the cache mode)', async () => {
    for (const url of [SAME, CROSS]) {
      const { calls } = await attempt(url, undefined, {}, async () => sseResponse());
      const [{ init, headers }] = calls as [(typeof calls)[0]];
      expect([...headers.keys()]).toEqual(['accept']);
      expect(headers.get('accept')).toBe('text/event-stream');
      expect(init.cache).toBe('no-store');
    }
  });

  it("keeps the user's own headers", async () => {
    const { calls } = await attempt(CROSS, undefined, { headers: { Authorization: 'Bearer t' } }, async () => sseResponse());
    expect([...calls[0]!.headers.keys()].sort()).toEqual(['accept', 'authorization']);
  });
});

describe('fetch transport: where the resume id goes', () => {
  it('same origin: the Last-Event-ID header, and the URL as given', async () => {
    const { calls } = await attempt(`${SAME}?a=1`, '41', {}, async () => sseResponse());
    expect(calls[0]!.url).toBe(`${SAME}?a=1`);
    expect(calls[0]!.headers.get('last-event-id')).toBe('41');
  });

  it('cross origin: the lastEventIdParam query parameter (not CORS-safelisted as a header, whatwg/fetch#568), and no header', async () => {
    const { calls } = await attempt(`${CROSS}?a=1`, '41', {}, async () => sseResponse());
    expect(calls[0]!.url).toBe(`${CROSS}?a=1&lastEventId=41`);
    expect(calls[0]!.headers.has('last-event-id')).toBe(false);
  });

  it('cross origin: a custom parameter name is used', async () => {
    const { calls } = await attempt(CROSS, 'a b', { lastEventIdParam: 'since' }, async () => sseResponse());
    expect(new URL(calls[0]!.url).searchParams.get('since')).toBe('a b');
    expect(calls[0]!.headers.has('last-event-id')).toBe(false);
  });

  it('cross origin with lastEventIdParam: false: the user opted into the header (their server allows it)', async () => {
    const { calls } = await attempt(CROSS, '41', { lastEventIdParam: false }, async () => sseResponse());
    expect(calls[0]!.url).toBe(CROSS);
    expect(calls[0]!.headers.get('last-event-id')).toBe('41');
  });

  it('before any id (or after an empty one) neither is sent', async () => {
    for (const url of [SAME, CROSS]) {
      for (const id of [undefined, '']) {
        const { calls } = await attempt(url, id, {}, async () => sseResponse());
        expect(calls[0]!.url).toBe(url);
        expect(calls[0]!.headers.has('last-event-id')).toBe(false);
      }
    }
  });
});

describe('fetch transport: a request refused by CORS', () => {
  it('is told from an unreachable server by a no-cors probe, and the message names CORS and what the server must send', async () => {
    const { calls, failures } = await attempt(CROSS, undefined, {}, corsBlocked);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ url: CROSS, init: { method: 'HEAD', mode: 'no-cors', cache: 'no-store', credentials: 'omit' } });
    expect(failures).toHaveLength(1);
    // Still a 'network' failure retried with backoff: a deploy can fix the server's headers.
    expect(failures[0]).toMatchObject({ retry: 'backoff', error: { kind: 'network' } });
    const text = failures[0]!.error!.message;
    expect(text).toContain('CORS');
    expect(text).toContain(`Access-Control-Allow-Origin: ${location.origin}`);
    expect(text).not.toContain('preflight');
    expect(text).not.toContain('Access-Control-Allow-Credentials');
  });

  it('names the headers the preflight must allow, and the credentials header with withCredentials', async () => {
    const { failures } = await attempt(CROSS, '7', { headers: { Authorization: 'Bearer t', 'X-Trace': '1' }, lastEventIdParam: false, withCredentials: true }, corsBlocked);
    const text = failures[0]!.error!.message;
    expect(text).toContain('Access-Control-Allow-Headers: authorization, last-event-id, x-trace');
    expect(text).toContain('Access-Control-Allow-Credentials: true');
    expect(text).not.toMatch(/Access-Control-Allow-Headers:[^.]*accept/);
  });

  it('an unreachable server (the probe fails too) keeps the ordinary network message', async () => {
    const { calls, failures } = await attempt(CROSS, undefined, {}, unreachable);
    expect(calls).toHaveLength(2);
    expect(failures[0]).toMatchObject({ retry: 'backoff', error: { kind: 'network' } });
    expect(failures[0]!.error!.message).toBe(`Could not reach ${CROSS} (Failed to fetch). Retrying with backoff.`);
  });

  it('a same-origin failure is not probed (CORS does not apply)', async () => {
    const { calls, failures } = await attempt(SAME, undefined, {}, corsBlocked);
    expect(calls).toHaveLength(1);
    expect(failures[0]!.error!.message).toMatch(/^Could not reach/);
  });

  it('a probe that gets no answer in time counts as unreachable, and is aborted', async () => {
    vi.useFakeTimers();
    let probe: AbortSignal | undefined;
    const rec = recorder();
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      if (init.mode !== 'no-cors') return Promise.reject(new TypeError('Failed to fetch'));
      probe = init.signal!;
      return new Promise<Response>((_, reject) => probe!.addEventListener('abort', () => reject(probe!.reason)));
    });
    createFetchTransport().connect({ url: CROSS, eventTypes: [], lastEventId: undefined, options: connectionOptions() }, rec.callbacks);
    await vi.advanceTimersByTimeAsync(2900);
    expect(probe?.aborted).toBe(false);
    expect(rec.failures).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(probe!.aborted).toBe(true);
    expect(rec.failures[0]!.error!.message).toMatch(/^Could not reach/);
  });

  it('close() during the probe aborts it at once, settles, and reports nothing', async () => {
    let probe: AbortSignal | undefined;
    const rec = recorder();
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      if (init.mode !== 'no-cors') return Promise.reject(new TypeError('Failed to fetch'));
      probe = init.signal!;
      return new Promise<Response>((_, reject) => probe!.addEventListener('abort', () => reject(probe!.reason)));
    });
    const handle = createFetchTransport().connect({ url: CROSS, eventTypes: [], lastEventId: undefined, options: connectionOptions() }, rec.callbacks);
    await vi.waitFor(() => expect(probe).toBeDefined());
    const closed = handle.close();
    expect(probe!.aborted).toBe(true);
    await closed;
    await new Promise((r) => setTimeout(r, 10));
    expect(rec.failures).toEqual([]);
  });

  it('production builds keep the code, which names CORS', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.resetModules();
    const { createFetchTransport: createProduction } = await import('../../src/core/transport/fetch-transport');
    vi.stubGlobal('fetch', vi.fn((_url: string, init: RequestInit) => corsBlocked(init)));
    const rec = recorder();
    createProduction().connect({ url: CROSS, eventTypes: [], lastEventId: undefined, options: connectionOptions() }, rec.callbacks);
    await rec.finished;
    expect(rec.failures[0]!.error!.message).toMatch(/^react-sse-hub error "cors" \(/);
  });
});
