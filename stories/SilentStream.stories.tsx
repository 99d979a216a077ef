import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, defineStream, useEventStream } from 'react-sse-hub';
import { useFlakyChannel, type FlakyTick } from './support/flaky';
import { Card, ErrorLine, Live, Showcase, StatusPill, time, TransportPicker } from './support/ui';

const code = `
const feed = defineStream<{ tick: Tick }>('/sse/demo/flaky?silenceAfter=5', {
  events: ['tick'],
  idleTimeoutMs: 2000,                 // open, but nothing for 2 s: treated as lost
  retry: { initialDelayMs: 1000, jitter: false },
});

const { status, error, events } = useEventStream(feed, { bufferSize: 500 });
// After event 5 the server stops writing and keeps the socket open: no error, no end, nothing.
// 2 s later: status 'reconnecting', error.kind 'network'. The next request carries
// Last-Event-ID 5 and the server goes on with 6: nothing lost, nothing repeated.
`;

interface Detection {
  at: number;
  afterId: string | undefined;
  quietMs: number;
  kind: string;
}

/** Ids are sequence numbers: every id must be the previous one plus one. */
function checkIds(ids: readonly number[]) {
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  const lost = ids.flatMap((id, i) => (i > 0 && id > ids[i - 1]! + 1 ? [`${ids[i - 1]! + 1}–${id - 1}`] : []));
  return { ok: ids.length > 0 && repeated.length === 0 && lost.length === 0, repeated, lost };
}

function SilentFeed({ transport }: { transport: 'eventsource' | 'fetch' }) {
  const { channel, server, control } = useFlakyChannel('silent');
  const stream = useMemo(
    () =>
      defineStream<{ tick: FlakyTick }>(`/sse/demo/flaky?channel=${channel}&silenceAfter=5`, {
        events: ['tick'],
        transport,
        idleTimeoutMs: 2000,
        retry: { initialDelayMs: 1000, jitter: false },
      }),
    [channel, transport],
  );
  const { status, error, events, lastEventId, reconnect } = useEventStream(stream, { bufferSize: 500 });

  // Record each detection: the error is cleared by the next successful open, the record stays.
  const [detections, setDetections] = useState<Detection[]>([]);
  const armed = useRef(true);
  const lastAt = events[events.length - 1]?.receivedAt;
  useEffect(() => {
    if (status === 'open') armed.current = true;
    if (status !== 'reconnecting' || !error || !armed.current) return;
    armed.current = false;
    const at = Date.now();
    setDetections((list) => [...list, { at, afterId: lastEventId, quietMs: lastAt ? at - lastAt : 0, kind: error.kind }]);
  }, [status, error, lastEventId, lastAt]);

  const ids = events.map((e) => Number(e.id));
  const verdict = checkIds(ids);
  const first = detections[0];
  const phase = !first ? 'waiting' : events.some((e) => e.receivedAt > first.at) ? 'resumed' : 'detected';
  const shown = events.slice(-80);
  return (
    <>
      <Card title="Stream" extra={<StatusPill status={status} />}>
        <Live ready={events.length > 0}>
          <dl className="sr-kv">
            <dt>transport</dt>
            <dd>{transport}</dd>
            <dt>idleTimeoutMs</dt>
            <dd>2000</dd>
            <dt>lastEventId</dt>
            <dd>{lastEventId ?? '–'}</dd>
            <dt>server</dt>
            <dd data-testid="server-state">
              {server ? `${server.connects} connects · ${server.open} open · latest resumed after id ${server.resumedFrom ?? '–'}` : '…'}
            </dd>
          </dl>
        </Live>
        <ErrorLine error={error} />
        <div className="sr-row" style={{ marginTop: 10 }}>
          <button type="button" className="sr-button" onClick={() => void control('silence')}>
            Go silent again
          </button>
          <button type="button" className="sr-button sr-button--primary" onClick={reconnect}>
            reconnect()
          </button>
        </div>
      </Card>
      <Card title="Silence detected" extra={<span className="sr-muted" data-silence={phase}>{phase}</span>}>
        {detections.length === 0 ? (
          <p className="sr-muted">The server goes quiet after event 5; nothing happens on the wire from then on…</p>
        ) : (
          <ul className="sr-list">
            {detections.map((d) => (
              <li key={d.at} data-testid="detection" data-kind={d.kind}>
                <span className="sr-muted sr-num">{time(d.at)}</span>
                <StatusPill status="reconnecting" />
                <span style={{ fontSize: 13 }}>
                  <b>{d.kind}</b> after {(d.quietMs / 1000).toFixed(1)} s of silence · last event id {d.afterId ?? '–'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Event ids, in arrival order" extra={<span className="sr-muted">{events.length} events</span>}>
        <p className="sr-num" style={{ lineHeight: 1.9, margin: 0 }}>
          {shown.length < events.length && '… '}
          {shown.map((e) => (
            <Fragment key={e.id}>
              <span className="sr-pill">{e.id}</span>{' '}
              {detections.some((d) => d.afterId === e.id) && (
                <span className="sr-pill sr-pill--reconnecting" data-testid="resume-mark">
                  silent → resumed after {e.id}
                </span>
              )}{' '}
            </Fragment>
          ))}
        </p>
        <p data-testid="ids-verdict" data-ok={verdict.ok ? 'true' : 'false'} style={{ margin: '8px 0 0', fontSize: 13 }}>
          {verdict.ok
            ? `✓ ${ids.length} events, ids ${ids[0]}…${ids[ids.length - 1]} in order: nothing lost, nothing repeated`
            : ids.length === 0
              ? 'no events yet'
              : `✗ lost ${verdict.lost.join(', ') || 'none'} · repeated ${verdict.repeated.join(', ') || 'none'}`}
        </p>
      </Card>
    </>
  );
}

function SilentStreamDemo() {
  const [transport, setTransport] = useState<'eventsource' | 'fetch'>('fetch');
  return (
    <>
      <TransportPicker value={transport} options={['fetch', 'eventsource']} onChange={setTransport} />
      <SilentFeed key={transport} transport={transport} />
    </>
  );
}

const meta = {
  title: 'Showroom/Idle timeout',
  tags: ['live'],
} satisfies Meta;
export default meta;

export const SilentStream: StoryObj = {
  name: 'Silent stream',
  parameters: { docs: { description: { story: '`idleTimeoutMs`: a connection that stays open but goes silent is detected, dropped and resumed from the last event id.' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Idle timeout: a stream that goes silent"
        intro={
          <>
            A proxy that keeps the socket but stops forwarding, a server stuck in a loop: the connection looks open and no error ever
            comes. After its fifth event <code>/sse/demo/flaky</code> stops writing and keeps the socket open. With{' '}
            <code>idleTimeoutMs: 2000</code> the library notices 2 s later (<code>reconnecting</code>, error kind{' '}
            <code>network</code>), reconnects with the last event id, and the server goes on right after it: the ids below have no gap
            and no repeat. &ldquo;Go silent again&rdquo; repeats it; the fetch transport counts any bytes, a native EventSource only
            events.
          </>
        }
        code={code}
      >
        <SilentStreamDemo />
      </Showcase>
    </SseProvider>
  ),
};
