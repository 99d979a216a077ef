/**
 * The fetch transport across origins in real Chromium (issue 13): the page is on the harness
 * server's origin, the streams on other counting servers (another port is another origin). What
 * those servers saw — methods, query parameters, headers — is the evidence.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSseTestServer, type SseTestServer } from '../server/sse-server';
import { hubDriver, startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';

let h: BrowserHarness;
let page: TestPage;
/** Sends only Access-Control-Allow-Origin: any request that needs a preflight fails. */
let allowOrigin: SseTestServer;
/** Also answers preflights, allowing the Last-Event-ID header. */
let allowHeader: SseTestServer;
/** No CORS headers at all. */
let noCors: SseTestServer;
let n = 0;
const fresh = (name: string) => `/sse/cors-${name}-${++n}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const FAST = { initialDelayMs: 20, maxDelayMs: 200, jitter: false, minDelayMs: 20 };

beforeAll(async () => {
  h = await startHarness();
  page = await h.open();
  allowOrigin = await startSseTestServer({ cors: { allowOrigin: h.server.origin } });
  allowHeader = await startSseTestServer({ cors: { allowOrigin: h.server.origin, allowHeaders: 'last-event-id' } });
  noCors = await startSseTestServer();
});
afterAll(async () => {
  await h?.close();
  await Promise.all([allowOrigin?.close(), allowHeader?.close(), noCors?.close()]);
});

const { mount, records, cleanup } = hubDriver(() => page);
const record = async (id: number) => (await records(id))[0]![0]!;
afterEach(cleanup);

describe('a cross-origin fetch stream whose server sends only Access-Control-Allow-Origin', () => {
  it('gets its events with no preflight (no OPTIONS request)', async () => {
    const path = fresh('plain');
    const id = await mount({ streams: [{ url: `${allowOrigin.origin}${path}?count=5`, options: { transport: 'fetch', retry: FAST } }] });
    await waitUntil(async () => (await record(id)).ids.length === 5, 'five events');
    const r = await record(id);
    expect(r.ids).toEqual(range(1, 5));
    expect(r.errors).toEqual([]);
    expect((await page.evaluate((i) => window.hub.pool(i), id))[0]!.transport).toBe('fetch');
    const { log } = allowOrigin.stats(path);
    expect(log.map((req) => req.method)).toEqual(['GET']);
    expect(log[0]!.headers.accept).toBe('text/event-stream');
  });

  it('resumes after a drop with the id in the query parameter: no OPTIONS, no Last-Event-ID header, every event exactly once', async () => {
    const path = fresh('resume');
    const id = await mount({ streams: [{ url: `${allowOrigin.origin}${path}?count=60&dropAfter=20&interval=5`, options: { transport: 'fetch', retry: FAST } }] });
    await waitUntil(async () => (await record(id)).ids.length >= 60, 'all 60 events', 30_000);
    expect((await record(id)).ids).toEqual(range(1, 60));
    const { log } = allowOrigin.stats(path);
    expect(log.length).toBeGreaterThanOrEqual(3);
    expect(log.every((req) => req.method === 'GET' && req.headers['last-event-id'] === undefined)).toBe(true);
    expect(log[0]!.query.lastEventId).toBeUndefined();
    // The server resumes from what it was told; the ids above prove each resume point was exact.
    const resumedFrom = log.slice(1).map((req) => Number(req.query.lastEventId));
    expect(resumedFrom.every((from, i) => from > (resumedFrom[i - 1] ?? 0))).toBe(true);
    expect(log.slice(1).every((req) => req.resumedFrom === req.query.lastEventId)).toBe(true);
  });
});

describe('opting into the Last-Event-ID header cross-origin (lastEventIdParam: false)', () => {
  it('resumes with the header after a preflight the server allows, and no query parameter', async () => {
    const path = fresh('header');
    const id = await mount({
      streams: [{ url: `${allowHeader.origin}${path}?count=45&dropAfter=15&interval=5`, options: { transport: 'fetch', lastEventIdParam: false, retry: FAST } }],
    });
    await waitUntil(async () => (await record(id)).ids.length >= 45, 'all 45 events', 30_000);
    expect((await record(id)).ids).toEqual(range(1, 45));
    const { log } = allowHeader.stats(path);
    const gets = log.filter((req) => req.method === 'GET');
    expect(gets.length).toBeGreaterThanOrEqual(3);
    expect(gets.every((req) => req.query.lastEventId === undefined)).toBe(true);
    expect(gets[0]!.headers['last-event-id']).toBeUndefined();
    expect(gets.slice(1).every((req) => req.headers['last-event-id'] !== undefined && req.resumedFrom === req.headers['last-event-id'])).toBe(true);
    // The header is not safelisted: the browser asked first.
    expect(log.some((req) => req.method === 'OPTIONS')).toBe(true);
  });
});

describe('a cross-origin request refused by CORS', () => {
  it('is reported as a network error whose message names CORS and what the server must send, and retried', async () => {
    const path = fresh('refused');
    const id = await mount({ streams: [{ url: `${noCors.origin}${path}?count=5`, options: { transport: 'fetch', retry: FAST } }] });
    await waitUntil(async () => (await record(id)).error?.message.includes('CORS'), 'an error that names CORS');
    const r = await record(id);
    expect(r.error).toMatchObject({ kind: 'network' });
    expect(r.error!.message).toContain(`Access-Control-Allow-Origin: ${h.server.origin}`);
    expect(r.ids).toEqual([]);
    // The request did reach the server (the browser withheld the answer), and it is retried.
    await waitUntil(() => noCors.stats(path).log.filter((req) => req.method === 'GET').length >= 2, 'a retry');
    expect((await record(id)).status).not.toBe('closed');
  });

  it('a cross-origin server that cannot be reached keeps the ordinary network message', async () => {
    const gone = await startSseTestServer();
    await gone.close();
    const url = `${gone.origin}${fresh('gone')}`;
    const id = await mount({ streams: [{ url, options: { transport: 'fetch', retry: FAST } }] });
    await waitUntil(async () => (await record(id)).error, 'an error');
    const r = await record(id);
    expect(r.error).toMatchObject({ kind: 'network' });
    expect(r.error!.message).toMatch(/^Could not reach /);
    expect(r.error!.message).not.toContain('CORS');
  });
});
