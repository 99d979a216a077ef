import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useLatestEvent, useSsePool, type PoolEntry } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import type { ConnectionPool } from '../../src/core/client/pool';
import { usePool } from '../../src/react/context';
import { freshUrl, renderWithMock } from './helpers';

function Reader({ url }: { url: string }) {
  useLatestEvent(url, 'message');
  return null;
}

describe('<SseDevtools />', () => {
  it('lists every connection with its real subscriber count and its last events, without subscribing itself', async () => {
    const url = freshUrl('devtools');
    let pool: readonly PoolEntry[] = [];
    function Pool() {
      pool = useSsePool();
      return null;
    }
    const { mock, container } = renderWithMock(
      <>
        <Reader url={url} />
        <Reader url={url} />
        <Pool />
        <SseDevtools maxEvents={2} />
      </>,
    );
    act(() => {
      mock.emit(url, 'message', { n: 1 }, { id: '1' });
      mock.emit(url, 'message', { n: 2 }, { id: '2' });
      mock.emit(url, 'message', { n: 3 }, { id: '3' });
    });
    expect(pool[0]!.subscribers).toBe(2);
    const row = container.querySelector(`[data-url="${pool[0]!.url}"]`)!;
    expect(row.getAttribute('data-status')).toBe('open');
    expect(row.textContent).toContain('2×');
    await waitFor(() => expect(screen.getByText(/last 2 events/)).toBeTruthy());
    fireEvent.click(screen.getByText(/last 2 events/));
    expect(row.textContent).toContain('#3');
    expect(row.textContent).not.toContain('#1');
  });

  it("taps events with the stream's last event id, also for an event without an id of its own", () => {
    const url = freshUrl('devtools-tap');
    const seen: { id: string | undefined; lastEventId: string }[] = [];
    let pool: ConnectionPool | undefined;
    function Tap() {
      pool = usePool('test');
      return null;
    }
    const { mock } = renderWithMock(
      <>
        <Reader url={url} />
        <Tap />
      </>,
    );
    const untap = pool!.tapEvents((_key, event) => seen.push({ id: event.id, lastEventId: event.lastEventId }));
    act(() => {
      mock.emit(url, 'message', 1, { id: '7' });
      mock.emit(url, 'message', 2);
    });
    untap();
    expect(seen).toEqual([
      { id: '7', lastEventId: '7' },
      { id: undefined, lastEventId: '7' },
    ]);
  });
});
