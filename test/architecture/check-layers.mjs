// The core's folders form a DAG, bottom to top (ARCHITECTURE in DESIGN.md's 0.3 picture). This
// check fails `npm test` on an import that goes up a layer or sideways between two folders of
// the same layer, and on any cycle between files, type-only imports included: a cycle a type
// import hides today is a runtime cycle the day someone imports a value along it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CORE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/core');

/** Lower layers first; a folder may import its own files and any folder of a lower layer. */
export const LAYERS = [
  ['events-and-state.ts'],
  ['types.ts'],
  ['errors', 'scheduling'],
  ['stream'],
  ['transport', 'budget'],
  ['connection'],
  ['cross-tab'],
  ['client'],
];

const rankOf = (unit) => LAYERS.findIndex((layer) => layer.includes(unit));

/** The folder (or root file) a core file belongs to; index.ts is the build's barrel, not a layer. */
function unitOf(core, file) {
  return path.relative(core, file).split(path.sep)[0];
}

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(d.name) ? [full] : [];
  });
}

function resolveImport(core, from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(core, from)}: cannot resolve '${spec}'`);
}

/** Every relative import of a file: static, type-only, re-exports and dynamic import(). */
export function importsOf(core, file) {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]);
  return specs.map((spec) => resolveImport(core, file, spec));
}

/** Problems in the core at `core` (the repository's by default), as readable lines; none when the layers hold. */
export function checkLayers(core = CORE) {
  const problems = [];
  const files = sourceFiles(core).filter((f) => path.relative(core, f) !== 'index.ts');
  for (const unit of new Set(files.map((f) => unitOf(core, f)))) {
    if (rankOf(unit) < 0) problems.push(`src/core/${unit} is in no layer: add it to LAYERS in test/architecture/check-layers.mjs`);
  }
  const graph = new Map(files.map((f) => [f, importsOf(core, f)]));
  for (const [file, targets] of graph) {
    const from = unitOf(core, file);
    for (const target of targets) {
      const to = unitOf(core, target);
      if (from === to) continue;
      if (!target.startsWith(core + path.sep)) problems.push(`${path.relative(core, file)} imports from outside the core: ${target}`);
      else if (rankOf(to) >= rankOf(from)) {
        problems.push(`${path.relative(core, file)} -> ${path.relative(core, target)}: '${from}' may not import '${to}' (same or higher layer)`);
      }
    }
  }
  for (const cycle of cyclesOf(graph)) problems.push(`cycle: ${cycle.map((f) => path.relative(core, f)).join(' -> ')}`);
  return problems;
}

/** Strongly connected components with more than one file (or a file importing itself), as cycles. */
function cyclesOf(graph) {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const cycles = [];
  const visit = (file) => {
    const m = { index, low: index, onStack: true };
    index++;
    meta.set(file, m);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      const n = meta.get(next);
      if (!n) {
        visit(next);
        m.low = Math.min(m.low, meta.get(next).low);
      } else if (n.onStack) m.low = Math.min(m.low, n.index);
    }
    if (m.low !== m.index) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      meta.get(member).onStack = false;
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.reverse());
  };
  for (const file of graph.keys()) if (!meta.has(file)) visit(file);
  return cycles;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkLayers();
  if (problems.length > 0) {
    console.error(`src/core layers: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`src/core layers: ${LAYERS.map((l) => l.join(' | ')).join(' < ')}; no upward import, no cycle`);
}
