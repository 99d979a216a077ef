// Shared stream module: no 'use client'. Server Components import it (page.tsx renders ticks.url and
// passes the descriptor to client components as a prop) and so do client components.
import { defineStream } from 'react-sse-hub';

export interface Tick {
  n: number;
  at: number;
}

export const ticks = defineStream<{ tick: Tick }>('/api/ticks', { events: ['tick'] });
