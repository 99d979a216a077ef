// Type-checks the library's source and its type tests (test/types) against @types/react 18, since
// peerDependencies promise React ^18 as well as ^19 (the root tsconfig has @types/react 19).
// Run after ensure-installed.mjs; fails if any React type came from somewhere other than here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let files;
try {
  files = execFileSync(process.execPath, [tsc, '-p', `${dir}tsconfig.types.json`, '--noEmit', '--listFiles'], { encoding: 'utf8' }).split('\n');
} catch (error) {
  // tsc prints its errors among the --listFiles lines: show the errors only.
  const listed = /^\/\S+\.tsx?$/;
  console.error(String(error.stdout ?? '').split('\n').filter((line) => !listed.test(line)).join('\n'));
  console.error('test/react18: the source or test/types does not type-check against @types/react 18.');
  process.exit(1);
}
const reactTypes = files.filter((file) => /\/@types\/react(-dom)?\//.test(file));
const elsewhere = reactTypes.filter((file) => !file.startsWith(`${dir}node_modules/`));
if (reactTypes.length === 0 || elsewhere.length > 0) {
  console.error(`test/react18: React's types must all come from ${dir}node_modules; also read:\n${elsewhere.join('\n')}`);
  process.exit(1);
}
const tests = files.filter((file) => file.includes('/test/types/')).length;
if (tests === 0) {
  console.error('test/react18: no file of test/types was checked.');
  process.exit(1);
}
const { version } = JSON.parse(readFileSync(`${dir}node_modules/@types/react/package.json`, 'utf8'));
console.log(`test/react18: src and ${tests} type test file(s) type-check against @types/react ${version}.`);
