import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useEventStream } from 'react-sse-hub';
import { news } from './support/streams';
import { Card, ErrorLine, Live, Showcase, StatusPill, time } from './support/ui';

const code = `
const news = defineStream<{ headline: Headline }>('/sse/demo/news', { events: ['headline'] });

function NewsFeed() {
  const { status, events, lastEventId } = useEventStream(news, { bufferSize: 8 });
  return (
    <ul>
      {[...events].reverse().map((e) => <li key={e.id}>{e.data.title}</li>)}
    </ul>
  );
}

<SseProvider><NewsFeed /></SseProvider>
`;

function NewsFeed() {
  const { status, events, error, lastEventId, reconnect } = useEventStream(news, { bufferSize: 8 });
  return (
    <Card
      title="Headlines"
      extra={
        <div className="sr-row">
          <span className="sr-muted sr-num">last id {lastEventId ?? '–'}</span>
          <StatusPill status={status} />
        </div>
      }
    >
      <Live ready={events.length > 0}>
        <ul className="sr-list">
          {[...events].reverse().map((event) => (
            <li key={event.data.id}>
              <span className="sr-tag">{event.data.topic}</span>
              <span style={{ flex: 1 }}>{event.data.title}</span>
              <span className="sr-muted sr-num">{time(event.data.at)}</span>
            </li>
          ))}
        </ul>
        {events.length === 0 && <p className="sr-muted">Waiting for the first headline…</p>}
      </Live>
      <ErrorLine error={error} />
      <div className="sr-row" style={{ marginTop: 10 }}>
        <button type="button" className="sr-button" onClick={reconnect}>
          Reconnect (resumes after id {lastEventId ?? '–'})
        </button>
      </div>
    </Card>
  );
}

const meta = {
  title: 'Showroom/Live feed',
  tags: ['live'],
  parameters: {
    docs: {
      description: {
        story: 'A news feed from `/sse/demo/news`: `useEventStream` keeps the newest 8 headlines; reconnecting resumes after the last event id.',
      },
    },
  },
} satisfies Meta;
export default meta;

export const LiveFeed: StoryObj = {
  name: 'Live feed',
  // What a docs page's <Source of={…}> and Canvas show: the excerpt the story itself shows, not its render function.
  parameters: { docs: { source: { code: code.trim(), language: 'tsx' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Live feed"
        intro={
          <>
            A news feed streamed from <code>/sse/demo/news</code>. <code>useEventStream</code> keeps the newest eight headlines in a
            ring buffer. The server numbers its events, so <em>Reconnect</em> resumes right after the last id (Last-Event-ID) instead of
            starting over.
          </>
        }
        code={code}
      >
        <NewsFeed />
      </Showcase>
    </SseProvider>
  ),
};
