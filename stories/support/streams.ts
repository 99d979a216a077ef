import { defineStream } from 'react-sse-hub';

/** Payloads of the demo endpoints (.storybook/demo-endpoints.ts). */
export interface Headline {
  id: number;
  topic: string;
  title: string;
  at: number;
}
export interface Notification {
  id: number;
  level: 'info' | 'success' | 'warning' | 'error';
  text: string;
}
export interface Metrics {
  cpu: number;
  memory: number;
  rps: number;
  at: number;
}
export interface Tick {
  symbol: string;
  price: number;
  seq: number;
}
export interface Count {
  n: number;
  name: string;
}

export const news = defineStream<{ headline: Headline }>('/sse/demo/news', { events: ['headline'] });
export const notifications = defineStream<{ notification: Notification }>('/sse/demo/notifications', { events: ['notification'] });
export const metrics = defineStream<{ metrics: Metrics }>('/sse/demo/metrics', { events: ['metrics'] });
export const prices = defineStream<{ tick: Tick }>('/sse/demo/prices', { events: ['tick'] });
export const counter = (name: string, interval = 400) =>
  defineStream<{ count: Count }>(`/sse/demo/counter?name=${encodeURIComponent(name)}&interval=${interval}`, { events: ['count'] });
