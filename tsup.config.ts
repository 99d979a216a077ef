import { defineConfig } from 'tsup';

// Three entry points, each ESM + CJS with its own .d.ts/.d.cts. React stays external (peer).
// 'use client' is prepended so React Server Components frameworks treat the hooks as client code.
// No `treeshake` option: it runs rollup over the output, which drops the directive (esbuild's own
// tree-shaking still applies).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    devtools: 'src/devtools/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'es2020',
  external: ['react', 'react-dom'],
  banner: { js: "'use client';" },
});
