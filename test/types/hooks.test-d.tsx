import { describe, expectTypeOf, it } from 'vitest';
import {
  createSseClient,
  defineStream,
  useEventReducer,
  useEventStream,
  useLatestEvent,
  useSseEvent,
  useSsePool,
  useSseStatus,
  useSuspenseLatestEvent,
  type PoolEntry,
  type SseEvent,
  type EventReducerResult,
  type EventStreamResult,
  type LatestEventResult,
  type StreamError,
  type StreamState,
  type StreamStatus,
} from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';

interface Tick {
  symbol: string;
  price: number;
}
interface Halt {
  reason: string;
}
const prices = defineStream<{ tick: Tick; halt: Halt }>('/api/prices', { events: ['tick', 'halt'] });

describe('descriptor inference', () => {
  it('infers payloads from the event name', () => {
    expectTypeOf(useLatestEvent(prices, 'tick').data).toEqualTypeOf<Tick | undefined>();
    expectTypeOf(useLatestEvent(prices, 'halt').event).toEqualTypeOf<SseEvent<Halt, 'halt'> | undefined>();
  });

  it('rejects unknown event names and fields', () => {
    // @ts-expect-error 'tik' is not an event of prices
    useLatestEvent(prices, 'tik');
    // @ts-expect-error Tick has no field 'cost'
    useLatestEvent(prices, 'tick').data?.cost;
    // @ts-expect-error 'tok' is not an event of prices
    defineStream<{ tick: Tick }>('/x', { events: ['tok'] });
    // The two calls differ only in the handler, and the first compiles: the error can only be the handler's.
    const onHalt = (e: SseEvent<Halt, 'halt'>) => e;
    const onTick = (e: SseEvent<Tick>) => e;
    useSseEvent(prices, 'halt', onHalt);
    // @ts-expect-error handler payload is Halt, not Tick
    useSseEvent(prices, 'halt', onTick);
  });

  it('types select results', () => {
    const { data } = useLatestEvent(prices, 'tick', { select: (t) => t.price });
    expectTypeOf(data).toEqualTypeOf<number | undefined>();
    // The two calls differ only in isEqual, and the first compiles: the error can only be isEqual's.
    const symbol = (t: Tick) => t.symbol;
    const sameString = (a: string, b: string) => a === b;
    const sameNumber = (a: number, b: number) => a === b;
    useLatestEvent(prices, 'tick', { select: symbol, isEqual: sameString });
    // @ts-expect-error isEqual must compare the selected strings
    useLatestEvent(prices, 'tick', { select: symbol, isEqual: sameNumber });
  });

  it('narrows useEventStream events by type', () => {
    const { events } = useEventStream(prices);
    const e = events[0]!;
    if (e.type === 'tick') expectTypeOf(e.data).toEqualTypeOf<Tick>();
    else expectTypeOf(e.data).toEqualTypeOf<Halt>();
    // @ts-expect-error 'tok' is not an event of prices
    useEventStream(prices, { events: ['tok'] });
  });

  it('types useSseEvent handlers', () => {
    useSseEvent(prices, 'tick', (event) => {
      expectTypeOf(event.data).toEqualTypeOf<Tick>();
      expectTypeOf(event.type).toEqualTypeOf<'tick'>();
    });
  });
});

describe('string URLs', () => {
  it('take the payload type as the first generic', () => {
    expectTypeOf(useLatestEvent<Tick>('/api/prices', 'tick').data).toEqualTypeOf<Tick | undefined>();
    expectTypeOf(useEventStream<Tick>('/api/prices').events).toEqualTypeOf<readonly SseEvent<Tick>[]>();
    expectTypeOf(useLatestEvent('/api/x', 'message').data).toEqualTypeOf<unknown>();
  });

  it('take select without spelling the selected type', () => {
    // Annotating select's parameter infers both the payload and the selected type.
    expectTypeOf(useLatestEvent('/api/prices', 'tick', { select: (t: Tick) => t.price }).data).toEqualTypeOf<number | undefined>();
    // The payload type spelled alone compiles too; the selection is then unknown (no partial inference in TypeScript).
    const spelled = useLatestEvent<Tick>('/api/prices', 'tick', { select: (t) => t.price });
    expectTypeOf(spelled.data).toEqualTypeOf<unknown>();
    expectTypeOf(spelled.event).toEqualTypeOf<SseEvent<Tick> | undefined>();
    expectTypeOf(useLatestEvent<Tick, number>('/api/prices', 'tick', { select: (t) => t.price }).data).toEqualTypeOf<number | undefined>();
    // select still checks its parameter against the spelled payload type.
    // @ts-expect-error Tick has no `cost`
    useLatestEvent<Tick>('/api/prices', 'tick', { select: (t) => t.cost });
  });
});

describe('the client and useEventReducer', () => {
  it('type events from the descriptor', () => {
    const client = createSseClient();
    client.subscribe(prices, { events: ['tick'], onEvent: (e) => expectTypeOf(e.data).toEqualTypeOf<Tick>() });
    client.subscribe<Tick>('/api/prices', { onEvent: (e) => expectTypeOf(e.data).toEqualTypeOf<Tick>() });
    // @ts-expect-error not an event of prices
    client.subscribe(prices, { events: ['tik'] });
    expectTypeOf(client.events(prices, { events: ['halt'] })).toEqualTypeOf<AsyncIterableIterator<SseEvent<Halt, 'halt'>>>();
    const { state, reset } = useEventReducer(prices, (n: number, e) => n + (e.type === 'tick' ? e.data.price : 0), 0);
    expectTypeOf(state).toEqualTypeOf<number>();
    expectTypeOf(reset).toEqualTypeOf<() => void>();
    useEventReducer(prices, (n: number, e) => {
      expectTypeOf(e).toEqualTypeOf<SseEvent<Halt, 'halt'>>();
      return n;
    }, 0, { events: ['halt'] });
  });
});

describe('status, pool and errors', () => {
  it('exposes the API.md shapes', () => {
    const s = useSseStatus(prices);
    expectTypeOf(s.status).toEqualTypeOf<StreamStatus>();
    expectTypeOf(s.error).toEqualTypeOf<StreamError | undefined>();
    expectTypeOf(s.retryCount).toEqualTypeOf<number>();
    expectTypeOf(useSsePool()).toEqualTypeOf<readonly PoolEntry[]>();
    expectTypeOf<PoolEntry['owner']>().toEqualTypeOf<'this-tab' | 'other-tab'>();
    expectTypeOf<StreamError['kind']>().toEqualTypeOf<
      'network' | 'http' | 'content-type' | 'parse' | 'validation' | 'max-attempts' | 'too-large' | 'unsupported'
    >();
    const r = useEventStream(prices);
    expectTypeOf(r.reconnect).toEqualTypeOf<() => void>();
    expectTypeOf(r.lastEventId).toEqualTypeOf<string | undefined>();
  });

  it('every hook returns the base StreamState plus its own fields', () => {
    expectTypeOf(useSseStatus(prices)).toEqualTypeOf<StreamState>();
    expectTypeOf(useEventStream(prices)).toMatchTypeOf<StreamState>();
    expectTypeOf(useLatestEvent(prices, 'tick', { select: (t) => t.price })).toMatchTypeOf<StreamState>();
    expectTypeOf(useLatestEvent<Tick>('/api/prices', 'tick')).toMatchTypeOf<StreamState>();
    expectTypeOf(useEventReducer(prices, (n: number) => n + 1, 0)).toMatchTypeOf<StreamState>();
    // The named results too, for any type arguments.
    expectTypeOf<EventStreamResult<SseEvent<Tick>>>().toMatchTypeOf<StreamState>();
    expectTypeOf<LatestEventResult<number, Tick, 'tick'>>().toMatchTypeOf<StreamState>();
    expectTypeOf<EventReducerResult<string>>().toMatchTypeOf<StreamState>();
    expectTypeOf<StreamState>().toEqualTypeOf<{
      status: StreamStatus;
      error: StreamError | undefined;
      retryCount: number;
      lastEventId: string | undefined;
      reconnect(): void;
      close(): void;
    }>();
    // A client subscriber's onStatus gets the same shape.
    createSseClient().subscribe(prices, {
      onStatus: (status, state) => expectTypeOf(state).toEqualTypeOf<StreamState>(),
    });
  });

  it('no longer exports StreamStatusResult (StreamState is the one name)', () => {
    // @ts-expect-error StreamStatusResult became StreamState in 0.3
    type Gone = import('react-sse-hub').StreamStatusResult;
  });

  it('accepts the mock transport as a provider transport', () => {
    const mock = createMockTransport();
    expectTypeOf(mock.requests('/x')[0]!.headers).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(mock.connections).returns.toEqualTypeOf<number>();
  });
});

describe('useSuspenseLatestEvent', () => {
  it('has data defined (never undefined) and the base StreamState', () => {
    const r = useSuspenseLatestEvent(prices, 'tick');
    expectTypeOf(r.data).toEqualTypeOf<Tick>();
    expectTypeOf(r.event.data).toEqualTypeOf<Tick>();
    expectTypeOf(r).toMatchTypeOf<StreamState>();
    expectTypeOf(useSuspenseLatestEvent(prices, 'tick', { select: (t) => t.price }).data).toEqualTypeOf<number>();
    expectTypeOf(useSuspenseLatestEvent<Halt>('/api/halts', 'halt').data).toEqualTypeOf<Halt>();
    // @ts-expect-error -- 'tik' is not one of the descriptor's event types
    useSuspenseLatestEvent(prices, 'tik');
  });
});
