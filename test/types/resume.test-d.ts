import { describe, expectTypeOf, it } from 'vitest';
import { defineStream, type StreamOptions } from 'react-sse-hub';

describe('StreamOptions.resume', () => {
  it("is 'memory' | 'session' | 'local', optional, and takes undefined", () => {
    expectTypeOf<StreamOptions['resume']>().toEqualTypeOf<'memory' | 'session' | 'local' | undefined>();
    defineStream('/api/feed', { resume: 'session' });
    defineStream('/api/feed', { resume: 'local' });
    defineStream('/api/feed', { resume: undefined });
    // @ts-expect-error not a storage area
    defineStream('/api/feed', { resume: 'indexeddb' });
  });
});
