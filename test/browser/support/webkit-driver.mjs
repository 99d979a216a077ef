// WebKit for the browser suite: Debian's WebKitGTK MiniBrowser, driven by WebKitWebDriver over
// classic WebDriver (it has no BiDi), under its own Xvfb (MiniBrowser has no headless mode).
// A few plain HTTP commands are all the suite needs, so no WebDriver client library.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { collectProblems, markDocument, withDomHelpers } from './test-page.mjs';

export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** @param {{ acceptInsecureCerts?: boolean }} options */
export async function launchWebKit(options = {}) {
  const processes = await startDriver();
  const wd = webDriverClient(`http://127.0.0.1:${processes.port}`);
  let session;
  try {
    session = await wd.newSession({
      acceptInsecureCerts: options.acceptInsecureCerts ?? false,
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    });
    await wd.command('POST', `/session/${session}/timeouts`, { script: 120_000, pageLoad: 60_000 });
  } catch (error) {
    processes.stop();
    throw error;
  }
  // The session's first window stays blank and open: closing a session's last window ends it, and
  // new windows are opened from it (the driver needs a current window that still exists).
  const anchor = await wd.command('GET', `/session/${session}/window`);
  const pages = new Set();
  let current = anchor;
  let queue = Promise.resolve();
  /** Runs one page's commands at a time, switching the session to that page's window first. */
  const inWindow = (handle, work) => {
    const run = queue.then(async () => {
      if (current !== handle) {
        await wd.command('POST', `/session/${session}/window`, { handle });
        current = handle;
      }
      return work();
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const newPage = async () => {
    const { handle } = await inWindow(anchor, () => wd.command('POST', `/session/${session}/window/new`, { type: 'window' }));
    const page = withDomHelpers({
      async goto(url) {
        await inWindow(handle, () => wd.command('POST', `/session/${session}/url`, { url }));
        await page.evaluate(collectProblems);
        await markDocument(page);
      },
      evaluate: (fn, arg) => inWindow(handle, () => wd.execute(session, fn, arg)),
      problems: () => page.evaluate(() => [...(window.__testProblems ?? [])]),
      clearProblems: () => page.evaluate(() => void window.__testProblems?.splice(0)),
      async close() {
        if (!pages.delete(page)) return;
        await inWindow(handle, () => wd.command('DELETE', `/session/${session}/window`));
        current = undefined;
      },
    });
    pages.add(page);
    return page;
  };

  return {
    engine: 'webkit',
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
        await wd.command('DELETE', `/session/${session}`);
      } catch {
        // the processes are stopped below either way
      }
      processes.stop();
    },
  };
}

/** Xvfb on a display it picks itself, and WebKitWebDriver on a free port; both stopped by pid. */
async function startDriver() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
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
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: `:${display}` } });
  const stop = () => {
    for (const child of [driver, xvfb]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    process.off('exit', stop);
  };
  // A test run that ends early must not leave either behind (a leftover keeps the output pipe open).
  process.once('exit', stop);
  return { port, stop };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
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
