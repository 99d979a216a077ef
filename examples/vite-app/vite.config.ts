import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { sseTicks } from './sse-plugin.ts';

export default defineConfig({
  plugins: [react(), sseTicks()],
});
