import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useEventStream, useLatestEvent } from 'react-sse-hub';
import { metrics, type Metrics } from './support/streams';
import { Card, Live, Showcase, Sparkline, StatusPill } from './support/ui';

const code = `
const metrics = defineStream<{ metrics: Metrics }>('/sse/demo/metrics', { events: ['metrics'] });

function MetricCard({ field }: { field: 'cpu' | 'memory' | 'rps' }) {
  // Three cards, three hooks, one connection: the last 60 samples feed a plain-SVG sparkline.
  const { events } = useEventStream(metrics, { bufferSize: 60 });
  const values = events.map((e) => e.data[field]);
  return <Sparkline values={values} />;
}

function Load() {
  // Re-renders only when the band changes, not on every sample.
  const { data: band } = useLatestEvent(metrics, 'metrics', { select: (m) => (m.cpu > 75 ? 'busy' : m.cpu > 40 ? 'steady' : 'idle') });
  return <p>The system is {band}.</p>;
}
`;

const FIELDS: Record<keyof Omit<Metrics, 'at'>, { label: string; unit: string; min?: number; max?: number; color: string }> = {
  cpu: { label: 'CPU', unit: '%', min: 0, max: 100, color: 'var(--sr-accent)' },
  memory: { label: 'Memory', unit: '%', min: 0, max: 100, color: '#1f8a5b' },
  rps: { label: 'Requests / s', unit: 'req/s', color: '#b7791f' },
};

function MetricCard({ field }: { field: keyof typeof FIELDS }) {
  const { status, events } = useEventStream(metrics, { bufferSize: 60 });
  const { label, unit, min, max, color } = FIELDS[field];
  const values = events.map((e) => e.data[field]);
  const current = values[values.length - 1];
  return (
    <Card title={label} extra={<StatusPill status={status} />}>
      <Live ready={values.length > 1}>
        <div className="sr-big">
          {current === undefined ? '–' : field === 'rps' ? current : current.toFixed(1)}
          <small>{unit}</small>
        </div>
        <Sparkline values={values} capacity={60} min={min} max={max} color={color} />
        <div className="sr-row sr-muted" style={{ justifyContent: 'space-between', fontSize: 12 }}>
          <span>last 30 s</span>
          <span className="sr-num">
            min {values.length ? Math.min(...values).toFixed(0) : '–'} · max {values.length ? Math.max(...values).toFixed(0) : '–'}
          </span>
        </div>
      </Live>
    </Card>
  );
}

function Headline() {
  const { data: band, status } = useLatestEvent(metrics, 'metrics', { select: (m) => (m.cpu > 75 ? 'busy' : m.cpu > 40 ? 'steady' : 'idle') });
  return (
    <Card title="Load" extra={<StatusPill status={status} />}>
      <p style={{ margin: 0 }}>
        The system is <b>{band ?? '…'}</b>. This card uses <code>useLatestEvent</code> with a <code>select</code>: it re-renders only when
        the band changes, not on every sample.
      </p>
    </Card>
  );
}

const meta = {
  title: 'Showroom/Monitoring dashboard',
  tags: ['live'],
  parameters: {
    docs: { description: { story: 'System metrics every 500 ms drawn as plain-SVG sparklines; four hooks share one connection.' } },
  },
} satisfies Meta;
export default meta;

export const MonitoringDashboard: StoryObj = {
  name: 'Monitoring dashboard',
  // What a docs page's <Source of={…}> and Canvas show: the excerpt the story itself shows, not its render function.
  parameters: { docs: { source: { code: code.trim(), language: 'tsx' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Monitoring dashboard"
        intro={
          <>
            CPU, memory and requests per second from <code>/sse/demo/metrics</code>, twice a second. Every card calls its own hook; the
            provider keeps <b>one</b> connection for all of them. The charts are plain SVG polylines.
          </>
        }
        code={code}
      >
        <div className="sr-grid" style={{ gridTemplateColumns: 'repeat(3, minmax(0, 1fr))' }}>
          <MetricCard field="cpu" />
          <MetricCard field="memory" />
          <MetricCard field="rps" />
        </div>
        <Headline />
      </Showcase>
    </SseProvider>
  ),
};
