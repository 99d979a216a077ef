// React 19.2's <Activity>: a hidden subtree keeps its state but runs no effects, so its hooks
// hold no subscription. React 18 has no Activity: this file runs in the React 19 unit project only.
import { act, cleanup, render } from '@testing-library/react';
import { Activity } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SseProvider, useLatestEvent, type StreamStatus } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';
import { freshUrl } from '../unit/helpers';

const LINGER_MS = 1000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setup() {
  const url = freshUrl('activity');
  const mock = createMockTransport();
  const rendered: StreamStatus[] = [];
  function Feed() {
    const { status, data } = useLatestEvent<{ n: number }>(url, 'message');
    rendered.push(status);
    return <p data-testid="feed">{`${status}:${data?.n ?? '-'}`}</p>;
  }
  const ui = (mode: 'visible' | 'hidden') => (
    <SseProvider transport={mock} lingerMs={LINGER_MS}>
      <Activity mode={mode}>
        <Feed />
      </Activity>
    </SseProvider>
  );
  const view = render(ui('visible'));
  act(() => mock.emit(url, 'message', { n: 1 }, { id: '1' }));
  expect(view.getByTestId('feed').textContent).toBe('open:1');
  return { url, mock, rendered, view, show: (mode: 'visible' | 'hidden') => view.rerender(ui(mode)) };
}

const advance = (ms: number) => act(() => void vi.advanceTimersByTime(ms));

describe('<Activity mode="hidden"> (React 19.2)', () => {
  it('shown again within lingerMs: the still-open connection at once, no new request, no connecting rendered', () => {
    const { url, mock, rendered, view, show } = setup();
    show('hidden');
    advance(LINGER_MS - 1);
    expect(mock.connections(url)).toBe(1);
    const before = rendered.length;
    show('visible');
    advance(10);
    expect(mock.requests(url)).toHaveLength(1);
    expect(rendered.slice(before)).not.toContain('connecting');
    expect(view.getByTestId('feed').textContent).toBe('open:1');
  });

  it('hidden past lingerMs: the connection closes; shown again it keeps what it showed and resumes from the last id', () => {
    const { url, mock, view, show } = setup();
    show('hidden');
    advance(LINGER_MS);
    expect(mock.connections(url)).toBe(0);
    show('visible');
    expect(mock.requests(url)).toHaveLength(2);
    expect(mock.requests(url)[1]!.lastEventId).toBe('1');
    expect(view.getByTestId('feed').textContent).toMatch(/:1$/);
    act(() => mock.emit(url, 'message', { n: 2 }, { id: '2' }));
    expect(view.getByTestId('feed').textContent).toBe('open:2');
  });
});
