/**
 * The integration recipes of docs/recipes.md in real Chromium against real servers: a TanStack
 * Query streamedQuery sharing a client with components, and an AI SDK v7 UI message stream folded
 * with useEventReducer. Evidence is what the servers counted, not what the page claims.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createUIMessageStream, createUIMessageStreamResponse } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRecipeSpec, QueryRecipeSpec, RecipeRecord } from './page/recipes';
import { startHarness, waitUntil, type BrowserHarness, type TestPage } from './support/harness';
import { readBody } from '../server/sse-wire';

let h: BrowserHarness;
let page: TestPage;
let n = 0;
const fresh = (name: string) => `/${name}-${++n}`;
/** Fast, deterministic retries: a wrongly re-sent request would show up at once. */
const FAST = { initialDelayMs: 20, maxDelayMs: 100, minDelayMs: 20, jitter: false };
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

// ---------------------------------------------------------------------------------------------
// An AI SDK route: POST /ai/<name> answers with createUIMessageStreamResponse, piped to Node.

interface AiRequest {
  method: string;
  body: string;
  /** The response was sent to its end (the [DONE] included). */
  completed: boolean;
}
const aiLog = new Map<string, AiRequest[]>();
const aiRequests = (path: string) => aiLog.get(path) ?? [];

/** The assistant's reply to `prompt`, as the text deltas the route writes. */
const replyDeltas = (prompt: string) => ['You ', 'said: ', `“${prompt}”`, '. ', 'Streamed ', 'by ', 'the ', 'AI ', 'SDK ', '✓'];

function aiRoute(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (!url.pathname.startsWith('/ai/')) return false;
  const record: AiRequest = { method: req.method ?? 'GET', body: '', completed: false };
  aiLog.set(url.pathname, [...aiRequests(url.pathname), record]);
  void (async () => {
    record.body = await readBody(req);
    const { prompt } = JSON.parse(record.body || '{}') as { prompt?: string };
    const stream = createUIMessageStream({
      async execute({ writer }) {
        writer.write({ type: 'start' });
        writer.write({ type: 'text-start', id: 'text-1' });
        for (const delta of replyDeltas(prompt ?? '')) {
          writer.write({ type: 'text-delta', id: 'text-1', delta });
          await new Promise((r) => setTimeout(r, 15));
        }
        writer.write({ type: 'text-end', id: 'text-1' });
        writer.write({ type: 'finish' });
      },
    });
    const response = createUIMessageStreamResponse({ stream });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.flushHeaders();
    const reader = response.body!.getReader();
    res.on('close', () => void reader.cancel().catch(() => undefined));
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
    record.completed = true;
    res.end();
  })().catch((error: unknown) => res.destroy(error instanceof Error ? error : new Error(String(error))));
  return true;
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  h = await startHarness({ entries: ['recipes'], routes: aiRoute });
  page = await h.open('recipes');
});
afterAll(() => h?.close());

const live = new Set<number>();
afterEach(async () => {
  for (const id of live) await page.evaluate((i) => window.recipes.dispose(i), id);
  live.clear();
});

const mountQuery = async (spec: QueryRecipeSpec) => {
  const id = await page.evaluate((s) => window.recipes.mountQuery(s), spec);
  live.add(id);
  return id;
};
const mountChat = async (spec: ChatRecipeSpec) => {
  const id = await page.evaluate((s) => window.recipes.mountChat(s), spec);
  live.add(id);
  return id;
};
const records = (id: number) => page.evaluate((i) => window.recipes.records(i), id);
/** Polls the recipe's record until `ready` holds, and returns that record. */
const recordWhen = async (id: number, ready: (r: RecipeRecord) => boolean, what: string): Promise<RecipeRecord> => {
  let last: RecipeRecord | undefined;
  await waitUntil(async () => ready((last = await records(id))), what);
  return last!;
};

describe('recipe: TanStack Query streamedQuery on the same client as the components', () => {
  it('one connection serves the query and a useLatestEvent component; unmounting releases it', async () => {
    const path = `/sse${fresh('ticks')}`;
    const id = await mountQuery({ url: `${path}?type=tick&interval=25` });
    const r = await recordWhen(id, (r) => r.query.ids.length >= 8 && r.latest.ids.length >= 3, 'the query and the component to receive ticks');

    // Every tick in the query, in order, none missing; the component shows ticks from the same stream.
    expect(r.query.ids).toEqual(range(1, r.query.ids.length));
    expect(r.query).toMatchObject({ status: 'success', fetchStatus: 'fetching', error: null });
    expect(r.latest.ids.every((tick) => Number(tick) >= 1)).toBe(true);
    expect(r.text).toMatch(/latest \d+/);
    expect(r.latest.status).toBe('open');

    // What the server saw: one request, one response open, for both consumers (StrictMode included).
    expect(h.server.stats(path)).toMatchObject({ requests: 1, open: 1 });
    const entries = await page.evaluate((i) => window.recipes.entries(i), id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: 'open', subscribers: 2 });

    // Unmounting the tree (client and query cache stay) cancels the query, whose iterator
    // unsubscribes: the connection closes once lingerMs has passed.
    await page.evaluate((i) => window.recipes.unmount(i), id);
    await waitUntil(() => h.server.stats(path).open === 0, 'the server to see the connection close');
    expect(h.server.stats(path).requests).toBe(1);
  });

  it('a dropped connection is resumed under the query: every tick once, in order', async () => {
    const path = `/sse${fresh('resume')}`;
    // Each response is cut after 4 ticks; the client resumes from the last event id.
    const id = await mountQuery({ url: `${path}?type=tick&interval=10&count=12&dropAfter=4`, retry: FAST, latest: false });
    const r = await recordWhen(id, (r) => r.query.ids.length >= 12, 'all twelve ticks in the query');
    expect(r.query).toMatchObject({ status: 'success', fetchStatus: 'fetching', ids: range(1, 12), error: null });
    // Every request after the first resumed after the last tick the client had (the server cuts
    // the socket right after writing a fourth tick, which may or may not have arrived).
    const resumed = h.server.stats(path).log.map((req) => req.resumedFrom);
    expect(resumed.length).toBeGreaterThanOrEqual(3);
    expect(resumed[0]).toBeUndefined();
    const ids = resumed.slice(1).map(Number);
    expect(ids.every((tick, i) => tick >= 1 && tick > (ids[i - 1] ?? 0))).toBe(true);
  });

  it('a finite stream settles the query with every chunk', async () => {
    const path = `/sse${fresh('finite')}`;
    const id = await mountQuery({ url: `${path}?type=tick&count=6&done=1&interval=10`, finite: true });
    const r = await recordWhen(id, (r) => r.query.fetchStatus === 'idle' && r.latest.status === 'closed', 'the query to settle');
    expect(r.query).toMatchObject({ status: 'success', ids: range(1, 6), error: null });
    expect(r.latest.ids[r.latest.ids.length - 1]).toBe('6');
    expect(r.text).toContain('tick 6');
    expect(h.server.stats(path).requests).toBe(1);
  });

  it('a stream closed by a fatal error fails the query with an SseError, the StreamError as its cause', async () => {
    const path = `/sse${fresh('fatal')}`;
    // The fetch transport sees the 401 (a native EventSource cannot, and keeps retrying).
    const id = await mountQuery({ url: `${path}?auth=s3cret`, transport: 'fetch' });
    const r = await recordWhen(id, (r) => r.query.status === 'error', 'the query to fail');
    expect(r.query).toMatchObject({ fetchStatus: 'idle', ids: [], errorCauseKind: 'http' });
    expect(r.query.error).toMatch(/^SseError: .*401/);
    expect(r.latest.status).toBe('closed');
    expect(h.server.stats(path).requests).toBe(1);
  });
});

describe('recipe: AI SDK v7 UI message stream with useEventReducer', () => {
  it('renders the whole reply, closes with no error, and the server saw exactly one POST', async () => {
    const path = fresh('ai/chat');
    const prompt = 'hello, world';
    const id = await mountChat({ url: path, prompt, retry: FAST });
    const expected = replyDeltas(prompt).join('');
    const r = await recordWhen(id, (r) => r.chatStatus === 'closed', 'the completion to finish');
    expect(r.chat).toEqual({ text: expected, deltas: replyDeltas(prompt).length, finished: true, error: undefined });
    expect(r.chatError).toBeUndefined();
    expect(r.text).toContain(expected);
    expect(r.chatStatuses).not.toContain('reconnecting');
    expect(aiRequests(path)).toEqual([{ method: 'POST', body: JSON.stringify({ prompt }), completed: true }]);

    // With retries 20 ms apart, a re-sent POST would come long before a second completion (ten
    // deltas 15 ms apart) has run to its end: that completion is the clock. Still one POST each.
    const later = fresh('ai/chat');
    const second = await mountChat({ url: later, prompt: 'again', retry: FAST });
    await waitUntil(async () => (await records(second)).chatStatus === 'closed', 'the second completion to finish');
    expect(aiRequests(path)).toHaveLength(1);
    expect(aiRequests(later)).toHaveLength(1);
    expect((await records(id)).chatStatus).toBe('closed');
  });
});
