#!/usr/bin/env node
// Builds the consumer apps in examples/, and README's Quick start in a fresh Vite app, against the
// packed library and checks them in Chromium, Firefox and WebKit (test/browser/support/engines.mjs).
//
//   node test/examples/run-examples.mjs [next] [vite] [quickstart]   (default: all; needs dist/, i.e. `npm run build`)
//
// How the library gets into an example: `npm pack` of this repo (dist/ as published), then, in a temp
// copy of the example, `npm ci` (its own lockfile, without react-sse-hub) followed by
// `npm install --no-save <tarball>`. The example never resolves the library from src/ or from the
// root node_modules, so it has exactly one React, and a freshly packed tarball never clashes with an
// integrity recorded in a lockfile. Needs the npm registry (or a warm npm cache: --prefer-offline).
//
// Per example: build (`next build`; `tsc --noEmit && vite build`), start (`next start`; `vite preview`)
// on a free port, open it in each engine in turn, then poll until every component
// shows events and the stream is open, and check: the server saw exactly one request for the stream
// per visit, no console error or warning, no page error (hydration included). After the browsers,
// one check of the example server itself (not of the library): its endpoint, asked from Node with
// Last-Event-ID or ?lastEventId, resumes after that id. Servers run in their own process group and
// are killed as a group.
//
// quickstart: README's Quick start exactly as a newcomer copies it. test/examples/quickstart-app is
// what `npm create vite@latest my-app -- --template react-ts` makes (trimmed to what builds and runs,
// versions of examples/vite-app); the runner writes README's two blocks marked
// `<!-- quickstart: server.mjs -->` and `<!-- quickstart: src/App.tsx -->` into it as they are, builds
// it (`tsc -b && vite build`), starts `node server.mjs` (port 3001, fixed by the block) and
// `vite preview`, and checks in each engine that the page shows `open: tick N` (N >= 3, then more)
// over a list of ticks, with no console error or page error. That server is the user's and counts
// nothing: no request counts there.
//
// Env: CHROMIUM_PATH, FIREFOX_PATH, MINIBROWSER_PATH (Debian's), KEEP_EXAMPLES_TMP=1 keeps the temp folder.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, launchEngine } from '../browser/support/engines.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

const VITE_BUILD = ['vite build', 'node', ['node_modules/vite/bin/vite.js', 'build']];
const vitePreview = (port) => ['node', ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1']];

/**
 * What differs between the examples; the checks are the same.
 * - dir: the app, from the repo root; fromReadme: files written from README's marked blocks.
 * - backend: a server of the example's own on a fixed port, started before the app.
 * - statsPath: the example server counts requests (per-visit and close checks, resume check on streamPath).
 * - expect: testid -> minimum number, exact string, or [pattern, minimum of its first group];
 *   counts: selector -> minimum number of elements; progress: the testid that shows events keep coming.
 */
const EXAMPLES = {
  next: {
    dir: 'examples/next-app',
    build: [['next build', 'node', ['node_modules/next/dist/bin/next', 'build']]],
    start: (port) => ['node', ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1']],
    streamPath: '/api/ticks',
    statsPath: '/api/stats',
    // Rendered by the Server Component from the shared stream module (defineStream on the server).
    serverHtml: /data-testid="stream-url"[^>]*>\/api\/ticks</,
    expect: { 'latest-n': 3, 'log-last-id': 3, status: 'open', 'latest-status': 'open', 'stream-url': '/api/ticks' },
    progress: 'latest-n',
  },
  vite: {
    dir: 'examples/vite-app',
    build: [['tsc --noEmit', 'node', ['node_modules/typescript/bin/tsc', '--noEmit']], VITE_BUILD],
    start: vitePreview,
    streamPath: '/sse/ticks',
    statsPath: '/sse/stats',
    expect: { 'latest-n': 3, 'even-n': 2, 'log-last-id': 3, status: 'open', 'latest-status': 'open', 'stream-url': '/sse/ticks' },
    progress: 'latest-n',
  },
  quickstart: {
    dir: 'test/examples/quickstart-app',
    fromReadme: ['server.mjs', 'src/App.tsx'],
    build: [['tsc -b', 'node', ['node_modules/typescript/bin/tsc', '-b']], VITE_BUILD],
    backend: { label: 'node server.mjs', cmd: 'node', args: ['server.mjs'], port: 3001 },
    start: vitePreview,
    expect: { latest: [/^open: tick (\d+)$/, 3] },
    counts: { 'ul > li': 3 },
    progress: 'latest',
  },
};

const timings = [];
const children = new Set();
let tmp;
let browser;
let stopping = false;

function log(message) {
  console.log(`[examples] ${message}`);
}

async function timed(label, fn) {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    const seconds = (performance.now() - start) / 1000;
    timings.push([label, seconds]);
    log(`${label}: ${seconds.toFixed(1)} s`);
  }
}

class CheckError extends Error {}

/** Runs a command to completion in its own process group; on failure the error carries the end of its output. */
function run(cmd, args, cwd, timeoutMs = 600_000) {
  const proc = spawnGroup(cmd, args, cwd);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.timedOut = true;
      stopGroup(proc);
    }, timeoutMs);
    proc.child.on('error', reject);
    proc.child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(proc, 'SIGKILL'); // workers that outlived the command
      if (code === 0) resolve(proc.output);
      else {
        const why = proc.timedOut ? `timed out after ${timeoutMs / 1000} s` : (signal ?? `exit ${code}`);
        reject(new CheckError(`\`${cmd} ${args.join(' ')}\` in ${cwd} failed (${why}):\n${proc.output.slice(-6000)}`));
      }
    });
  });
}

/**
 * Starts a command in its own process group (servers, and builds with their workers), so that
 * stopping it stops its children too. Tracked until it exits, for cleanup on failure or Ctrl-C.
 */
function spawnGroup(cmd, args, cwd) {
  if (stopping) throw new CheckError('stopped');
  const child = spawn(cmd, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const proc = { child, output: '', exited: false };
  child.stdout.on('data', (d) => (proc.output += d));
  child.stderr.on('data', (d) => (proc.output += d));
  child.on('exit', () => {
    proc.exited = true;
    children.delete(proc);
  });
  children.add(proc);
  return proc;
}

async function stopGroup(proc) {
  if (proc.exited) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  killGroup(proc, 'SIGTERM');
  const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  killGroup(proc, 'SIGKILL'); // anything of the group that outlived its leader
}

function killGroup(proc, signal) {
  try {
    process.kill(-proc.child.pid, signal);
  } catch {
    // the group is gone
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns { ok: true }; fails with its last reason. */
async function waitFor(description, probe, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last?.ok) return last;
    } catch (error) {
      if (error instanceof CheckError) throw error; // a definite failure: no point in waiting
      last = { reason: String(error?.message ?? error) };
    }
    if (Date.now() > deadline) throw new CheckError(`timed out after ${timeoutMs} ms waiting for ${description}: ${last?.reason ?? JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function getJson(url) {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.json();
}

/** Opens the stream from Node with a resume id and returns the id of the first event it sends. */
async function firstIdAfter(url, headers) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) throw new CheckError(`GET ${url}: content-type ${type}`);
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body) {
      text += decoder.decode(chunk, { stream: true });
      const match = /^id: ?(.*)$/m.exec(text);
      if (match) return match[1];
    }
    throw new CheckError(`GET ${url}: the stream ended before any id`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * README's block marked `<!-- quickstart: <file> -->`: the fenced block that follows the marker
 * line (blank lines allowed between), as it is.
 */
function readmeBlock(readme, file) {
  const marker = `<!-- quickstart: ${file} -->`;
  const lines = readme.split('\n');
  const at = lines.findIndex((line) => line.trim() === marker);
  if (at < 0) throw new CheckError(`README.md has no line "${marker}" (it marks the Quick start's ${file} block)`);
  if (lines.findIndex((line, i) => i > at && line.trim() === marker) > 0) throw new CheckError(`README.md has "${marker}" more than once`);
  let open = at + 1;
  while (open < lines.length && lines[open].trim() === '') open++;
  const fence = /^(`{3,}|~{3,})/.exec(lines[open] ?? '')?.[1];
  if (!fence) throw new CheckError(`README.md: "${marker}" (line ${at + 1}) is not followed by a fenced code block`);
  const close = lines.findIndex((line, i) => i > open && line.startsWith(fence) && line.slice(fence.length).trim() === '');
  if (close < 0) throw new CheckError(`README.md: the code block after "${marker}" (line ${at + 1}) is never closed`);
  const code = lines.slice(open + 1, close).join('\n');
  if (!code.trim()) throw new CheckError(`README.md: the code block after "${marker}" (line ${at + 1}) is empty`);
  return `${code}\n`;
}

function copyExample(example, files) {
  const src = join(ROOT, example.dir);
  const dest = join(tmp, basename(example.dir));
  const skip = new Set(['node_modules', '.next', 'dist', 'next-env.d.ts', 'tsconfig.tsbuildinfo']);
  cpSync(src, dest, { recursive: true, filter: (path) => !skip.has(relative(src, path).split('/')[0]) });
  for (const [file, code] of Object.entries(files)) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    writeFileSync(join(dest, file), code);
  }
  return dest;
}

async function install(name, example, tarball) {
  // README's blocks first: a missing one fails before any install.
  const readme = example.fromReadme && readFileSync(join(ROOT, 'README.md'), 'utf8');
  const files = Object.fromEntries((example.fromReadme ?? []).map((file) => [file, readmeBlock(readme, file)]));
  const cwd = copyExample(example, files);
  await timed(`${name}: npm ci`, () => run('npm', ['ci', ...NPM_FLAGS], cwd));
  await timed(`${name}: install packed library`, () => run('npm', ['install', '--no-save', ...NPM_FLAGS, tarball], cwd));
  // The library must be the packed copy, with the example's own (single) React.
  const lib = join(cwd, 'node_modules/react-sse-hub');
  if (!existsSync(join(lib, 'package.json')) || lstatSync(lib).isSymbolicLink()) throw new CheckError(`${name}: react-sse-hub is not installed from the tarball`);
  if (existsSync(join(lib, 'node_modules/react'))) throw new CheckError(`${name}: react-sse-hub brought its own React`);
  return cwd;
}

/** Fails when something already listens on `port` (bound like a plain `server.listen(port)`). */
function checkPortFree(port, owner) {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', (error) =>
      reject(error.code === 'EADDRINUSE' ? new CheckError(`port ${port} is taken, and ${owner} listens on it: stop whatever uses port ${port} and run again`) : error),
    );
    srv.listen(port, () => srv.close(() => resolve()));
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: 'localhost' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts the example's own server on its fixed port; resolves once it accepts connections. */
async function startBackend(name, { label, cmd, args, port }, cwd) {
  await checkPortFree(port, `${name}'s \`${label}\``);
  const proc = spawnGroup(cmd, args, cwd);
  await timed(`${name}: start ${label}`, () =>
    waitFor(`${label} on port ${port}`, async () => {
      if (proc.exited) throw new CheckError(`${name}: \`${label}\` exited:\n${proc.output.slice(-4000)}`);
      return (await canConnect(port)) ? { ok: true } : { reason: `nothing accepts connections on port ${port} yet` };
    }, 20_000, 100),
  );
  return proc;
}

/** The app server answers: with stats, its endpoint has seen no request yet; without, the page loads. */
async function serverReady(example, origin) {
  if (!example.statsPath) return (await fetch(origin)).ok ? { ok: true } : { reason: `GET ${origin} failed` };
  const stats = await getJson(`${origin}${example.statsPath}`);
  return stats.ticks === 0 ? { ok: true } : { reason: JSON.stringify(stats) };
}

/** The example server's own resume handling (no browser, no library): header wins; query for re-created EventSources. */
async function checkServerResume(name, example, origin) {
  const viaHeader = await firstIdAfter(`${origin}${example.streamPath}`, { 'last-event-id': '41' });
  const viaQuery = await firstIdAfter(`${origin}${example.streamPath}?lastEventId=99`, {});
  if (viaHeader !== '42' || viaQuery !== '100') throw new CheckError(`${name}: resume ids ${viaHeader} (Last-Event-ID: 41) and ${viaQuery} (?lastEventId=99), want 42 and 100`);
}

async function check(name, example, cwd) {
  for (const [label, cmd, args] of example.build) await timed(`${name}: ${label}`, () => run(cmd, args, cwd));

  const servers = [];
  try {
    if (example.backend) servers.push(await startBackend(name, example.backend, cwd));
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const [cmd, args] = example.start(port);
    const server = spawnGroup(cmd, args, cwd);
    servers.push(server);
    await timed(`${name}: start server`, () =>
      waitFor(origin, async () => {
        if (server.exited) throw new CheckError(`${name}: the server exited:\n${server.output.slice(-4000)}`);
        return serverReady(example, origin);
      }, 60_000, 200),
    );

    for (const engine of ENGINES) await timed(`${name}: checks in ${engine}`, () => checkInEngine(name, example, origin, engine));
    if (example.statsPath) await checkServerResume(name, example, origin);
  } catch (error) {
    for (const { output } of servers) if (output) console.error(`[examples] ${name} server output (tail):\n${output.slice(-3000)}`);
    throw error;
  } finally {
    await Promise.all(servers.map(stopGroup));
  }
}

/** Why `got` falls short of `want` (see EXAMPLES), or null; `bump` raises every minimum. */
function shortfall(want, got, bump) {
  if (typeof want === 'string') return got === want ? null : `want ${JSON.stringify(want)}`;
  const [pattern, min] = typeof want === 'number' ? [null, want] : want;
  const n = pattern ? Number(pattern.exec(got ?? '')?.[1]) : Number(got);
  return n >= min + bump ? null : `want ${pattern ? `${pattern} with ` : ''}>= ${min + bump}`;
}

/** The number a progress value shows. */
function progressOf(example, values) {
  const want = example.expect[example.progress];
  return Number(Array.isArray(want) ? want[0].exec(values[example.progress])?.[1] : values[example.progress]);
}

/**
 * One visit in one engine: every component shows events, with no console error or warning, no
 * page error (hydration included), no failed resource load; where the example server counts
 * requests, over exactly one new stream request, and the stream ends with the tab.
 */
async function checkInEngine(name, example, origin, engine) {
  if (example.serverHtml) {
    const html = await (await fetch(origin)).text();
    if (!example.serverHtml.test(html)) throw new CheckError(`${name}: the server-rendered HTML lacks ${example.serverHtml}`);
  }
  const where = `${name} in ${engine}`;
  const statsUrl = example.statsPath && `${origin}${example.statsPath}`;
  const before = statsUrl && (await getJson(statsUrl)).ticks;
  browser = await launchEngine(engine);
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(origin);
    // Failed loads, from resource timing (engines without responseStatus report none).
    const failedLoads = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => (e.responseStatus ?? 0) >= 400)
          .map((e) => `HTTP ${e.responseStatus}: ${e.name}`),
      );
    const problems = async () => [...(await page.problems()), ...(await failedLoads())];
    // testid -> its text; selector -> how many elements match.
    const read = () =>
      page.evaluate(
        ([ids, selectors]) => ({
          ...Object.fromEntries(ids.map((id) => [id, document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null])),
          ...Object.fromEntries(selectors.map((selector) => [selector, document.querySelectorAll(selector).length])),
        }),
        [Object.keys(example.expect), Object.keys(example.counts ?? {})],
      );
    const meets = (values, bump = 0) => {
      for (const [id, want] of Object.entries(example.expect)) {
        const reason = shortfall(want, values[id], bump);
        if (reason) return `${id} is ${JSON.stringify(values[id])}, ${reason}`;
      }
      for (const [selector, min] of Object.entries(example.counts ?? {})) {
        if (!(values[selector] >= min)) return `${values[selector]} elements match ${selector}, want >= ${min}`;
      }
      return null;
    };
    const first = await waitFor(`${where}: events in every component`, async () => {
      const seen = await problems();
      if (seen.length) throw new CheckError(`${where}: ${seen.join('\n')}`);
      const values = await read();
      const reason = meets(values);
      return reason ? { reason } : { ok: true, values };
    }, 20_000);
    // Events keep coming (with stats: still over one connection).
    const bump = progressOf(example, first.values);
    await waitFor(`${where}: more events`, async () => {
      const reason = meets(await read(), bump);
      return reason ? { reason } : { ok: true };
    }, 10_000);

    const stats = statsUrl && (await getJson(statsUrl));
    if (stats && stats.ticks - before !== 1) throw new CheckError(`${where}: the server saw ${stats.ticks - before} requests for ${example.streamPath}, want 1 (one per stream)`);
    const seen = await problems();
    if (seen.length) throw new CheckError(`${where}: console errors/warnings or page errors:\n${seen.join('\n')}`);
    log(`${where}: components ${JSON.stringify(await read())}${stats ? `; server ${JSON.stringify(stats)}` : ''}`);
  } finally {
    await browser.close();
    browser = undefined;
  }
  // Not a library property, but a leak in the example's endpoint would be: the stream ends with the tab.
  if (statsUrl) {
    await waitFor(`${where}: the server to see the stream close`, async () => {
      const after = await getJson(statsUrl);
      return after.open === 0 ? { ok: true } : { reason: JSON.stringify(after) };
    }, 10_000);
  }
}

async function cleanup() {
  stopping = true;
  await browser?.close().catch(() => {});
  await Promise.all([...children].map(stopGroup)); // servers, or a build interrupted by Ctrl-C
  if (tmp && !process.env.KEEP_EXAMPLES_TMP) rmSync(tmp, { recursive: true, force: true });
  else if (tmp) log(`kept ${tmp}`);
}

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(EXAMPLES);
  for (const name of names) if (!EXAMPLES[name]) throw new CheckError(`unknown example "${name}"; known: ${Object.keys(EXAMPLES).join(', ')}`);
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new CheckError('dist/ is missing: run `npm run build` first');
  // Fail fast on a taken fixed port (checked again when the server starts).
  for (const name of names) if (EXAMPLES[name].backend) await checkPortFree(EXAMPLES[name].backend.port, `${name}'s \`${EXAMPLES[name].backend.label}\``);

  tmp = mkdtempSync(join(tmpdir(), 'react-sse-hub-examples-'));
  const tarball = await timed('npm pack', async () => {
    const out = await run('npm', ['pack', '--json', '--ignore-scripts', '--loglevel=error', '--pack-destination', tmp], ROOT);
    return join(tmp, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
  });

  // Installs are mostly network and disk: run them together; builds and checks one at a time (2 cores).
  const installs = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await install(name, EXAMPLES[name], tarball)])));
  for (const name of names) await check(name, EXAMPLES[name], installs[name]);
}

const started = performance.now();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}
try {
  await main();
  log(`all examples passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`\n[examples] FAILED: ${error instanceof CheckError ? error.message : (error?.stack ?? error)}`);
  process.exitCode = 1;
} finally {
  await timed('cleanup', cleanup);
  console.log('[examples] timings:');
  for (const [label, seconds] of timings) console.log(`  ${label.padEnd(36)} ${seconds.toFixed(1).padStart(6)} s`);
}
