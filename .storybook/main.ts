import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';
import type { Plugin } from 'vite';
import { demoEndpoints } from './demo-endpoints.js';

const src = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

/** Serves the demo SSE endpoints from Storybook's own dev server (absent from the static build). */
function demoServer(): Plugin {
  return {
    name: 'react-sse-hub-demo-endpoints',
    configureServer(server) {
      server.middlewares.use(demoEndpoints);
    },
  };
}

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(config) {
    const { mergeConfig } = await import('vite');
    return mergeConfig(config, {
      // Stories import the package by its name, resolved to the sources (as tsconfig's paths do).
      resolve: {
        alias: [
          { find: /^react-sse-hub\/devtools$/, replacement: src('devtools/index.ts') },
          { find: /^react-sse-hub\/testing$/, replacement: src('testing/index.ts') },
          { find: /^react-sse-hub$/, replacement: src('index.ts') },
        ],
      },
      // Pre-bundled up front so the first visit does not trigger a dependency re-optimisation reload.
      optimizeDeps: { include: ['zod', 'eventsource-parser'] },
      plugins: [demoServer()],
    });
  },
};

export default config;
