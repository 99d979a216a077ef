import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchEngine, waitUntil, type TestBrowser, type TestPage } from './support/harness';
import { startStorybookDev, type StorybookDev } from './support/storybook.mjs';

/**
 * The Storybook showroom against its own demo SSE endpoints: every story and docs page renders
 * without a console error or uncaught exception, and every live story shows data that came over
 * a real connection from the Storybook dev server.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

interface IndexEntry {
  id: string;
  type: 'story' | 'docs';
  title: string;
  name: string;
  tags?: string[];
}

/** This file's own dev server, when it is run alone. */
let dev: StorybookDev | undefined;
let origin = '';
let browser: TestBrowser;
let entries: IndexEntry[] = [];

async function fetchJson<T>(path: string): Promise<T | undefined> {
  try {
    const res = await fetch(`${origin}${path}`);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `npm run test:browser` (run-engines.mjs) starts one dev server for every engine and passes its
 * origin; a run of this file alone starts its own.
 */
async function storybookOrigin(): Promise<string> {
  const shared = process.env.STORYBOOK_DEV_ORIGIN;
  if (shared) return shared;
  dev = await startStorybookDev({ root });
  return dev.origin;
}

beforeAll(async () => {
  origin = await storybookOrigin();
  const index = await fetchJson<{ entries: Record<string, IndexEntry> }>('/index.json');
  if (!index) throw new Error(`the Storybook dev server at ${origin} does not serve /index.json`);
  entries = Object.values(index.entries);
  browser = await launchEngine();
  // Beyond startStorybookDev's own 90 s deadline, so its error (with Storybook's output) is the one reported.
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

/**
 * One preview iframe for every entry: the first is opened by URL, the others the way the
 * Storybook manager switches stories (SET_CURRENT_STORY on the preview's channel), so the ~300
 * dev-server modules load once instead of once per story. Each story still mounts from scratch.
 */
async function openPreview(): Promise<{ page: TestPage; show(entry: IndexEntry): Promise<void>; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let loaded = false;
  return {
    page,
    async show(entry) {
      const viewMode = entry.type === 'docs' ? 'docs' : 'story';
      if (!loaded) {
        loaded = true;
        await page.goto(`${origin}/iframe.html?id=${entry.id}&viewMode=${viewMode}`);
        return;
      }
      await page.evaluate(
        ({ storyId, viewMode }) =>
          new Promise<void>((resolve, reject) => {
            const channel = (window as unknown as { __STORYBOOK_ADDONS_CHANNEL__?: StorybookChannel }).__STORYBOOK_ADDONS_CHANNEL__;
            if (!channel) return reject(new Error('no Storybook channel in the preview'));
            const rendered = (id: unknown) => {
              if (id !== storyId) return;
              channel.off('storyRendered', rendered);
              channel.off('docsRendered', rendered);
              resolve();
            };
            channel.on('storyRendered', rendered);
            channel.on('docsRendered', rendered);
            channel.emit('setCurrentStory', { storyId, viewMode });
          }),
        { storyId: entry.id, viewMode },
      );
    },
    close: () => context.close(),
  };
}

/** Uncaught exceptions and console errors (Storybook's own warnings are not the stories'). */
const errorsIn = async (page: TestPage) => (await page.problems()).filter((p) => !p.startsWith('console.warning'));

interface StorybookChannel {
  on(event: string, listener: (arg: unknown) => void): void;
  off(event: string, listener: (arg: unknown) => void): void;
  emit(event: string, payload: unknown): void;
}

/** Extra, story-specific evidence that the story does what it says (beyond "data arrived"). */
const checks: Record<string, (page: TestPage) => Promise<unknown>> = {
  'showroom-connection-sharing--connection-sharing': async (page) => {
    // 12 widgets and 3 counters over exactly two connections.
    await waitUntil(async () => (await page.text('[data-testid="connection-count"]')) === '2', 'two shared connections');
    await waitUntil(async () => (await page.count('[data-sse-devtools] li[data-status="open"]')) === 2, 'both open in devtools');
  },
  'showroom-connection-budget--connection-budget': async (page) => {
    await waitUntil(async () => (await page.count('[data-sse-devtools] [data-queue]')) === 1, 'the per-origin queue in devtools');
    expect(await page.count('[data-stream-card] [data-status="queued"]')).toBeGreaterThan(0);
  },
  'showroom-typed-events-with-a-schema--typed-events': async (page) => {
    await waitUntil(async () => (await page.count('[data-testid="validation-error"]')) > 0, 'a validation error for the bad order');
  },
};

describe('Storybook showroom', () => {
  it('lists the showroom stories and docs pages', () => {
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([...Object.keys(checks), ...Object.values(LIFECYCLE)]));
    expect(entries.filter((e) => e.type === 'docs').length).toBeGreaterThanOrEqual(2);
    expect(entries.filter((e) => e.tags?.includes('live')).length).toBeGreaterThanOrEqual(8);
  });

  it('renders every story and docs page without errors; live stories show streamed data', async () => {
    const preview = await openPreview();
    const { page } = preview;
    try {
      for (const entry of entries) {
        const started = Date.now();
        await page.clearProblems();
        await preview.show(entry);
        // Every page of the showroom has a heading: docs pages their own, stories the Showcase title.
        const heading = entry.type === 'docs' ? '#storybook-docs h1' : '#storybook-root h1';
        await waitUntil(() => page.count(heading), `${entry.id} to render its heading`);
        if (entry.tags?.includes('live')) {
          await waitUntil(
            async () => {
              const states = await page.attrs('[data-live-ready]', 'data-live-ready');
              return states.length > 0 && states.every((s) => s === 'true');
            },
            `${entry.id} to show data from the demo server`,
          );
          expect(await page.count('[data-demo-server="missing"]')).toBe(0);
        }
        await checks[entry.id]?.(page);
        const problems = await errorsIn(page);
        expect(problems, `${entry.id}:\n${problems.join('\n')}`).toEqual([]);
        if (process.env.DEBUG_STORIES) console.log(entry.id, Date.now() - started, 'ms');
      }
    } finally {
      await preview.close();
    }
  }, 120_000);
});

/** The stories that show the 0.2 lifecycle (finite, endOn, idleTimeoutMs, retry.minDelayMs). */
const LIFECYCLE = { completion: 'showroom-fetch-transport--llm-completion', silent: 'showroom-idle-timeout--silent-stream', playground: 'showroom-reconnect-failures--playground' };

/** One test per behaviour, so a missing one is named by the test that fails. Two tests in a row
 * never show the same story (the preview would not re-render it). */
describe('Storybook showroom: the 0.2 lifecycle, as the stories show it', () => {
  let preview: Awaited<ReturnType<typeof openPreview>>;
  beforeAll(async () => {
    preview = await openPreview();
  });
  afterAll(() => preview?.close());

  /** waitUntil, but a reload of the preview (Vite's, when a source file is saved during the run) fails it at once, saying so. */
  function waitInStory<T>(check: () => T | Promise<T>, what: string, timeoutMs?: number): Promise<T> {
    const checkNoReload = async () => {
      if (await preview.page.documentChanged()) throw new Error(`the preview reloaded (Vite: a source file changed) while waiting for ${what}; run the test again`);
      return check();
    };
    return waitUntil(checkNoReload, what, timeoutMs);
  }
  const sleepInStory = (ms: number, what: string) => {
    const until = Date.now() + ms;
    return waitInStory(() => Date.now() >= until, what, ms + 1000);
  };
  const liveData = (page: TestPage) => page.count('#storybook-root [data-live-ready="true"]');

  async function show(id: string): Promise<TestPage> {
    await preview.page.clearProblems();
    await preview.show(entries.find((e) => e.id === id)!);
    await waitUntil(() => liveData(preview.page), `${id} to show streamed data`);
    return preview.page;
  }

  /** Remounts the story's stream on another transport (its transport buttons) and waits for its data. */
  async function switchTransport(page: TestPage, transport: string): Promise<void> {
    await page.clickButton(transport);
    await waitInStory(async () => (await page.text('button[aria-pressed="true"]')) === transport && (await liveData(page)) > 0, `the ${transport} stream`);
  }

  it('LLM completion: a finite POST stream shows the answer once, closes without an error and is POSTed exactly once', async () => {
    const page = await show(LIFECYCLE.completion);
    await waitInStory(async () => (await page.attr('[data-completion]', 'data-completion')) === 'done', 'status closed with no error');
    const answer = await page.text('[data-completion]');
    expect(answer.split('Explain server-sent events').length - 1, answer).toBe(1);
    expect(answer).toMatch(/never requested again\.$/);
    expect(await page.count('#storybook-root .sr-error')).toBe(0);
    // Longer than retry.minDelayMs: a POST re-sent after the end would have arrived by now.
    await sleepInStory(2000, 'a POST re-sent after the end');
    const session = await page.attr('[data-completion]', 'data-session');
    const stats = await fetchJson<{ requests: Record<string, number> }>(`/sse/demo/stats?session=${session}`);
    expect(stats?.requests).toEqual({ 'POST completion': 1 });
    await waitInStory(async () => (await page.text('[data-testid="post-count"]')) === '1', 'the story to show "POST requests: 1"');
    expect(await page.attr('[data-completion]', 'data-completion')).toBe('done');
    expect(await errorsIn(preview.page)).toEqual([]);
  }, 30_000);

  it('Playground "Go silent": the idle timeout reports a network loss and the stream resumes (both transports)', async () => {
    const page = await show(LIFECYCLE.playground);
    for (const transport of ['eventsource', 'fetch']) {
      if (transport !== 'eventsource') await switchTransport(page, transport);
      const before = Number(await page.text('[data-testid="last-event-id"]'));
      await page.clickButton(/^Go silent/);
      await waitInStory(() => page.count('.sr-list li[data-error^="network"]'), `${transport}: a network error after idleTimeoutMs (4 s)`);
      await waitInStory(async () => Number(await page.text('[data-testid="last-event-id"]')) > before + 1, `${transport}: events after the silence`);
    }
    expect(await errorsIn(preview.page)).toEqual([]);
  }, 60_000);

  it('Silent stream: idleTimeoutMs detects a silent open connection and resumes with nothing lost or repeated (both transports)', async () => {
    const page = await show(LIFECYCLE.silent);
    for (const transport of ['fetch', 'eventsource']) {
      if (transport !== 'fetch') await switchTransport(page, transport);
      await waitInStory(() => page.count('[data-silence="resumed"]'), `${transport}: silence detected, then events again`, 20_000);
      expect(await page.attr('[data-testid="detection"]', 'data-kind')).toBe('network');
      await waitInStory(() => page.count('[data-testid="ids-verdict"][data-ok="true"]'), `${transport}: consecutive ids`);
      expect(await page.text('[data-testid="resume-mark"]')).toContain('resumed after 5');
      const resumed = '2 connects · 1 open · latest resumed after id 5';
      await waitInStory(async () => (await page.text('[data-testid="server-state"]')).includes(resumed), `${transport}: the server saw one resume, after id 5`);
    }
    expect(await errorsIn(preview.page)).toEqual([]);
  }, 60_000);

  it('Playground "Send retry: 0": reconnects stay at least retry.minDelayMs (500 ms) apart (both transports)', async () => {
    const page = await show(LIFECYCLE.playground);
    for (const transport of ['eventsource', 'fetch']) {
      if (transport !== 'eventsource') await switchTransport(page, transport);
      await page.clickButton(/^Send retry: 0/);
      try {
        await sleepInStory(4000, `${transport}: 4 s of retry: 0`);
        const rate = '[data-testid="request-rate"]';
        const [minGap, perSecond, shown] = [Number(await page.attr(rate, 'data-min-gap')), Number(await page.attr(rate, 'data-rate')), `${transport}: ${await page.text(rate)}`];
        // The bounds come from the story's options: retry.minDelayMs 500 (stories/Reconnect.stories.tsx)
        // and a rate counted over the demo server's last 5 s (.storybook/demo-endpoints.ts).
        const minDelayMs = 500;
        const windowMs = 5000;
        // Between two arrivals at the server: under minDelayMs only by how much longer one request
        // took to get there than the next (100 ms of margin for the dev server's own work).
        expect(minGap, shown).toBeGreaterThanOrEqual(minDelayMs - 100);
        // At most one request per minDelayMs in the window, plus one at each edge of it.
        expect(perSecond, shown).toBeLessThanOrEqual((windowMs / minDelayMs + 2) / (windowMs / 1000));
        // It does reconnect: more than the one request of a stream that stays open.
        expect(perSecond, `${shown} (still reconnecting?)`).toBeGreaterThan(0.5);
        expect(await page.count('.sr-card [data-status="closed"]')).toBe(0);
      } finally {
        await page.clickButton(/^Reset/);
      }
    }
    expect(await errorsIn(preview.page)).toEqual([]);
  }, 60_000);
});
