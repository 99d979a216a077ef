import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useLatestEvent, useSsePool } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { counter } from './support/streams';
import { MetricWidget } from './support/metric-widget';
import { Card, Live, Showcase } from './support/ui';

const code = `
const metrics = defineStream<{ metrics: Metrics }>('/sse/demo/metrics', { events: ['metrics'] });

function Widget({ field }: { field: 'cpu' | 'memory' | 'rps' }) {
  const { data } = useLatestEvent(metrics, 'metrics', { select: (m) => m[field] });
  return <div>{data}</div>;
}

<SseProvider>
  {Array.from({ length: 12 }, (_, i) => <Widget key={i} field={FIELDS[i % 3]} />)}
  <SseDevtools />   {/* one connection, 12 subscribers */}
</SseProvider>
`;

const ticks = counter('sharing', 300);

function Counter() {
  const { data } = useLatestEvent(ticks, 'count', { select: (c) => c.n });
  return <span className="sr-num">{data ?? '…'}</span>;
}

function Summary({ widgets }: { widgets: number }) {
  const pool = useSsePool();
  const ready = pool.some((e) => e.eventsReceived > 0);
  return (
    <Live ready={ready}>
      <p style={{ margin: 0 }}>
        <b>{widgets + 3}</b> components subscribe; the provider holds <b data-testid="connection-count">{pool.length}</b> connection
        {pool.length === 1 ? '' : 's'}.
      </p>
    </Live>
  );
}

function Sharing() {
  const [widgets, setWidgets] = useState(12);
  const [showCounters, setShowCounters] = useState(true);
  return (
    <>
      <Card
        title="Subscribers"
        extra={
          <div className="sr-row">
            <button type="button" className="sr-button" onClick={() => setWidgets((n) => Math.max(0, n - 3))}>
              − 3 widgets
            </button>
            <button type="button" className="sr-button" onClick={() => setWidgets((n) => n + 3)}>
              + 3 widgets
            </button>
            <button type="button" className="sr-button" onClick={() => setShowCounters((s) => !s)}>
              {showCounters ? 'Unmount' : 'Mount'} counters
            </button>
          </div>
        }
      >
        <Summary widgets={widgets} />
      </Card>
      <div className="sr-grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))' }}>
        {Array.from({ length: widgets }, (_, i) => (
          <MetricWidget key={i} index={i} />
        ))}
      </div>
      {showCounters && (
        <Card title="A second stream, three subscribers">
          <div className="sr-row" style={{ gap: 24 }}>
            <Counter />
            <Counter />
            <Counter />
          </div>
          <p className="sr-muted" style={{ margin: '8px 0 0', fontSize: 13 }}>
            Unmount them and watch the devtools: the connection lingers for <code>lingerMs</code> (1 s), then closes.
          </p>
        </Card>
      )}
    </>
  );
}

const meta = {
  title: 'Showroom/Connection sharing',
  tags: ['live'],
  parameters: {
    docs: { description: { story: 'Many components, one connection per stream: the devtools panel shows the subscriber counts.' } },
  },
} satisfies Meta;
export default meta;

export const ConnectionSharing: StoryObj = {
  name: 'Connection sharing',
  render: () => (
    <SseProvider>
      <Showcase
        title="Connection sharing"
        intro={
          <>
            Every widget calls <code>useLatestEvent(metrics, …)</code> on its own, yet the provider opens one connection per stream and
            fans events out by type. Add or remove widgets and watch the subscriber count in the devtools panel on the right.
          </>
        }
        code={code}
        aside={<SseDevtools />}
      >
        <Sharing />
      </Showcase>
    </SseProvider>
  ),
};
