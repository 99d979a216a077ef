import { useEffect, useMemo, useRef, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, defineStream, useEventStream, type StreamStatus } from 'react-sse-hub';
import { describeRate, useFlakyChannel, type FlakyTick } from './support/flaky';
import { Card, ErrorLine, Live, Showcase, StatusPill, time, TransportPicker } from './support/ui';

const code = `
const flaky = defineStream<{ tick: Tick }>('/sse/demo/flaky', {
  events: ['tick'],
  transport,                                   // 'eventsource' | 'fetch'
  retry: { initialDelayMs: 500, maxDelayMs: 8000, factor: 2, jitter: true, maxAttempts: 6, minDelayMs: 500 },
  idleTimeoutMs: 4000,                         // open but silent for 4 s = lost
});

const { status, retryCount, error, lastEventId, reconnect, close } = useEventStream(flaky);
// Transient failures (network, 5xx, silence) retry with backoff and resume after lastEventId;
// a 204 or a 4xx closes the stream; a bad payload is an error of kind 'parse' and the stream goes on.
// Every delay, a server's \`retry: 0\` included, is at least minDelayMs.
`;
interface Transition {
  at: number;
  status: StreamStatus;
  retryCount: number;
  error: string | undefined;
}

const ACTIONS: { action: string; label: string; hint: string; count?: number }[] = [
  { action: 'drop', label: 'Drop connection', hint: 'server destroys the socket' },
  { action: 'fail', label: 'Fail next 3 connects', hint: 'HTTP 503 three times', count: 3 },
  { action: 'slow', label: 'Slow down / speed up', hint: '700 ms ↔ 3 s between events' },
  { action: 'malformed', label: 'Send malformed JSON', hint: 'one broken payload' },
  { action: 'no-content', label: 'Send a 204', hint: 'ends the stream, then 204' },
  { action: 'silence', label: 'Go silent', hint: 'stops writing, socket stays open' },
  { action: 'retry-zero', label: 'Send retry: 0', hint: 'retry: 0 + end, for 10 s' },
  { action: 'reset', label: 'Reset', hint: 'healthy again' },
];

function FlakyPlayground({ transport }: { transport: 'eventsource' | 'fetch' }) {
  const { channel, server, control } = useFlakyChannel('playground');
  const stream = useMemo(
    () =>
      defineStream<{ tick: FlakyTick }>(`/sse/demo/flaky?channel=${channel}`, {
        events: ['tick'],
        transport,
        retry: { initialDelayMs: 500, maxDelayMs: 8000, factor: 2, jitter: true, maxAttempts: 6, minDelayMs: 500 },
        idleTimeoutMs: 4000,
      }),
    [channel, transport],
  );
  const { status, retryCount, error, lastEventId, events, reconnect, close } = useEventStream(stream, { bufferSize: 12 });

  // The status timeline: gaps between 'reconnecting' entries are the backoff delays.
  const [timeline, setTimeline] = useState<Transition[]>([]);
  const last = useRef('');
  useEffect(() => {
    const signature = `${status}|${retryCount}|${error?.message ?? ''}`;
    if (signature === last.current) return;
    last.current = signature;
    setTimeline((list) => [{ at: Date.now(), status, retryCount, error: error ? `${error.kind}${error.kind === 'http' ? ` ${error.status}` : ''}` : undefined }, ...list].slice(0, 10));
  }, [status, retryCount, error]);

  return (
    <div className="sr-body sr-body--aside">
      <div className="sr-stage">
        <Card title="Stream" extra={<StatusPill status={status} />}>
          <Live ready={events.length > 0}>
            <dl className="sr-kv">
              <dt>transport</dt>
              <dd>{transport}</dd>
              <dt>retryCount</dt>
              <dd data-testid="retry-count">{retryCount}</dd>
              <dt>lastEventId</dt>
              <dd data-testid="last-event-id">{lastEventId ?? '–'}</dd>
              <dt>last events</dt>
              <dd className="sr-num">{events.map((e) => e.data.n).join(' ') || '–'}</dd>
              <dt>server</dt>
              <dd data-testid="server-state">
                {server ? `${server.connects} connects · fails next ${server.failNext} · every ${server.intervalMs} ms${server.retryZeroMs > 0 ? ` · retry: 0 for ${Math.ceil(server.retryZeroMs / 1000)} s` : ''}` : '…'}
              </dd>
              <dt>requests</dt>
              <dd data-testid="request-rate" data-min-gap={server?.minGapMs ?? ''} data-rate={server?.ratePerSecond ?? ''}>
                {describeRate(server)}
              </dd>
            </dl>
          </Live>
          <ErrorLine error={error} />
          <div className="sr-row" style={{ marginTop: 10 }}>
            <button type="button" className="sr-button sr-button--primary" onClick={reconnect}>
              reconnect()
            </button>
            <button type="button" className="sr-button sr-button--danger" onClick={close}>
              close()
            </button>
          </div>
        </Card>
        <Card title="Make it fail">
          <div className="sr-grid" style={{ gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 8 }}>
            {ACTIONS.map(({ action, label, hint, count }) => (
              <button key={action} type="button" className="sr-button" style={{ textAlign: 'left' }} onClick={() => void control(action, count)}>
                {label}
                <br />
                <span className="sr-muted" style={{ fontSize: 12 }}>
                  {hint}
                </span>
              </button>
            ))}
          </div>
        </Card>
      </div>
      <Card title="Status timeline">
        <ul className="sr-list">
          {timeline.map((t, i) => (
            <li key={t.at + t.status + i} data-error={t.error ?? ''}>
              <span className="sr-muted sr-num">{time(t.at)}</span>
              <StatusPill status={t.status} />
              <span className="sr-muted" style={{ fontSize: 12 }}>
                {t.retryCount > 0 ? `retry ${t.retryCount}` : ''}
                {timeline[i + 1] ? ` +${((t.at - timeline[i + 1]!.at) / 1000).toFixed(1)} s` : ''}
                {t.error ? ` · ${t.error}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

function Reconnects() {
  const [transport, setTransport] = useState<'eventsource' | 'fetch'>('eventsource');
  return (
    <>
      <TransportPicker value={transport} options={['eventsource', 'fetch']} onChange={setTransport} />
      <FlakyPlayground key={transport} transport={transport} />
    </>
  );
}

const meta = {
  title: 'Showroom/Reconnect & failures',
  tags: ['live'],
  parameters: {
    docs: { description: { story: 'Buttons drive a flaky endpoint; status, retryCount, backoff gaps and errors are visible.' } },
  },
} satisfies Meta;
export default meta;

export const Playground: StoryObj = {
  name: 'Playground',
  render: () => (
    <SseProvider>
      <Showcase
        title="Reconnect & failures playground"
        intro={
          <>
            The buttons tell <code>/sse/demo/flaky</code> to misbehave. Watch how the library classifies each failure: a drop or a 503
            is retried with exponential backoff (the timeline shows the growing gaps) and resumes after the last event id; a 204 stops
            the stream (<code>closed</code>) until <code>reconnect()</code>; malformed JSON is reported as a <code>parse</code> error
            while events keep flowing. &ldquo;Go silent&rdquo; keeps the socket open but writes nothing: after <code>idleTimeoutMs</code>{' '}
            (4 s) the stream counts as lost (<code>network</code>) and resumes. &ldquo;Send retry: 0&rdquo; makes the server ask for an
            immediate reconnect and end every response for 10 s: the request rate stays under 1 per <code>retry.minDelayMs</code>{' '}
            (500 ms). Switch to the fetch transport to see exact HTTP statuses.
          </>
        }
        code={code}
      >
        <Reconnects />
      </Showcase>
    </SseProvider>
  ),
};
