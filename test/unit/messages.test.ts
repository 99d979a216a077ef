import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('StreamError messages', () => {
  it('say what to do in development', async () => {
    const { message } = await import('../../src/core/errors/messages');
    expect(message('max-attempts', 'http://x.test/s', 3, 'HTTP 503')).toBe(
      'Gave up on http://x.test/s after 3 reconnect attempts (last error: HTTP 503). Call reconnect() to try again, or raise retry.maxAttempts.',
    );
    expect(message('idle', 'http://x.test/s', 1000)).toMatch(/idleTimeoutMs/);
  });

  it('are a short code with its arguments in production builds (the table is dropped)', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.resetModules();
    const { message } = await import('../../src/core/errors/messages');
    expect(message('max-attempts', 'http://x.test/s', 3, 'HTTP 503')).toBe(
      'react-sse-hub error "max-attempts" (http://x.test/s, 3, HTTP 503); a development build says more.',
    );
  });
});
