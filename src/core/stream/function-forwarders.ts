import type { StreamOptions, StreamSource } from '../types';

export type Fn = (...args: never[]) => unknown;

/** A stable stand-in for a function option: the connection key holds `call`, which runs `target`. */
export interface Forwarder {
  readonly call: Fn;
  target: Fn;
  /** Looked up more than once (another hook, the client): it stands for `target` for good. */
  shared: boolean;
}

// One forwarder per function, shared by every hook and client call that passes that function: a
// module-level `headers()` gives every component and the client the same connection key.
const forwarders = new WeakMap<Fn, Forwarder>();

export function forwarderFor(fn: Fn): Forwarder {
  let forwarder = forwarders.get(fn);
  if (forwarder) forwarder.shared = true;
  else {
    const created: Forwarder = { call: (...args) => created.target(...args), target: fn, shared: false };
    forwarders.set(fn, (forwarder = created));
  }
  return forwarder;
}

/**
 * The forwarder a hook holds for `fn`, given the one it held (for its previous function). A
 * function made anew on every render (written inline) moves the hook's own forwarder along, so
 * its connection key stays put and the next attempt calls the newest function. A forwarder
 * someone else also uses is never moved: it would make them call another descriptor's function
 * (a hook switching from `adminFeed` to `userFeed` must not hand the user's token to the admin feed).
 */
export function nextForwarder(held: Forwarder | undefined, fn: Fn): Forwarder {
  if (!held || held.target === fn) return held ?? forwarderFor(fn);
  if (held.shared || forwarders.has(fn)) return forwarderFor(fn);
  forwarders.delete(held.target);
  held.target = fn;
  forwarders.set(fn, held);
  return held;
}

export type FunctionOption = 'headers' | 'body' | 'endOn' | 'shouldRetry';
const FUNCTION_OPTIONS: readonly FunctionOption[] = ['headers', 'body', 'endOn', 'shouldRetry'];

/**
 * A copy of `options` with each function option replaced by the forwarder `pick` gives for it
 * (`shouldRetry` sits in `retry`); the same object when there is none.
 */
export function withForwarders<O extends StreamOptions | undefined>(options: O, pick: (name: FunctionOption, fn: Fn) => Forwarder): O {
  if (!options) return options;
  let copy: StreamOptions = options;
  for (const name of FUNCTION_OPTIONS) {
    const fn = name === 'shouldRetry' ? options.retry?.shouldRetry : options[name];
    if (typeof fn !== 'function') continue;
    const call = pick(name, fn as Fn).call;
    copy = (name === 'shouldRetry' ? { ...copy, retry: { ...copy.retry, shouldRetry: call } } : { ...copy, [name]: call }) as StreamOptions;
  }
  return copy as O;
}

/** Options with each function replaced by its shared forwarder (how hooks key connections too). */
export function forwardedOptions<O extends StreamOptions | undefined>(options: O): O {
  return withForwarders(options, (_name, fn) => forwarderFor(fn));
}

/** A stream with forwarded function options; a URL string is left as it is. */
export function forwardedSource(source: StreamSource): StreamSource {
  if (typeof source === 'string') return source;
  const options = forwardedOptions(source.options);
  return options === source.options ? source : { url: source.url, options };
}
