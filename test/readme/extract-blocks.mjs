import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Plain path arithmetic: under jsdom, the global URL is jsdom's and node's fileURLToPath rejects it.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const blocksDir = join(here, '.blocks');

/** Every ```ts / ```tsx block of README.md, in order. */
export function readmeBlocks() {
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  return [...readme.matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)].map((m, i) => ({ index: i + 1, lang: m[1], code: m[2] }));
}

/**
 * Writes each block to its own module under test/readme/.blocks, with a tsconfig that extends the
 * project's (so `react-sse-hub` resolves to src/). Returns the files written.
 */
export function writeBlocks() {
  rmSync(blocksDir, { recursive: true, force: true });
  mkdirSync(blocksDir, { recursive: true });
  const files = readmeBlocks().map(({ index, lang, code }) => {
    const file = `block-${String(index).padStart(2, '0')}.${lang}`;
    // A block without imports or exports would be a script sharing one global scope with the others.
    writeFileSync(`${blocksDir}/${file}`, /^(import|export) /m.test(code) ? code : `${code}\nexport {};\n`);
    return file;
  });
  writeFileSync(`${blocksDir}/tsconfig.json`, JSON.stringify({ extends: '../../../tsconfig.json', include: ['./*.ts', './*.tsx'], exclude: [], compilerOptions: { noUnusedLocals: false } }, null, 2));
  return files;
}
