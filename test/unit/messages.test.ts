// @vitest-environment node
// (esbuild's JS API refuses to run under jsdom's TextEncoder.)
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageCode } from '../../src/core/errors/messages';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** Every code with its number of arguments; `satisfies` makes a new code fail to compile here until listed. */
const ARITY = {
  parse: 2,
  'schema-threw': 2,
  'schema-async': 1,
  'schema-failed': 3,
  'not-http': 1,
  'bad-url': 1,
  'max-attempts': 3,
  idle: 2,
  'start-failed': 3,
  'no-fetch': 0,
  'no-eventsource': 0,
  'http-status': 3,
  'content-type': 2,
  'es-lost': 1,
  'es-gave-up': 1,
  'too-large': 2,
  'broke-off': 2,
  unreachable: 2,
  'options-threw': 2,
  'bad-header': 2,
  'body-not-allowed': 2,
  'no-body': 1,
  'outside-provider': 1,
  'bad-client': 0,
  'chunk-failed': 2,
  'takeover-failed': 2,
  cors: 4,
} satisfies Record<MessageCode, number>;

const HOLE = '\u0001';

/**
 * The English text of every development message, in pieces 12+ characters long: cut at the
 * arguments, at punctuation (where a message joins conditional parts) and at quotes (which a
 * minifier may escape).
 */
async function englishPieces(): Promise<string[]> {
  const { message } = await import('../../src/core/errors/messages');
  const say = message as (code: string, ...args: unknown[]) => string;
  return Object.entries(ARITY).flatMap(([code, arity]) =>
    say(code, ...Array.from({ length: arity }, () => HOLE))
      .split(/[\u0001`'"{}…$(),:;.]/)
      .map((piece) => piece.trim())
      .filter((piece) => piece.length >= 12 && piece.includes(' ')), // sentences, not names
  );
}

describe('messages', () => {
  it('say what to do in development', async () => {
    const { message } = await import('../../src/core/errors/messages');
    expect(message('max-attempts', 'http://x.test/s', 3, 'HTTP 503')).toBe(
      'Gave up on http://x.test/s after 3 reconnect attempts (last error: HTTP 503). Call reconnect() to try again, or raise retry.maxAttempts.',
    );
    expect(message('idle', 'http://x.test/s', 1000)).toMatch(/idleTimeoutMs/);
    expect(message('outside-provider', 'useEventStream')).toMatch(/^useEventStream\(\) must be used inside <SseProvider>/);
  });

  it('are a short code with its arguments in production builds (the table is dropped)', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.resetModules();
    const { message } = await import('../../src/core/errors/messages');
    expect(message('max-attempts', 'http://x.test/s', 3, 'HTTP 503')).toBe(
      'react-sse-hub error "max-attempts" (http://x.test/s, 3, HTTP 503); a development build says more.',
    );
    expect(message('bad-client')).toBe('react-sse-hub error "bad-client" (); a development build says more.');
  });

  it('leave no English in a production bundle: every message the library throws or reports goes through the catalogue', async () => {
    const pieces = await englishPieces();
    expect(pieces.length).toBeGreaterThan(Object.keys(ARITY).length);
    const bundle = async (production: boolean) => {
      const result = await build({
        entryPoints: ['src/index.ts'],
        bundle: true,
        format: 'esm',
        minify: true,
        write: false,
        logLevel: 'silent',
        external: ['react', 'react-dom'],
        define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
      });
      return result.outputFiles.map((file) => file.text).join('\n');
    };
    const [development, production] = await Promise.all([bundle(false), bundle(true)]);
    // The pieces are found where the table is kept, so their absence below means something.
    expect(pieces.filter((piece) => !development.includes(piece))).toEqual([]);
    expect(pieces.filter((piece) => production.includes(piece))).toEqual([]);
    // Sentences written outside the catalogue, as they were before it held every message.
    for (const english of ['Retrying with backoff', 'Reconnecting from the last event id', 'must be used inside', 'Could not', 'answered without'])
      expect(production).not.toContain(english);
  }, 30_000);
});
