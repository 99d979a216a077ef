import { useEffect, useState } from 'react';

/** The demo server's POST count for one session (GET /sse/demo/stats), polled every second. */
export function usePostCount(session: string): number | undefined {
  const [count, setCount] = useState<number>();
  useEffect(() => {
    let live = true;
    const poll = () =>
      fetch(`/sse/demo/stats?session=${session}`, { cache: 'no-store' })
        .then((r) => r.json() as Promise<{ requests: Record<string, number> }>)
        .then((body) => live && setCount(body.requests['POST completion'] ?? 0))
        .catch(() => undefined);
    void poll();
    const timer = setInterval(poll, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [session]);
  return count;
}
