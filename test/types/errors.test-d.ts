import { describe, expectTypeOf, it } from 'vitest';
import { SseError, type StreamError, type StreamErrorKind } from 'react-sse-hub';
import { streamError } from '../../src/core/errors/stream-error';

declare const error: StreamError;

describe('StreamError: a union discriminated by kind', () => {
  it('keeps StreamErrorKind as the union of its kinds', () => {
    expectTypeOf<StreamErrorKind>().toEqualTypeOf<
      'network' | 'http' | 'content-type' | 'parse' | 'validation' | 'max-attempts' | 'too-large' | 'unsupported'
    >();
    expectTypeOf<StreamError['kind']>().toEqualTypeOf<StreamErrorKind>();
  });

  it('gives every member a message and an optional cause', () => {
    expectTypeOf(error.message).toEqualTypeOf<string>();
    expectTypeOf(error.cause).toEqualTypeOf<unknown>();
  });

  it("has status exactly on 'http', a number there", () => {
    if (error.kind === 'http') expectTypeOf(error.status).toEqualTypeOf<number>();
    if (error.kind === 'network') {
      // @ts-expect-error a 'network' error has no status
      void error.status;
    }
    if (error.kind === 'content-type' || error.kind === 'max-attempts' || error.kind === 'unsupported') {
      // @ts-expect-error only 'http' errors have a status
      void error.status;
    }
    if (error.kind === 'parse') {
      // @ts-expect-error an event's error has no status
      void error.status;
    }
    // @ts-expect-error an 'http' error without its status
    const noStatus: StreamError = { kind: 'http', message: 'x' };
    // @ts-expect-error a status on a kind without one
    const networkStatus: StreamError = { kind: 'network', message: 'x', status: 502 };
    void noStatus, networkStatus;
  });

  it("has eventType exactly on 'parse', 'validation' and 'too-large'", () => {
    if (error.kind === 'parse' || error.kind === 'validation') expectTypeOf(error.eventType).toEqualTypeOf<string>();
    // Absent when the event overflowed before its type was read.
    if (error.kind === 'too-large') expectTypeOf(error.eventType).toEqualTypeOf<string | undefined>();
    if (error.kind === 'network') {
      // @ts-expect-error a 'network' error has no eventType
      void error.eventType;
    }
    if (error.kind === 'http') {
      // @ts-expect-error an 'http' error has no eventType
      void error.eventType;
    }
    // @ts-expect-error a 'parse' error without its eventType
    const noType: StreamError = { kind: 'parse', message: 'x' };
    void noType;
  });
});

describe('streamError(): the fields follow the kind', () => {
  it('requires what the member requires and refuses what it lacks', () => {
    expectTypeOf(streamError('http', 'x', { status: 404 })).toHaveProperty('status').toEqualTypeOf<number>();
    expectTypeOf(streamError('network', 'x')).toEqualTypeOf<Extract<StreamError, { kind: 'network' | 'content-type' | 'max-attempts' | 'unsupported' }>>();
    streamError('too-large', 'x');
    // @ts-expect-error 'http' needs its status
    streamError('http', 'x');
    // @ts-expect-error 'parse' needs its eventType
    streamError('parse', 'x', { cause: 1 });
    // @ts-expect-error 'network' has no status
    streamError('network', 'x', { status: 500 });
    // @ts-expect-error 'content-type' has no eventType
    streamError('content-type', 'x', { eventType: 'tick' });
  });
});

describe('SseError', () => {
  it('is an Error carrying the fields and the StreamError as cause', () => {
    const err = new SseError(error);
    expectTypeOf(err).toExtend<Error>();
    expectTypeOf(err.kind).toEqualTypeOf<StreamErrorKind>();
    expectTypeOf(err.status).toEqualTypeOf<number | undefined>();
    expectTypeOf(err.eventType).toEqualTypeOf<string | undefined>();
    expectTypeOf(err.cause).toEqualTypeOf<StreamError>();
  });

  it('narrows with instanceof', () => {
    const caught: unknown = undefined;
    if (caught instanceof SseError) expectTypeOf(caught).toEqualTypeOf<SseError>();
  });
});
