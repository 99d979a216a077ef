// Checks the built package as users get it (run after `npm run build`):
// - 'use client' starts the React layer (client.*) and devtools, and nothing else: the public
//   entry and the core stay server code, so Server Components can call defineStream() (a rollup
//   pass once dropped the directive silently);
// - every name an entry takes from the shared core or client file exists there (ESM checks this
//   when linking; CJS would silently read undefined);
// - each entry loads in plain Node through the package's own exports, ESM and CJS, touching no
//   browser API (SSR), and exports the public API;
// - the lazily loaded chunks (fetch transport, cross-tab) exist under the names the ESM build
//   imports and export what the pool takes from them; the CJS build inlines them.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const failures = [];
const CLIENT_FILES = new Set(['client.js', 'client.cjs', 'devtools.js', 'devtools.cjs']);
for (const file of readdirSync('dist').filter((f) => /\.(c?js)$/.test(f))) {
  const marked = readFileSync(`dist/${file}`, 'utf8').startsWith("'use client';");
  if (CLIENT_FILES.has(file) && !marked) failures.push(`dist/${file} does not start with 'use client'`);
  if (!CLIENT_FILES.has(file) && marked) failures.push(`dist/${file} starts with 'use client'; only the React layer and devtools are client code`);
}

const expected = {
  'react-sse-hub': ['SseProvider', 'createSseClient', 'defineStream', 'useEventReducer', 'useEventStream', 'useLatestEvent', 'useSseEvent', 'useSseStatus', 'useSsePool'],
  'react-sse-hub/testing': ['createMockTransport'],
  'react-sse-hub/devtools': ['SseDevtools'],
};
const require = createRequire(import.meta.url);
for (const [entry, names] of Object.entries(expected)) {
  const esm = await import(entry);
  const cjs = require(entry);
  for (const name of names) {
    if (typeof esm[name] !== 'function') failures.push(`${entry} (ESM) does not export ${name}`);
    if (typeof cjs[name] !== 'function') failures.push(`${entry} (CJS) does not export ${name}`);
  }
}

const lazyChunks = { 'fetch-transport': ['createFetchTransport'], 'cross-tab-sharing': ['CrossTabHub', 'SharedOriginBudget'] };
const dynamicImports = readdirSync('dist')
  .filter((f) => f.endsWith('.js'))
  .flatMap((f) => [...readFileSync(`dist/${f}`, 'utf8').matchAll(/import\("(\.\/[^"]+)"\)/g)].map((m) => m[1]));
for (const [chunk, names] of Object.entries(lazyChunks)) {
  const specifier = dynamicImports.find((s) => s.startsWith(`./${chunk}-`));
  if (!specifier) {
    failures.push(`no ESM file imports the ${chunk} chunk lazily`);
    continue;
  }
  const module = await import(new URL(`../../dist/${specifier.slice(2)}`, import.meta.url).href);
  for (const name of names) if (typeof module[name] !== 'function') failures.push(`dist/${specifier.slice(2)} does not export ${name}`);
}
const require_ = createRequire(new URL('../../dist/', import.meta.url));
for (const file of readdirSync('dist').filter((f) => f.endsWith('.cjs'))) {
  const text = readFileSync(`dist/${file}`, 'utf8');
  for (const [, binding, target] of text.matchAll(/var (\w+) = require\("(\.\/[^"]+)"\)/g)) {
    const shared = require_(target);
    for (const [, name] of text.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))) {
      if (!(name in shared)) failures.push(`dist/${file} reads ${name} from ${target}, which does not export it`);
    }
  }
  if (/import\("\.\//.test(readFileSync(`dist/${file}`, 'utf8'))) failures.push(`dist/${file} imports a chunk; the CJS build should inline it`);
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(
  `dist: 'use client' on the React layer and devtools only; shared files export what entries take; ${Object.keys(expected).length} entries load as ESM and CJS with their exports; ` +
    `lazy chunks ${Object.keys(lazyChunks).join(', ')} load with theirs.`,
);
