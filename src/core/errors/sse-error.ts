import type { StreamError, StreamErrorKind } from '../types';

/**
 * The brand every copy of the class shares. The ESM and CJS builds (dist/core.js, dist/core.cjs)
 * are separate module instances, each with its own SseError, and one app can load both (a CJS
 * dependency next to ESM code): `instanceof` checks the brand, not the prototype chain.
 */
const BRAND = /* @__PURE__ */ Symbol.for('react-sse-hub.SseError');

/**
 * What throwing APIs throw (`client.events()`): the StreamError's fields on an Error, and the
 * StreamError itself as `cause` (narrow on `err.cause.kind` for `status` / `eventType` types).
 *
 * @example
 * try { for await (const e of client.events(feed)) show(e); }
 * catch (err) { if (err instanceof SseError && err.status === 401) signIn(); else throw err; }
 */
export class SseError extends Error {
  // `declare`: no own property at all where the member has no such field ('status' in err).
  declare readonly kind: StreamErrorKind;
  /** Only on `'http'` errors. */
  declare readonly status?: number;
  /** Only on `'parse'`, `'validation'` and (when known) `'too-large'` errors. */
  declare readonly eventType?: string;
  declare readonly cause: StreamError;

  constructor(error: StreamError) {
    super(error.message);
    this.name = 'SseError';
    this.kind = error.kind;
    if (error.kind === 'http') this.status = error.status;
    if ('eventType' in error && error.eventType !== undefined) this.eventType = error.eventType;
    this.cause = error;
    // Set by every copy of the class, read by every copy's instanceof. Not enumerable: it stays out
    // of logs and spreads. On the instance, not a prototype getter: a computed class member would
    // keep the class in bundles that never use it.
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for an SseError of any copy of the library; a subclass keeps the ordinary check. */
  static override [Symbol.hasInstance](value: unknown): value is SseError {
    if (this !== SseError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}
