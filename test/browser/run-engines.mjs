// `npm run test:browser`: the browser suite in each engine, one engine after another, with one
// Storybook dev server and one static Storybook build for all of them. Starting `storybook dev`
// took ~30 s and `storybook build` ~15 s per engine; stories.test.ts and storybook-static.test.ts
// read STORYBOOK_DEV_ORIGIN and STORYBOOK_STATIC_DIR from here, and start their own when run alone.
//
//   node test/browser/run-engines.mjs [--engines=chromium,firefox] [vitest args, e.g. a file]
//
// Every engine runs even when an earlier one failed; the exit code is non-zero if any failed.
// Storybook and each vitest run are process groups of their own, killed as a group at the end,
// on failure and on SIGINT/SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './support/free-port.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './support/engines.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const enginesArg = args.find((a) => a.startsWith('--engines='));
const engines = enginesArg ? enginesArg.slice('--engines='.length).split(',') : [...ENGINES];
const vitestArgs = args.filter((a) => a !== enginesArg);
for (const engine of engines) if (!ENGINES.includes(engine)) fail(`--engines: ${engine} is not one of ${ENGINES.join(', ')}`);

/** Live process groups, by leader pid. */
const groups = new Set();
let staticDir;
/** Set at the end of the run or on a signal: no new process starts, and exits are expected. */
let stopping = false;

function startGroup(command, argv, options = {}) {
  if (stopping) throw new Error('stopping: no new process');
  const child = spawn(command, argv, { cwd: root, detached: true, ...options });
  groups.add(child.pid);
  child.once('exit', () => groups.delete(child.pid));
  return child;
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function cleanUp() {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  groups.clear();
  if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  staticDir = undefined;
}

/** SIGTERM to every group, SIGKILL to what is left after 5 s; then the temporary build goes. */
async function shutDown() {
  for (const pid of groups) killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (groups.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  cleanUp();
}

function fail(message) {
  console.error(`run-engines: ${message}`);
  cleanUp();
  process.exit(1);
}

process.once('exit', cleanUp);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    stopping = true;
    console.error(`run-engines: ${signal}, stopping`);
    void shutDown().then(() => process.exit(code));
  });
}

/** `storybook dev` in its own process group; resolves with its origin once it serves /index.json. */
async function startStorybookDev() {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  const child = startGroup('npx', ['storybook', 'dev', '-p', String(port), '--host', '127.0.0.1', '--ci', '--no-open', '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', BROWSER: 'none' },
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`storybook dev exited early:\n${output}`);
    try {
      if ((await fetch(`${origin}/index.json`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`storybook dev did not serve /index.json within 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Later output (a crash mid-run) still reaches the log.
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`run-engines: storybook dev exited (${code ?? signal}) during the run:\n${output.slice(-4000)}`);
  });
  return origin;
}

/** `storybook build` into a temporary directory (removed at the end). */
async function buildStorybook() {
  staticDir = mkdtempSync(join(tmpdir(), 'sse-hub-storybook-'));
  const child = startGroup('npx', ['storybook', 'build', '-o', staticDir, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.once('exit', (c, s) => resolve(c ?? s)));
  if (code !== 0) throw new Error(`storybook build failed (${code}):\n${output}`);
  return staticDir;
}

function runEngine(engine, env) {
  return new Promise((resolve) => {
    const child = startGroup('npx', ['vitest', 'run', '--project', `browser-${engine}`, ...vitestArgs], { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.once('exit', (code, signal) => {
      // Whatever the run left in its group (a browser, Xvfb) goes with it.
      killGroup(child.pid, 'SIGKILL');
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const started = Date.now();
let env;
try {
  const [origin, dir] = await Promise.all([startStorybookDev(), buildStorybook()]);
  env = { ...process.env, STORYBOOK_DEV_ORIGIN: origin, STORYBOOK_STATIC_DIR: dir };
  console.log(`run-engines: storybook dev at ${origin} and a static build in ${dir} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  fail(String(error instanceof Error ? error.message : error));
}

const results = [];
for (const engine of engines) {
  if (stopping) break;
  const t = Date.now();
  const code = await runEngine(engine, env);
  results.push({ engine, code, seconds: (Date.now() - t) / 1000 });
}
stopping = true;
await shutDown();
for (const { engine, code, seconds } of results) console.log(`run-engines: ${engine.padEnd(8)} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(0)} s`);
console.log(`run-engines: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
