import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSseClient, defineStream, type SseClient } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';
import { freshUrl } from './helpers';

let client: SseClient;
const mock = createMockTransport();
beforeEach(() => {
  vi.useFakeTimers();
  client = createSseClient({ transport: mock, lingerMs: 100 });
});
afterEach(() => {
  client.dispose();
  vi.useRealTimers();
});

/** Reads the stream until its connection has lingered and closed. */
function readThenLeave(url: string, ids: string[]): void {
  const stop = client.subscribe(url);
  for (const id of ids) mock.emit(url, 'message', 1, { id });
  stop();
  vi.advanceTimersByTime(100);
  expect(mock.connections(url)).toBe(0);
}

describe('a stream read again after its connection closed', () => {
  it('resumes from the last id its closed connection saw', () => {
    const url = freshUrl('remembered');
    readThenLeave(url, ['1', '2']);
    client.subscribe(url);
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, '2']);
  });

  it('starts a finished finite stream from the beginning', () => {
    const url = freshUrl('remembered-finite');
    const stream = defineStream(url, { finite: true });
    const stop = client.subscribe(stream);
    mock.emit(url, 'message', 1, { id: '1' });
    mock.end(url);
    stop();
    vi.advanceTimersByTime(100);
    client.subscribe(stream);
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, undefined]);
  });

  it('a finished finite stream reconnect()ed is requested from the start, not resumed', () => {
    const url = freshUrl('regenerate');
    const stream = defineStream(url, { finite: true });
    client.subscribe(stream);
    mock.emit(url, 'message', 1, { id: '7' });
    mock.end(url);
    client.reconnect(stream);
    expect(mock.requests(url).map((r) => r.lastEventId)).toEqual([undefined, undefined]);
  });

  it('remembers at most 100 streams, forgetting the oldest', () => {
    const urls = Array.from({ length: 101 }, (_, i) => freshUrl(`remembered-${i}`));
    for (const url of urls) readThenLeave(url, ['x']);
    client.subscribe(urls[0]!);
    client.subscribe(urls[1]!);
    expect(mock.requests(urls[0]!).at(-1)!.lastEventId).toBeUndefined();
    expect(mock.requests(urls[1]!).at(-1)!.lastEventId).toBe('x');
  });
});
