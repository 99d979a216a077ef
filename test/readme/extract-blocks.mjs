import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Plain path arithmetic: under jsdom, the global URL is jsdom's and node's fileURLToPath rejects it.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const blocksDir = join(here, '.blocks');

/** README.md and every docs/*.md (docs/ ships in the package): the Markdown whose examples users copy. */
export function blockSources() {
  const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

/**
 * Every ```ts / ```tsx block of one Markdown file, in order, with the module name it is written to:
 * README's are block-01.tsx…, another file's are prefixed with its name (recipes-block-01.tsx).
 */
export function markdownBlocks(source) {
  const text = readFileSync(join(root, source), 'utf8');
  const prefix = source === 'README.md' ? 'block' : `${basename(source, '.md')}-block`;
  return [...text.matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)].map((m, i) => ({
    source,
    index: i + 1,
    lang: m[1],
    code: m[2],
    file: `${prefix}-${String(i + 1).padStart(2, '0')}.${m[1]}`,
  }));
}

/** Every ```ts / ```tsx block of README.md, in order. */
export function readmeBlocks() {
  return markdownBlocks('README.md');
}

/**
 * Writes each block of every source to its own module under test/readme/.blocks, with a tsconfig
 * that extends the project's (so `react-sse-hub` resolves to src/). Returns the blocks written.
 */
export function writeBlocks() {
  rmSync(blocksDir, { recursive: true, force: true });
  mkdirSync(blocksDir, { recursive: true });
  const blocks = blockSources().flatMap(markdownBlocks);
  for (const { file, code } of blocks) {
    // A block without imports or exports would be a script sharing one global scope with the others.
    writeFileSync(`${blocksDir}/${file}`, /^(import|export) /m.test(code) ? code : `${code}\nexport {};\n`);
  }
  writeFileSync(`${blocksDir}/tsconfig.json`, JSON.stringify({ extends: '../../../tsconfig.json', include: ['./*.ts', './*.tsx'], exclude: [], compilerOptions: { noUnusedLocals: false } }, null, 2));
  return blocks;
}
