import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

const src = path.resolve('src');

/**
 * Source folders built as one file each. An import that crosses into one of them from outside is
 * left as an import of that file, so the core and the React layer exist once in the package
 * (every entry shares them, in ESM and in CJS alike) and each file can carry its own directive.
 */
const SHARED_FILES = [
  { dir: path.join(src, 'core') + path.sep, file: 'core' },
  { dir: path.join(src, 'react') + path.sep, file: 'client' },
];

/**
 * Only the React layer and devtools are client code. The public entry and the core carry no
 * directive, so a Server Component can import the stream module and call defineStream(), and
 * render <SseProvider> (a client reference through the entry's re-export).
 */
const CLIENT_FILES = ['client', 'devtools'];

function sharedFiles(): Plugin {
  return {
    name: 'shared-files',
    setup(build) {
      const ext = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = path.resolve(args.resolveDir, args.path);
        const shared = SHARED_FILES.find(({ dir }) => target.startsWith(dir) && !args.importer.startsWith(dir));
        return shared ? { path: `./${shared.file}${ext}`, external: true } : undefined;
      });
    },
  };
}

async function markClientFiles(): Promise<void> {
  for (const name of CLIENT_FILES) {
    for (const ext of ['.js', '.cjs']) {
      const file = path.join('dist', name + ext);
      await writeFile(file, `'use client';\n${await readFile(file, 'utf8')}`);
    }
  }
}

// Three public entry points (index, testing, devtools) plus the two shared files, each ESM + CJS
// with .d.ts/.d.cts. React stays external (peer). No `treeshake` option: it runs rollup over the
// output (esbuild's own tree-shaking still applies).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    devtools: 'src/devtools/index.ts',
    core: 'src/core/index.ts',
    client: 'src/react/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', devtools: 'src/devtools/index.ts' } },
  clean: true,
  sourcemap: false,
  target: 'es2022',
  external: ['react', 'react-dom'],
  esbuildPlugins: [sharedFiles()],
  onSuccess: markClientFiles,
});
