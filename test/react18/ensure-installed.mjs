// Installs test/react18's own node_modules (React 18 next to the root's React 19) when they are
// missing or differ from its package.json: a fresh clone, or after a version bump. `npm ci` in the
// root does not install nested folders, so `npm run test:react18` calls this first.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = JSON.parse(readFileSync(`${dir}package.json`, 'utf8')).devDependencies;
const installedVersion = (name) => {
  const file = `${dir}node_modules/${name}/package.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
};
const stale = Object.entries(wanted).filter(([name, version]) => installedVersion(name) !== version);
if (stale.length > 0) {
  console.log(`test/react18: installing (${stale.map(([name, version]) => `${name}@${version}`).join(', ')})`);
  execFileSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
