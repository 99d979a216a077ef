import { defineStream } from 'react-sse-hub';

export interface Tick {
  n: number;
  at: number;
}

/** One descriptor shared by every component: one connection for all of them. */
export const ticks = defineStream<{ tick: Tick }>('/sse/ticks', { events: ['tick'] });
