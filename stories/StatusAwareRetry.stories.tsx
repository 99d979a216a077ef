import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, defineStream, useEventStream, useSseEvent, type StreamError, type StreamStatus } from 'react-sse-hub';
import type { FlakyTick } from './support/flaky';
import { Card, ErrorLine, Live, Showcase, StatusPill, time } from './support/ui';

const code = `
let token = await refreshToken();

const ticks = defineStream<{ tick: Tick }>('/sse/demo/expiring', {
  events: ['tick'],
  headers: () => ({ Authorization: \`Bearer \${token}\` }), // read again on every attempt
  retry: {
    initialDelayMs: 500,
    // Asked about every connection failure; a promise is awaited before the retry.
    shouldRetry: async (error) => {
      if (error.kind === 'http' && error.status === 401) {
        token = await refreshToken();
        return true;                                    // retry with backoff: headers() sees the new token
      }
      return error.kind === 'network' || (error.kind === 'http' && error.status >= 500); // the default rule
    },
  },
});

const { status, retryCount, events } = useEventStream(ticks);
useSseEvent(ticks, 'tick', count, { onError: (error) => log(error) }); // every error, as it happens
`;

/** What POST /sse/demo/expiring/token and …/expire answer (.storybook/demo-endpoints.ts). */
interface TokenServer {
  token: string;
  open: number;
  rejected: number;
}

interface LogEntry {
  at: number;
  kind: 'error' | 'refresh';
  text: string;
}
interface Transition {
  at: number;
  status: StreamStatus;
  retryCount: number;
}

const describeError = (error: StreamError) => `${error.kind}${error.kind === 'http' ? ` ${error.status}` : ''}: ${error.message}`;

function ExpiringStream() {
  const [channel] = useState(() => `retry-${Math.random().toString(36).slice(2, 8)}`);
  const [server, setServer] = useState<TokenServer>();
  const [log, setLog] = useState<LogEntry[]>([]);
  const note = useCallback((kind: LogEntry['kind'], text: string) => setLog((list) => [{ at: Date.now(), kind, text }, ...list].slice(0, 12)), []);

  const post = useCallback(
    (action: 'token' | 'expire') =>
      fetch(`/sse/demo/expiring/${action}?channel=${channel}`, { method: 'POST', cache: 'no-store' })
        .then((r) => r.json() as Promise<TokenServer>)
        .then((answer) => (setServer(answer), answer)),
    [channel],
  );

  // The token the stream sends: fetched before the first request, refreshed by shouldRetry on a 401.
  const token = useRef<string | undefined>(undefined);
  const [sent, setSent] = useState<string>();
  const stream = useMemo(
    () =>
      defineStream<{ tick: FlakyTick }>(`/sse/demo/expiring?channel=${channel}`, {
        events: ['tick'],
        headers: async () => {
          token.current ??= (await post('token')).token;
          setSent(token.current);
          return { Authorization: `Bearer ${token.current}` };
        },
        retry: {
          initialDelayMs: 500,
          shouldRetry: async (error) => {
            if (error.kind === 'http' && error.status === 401) {
              const stale = token.current;
              token.current = (await post('token')).token;
              note('refresh', `shouldRetry: 401 → refreshed ${stale ?? 'the token'} to ${token.current}, retrying`);
              return true;
            }
            return error.kind === 'network' || (error.kind === 'http' && error.status >= 500);
          },
        },
      }),
    [channel, post, note],
  );

  const { status, retryCount, events, lastEventId, error } = useEventStream(stream, { bufferSize: 10 });
  useSseEvent(stream, 'tick', () => {}, { onError: (e) => note('error', `onError · ${describeError(e)}`) });

  // The status transitions: open → reconnecting, retry 1 (the stream ended; this attempt gets the 401)
  // → reconnecting, retry 2 (shouldRetry refreshed the token) → open.
  const [timeline, setTimeline] = useState<Transition[]>([]);
  const last = useRef('');
  useEffect(() => {
    const signature = `${status}|${retryCount}`;
    if (signature === last.current) return;
    last.current = signature;
    setTimeline((list) => [{ at: Date.now(), status, retryCount }, ...list].slice(0, 12));
  }, [status, retryCount]);

  return (
    <div className="sr-body sr-body--aside">
      <div className="sr-stage">
        <Card title="Stream with a bearer token" extra={<StatusPill status={status} />}>
          <Live ready={events.length > 0}>
            <dl className="sr-kv">
              <dt>token sent</dt>
              <dd data-testid="token">{sent ?? '…'}</dd>
              <dt>retryCount</dt>
              <dd data-testid="retry-count">{retryCount}</dd>
              <dt>last events</dt>
              <dd className="sr-num">{events.map((e) => e.data.n).join(' ') || '–'}</dd>
              <dt>lastEventId</dt>
              <dd data-testid="last-event-id">{lastEventId ?? '–'}</dd>
              <dt>server</dt>
              <dd data-testid="token-server">{server ? `valid token ${server.token} · ${server.rejected} × 401 answered` : '…'}</dd>
            </dl>
          </Live>
          <ErrorLine error={error} />
          <div className="sr-row" style={{ marginTop: 10 }}>
            <button type="button" className="sr-button sr-button--primary" onClick={() => void post('expire').catch(() => undefined)}>
              Expire the token
            </button>
            <span className="sr-muted" style={{ fontSize: 12 }}>
              the server rotates its token and ends the stream: the reconnect gets a 401
            </span>
          </div>
        </Card>
        <Card title="onError log and shouldRetry">
          <ul className="sr-list" data-testid="error-log">
            {log.length === 0 && <li className="sr-muted">No errors yet: press “Expire the token”.</li>}
            {log.map((entry, i) => (
              <li key={entry.at + entry.text + i} data-kind={entry.kind}>
                <span className="sr-muted sr-num">{time(entry.at)}</span>
                <span className="sr-tag">{entry.kind === 'error' ? 'onError' : 'shouldRetry'}</span>
                <span style={{ fontSize: 13 }}>{entry.text}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <Card title="Status transitions">
        <ul className="sr-list" data-testid="status-timeline">
          {timeline.map((t, i) => (
            <li key={t.at + t.status + i}>
              <span className="sr-muted sr-num">{time(t.at)}</span>
              <StatusPill status={t.status} />
              <span className="sr-muted" style={{ fontSize: 12 }}>
                {t.retryCount > 0 ? `retry ${t.retryCount}` : ''}
                {timeline[i + 1] ? ` +${((t.at - timeline[i + 1]!.at) / 1000).toFixed(1)} s` : ''}
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

const meta = {
  title: 'Showroom/Status-aware retry',
  tags: ['live'],
} satisfies Meta;
export default meta;

export const TokenRefresh: StoryObj = {
  name: 'Token refresh on 401',
  parameters: {
    docs: { description: { story: '`retry.shouldRetry` refreshes an expired token on a 401 and retries; `onError` logs every error.' } },
  },
  render: () => (
    <SseProvider>
      <Showcase
        title="Status-aware retry: refresh the token on a 401"
        intro={
          <>
            By default a 401 closes the stream: the credentials are wrong, retrying would not help. Tokens expire, though.{' '}
            <code>retry.shouldRetry(error, attempt)</code> decides every connection failure: here a 401 refreshes the token (a promise the
            retry waits for) and returns <code>true</code>; the next attempt calls <code>headers()</code> again and sends the new token.
            Press <b>Expire the token</b>: the server ends the stream and answers 401 to the old token until the client has refreshed it.{' '}
            <code>onError</code> (on <code>useSseEvent</code>) logs each error as it happens, even those no render would show.
          </>
        }
        code={code}
      >
        <ExpiringStream />
      </Showcase>
    </SseProvider>
  ),
};
