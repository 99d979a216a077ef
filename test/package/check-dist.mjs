// Checks the built package as users get it (run after `npm run build`):
// - 'use client' starts the React layer (client.*) and devtools, and nothing else: the public
//   entry and the core stay server code, so Server Components can call defineStream() (a rollup
//   pass once dropped the directive silently);
// - every name an entry takes from the shared core or client file exists there (ESM checks this
//   when linking; CJS would silently read undefined);
// - each entry loads in plain Node through the package's own exports, ESM and CJS, touching no
//   browser API (SSR), and exports the public API;
// - an SseError made by the ESM build is an `instanceof SseError` of the CJS build and the other
//   way round (two module instances: the class carries a Symbol.for brand);
// - the lazily loaded chunks (fetch transport, cross-tab, status look-up) exist under the names
//   the ESM build imports and export what the pool takes from them; the CJS build inlines them;
// - every relative link in README.md and docs/*.md (relative to the file's folder) points to a
//   file the package contains (`npm pack --dry-run`), and to a heading that exists when it has a
//   #fragment: the docs are read from node_modules and on npm, where repo-only files (bench/,
//   .storybook/, examples/) are not there (test/package/doc-links.mjs);
// - package.json has no placeholder URL (a reserved domain such as example.invalid);
// - test/types/strict-consumer.test-d.tsx type-checks against dist/*.d.ts (exactOptionalPropertyTypes).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brokenDocLinks } from './doc-links.mjs';

const failures = [];
const CLIENT_FILES = new Set(['client.js', 'client.cjs', 'devtools.js', 'devtools.cjs']);
for (const file of readdirSync('dist').filter((f) => /\.(c?js)$/.test(f))) {
  const marked = readFileSync(`dist/${file}`, 'utf8').startsWith("'use client';");
  if (CLIENT_FILES.has(file) && !marked) failures.push(`dist/${file} does not start with 'use client'`);
  if (!CLIENT_FILES.has(file) && marked) failures.push(`dist/${file} starts with 'use client'; only the React layer and devtools are client code`);
}

const expected = {
  'react-sse-hub': ['SseError', 'SseProvider', 'createSseClient', 'defineStream', 'useEventReducer', 'useEventStream', 'useLatestEvent', 'useSseEvent', 'useSseStatus', 'useSsePool'],
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

// dist/core.js and dist/core.cjs are separate module instances, each with its own class.
const { SseError: EsmSseError } = await import('react-sse-hub');
const { SseError: CjsSseError } = require('react-sse-hub');
if (EsmSseError === CjsSseError) failures.push('SseError: the ESM and CJS builds share one class; the cross-build check proves nothing');
const esmError = new EsmSseError({ kind: 'http', message: 'HTTP 401', status: 401 });
const cjsError = new CjsSseError({ kind: 'network', message: 'lost' });
if (!(esmError instanceof CjsSseError) || !(cjsError instanceof EsmSseError)) failures.push('SseError: instanceof does not hold across the ESM and CJS builds');
if (!(esmError instanceof EsmSseError) || !(cjsError instanceof CjsSseError) || new Error('x') instanceof CjsSseError) failures.push('SseError: instanceof is wrong within a build');

const lazyChunks = {
  'fetch-transport': ['createFetchTransport'],
  'cross-tab-sharing': ['createCrossTabSharing'],
  'status-lookup': ['lookUpStatus'],
  'resume-store': ['openResumeStore'],
  'retry-decision': ['decideFailure'],
};
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

// The strict consumer's type test (test/types/strict-consumer.test-d.tsx: a wrapper passing its
// optional props on under exactOptionalPropertyTypes) against dist/*.d.ts, the types users get.
const tsc = require.resolve('typescript/bin/tsc');
try {
  const read = execFileSync(process.execPath, [tsc, '-p', 'test/types/tsconfig.dist.json', '--noEmit', '--listFiles'], { encoding: 'utf8' }).split('\n');
  if (!read.some((f) => f.endsWith('/dist/index.d.ts')) || read.some((f) => f.includes('/src/'))) {
    failures.push('test/types/tsconfig.dist.json: react-sse-hub must resolve to dist/*.d.ts, not to src');
  }
} catch (error) {
  const errors = String(error.stdout ?? '').split('\n').filter((line) => !/^\/\S+\.(d\.)?[cm]?tsx?$/.test(line));
  failures.push(`test/types/strict-consumer.test-d.tsx does not type-check against dist/*.d.ts:\n${errors.join('\n')}`);
}

// What `npm pack` puts in the tarball: the package as users get it.
const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const packed = new Set(pack.files.map((f) => f.path));
failures.push(...brokenDocLinks(packed));
for (const problem of placeholderUrls(readFileSync('package.json', 'utf8'))) failures.push(`package.json: ${problem}`);

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(
  `dist: 'use client' on the React layer and devtools only; shared files export what entries take; ${Object.keys(expected).length} entries load as ESM and CJS with their exports; ` +
    `SseError instanceof holds across ESM and CJS; lazy chunks ${Object.keys(lazyChunks).join(', ')} load with theirs; the strict consumer type test compiles against dist/*.d.ts; links in README.md and docs/*.md resolve inside the ${packed.size}-file package; no placeholder URL in package.json.`,
);

/** URLs and e-mail addresses on reserved or example domains (RFC 2606, RFC 6761): placeholders, not addresses. */
function placeholderUrls(text) {
  const hosts = [
    ...[...text.matchAll(/[a-z][a-z\d+.-]*:\/\/(?:[^@/"\s]*@)?([^/:"\s]+)/gi)].map((m) => m[1]),
    ...[...text.matchAll(/[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/g)].map((m) => m[1]),
  ];
  return hosts
    .filter((host) => /(^|\.)(invalid|example|test|localhost|example\.(com|net|org))$/i.test(host))
    .map((host) => `${host} is a placeholder domain; remove the field rather than point it nowhere`);
}
