import { act } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useEventStream, useLatestEvent, useSseEvent, useSsePool, useSseStatus, type PoolEntry } from 'react-sse-hub';
import { freshUrl, renderWithMock } from './helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function Subscribers({ url }: { url: string }) {
  useEventStream(url, { events: ['message', 'a'] });
  useLatestEvent(url, 'b', { select: (d: unknown) => d });
  useSseEvent(url, 'c', () => {});
  useSseStatus(url);
  return null;
}

describe('no leaked connections or timers', () => {
  it('after every subscriber unmounts, the pool is empty and no connection, listener or timer is left', async () => {
    const urls = Array.from({ length: 5 }, () => freshUrl('leak'));
    let pool: readonly PoolEntry[] = [];
    let setMounted: (mounted: boolean) => void = () => {};
    function App() {
      const [mounted, set] = useState(true);
      setMounted = set;
      pool = useSsePool();
      return <>{mounted && urls.flatMap((url) => Array.from({ length: 10 }, (_, i) => <Subscribers key={`${url}${i}`} url={url} />))}</>;
    }
    // The retry after the failure below is due after the linger: dispose must cancel it.
    const defaults = { retry: { initialDelayMs: 5000, jitter: false } };
    const { mock, unmount } = renderWithMock(<App />, { lingerMs: 500, maxConnectionsPerOrigin: 3, defaults });
    act(() => urls.slice(0, 3).forEach((url) => mock.emit(url, 'a', 1)));
    expect(pool.map((e) => e.status)).toEqual(['open', 'open', 'open', 'queued', 'queued']);
    act(() => mock.fail(urls[0]!)); // leaves a retry timer pending

    act(() => setMounted(false));
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(pool).toEqual([]);
    for (const url of urls) expect(mock.connections(url)).toBe(0);
    // The failed stream gave its slot up for its backoff, so the first queued one connected; the
    // last never did. Retry, linger and pause timers are all gone.
    expect(urls.map((url) => mock.requests(url).length)).toEqual([1, 1, 1, 1, 0]);
    expect(vi.getTimerCount()).toBe(0);
    unmount();
  });
});
