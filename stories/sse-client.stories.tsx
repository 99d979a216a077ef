import { useEffect, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, createSseClient, useSsePool, type PoolEntry, type SseClient } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { metrics } from './support/streams';
import { MetricWidget } from './support/metric-widget';
import { Card, Live, Showcase, time } from './support/ui';

// ---- Code outside React: no hooks, only the client ------------------------------------------

/** A plain logger: one subscriber on the client's shared connection. Returns its unsubscribe. */
function startLogger(client: SseClient, write: (line: string) => void): () => void {
  return client.subscribe(metrics, {
    onStatus: (status) => write(`status → ${status}`),
    onEvent: (e) => write(`cpu ${e.data.cpu.toFixed(1)} % · memory ${e.data.memory.toFixed(1)} % · ${e.data.rps} req/s`),
  });
}

/** An async loop over the same stream: a running CPU average, until `signal` aborts or the stream closes. */
async function averageCpu(client: SseClient, signal: AbortSignal, report: (average: number, samples: number) => void): Promise<void> {
  let sum = 0;
  let samples = 0;
  for await (const e of client.events(metrics, { signal })) {
    sum += e.data.cpu;
    report(sum / ++samples, samples);
  }
}

/** What the client itself reports, read outside React: connections and their subscribers. */
const describeEntries = (entries: readonly PoolEntry[]) =>
  `${entries.length} connection${entries.length === 1 ? '' : 's'}${entries.map((e) => ` · ${e.url} (${e.status}, ${e.subscribers} subscribers)`).join('')}`;

const code = `
export const client = createSseClient({ lingerMs: 1000 });

// Outside React: a logger and an async loop, on the client directly.
const stop = client.subscribe(metrics, { onEvent: (e) => log(e.data), onStatus: (s) => log(s) });

const controller = new AbortController();
for await (const e of client.events(metrics, { signal: controller.signal })) average.add(e.data.cpu);
// controller.abort() ends the loop (it returns, it does not throw)

// Inside React: the provider uses the same client, so the hooks join the same connection.
<SseProvider client={client}>
  <Gauge field="cpu" />   {/* useLatestEvent(metrics, 'metrics', { select: (m) => m.cpu }) */}
  <Gauge field="memory" />
  <Gauge field="rps" />
</SseProvider>

client.entries(); // [{ url: '/sse/demo/metrics', subscribers: 5, … }]: one connection
client.dispose(); // closes everything (the provider does not: the client outlives it)
`;

// ---- Inside React ----------------------------------------------------------------------------


/** The provider's view of the same client: useSsePool() lists the connections and their subscribers. */
function PoolSummary({ expected }: { expected: string }) {
  const pool = useSsePool();
  const subscribers = pool.reduce((n, e) => n + e.subscribers, 0);
  return (
    <Live ready={pool.some((e) => e.eventsReceived > 0)}>
      <p style={{ margin: 0 }}>
        <code>useSsePool()</code>: <b data-testid="connection-count">{pool.length}</b> connection{pool.length === 1 ? '' : 's'},{' '}
        <b data-testid="subscriber-count">{subscribers}</b> subscriber{subscribers === 1 ? '' : 's'} <span className="sr-muted">({expected})</span>
      </p>
    </Live>
  );
}

function LoggerCard({ client }: { client: SseClient }) {
  const [on, setOn] = useState(true);
  const [lines, setLines] = useState<{ at: number; text: string }[]>([]);
  useEffect(() => {
    if (!on) return;
    return startLogger(client, (text) => setLines((l) => [{ at: Date.now(), text }, ...l].slice(0, 8)));
  }, [client, on]);
  return (
    <Card
      title={<>Logger: <code>client.subscribe()</code></>}
      extra={
        <button type="button" className="sr-button" onClick={() => setOn((o) => !o)} aria-pressed={on}>
          {on ? 'Unsubscribe' : 'Subscribe'}
        </button>
      }
    >
      <Live ready={lines.some((l) => l.text.startsWith('cpu'))}>
        <ul className="sr-list" data-testid="logger" style={{ fontSize: 13 }}>
          {lines.map((l, i) => (
            <li key={`${l.at}-${i}-${l.text}`}>
              <span className="sr-muted sr-num">{time(l.at)}</span>
              <span className="sr-num">{l.text}</span>
            </li>
          ))}
          {!lines.length && <li className="sr-muted">{on ? 'Waiting for the first event…' : 'Unsubscribed.'}</li>}
        </ul>
      </Live>
    </Card>
  );
}

function LoopCard({ client, on, onToggle }: { client: SseClient; on: boolean; onToggle(): void }) {
  const [average, setAverage] = useState<{ value: number; samples: number }>();
  const [ended, setEnded] = useState<string>();
  useEffect(() => {
    if (!on) return;
    setEnded(undefined);
    const controller = new AbortController();
    averageCpu(client, controller.signal, (value, samples) => setAverage({ value, samples })).then(
      () => setEnded(controller.signal.aborted ? 'aborted' : 'returned: the stream closed'),
      (error: unknown) => setEnded(`threw: ${error instanceof Error ? error.message : String(error)}`),
    );
    return () => controller.abort();
  }, [client, on]);
  return (
    <Card
      title={<>Loop: <code>for await … client.events()</code></>}
      extra={
        <button type="button" className="sr-button" onClick={onToggle} aria-pressed={on}>
          {on ? 'Abort' : 'Start'}
        </button>
      }
    >
      <Live ready={(average?.samples ?? 0) > 0}>
        <div className="sr-big" data-testid="cpu-average">
          {average ? average.value.toFixed(1) : '–'}
          <small>% average CPU</small>
        </div>
        <p className="sr-muted" style={{ margin: '4px 0 0', fontSize: 13 }}>
          over {average?.samples ?? 0} events · {on ? (ended ? `loop ${ended}` : 'iterating') : 'aborted: the loop returned'}
        </p>
      </Live>
    </Card>
  );
}

/** client.entries(), read by plain code once a second: the same connection the hooks use. */
function ClientEntries({ client }: { client: SseClient }) {
  const [entries, setEntries] = useState(() => client.entries());
  useEffect(() => {
    const timer = setInterval(() => setEntries(client.entries()), 1000);
    return () => clearInterval(timer);
  }, [client]);
  return (
    <p className="sr-muted" style={{ margin: '8px 0 0', fontSize: 13 }} data-testid="client-entries">
      <code>client.entries()</code>: {describeEntries(entries)}
    </p>
  );
}

function Shared({ client }: { client: SseClient }) {
  const [gauges, setGauges] = useState(3);
  const [looping, setLooping] = useState(true);
  const [generation, setGeneration] = useState(0);
  const [closed, setClosed] = useState(false);
  const reconnect = () => {
    client.reconnect(metrics);
    setClosed(false);
    setLooping(true);
    setGeneration((g) => g + 1); // a fresh loop: the old one returned when the stream closed
  };
  return (
    <>
      <Card
        title="One client, one connection"
        extra={
          <div className="sr-row">
            <button type="button" className="sr-button" onClick={() => setGauges((n) => Math.max(0, n - 1))}>
              − hook
            </button>
            <button type="button" className="sr-button" onClick={() => setGauges((n) => n + 1)}>
              + hook
            </button>
            {closed ? (
              <button type="button" className="sr-button sr-button--primary" onClick={reconnect}>
                client.reconnect()
              </button>
            ) : (
              <button
                type="button"
                className="sr-button sr-button--danger"
                onClick={() => {
                  client.close(metrics);
                  setClosed(true);
                }}
              >
                client.close()
              </button>
            )}
          </div>
        }
      >
        <PoolSummary expected={`${gauges} hook${gauges === 1 ? '' : 's'} + logger + loop, when on`} />
        <ClientEntries client={client} />
        {closed && (
          <p className="sr-muted" style={{ margin: '8px 0 0', fontSize: 13 }}>
            <code>client.close(metrics)</code> closed the stream for every subscriber: the hooks show <code>closed</code>, the logger logged
            it and the loop returned.
          </p>
        )}
      </Card>
      <div className="sr-grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))' }}>
        {Array.from({ length: gauges }, (_, i) => (
          <MetricWidget key={i} index={i} />
        ))}
      </div>
      <div className="sr-grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))' }}>
        <LoggerCard client={client} />
        <LoopCard key={generation} client={client} on={looping} onToggle={() => setLooping((l) => !l)} />
      </div>
    </>
  );
}

/** The client belongs to this story: made on mount, disposed on unmount (the provider never disposes a given client). */
function ClientDemo() {
  const [client] = useState(() => createSseClient({ lingerMs: 1000 }));
  useEffect(() => () => client.dispose(), [client]);
  return (
    <SseProvider client={client}>
      <Showcase
        title="createSseClient: one connection for React and plain code"
        intro={
          <>
            Everything <code>&lt;SseProvider&gt;</code> does is done by a client. Made with <code>createSseClient()</code> and handed to{' '}
            <code>&lt;SseProvider client={'{client}'}&gt;</code>, it serves the hooks below <em>and</em> code outside React: a logger on{' '}
            <code>client.subscribe()</code> and a <code>for await</code> loop over <code>client.events()</code> with an{' '}
            <code>AbortController</code>. All of them share one connection: add hooks, unsubscribe the logger or abort the loop and only
            the subscriber count moves.
          </>
        }
        code={code}
        aside={<SseDevtools />}
      >
        <Shared client={client} />
      </Showcase>
    </SseProvider>
  );
}

const meta = {
  title: 'Showroom/SSE client',
  tags: ['live'],
  parameters: {
    docs: { description: { story: '`createSseClient()` shared by hooks under `<SseProvider client>` and by plain code (`subscribe`, `events()`): one connection.' } },
  },
} satisfies Meta;
export default meta;

export const SharedWithPlainCode: StoryObj = {
  name: 'Shared with plain code',
  render: () => <ClientDemo />,
};
