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
import { fileURLToPath } from 'node:url';
import { ENGINES } from './support/engines.mjs';
import { buildStorybook, startStorybookDev } from './support/storybook.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const enginesArg = args.find((a) => a.startsWith('--engines='));
const engines = enginesArg ? enginesArg.slice('--engines='.length).split(',') : [...ENGINES];
const vitestArgs = args.filter((a) => a !== enginesArg);

/** Live process groups of the vitest runs, by leader pid. */
const groups = new Set();
/** Storybook's dev server and static build, once started (support/storybook.mjs). */
let dev;
let build;
/**
 * Aborted last, from cleanUp: kills a Storybook still starting or running and removes the static
 * build, synchronously, so it also works in the exit handler and on a signal during the start.
 */
const storybookEnd = new AbortController();
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
  storybookEnd.abort();
}

/** Until every vitest group's leader has exited, or `ms` have passed. */
async function groupsGone(ms) {
  const deadline = Date.now() + ms;
  while (groups.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/** SIGTERM to every group, SIGKILL to what is left after 5 s; then the temporary build goes. */
async function shutDown() {
  for (const pid of groups) killGroup(pid, 'SIGTERM');
  await Promise.all([groupsGone(5000), dev?.stop(), build?.stop()]);
  cleanUp();
}

function fail(message) {
  console.error(`run-engines: ${message}`);
  cleanUp();
  process.exit(1);
}

process.once('exit', cleanUp);
// Checked here, not where they are parsed: fail() cleans up, which needs the state above.
for (const engine of engines) if (!ENGINES.includes(engine)) fail(`--engines: ${engine} is not one of ${ENGINES.join(', ')}`);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    stopping = true;
    console.error(`run-engines: ${signal}, stopping`);
    void shutDown().then(() => process.exit(code));
  });
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

/** Reports a dev server that exits before the run is over (a crash; the output's end says why). */
function reportEarlyExit({ exited, output }) {
  void exited.then((how) => {
    if (!stopping) console.error(`run-engines: storybook dev exited (${how}) during the run:\n${output().slice(-4000)}`);
  });
}

const started = Date.now();
let env;
try {
  const options = { root, signal: storybookEnd.signal };
  [dev, build] = await Promise.all([startStorybookDev(options), buildStorybook(options)]);
  reportEarlyExit(dev);
  env = { ...process.env, STORYBOOK_DEV_ORIGIN: dev.origin, STORYBOOK_STATIC_DIR: build.dir };
  console.log(`run-engines: storybook dev at ${dev.origin} and a static build in ${build.dir} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
