// Checks the built package as users get it (run after `npm run build`):
// - every file starts with 'use client' (React Server Components frameworks need it on entry
//   points and chunks; a rollup pass once dropped it silently);
// - each entry loads in plain Node through the package's own exports, ESM and CJS, touching no
//   browser API (SSR), and exports the public API.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const failures = [];
for (const file of readdirSync('dist').filter((f) => /\.(c?js)$/.test(f))) {
  if (!readFileSync(`dist/${file}`, 'utf8').startsWith("'use client';")) failures.push(`dist/${file} does not start with 'use client'`);
}

const expected = {
  'react-sse-hub': ['SseProvider', 'defineStream', 'useEventStream', 'useLatestEvent', 'useSseEvent', 'useSseStatus', 'useSsePool'],
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

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`dist: 'use client' on every file; ${Object.keys(expected).length} entries load as ESM and CJS with their exports.`);
