// `node bench/profile-summary.mjs <file.cpuprofile> [rows]`: self time by function of a CPU profile
// that `BENCH_PROFILE=… npm run bench -- --only flood` wrote (see bench/flood.mjs). Minified names
// are the page build's (bench/.build/flood.js); V8 counts a function it inlined as its caller's time.
import { readFileSync } from 'node:fs';

const [file, rows = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [rows]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map();
let totalMs = 0;
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  const { functionName, url, lineNumber, columnNumber } = nodes.get(id).callFrame;
  const name = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}:${columnNumber + 1}` : ''}`;
  selfMs.set(name, (selfMs.get(name) ?? 0) + ms);
  totalMs += ms;
});
console.log(`${totalMs.toFixed(0)} ms sampled`);
for (const [name, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) console.log(`${ms.toFixed(1).padStart(9)} ms  ${name}`);
