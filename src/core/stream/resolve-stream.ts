import { DEFAULT_RETRY, type ResolvedRetryOptions } from './retry-options';
import { createDecoder, type Decoder } from './decoder';
import { identityOf, keyPart } from './stable-key';
import { streamError } from '../errors/stream-error';
import type { ConnectionOptions, EndOn, StreamError, StreamOptions, StreamSource, Transport } from '../types';
import { message } from '../errors/messages';

export const DEFAULT_MAX_EVENT_BYTES = 1_048_576;

/** Everything the pool needs to know about a stream, with provider defaults applied. */
export interface ResolvedStream {
  /** Resolved URL + connection-relevant options: equal keys share one connection. */
  key: string;
  /** Absolute URL (or the input as given when it cannot be resolved). */
  url: string;
  origin: string;
  /** Set when the stream can never connect (bad URL); the connection closes with it. */
  invalid: StreamError | undefined;
  transport: 'eventsource' | 'fetch' | Transport;
  connection: ConnectionOptions;
  retry: ResolvedRetryOptions;
  /** false, or ms hidden before pausing. */
  pauseWhenHidden: false | number;
  events: readonly string[];
  decoder: Decoder;
  /** How the end of a response is taken: see MachinePolicy['finite']. */
  finite: 'no' | 'on-end' | 'on-any-end';
  /**
   * What ends the stream for good (endOn), never parsed nor delivered: the data itself (compared
   * where each event arrives, without a call), a predicate, or undefined for endOn: false.
   */
  endOn: string | ((data: string, type: string) => boolean) | undefined;
  idleTimeoutMs: number | false;
  /** Where the last event id is also kept, to outlive the page (StreamOptions.resume); undefined: memory only. */
  resume: 'session' | 'local' | undefined;
  /** False when the key holds a per-tab identity (a headers or shouldRetry function, a custom transport): never shared across tabs. */
  shareable: boolean;
}

/**
 * Applies provider defaults to a descriptor or URL. Decoders are cached per options object so
 * that 200 components on one stream parse each event once, not 200 times.
 */
export function createStreamResolver(defaults: () => StreamOptions) {
  // Keyed by the parse function, then the schemas object: equal options share one decoder.
  const decoders = new WeakMap<object, WeakMap<object, Decoder>>();
  const DEFAULT_PARSE = {};
  const NO_SCHEMAS = {};
  const decoderFor = (options: StreamOptions) => {
    const parseKey = options.parse ?? DEFAULT_PARSE;
    const schemasKey = options.schemas ?? NO_SCHEMAS;
    let bySchemas = decoders.get(parseKey);
    if (!bySchemas) decoders.set(parseKey, (bySchemas = new WeakMap()));
    let decoder = bySchemas.get(schemasKey);
    if (!decoder) bySchemas.set(schemasKey, (decoder = createDecoder(options.parse, options.schemas as never)));
    return decoder;
  };

  /** `base` overrides the provider defaults (hooks pass the ones of the render they are in). */
  return function resolveStream(source: StreamSource, base: StreamOptions = defaults()): ResolvedStream {
    const own = typeof source === 'string' ? {} : source.options;
    // An option set to `undefined` is an option not given: it must not hide the provider's default.
    const options: StreamOptions = { ...definedFields(base), ...definedFields(own), retry: { ...definedFields(base.retry), ...definedFields(own.retry) } };
    const url = typeof source === 'string' ? source : source.url;
    return buildResolved(url, options, decoderFor(options));
  };
}

function buildResolved(input: string, options: StreamOptions, decoder: Decoder): ResolvedStream {
  const { url, origin, invalid } = resolveUrl(input);
  const method = (options.method ?? 'GET').toUpperCase();
  const finite = options.finite ?? method !== 'GET';
  // A native EventSource cannot tell a normal end from a loss: a finite stream needs fetch, unless forced.
  // Without a native EventSource (Node, React Native, workers in some engines) fetch is the default.
  const native = typeof EventSource !== 'undefined';
  const transport = options.transport ?? (options.headers || options.method || options.body !== undefined || finite || !native ? 'fetch' : 'eventsource');
  const endOn = endOnMatcher(options.endOn);
  const idleTimeoutMs = typeof options.idleTimeoutMs === 'number' && options.idleTimeoutMs > 0 ? options.idleTimeoutMs : false;
  const connection: ConnectionOptions = {
    withCredentials: options.withCredentials ?? false,
    headers: options.headers,
    method,
    body: options.body,
    lastEventIdParam: options.lastEventIdParam ?? 'lastEventId',
    maxEventBytes: options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
  };
  const retry: ResolvedRetryOptions = { ...DEFAULT_RETRY, ...definedFields(options.retry) };
  const pauseWhenHidden = options.pauseWhenHidden === true ? 0 : typeof options.pauseWhenHidden === 'number' ? options.pauseWhenHidden : false;
  const headersKey = keyPart(connection.headers);
  const bodyKey = keyPart(connection.body);
  const endOnKey = keyPart(options.endOn ?? DEFAULT_END_ON);
  const shouldRetryKey = keyPart(retry.shouldRetry);
  const key = [
    typeof transport === 'string' ? transport : `${transport.name}${identityOf(transport)}`,
    url,
    connection.withCredentials ? 'cred' : '',
    connection.method,
    headersKey,
    bodyKey,
    connection.lastEventIdParam,
    connection.maxEventBytes,
    `${retry.initialDelayMs},${retry.maxDelayMs},${retry.factor},${retry.jitter},${retry.maxAttempts},${retry.minDelayMs}${shouldRetryKey}`,
    pauseWhenHidden,
    finite ? 'finite' : '',
    endOnKey,
    idleTimeoutMs,
  ].join(' ');
  const resume = options.resume === 'memory' ? undefined : options.resume;
  return {
    // Resuming from storage changes the first request: its own connection (keys without it are unchanged).
    key: resume ? `${key} ${resume}` : key,
    url,
    origin,
    invalid,
    transport,
    connection,
    retry,
    pauseWhenHidden,
    events: options.events && options.events.length > 0 ? [...options.events] : ['message'],
    decoder,
    finite: !finite ? 'no' : transport === 'eventsource' ? 'on-any-end' : 'on-end',
    endOn,
    idleTimeoutMs,
    resume,
    // Identities ('#n') are only meaningful inside one tab.
    shareable: typeof transport === 'string' && ![headersKey, bodyKey, endOnKey, shouldRetryKey].some((part) => part.startsWith('#')),
  };
}

/** OpenAI-style streams and the AI SDK end with `data: [DONE]`. */
const DEFAULT_END_ON = '[DONE]';
function endOnMatcher(endOn: EndOn | undefined): ResolvedStream['endOn'] {
  const value = endOn ?? DEFAULT_END_ON;
  if (value === false) return undefined;
  if (typeof value === 'string') return value;
  return (data, type) => {
    try {
      return value(data, type) === true;
    } catch {
      // A throwing predicate must not end the stream nor break the transport: the event goes on.
      return false;
    }
  };
}

function resolveUrl(input: string): { url: string; origin: string; invalid: StreamError | undefined } {
  const base = typeof document !== 'undefined' ? document.baseURI : typeof location !== 'undefined' ? location.href : undefined;
  try {
    const parsed = new URL(input, base);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { url: parsed.href, origin: parsed.origin, invalid: streamError('unsupported', message('not-http', input)) };
    }
    return { url: parsed.href, origin: parsed.origin, invalid: undefined };
  } catch (cause) {
    return {
      url: input,
      origin: '',
      invalid: streamError('unsupported', message('bad-url', input), { cause }),
    };
  }
}

/** The fields whose value is not undefined: spread over defaults, it leaves a default where an option is `undefined`. */
function definedFields<T extends object>(value: T | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  if (value) for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
