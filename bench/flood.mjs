// The flood scenario (issue 14), driven from bench/run.mjs: 100 subscribers on one stream while the
// server writes 200,000 events as fast as the socket accepts, through a bare EventSource (the
// baseline), react-sse-hub's native transport and its fetch transport; then a flood of 200,000
// `: keep-alive` comments (+ a few events) through the fetch transport, with the bare EventSource
// as reference. Every variant runs `runs` times on a fresh tab, interleaved (run 1 of each, then
// run 2 of each …) so that load from elsewhere on the machine spreads over all of them; each
// figure is the median of its runs. The page is bench/page/flood.tsx.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FLOOD_SUBSCRIBERS = Number(process.env.BENCH_FLOOD_SUBSCRIBERS ?? 100);
export const FLOOD_EVENTS = Number(process.env.BENCH_FLOOD_EVENTS ?? 200_000);
export const FLOOD_COMMENTS = Number(process.env.BENCH_FLOOD_COMMENTS ?? 200_000);
export const FLOOD_COMMENT_EVENTS = 10;
/** A variant that has not delivered everything by then is reported as failed, with its progress. */
const CAP_MS = Number(process.env.BENCH_FLOOD_CAP_MS ?? 30_000);
/** How often the driver asks for the heap over CDP (besides the page's once-per-frame sample). */
const HEAP_SAMPLE_MS = 5;
// ~62 kB per write (events are ~31 bytes, comments 15): large writes, as many as the socket drains.
const EVENTS_PER_WRITE = 2_000;
const COMMENTS_PER_WRITE = 4_000;

export const FLOOD_VARIANTS = [
  { key: 'baseline', page: 'baseline', name: 'bare EventSource + JSON.parse', comments: false },
  { key: 'native', page: 'native', name: 'react-sse-hub native', comments: false },
  { key: 'fetch', page: 'fetch', name: 'react-sse-hub fetch', comments: false },
  { key: 'comments-fetch', page: 'fetch', name: 'comment flood, react-sse-hub fetch', comments: true },
  { key: 'comments-baseline', page: 'baseline', name: 'comment flood, bare EventSource', comments: true },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let pathCounter = 0;

/**
 * BENCH_PROFILE=native,baseline: a CPU profile of each run of those variants (the page's main
 * thread, 200 µs sampling, from the flood's start to its end), written to
 * bench/.build/profile-<variant>-<n>.cpuprofile (open it in Chrome's Performance panel, or
 * `node bench/profile-summary.mjs <file>` for self time by function). Profiling slows the page:
 * its figures are for the profile, not for RESULTS.md.
 */
const PROFILE_VARIANTS = new Set((process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean));

async function startProfile(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

async function saveProfile(cdp, name, log) {
  const { profile } = await cdp.send('Profiler.stop');
  const file = fileURLToPath(new URL(`./.build/profile-${name}.cpuprofile`, import.meta.url));
  writeFileSync(file, JSON.stringify(profile));
  log(`profile written: ${file}`);
}

async function floodOnce({ context, server, variant, log }) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${server.origin}/flood`);
    await page.waitForFunction(() => 'flood' in window);
    const cdp = await context.newCDPSession(page);
    const path = `/sse/flood-${variant.key}-${++pathCounter}`;
    const target = variant.comments ? FLOOD_COMMENT_EVENTS : FLOOD_EVENTS;
    const query = variant.comments
      ? `format=lean&gate=1&count=${target}&comments=${FLOOD_COMMENTS}&perWrite=${COMMENTS_PER_WRITE}`
      : `format=lean&gate=1&count=${target}&perWrite=${EVENTS_PER_WRITE}`;
    await page.evaluate((spec) => window.flood.mount(spec), { variant: variant.page, url: `${path}?${query}`, subscribers: FLOOD_SUBSCRIBERS, target, capMs: CAP_MS });
    await page.waitForFunction(() => window.flood.ready(), null, { timeout: 15_000, polling: 50 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // A clean start: collect garbage once before the flood (never during it).
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.disable');
    const heapBefore = (await cdp.send('Runtime.getHeapUsage')).usedSize;

    let sampling = true;
    const cdpHeap = { peak: heapBefore, samples: 0, maxGap: 0 };
    const sampler = (async () => {
      let prev = Date.now();
      while (sampling) {
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        const now = Date.now();
        cdpHeap.peak = Math.max(cdpHeap.peak, usedSize);
        cdpHeap.samples++;
        cdpHeap.maxGap = Math.max(cdpHeap.maxGap, now - prev);
        prev = now;
        await sleep(HEAP_SAMPLE_MS);
      }
    })();
    const profiling = PROFILE_VARIANTS.has(variant.key);
    if (profiling) await startProfile(cdp);
    await page.evaluate(() => window.flood.arm());
    server.release(path);
    const r = await page.evaluate(() => window.flood.finish());
    if (profiling) await saveProfile(cdp, `${variant.key}-${pathCounter}`, log);
    sampling = false;
    await sampler;
    const stats = server.stats(path);
    const heapPeak = Math.max(r.heapPeak, cdpHeap.peak);
    const result = {
      ...r,
      errors,
      ok: r.ok && errors.length === 0,
      eventsPerSecond: r.floodMs > 0 ? (r.target * 1000) / r.floodMs : undefined,
      heapBefore,
      heapPeak,
      heapGrowth: heapPeak - heapBefore,
      pageHeapPeak: r.heapPeak,
      cdpHeap,
      server: { requests: stats.requests, eventsSent: stats.eventsSent, commentsSent: stats.commentsSent, bytesSent: stats.bytesSent, writes: stats.writes, drainWaits: stats.drainWaits },
    };
    log(
      `flood ${variant.key}: ${result.ok ? 'ok' : 'FAILED'} ${variant.comments ? `${fmt((FLOOD_COMMENTS * 1000) / r.totalMs)} comments/s` : `${fmt(result.eventsPerSecond)} ev/s`}, flood ${fmt(r.floodMs)} ms (total ${fmt(r.totalMs)} ms), longest task ${fmt(r.longestTask)} ms (${r.longTasks} long tasks), frame gap ${fmt(r.frameGap)} ms, heap ${mb(heapBefore)} → peak ${mb(heapPeak)} MB (page ${mb(r.heapPeak)}, CDP ${mb(cdpHeap.peak)} over ${cdpHeap.samples} samples, max gap ${cdpHeap.maxGap} ms), renders/subscriber ${fmt(r.renders / r.subscribers, 1)}, server ${stats.requests} request(s) ${stats.writes} writes ${stats.drainWaits} drain waits` +
        (result.ok ? '' : ` — ${JSON.stringify({ timedOut: r.timedOut, seen: r.seen, subscribersDone: r.subscribersDone, minLast: r.minLast, violations: r.violations, errors })}`),
    );
    return result;
  } finally {
    await page.close();
  }
}

export async function runFlood({ context, server, runs, log }) {
  const byVariant = Object.fromEntries(FLOOD_VARIANTS.map((v) => [v.key, []]));
  for (let run = 1; run <= runs; run++) {
    log(`flood run ${run}/${runs}`);
    for (const variant of FLOOD_VARIANTS) {
      await sleep(200);
      byVariant[variant.key].push(await floodOnce({ context, server, variant, log }));
    }
  }
  const summary = {};
  for (const [key, list] of Object.entries(byVariant)) {
    const med = (f) => median(list.map(f));
    summary[key] = {
      runs: list.length,
      okRuns: list.filter((x) => x.ok).length,
      eventsPerSecond: med((x) => x.eventsPerSecond),
      floodMs: med((x) => x.floodMs),
      totalMs: med((x) => x.totalMs),
      longestTask: med((x) => x.longestTask),
      longTasks: med((x) => x.longTasks),
      frameGap: med((x) => x.frameGap),
      heapPeak: med((x) => x.heapPeak),
      heapGrowth: med((x) => x.heapGrowth),
      rendersPerSubscriber: med((x) => x.renders / x.subscribers),
      maxRenders: Math.max(...list.map((x) => x.maxRenders)),
      callbacksPerSubscriber: med((x) => x.dataRenders / x.subscribers),
      longTaskApi: list.every((x) => x.longTaskApi),
      failures: list.filter((x) => !x.ok).map((x) => ({ timedOut: x.timedOut, seen: x.seen, subscribersDone: x.subscribersDone, violations: x.violations.slice(0, 3), errors: x.errors.slice(0, 3) })),
    };
  }
  return { runs, summary, raw: byVariant };
}

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const fmt = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const mb = (bytes) => fmt(bytes / 1048576, 2);
const ratioOf = (a, b) => (a === undefined || b === undefined || !b ? undefined : a / b);
const showRatio = (q) => (q === undefined ? '–' : `${q < 0.1 ? q.toPrecision(2) : q.toFixed(2)}×`);
const mark = (pass) => (pass === undefined ? '' : pass ? ' ✓' : ' ✗');

/** The flood tables in bench/RESULTS.md's style, plus their notes. */
export function floodMarkdown(flood) {
  const s = flood.summary;
  const b = s.baseline;
  const n = s.native;
  const f = s.fetch;
  const cf = s['comments-fetch'];
  const cb = s['comments-baseline'];
  const runs = flood.runs;
  // The Long Tasks API only reports tasks of 50 ms or more: none means "under 50 ms".
  const task = (x) => (x.longestTask > 0 ? fmt(x.longestTask) : '<50');
  const taskRatio = (x, ref) => {
    if (x.longestTask > 0 && ref.longestTask > 0) return { text: showRatio(x.longestTask / ref.longestTask), q: x.longestTask / ref.longestTask };
    if (!(x.longestTask > 0) && !(ref.longestTask > 0)) return { text: '– (both <50 ms)', q: 1 };
    if (!(ref.longestTask > 0)) return { text: `>${showRatio(x.longestTask / 50)} (baseline <50 ms)`, q: x.longestTask / 50 };
    return { text: `<${showRatio(50 / ref.longestTask)}`, q: 0 };
  };
  const heapCell = (x) => `${mb(x.heapPeak)} (+${mb(x.heapGrowth)})`;
  const okCell = (x) => `${x.okRuns}/${x.runs} runs${x.failures.length ? ` (${x.failures.map((e) => (e.timedOut ? `stopped at ${fmt(CAP_MS / 1000)} s: ${e.subscribersDone}/${FLOOD_SUBSCRIBERS} done, ${fmt(e.seen)} seen` : e.violations[0] ?? e.errors[0] ?? 'failed')).join('; ')})` : ''}`;

  const tpN = ratioOf(n.eventsPerSecond, b.eventsPerSecond);
  const tpF = ratioOf(f.eventsPerSecond, b.eventsPerSecond);
  const ltN = taskRatio(n, b);
  const ltF = taskRatio(f, b);
  const hpN = ratioOf(n.heapPeak, b.heapPeak);
  const hpF = ratioOf(f.heapPeak, b.heapPeak);
  const fetchTpOk = f.eventsPerSecond >= 100_000;
  const fetchTaskOk = (f.longestTask ?? 0) < 100;

  const lines = [
    `| metric | bare EventSource + JSON.parse | react-sse-hub native | react-sse-hub fetch | native / baseline | fetch / baseline | target |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| (6) flood: events/s, ${fmt(FLOOD_EVENTS)} events → ${FLOOD_SUBSCRIBERS} subscribers, first event → last event at every subscriber | ${fmt(b.eventsPerSecond)} | ${fmt(n.eventsPerSecond)} | ${fmt(f.eventsPerSecond)} | ${showRatio(tpN)}${mark(tpN === undefined ? undefined : tpN >= 0.95)} | ${showRatio(tpF)} | native ≥ 0.95×; fetch ≥ 100,000 ev/s${mark(fetchTpOk)} |`,
    `| (6) flood: longest long task (ms) | ${task(b)} | ${task(n)} | ${task(f)} | ${ltN.text}${mark(ltN.q <= 1.1)} | ${ltF.text} | native ≤ 1.1×; fetch < 100 ms${mark(fetchTaskOk)} |`,
    `| (6) flood: longest gap between animation frames (ms) | ${fmt(b.frameGap)} | ${fmt(n.frameGap)} | ${fmt(f.frameGap)} | ${showRatio(ratioOf(n.frameGap, b.frameGap))} | ${showRatio(ratioOf(f.frameGap, b.frameGap))} | – |`,
    `| (6) flood: JS heap peak, no forced GC, MB (growth over the heap before the flood) | ${heapCell(b)} | ${heapCell(n)} | ${heapCell(f)} | ${showRatio(hpN)}${mark(hpN === undefined ? undefined : hpN <= 1.5)} | ${showRatio(hpF)} | ≤ 1.5× |`,
    `| (6) flood: renders per subscriber (mean; max) | – (${fmt(b.callbacksPerSubscriber)} callbacks) | ${fmt(n.rendersPerSubscriber, 1)}; ${fmt(n.maxRenders)} | ${fmt(f.rendersPerSubscriber, 1)}; ${fmt(f.maxRenders)} | – | – | – |`,
    `| (6) flood: every subscriber got every event once, in order | ${okCell(b)} | ${okCell(n)} | ${okCell(f)} | – | – | all runs |`,
  ];
  const tpC = (x) => (x.totalMs ? (FLOOD_COMMENTS * 1000) / x.totalMs : undefined);
  const ltC = taskRatio(cf, cb);
  const comments = [
    `| (7) comment flood: ${fmt(FLOOD_COMMENTS)} \`: keep-alive\` comments + ${FLOOD_COMMENT_EVENTS} events → ${FLOOD_SUBSCRIBERS} subscribers | react-sse-hub fetch | bare EventSource (reference) | ratio | target |`,
    '| --- | --- | --- | --- | --- |',
    `| (7) time, flood start → last event at every subscriber (ms); comments/s | ${fmt(cf.totalMs)}; ${fmt(tpC(cf))} | ${fmt(cb.totalMs)}; ${fmt(tpC(cb))} | ${showRatio(ratioOf(cf.totalMs, cb.totalMs))} | – |`,
    `| (7) longest long task (ms) | ${task(cf)} | ${task(cb)} | ${ltC.text} | < 100 ms${mark((cf.longestTask ?? 0) < 100)} |`,
    `| (7) longest gap between animation frames (ms) | ${fmt(cf.frameGap)} | ${fmt(cb.frameGap)} | ${showRatio(ratioOf(cf.frameGap, cb.frameGap))} | – |`,
    `| (7) JS heap peak, no forced GC, MB (growth over the heap before the flood) | ${heapCell(cf)} | ${heapCell(cb)} | ${showRatio(ratioOf(cf.heapPeak, cb.heapPeak))} | ≤ 1.5×${mark(ratioOf(cf.heapPeak, cb.heapPeak) <= 1.5)} |`,
    `| (7) every subscriber got every event once, in order | ${okCell(cf)} | ${okCell(cb)} | – | all runs |`,
  ];
  const notes = [
    `- (6)–(7) each figure is the median of ${runs} run${runs === 1 ? '' : 's'} (\`--runs N\` or BENCH_FLOOD_RUNS), every run on a fresh tab; the variants take turns (run 1 of each, then run 2 …). The page (bench/page/flood.tsx) is a production build with React's ordinary renderer (no profiling build: nothing here counts commits).`,
    `- (6) the server writes events \`id: n\\ndata: {"n":n}\\n\\n\` (n = 1…${fmt(FLOOD_EVENTS)}), ${fmt(EVENTS_PER_WRITE)} per write (~62 kB), the next write as soon as \`res.write\` accepts (on 'drain' when it returned false). The stream is held until the page is connected and has painted, the driver has collected garbage once, and the page's clocks run. Baseline: one \`EventSource\`, one 'message' listener that does \`JSON.parse\` and hands the object to ${FLOOD_SUBSCRIBERS} plain callbacks, each checking n = its previous n + 1. react-sse-hub: \`<SseProvider>\` with ${FLOOD_SUBSCRIBERS} components \`useLatestEvent(stream, 'message', { select: (m) => m.n })\` (native: the URL string; fetch: \`defineStream(url, { transport: 'fetch' })\`), each checking in a layout effect that the n it rendered only grows and ends on ${fmt(FLOOD_EVENTS)}, plus one component with \`useSseEvent\` on the same stream that checks every event arrives once, in order (n = previous + 1). Events/s = ${fmt(FLOOD_EVENTS)} / (time from the first event delivered to the moment every subscriber has the last one).`,
    `- Longest long task: the longest PerformanceObserver 'longtask' entry that started during the flood (the API reports only tasks ≥ 50 ms: "<50" means none). Frame gap: the longest interval between requestAnimationFrame callbacks from the start of the flood to the first frame after its end. Heap peak: the highest \`usedJSHeapSize\` seen during the flood, sampled by the page (\`performance.memory\`, Chromium with \`--enable-precise-memory-info\`) once per frame, every 4 ms by a timer and every 256th event by the one per-event hook each variant has (the baseline's listener, the hub's \`useSseEvent\` verifier) — a long task starves frames and timers, not events — and by the driver over CDP (\`Runtime.getHeapUsage\`, every ~${HEAP_SAMPLE_MS} ms); garbage is never collected on purpose during the flood, so the peak includes garbage not yet collected. Renders per subscriber count every render of a \`useLatestEvent\` component (the first, empty one included).`,
    `- (7) the server writes ${fmt(FLOOD_COMMENTS)} \`: keep-alive\\n\\n\` comment blocks, ${fmt(COMMENTS_PER_WRITE)} per write (~60 kB), with event n = 1…${FLOOD_COMMENT_EVENTS} after every ${fmt(Math.ceil(FLOOD_COMMENTS / FLOOD_COMMENT_EVENTS))} comments; the same ${FLOOD_SUBSCRIBERS} \`useLatestEvent\` components + verifier on the fetch transport, and the bare EventSource baseline page as the reference. Time runs from the start of the flood (the page's clocks start, then the server sends) to the last event at every subscriber.`,
  ];
  return `### Flood (issue 14)\n\n${lines.join('\n')}\n\n${comments.join('\n')}\n\n${notes.join('\n')}\n`;
}
