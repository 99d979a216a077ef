import { Component, Suspense, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseError, SseProvider, defineStream, useSseStatus, useSuspenseLatestEvent, type StreamDescriptor } from 'react-sse-hub';
import type { Count } from './support/streams';
import { Card, ErrorLine, Live, Showcase, StatusPill } from './support/ui';

const code = `
const counter = defineStream<{ count: Count }>('/sse/demo/counter?firstAfter=1500', { events: ['count'] });

function Count() {
  // Suspends until the first 'count' event: data is never undefined here.
  const { data } = useSuspenseLatestEvent(counter, 'count', { select: (c) => c.n });
  return <b>{data}</b>;
}

<Suspense fallback={<Spinner />}><Count /></Suspense>

// A stream that closes with an error before its first event (a 401) throws an SseError:
function Fallback({ error, reset }: { error: unknown; reset(): void }) {
  const { reconnect } = useSseStatus(secure);      // outside the boundary: still mounted
  if (!(error instanceof SseError)) throw error;
  return (
    <p>
      {error.kind} {error.status}: {error.message}
      <button onClick={() => { reconnect(); reset(); }}>Retry</button>
    </p>
  );
}
`;

// ---- the happy path: the fallback, then live data ------------------------------------------------

/** The demo counter, its first event held back 1.5 s; `run` makes each run a new stream (a new wait). */
const slowCounter = (run: number) =>
  defineStream<{ count: Count }>(`/sse/demo/counter?name=suspense-${run}&interval=1000&firstAfter=1500`, { events: ['count'] });

function Count({ stream }: { stream: StreamDescriptor<{ count: Count }> }) {
  const { data, status, lastEventId } = useSuspenseLatestEvent(stream, 'count', { select: (c) => c.n });
  return (
    <Live ready>
      <div className="sr-big" data-testid="suspense-count">
        {data}
        <small>events</small>
      </div>
      <p className="sr-muted" style={{ margin: '4px 0 0', fontSize: 13 }}>
        status <StatusPill status={status} /> · lastEventId {lastEventId ?? '–'}
      </p>
    </Live>
  );
}

function Waiting({ since }: { since: number }) {
  return (
    <p className="sr-muted" data-testid="suspense-fallback" style={{ margin: 0 }}>
      <span className="sr-caret" /> Suspended: the <code>&lt;Suspense&gt;</code> fallback, until the first event (held back 1.5 s by the
      server; started {new Date(since).toLocaleTimeString([], { hour12: false })}).
    </p>
  );
}

function FirstEvent() {
  const [run, setRun] = useState(() => ({ n: 1, at: Date.now() }));
  const stream = useMemo(() => slowCounter(run.n), [run.n]);
  return (
    <Card
      title="Fallback, then live data"
      extra={
        <button type="button" className="sr-button" onClick={() => setRun((r) => ({ n: r.n + 1, at: Date.now() }))}>
          Start over
        </button>
      }
    >
      <Suspense key={run.n} fallback={<Waiting since={run.at} />}>
        <Count stream={stream} />
      </Suspense>
    </Card>
  );
}

// ---- a 401 before the first event: the error boundary --------------------------------------------

interface Balance {
  account: string;
  balance: number;
  n: number;
}
type SecureStream = StreamDescriptor<{ balance: Balance }>;

/** The smallest error boundary: React has no hook for one. `reset()` renders the children again. */
class Boundary extends Component<{ fallback: (error: unknown, reset: () => void) => ReactNode; children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error === undefined) return this.props.children;
    return this.props.fallback(this.state.error, () => this.setState({ error: undefined }));
  }
}

function Balance({ stream }: { stream: SecureStream }) {
  const { data } = useSuspenseLatestEvent(stream, 'balance', { select: (b) => b.balance });
  return (
    <div className="sr-big" data-testid="suspense-balance">
      {data.toFixed(2)}
      <small>EUR</small>
    </div>
  );
}

function Failed({ error, onRetry }: { error: unknown; onRetry(): void }) {
  // Anything but an SseError is not this demo's to handle.
  if (!(error instanceof SseError)) throw error;
  return (
    <div className="sr-error" role="alert" data-testid="suspense-boundary" data-kind={error.kind} data-status={error.status ?? ''}>
      <b>Error boundary</b> caught <code>SseError</code>: kind <b>{error.kind}</b>
      {error.status !== undefined && (
        <>
          , status <b>{error.status}</b>
        </>
      )}
      <br />
      {error.message}
      <div className="sr-row" style={{ marginTop: 8 }}>
        <button type="button" className="sr-button sr-button--primary" onClick={onRetry}>
          Retry
        </button>
        <span className="sr-muted">resets the boundary and calls reconnect()</span>
      </div>
    </div>
  );
}

const TOKENS = ['expired-token', 'demo-token'] as const;

function Unauthorized() {
  // Read by `headers` on every attempt: pick demo-token, then Retry, and the next request passes.
  const [token, setToken] = useState<(typeof TOKENS)[number]>('expired-token');
  const current = useRef(token);
  current.current = token;
  const stream = useMemo<SecureStream>(
    () => defineStream<{ balance: Balance }>('/sse/demo/secure', { events: ['balance'], headers: () => ({ Authorization: `Bearer ${current.current}` }) }),
    [],
  );
  // Outside the boundary, so it stays mounted while the boundary shows its fallback: its reconnect() is the retry.
  const { status, error, reconnect } = useSseStatus(stream);
  return (
    <>
      <div className="sr-row" style={{ marginBottom: 10 }}>
        <span className="sr-muted">Authorization: Bearer</span>
        {TOKENS.map((t) => (
          <button key={t} type="button" className={`sr-button ${t === token ? 'sr-button--primary' : ''}`} aria-pressed={t === token} onClick={() => setToken(t)}>
            {t}
          </button>
        ))}
        <StatusPill status={status} />
      </div>
      <Boundary
        fallback={(caught, reset) => (
          <Failed
            error={caught}
            onRetry={() => {
              // reconnect() first: the boundary's children then wait on a stream that is connecting again.
              reconnect();
              reset();
            }}
          />
        )}
      >
        <Suspense fallback={<p className="sr-muted">Suspended until the first balance…</p>}>
          <Balance stream={stream} />
        </Suspense>
      </Boundary>
      {status !== 'closed' && <ErrorLine error={error} />}
    </>
  );
}

function ErrorBoundaryCard() {
  const [started, setStarted] = useState(false);
  return (
    <Card title="401 before the first event">
      {started ? (
        <Unauthorized />
      ) : (
        <>
          <p className="sr-muted" style={{ marginTop: 0 }}>
            <code>/sse/demo/secure</code> answers 401 to any token but <code>demo-token</code>. The stream closes before its first event, so
            the hook throws an <code>SseError</code> to the nearest error boundary.
          </p>
          <button type="button" className="sr-button" onClick={() => setStarted(true)}>
            Connect with an expired token
          </button>
        </>
      )}
    </Card>
  );
}

const meta = {
  title: 'Showroom/Suspense',
  tags: ['live'],
} satisfies Meta;
export default meta;

export const SuspenseAndErrorBoundary: StoryObj = {
  name: 'Suspense & error boundary',
  parameters: {
    docs: { description: { story: '`useSuspenseLatestEvent`: the `<Suspense>` fallback until the first event; a 401 first goes to the error boundary.' } },
  },
  render: () => (
    <SseProvider>
      <Showcase
        title="Suspense: wait for the first event"
        intro={
          <>
            <code>useSuspenseLatestEvent</code> suspends until the first event of its type, so the component below it renders with{' '}
            <code>data</code> defined: no <code>undefined</code> check, no spinner of its own. The demo server holds the first event back
            1.5 s; &ldquo;Start over&rdquo; opens a new stream to see the fallback again. A stream that closes with an error before its
            first event (here a 401) throws an <code>SseError</code> with its <code>kind</code> and <code>status</code> to the nearest
            error boundary; its Retry resets the boundary and calls <code>reconnect()</code> — pick <code>demo-token</code> first and it
            gets through.
          </>
        }
        code={code}
      >
        <FirstEvent />
        <ErrorBoundaryCard />
      </Showcase>
    </SseProvider>
  ),
};
