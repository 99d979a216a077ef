import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useEventStream, useSsePool } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { counter } from './support/streams';
import { Card, Live, Showcase, StatusPill } from './support/ui';

const code = `
// Browsers allow 6 HTTP/1.1 connections per host; each EventSource holds one for good.
// The provider caps its own streams per origin and queues the rest.
<SseProvider maxConnectionsPerOrigin={2}>
  <Stream name="a" /> <Stream name="b" />   {/* open */}
  <Stream name="c" /> <Stream name="d" />   {/* status 'queued' until a slot frees up */}
  <SseDevtools />
</SseProvider>

function Stream({ name }) {
  const { status, lastEvent, close, reconnect } = useEventStream(counter(name));
  // close() gives the slot to the first stream in the queue; reconnect() queues again.
}
`;

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
const streams = new Map(NAMES.map((name) => [name, counter(name, 350)]));

function Stream({ name }: { name: string }) {
  const stream = streams.get(name)!;
  const { status, lastEvent, close, reconnect } = useEventStream(stream, { bufferSize: 1 });
  const position = useSsePool().find((e) => e.url.endsWith(stream.url))?.queuePosition;
  return (
    <div className="sr-card" data-stream-card={name} style={{ padding: '12px 14px' }}>
      <div className="sr-row" style={{ justifyContent: 'space-between' }}>
        <b>{name}</b>
        <StatusPill status={status} />
      </div>
      <div className="sr-big" style={{ fontSize: 22, margin: '6px 0' }}>
        {lastEvent ? lastEvent.data.n : '–'}
        <small>{status === 'queued' ? `waiting, #${position ?? '?'} in queue` : 'events'}</small>
      </div>
      <div className="sr-row">
        {status === 'closed' ? (
          <button type="button" className="sr-button" onClick={reconnect}>
            Reconnect
          </button>
        ) : (
          <button type="button" className="sr-button" onClick={close}>
            Close
          </button>
        )}
      </div>
    </div>
  );
}

function Summary() {
  const pool = useSsePool();
  const queued = pool.filter((e) => e.status === 'queued').length;
  const open = pool.filter((e) => e.status === 'open').length;
  return (
    <Live ready={open > 0 && queued > 0 && pool.some((e) => e.eventsReceived > 0)}>
      <p style={{ margin: 0 }}>
        <b>{open}</b> streaming · <b>{queued}</b> queued · limit <b>2</b> per origin
      </p>
    </Live>
  );
}

function Budget() {
  const [count, setCount] = useState(4);
  return (
    <>
      <Card
        title="Connection budget"
        extra={
          <div className="sr-row">
            <button type="button" className="sr-button" onClick={() => setCount((n) => Math.max(1, n - 1))}>
              − stream
            </button>
            <button type="button" className="sr-button" onClick={() => setCount((n) => Math.min(NAMES.length, n + 1))}>
              + stream
            </button>
          </div>
        }
      >
        <Summary />
      </Card>
      <div className="sr-grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))' }}>
        {NAMES.slice(0, count).map((name) => (
          <Stream key={name} name={name} />
        ))}
      </div>
    </>
  );
}

const meta = {
  title: 'Showroom/Connection budget',
  tags: ['live'],
  parameters: {
    docs: { description: { story: 'Four streams under `maxConnectionsPerOrigin={2}`: two stream, two wait in the per-origin queue.' } },
  },
} satisfies Meta;
export default meta;

export const ConnectionBudget: StoryObj = {
  name: 'Connection budget',
  render: () => (
    <SseProvider maxConnectionsPerOrigin={2}>
      <Showcase
        title="Connection budget"
        intro={
          <>
            Over HTTP/1.1 a browser opens at most six connections per host, and every live stream holds one, so a page with too many
            streams starves its own <code>fetch()</code> calls. <code>maxConnectionsPerOrigin</code> (default 4 per HTTP/1.1 origin, none over h2; here 2) queues the
            extra streams: close one and the next in line connects.
          </>
        }
        code={code}
        aside={<SseDevtools />}
      >
        <Budget />
      </Showcase>
    </SseProvider>
  ),
};
