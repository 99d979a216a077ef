// The three browser engines the browser suite runs in, behind one small page API, so every test
// file runs unchanged in each: Debian's Chromium and Firefox ESR driven by playwright-core, and
// WebKitGTK's MiniBrowser driven over classic WebDriver (playwright's WebKit is its own patched
// build, which is never downloaded here). Plain JavaScript so test/examples/run-examples.mjs can
// use it too; types in engines.d.mts.
import { chromium, firefox } from 'playwright-core';
import { markDocument, withDomHelpers } from './test-page.mjs';
import { launchWebKit } from './webkit-driver.mjs';

/** @type {readonly ['chromium', 'firefox', 'webkit']} */
export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** The engine this run drives: the vitest project (or the caller) sets TEST_ENGINE. */
export function currentEngine() {
  const engine = process.env.TEST_ENGINE ?? 'chromium';
  if (!ENGINES.includes(engine)) throw new Error(`TEST_ENGINE=${engine}: expected one of ${ENGINES.join(', ')}`);
  return engine;
}

/** Debian's browsers; never one downloaded by a test tool. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'];

/**
 * Launches `engine`. `acceptInsecureCerts` lets pages load from the test server's self-signed
 * h2 origin.
 * @param {string} [engine]
 * @param {{ acceptInsecureCerts?: boolean }} [options]
 */
export async function launchEngine(engine = currentEngine(), options = {}) {
  if (engine === 'webkit') return launchWebKit(options);
  const browser =
    engine === 'firefox'
      ? await firefox.launch({ channel: 'moz-firefox', executablePath: FIREFOX_PATH, headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false })
      : await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  return {
    engine,
    async newContext() {
      const context = await browser.newContext({ ignoreHTTPSErrors: options.acceptInsecureCerts ?? false, viewport: { width: 1280, height: 800 } });
      return {
        newPage: async () => playwrightPage(await context.newPage()),
        setOffline: (offline) => context.setOffline(offline),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

/** @param {import('playwright-core').Page} page */
function playwrightPage(page) {
  const problems = [];
  page.on('pageerror', (error) => {
    // Firefox logs every failed EventSource connection as a script error of the page (its console's
    // "can't establish a connection" notice); nothing was thrown, and the library saw the failure.
    if (/^Firefox can.t establish a connection to the server at /.test(error.message)) return;
    problems.push(`uncaught: ${String(error)}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()} (${message.location().url})`);
  });
  const api = withDomHelpers({
    async goto(url) {
      await page.goto(url);
      await markDocument(api);
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    problems: async () => [...problems],
    clearProblems: async () => void (problems.length = 0),
    close: () => page.close(),
  });
  return api;
}
