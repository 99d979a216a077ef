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
  'showroom-fetch-transport--llm-completion': async (page) => {
    await waitUntil(async () => (await page.getAttribute('[data-completion]', 'data-completion')) === 'done', 'the whole completion');
  },
  'showroom-typed-events-with-a-schema--typed-events': async (page) => {
    await waitUntil(() => page.locator('[data-testid="validation-error"]').count().then((n) => n > 0), 'a validation error for the bad order');
  },
};

describe('Storybook showroom', () => {
  it('lists the showroom stories and docs pages', () => {
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(Object.keys(checks)));
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
