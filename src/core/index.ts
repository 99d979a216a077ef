// The framework-free core as one build file (dist/core.js): what the public entry, the React
// layer (dist/client.js), devtools and testing import from it. tsup.config.ts points every import
// from outside src/core into this file, so the core exists once, with no 'use client' directive
// (Server Components can call defineStream), whichever entry loads it first.
export * from './client/create-sse-client';
export * from './client/pool';
export * from './client/pool-entries';
export * from './client/sse-client';
export * from './client/stream-observer';
export * from './client/view-observers';
export * from './client/handler-observers';
export * from './connection/state';
export * from './stream/define-stream';
export * from './stream/function-forwarders';
export * from './stream/resolve-stream';
export * from './errors/stream-error';
export * from './errors/sse-error';
export * from './client/first-event';
export * from './errors/messages';
export * from './scheduling/act-environment';
export * from './transport/classify-response';
