import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { MountSpec } from '../page/app';
import { currentEngine, launchEngine, type EngineName, type TestBrowser, type TestContext, type TestPage } from './engines.mjs';
import { collectProblems } from './test-page.mjs';
import { startSseTestServer, type SseTestServer, type SseTestServerOptions } from '../../server/sse-server';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const outdir = fileURLToPath(new URL('../.build', import.meta.url));

export { currentEngine, launchEngine, type EngineName, type TestBrowser, type TestContext, type TestPage };

/** The engine this file runs in (the vitest project sets it): for the rare engine-specific assertion. */
export const ENGINE: EngineName = currentEngine();

/**
 * Bundles test/browser/page/<entry>.tsx (React development build, so StrictMode double-mounts as
 * in an app under development) with react-sse-hub resolved to src/. Split into chunks as an app's
 * bundler would: the fetch transport and cross-tab code are separate files the page loads with
 * import() the first time a stream needs them. Returns every output file by its URL path.
 */
export async function bundlePages(entries: string[]): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: entries.map((entry) => fileURLToPath(new URL(`../page/${entry}.tsx`, import.meta.url))),
    bundle: true,
    splitting: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    // Linked, not inline: engines fetch a map only for devtools, and every tab loads the bundle anew (4 MB inline).
    sourcemap: 'linked',
    define: { 'process.env.NODE_ENV': '"development"' },
    tsconfig: `${root}/tsconfig.json`,
    jsx: 'automatic',
    logLevel: 'silent',
    outdir,
  });
  return new Map(result.outputFiles.map((file) => [`/${file.path.slice(outdir.length + 1)}`, file.text]));
}

export interface BrowserHarness {
  server: SseTestServer;
  browser: TestBrowser;
  context: TestContext;
  /** A new tab on the test server's origin with window.hub (or window[ready]) ready. */
  open(entry?: string, ready?: string): Promise<TestPage>;
  /** Uncaught exceptions seen on any page so far, closed ones included. */
  pageErrors(): Promise<string[]>;
  /** URL paths of the page's script files, in the order the server sent them. */
  served(): readonly string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Page entries to bundle: test/browser/page/<entry>.tsx. Default ['app']. */
  entries?: string[];
  /** Routes of the test file's own (raw byte streams, say); return true when handled. */
  routes?: SseTestServerOptions['routes'];
  /** Serve over TLS with h2 (HTTP/1.1 still offered); the browser accepts the server's certificate. */
  secure?: boolean;
}

/** One counting server and one browser (of the run's engine) per test file. */
export async function startHarness({ entries = ['app'], routes, secure = false }: HarnessOptions = {}): Promise<BrowserHarness> {
  const bundles = await bundlePages(entries);
  const served: string[] = [];
  const server = await startSseTestServer({
    secure,
    routes(req, res, url) {
      if (routes?.(req, res, url)) return true;
      const bundle = bundles.get(url.pathname);
      if (bundle !== undefined) {
        served.push(url.pathname);
        res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
        res.end(bundle);
        return true;
      }
      if (url.pathname === '/') {
        const name = url.searchParams.get('entry') ?? 'app';
        res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
        // The problem collector runs before the app: engines without page events (WebKit over
        // WebDriver) report load-time errors too.
        res.end(`<!doctype html><html><head><meta charset="utf-8"><title>react-sse-hub test</title><script>(${collectProblems})()</script></head><body><script type="module" src="/${name}.js"></script></body></html>`);
        return true;
      }
      return false;
    },
  });
  const browser = await launchEngine(undefined, { acceptInsecureCerts: secure });
  const context = await browser.newContext();
  const pages = new Set<TestPage>();
  const closedErrors: string[] = [];
  const uncaught = async (page: TestPage) => (await page.problems()).filter((p) => p.startsWith('uncaught:'));
  return {
    server,
    browser,
    context,
    async open(entry = 'app', ready = 'hub') {
      const page = await context.newPage();
      pages.add(page);
      const close = page.close.bind(page);
      // What a page reported is read before it closes: WebKit's pages keep it in the page.
      page.close = async () => {
        if (pages.delete(page)) closedErrors.push(...(await uncaught(page).catch(() => [])));
        await close();
      };
      await page.goto(`${server.origin}/?entry=${entry}`);
      await waitUntil(() => page.evaluate((name) => name in window, ready), `window.${ready} in the ${entry} page`);
      return page;
    },
    async pageErrors() {
      const open = await Promise.all([...pages].map(uncaught));
      return [...closedErrors, ...open.flat()];
    },
    served: () => served,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Polls until `check` returns a truthy value (and returns it). Browser tests wait for conditions,
 * never for fixed durations; the timeout only bounds a test that is already failing.
 */
export async function waitUntil<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last value: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Drives window.hub on the page `getPage()` returns (read lazily: pages open in beforeAll).
 * `cleanup()` (afterEach) unmounts whatever a test left mounted: a failed test must not keep
 * streams open, they would hold Chromium's 6 connections per host for the next tests.
 */
export function hubDriver(getPage: () => TestPage) {
  const mounted = new Set<number>();
  // Plain functions, not methods: tests destructure them (`afterEach(cleanup)`).
  const unmount = async (id: number): Promise<void> => {
    mounted.delete(id);
    await getPage().evaluate((i) => window.hub.unmount(i), id);
  };
  return {
    async mount(spec: MountSpec): Promise<number> {
      const id = await getPage().evaluate((s) => window.hub.mount(s), spec);
      mounted.add(id);
      return id;
    },
    records: (id: number) => getPage().evaluate((i) => window.hub.records(i), id),
    unmount,
    async cleanup(): Promise<void> {
      for (const id of [...mounted]) await unmount(id);
    },
  };
}
