import { LATE_CLOSE_MS } from './late-close';
import { withResumeParam } from './resume-url';
import { streamError } from '../errors/stream-error';
import type { Transport } from '../types';
import { message } from '../errors/messages';

/**
 * The browser's native EventSource. It reconnects by itself after a network drop (sending
 * Last-Event-ID and honouring the server's retry:), which we report as 'self' retries. Once it
 * gives up (readyState CLOSED: HTTP error, wrong content type or 204, which it does not tell
 * apart) one look-up finds the status out (status-lookup.ts) and the failure is reported as the
 * fetch transport would; a retried one re-creates it, resuming through the query parameter. The
 * look-up is a chunk of its own, loaded by the first stream that gives up: most never do.
 */
export function createEventSourceTransport(): Transport {
  return {
    name: 'eventsource',
    connect(request, callbacks) {
      const { options } = request;
      const url = withResumeParam(request.url, options.lastEventIdParam, request.lastEventId);
      const source = new EventSource(url, { withCredentials: options.withCredentials });
      // Aborts the status look-up; nothing is reported after close().
      const closed = new AbortController();
      // A fresh EventSource starts with an empty last event id; a change means the event had an id.
      let seenId = '';
      const listeners = new Map<string, (event: Event) => void>();

      const listen = (type: string) => {
        if (listeners.has(type)) return;
        const listener = (event: Event) => {
          // Server events named "open" or "error" arrive as MessageEvents beside the connection's own.
          if (!(event instanceof MessageEvent)) return;
          // One read of each DOM getter: this runs once per event.
          const lastEventId = event.lastEventId;
          const id = lastEventId !== seenId ? lastEventId : undefined;
          seenId = lastEventId;
          callbacks.event(type, event.data as string, id);
        };
        listeners.set(type, listener);
        source.addEventListener(type, listener);
      };

      // The first request is in flight until it opens or fails; see close().
      let inFlight = true;
      let closing: (() => void) | undefined;
      source.addEventListener('open', (event) => {
        if (event instanceof MessageEvent) return;
        inFlight = false;
        if (closing) return closing();
        callbacks.open();
      });
      source.addEventListener('error', (event) => {
        if (event instanceof MessageEvent) return;
        inFlight = false;
        if (closing) return closing();
        if (source.readyState === EventSource.CONNECTING) {
          callbacks.failure({
            retry: 'self',
            error: streamError('network', message('es-lost', request.url)),
          });
          return;
        }
        source.close();
        // The slot stays held until the failure is reported: the look-up is a request to the server too.
        import('./status-lookup')
          .then(({ lookUpStatus }) => (closed.signal.aborted ? undefined : lookUpStatus(request.url, url, options.withCredentials, closed.signal)))
          .catch(() => undefined)
          .then((failure) => {
            if (closed.signal.aborted) return;
            // No status was found (unreachable, CORS, no answer): a 'network' error, as 'http' ones carry one.
            callbacks.failure(failure ?? { retry: 'backoff', error: streamError('network', message('es-gave-up', request.url)) });
          });
      });
      request.eventTypes.forEach(listen);

      return {
        listen,
        unlisten(type) {
          const listener = listeners.get(type);
          if (!listener) return;
          listeners.delete(type);
          source.removeEventListener(type, listener);
        },
        close: () => {
          closed.abort();
          if (!inFlight) return source.close();
          // Chromium keeps the socket of a request closed before its response headers open for
          // about 5 s: such a request is closed once it opens or fails, so the slot is given back
          // when the socket really goes. Bounded, for a server that never answers.
          return new Promise<void>((resolve) => {
            const timer = setTimeout(() => closing?.(), LATE_CLOSE_MS);
            closing = () => {
              clearTimeout(timer);
              closing = () => {};
              source.close();
              resolve();
            };
          });
        },
      };
    },
  };
}
