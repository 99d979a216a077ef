import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { SseProvider, type SseProviderProps } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import type { ConnectionOptions } from '../../src/core/types';

let counter = 0;
/** A fresh URL per test so no state can leak between tests through keys. */
export function freshUrl(name = 'stream'): string {
  counter += 1;
  return `/api/${name}-${counter}`;
}

export function renderWithMock(ui: ReactNode, props: Omit<SseProviderProps, 'transport' | 'children'> = {}, mock: MockTransport = createMockTransport()) {
  const result = render(
    <SseProvider transport={mock} {...props}>
      {ui}
    </SseProvider>,
  );
  return { ...result, mock };
}

/** Counts renders of a component by name. */
export function createRenderCounter() {
  const counts = new Map<string, number>();
  return {
    hit(name: string) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    },
    get: (name: string) => counts.get(name) ?? 0,
  };
}

/** The connection options a transport gets for a stream with no options of its own. */
export const connectionOptions = (over: Partial<ConnectionOptions> = {}): ConnectionOptions => ({
  withCredentials: false,
  headers: undefined,
  method: 'GET',
  body: undefined,
  lastEventIdParam: 'lastEventId',
  maxEventBytes: 1_048_576,
  ...over,
});


/**
 * Lets every chunk being loaded arrive. A stream with resume 'session' / 'local' or with
 * retry.shouldRetry waits for its chunk before its first request: drive the mock after this.
 */
export const chunksLoaded = () => vi.dynamicImportSettled();

/**
 * Runs `test` as if the lazily loaded chunk `modulePath` (from test/unit, like every path here)
 * failed to download: importing it throws. The library is imported afresh for `test`, so a chunk
 * an earlier test loaded is not reused; the graph is reset again afterwards.
 */
export async function withChunkFailing(modulePath: string, test: (lib: typeof import('react-sse-hub')) => Promise<void>): Promise<void> {
  vi.resetModules();
  vi.doMock(modulePath, () => {
    throw new Error('chunk failed to load');
  });
  try {
    await test(await import('react-sse-hub'));
  } finally {
    vi.doUnmock(modulePath);
    vi.resetModules();
  }
}
