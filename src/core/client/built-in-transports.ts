import { message } from '../errors/messages';
import { streamError } from '../errors/stream-error';
import type { ResolvedStream } from '../stream/resolve-stream';
import { createEventSourceTransport } from '../transport/event-source-transport';
import { createLazyFetchTransport } from '../transport/lazy-fetch-transport';
import type { StreamError, Transport } from '../types';

/**
 * The transport a stream uses: its own Transport object, else the client's (tests pass a mock),
 * else the built-in one it resolved to — made once per client, or an 'unsupported' error where
 * the runtime lacks what it needs.
 */
export function createTransportPicker(): (stream: ResolvedStream, configured: Transport | undefined) => Transport | StreamError {
  const builtIns: { eventsource?: Transport; fetch?: Transport } = {};
  return (stream, configured) => {
    if (typeof stream.transport === 'object') return stream.transport;
    if (configured) return configured;
    if (stream.transport === 'fetch') {
      if (typeof fetch === 'undefined' || typeof ReadableStream === 'undefined' || typeof TextDecoder === 'undefined') {
        return streamError('unsupported', message('no-fetch'));
      }
      return (builtIns.fetch ??= createLazyFetchTransport());
    }
    if (typeof EventSource === 'undefined') return streamError('unsupported', message('no-eventsource'));
    return (builtIns.eventsource ??= createEventSourceTransport());
  };
}
