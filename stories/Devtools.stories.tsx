import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useEventStream, useLatestEvent, useSsePool } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { metrics, news, notifications, prices } from './support/streams';
import { Card, Live, Showcase } from './support/ui';

const code = `
import { SseDevtools } from 'react-sse-hub/devtools';

<SseProvider>
  <App />
  {import.meta.env.DEV && <SseDevtools initiallyCollapsed maxEvents={5} />}
</SseProvider>
`;

function App({ withPrices }: { withPrices: boolean }) {
  const { lastEvent } = useEventStream(news, { bufferSize: 1 });
  const { data: cpu } = useLatestEvent(metrics, 'metrics', { select: (m) => Math.round(m.cpu) });
  const { data: note } = useLatestEvent(notifications, 'notification', { select: (n) => n.text });
  const pool = useSsePool();
  return (
    <Card title="A small app">
      <Live ready={pool.length > 0 && pool.every((e) => e.eventsReceived > 0)}>
        <dl className="sr-kv">
          <dt>headline</dt>
          <dd>{lastEvent?.data.title ?? '…'}</dd>
          <dt>cpu</dt>
          <dd>{cpu ?? '…'} %</dd>
          <dt>notification</dt>
          <dd>{note ?? '…'}</dd>
          <dt>prices</dt>
          <dd>{withPrices ? <PriceCount /> : 'not subscribed'}</dd>
        </dl>
      </Live>
    </Card>
  );
}

function PriceCount() {
  const { data } = useLatestEvent(prices, 'tick', { select: (t) => `${t.symbol} ${t.price.toFixed(2)}` });
  return <span className="sr-num">{data ?? '…'}</span>;
}

function Demo() {
  const [withPrices, setWithPrices] = useState(true);
  return (
    <>
      <App withPrices={withPrices} />
      <div>
        <button type="button" className="sr-button" onClick={() => setWithPrices((p) => !p)}>
          {withPrices ? 'Unsubscribe' : 'Subscribe'} the price ticker
        </button>
        <p className="sr-muted" style={{ fontSize: 13, margin: '6px 0 0' }}>
          Unsubscribed, the connection lingers for 1 s (<code>lingerMs</code>), then leaves the panel.
        </p>
      </div>
    </>
  );
}

const meta = {
  title: 'Devtools/Panel',
  tags: ['live'],
  parameters: {
    docs: {
      description: {
        story: '`<SseDevtools />`: every connection with status, subscribers, event rate, retries, owner tab, last events and the queue.',
      },
    },
  },
} satisfies Meta;
export default meta;

export const Panel: StoryObj = {
  render: () => (
    <SseProvider>
      <Showcase
        title="Devtools panel"
        intro={
          <>
            <code>&lt;SseDevtools /&gt;</code> lists every connection of its provider: URL, a status pill, subscriber count, event rate,
            retry count, owner tab and the last few events (click <i>last 5 events</i>, then an event, for its JSON). Streams waiting
            under <code>maxConnectionsPerOrigin</code> appear in a per-origin queue. It has no dependencies and costs nothing unless
            rendered; collapsed, it only counts.
          </>
        }
        code={code}
      >
        <div className="sr-body sr-body--aside">
          <SseDevtools />
          <div className="sr-stage">
            <Demo />
          </div>
        </div>
      </Showcase>
    </SseProvider>
  ),
};
