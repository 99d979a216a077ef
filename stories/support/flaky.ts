import { useCallback, useEffect, useState } from 'react';

/** What /sse/demo/flaky/control answers about a channel (.storybook/demo-endpoints.ts). */
export interface FlakyServer {
  connects: number;
  failNext: number;
  intervalMs: number;
  open: number;
  /** Connects per second over the last 5 s. */
  ratePerSecond: number;
  /** Shortest gap between two connects in the last 5 s: the client's retry.minDelayMs shows here. */
  minGapMs: number | null;
  /** The Last-Event-ID the latest connect resumed from. */
  resumedFrom: string | null;
  /** Time left in the `retry: 0` window. */
  retryZeroMs: number;
}

export interface FlakyTick {
  n: number;
  at: number;
}

/**
 * A private channel of the flaky endpoint: its server-side state, polled every second, and its
 * controls. `name` picks the channel (one that outlives a reload); by default a new one per mount.
 */
export function useFlakyChannel(prefix: string, name?: string | undefined) {
  const [channel] = useState(() => name ?? `${prefix}-${Math.random().toString(36).slice(2, 8)}`);
  const [server, setServer] = useState<FlakyServer>();
  const control = useCallback(
    (action: string, count = 1) =>
      fetch(`/sse/demo/flaky/control?channel=${channel}&action=${action}&count=${count}`, { method: 'POST', cache: 'no-store' })
        .then((r) => r.json() as Promise<FlakyServer>)
        .then(setServer)
        .catch(() => undefined),
    [channel],
  );
  useEffect(() => {
    void control('status');
    const timer = setInterval(() => void control('status'), 1000);
    return () => clearInterval(timer);
  }, [control]);
  return { channel, server, control };
}

/** "1.8/s · min gap 502 ms": how hard the clients hit the server. */
export const describeRate = (server: FlakyServer | undefined) =>
  server ? `${server.ratePerSecond.toFixed(1)}/s over 5 s${server.minGapMs !== null ? ` · min gap ${server.minGapMs} ms` : ''}` : '–';
