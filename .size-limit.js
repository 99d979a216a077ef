// Sizes users download, min+gzip, react external. The fetch transport (with eventsource-parser),
// cross-tab sharing, the native transport's status look-up, the resume store and shouldRetry's
// decision are separate chunks, loaded by the first stream that needs them, so the checks below count the main entry alone and each chunk on
// its own, and "everything" adds them up.
// Measured as a production build sees it: dev-only warnings and the StreamError message table are
// dropped. The limits are guards against growth, set at the measured size plus <1% headroom.
// After the first half of 0.3 (issues 19 and 20: environment, one result shape, errors through the
// catalogue, Suspense, resume, shouldRetry, onError, remembered ids) the first download is
// 11.48 kB, up from 10.51 kB. Cross-tab as the client's plug-in (its deferred budget and the
// pool's hub wiring moved into the chunk) brought it to 11.42 kB, and class members as ES2022
// `#private` fields (which the minifier shortens; build target es2022) to 11.12 kB. Issue 19's
// 8.0 kB target is not met yet: the `following` phase out of the reducer and the machine state's
// field names (a plain object, so kept) are the next candidates.
// Issue 20's opt-in features out of the first download (the resume store and shouldRetry's
// decision became chunks a stream waits for before its first request): 10.85 kB. Measured against
// the same code with issue 20's features cut out (10.47 kB), they add 0.38 kB (the issue allows
// 0.4). Splitting them out costs "everything" ~0.4 kB: two more chunks gzipped on their own.
const lazyChunks = ['./fetch-transport-*', './cross-tab-sharing-*', './status-lookup-*', './resume-store-*', './retry-decision-*'];
const production = (config) => ({ ...config, define: { 'process.env.NODE_ENV': '"production"' } });
const withoutLazyChunks = (config) => production({ ...config, external: [...(config.external ?? []), ...lazyChunks] });
const splitting = (config) => production({ ...config, splitting: true, format: 'esm' });

export default [
  {
    name: 'everything: main entry + fetch chunk + cross-tab chunk + status look-up chunk',
    path: 'dist/index.js',
    import: '*',
    modifyEsbuildConfig: splitting,
    gzip: true,
    // 21.65 kB once the status look-up chunk (0.66 kB, "one server contract") joined; 23.57 kB
    // once the resume store and shouldRetry's decision were split out (issue 20).
    limit: '23.7 kB',
  },
  {
    name: 'main entry, all hooks (native EventSource; chunks load on first use)',
    path: 'dist/index.js',
    import: '*',
    modifyEsbuildConfig: withoutLazyChunks,
    gzip: true,
    // 12.26 kB after issue 18 ('auto' budget with protocol detection, the native transport's
    // classification); issue 19 is to bring the main entry to 9.5 kB.
    limit: '13.1 kB',
  },
  {
    name: 'SseProvider + useLatestEvent only (native EventSource)',
    path: 'dist/index.js',
    import: '{ SseProvider, useLatestEvent }',
    modifyEsbuildConfig: withoutLazyChunks,
    gzip: true,
    // 10.51 kB after issue 18; 10.85 kB after issue 20; issue 19's target is 8.0 kB.
    limit: '10.9 kB',
  },
  {
    name: 'fetch transport chunk (first stream with transport fetch, headers, method or body)',
    path: 'dist/fetch-transport-*.js',
    modifyEsbuildConfig: production,
    gzip: true,
    limit: '5 kB',
  },
  {
    name: 'status look-up chunk (the first native EventSource that gives up)',
    path: 'dist/status-lookup-*.js',
    modifyEsbuildConfig: production,
    gzip: true,
    limit: '700 B',
  },
  {
    name: "resume chunk (the first stream with resume 'session' or 'local', before its first request)",
    path: 'dist/resume-store-*.js',
    modifyEsbuildConfig: production,
    gzip: true,
    // 381 B as the writer alone; 475 B since the stored id is read here too (it left the first download).
    limit: '480 B',
  },
  {
    name: 'retry decision chunk (the first stream with retry.shouldRetry, before its first request)',
    path: 'dist/retry-decision-*.js',
    modifyEsbuildConfig: production,
    gzip: true,
    limit: '380 B',
  },
  {
    name: 'cross-tab chunk (shareAcrossTabs, where BroadcastChannel and Web Locks exist)',
    path: 'dist/cross-tab-sharing-*.js',
    modifyEsbuildConfig: production,
    gzip: true,
    // 3.91 kB: the plug-in's wiring (createCrossTabSharing) came in, #private names took more out.
    limit: '4 kB',
  },
  {
    name: 'react-sse-hub/testing',
    path: 'dist/testing.js',
    import: '*',
    modifyEsbuildConfig: production,
    gzip: true,
    limit: '1.7 kB',
  },
  {
    name: 'react-sse-hub/devtools',
    path: 'dist/devtools.js',
    import: '*',
    modifyEsbuildConfig: production,
    gzip: true,
    // 3.72 kB after issue 19 item 6: the provider-misuse error went into the message catalogue, so
    // this entry, measured alone, now carries the catalogue's production formatter (~40 B), which an
    // app already has from the main entry (whose own size went down).
    limit: '3.75 kB',
  },
];
