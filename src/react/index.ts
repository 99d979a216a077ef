// The React layer as one build file (dist/client.js), the only one besides devtools marked
// 'use client': the public entry re-exports it, devtools imports it (see tsup.config.ts).
export * from './context';
export * from './sse-provider';
export * from './use-event-reducer';
export * from './use-event-stream';
export * from './use-latest-event';
export * from './use-suspense-latest-event';
export * from './use-sse-event';
export * from './use-sse-pool';
export * from './use-sse-status';
