import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, waitUntil } from './support/harness';

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

let storybook: ChildProcess | undefined;
let output = '';
let origin = '';
let browser: Browser;
let entries: IndexEntry[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function fetchJson<T>(path: string): Promise<T | undefined> {
  try {
    const res = await fetch(`${origin}${path}`);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // Its own process group, so afterAll can end Storybook and the Vite server it starts.
  storybook = spawn('npx', ['storybook', 'dev', '-p', String(port), '--host', '127.0.0.1', '--ci', '--no-open', '--quiet'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', BROWSER: 'none' },
  });
  storybook.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  storybook.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const index = await waitUntil(
    async () => {
      if (storybook?.exitCode !== null) throw new Error(`storybook dev exited early:\n${output}`);
      return fetchJson<{ entries: Record<string, IndexEntry> }>('/index.json');
    },
    'the Storybook dev server to serve /index.json',
    45_000,
  );
  entries = Object.values(index!.entries);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (storybook?.pid !== undefined && storybook.exitCode === null) {
    const exited = new Promise((resolve) => storybook!.once('exit', resolve));
    process.kill(-storybook.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (storybook.exitCode === null) process.kill(-storybook.pid, 'SIGKILL');
  }
});

/**
 * One preview iframe for every entry: the first is opened by URL, the others the way the
 * Storybook manager switches stories (SET_CURRENT_STORY on the preview's channel), so the ~300
 * dev-server modules load once instead of once per story. Each story still mounts from scratch.
 */
async function openPreview(): Promise<{ page: Page; problems: string[]; show(entry: IndexEntry): Promise<void>; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${String(error)}`));
  let loaded = false;
  return {
    page,
    problems,
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

interface StorybookChannel {
  on(event: string, listener: (arg: unknown) => void): void;
  off(event: string, listener: (arg: unknown) => void): void;
  emit(event: string, payload: unknown): void;
}

/** Extra, story-specific evidence that the story does what it says (beyond "data arrived"). */
const checks: Record<string, (page: Page) => Promise<unknown>> = {
  'showroom-connection-sharing--connection-sharing': async (page) => {
    // 12 widgets and 3 counters over exactly two connections.
    await waitUntil(async () => (await page.textContent('[data-testid="connection-count"]')) === '2', 'two shared connections');
    await waitUntil(() => page.locator('[data-sse-devtools] li[data-status="open"]').count().then((n) => n === 2), 'both open in devtools');
  },
  'showroom-connection-budget--connection-budget': async (page) => {
    await waitUntil(() => page.locator('[data-sse-devtools] [data-queue]').count().then((n) => n === 1), 'the per-origin queue in devtools');
    expect(await page.locator('[data-stream-card] [data-status="queued"]').count()).toBeGreaterThan(0);
  },
  'showroom-typed-events-with-a-schema--typed-events': async (page) => {
    await waitUntil(() => page.locator('[data-testid="validation-error"]').count().then((n) => n > 0), 'a validation error for the bad order');
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
    const { page, problems } = preview;
    try {
      for (const entry of entries) {
        const started = Date.now();
        problems.length = 0;
        await preview.show(entry);
        // Every page of the showroom has a heading: docs pages their own, stories the Showcase title.
        const heading = entry.type === 'docs' ? '#storybook-docs h1' : '#storybook-root h1';
        await waitUntil(() => page.locator(heading).count(), `${entry.id} to render its heading`);
        if (entry.tags?.includes('live')) {
          await waitUntil(
            async () => {
              const states = await page.locator('[data-live-ready]').evaluateAll((els) => els.map((el) => el.getAttribute('data-live-ready')));
              return states.length > 0 && states.every((s) => s === 'true');
            },
            `${entry.id} to show data from the demo server`,
          );
          expect(await page.locator('[data-demo-server="missing"]').count()).toBe(0);
        }
        await checks[entry.id]?.(page);
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

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim() ?? '';

/** One test per behaviour, so a missing one is named by the test that fails. Two tests in a row
 * never show the same story (the preview would not re-render it). */
describe('Storybook showroom: the 0.2 lifecycle, as the stories show it', () => {
  let preview: Awaited<ReturnType<typeof openPreview>>;
  let reloads = 0;
  beforeAll(async () => {
    preview = await openPreview();
    // A source file saved during the run makes Vite reload the preview: the story starts over.
    preview.page.on('framenavigated', (frame) => frame === preview.page.mainFrame() && reloads++);
  });
  afterAll(() => preview?.close());

  /** waitUntil, but a reload of the preview fails it at once, saying so. */
  function waitInStory<T>(check: () => T | Promise<T>, what: string, timeoutMs?: number): Promise<T> {
    const before = reloads;
    const checkNoReload = () => {
      if (reloads !== before) throw new Error(`the preview reloaded (Vite: a source file changed) while waiting for ${what}; run the test again`);
      return check();
    };
    return waitUntil(checkNoReload, what, timeoutMs);
  }
  const sleepInStory = (ms: number, what: string) => {
    const until = Date.now() + ms;
    return waitInStory(() => Date.now() >= until, what, ms + 1000);
  };
  const liveData = (page: Page) => page.locator('#storybook-root [data-live-ready="true"]').count();

  async function show(id: string): Promise<Page> {
    preview.problems.length = 0;
    await preview.show(entries.find((e) => e.id === id)!);
    await waitUntil(() => liveData(preview.page), `${id} to show streamed data`);
    return preview.page;
  }

  /** Remounts the story's stream on another transport (its transport buttons) and waits for its data. */
  async function switchTransport(page: Page, transport: string): Promise<void> {
    await page.getByRole('button', { name: transport, exact: true }).click();
    await waitInStory(async () => (await text(page, 'button[aria-pressed="true"]')) === transport && (await liveData(page)) > 0, `the ${transport} stream`);
  }

  it('LLM completion: a finite POST stream shows the answer once, closes without an error and is POSTed exactly once', async () => {
    const page = await show(LIFECYCLE.completion);
    await waitInStory(async () => (await page.getAttribute('[data-completion]', 'data-completion')) === 'done', 'status closed with no error');
    const answer = await text(page, '[data-completion]');
    expect(answer.split('Explain server-sent events').length - 1, answer).toBe(1);
    expect(answer).toMatch(/never requested again\.$/);
    expect(await page.locator('#storybook-root .sr-error').count()).toBe(0);
    // Longer than retry.minDelayMs: a POST re-sent after the end would have arrived by now.
    await sleepInStory(2000, 'a POST re-sent after the end');
    const session = await page.getAttribute('[data-completion]', 'data-session');
    const stats = await fetchJson<{ requests: Record<string, number> }>(`/sse/demo/stats?session=${session}`);
    expect(stats?.requests).toEqual({ 'POST completion': 1 });
    await waitInStory(async () => (await text(page, '[data-testid="post-count"]')) === '1', 'the story to show "POST requests: 1"');
    expect(await page.getAttribute('[data-completion]', 'data-completion')).toBe('done');
    expect(preview.problems).toEqual([]);
  }, 30_000);

  it('Playground "Go silent": the idle timeout reports a network loss and the stream resumes (both transports)', async () => {
    const page = await show(LIFECYCLE.playground);
    for (const transport of ['eventsource', 'fetch']) {
      if (transport !== 'eventsource') await switchTransport(page, transport);
      const before = Number(await text(page, '[data-testid="last-event-id"]'));
      await page.getByRole('button', { name: /^Go silent/ }).click();
      await waitInStory(() => page.locator('.sr-list li[data-error^="network"]').count(), `${transport}: a network error after idleTimeoutMs (4 s)`);
      await waitInStory(async () => Number(await text(page, '[data-testid="last-event-id"]')) > before + 1, `${transport}: events after the silence`);
    }
    expect(preview.problems).toEqual([]);
  }, 60_000);

  it('Silent stream: idleTimeoutMs detects a silent open connection and resumes with nothing lost or repeated (both transports)', async () => {
    const page = await show(LIFECYCLE.silent);
    for (const transport of ['fetch', 'eventsource']) {
      if (transport !== 'fetch') await switchTransport(page, transport);
      await waitInStory(() => page.locator('[data-silence="resumed"]').count(), `${transport}: silence detected, then events again`, 20_000);
      expect(await page.getAttribute('[data-testid="detection"]', 'data-kind')).toBe('network');
      await waitInStory(() => page.locator('[data-testid="ids-verdict"][data-ok="true"]').count(), `${transport}: consecutive ids`);
      expect(await text(page, '[data-testid="resume-mark"]')).toContain('resumed after 5');
      const resumed = '2 connects · 1 open · latest resumed after id 5';
      await waitInStory(async () => (await text(page, '[data-testid="server-state"]')).includes(resumed), `${transport}: the server saw one resume, after id 5`);
    }
    expect(preview.problems).toEqual([]);
  }, 60_000);

  it('Playground "Send retry: 0": reconnects stay at least retry.minDelayMs (500 ms) apart (both transports)', async () => {
    const page = await show(LIFECYCLE.playground);
    for (const transport of ['eventsource', 'fetch']) {
      if (transport !== 'eventsource') await switchTransport(page, transport);
      await page.getByRole('button', { name: /^Send retry: 0/ }).click();
      try {
        await sleepInStory(4000, `${transport}: 4 s of retry: 0`);
        const rate = page.locator('[data-testid="request-rate"]');
        const [minGap, perSecond, shown] = [Number(await rate.getAttribute('data-min-gap')), Number(await rate.getAttribute('data-rate')), `${transport}: ${await rate.textContent()}`];
        // Server-side, between two arrivals: a little under 500 ms when one request took longer than the next.
        expect(minGap, shown).toBeGreaterThanOrEqual(400);
        expect(perSecond, shown).toBeLessThanOrEqual(2.4);
        expect(perSecond, `${shown} (still reconnecting?)`).toBeGreaterThan(0.5);
        expect(await page.locator('.sr-card [data-status="closed"]').count()).toBe(0);
      } finally {
        await page.getByRole('button', { name: /^Reset/ }).click();
      }
    }
    expect(preview.problems).toEqual([]);
  }, 60_000);
});
