import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ENGINES } from './test/browser/support/engines.mjs';

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const alias = {
  'react-sse-hub/testing': path('./src/testing/index.ts'),
  'react-sse-hub/devtools': path('./src/devtools/index.ts'),
  'react-sse-hub': path('./src/index.ts'),
};

// React 18 lives in its own folder (`npm ci --prefix test/react18`): installing it beside React 19
// in the root fails with ERESOLVE. A string alias also covers subpaths (react/jsx-runtime,
// react-dom/client), and Testing Library resolves react-dom from its own folder, i.e. 18 too.
const react18 = path('./test/react18/node_modules/');
const react18Alias = {
  ...alias,
  react: `${react18}react`,
  'react-dom': `${react18}react-dom`,
  '@testing-library/react': `${react18}@testing-library/react`,
  '@testing-library/dom': `${react18}@testing-library/dom`,
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'jsdom',
          // A spy or stub one test forgets to undo must not silence or fake anything for the next.
          restoreMocks: true,
          unstubGlobals: true,
          unstubEnvs: true,
          // test/react19: React 19-only APIs (<Activity>); the React 18 project does not run them.
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/react19/**/*.test.{ts,tsx}', 'test/node/**/*.test.ts'],
          typecheck: { enabled: true, include: ['test/types/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
        },
      },
      {
        resolve: { alias: react18Alias },
        test: {
          name: 'unit-react18',
          environment: 'jsdom',
          restoreMocks: true,
          unstubGlobals: true,
          unstubEnvs: true,
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/react18/**/*.test.{ts,tsx}'],
          exclude: ['**/node_modules/**'],
        },
      },
      // The browser suite once per engine, from the same files (test/browser/support/engines.mjs).
      ...ENGINES.map((engine) => ({
        resolve: { alias },
        test: {
          name: `browser-${engine}`,
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          env: { TEST_ENGINE: engine },
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // One browser and one server per file; files run one at a time so 2 cores are not oversubscribed.
          fileParallelism: false,
        },
      })),
    ],
  },
});
