/**
 * Conformance page: reads one raw byte stream with Chromium's native EventSource and another
 * with the library's fetch transport, and records what each dispatched, so the test can compare
 * them. Each call resolves once the response has ended (the stream is then closed, never
 * reconnected).
 */
import { createFetchTransport } from '../../../src/core/transport/fetch-transport';
import type { ConnectionOptions, TransportFailure } from '../../../src/core/types';

export interface DispatchedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

export interface FetchRun {
  events: DispatchedEvent[];
  /** Non-fatal transport errors ('too-large'), in order. */
  errors: string[];
  /** How the attempt ended; a normal end is { retry: 'backoff', error: undefined }. */
  failure: { retry: TransportFailure['retry']; kind: string | undefined };
}

const options: ConnectionOptions = {
  withCredentials: false,
  headers: undefined,
  method: 'GET',
  body: undefined,
  lastEventIdParam: false,
  maxEventBytes: 1_048_576,
};

const conformance = {
  /** Native EventSource; `types` are the event types to listen for (it cannot listen to "all"). */
  native(url: string, types: string[]): Promise<DispatchedEvent[]> {
    return new Promise((resolve) => {
      const events: DispatchedEvent[] = [];
      const source = new EventSource(url);
      for (const type of new Set(types)) {
        source.addEventListener(type, (event) => {
          if (!(event instanceof MessageEvent)) return;
          events.push({ type: event.type, data: String(event.data), lastEventId: event.lastEventId });
        });
      }
      // The response ended: EventSource would reconnect (readyState CONNECTING); stop it instead.
      source.onerror = () => {
        source.close();
        resolve(events);
      };
    });
  },

  /** The fetch transport on its own; lastEventId is computed the way Connection does. */
  fetch(url: string, maxEventBytes = options.maxEventBytes): Promise<FetchRun> {
    return new Promise((resolve) => {
      const events: DispatchedEvent[] = [];
      const errors: string[] = [];
      let lastEventId = '';
      const handle = createFetchTransport().connect(
        { url: new URL(url, location.href).href, eventTypes: ['message'], lastEventId: undefined, options: { ...options, maxEventBytes } },
        {
          open() {},
          id(id) {
            lastEventId = id;
          },
          event(type, data, id) {
            if (id !== undefined) lastEventId = id;
            events.push({ type, data, lastEventId });
          },
          retry() {},
          error(error) {
            errors.push(error.kind);
          },
          failure(failure) {
            handle.close();
            resolve({ events, errors, failure: { retry: failure.retry, kind: failure.error?.kind } });
          },
        },
      );
    });
  },
};

declare global {
  interface Window {
    conformance: typeof conformance;
  }
}
window.conformance = conformance;
