/**
 * `npm run build-storybook` makes a static showroom with no demo SSE server behind it: every live
 * story must say so (and how to run it live) instead of spinning forever, with no errors.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchEngine, waitUntil, type TestBrowser } from './support/harness';
import { buildStorybook, type StorybookBuild } from './support/storybook.mjs';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

const root = fileURLToPath(new URL('../..', import.meta.url));

let out: string;
/** This file's own build (removed in afterAll): run alone, not under run-engines.mjs. */
let build: StorybookBuild | undefined;
let server: Server;
let origin: string;
let browser: TestBrowser;

beforeAll(async () => {
  // `npm run test:browser` (run-engines.mjs) builds once for every engine and passes the directory.
  if (process.env.STORYBOOK_STATIC_DIR) {
    out = process.env.STORYBOOK_STATIC_DIR;
  } else {
    build = await buildStorybook({ root });
    out = build.dir;
  }
  // A plain static file server: what hosting the build anywhere looks like (no /sse/demo/ routes).
  server = createServer((req, res) => {
    const path = normalize(join(out, new URL(req.url ?? '/', 'http://x').pathname));
    let file = path.startsWith(out) ? path : join(out, 'index.html');
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found'); // the missing demo endpoints, among others
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launchEngine();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  build?.stop();
});

describe('static Storybook build', () => {
  it('shows a clear "needs the demo SSE server" notice in every live story, without errors', async () => {
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { entries: Record<string, { id: string; type: string; tags?: string[] }> };
    const live = Object.values(index.entries).filter((e) => e.type === 'story' && e.tags?.includes('live'));
    expect(live.length).toBeGreaterThan(5);
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    for (const story of live) {
      await page.goto(`${origin}/iframe.html?id=${story.id}&viewMode=story`);
      await waitUntil(() => page.count('[data-demo-server="missing"]'), `the notice in ${story.id}`);
      expect(await page.text('[data-demo-server="missing"]')).toMatch(/npm run storybook/);
      errors.push(...(await page.problems()).filter((p) => p.startsWith('uncaught:')));
      await page.clearProblems();
    }
    expect(errors).toEqual([]);
  });
});
