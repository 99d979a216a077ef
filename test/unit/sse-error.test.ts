import { afterEach, describe, expect, it, vi } from 'vitest';
import { SseError } from 'react-sse-hub';
import type { StreamError } from 'react-sse-hub';

afterEach(() => {
  vi.resetModules();
});

describe('SseError', () => {
  it("is an Error named SseError with the StreamError's message and fields, and the StreamError as cause", () => {
    const http: StreamError = { kind: 'http', message: 'HTTP 401', status: 401 };
    const err = new SseError(http);
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(SseError);
    expect(err).toMatchObject({ name: 'SseError', message: 'HTTP 401', kind: 'http', status: 401 });
    expect(err.cause).toBe(http);
    expect(String(err)).toBe('SseError: HTTP 401');
    expect(err.stack).toEqual(expect.any(String));
  });

  it('has status and eventType only where the StreamError has them', () => {
    const parse = new SseError({ kind: 'parse', message: 'bad', eventType: 'tick' });
    expect(parse).toMatchObject({ kind: 'parse', eventType: 'tick' });
    expect(parse).not.toHaveProperty('status');
    const network = new SseError({ kind: 'network', message: 'lost' });
    expect('status' in network).toBe(false);
    expect('eventType' in network).toBe(false);
    expect(new SseError({ kind: 'too-large', message: 'big' })).not.toHaveProperty('eventType');
  });

  it('is recognised by instanceof across copies of the module (as the ESM and CJS builds are)', async () => {
    vi.resetModules();
    const other = (await import('../../src/core/errors/sse-error')).SseError;
    expect(other).not.toBe(SseError);
    const fromOther = new other({ kind: 'network', message: 'lost' });
    expect(fromOther).toBeInstanceOf(SseError);
    expect(new SseError({ kind: 'network', message: 'lost' })).toBeInstanceOf(other);
  });

  it('is not claimed by anything else, a look-alike included', () => {
    for (const value of [undefined, null, 1, 'SseError', new Error('x'), { name: 'SseError', kind: 'http', status: 1, message: 'x' }, Object.create(null)]) {
      expect(value instanceof SseError).toBe(false);
    }
  });

  it('keeps the ordinary instanceof for a subclass', () => {
    class AuthError extends SseError {}
    expect(new AuthError({ kind: 'http', message: 'x', status: 401 })).toBeInstanceOf(AuthError);
    expect(new AuthError({ kind: 'http', message: 'x', status: 401 })).toBeInstanceOf(SseError);
    expect(new SseError({ kind: 'http', message: 'x', status: 401 }) instanceof AuthError).toBe(false);
  });
});
