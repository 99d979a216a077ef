import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLazyFetchTransport } from '../../src/core/transport/lazy-fetch-transport';
import { ConnectionPool } from '../../src/core/client/pool';
import type { TransportCallbacks, TransportFailure } from '../../src/core/types';
import { connectionOptions } from './helpers';

const request = { url: 'http://x.test/lazy', eventTypes: ['message'], lastEventId: undefined, options: connectionOptions() };

function sseResponse(text: string): Response {
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

function recorder() {
  const log: string[] = [];
  const failures: TransportFailure[] = [];
  const callbacks: TransportCallbacks = {
    open: () => log.push('open'),
    event: (type, data) => log.push(`${type}:${data}`),
    retry: () => {},
    failure: (failure) => failures.push(failure),
    error: () => {},
  };
  return { log, failures, callbacks };
}

afterEach(() => {
  vi.doUnmock('../../src/core/transport/fetch-transport');
  vi.unstubAllGlobals();
});

describe('lazily loaded fetch transport', () => {
  it('streams through the pool once its chunk has loaded', async () => {
    const fetchMock = vi.fn(async () => sseResponse('data: 1\n\ndata: 2\n\n'));
    vi.stubGlobal('fetch', fetchMock);
    const pool = new ConnectionPool({ lingerMs: 0 }, { crossTab: null });
    const stream = pool.resolve('http://x.test/lazy', { transport: 'fetch' });
    const events: unknown[] = [];
    const unsubscribe = pool.join(stream, { types: ['message'], decoder: stream.decoder, onEvent: (e) => events.push(e.data), onState: () => {} });
    await vi.waitFor(() => expect(events).toEqual([1, 2]));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    unsubscribe();
    pool.dispose();
  });

  it('never sends the request when closed while the chunk is loading', async () => {
    const fetchMock = vi.fn(async (_url: string) => sseResponse('data: 1\n\n'));
    vi.stubGlobal('fetch', fetchMock);
    const transport = createLazyFetchTransport();
    const closed = recorder();
    transport.connect({ ...request, url: 'http://x.test/closed' }, closed.callbacks).close();
    // Registered second, so it connects after the closed one would have: once it has, the other never will.
    const open = recorder();
    transport.connect(request, open.callbacks);
    await vi.waitFor(() => expect(open.log).toEqual(['open', 'message:1']));
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(['http://x.test/lazy']);
    expect(closed.log).toEqual([]);
    expect(closed.failures).toEqual([]);
  });

  it('reports a failed chunk download as a network error to retry, and downloads again next time', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => sseResponse('data: ok\n\n')));
    vi.doMock('../../src/core/transport/fetch-transport', () => {
      throw new Error('chunk missing');
    });
    const transport = createLazyFetchTransport();
    const first = recorder();
    transport.connect(request, first.callbacks);
    await vi.waitFor(() => expect(first.failures).toHaveLength(1));
    expect(first.failures[0]!.retry).toBe('backoff');
    expect(first.failures[0]!.error?.kind).toBe('network');
    expect(first.failures[0]!.error?.message).toContain('Could not load the fetch transport for http://x.test/lazy');

    vi.doUnmock('../../src/core/transport/fetch-transport');
    const second = recorder();
    transport.connect(request, second.callbacks);
    await vi.waitFor(() => expect(second.log).toEqual(['open', 'message:ok']));
  });
});
