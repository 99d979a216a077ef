// `npm run bench`: react-sse-hub against react-use-websocket (useEventSource, share: true),
// react-hooks-sse and a naive per-component EventSource, side by side in one headless Chromium
// run against a local counting SSE server. Prints a table and writes bench/RESULTS.md.
// Figures, not pass/fail: nothing here is part of `npm test`.
//
// Options (flags or environment):
//   --only flood  (BENCH_ONLY=flood)  only the flood scenario (bench/flood.mjs, issue 14): prints its
//                 tables and writes bench/.build/flood.md, leaving bench/RESULTS.md alone.
//                 --only main runs everything but the flood.
//   --runs N      (BENCH_FLOOD_RUNS)  runs per flood variant, figures are medians (default 3)
//   BENCH_PROFILE=native,baseline  a CPU profile of each run of those flood variants, in
//                 bench/.build/ (summary: node bench/profile-summary.mjs <file>); see bench/flood.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { FLOOD_EVENTS, FLOOD_SUBSCRIBERS, floodMarkdown, runFlood } from './flood.mjs';
import { measureParse } from './parse.mjs';
import { startBenchServer } from './server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = fileURLToPath(new URL('./.build', import.meta.url));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'];

const LIBS = ['hub', 'rws', 'hooks-sse', 'naive'];
const LIB_NAMES = { hub: 'react-sse-hub', rws: 'react-use-websocket', 'hooks-sse': 'react-hooks-sse', naive: 'naive EventSource' };
const SUBSCRIBERS = 200;
const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
/** A peer that has not delivered every event by then is reported with its progress. */
const THROUGHPUT_CAP_MS = Number(process.env.BENCH_CAP_MS ?? 45_000);
const HEAP_EVENTS = 100_000;

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
};
const ONLY = flag('only') ?? process.env.BENCH_ONLY ?? 'all';
if (!['all', 'flood', 'main'].includes(ONLY)) throw new Error(`--only ${ONLY}: expected flood or main`);
const FLOOD_RUNS = Number(flag('runs') ?? process.env.BENCH_FLOOD_RUNS ?? 3);

const log = (...args) => console.error('[bench]', ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let pathCounter = 0;
const fresh = (name) => `/sse/${name}-${++pathCounter}`;

async function bundlePage(name = 'bench', { profiling = true } = {}) {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./page/${name}.tsx`, import.meta.url))],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: `${root}tsconfig.json`,
    jsx: 'automatic',
    logLevel: 'warning',
    outdir,
    plugins: profiling
      ? [
          {
            // React's profiling renderer: production speed, but <Profiler onRender> still reports commits.
            name: 'react-dom-profiling',
            setup(b) {
              b.onResolve({ filter: /^react-dom\/client$/ }, () => ({ path: `${root}node_modules/react-dom/profiling.js` }));
            },
          },
        ]
      : [],
  });
  const text = result.outputFiles[0].text;
  writeFileSync(`${outdir}/${name}.js`, text);
  return text;
}

async function waitFor(check, timeoutMs, pollMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value.ok) return { ...value, timedOut: false };
    if (Date.now() > deadline) return { ...value, timedOut: true };
    await sleep(pollMs);
  }
}

async function main() {
  const startedAt = Date.now();
  log('bundling the pages');
  const bundle = ONLY === 'flood' ? '' : await bundlePage('bench');
  const floodBundle = ONLY === 'main' ? '' : await bundlePage('flood', { profiling: false });
  const html = (title, script) => `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="${script}"></script>`;
  const server = await startBenchServer({
    routes(req, res, url) {
      const js = { '/bench.js': bundle, '/flood.js': floodBundle }[url.pathname];
      if (js !== undefined) {
        res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' }).end(js);
        return true;
      }
      if (url.pathname === '/' || url.pathname === '/flood') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end(url.pathname === '/' ? html('bench', '/bench.js') : html('flood', '/flood.js'));
        return true;
      }
      return false;
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  const context = await browser.newContext();
  const errors = [];
  const results = {};
  if (ONLY === 'flood') {
    log(`6–7: flood (${fmt(FLOOD_EVENTS)} events → ${FLOOD_SUBSCRIBERS} subscribers; ${FLOOD_RUNS} runs per variant)`);
    results.flood = await runFlood({ context, server, runs: FLOOD_RUNS, log });
    const chromiumVersion = browser.version();
    await browser.close();
    await server.close();
    const seconds = (Date.now() - startedAt) / 1000;
    const md = `${machineLine({ chromiumVersion, seconds })}\n\n${floodMarkdown(results.flood)}`;
    mkdirSync(outdir, { recursive: true });
    writeFileSync(`${outdir}/flood.md`, md);
    writeFileSync(`${outdir}/flood.json`, JSON.stringify(results.flood, null, 2));
    console.log(md);
    return;
  }
  const openPage = async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.origin);
    await page.waitForFunction(() => 'bench' in window);
    return page;
  };
  const page = await openPage();
  const mount = (p, spec) => p.evaluate((s) => window.bench.mount(s), spec);
  const progress = (p, id) => p.evaluate((i) => window.bench.progress(i), id);
  const unmount = (p, id) => p.evaluate((i) => window.bench.unmount(i), id);

  // 1. Connections for 200 components on one URL (server-observed).
  log('1: connections');
  results.connections = {};
  for (const lib of LIBS) {
    const path = fresh(`conn-${lib}`);
    const before = await page.evaluate(() => window.bench.eventSourcesCreated());
    const id = await mount(page, { lib, url: `${path}?count=20&interval=20`, subscribers: SUBSCRIBERS, target: 20 });
    const p = await waitFor(async () => {
      const r = await progress(page, id);
      return { ...r, ok: r.done === SUBSCRIBERS };
    }, 4_000);
    const s = server.stats(path);
    results.connections[lib] = { requests: s.requests, maxOpen: s.maxOpen, created: p.eventSourcesCreated - before, done: p.done };
    await unmount(page, id);
  }
  {
    const path = fresh('conn-tabs');
    const tabs = [page, await openPage(), await openPage()];
    const ids = [];
    for (const tab of tabs) ids.push(await mount(tab, { lib: 'hub', url: `${path}?count=60&interval=25`, subscribers: SUBSCRIBERS, target: 60, shareAcrossTabs: true }));
    const done = await waitFor(async () => {
      const all = await Promise.all(tabs.map((tab, i) => progress(tab, ids[i])));
      return { ok: all.every((r) => r.done === SUBSCRIBERS), done: all.map((r) => r.done) };
    }, 8_000);
    const s = server.stats(path);
    results.crossTab = { requests: s.requests, maxOpen: s.maxOpen, done: done.done, timedOut: done.timedOut };
    for (const [i, tab] of tabs.entries()) await unmount(tab, ids[i]);
    await tabs[1].close();
    await tabs[2].close();
  }
  log(JSON.stringify(results.connections), JSON.stringify(results.crossTab));

  // 2. 20,000 events to 200 subscribers that each select one field.
  log(`2: throughput (${THROUGHPUT_EVENTS} events, ${SUBSCRIBERS} subscribers)`);
  results.throughput = {};
  for (const lib of LIBS) {
    await sleep(300);
    const path = fresh(`tp-${lib}`);
    // About 20 events per millisecond: a busy feed, paced so that chunking is the network's, not one write.
    const query = `count=${THROUGHPUT_EVENTS}&perWrite=20&interval=1${lib === 'naive' ? '&end=1' : ''}`;
    const id = await mount(page, { lib, url: `${path}?${query}`, subscribers: SUBSCRIBERS, target: THROUGHPUT_EVENTS, capMs: THROUGHPUT_CAP_MS });
    const r = await waitFor(async () => {
      const x = await progress(page, id);
      return { ...x, ok: x.done === SUBSCRIBERS || x.stopped };
    }, THROUGHPUT_CAP_MS + 60_000, 500);
    results.throughput[lib] = r;
    log(lib, JSON.stringify(r));
    await unmount(page, id);
  }

  // 3. 100 events in one network chunk: renders per subscriber.
  log('3: one chunk of 100 events');
  results.burst = {};
  for (const lib of LIBS) {
    const path = fresh(`burst-${lib}`);
    const id = await mount(page, { lib, url: `${path}?count=100&perWrite=100&delay=300${lib === 'naive' ? '&end=1' : ''}`, subscribers: SUBSCRIBERS, target: 100, capMs: 30_000 });
    const r = await waitFor(async () => {
      const x = await progress(page, id);
      return { ...x, ok: x.done === SUBSCRIBERS || x.stopped };
    }, 60_000);
    await sleep(200); // renders that trail the last event still count
    results.burst[lib] = { ...(await progress(page, id)), timedOut: r.timedOut };
    log(lib, JSON.stringify(results.burst[lib]));
    await unmount(page, id);
  }

  // 4. Heap growth after 100,000 events through useEventStream({ bufferSize: 100 }), on a fresh tab.
  log('4: heap');
  {
    const tab = await openPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('HeapProfiler.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const path = fresh('heap');
    await tab.evaluate(([url, n]) => window.bench.startBuffer(url, n), [`${path}?count=${HEAP_EVENTS}&perWrite=100&interval=0&delay=1500`, HEAP_EVENTS]);
    await sleep(700); // connected and rendered, before the first event
    const before = await heap();
    const t0 = Date.now();
    await tab.evaluate(() => window.bench.bufferDone());
    const ms = Date.now() - t0;
    const after = await heap();
    results.heap = { before, after, growth: after - before, ms };
    await tab.evaluate(() => window.bench.stopBuffer());
    await tab.close();
    log(JSON.stringify(results.heap));
  }

  if (ONLY === 'all') {
    // 6–7. The flood (issue 14), on fresh tabs.
    await page.close();
    log(`6–7: flood (${fmt(FLOOD_EVENTS)} events → ${FLOOD_SUBSCRIBERS} subscribers; ${FLOOD_RUNS} runs per variant)`);
    results.flood = await runFlood({ context, server, runs: FLOOD_RUNS, log });
  }

  const chromiumVersion = browser.version();
  await browser.close();
  await server.close();

  // 5. Parse throughput (Node).
  log('5: parse throughput (Node)');
  results.parse = await measureParse();
  log(JSON.stringify(results.parse));

  results.errors = errors;
  report(results, { chromiumVersion, seconds: (Date.now() - startedAt) / 1000 });
}

const fmt = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
// Two significant digits below 0.1, so a ratio like 0.00007 does not print as 0.000.
const ratio = (a, b) => (a === undefined || b === undefined || !b ? '–' : `${a / b < 0.1 ? (a / b).toPrecision(2) : (a / b).toFixed(2)}×`);

function report(r, { chromiumVersion, seconds }) {
  const rows = [];
  const row = (metric, values, note = '', hubValue = values.hub) => rows.push({ metric, values, note, hubValue });
  const c = r.connections;
  row(
    `(1) connections, ${SUBSCRIBERS} components on 1 URL: server requests / max open (EventSources created)`,
    Object.fromEntries(LIBS.map((l) => [l, `${c[l].requests} / ${c[l].maxOpen} (${c[l].created})`])),
    'naive: Chromium opens at most 6 per host and queues the rest',
    undefined,
  );
  const tp = r.throughput;
  const capped = (x) => x.stopped || x.timedOut;
  const extrapolate = (x, v) => (x.delivered > 0 ? (v * THROUGHPUT_EVENTS) / x.delivered : undefined);
  const tpCell = (x) =>
    capped(x) ? `>${fmt(x.elapsedMs)} (stopped at the cap: ${x.done}/${SUBSCRIBERS} subscribers had all events, every one had ${fmt(x.delivered)}${x.delivered ? `; ≈${fmt(extrapolate(x, x.elapsedMs))} extrapolated` : ''})` : fmt(x.elapsedMs);
  rows.push({ metric: `(2) wall time, ${fmt(THROUGHPUT_EVENTS)} events → ${SUBSCRIBERS} subscribers (ms)`, cells: Object.fromEntries(LIBS.map((l) => [l, tpCell(tp[l])])), nums: Object.fromEntries(LIBS.map((l) => [l, tp[l].elapsedMs])), lowerBound: Object.fromEntries(LIBS.map((l) => [l, capped(tp[l])])) });
  const capNote = (x, v) => (capped(x) ? `>${fmt(v)}${x.delivered ? ` (≈${fmt(extrapolate(x, v))} extrapolated)` : ''}` : fmt(v));
  rows.push({ metric: '(2) React commits (Profiler onRender)', cells: Object.fromEntries(LIBS.map((l) => [l, capNote(tp[l], tp[l].commits)])), nums: Object.fromEntries(LIBS.map((l) => [l, tp[l].commits])), lowerBound: Object.fromEntries(LIBS.map((l) => [l, capped(tp[l])])) });
  rows.push({ metric: '(2) subscriber renders (total)', cells: Object.fromEntries(LIBS.map((l) => [l, capNote(tp[l], tp[l].renders)])), nums: Object.fromEntries(LIBS.map((l) => [l, tp[l].renders])), lowerBound: Object.fromEntries(LIBS.map((l) => [l, capped(tp[l])])) });
  const b = r.burst;
  const per = (x) => x.dataRenders / x.subscribers;
  rows.push({ metric: `(3) 100 events in one chunk: renders per subscriber (mean, max)`, cells: Object.fromEntries(LIBS.map((l) => [l, `${fmt(per(b[l]), 2)} (max ${b[l].maxDataRenders})${b[l].done < b[l].subscribers ? ` [only ${b[l].done}/${b[l].subscribers} got all 100 within 30 s]` : ''}`])), nums: Object.fromEntries(LIBS.map((l) => [l, per(b[l])])) });
  rows.push({ metric: '(3) React commits for the chunk', cells: Object.fromEntries(LIBS.map((l) => [l, fmt(b[l].commits)])), nums: Object.fromEntries(LIBS.map((l) => [l, b[l].commits])) });

  const header = `| metric | ${LIBS.map((l) => LIB_NAMES[l]).join(' | ')} | hub / rws | hub / hooks-sse | hub / naive |`;
  const lines = [header, `|${' --- |'.repeat(LIBS.length + 4)}`];
  for (const x of rows) {
    if (x.values) {
      lines.push(`| ${x.metric} | ${LIBS.map((l) => x.values[l]).join(' | ')} | ${ratio(c.hub.maxOpen, c.rws.maxOpen)} | ${ratio(c.hub.maxOpen, c['hooks-sse'].maxOpen)} | ${ratio(c.hub.requests, c.naive.created)} (vs created) |`);
      continue;
    }
    const rat = (peer) => {
      const text = ratio(x.nums.hub, x.nums[peer]);
      return x.lowerBound?.[peer] && text !== '–' ? `<${text}` : text;
    };
    lines.push(`| ${x.metric} | ${LIBS.map((l) => x.cells[l]).join(' | ')} | ${rat('rws')} | ${rat('hooks-sse')} | ${rat('naive')} |`);
  }
  const t = r.crossTab;
  const h = r.heap;
  const p = r.parse;
  const extra = [
    `| measurement | react-sse-hub | reference | ratio |`,
    '| --- | --- | --- | --- |',
    `| (1) 3 tabs × ${SUBSCRIBERS} components, \`<SseProvider shareAcrossTabs>\`: server requests / max open | ${t.requests} / ${t.maxOpen}${t.timedOut ? ` (not every tab got every event: ${t.done.join(', ')} of ${SUBSCRIBERS} done)` : ''} | target 1 | – |`,
    `| (4) JS heap growth after ${fmt(HEAP_EVENTS)} events, useEventStream bufferSize 100 (CDP, after GC) | ${fmt(h.growth / 1024 / 1024, 2)} MB (${fmt(h.before / 1048576, 2)} → ${fmt(h.after / 1048576, 2)} MB, ${fmt(h.ms)} ms) | target < 5 MB | – |`,
    `| (5) parse throughput, ${fmt(p.megabytes, 0)} MB stream in 64 KiB chunks (Node ${process.version}) | fetch transport ${fmt(p.transport, 1)} MB/s | eventsource-parser alone ${fmt(p.parser, 1)} MB/s | ${ratio(p.transport, p.parser)} |`,
  ];
  const machine = machineLine({ chromiumVersion, seconds });
  const notes = [
    `- (1) counts what the server saw; "EventSources created" is counted in the page by wrapping \`window.EventSource\`.`,
    `- (2) the server sends ${fmt(THROUGHPUT_EVENTS)} events, 20 per write, one write per ~1 ms timer tick. Every subscriber selects \`n\`, which changes with every event (react-sse-hub: \`useLatestEvent(url, 'message', { select })\`; react-use-websocket: \`useEventSource(url, { share: true })\` + \`JSON.parse(lastEvent.data).n\`; react-hooks-sse: \`useSSE('message', undefined, { stateReducer })\`; naive: \`new EventSource\` + \`useState\` per component). Time runs from mount until every subscriber rendered the last event. A library still running after ${fmt(THROUGHPUT_CAP_MS / 1000)} s is stopped (the page closes its EventSources): its figures are then lower bounds (">"), the ratios upper bounds ("<"), and "extrapolated" scales the figure by ${fmt(THROUGHPUT_EVENTS)} / events delivered.`,
    `- (2) react-hooks-sse shows few commits because each event queues one reducer update per subscriber (${fmt(THROUGHPUT_EVENTS * SUBSCRIBERS)} in all) and React applies them in a few huge renders; its time goes into those dispatches. react-use-websocket calls \`flushSync\` per message per subscriber: one commit each. The naive hook holds one connection per component, and Chromium opens 6 per host at a time.`,
    `- (3) ${SUBSCRIBERS} subscribers; the server opens the stream, waits 300 ms, then writes 100 events in one write. "Renders per subscriber" counts renders that had data, i.e. renders the events caused.`,
    `- Pages are production builds with React's profiling renderer (\`react-dom/profiling\`) so \`<Profiler onRender>\` counts commits; React ${r.reactVersion ?? '19'}.`,
    `- (5) is measured in Node, not the browser: the same bytes go through react-sse-hub's fetch transport (fetch stubbed with an in-memory \`Response\`) and through \`ReadableStream\` reader + \`TextDecoder\` + eventsource-parser \`createParser\` alone; best of ${p.rounds}.`,
  ];
  if (r.errors.length) notes.push(`- Page errors: ${r.errors.slice(0, 5).join(' / ')}`);
  const flood = r.flood ? `\n${floodMarkdown(r.flood)}` : '';
  const md = `# Benchmark results\n\n${machine}\n\nRatios are react-sse-hub / peer (lower is better for every row).\n\n${lines.join('\n')}\n\n${extra.join('\n')}\n\n${notes.join('\n')}\n${flood}`;
  const file = process.env.BENCH_RESULTS_FILE ?? fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  writeFileSync(file, md + keptSection(file));
  console.log(md);
}

function machineLine({ chromiumVersion, seconds }) {
  return `${new Date().toISOString()} · ${cpus().length} cores (nproc ${nproc()}, ${cpus()[0]?.model ?? 'unknown CPU'}) · Node ${process.version} · Chromium ${chromiumVersion} · run took ${fmt(seconds)} s`;
}

function nproc() {
  try {
    return execFileSync('nproc').toString().trim();
  } catch {
    return String(cpus().length);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/** Hand-written notes below KEPT_MARKER in the results file (figures not produced by this run) survive a run. */
const KEPT_MARKER = '<!-- npm run bench keeps everything below this line -->';
function keptSection(file) {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = previous.indexOf(KEPT_MARKER);
  return at === -1 ? '' : `\n${previous.slice(at)}`;
}
