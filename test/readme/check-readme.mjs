// Type-checks every TypeScript block of README.md and docs/*.md against the library's source: an
// example that no longer compiles fails `npm test`.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { blocksDir, blockSources, writeBlocks } from './extract-blocks.mjs';

const blocks = writeBlocks();
const counts = blockSources().map((source) => `${source}: ${blocks.filter((b) => b.source === source).length}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', `${blocksDir}/tsconfig.json`, '--noEmit'], { stdio: 'inherit' });
} catch {
  console.error(`A code block does not type-check (files in ${blocksDir}: block-NN is README.md's, <name>-block-NN docs/<name>.md's, numbered in order).`);
  process.exit(1);
}
console.log(`Code blocks type-check (${counts.join(', ')}).`);
