import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSseClient, defineStream, type SseClient, type StreamOptions, type StreamSource } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { chunksLoaded, freshUrl, withChunkFailing } from './helpers';
import { MAX_ENTRIES } from '../../src/core/stream/resume-writer';

const PREFIX = 'react-sse-hub:v1';

let mock: MockTransport;
const clients: SseClient[] = [];
/** A client as a fresh page load would make one (the mock is shared, so every request is recorded). */
const newClient = () => {
  const client = createSseClient({ transport: mock, lingerMs: 0, maxConnectionsPerOrigin: 1000 });
  clients.push(client);
  return client;
};

beforeEach(() => {
  vi.useFakeTimers();
  sessionStorage.clear();
  localStorage.clear();
  mock = createMockTransport();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  // Writes still waiting for the chunk or a (fake) frame are done now: none is left for the next test.
  await vi.dynamicImportSettled();
  window.dispatchEvent(new Event('pagehide'));
  vi.useRealTimers();
});


/** The writer's chunk loads, then its once-per-frame write runs. */
async function settle(): Promise<void> {
  await vi.dynamicImportSettled();
  await vi.advanceTimersByTimeAsync(200);
}

/** What the client shows for the stream at `url` (status, error). */
const entryOf = (client: SseClient, url: string) => client.entries().find((e) => e.url === new URL(url, document.baseURI).href)!;

/** Every entry this library wrote to a storage area. */
function entries(storage: Storage): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i)!;
    if (key.startsWith(PREFIX)) out[key] = storage.getItem(key)!;
  }
  return out;
}
/** The id entries alone (not the index). */
const idEntries = (storage: Storage) => Object.fromEntries(Object.entries(entries(storage)).filter(([k]) => k !== PREFIX));

/** Subscribes on a new client, receives events with these ids, and lets the writes happen. */
async function receive(source: StreamSource, ids: string[], url = typeof source === 'string' ? source : source.url): Promise<SseClient> {
  const client = newClient();
  if (typeof source === 'string') client.subscribe(source, {});
  else client.subscribe(source, {});
  await chunksLoaded();
  for (const id of ids) mock.emit(url, 'message', { id }, { id });
  await settle();
  return client;
}

describe("resume: 'session' | 'local'", () => {
  it("'session': a new client's first request resumes from the id the last one stored", async () => {
    const url = freshUrl();
    const stream = defineStream(url, { resume: 'session' });
    const first = await receive(stream, ['1', '2', '3']);
    expect(mock.requests(url)[0]!.lastEventId).toBeUndefined();
    first.dispose();

    const seen: unknown[] = [];
    newClient().subscribe(stream, { onEvent: (e) => seen.push(e.lastEventId) });
    await chunksLoaded();
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('3');
    mock.emit(url, 'message', 4, { id: '4' });
    expect(seen).toEqual(['4']);
    expect(Object.values(idEntries(sessionStorage))).toEqual(['3']);
    expect(idEntries(localStorage)).toEqual({});
  });

  it("'local' keeps the id in localStorage", async () => {
    const url = freshUrl();
    const stream = defineStream(url, { resume: 'local' });
    (await receive(stream, ['a', 'b'])).dispose();
    expect(Object.values(idEntries(localStorage))).toEqual(['b']);
    expect(idEntries(sessionStorage)).toEqual({});
    newClient().subscribe(stream, {});
    await chunksLoaded();
    expect(mock.requests(url)[1]!.lastEventId).toBe('b');
  });

  it("'memory' (the default) writes nothing to either storage area", async () => {
    const url = freshUrl();
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const getItem = vi.spyOn(Storage.prototype, 'getItem');
    (await receive(url, ['1', '2'])).dispose();
    (await receive(defineStream(url, { resume: 'memory' }), ['3'])).dispose();
    newClient().subscribe(url, {});
    await chunksLoaded();
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, undefined, undefined]);
    expect(setItem).not.toHaveBeenCalled();
    expect(getItem).not.toHaveBeenCalled();
    expect(sessionStorage.length + localStorage.length).toBe(0);
  });

  it('a flood of events costs one write of the id per frame, not one per event', async () => {
    const url = freshUrl();
    const stream = defineStream(url, { resume: 'session' });
    const client = newClient();
    client.subscribe(stream, {});
    await chunksLoaded();
    mock.emit(url, 'message', 0, { id: '0' });
    await settle();
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    for (let i = 1; i <= 1000; i++) mock.emit(url, 'message', i, { id: String(i) });
    expect(setItem).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    // The id once; the index not at all: its order did not change.
    expect(setItem).toHaveBeenCalledTimes(1);
    expect(setItem.mock.calls[0]![1]).toBe('1000');
  });

  it('pending ids are written at once when the page goes (pagehide), without waiting for the frame', async () => {
    const url = freshUrl();
    const stream = defineStream(url, { resume: 'session' });
    newClient().subscribe(stream, {});
    await chunksLoaded();
    mock.emit(url, 'message', 1, { id: '1' });
    await settle();
    mock.emit(url, 'message', 2, { id: '2' });
    expect(Object.values(idEntries(sessionStorage))).toEqual(['1']);
    window.dispatchEvent(new Event('pagehide'));
    expect(Object.values(idEntries(sessionStorage))).toEqual(['2']);
  });

  it('stores the id alone, under a key that carries no URL, token or header value', async () => {
    const url = `${freshUrl()}?token=url-secret-123`;
    const stream = defineStream(url, { resume: 'local', headers: { Authorization: 'Bearer header-secret-456' } });
    (await receive(stream, ['42'])).dispose();
    const stored = entries(localStorage);
    const text = JSON.stringify(stored);
    for (const secret of ['url-secret-123', 'header-secret-456', 'Bearer', 'token', '/api/', 'http']) expect(text).not.toContain(secret);
    const ids = idEntries(localStorage);
    expect(Object.values(ids)).toEqual(['42']);
    // The key is the prefix and a short hash; the index lists only such keys.
    const [key] = Object.keys(ids);
    expect(key).toMatch(/^react-sse-hub:v1:[0-9a-z]{1,12}$/);
    expect(stored[PREFIX]).toBe(key);
  });

  it('the storage key differs for two URLs and for two header values', async () => {
    const base = freshUrl();
    const a = defineStream(`${base}?room=a`, { resume: 'session' });
    const b = defineStream(`${base}?room=b`, { resume: 'session' });
    const alice = defineStream(base, { resume: 'session', headers: { Authorization: 'Bearer alice' } });
    const bob = defineStream(base, { resume: 'session', headers: { Authorization: 'Bearer bob' } });
    (await receive(a, ['a1'])).dispose();
    (await receive(b, ['b1'])).dispose();
    (await receive(alice, ['alice1'])).dispose();
    (await receive(bob, ['bob1'])).dispose();
    expect(Object.values(idEntries(sessionStorage)).sort()).toEqual(['a1', 'alice1', 'b1', 'bob1']);

    const client = newClient();
    for (const stream of [a, b, alice, bob]) client.subscribe(stream, {});
    await chunksLoaded();
    expect(mock.requests(`${base}?room=a`).at(-1)!.lastEventId).toBe('a1');
    expect(mock.requests(`${base}?room=b`).at(-1)!.lastEventId).toBe('b1');
    const byHeader = mock.requests(base).slice(-2).map((r) => [r.headers['Authorization'], r.lastEventId]);
    expect(byHeader).toEqual([
      ['Bearer alice', 'alice1'],
      ['Bearer bob', 'bob1'],
    ]);
  });

  it(`keeps at most ${MAX_ENTRIES} streams per storage area, dropping the least recently written`, async () => {
    const urls = Array.from({ length: MAX_ENTRIES + 5 }, () => freshUrl());
    const client = newClient();
    for (const url of urls) client.subscribe(defineStream(url, { resume: 'session' }), {});
    await chunksLoaded();
    for (const [i, url] of urls.entries()) {
      mock.emit(url, 'message', i, { id: `id-${i}` });
      // One frame per stream: the order of writes is the order of the urls.
      await settle();
    }
    // The first stream writes again: it is the most recent now, the second one goes instead.
    mock.emit(urls[0]!, 'message', 'again', { id: 'id-0b' });
    await settle();
    client.dispose();

    expect(Object.keys(idEntries(sessionStorage))).toHaveLength(MAX_ENTRIES);
    expect(sessionStorage.getItem(PREFIX)!.split(' ')).toHaveLength(MAX_ENTRIES);
    const next = newClient();
    for (const url of urls) next.subscribe(defineStream(url, { resume: 'session' }), {});
    await chunksLoaded();
    const resumedFrom = urls.map((url) => mock.requests(url).at(-1)!.lastEventId);
    expect(resumedFrom.slice(0, 7)).toEqual(['id-0b', undefined, undefined, undefined, undefined, undefined, 'id-6']);
    expect(resumedFrom.at(-1)).toBe(`id-${MAX_ENTRIES + 4}`);
  });

  it('a finite stream that finished removes its id: the next page starts fresh', async () => {
    const url = freshUrl();
    const stream = defineStream(url, { resume: 'session', finite: true });
    const client = await receive(stream, ['1', '2']);
    expect(Object.values(idEntries(sessionStorage))).toEqual(['2']);
    mock.end(url);
    expect(entryOf(client, url).status).toBe('closed');
    await settle();
    expect(entries(sessionStorage)).toEqual({ [PREFIX]: '' });
    client.dispose();
    newClient().subscribe(stream, {});
    await chunksLoaded();
    expect(mock.requests(url)[1]!.lastEventId).toBeUndefined();
  });

  it('a stream ended by endOn removes its id too; one that is only closed keeps it', async () => {
    const ended = freshUrl();
    const closed = freshUrl();
    const client = await receive(defineStream(ended, { resume: 'session' }), ['1']);
    await receive(defineStream(closed, { resume: 'session' }), ['9']);
    mock.emit(ended, 'message', '[DONE]');
    client.close(defineStream(closed, { resume: 'session' }));
    await settle();
    expect(Object.values(idEntries(sessionStorage))).toEqual(['9']);
  });

  it("a 'session' stream has its own connection beside the same URL in 'memory': only it starts from the stored id", async () => {
    const url = freshUrl();
    (await receive(defineStream(url, { resume: 'session' }), ['5'])).dispose();
    const client = newClient();
    client.subscribe(url, {});
    await chunksLoaded();
    client.subscribe(defineStream(url, { resume: 'session' }), {});
    await chunksLoaded();
    expect(mock.requests(url).slice(1).map((r) => r.lastEventId)).toEqual([undefined, '5']);
  });

  it('the first request waits for the resume chunk, which reads the stored id', async () => {
    const url = freshUrl();
    const stream = defineStream(url, { resume: 'session' });
    (await receive(stream, ['7'])).dispose();
    const client = newClient();
    client.subscribe(stream, {});
    expect(mock.requests(url)).toHaveLength(1);
    expect(entryOf(client, url)).toMatchObject({ status: 'connecting', owner: 'this-tab' });
    await chunksLoaded();
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '7']);
  });

  it('a resume chunk that fails to load leaves the id in memory: the stream connects, and resumes after a drop', async () => {
    await withChunkFailing('../../src/core/stream/resume-store', async (lib) => {
      const isolated = lib.createSseClient({ transport: mock, lingerMs: 0 });
      const url = freshUrl();
      isolated.subscribe(lib.defineStream(url, { resume: 'session' }), { onError: () => {} });
      await chunksLoaded();
      mock.emit(url, 'message', 1, { id: '1' });
      mock.fail(url);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '1']);
      expect(entries(sessionStorage)).toEqual({});
      isolated.dispose();
    });
  });


  describe('storage that throws falls back to memory, silently', () => {
    const quiet = () => ({ error: vi.spyOn(console, 'error'), warn: vi.spyOn(console, 'warn') });

    /** The stream still delivers, and a reconnect still resumes from the id kept in memory. */
    async function expectWorksFromMemory(options: StreamOptions): Promise<void> {
      const url = freshUrl();
      const stream = defineStream(url, options);
      const seen: unknown[] = [];
      const client = newClient();
      // onError reads the network loss below, so the only warning could come from the storage.
      client.subscribe(stream, { onEvent: (e) => seen.push(e.data), onError: () => {} });
      await chunksLoaded();
      for (let i = 1; i <= 3; i++) mock.emit(url, 'message', i, { id: String(i) });
      await settle();
      window.dispatchEvent(new Event('pagehide'));
      expect(seen).toEqual([1, 2, 3]);
      mock.fail(url);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(mock.requests(url)).toHaveLength(2);
      expect(mock.requests(url)[1]!.lastEventId).toBe('3');
      mock.open(url);
      expect(entryOf(client, url)).toMatchObject({ status: 'open', error: undefined });
    }

    it('getItem throws (storage disabled, a SecurityError)', async () => {
      const { error, warn } = quiet();
      vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      });
      const setItem = vi.spyOn(Storage.prototype, 'setItem');
      await expectWorksFromMemory({ resume: 'session' });
      expect(setItem).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
    });

    it('setItem throws (quota exceeded)', async () => {
      const { error, warn } = quiet();
      const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
        throw new DOMException('Quota exceeded', 'QuotaExceededError');
      });
      await expectWorksFromMemory({ resume: 'local' });
      expect(setItem).toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
    });

    it('no storage at all (Node, a worker)', async () => {
      vi.stubGlobal('sessionStorage', undefined);
      const { error, warn } = quiet();
      await expectWorksFromMemory({ resume: 'session' });
      expect(error).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
    });

    it('reading the storage property itself throws (cookies blocked)', async () => {
      vi.stubGlobal('localStorage', undefined);
      Object.defineProperty(globalThis, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        },
      });
      await expectWorksFromMemory({ resume: 'local' });
    });
  });
});
