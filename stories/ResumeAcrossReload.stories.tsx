import { useEffect, useMemo, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, defineStream, useEventStream } from 'react-sse-hub';
import { useFlakyChannel, type FlakyTick } from './support/flaky';
import { Card, ErrorLine, Live, Showcase, StatusPill, time } from './support/ui';

const code = `
const ticks = defineStream<{ tick: Tick }>('/sse/demo/flaky?channel=…', {
  events: ['tick'],
  resume: 'session', // the last event id outlives a reload ('local': a new tab too)
});

const { events, lastEventId } = useEventStream(ticks);
// After a reload, lastEventId is the stored id before any event arrives, and the first
// request carries it (?lastEventId=42 on a native EventSource, Last-Event-ID on fetch):
// the server sends 43, 44 … — nothing lost, nothing repeated.
`;

/** The story's channel on the demo server, kept in this tab's sessionStorage: the same stream URL after a reload. */
const CHANNEL_KEY = 'react-sse-hub-showroom:resume-channel';
function tabChannel(): string {
  const kept = sessionStorage.getItem(CHANNEL_KEY);
  if (kept) return kept;
  const fresh = `resume-${Math.random().toString(36).slice(2, 8)}`;
  sessionStorage.setItem(CHANNEL_KEY, fresh);
  return fresh;
}

/** A new channel is a new stream URL, so nothing is stored for it: the next load starts from scratch. */
function startFresh() {
  sessionStorage.removeItem(CHANNEL_KEY);
  location.reload();
}

function Resume() {
  const [loadedAt] = useState(() => Date.now());
  const [channel] = useState(tabChannel);
  const { server } = useFlakyChannel('resume', channel);
  const stream = useMemo(() => defineStream<{ tick: FlakyTick }>(`/sse/demo/flaky?channel=${channel}`, { events: ['tick'], resume: 'session' }), [channel]);
  const { status, events, lastEventId, error } = useEventStream(stream, { bufferSize: 16 });

  // Kept while no event has arrived yet: the id a previous page stored (what the first request
  // of this page resumes from), or undefined for a fresh start.
  const [resumedFrom, setResumedFrom] = useState<string | undefined>();
  useEffect(() => {
    if (events.length === 0) setResumedFrom(lastEventId);
  }, [events.length, lastEventId]);

  const firstId = events[0]?.id;
  return (
    <>
      <Card title="This page's stream" extra={<StatusPill status={status} />}>
        <Live ready={events.length > 0}>
          <dl className="sr-kv">
            <dt>page loaded</dt>
            <dd>{time(loadedAt)}</dd>
            <dt>lastEventId before the first event</dt>
            <dd data-testid="resumed-from">
              <b>{resumedFrom ?? 'none'}</b>
              <span className="sr-muted">{resumedFrom === undefined ? ' — nothing stored: a fresh start' : ' — read from sessionStorage at mount'}</span>
            </dd>
            <dt>first id on this page</dt>
            <dd data-testid="first-id">
              {firstId ?? '…'}
              {firstId !== undefined && resumedFrom !== undefined && (
                <span className="sr-muted">{Number(firstId) === Number(resumedFrom) + 1 ? ' — right after the stored id: nothing lost or repeated' : ''}</span>
              )}
            </dd>
            <dt>received ids</dt>
            <dd className="sr-num" data-testid="received-ids">
              {events.map((e) => e.id).join(' ') || '–'}
            </dd>
            <dt>lastEventId now</dt>
            <dd data-testid="last-event-id">{lastEventId ?? '–'}</dd>
            <dt>server</dt>
            <dd data-testid="server-resumed-from">
              {server ? `${server.connects} connects on this channel · latest request resumed after id ${server.resumedFrom ?? '(none)'}` : '…'}
            </dd>
          </dl>
        </Live>
        <ErrorLine error={error} />
        <div className="sr-row" style={{ marginTop: 12 }}>
          <button type="button" className="sr-button sr-button--primary" onClick={() => location.reload()}>
            Reload page
          </button>
          <button type="button" className="sr-button" onClick={startFresh}>
            Start fresh
          </button>
        </div>
      </Card>
      <Card title="What happens on reload">
        <ol style={{ margin: 0, paddingLeft: 18 }}>
          <li>Every event id is written to <code>sessionStorage</code> (only the id, under a hash of the stream&apos;s URL and options).</li>
          <li>
            After <b>Reload page</b>, the new page reads it when the stream&apos;s connection is created: the hook reports it as{' '}
            <code>lastEventId</code> before any new event has arrived.
          </li>
          <li>
            The first request carries it (<code>?lastEventId=…</code> on a native <code>EventSource</code>, which cannot set the{' '}
            <code>Last-Event-ID</code> header on a first request), and the server sends what came after it.
          </li>
        </ol>
      </Card>
    </>
  );
}

const meta = {
  title: 'Showroom/Resume across reload',
  tags: ['live'],
} satisfies Meta;
export default meta;

export const ResumeAcrossReload: StoryObj = {
  name: 'Resume across reload',
  parameters: {
    docs: { description: { story: "`resume: 'session'`: the last event id survives a reload and the first request after it resumes from there." } },
  },
  render: () => (
    <SseProvider>
      <Showcase
        title="Resume across a reload"
        intro={
          <>
            With <code>resume: &apos;session&apos;</code> a stream&apos;s last event id is kept in <code>sessionStorage</code>, so a reload
            does not start from scratch: right after mount the hook already reports the stored <code>lastEventId</code>, the first request
            carries it, and the server continues with the next id. Press <b>Reload page</b> and compare the ids. (The default,{' '}
            <code>&apos;memory&apos;</code>, resumes within one page only; <code>&apos;local&apos;</code> also carries over to new tabs.)
          </>
        }
        code={code}
      >
        <Resume />
      </Showcase>
    </SseProvider>
  ),
};
