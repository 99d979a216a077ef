// A consumer compiling with exactOptionalPropertyTypes (issue 19): a wrapper component passes its
// own optional props on as they are, so every optional field it fills may be `undefined`. Checked
// against the source (vitest typecheck, tsconfig.json; test/react18/check-types.mjs for React 18)
// and against the built dist/*.d.ts that users get (test/package/check-dist.mjs, tsconfig.dist.json
// here): every `react-sse-hub` import below resolves to dist there.
import type { CSSProperties, ReactNode } from 'react';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createSseClient,
  defineStream,
  SseProvider,
  useEventReducer,
  useEventStream,
  useLatestEvent,
  useSseEvent,
  useSseStatus,
  type EventSchemas,
  type EventsOptions,
  type RetryOptions,
  type SseClient,
  type SseClientOptions,
  type SseEvent,
  type SseProviderProps,
  type StreamOptions,
  type StreamState,
  type StreamStatus,
  type SubscribeOptions,
  type Transport,
  type TransportFailure,
  type UseEventReducerOptions,
  type UseEventStreamOptions,
  type UseLatestEventOptions,
} from 'react-sse-hub';
import { SseDevtools, type SseDevtoolsProps } from 'react-sse-hub/devtools';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';

// Without the flag every line below compiles whatever the declarations say: this one makes the
// file fail then (an unused @ts-expect-error is an error).
// @ts-expect-error exactOptionalPropertyTypes: `a?: number` does not take an explicit undefined
const flagIsOn: { a?: number } = { a: undefined };
void flagIsOn;

interface Tick {
  price: number;
}

/** A wrapper's own props, written as a strict consumer writes them: optional, no `| undefined`. */
interface LiveFeedProps {
  url: string;
  token?: string;
  events?: readonly 'tick'[];
  transport?: 'eventsource' | 'fetch' | Transport;
  withCredentials?: boolean;
  method?: string;
  body?: string;
  parse?: (data: string, type: string) => unknown;
  schemas?: EventSchemas<{ tick: Tick }>;
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  minDelayMs?: number;
  factor?: number;
  jitter?: boolean;
  lastEventIdParam?: string | false;
  pauseWhenHidden?: boolean | number;
  maxEventBytes?: number;
  finite?: boolean;
  endOn?: string | false;
  idleTimeoutMs?: number | false;
  bufferSize?: number;
  enabled?: boolean;
  isEqual?: (a: Tick, b: Tick) => boolean;
  onTick?: (event: SseEvent<Tick, 'tick'>) => void;
  onStatus?: (status: StreamStatus, state: StreamState) => void;
  signal?: AbortSignal;
  lingerMs?: number;
  maxConnectionsPerOrigin?: number | 'auto';
  shareAcrossTabs?: boolean;
  defaults?: StreamOptions;
  providerTransport?: Transport;
  client?: SseClient;
  children?: ReactNode;
  collapsed?: boolean;
  maxEvents?: number;
  style?: CSSProperties;
}

function streamFor(p: LiveFeedProps) {
  const retry: RetryOptions = {
    maxAttempts: p.maxAttempts,
    initialDelayMs: p.initialDelayMs,
    maxDelayMs: p.maxDelayMs,
    minDelayMs: p.minDelayMs,
    factor: p.factor,
    jitter: p.jitter,
  };
  return defineStream<{ tick: Tick }>(p.url, {
    events: p.events,
    transport: p.transport,
    withCredentials: p.withCredentials,
    headers: p.token ? { Authorization: `Bearer ${p.token}` } : undefined,
    method: p.method,
    body: p.body,
    parse: p.parse,
    schemas: p.schemas,
    retry,
    lastEventIdParam: p.lastEventIdParam,
    pauseWhenHidden: p.pauseWhenHidden,
    maxEventBytes: p.maxEventBytes,
    finite: p.finite,
    endOn: p.endOn,
    idleTimeoutMs: p.idleTimeoutMs,
  });
}

function Feed(p: LiveFeedProps) {
  const stream = streamFor(p);
  const { events } = useEventStream(stream, { events: p.events, bufferSize: p.bufferSize, enabled: p.enabled });
  const latest = useLatestEvent(stream, 'tick', { enabled: p.enabled, isEqual: p.isEqual });
  const { state } = useEventReducer(stream, (n: number) => n + 1, 0, { events: p.events, enabled: p.enabled });
  useSseEvent(stream, 'tick', (e) => p.onTick?.(e), { enabled: p.enabled });
  const { status } = useSseStatus(stream);
  expectTypeOf(latest.data).toEqualTypeOf<Tick | undefined>();
  return <p>{`${status} ${events.length} ${state}`}</p>;
}

function LiveFeed(p: LiveFeedProps) {
  return (
    <SseProvider
      lingerMs={p.lingerMs}
      maxConnectionsPerOrigin={p.maxConnectionsPerOrigin}
      shareAcrossTabs={p.shareAcrossTabs}
      defaults={p.defaults}
      transport={p.providerTransport}
      client={p.client}
    >
      <Feed {...p} />
      {p.children}
      <SseDevtools initiallyCollapsed={p.collapsed} maxEvents={p.maxEvents} style={p.style} />
    </SseProvider>
  );
}

/** The same props forwarded outside React: the client, its subscribe() and events(). */
async function feedOutsideReact(p: LiveFeedProps) {
  const client = createSseClient({
    lingerMs: p.lingerMs,
    maxConnectionsPerOrigin: p.maxConnectionsPerOrigin,
    shareAcrossTabs: p.shareAcrossTabs,
    defaults: p.defaults,
    transport: p.providerTransport,
  });
  const stream = streamFor(p);
  const stop = client.subscribe(stream, { events: p.events, onEvent: p.onTick, onStatus: p.onStatus });
  for await (const e of client.events(stream, { events: p.events, signal: p.signal })) expectTypeOf(e.data).toEqualTypeOf<Tick>();
  stop();
}

/** What a test helper forwards to the mock, and a custom transport's own failure report. */
function mockHelpers(mock: MockTransport, url: string, id?: string, status?: number, retryAfter?: string) {
  mock.emit(url, 'tick', { price: 1 }, { id });
  mock.fail(url, { status, retryAfter });
  const failure: TransportFailure = { error: undefined, retry: 'backoff', retryAfterMs: status };
  return failure;
}

/** Keys of T's optional fields that do not take an explicit undefined (never, when all do). */
type RejectsUndefined<T> = {
  [K in keyof T]-?: {} extends Pick<T, K> ? ({ [P in K]: undefined } extends Pick<T, K> ? never : K) : never;
}[keyof T];

describe('a strict consumer (exactOptionalPropertyTypes)', () => {
  it('forwards its own optional props into every call', () => {
    expectTypeOf(LiveFeed).toBeFunction();
    expectTypeOf(feedOutsideReact).toBeFunction();
    expectTypeOf(mockHelpers(createMockTransport(), '/x')).toEqualTypeOf<TransportFailure>();
  });

  it('every optional field of every public input type takes undefined (a new field must say `| undefined`)', () => {
    expectTypeOf<RejectsUndefined<StreamOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<RetryOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<EventSchemas<{ tick: Tick }>>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<SseClientOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<SubscribeOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<EventsOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<SseProviderProps>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<UseEventStreamOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<UseLatestEventOptions<Tick, number>>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<UseEventReducerOptions>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<NonNullable<Parameters<typeof useSseEvent>[3]>>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<SseDevtoolsProps>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<NonNullable<Parameters<MockTransport['emit']>[3]>>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<NonNullable<Parameters<MockTransport['fail']>[1]>>>().toEqualTypeOf<never>();
    expectTypeOf<RejectsUndefined<TransportFailure>>().toEqualTypeOf<never>();
  });
});
