import { describe, expectTypeOf, it } from 'vitest';
import { createSseClient, defineStream, useSseEvent, type RetryOptions, type StreamError, type UseSseEventOptions } from 'react-sse-hub';

describe('retry.shouldRetry', () => {
  it('takes the error and the failure count, and answers a boolean or a promise of one', () => {
    expectTypeOf<NonNullable<RetryOptions['shouldRetry']>>().parameters.toEqualTypeOf<[StreamError, number]>();
    defineStream('/a', { retry: { shouldRetry: () => true } });
    defineStream('/a', { retry: { shouldRetry: async (error) => error.kind === 'http' } });
    defineStream('/a', { retry: { shouldRetry: undefined } });
    // @ts-expect-error an answer must be a boolean
    defineStream('/a', { retry: { shouldRetry: () => 'yes' } });
  });
});

describe('onError', () => {
  it('useSseEvent and client.subscribe take an onError that gets a StreamError', () => {
    const feed = defineStream<{ tick: number }>('/feed', { events: ['tick'] });
    expectTypeOf<NonNullable<UseSseEventOptions['onError']>>().parameters.toEqualTypeOf<[StreamError]>();
    // Type-level only: a hook is never called here.
    const hook = () => useSseEvent(feed, 'tick', () => {}, { onError: (error) => expectTypeOf(error).toEqualTypeOf<StreamError>() });
    expectTypeOf(hook).returns.toBeVoid();
    createSseClient().subscribe(feed, { onError: (error) => expectTypeOf(error).toEqualTypeOf<StreamError>() });
  });
});
