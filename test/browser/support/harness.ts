import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeEach } from 'vitest';
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

/** Harnesses started and not yet closed (one per file, as a rule). */
const liveHarnesses = new Set<{ recoverIfLost(): Promise<void> }>();

/**
 * Before every test: a browser whose session died during an earlier test (WebKit's web process
 * crashing; WebKitWebDriver then deletes the session) is replaced, so one crash fails one test,
 * not every later test of the file. The test that met the crash is not run again.
 */
beforeEach(async () => {
  for (const harness of liveHarnesses) await harness.recoverIfLost();
});

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
  /** Open pages, with the global each one's readiness is waited for. */
  const pages = new Map<TestPage, string>();
  const closedErrors: string[] = [];
  /** What each open page reported when last asked: a page lost with its session keeps those. */
  const lastErrors = new Map<TestPage, string[]>();
  const uncaught = async (page: TestPage) => {
    const errors = (await page.problems()).filter((p) => p.startsWith('uncaught:'));
    lastErrors.set(page, errors);
    return errors;
  };
  const ready = (page: TestPage, name: string) => waitUntil(() => page.evaluate((n) => n in window, name), `window.${name} in the reloaded page`);
  const harness: BrowserHarness & { recoverIfLost(): Promise<void> } = {
    server,
    browser,
    context,
    async open(entry = 'app', readyName = 'hub') {
      const page = await context.newPage();
      pages.set(page, readyName);
      const close = page.close.bind(page);
      // What a page reported is read before it closes: WebKit's pages keep it in the page.
      page.close = async () => {
        if (pages.delete(page)) closedErrors.push(...(await uncaught(page).catch(() => lastErrors.get(page) ?? [])));
        lastErrors.delete(page);
        await close();
      };
      await page.goto(`${server.origin}/?entry=${entry}`);
      await waitUntil(() => page.evaluate((name) => name in window, readyName), `window.${readyName} in the ${entry} page`);
      return page;
    },
    async pageErrors() {
      const open = await Promise.all([...pages.keys()].map(uncaught));
      return [...closedErrors, ...open.flat()];
    },
    served: () => served,
    async recoverIfLost() {
      if (!(await browser.lost?.())) return;
      // The lost pages' errors as last read stay counted (tests compare counts across tests).
      for (const page of pages.keys()) closedErrors.push(...(lastErrors.get(page) ?? []));
      lastErrors.clear();
      for (const page of await browser.recover!()) {
        const name = pages.get(page);
        if (name !== undefined) await ready(page, name);
      }
    },
    async close() {
      liveHarnesses.delete(harness);
      await browser.close();
      await server.close();
    },
  };
  liveHarnesses.add(harness);
  return harness;
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
      // Every id is tried and forgotten even when one fails (a lost browser session): ids left
      // behind would be unmounted in a later test's page, where the same id is another mount.
      const ids = [...mounted];
      mounted.clear();
      const failures: unknown[] = [];
      for (const id of ids) await getPage().evaluate((i) => window.hub.unmount(i), id).catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw failures[0];
    },
  };
}
