import type { StreamOptions, StreamSource } from '../types';

type Fn = (...args: never[]) => unknown;

/** A stable stand-in for a function option: the connection key holds `call`, which runs `target`. */
export interface Forwarder {
  readonly call: Fn;
  target: Fn;
}

// One forwarder per first-seen function, shared by every hook and client call that passes that
// function: a module-level `headers()` gives every component and the client the same connection key.
const forwarders = new WeakMap<Fn, Forwarder>();

export function forwarderFor(fn: Fn): Forwarder {
  let forwarder = forwarders.get(fn);
  if (!forwarder) {
    const created: Forwarder = { call: (...args) => created.target(...args), target: fn };
    forwarders.set(fn, (forwarder = created));
  }
  return forwarder;
}

export type FunctionOption = 'headers' | 'body' | 'endOn';
export const FUNCTION_OPTIONS: readonly FunctionOption[] = ['headers', 'body', 'endOn'];

/** Options with each function replaced by its shared forwarder (how hooks key connections too). */
export function forwardedOptions<O extends StreamOptions | undefined>(options: O): O {
  if (!options || !FUNCTION_OPTIONS.some((name) => typeof options[name] === 'function')) return options;
  const copy: Record<string, unknown> = { ...options };
  for (const name of FUNCTION_OPTIONS) {
    const fn = options[name];
    if (typeof fn === 'function') copy[name] = forwarderFor(fn as Fn).call;
  }
  return copy as O;
}

/** A stream with forwarded function options; a URL string is left as it is. */
export function forwardedSource(source: StreamSource): StreamSource {
  if (typeof source === 'string') return source;
  const options = forwardedOptions(source.options);
  return options === source.options ? source : { url: source.url, options };
}
