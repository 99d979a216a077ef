import { useRef } from 'react';
import { nextForwarder, withForwarders, type Forwarder, type FunctionOption } from '../core/stream/function-forwarders';
import type { StreamOptions, StreamSource } from '../core/types';

/**
 * Options whose functions are made anew on every render (`headers: () => ({ … token })` written
 * inline) would give the stream a new connection key each time, and each new connection a render
 * that makes the next. Each hook keeps its function behind a stable forwarder and moves its own
 * forwarder to each new inline function (see nextForwarder), so the key stays put and the next
 * attempt calls the newest function (a refreshed token), like useSseEvent's handler.
 */
export function useStableOptions<O extends StreamOptions | undefined>(options: O): O {
  const seen = useRef<Partial<Record<FunctionOption, Forwarder>>>({});
  const last = useRef<O>(options);
  const stable = withForwarders(options, (name, fn) => (seen.current[name] = nextForwarder(seen.current[name], fn)));
  // Options written inline are new objects on every render: keep the previous one while its
  // content is the same, so contexts and memos downstream see no change.
  if (!sameOptions(last.current, stable)) last.current = stable;
  return last.current;
}

/** useStableOptions for a hook's stream: a descriptor gets stable function options; a URL is left as it is. */
export function useStableSource(source: StreamSource): StreamSource {
  const options = useStableOptions(typeof source === 'string' ? undefined : source.options);
  if (typeof source === 'string' || options === undefined || options === source.options) return source;
  return { url: source.url, options };
}

/** Equal values, looking one level into plain objects (retry, headers, schemas). */
function sameOptions(a: StreamOptions | undefined, b: StreamOptions | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    return x === y || (isPlain(x) && isPlain(y) && shallowEqual(x, y));
  });
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}
