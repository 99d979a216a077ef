import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  'react-sse-hub/testing': fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)),
  'react-sse-hub/devtools': fileURLToPath(new URL('./src/devtools/index.ts', import.meta.url)),
  'react-sse-hub': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
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
          include: ['test/unit/**/*.test.{ts,tsx}'],
          typecheck: { enabled: true, include: ['test/types/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One Chromium and one server per file; files run one at a time so 2 cores are not oversubscribed.
          fileParallelism: false,
        },
      },
    ],
  },
});
