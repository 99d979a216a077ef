// Type-checks every TypeScript block of README.md against the library's source: an example that
// no longer compiles fails `npm test`.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { blocksDir, writeBlocks } from './extract-blocks.mjs';

const files = writeBlocks();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', `${blocksDir}/tsconfig.json`, '--noEmit'], { stdio: 'inherit' });
} catch {
  console.error(`README.md: a code block does not type-check (files in ${blocksDir}, numbered in README order).`);
  process.exit(1);
}
console.log(`README.md: ${files.length} code blocks type-check.`);
