// WebKit for the browser suite: Debian's WebKitGTK MiniBrowser, driven by WebKitWebDriver over
// classic WebDriver (it has no BiDi), under its own Xvfb (MiniBrowser has no headless mode).
// A few plain HTTP commands are all the suite needs, so no WebDriver client library.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { freePort } from './free-port.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectProblems, markDocument, withDomHelpers } from './test-page.mjs';

export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * WebKitWebDriver's and MiniBrowser's stderr go to a file per launch (the driver passes its own
 * streams on to the browser it starts): when the web process dies, WebDriver only says "session
 * deleted because of page crash or hang", and the reason is in there.
 */
export const WEBKIT_LOG_DIR = process.env.WEBKIT_LOG_DIR ?? join(tmpdir(), 'react-sse-hub-webkit');

/** The error WebKitWebDriver answers once the session is gone (a web process crash or hang among the causes). */
const SESSION_GONE = /invalid session id|session deleted/i;

/** @param {{ acceptInsecureCerts?: boolean }} options */
export async function launchWebKit(options = {}) {
  /** The live session: processes, client, ids; replaced by recover(). */
  let s = await startSession(options);
  /** Why the session died ('' while it is alive). */
  let lost = '';
  const pages = new Set();
  let queue = Promise.resolve();

  /**
   * Runs one page's commands at a time, switching the session to that page's window first
   * (undefined: the anchor window; null: whichever window is current, for session commands).
   */
  const inWindow = (page, work) => {
    const run = queue.then(async () => {
      if (lost) throw new Error(`WebKit session lost earlier (${lost}); the next test gets a new one`);
      try {
        const handle = page === undefined ? s.anchor : page?.handle;
        if (page !== null && s.current !== handle) {
          await s.wd.command('POST', `/session/${s.id}/window`, { handle });
          s.current = handle;
        }
        return await work(s);
      } catch (error) {
        noteLost(error);
        throw error;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const noteLost = (error) => {
    if (lost || !SESSION_GONE.test(String(error?.message))) return;
    lost = String(error.message);
    console.error(`[webkit] ${lost}\n[webkit] last lines of ${s.log}:\n${tail(s.log)}`);
  };

  /** Opens a window for `page` (new, or after a recovery) and binds the page to it. */
  const openWindow = async (page) => {
    const { handle } = await inWindow(undefined, (x) => x.wd.command('POST', `/session/${x.id}/window/new`, { type: 'window' }));
    page.handle = handle;
  };

  const newPage = async () => {
    const page = withDomHelpers({
      handle: undefined,
      /** The last URL goto() loaded: a recovered page loads it again. */
      url: undefined,
      async goto(url) {
        page.url = url;
        await inWindow(page, (x) => x.wd.command('POST', `/session/${x.id}/url`, { url }));
        await page.evaluate(collectProblems);
        await markDocument(page);
      },
      evaluate: (fn, arg) => inWindow(page, (x) => x.wd.execute(x.id, fn, arg)),
      problems: () => page.evaluate(() => [...(window.__testProblems ?? [])]),
      clearProblems: () => page.evaluate(() => void window.__testProblems?.splice(0)),
      async close() {
        if (!pages.delete(page)) return;
        if (lost) return; // its window went with the session
        await inWindow(page, (x) => x.wd.command('DELETE', `/session/${x.id}/window`));
        s.current = undefined;
      },
    });
    await openWindow(page);
    pages.add(page);
    return page;
  };

  return {
    engine: 'webkit',
    /**
     * Why the session died, or '' while it is alive. It asks the driver: the command that was
     * running when the web process crashed fails with a bare "unknown error"; only the commands
     * after it say the session is gone.
     */
    async lost() {
      if (!lost) await inWindow(null, (x) => x.wd.command('GET', `/session/${x.id}/timeouts`)).catch(() => undefined);
      return lost;
    },
    /**
     * A new driver, browser and session in place of a dead one: every page still open gets a new
     * window and loads its last URL again (what ran in it is gone). Returns those pages.
     */
    async recover() {
      if (!lost) return [];
      await queue;
      s.stop();
      s = await startSession(options);
      lost = '';
      console.error(`[webkit] new session after a lost one (log: ${s.log})`);
      const reopened = [...pages];
      for (const page of reopened) {
        await openWindow(page);
        if (page.url !== undefined) await page.goto(page.url);
      }
      return reopened;
    },
    async newContext() {
      const own = new Set();
      return {
        async newPage() {
          const page = await newPage();
          own.add(page);
          return page;
        },
        // WebDriver has no network emulation: the pages get the browser's own offline/online
        // signals (navigator.onLine and the window event), which is what the library acts on.
        async setOffline(offline) {
          for (const page of own) {
            if (!pages.has(page)) continue;
            await page.evaluate((off) => {
              Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => !off });
              dispatchEvent(new Event(off ? 'offline' : 'online'));
            }, offline);
          }
        },
        async close() {
          for (const page of own) await page.close();
        },
      };
    },
    async close() {
      try {
        if (!lost) await s.wd.command('DELETE', `/session/${s.id}`);
      } catch {
        // the processes are stopped below either way
      }
      s.stop();
    },
  };
}

/** Xvfb, WebKitWebDriver and a WebDriver session with MiniBrowser; stop() ends both processes. */
async function startSession(options) {
  const processes = await startDriver();
  const wd = webDriverClient(`http://127.0.0.1:${processes.port}`);
  try {
    const id = await wd.newSession({
      acceptInsecureCerts: options.acceptInsecureCerts ?? false,
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    });
    await wd.command('POST', `/session/${id}/timeouts`, { script: 120_000, pageLoad: 60_000 });
    // The session's first window stays blank and open: closing a session's last window ends it, and
    // new windows are opened from it (the driver needs a current window that still exists).
    const anchor = await wd.command('GET', `/session/${id}/window`);
    return { id, wd, anchor, current: anchor, log: processes.log, stop: processes.stop };
  } catch (error) {
    processes.stop();
    throw new Error(`${error?.message ?? error}\n[webkit] last lines of ${processes.log}:\n${tail(processes.log)}`);
  }
}

/** The last lines of a log file ('' when it cannot be read). */
function tail(path, lines = 40) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

let launches = 0;

/** Xvfb on a display it picks itself, and WebKitWebDriver on a free port; both stopped by pid. */
async function startDriver() {
  mkdirSync(WEBKIT_LOG_DIR, { recursive: true });
  const log = join(WEBKIT_LOG_DIR, `webkit-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++launches}.log`);
  const logFd = openSync(log, 'a');
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', logFd, 'pipe'] });
  const display = await new Promise((resolve, reject) => {
    let out = '';
    xvfb.stdio[3].on('data', (chunk) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it chose a display`)));
    xvfb.once('error', reject);
  });
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: ['ignore', logFd, logFd], env: { ...process.env, DISPLAY: `:${display}` } });
  // The children hold their own copies of the descriptor.
  closeSync(logFd);
  const stop = () => {
    for (const child of [driver, xvfb]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    process.off('exit', stop);
  };
  // A test run that ends early must not leave either behind (a leftover keeps the output pipe open).
  process.once('exit', stop);
  return { port, stop, log };
}

/** The classic WebDriver commands the suite uses, as JSON over HTTP. */
function webDriverClient(base) {
  const command = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`);
    return value;
  };
  return {
    command,
    async newSession(capabilities) {
      // The driver answers once it listens: retry a refused connection for a few seconds.
      for (let tries = 0; ; tries++) {
        try {
          const { sessionId } = await command('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
          return sessionId;
        } catch (error) {
          if (tries > 100 || !String(error?.cause?.code ?? error?.message).match(/ECONNREFUSED|fetch failed/)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },
    /**
     * Runs `fn(arg)` in the page and returns its (awaited) result. JSON would turn undefined,
     * NaN and ±Infinity into null; they travel as markers and come back as themselves, so a test
     * compares the same values in every engine.
     */
    async execute(session, fn, arg) {
      const script = `const fn = (${fn.toString()});
        const encode = (key, value) => value === undefined ? { __testValue: 'undefined' }
          : typeof value === 'number' && !Number.isFinite(value) ? { __testValue: String(value) } : value;
        return Promise.resolve(fn(arguments[0])).then((value) => JSON.stringify({ value }, encode));`;
      const json = await command('POST', `/session/${session}/execute/sync`, { script, args: [arg ?? null] });
      return JSON.parse(json, (key, value) => {
        if (value === null || typeof value !== 'object' || !('__testValue' in value)) return value;
        return value.__testValue === 'undefined' ? undefined : Number(value.__testValue);
      }).value;
    },
  };
}
