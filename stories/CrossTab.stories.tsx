import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useEventStream, useSsePool } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { metrics, news } from './support/streams';
import { Card, Live, Showcase, Sparkline, StatusPill } from './support/ui';

const code = `
// One real connection per stream for every tab of the browser profile: one tab owns it
// (elected with Web Locks) and relays events to the others over a BroadcastChannel.
// If the owning tab closes, another takes over and resumes from the last event id.
<SseProvider shareAcrossTabs>
  <App />
  <SseDevtools />   {/* owner: 'this-tab' | 'other-tab' */}
</SseProvider>
`;

function Owners() {
  const pool = useSsePool();
  return (
    <ul className="sr-list">
      {pool.map((entry) => (
        <li key={entry.key}>
          <StatusPill status={entry.status} />
          <span style={{ flex: 1 }} className="sr-num">
            {new URL(entry.url).pathname}
          </span>
          <span className="sr-tag" data-owner={entry.owner}>
            {entry.owner}
          </span>
        </li>
      ))}
    </ul>
  );
}

function CpuChart() {
  const { events, status } = useEventStream(metrics, { bufferSize: 60 });
  return (
    <Card title="CPU" extra={<StatusPill status={status} />}>
      <Live ready={events.length > 0}>
        <Sparkline values={events.map((e) => e.data.cpu)} capacity={60} min={0} max={100} />
      </Live>
    </Card>
  );
}

function Headlines() {
  const { events, status } = useEventStream(news, { bufferSize: 4 });
  return (
    <Card title="Headlines" extra={<StatusPill status={status} />}>
      <Live ready={events.length > 0}>
        <ul className="sr-list">
          {[...events].reverse().map((e) => (
            <li key={e.data.id}>
              <span className="sr-muted sr-num">#{e.data.id}</span> {e.data.title}
            </li>
          ))}
        </ul>
      </Live>
    </Card>
  );
}

const meta = {
  title: 'Showroom/Cross-tab',
  tags: ['live'],
  parameters: {
    docs: { description: { story: '`<SseProvider shareAcrossTabs>`: open this story in two tabs and watch the owner column in the devtools.' } },
  },
} satisfies Meta;
export default meta;

export const CrossTab: StoryObj = {
  name: 'Cross-tab sharing',
  render: () => (
    <SseProvider shareAcrossTabs>
      <Showcase
        title="Cross-tab sharing"
        intro={
          <>
            With <code>shareAcrossTabs</code>, every tab of the browser shares one real connection per stream. Open this story in a
            second tab (<i>open canvas in new tab</i>, then duplicate it): the first tab stays <code>this-tab</code>, the second shows{' '}
            <code>other-tab</code> in the devtools and receives the same events without its own connection. Close the first tab and the
            second takes over.
          </>
        }
        code={code}
        aside={
          <>
            <SseDevtools />
            <Card title="Who owns what">
              <Owners />
            </Card>
          </>
        }
      >
        <CpuChart />
        <Headlines />
      </Showcase>
    </SseProvider>
  ),
};
