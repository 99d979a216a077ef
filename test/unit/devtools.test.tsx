import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useLatestEvent, useSsePool, type PoolEntry } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
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
});
