import { mainThreadSlicer } from '../scheduling/work-slicer';
import { describeCause, streamError } from '../errors/stream-error';
import { message } from '../errors/messages';
import type { TransportCallbacks } from '../types';
import { createBoundedParser } from './bounded-event-parser';

const EVENT = 0;
const RETRY = 1;
const ID = 2;
const TOO_LARGE = 3;
/** Events delivered between two looks at the slice clock. */
const RUN = 32;
/** How much of a chunk is parsed before its events are delivered. */
const PIECE_CHARS = 16_384;

/**
 * Reads an SSE response body to its end and reports what it holds: events, `retry:`, ids and
 * oversized events, then the end (or the break) as a failure for the connection to judge. The
 * work goes in slices that yield to the browser, and the body is read no further while parsed
 * events wait: a flood waits in the socket, not in memory. `stopped`: close() was called (checked
 * per event); `over`: the attempt is over (closed or aborted).
 */
export async function readEventBody(
  body: ReadableStream<Uint8Array>,
  url: string,
  maxChars: number,
  callbacks: TransportCallbacks,
  stopped: () => boolean,
  over: () => boolean,
): Promise<void> {
  const emit = (kind: unknown, a: unknown, b: unknown, c: unknown): void => {
    if (kind === EVENT) callbacks.event(a as string, b as string, c as string | undefined);
    else if (kind === RETRY) callbacks.retry(a as number);
    else if (kind === ID) callbacks.id?.(a as string);
    else callbacks.error(streamError('too-large', message('too-large', url, maxChars), a === undefined ? {} : { eventType: a as string }));
  };
  // What the parser found past the slice budget, in order, 4 slots each: the kind, then its values.
  const parsed: unknown[] = [];
  // The clock is read once per run of events, not per event.
  let untilCheck = 0;
  let inBudget = true;
  const found = (kind: number, a: unknown, b: unknown, c: unknown): void => {
    // close() from inside a callback stops the rest of an already-read chunk too.
    if (stopped()) return;
    if (--untilCheck <= 0) (untilCheck = RUN), (inBudget = mainThreadSlicer.hasBudget());
    if (parsed.length === 0 && inBudget) emit(kind, a, b, c);
    else parsed.push(kind, a, b, c);
  };
  const parser = createBoundedParser(maxChars, {
    onEvent: (event) => found(EVENT, event.event || 'message', event.data, event.id),
    onRetry: (ms) => found(RETRY, ms, undefined, undefined),
    onId: (id) => found(ID, id, undefined, undefined),
    onTooLarge: (_size, type) => found(TOO_LARGE, type, undefined, undefined),
  });
  /**
   * Hands what the parser found past the budget to the connection in slices that yield to the
   * browser, and reads no further meanwhile: a flood waits in the socket (the server slows down),
   * not in memory. Returns false once the attempt is over.
   */
  const deliver = async (): Promise<boolean> => {
    for (let i = 0; i < parsed.length; ) {
      if (over()) return false;
      if (!mainThreadSlicer.hasBudget()) {
        await mainThreadSlicer.nextSlice();
        continue;
      }
      for (const end = Math.min(parsed.length, i + RUN * 4); i < end; i += 4) {
        emit(parsed[i], parsed[i + 1], parsed[i + 2], parsed[i + 3]);
        if (stopped()) return false;
      }
    }
    parsed.length = 0;
    untilCheck = 0;
    return !over();
  };
  const reader = body.getReader();
  // TextDecoder drops a leading BOM and keeps multi-byte characters split across chunks intact.
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Any bytes, comments (keep-alives) included, show the connection is alive (idleTimeoutMs).
      callbacks.activity?.();
      const text = decoder.decode(value, { stream: true });
      // In pieces: a big chunk parsed at once would hold all its events (and their lines) alive
      // until the last of them is delivered, slices later.
      for (let at = 0; at < text.length; at += PIECE_CHARS) {
        parser.feed(text.length <= PIECE_CHARS ? text : text.slice(at, at + PIECE_CHARS));
        if (!(await deliver())) return;
      }
      // A body already buffered resolves read after read as microtasks: past the slice budget,
      // yield a task before the next read (a flood of comments parses to nothing to deliver).
      if (!mainThreadSlicer.hasBudget()) await mainThreadSlicer.nextSlice();
    }
    // Bytes of an unfinished character become U+FFFD, as in the browser's own decoder.
    parser.feed(decoder.decode());
    if (!(await deliver())) return;
  } catch (cause) {
    if (over()) return;
    // Also reached when a callback threw: no reader may keep the response open behind our back.
    void reader.cancel().catch(() => undefined);
    return callbacks.failure({
      retry: 'backoff',
      error: streamError('network', message('broke-off', url, describeCause(cause)), { cause }),
    });
  }
  if (over()) return;
  // The server ended the response: per spec the client reconnects (only 204 stops it), unless the
  // stream is finite — the connection decides; `error: undefined` says the end was a normal one.
  callbacks.failure({ retry: 'backoff', error: undefined });
}
