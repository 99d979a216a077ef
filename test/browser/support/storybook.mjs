// Storybook for the browser tests, started one way wherever it is needed: `storybook dev` (the
// showroom with its demo SSE endpoints, for stories.test.ts) and `storybook build` (the static
// showroom, for storybook-static.test.ts). run-engines.mjs starts both once for all engines and
// passes them on; each test file starts its own when run alone. Types in storybook.d.mts.
//
// Each runs as a process group of its own: Storybook starts a Vite server and esbuild workers,
// and only killing the group ends them too (killing `npx` alone would leave them running).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

/** `storybook dev` serves after ~30 s on two busy cores; one that takes 90 s is stuck. */
const DEV_DEADLINE_MS = 90_000;
/** `storybook build` takes ~15 s; one that takes 120 s is stuck. */
const BUILD_DEADLINE_MS = 120_000;
/** How long a group has to end after SIGTERM before SIGKILL ends what is left of it. */
const STOP_GRACE_MS = 5000;

const TIMED_OUT = Symbol('timed out');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`'s value, or TIMED_OUT if it has not settled within `ms` (no timer is left behind). */
async function within(promise, ms) {
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, ms, TIMED_OUT)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `signal` to every process in the group `pid` leads; a group already gone is no error. */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * `npx storybook ...argv` in `root`, leading a new process group, its output kept for the error
 * messages. While it runs, `signal` aborting SIGKILLs the group at once: run-engines.mjs aborts
 * from its exit handler, where nothing asynchronous (a SIGTERM and a wait) can run any more.
 */
function spawnStorybook(root, argv, { env = {}, signal } = {}) {
  signal?.throwIfAborted();
  const child = spawn('npx', ['storybook', ...argv], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const kill = () => killGroup(child.pid, 'SIGKILL');
  signal?.addEventListener('abort', kill, { once: true });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, exitSignal) => {
      signal?.removeEventListener('abort', kill);
      resolve(code ?? exitSignal);
    });
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  return { pid: child.pid, exited, hasExited, output: () => output };
}

/** SIGTERM to the group; SIGKILL to whatever is left of it once its leader is gone or 5 s have passed. */
async function stopGroup(group) {
  killGroup(group.pid, 'SIGTERM');
  await within(group.exited, STOP_GRACE_MS);
  killGroup(group.pid, 'SIGKILL');
}

/** Whether `url` answers with a 2xx now (a dev server still starting does not). */
async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false; // not listening yet
  }
}

/** Polls until the dev server serves /index.json; throws, with its output, if it exits first or is not ready in 90 s. */
async function untilServing(origin, group, signal) {
  const deadline = Date.now() + DEV_DEADLINE_MS;
  for (;;) {
    signal?.throwIfAborted();
    if (group.hasExited()) throw new Error(`storybook dev exited early:\n${group.output()}`);
    if (await answers(`${origin}/index.json`)) return;
    if (Date.now() > deadline) throw new Error(`storybook dev did not serve /index.json within ${DEV_DEADLINE_MS / 1000} s:\n${group.output()}`);
    await sleep(200);
  }
}

/**
 * `storybook dev` on 127.0.0.1 (`port`, or a free one), resolved once it serves /index.json.
 * `stop()` ends its group; `exited` settles whenever it exits, so a caller can report a crash
 * during its run with `output()`.
 */
export async function startStorybookDev({ root, port, signal }) {
  port ??= await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const group = spawnStorybook(root, ['dev', '-p', String(port), '--host', '127.0.0.1', '--ci', '--no-open', '--quiet'], {
    // A test run sends no telemetry and opens no browser tab.
    env: { STORYBOOK_DISABLE_TELEMETRY: '1', BROWSER: 'none' },
    signal,
  });
  try {
    await untilServing(origin, group, signal);
  } catch (error) {
    killGroup(group.pid, 'SIGKILL'); // a server that failed to start must not outlive the error
    throw error;
  }
  return { origin, exited: group.exited, output: group.output, stop: () => stopGroup(group) };
}

/** Waits for `storybook build` to exit 0; throws, with its output, on any other exit or after 120 s. */
async function untilBuilt(group, signal) {
  const code = await within(group.exited, BUILD_DEADLINE_MS);
  signal?.throwIfAborted();
  if (code === TIMED_OUT) {
    killGroup(group.pid, 'SIGKILL');
    throw new Error(`storybook build did not finish within ${BUILD_DEADLINE_MS / 1000} s:\n${group.output()}`);
  }
  if (code !== 0) throw new Error(`storybook build failed (${code}):\n${group.output()}`);
}

/**
 * `storybook build` into a new temporary directory. `stop()` removes the directory; `signal`
 * aborting removes it too (and kills a build still running), synchronously, for an exit handler.
 */
export async function buildStorybook({ root, signal }) {
  signal?.throwIfAborted();
  const dir = mkdtempSync(join(tmpdir(), 'sse-hub-storybook-'));
  const group = spawnStorybook(root, ['build', '-o', dir, '--quiet'], { signal });
  // After spawnStorybook's own listener, so an abort kills the build before removing what it writes.
  const remove = () => rmSync(dir, { recursive: true, force: true });
  signal?.addEventListener('abort', remove, { once: true });
  const stop = () => {
    signal?.removeEventListener('abort', remove);
    remove();
  };
  try {
    await untilBuilt(group, signal);
  } catch (error) {
    stop();
    throw error;
  }
  return { dir, stop };
}
