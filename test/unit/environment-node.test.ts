// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { createSseClient, type SseClient, type StreamStatus } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';
import { defaultEnvironment } from '../../src/core/scheduling/environment';

let client: SseClient | undefined;
afterEach(() => client?.dispose());

describe('the default environment without a DOM (Node, React Native, workers)', () => {
  it('is visible and online, and subscribing to its signals is harmless', () => {
    expect(typeof document).toBe('undefined');
    const env = defaultEnvironment();
    expect(env.hidden.get()).toBe(false);
    expect(env.online.get()).toBe(true);
    for (const signal of [env.hidden, env.online, env.restored]) expect(signal.subscribe(() => {})).toBeTypeOf('function');
  });

  it('lets a client connect and deliver events', () => {
    const mock = createMockTransport();
    client = createSseClient({ transport: mock });
    const statuses: StreamStatus[] = [];
    const data: unknown[] = [];
    client.subscribe('http://127.0.0.1:1/feed', { onStatus: (s) => statuses.push(s), onEvent: (e) => data.push(e.data) });
    mock.emit('http://127.0.0.1:1/feed', 'message', { n: 1 });
    expect(statuses.at(-1)).toBe('open');
    expect(data).toEqual([{ n: 1 }]);
  });
});
