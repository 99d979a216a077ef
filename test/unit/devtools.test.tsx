import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineStream, SseProvider, useLatestEvent, useSsePool, type PoolEntry, type Transport, type TransportCallbacks } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { ConnectionPool } from '../../src/core/client/pool';
import type { RawEvent } from '../../src/core/client/event-taps';
import { createMockTransport } from 'react-sse-hub/testing';
import { ConnectionRow } from '../../src/devtools/connection-row';
import { describeData, describeValue } from '../../src/devtools/describe-value';
import { usePool } from '../../src/react/context';
import { freshUrl, renderWithMock } from './helpers';

// A row that throws on demand, to prove the panel's error boundary; otherwise the real row.
const rowFailure = vi.hoisted(() => ({ message: undefined as string | undefined }));
vi.mock('../../src/devtools/connection-row', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/devtools/connection-row')>();
  return {
    ...actual,
    ConnectionRow: (props: Parameters<typeof actual.ConnectionRow>[0]) => {
      if (rowFailure.message) throw new Error(rowFailure.message);
      return createElement(actual.ConnectionRow, props);
    },
  };
});

afterEach(() => {
  cleanup(); // screen queries below must see only their own test's tree
  rowFailure.message = undefined;
  vi.restoreAllMocks();
});

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

describe('the devtools tap is the connections\' one side channel', () => {
  it('observes connections opened before and after it, and none once the last tap stops', () => {
    const [before, after] = [freshUrl('tap-before'), freshUrl('tap-after')];
    const mock = createMockTransport();
    const pool = new ConnectionPool({ transport: mock });
    const join = (url: string) => {
      const stream = pool.resolve(url);
      pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: () => {}, onState: () => {} });
    };
    join(before);
    const seen: string[] = [];
    const untap = pool.tapEvents((key, event) => seen.push(`${key.includes('tap-before') ? 'before' : 'after'} ${event.data}`));
    const second = pool.tapEvents(() => {});
    join(after);
    mock.open(before);
    mock.open(after);
    mock.emit(before, 'message', 1);
    mock.emit(after, 'message', 2);
    untap();
    mock.emit(before, 'message', 3);
    expect(seen).toEqual(['before 1', 'after 2']);
    // The last tap gone, no connection keeps an observer (nothing is allocated per event): a new
    // tap attaches afresh and sees each event once, not once per tap the connection ever had.
    second();
    const again: unknown[] = [];
    const third = pool.tapEvents((_key, event) => again.push(event.data));
    mock.emit(after, 'message', 4);
    expect(again).toEqual(['4']);
    third();
    pool.dispose();
  });
});

// Values event data is typed never to be, but a custom transport or a `parse` returning objects can deliver.
const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;
const { proxy: revoked, revoke } = Proxy.revocable({}, {});
revoke();
const nasty: [string, unknown, string][] = [
  ['a number', 42, '42'],
  ['an object', { price: 1 }, '{"price":1}'],
  ['null', null, 'null'],
  ['undefined', undefined, 'undefined'],
  ['a symbol', Symbol('tick'), 'Symbol(tick)'],
  ['a BigInt', 10n, '10'],
  ['a circular object', circular, '[unprintable object]'],
  ['an object whose toJSON throws', { toJSON: () => { throw new Error('no'); } }, '[unprintable object]'],
  ['a null-prototype object whose toString throws', Object.assign(Object.create(null), { toString: () => { throw new Error('no'); } }), '{}'],
  ['a function whose toString throws', Object.assign(() => 1, { toString: () => { throw new Error('no'); } }), '[unprintable function]'],
  ['a revoked proxy', revoked, '[unprintable object]'],
];

describe('describeValue', () => {
  it.each(nasty)('describes %s without throwing', (_name, value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('cuts long text to the limit, and indents JSON data only when asked for the detail', () => {
    expect(describeValue('x'.repeat(1_000_000))).toHaveLength(200);
    expect(describeValue('x'.repeat(1_000_000)).endsWith('…')).toBe(true);
    expect(describeData('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(describeData('not json')).toBe('not json');
    expect(describeData(`[${'1,'.repeat(100_000)}1]`).length).toBeLessThanOrEqual(4000);
  });
});

describe('<SseDevtools /> with any payload', () => {
  const entry = (over: Partial<PoolEntry> = {}): PoolEntry => ({
    key: 'k',
    url: 'http://localhost/api/x',
    status: 'open',
    subscribers: 1,
    eventTypes: ['message'],
    eventsReceived: 1,
    retryCount: 0,
    owner: 'other-tab',
    error: undefined,
    lastEventId: undefined,
    queuePosition: undefined,
    transport: 'eventsource',
    protocol: undefined,
    ...over,
  });

  it('renders a row whose events carry data of any type, and huge data cut short', () => {
    const events = [...nasty.map(([, data]) => data), 'y'.repeat(1_000_000)].map(
      (data, i): RawEvent => ({ type: 'message', data: data as string, id: String(i), lastEventId: String(i), receivedAt: 0 }),
    );
    const { container } = render(<ConnectionRow entry={entry({ error: { kind: 'parse', message: { odd: true } as never, eventType: 'message' } })} rate={0} events={events} />);
    fireEvent.click(screen.getByText(/last 12 events/));
    const text = container.textContent!;
    for (const [, , described] of nasty) expect(text).toContain(described.slice(0, 40));
    expect(text).toContain('{"odd":true}');
    expect(text.length).toBeLessThan(20_000);
  });

  it('shows events whose data is not a string, delivered by a custom transport', async () => {
    let callbacks: TransportCallbacks | undefined;
    const raw: Transport = {
      name: 'raw',
      connect(_request, c) {
        callbacks = c;
        return { listen() {}, unlisten() {}, close() {} };
      },
    };
    const stream = defineStream(freshUrl('devtools-raw'), { parse: (data) => data, endOn: false });
    function Reader() {
      useLatestEvent(stream, 'message');
      return <p>app still here</p>;
    }
    render(
      <SseProvider transport={raw}>
        <Reader />
        <SseDevtools />
      </SseProvider>,
    );
    await waitFor(() => expect(callbacks).toBeDefined());
    act(() => {
      callbacks!.open();
      callbacks!.event('message', { price: 7 } as never, '1');
      callbacks!.event('message', 42 as never, '2');
    });
    fireEvent.click(await screen.findByText(/last 2 events/));
    expect(screen.getByLabelText('SSE devtools').textContent).toContain('{"price":7}');
    expect(screen.getByLabelText('SSE devtools').textContent).toContain('#2');
    expect(screen.getByText('app still here')).toBeTruthy();
  });

  it('catches a row that throws: the panel shows why, and its siblings stay mounted and live', () => {
    const caught = vi.spyOn(console, 'error').mockImplementation(() => undefined); // React reports caught errors
    const url = freshUrl('devtools-throw');
    let bump = () => {};
    function Sibling() {
      const [n, setN] = useState(0);
      bump = () => setN((x) => x + 1);
      return <p>sibling {n}</p>;
    }
    rowFailure.message = 'row exploded';
    renderWithMock(
      <>
        <Reader url={url} />
        <Sibling />
        <SseDevtools />
      </>,
    );
    expect(screen.getByText('devtools failed: row exploded')).toBeTruthy();
    expect(screen.queryByLabelText('SSE devtools')).toBeNull();
    act(() => bump());
    expect(screen.getByText('sibling 1')).toBeTruthy();
    expect(caught).toHaveBeenCalled();
  });

  it('outside a provider, says so in place of the panel instead of unmounting the app', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(
      <>
        <p>app</p>
        <SseDevtools />
      </>,
    );
    expect(screen.getByText('app')).toBeTruthy();
    expect(screen.getByText(/^devtools failed: .*inside <SseProvider>/)).toBeTruthy();
  });
});
