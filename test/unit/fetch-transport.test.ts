import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSseClient, defineStream } from 'react-sse-hub';
import { createBoundedParser } from '../../src/core/transport/bounded-event-parser';
import { createFetchTransport } from '../../src/core/transport/fetch-transport';
import type { StreamError, TransportCallbacks, TransportFailure } from '../../src/core/types';
import { connectionOptions } from './helpers';

const options = connectionOptions;

/** A Response whose body yields the given chunks, then ends (or stays open). */
function sseResponse(chunks: string[], init: ResponseInit = {}, keepOpen = false): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      if (!keepOpen) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' }, ...init });
}

function recorder() {
  const log: string[] = [];
  const failures: TransportFailure[] = [];
  const errors: string[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const callbacks: TransportCallbacks = {
    open: () => log.push('open'),
    event: (type, data, id) => log.push(`${type}:${data}:${id ?? '-'}`),
    retry: (ms) => log.push(`retry:${ms}`),
    failure: (f) => {
      failures.push(f);
      done();
    },
    error: (e) => errors.push(e.kind),
  };
  return { log, failures, errors, callbacks, finished };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetch transport', () => {
  it('sends Accept, Last-Event-ID (same origin) and the resolved headers and body; no Cache-Control header', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => sseResponse(['data: 1\n\n']));
    vi.stubGlobal('fetch', fetchMock);
    const rec = recorder();
    let token = 'a';
    createFetchTransport().connect(
      {
        // Same origin (a cross-origin resume uses the query parameter: fetch-cors.test.ts).
        url: `${location.origin}/s`,
        eventTypes: ['message'],
        lastEventId: '41',
        options: options({ headers: async () => ({ Authorization: `Bearer ${token}` }), method: 'POST', body: () => '{"q":1}', withCredentials: true }),
      },
      rec.callbacks,
    );
    token = 'b'; // the headers function runs per attempt, at connect time
    await rec.finished;
    const [url, init] = fetchMock.mock.calls[0]!;
    const headers = new Headers(init.headers);
    expect(url).toBe(`${location.origin}/s`);
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"q":1}');
    expect(init.credentials).toBe('include');
    expect(headers.get('accept')).toBe('text/event-stream');
    // Not CORS-safelisted: it would make every cross-origin stream need a preflight.
    expect(headers.has('cache-control')).toBe(false);
    expect(init.cache).toBe('no-store');
    expect(headers.get('last-event-id')).toBe('41');
    expect(headers.get('authorization')).toMatch(/^Bearer [ab]$/);
    expect(rec.log).toEqual(['open', 'message:1:-']);
    // A stream that ends normally is reconnected (no error), per spec.
    expect(rec.failures).toEqual([{ retry: 'backoff', error: undefined }]);
  });

  it('parses named events, ids, retry and multi-byte text split across chunks', async () => {
    const bytes = new TextEncoder().encode('event: greet\nid: 7\nretry: 1500\ndata: h\u00e9llo \u{1F600}\n\n');
    const chunks = Array.from(bytes, (b) => new Uint8Array([b]));
    vi.stubGlobal('fetch', async () => new Response(new ReadableStream({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) }), { headers: { 'content-type': 'text/event-stream' } }));
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await rec.finished;
    expect(rec.log).toEqual(['open', 'retry:1500', 'greet:h\u00e9llo \u{1F600}:7']);
  });

  it.each([
    [401, 'never', 'http'],
    [404, 'never', 'http'],
    [408, 'backoff', 'http'],
    [429, 'backoff', 'http'],
    [500, 'backoff', 'http'],
    [503, 'backoff', 'http'],
  ])('classifies HTTP %i as %s', async (status, retry, kind) => {
    vi.stubGlobal('fetch', async () => new Response(null, { status, headers: { 'content-type': 'text/event-stream' } }));
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await rec.finished;
    expect(rec.failures[0]).toMatchObject({ retry, error: { kind, status } });
    expect(rec.log).toEqual([]);
  });

  it('closes on 204 with no error: the server asked clients to stop', async () => {
    vi.stubGlobal('fetch', async () => new Response(null, { status: 204 }));
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await rec.finished;
    expect(rec.failures).toEqual([{ retry: 'never', error: undefined }]);
    expect(rec.log).toEqual([]);
  });

  it('passes Retry-After on to the pool', async () => {
    vi.stubGlobal('fetch', async () => new Response(null, { status: 429, headers: { 'retry-after': '7' } }));
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await rec.finished;
    expect(rec.failures[0]).toMatchObject({ retry: 'backoff', retryAfterMs: 7000, error: { kind: 'http', status: 429 } });
  });

  it('accepts text/event-stream with parameters, in any case', async () => {
    vi.stubGlobal('fetch', async () => sseResponse(['data: 1\n\n'], { headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' } }));
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await rec.finished;
    expect(rec.log).toEqual(['open', 'message:1:-']);
  });

  it('calls the headers function on every attempt and sends no Last-Event-ID before an id is known', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => sseResponse(['data: 1\n\n']));
    vi.stubGlobal('fetch', fetchMock);
    let calls = 0;
    const headers = async () => ({ Authorization: `Bearer t${++calls}` });
    for (const lastEventId of [undefined, '', '9']) {
      const rec = recorder();
      createFetchTransport().connect({ url: `${location.origin}/s`, eventTypes: [], lastEventId, options: options({ headers }) }, rec.callbacks);
      await rec.finished;
    }
    const sent = fetchMock.mock.calls.map(([, init]) => new Headers(init.headers));
    expect(sent.map((h) => h.get('authorization'))).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3']);
    expect(sent.map((h) => h.get('last-event-id'))).toEqual([null, null, '9']);
  });

  it('retries when the headers function throws (a token refresh that failed)', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const rec = recorder();
    const headers = async (): Promise<Record<string, string>> => {
      throw new Error('token endpoint down');
    };
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options({ headers }) }, rec.callbacks);
    await rec.finished;
    expect(rec.failures[0]).toMatchObject({ retry: 'backoff', error: { kind: 'network', message: expect.stringContaining('token endpoint down') } });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it.each([
    ['a GET with a body', options({ body: 'x' })],
    ['a header value fetch cannot send', options({ headers: { Authorization: 'Bearer \u2603' } })],
  ])('does not retry %s', async (_name, opts) => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: opts }, rec.callbacks);
    await rec.finished;
    expect(rec.failures[0]).toMatchObject({ retry: 'never', error: { kind: 'unsupported' } });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('delivers nothing more once closed from inside an event callback', async () => {
    vi.stubGlobal('fetch', async () => sseResponse(['data: 1\n\ndata: 2\n\ndata: 3\n\n'], {}, true));
    const events: string[] = [];
    const rec = recorder();
    const handle = createFetchTransport().connect(
      { url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() },
      {
        ...rec.callbacks,
        event: (_type, data) => {
          events.push(data);
          handle.close();
        },
      },
    );
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['1']);
    expect(rec.failures).toEqual([]);
  });

  it("names an oversized event's type in its 'too-large' error when it was read, and none when it overflowed first", async () => {
    const big = 'x'.repeat(50);
    // One chunk: the whole event is read, its type with it. Split: the buffer overflows mid-event.
    vi.stubGlobal('fetch', async () => sseResponse([`event: tick\ndata: ${big}\n\n`, 'data: ', big, '\n\ndata: after\n\n']));
    const rec = recorder();
    const errors: StreamError[] = [];
    const callbacks = { ...rec.callbacks, error: (e: StreamError) => errors.push(e) };
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options({ maxEventBytes: 10 }) }, callbacks);
    await rec.finished;
    expect(errors.map((e) => e.kind)).toEqual(['too-large', 'too-large']);
    expect(errors[0]).toMatchObject({ eventType: 'tick', message: expect.stringMatching(/maxEventBytes \(10\)/) });
    expect(errors[1]).not.toHaveProperty('eventType');
    expect(rec.log).toEqual(['open', 'message:after:-']);
  });

  it('treats a 200 with the wrong content type as fatal', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await rec.finished;
    expect(rec.failures[0]).toMatchObject({ retry: 'never', error: { kind: 'content-type' } });
    expect(rec.failures[0]!.error).not.toHaveProperty('status');
  });

  it('reports network errors as retryable', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const rec = recorder();
    createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await rec.finished;
    expect(rec.failures[0]).toMatchObject({ retry: 'backoff', error: { kind: 'network' } });
  });

  it('aborts the request on close and reports nothing afterwards', async () => {
    let signal: AbortSignal | undefined;
    vi.stubGlobal('fetch', async (_u: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return sseResponse(['data: 1\n\n'], {}, true);
    });
    const rec = recorder();
    const handle = createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await vi.waitFor(() => expect(rec.log).toEqual(['open', 'message:1:-']));
    handle.close();
    expect(signal?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(rec.failures).toEqual([]);
  });

  it('closed before its response headers, a request is aborted when they arrive (Chromium keeps such a socket ~5 s); close() settles then', async () => {
    let signal: AbortSignal | undefined;
    let answer!: (response: Response) => void;
    vi.stubGlobal('fetch', (_u: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>((resolve) => (answer = resolve));
    });
    const rec = recorder();
    const handle = createFetchTransport().connect({ url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options() }, rec.callbacks);
    await vi.waitFor(() => expect(signal).toBeDefined());
    let closed = false;
    void (handle.close() as Promise<void>).then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(signal!.aborted).toBe(false);
    expect(closed).toBe(false);
    answer(sseResponse(['data: 1\n\n'], {}, true));
    await vi.waitFor(() => expect(closed).toBe(true));
    expect(signal!.aborted).toBe(true);
    expect(rec.log).toEqual([]); // neither open nor the event is reported after close()
  });

  it('closed before the request went out (headers function pending), it is closed at once and sends no request', async () => {
    const fetchMock = vi.fn(async () => sseResponse([]));
    vi.stubGlobal('fetch', fetchMock);
    let token!: (headers: Record<string, string>) => void;
    const rec = recorder();
    const handle = createFetchTransport().connect(
      { url: 'http://x.test/s', eventTypes: [], lastEventId: undefined, options: options({ headers: () => new Promise((resolve) => (token = resolve)) }) },
      rec.callbacks,
    );
    // Nothing is open: close() does not wait for a headers() promise that may never settle.
    expect(handle.close()).toBeUndefined();
    token({ Authorization: 'Bearer t' });
    await new Promise((r) => setTimeout(r, 10));
    expect(fetchMock).not.toHaveBeenCalled();
    expect(rec.log).toEqual([]);
  });
});

describe('bounded parser', () => {
  function run(maxChars: number, chunks: string[], withIds = false) {
    const out: string[] = [];
    const parser = createBoundedParser(maxChars, {
      onEvent: (e) => out.push(withIds ? `${e.data}#${e.id ?? '-'}` : e.data),
      onRetry: () => {},
      onTooLarge: () => out.push('TOO-LARGE'),
    });
    chunks.forEach((c) => parser.feed(c));
    return out;
  }

  it('drops an event larger than the limit that arrives in one chunk', () => {
    expect(run(10, [`data: small\n\ndata: ${'x'.repeat(50)}\n\ndata: after\n\n`])).toEqual(['small', 'TOO-LARGE', 'after']);
  });

  it('drops an oversized event spread over many chunks and resumes at the next event', () => {
    const big = Array.from({ length: 100 }, () => 'y'.repeat(20));
    expect(run(100, ['data: a\n\n', 'data: ', ...big, '\n\n', 'data: b\n\n'])).toEqual(['a', 'TOO-LARGE', 'b']);
  });

  it('finds the end of the skipped event across CRLF and chunk boundaries', () => {
    const big = 'z'.repeat(300);
    expect(run(100, ['data: ', big, '\r\n', '\r', '\ndata: next\r\n\r\n'])).toEqual(['TOO-LARGE', 'next']);
  });

  it('dispatches an event that ends in CR without waiting for more input', () => {
    expect(run(100, ['data: a\r\r'])).toEqual(['a']);
    expect(run(100, ['data: a\r', '\r'])).toEqual(['a']);
  });

  it('treats CR at a chunk end and LF at the next chunk start as one line end', () => {
    expect(run(100, ['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual(['a\nb']);
    // Half a UTF-8 character decodes to an empty chunk; it must not split the CRLF pair.
    expect(run(100, ['data: a\r', '', '\n', 'data: b\r\n\r\n'])).toEqual(['a\nb']);
  });

  it("reports an id set by a block without data through onId; an event's id stays its own field (WHATWG last event id buffer)", () => {
    expect(record(100, ['id: 5\n\ndata: a\n\ndata: b\n\n'])).toEqual(['id 5', 'message:a#-', 'message:b#-']);
    expect(record(100, ['i', 'd', ':', ' 6\n', ': comment\n\n', 'data: a\n\n'])).toEqual(['id 6', 'message:a#-']);
    expect(record(100, ['id: 1\n\nid: 2\u0000\n\ndata: a\n\n'])).toEqual(['id 1', 'message:a#-']);
    expect(record(100, ['id\n\ndata: a\n\n'])).toEqual(['id ', 'message:a#-']);
    expect(record(100, ['idx: 1\n\ndata: a\n\n', 'id: 3\ndata: b\n\n'])).toEqual(['message:a#-', 'message:b#3']);
  });

  it('reports an id-only block at once, so a reconnect before the next event resumes from it', () => {
    const ids: string[] = [];
    const parser = createBoundedParser(100, { onEvent: () => {}, onRetry: () => {}, onTooLarge: () => {}, onId: (id) => ids.push(id) });
    parser.feed('data: a\nid: 1\n\nid: 2\n\n: comment\n\nid: 3\u0000\n\n');
    expect(ids).toEqual(['2']);
    parser.feed(`id: 9\ndata: ${'x'.repeat(200)}\n\n`);
    expect(ids).toEqual(['2', '9']);
  });

  /** Every callback, in order. */
  function record(maxChars: number, chunks: string[]) {
    const log: string[] = [];
    const parser = createBoundedParser(maxChars, {
      onEvent: (e) => log.push(`${e.event ?? 'message'}:${e.data}#${e.id ?? '-'}`),
      onRetry: (ms) => log.push(`retry ${ms}`),
      onTooLarge: (size) => log.push(`too-large ${size}`),
      onId: (id) => log.push(`id ${id}`),
    });
    chunks.forEach((c) => parser.feed(c));
    return log;
  }

  it('reports id-only blocks anywhere in a chunk in order with events and retries', () => {
    const stream = 'data: a\n\nid: 1\nretry: 5\n\ndata: b\n\n: c\nid: 2\n\nretry: 7\nid: 3\ndata: c\n\nid: 4\n\n';
    expect(record(100, [stream])).toEqual(['message:a#-', 'retry 5', 'id 1', 'message:b#-', 'id 2', 'retry 7', 'message:c#3', 'id 4']);
  });

  it('tells data lines from look-alikes, also when a block spans chunks', () => {
    // "database" and "datum" are unknown fields; a bare "data" is an (empty) data line.
    expect(record(100, ['id: 1\ndatabase: x\n\nid: 2\ndata\n\nid: 3\ndatum\n\ndata: z\n\n'])).toEqual([
      'id 1',
      'message:#2',
      'id 3',
      'message:z#-',
    ]);
    // The open block's data line came in an earlier chunk, or is split by the chunk boundary.
    expect(record(100, ['id: 1\ndata: x\n', 'id: 2\n\ndata: y\n\n'])).toEqual(['message:x#2', 'message:y#-']);
    expect(record(100, ['id: 1\nda', 'ta: x\n\n'])).toEqual(['message:x#1']);
    expect(record(100, ['id: 1\nda', 'tabase: x\n\ndata: y\n\n'])).toEqual(['id 1', 'message:y#-']);
    expect(record(100, ['id: 5\n', '\ndata: a\n\n'])).toEqual(['id 5', 'message:a#-']);
  });

  it('gives the same callbacks however the stream is split into chunks', () => {
    // The size reported for a dropped event is exact only when it arrived within one chunk.
    const run = (chunks: string[]) => record(30, chunks).map((entry) => entry.replace(/^too-large \d+$/, 'too-large'));
    const stream = [
      'retry: 50\r\nid: 1\r\nevent: tick\r\ndata: {"a":1}\r\n\r\n',
      ': note\rid: 2\r\rdata: after-id-only\n\n',
      'data: x\nid: 3\n\nid: 4\u0000\n\nidx: 5\n\ndata: y\n\n',
      `id: 6\ndata: ${'z'.repeat(40)}\n\n`,
      'id\ndata\ndata\n\nid: 7\ndatabase: q\n\nevent: e\ndata: last\n\n',
    ].join('');
    const expected = [
      'retry 50',
      'tick:{"a":1}#1',
      'id 2',
      'message:after-id-only#-',
      'message:x#3',
      'message:y#-',
      'too-large',
      'id 6',
      'message:\n#',
      'id 7',
      'e:last#-',
    ];
    expect(run([stream])).toEqual(expected);
    for (let i = 0; i <= stream.length; i++) {
      expect(run([stream.slice(0, i), stream.slice(i)]), `split at ${i}`).toEqual(expected);
    }
    expect(run([...stream])).toEqual(expected);
  });

  it('keeps a pending CR across a chunk that only held its LF and an empty chunk', () => {
    expect(record(100, ['data: a\r', '\n', '', '\ndata: b\n\n'])).toEqual(['message:a#-', 'message:b#-']);
  });

  it('takes an id-only block\'s id whole, however long, as Chromium does', () => {
    const id = '7'.repeat(50);
    expect(record(10, [`id: ${id}\n\ndata: a\n\n`])).toEqual([`id ${id}`, 'message:a#-']);
  });

  it('measures maxEventBytes in UTF-8 bytes, not characters', () => {
    // 4 characters: 'é' is 2 bytes, '€' 3, '😀' 4 (two UTF-16 code units) -> 1 + 2 + 3 + 4 = 10 bytes.
    const text = 'aé€😀';
    expect(run(10, [`data: ${text}\n\n`])).toEqual([text]);
    expect(run(9, [`data: ${text}\n\n`, 'data: next\n\n'])).toEqual(['TOO-LARGE', 'next']);
    expect(run(30, [`data: ${'€'.repeat(11)}\n\n`])).toEqual(['TOO-LARGE']); // 11 characters, 33 bytes
  });

  it("keeps a dropped event's id, as the browser would have", () => {
    expect(record(10, [`id: 4\ndata: ${'x'.repeat(50)}\n\ndata: after\n\n`])).toEqual(['too-large 50', 'id 4', 'message:after#-']);
    const big = Array.from({ length: 20 }, () => 'y'.repeat(20));
    expect(record(100, ['id: 7\ndata: ', ...big, '\n\n', 'data: b\n\n'])).toEqual(['too-large 101', 'id 7', 'message:b#-']);
  });
});

describe('fetch transport and idleTimeoutMs', () => {
  // docs/reconnection.md, "Silent connections": with fetch any bytes are a sign of life, so a server
  // that sends only `: keep-alive` comments keeps the stream open (a native EventSource shows the
  // page no comments, so there only events count).
  it('comment lines reset the idle timer: the stream stays open past idleTimeoutMs while only comments arrive', async () => {
    vi.useFakeTimers();
    const client = createSseClient({ transport: createFetchTransport(), lingerMs: 0 });
    try {
      const encoder = new TextEncoder();
      let body!: ReadableStreamDefaultController<Uint8Array>;
      const fetchMock = vi.fn(async () =>
        new Response(new ReadableStream<Uint8Array>({ start: (c) => void (body = c) }), { headers: { 'Content-Type': 'text/event-stream' } }),
      );
      vi.stubGlobal('fetch', fetchMock);
      const statuses: string[] = [];
      const stream = defineStream(`${location.origin}/quiet`, { transport: 'fetch', idleTimeoutMs: 1000 });
      client.subscribe(stream, { onStatus: (status) => statuses.push(status) });
      await vi.advanceTimersByTimeAsync(0);
      expect(statuses.at(-1)).toBe('open');
      // Five idle timeouts' worth of time with a comment every 600 ms and no event.
      for (let i = 0; i < 8; i++) {
        await vi.advanceTimersByTimeAsync(600);
        body.enqueue(encoder.encode(': keep-alive\n\n'));
      }
      await vi.advanceTimersByTimeAsync(600);
      expect(statuses.at(-1)).toBe('open');
      expect(fetchMock).toHaveBeenCalledTimes(1);
      // The watch is on: once the comments stop, the stream is presumed dead after idleTimeoutMs.
      await vi.advanceTimersByTimeAsync(400);
      expect(statuses.at(-1)).toBe('reconnecting');
    } finally {
      client.dispose();
      vi.useRealTimers();
    }
  });
});
