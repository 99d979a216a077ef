import { describeCause, streamError } from '../errors/stream-error';
import type { Transport, TransportConnection } from '../types';
import { message } from '../errors/messages';

/**
 * The fetch transport as a separate chunk, loaded by the first stream that uses it: the fetch
 * transport and eventsource-parser are over a third of the library, and apps that only use the
 * native EventSource never download them. Bundlers split `import()` into its own file; CommonJS
 * builds inline it.
 *
 * Every attempt awaits the same promise, so only the first pays for the download; fetch is
 * asynchronous anyway, so the connection sees the same callbacks in the same order.
 */
export function createLazyFetchTransport(): Transport {
  let loading: Promise<Transport> | undefined;
  const load = () =>
    (loading ??= import('./fetch-transport').then(
      (module) => module.createFetchTransport(),
      (cause: unknown) => {
        // A failed chunk download (a deploy replaced the files, the network dropped) must not
        // stick: the next attempt downloads again.
        loading = undefined;
        throw cause;
      },
    ));

  return {
    name: 'fetch',
    connect(request, callbacks) {
      let inner: TransportConnection | undefined;
      let closed = false;
      load().then(
        (transport) => {
          if (!closed) inner = transport.connect(request, callbacks);
        },
        (cause: unknown) => {
          if (closed) return;
          callbacks.failure({
            retry: 'backoff',
            error: streamError('network', message('chunk-failed', request.url, describeCause(cause)), { cause }),
          });
        },
      );
      return {
        // The fetch transport delivers every event type; there is nothing to forward.
        listen() {},
        unlisten() {},
        close() {
          closed = true;
          // Closed while loading: nothing was sent, and the flag keeps a request from starting late.
          return inner?.close();
        },
      };
    },
  };
}
