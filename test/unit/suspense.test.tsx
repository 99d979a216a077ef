import { act, cleanup, render, screen } from '@testing-library/react';
import { Component, Suspense, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineStream, SseError, SseProvider, useSuspenseLatestEvent } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { freshUrl } from './helpers';

interface Tick {
  price: number;
}

afterEach(() => cleanup());

class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: undefined as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    const { error } = this.state;
    if (error instanceof SseError) return <p data-testid="error">{`${error.kind}:${error.kind === 'http' ? error.status : ''}`}</p>;
    return error ? <p data-testid="error">other</p> : this.props.children;
  }
}

function mount(mock: MockTransport, url: string, renders: { data: number }[] = []) {
  const prices = defineStream<{ tick: Tick }>(url, { events: ['tick'] });
  function Price() {
    const { data, status } = useSuspenseLatestEvent(prices, 'tick', { select: (t) => t.price });
    renders.push({ data });
    return <b data-testid="price">{`${status}:${data.toFixed(2)}`}</b>;
  }
  return render(
    <SseProvider transport={mock}>
      <Boundary>
        <Suspense fallback={<i data-testid="fallback">loading</i>}>
          <Price />
        </Suspense>
      </Boundary>
    </SseProvider>,
  );
}

describe('useSuspenseLatestEvent', () => {
  it('shows the fallback until the first event, then renders with data defined', async () => {
    const url = freshUrl('suspense');
    const mock = createMockTransport();
    const renders: { data: number }[] = [];
    mount(mock, url, renders);
    expect(screen.getByTestId('fallback')).toBeTruthy();
    // The wait itself holds the connection while the component is suspended.
    expect(mock.connections(url)).toBe(1);
    await act(async () => mock.emit(url, 'tick', { price: 1.5 }));
    expect(screen.getByTestId('price').textContent).toBe('open:1.50');
    expect(renders.every((r) => typeof r.data === 'number')).toBe(true);
    await act(async () => mock.emit(url, 'tick', { price: 2 }));
    expect(screen.getByTestId('price').textContent).toBe('open:2.00');
    // One connection, shared by the wait and the component.
    expect(mock.requests(url)).toHaveLength(1);
  });

  it('throws an SseError to the error boundary when the stream closes with an error before its first event', async () => {
    const url = freshUrl('suspense-error');
    const mock = createMockTransport();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      mount(mock, url);
      await act(async () => mock.fail(url, { status: 401 }));
      expect(screen.getByTestId('error').textContent).toBe('http:401');
    } finally {
      spy.mockRestore();
    }
  });

  it('does not suspend when another reader has an event of that type already', async () => {
    const url = freshUrl('suspense-warm');
    const mock = createMockTransport();
    const prices = defineStream<{ tick: Tick }>(url, { events: ['tick'] });
    function Warm() {
      useSuspenseLatestEvent(prices, 'tick');
      return null;
    }
    function Late() {
      const { data } = useSuspenseLatestEvent(prices, 'tick');
      return <b data-testid="late">{data.price}</b>;
    }
    const view = render(
      <SseProvider transport={mock}>
        <Suspense fallback={null}>
          <Warm />
        </Suspense>
      </SseProvider>,
    );
    await act(async () => mock.emit(url, 'tick', { price: 2 }));
    // Warm has committed and reads the stream itself now.
    await act(async () => mock.emit(url, 'tick', { price: 3 }));
    view.rerender(
      <SseProvider transport={mock}>
        <Suspense fallback={null}>
          <Warm />
        </Suspense>
        <Suspense fallback={<i data-testid="late-fallback" />}>
          <Late />
        </Suspense>
      </SseProvider>,
    );
    expect(screen.queryByTestId('late-fallback')).toBeNull();
    expect(screen.getByTestId('late').textContent).toBe('3');
  });
});
