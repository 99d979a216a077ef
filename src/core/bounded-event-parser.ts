import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface BoundedParserHandlers {
  /**
   * A dispatched event. `id` is set when the last event id changed since the previous event:
   * by the event's own `id:` field, or by an earlier block that set an id but dispatched nothing.
   */
  onEvent(event: EventSourceMessage): void;
  onRetry(ms: number): void;
  /** An event longer than the limit was dropped. */
  onTooLarge(size: number): void;
  /** A block set the last event id but dispatched nothing (the id also rides on the next event). */
  onId?(id: string): void;
}

const ID_FIELD = 'id:';

/**
 * eventsource-parser, made to dispatch exactly what a browser's EventSource dispatches, with a
 * cap on event size. Sizes are in UTF-16 code units of decoded text. Three things it adds:
 *
 * - Line endings reach the parser as LF only. WHATWG HTML treats a lone CR as a line end, but
 *   eventsource-parser holds a CR at the end of its input back (waiting for a possible LF), so
 *   an event ending in CR would wait for the next chunk, or be lost when the stream ends there.
 * - A block with an `id:` field but no data dispatches nothing yet still sets the last event id
 *   (spec: the id buffer is separate from the event); eventsource-parser forgets that id. We
 *   watch for `id` lines and carry such an id onto the next event.
 * - An oversized event is dropped and the stream goes on. The parser stops for good once its
 *   buffer overflows; we then skip (keeping nothing) to the blank line that ends the event and
 *   reset the parser.
 */
export function createBoundedParser(maxChars: number, handlers: BoundedParserHandlers) {
  let skipping = false;
  /** The previous chunk ended in CR, already turned into a line end: a leading LF belongs to it. */
  let afterCR = false;
  /** Characters of the current line seen so far. */
  let lineLength = 0;
  /** The current line while it may still be an `id` field, else undefined. */
  let idLine: string | undefined = '';
  /** The id the current block set, if any. */
  let blockId: string | undefined;
  /** An id set by a block that dispatched nothing, not yet passed on. */
  let pendingId: string | undefined;
  let delivered = false;

  const parser = createParser({
    maxBufferSize: maxChars,
    onEvent(event) {
      // A large event that arrived within a single chunk never overflows the parser's buffer.
      if (event.data.length > maxChars) return handlers.onTooLarge(event.data.length);
      delivered = true;
      const id = event.id ?? pendingId;
      pendingId = undefined;
      handlers.onEvent({ ...event, id });
    },
    onRetry: handlers.onRetry,
    onError(error) {
      if (error.type !== 'max-buffer-size-exceeded') return; // unknown fields and bad retry: ignored, per spec
      skipping = true;
      handlers.onTooLarge(maxChars + 1);
    },
  });

  /** Part of the current line; only an `id` line is kept, and only up to the size limit. */
  const observe = (text: string, start: number, end: number): void => {
    if (end === start) return;
    lineLength += end - start;
    if (idLine === undefined) return;
    idLine += text.slice(start, Math.min(end, start + maxChars + ID_FIELD.length + 1));
    const head = idLine.slice(0, ID_FIELD.length);
    if (!ID_FIELD.startsWith(head) || idLine.length > maxChars + ID_FIELD.length) idLine = undefined;
  };

  const endLine = (): void => {
    if (idLine === 'id' || idLine?.startsWith(ID_FIELD)) {
      const value = idLine.slice(idLine.charCodeAt(3) === 32 ? 4 : 3);
      // WHATWG HTML: an id containing NUL is ignored.
      if (!value.includes('\0')) blockId = value;
    }
    lineLength = 0;
    idLine = '';
  };

  const endBlock = (): void => {
    if (!delivered && blockId !== undefined) {
      pendingId = blockId;
      handlers.onId?.(blockId);
    }
    delivered = false;
    blockId = undefined;
  };

  const feed = (chunk: string): void => {
    // An empty chunk (half of a UTF-8 character) must not forget a pending CR.
    if (chunk === '') return;
    let text = afterCR && chunk.charCodeAt(0) === 10 ? chunk.slice(1) : chunk;
    afterCR = text.charCodeAt(text.length - 1) === 13;
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    let fed = 0;
    for (let pos = 0; ; ) {
      const lf = text.indexOf('\n', pos);
      observe(text, pos, lf < 0 ? text.length : lf);
      if (lf < 0) break;
      const blank = lineLength === 0;
      endLine();
      pos = lf + 1;
      if (!blank) continue;
      // Feed the parser up to each blank line, so we know whether this block dispatched.
      if (!skipping) parser.feed(text.slice(fed, pos));
      if (skipping) {
        // The oversized event ends here.
        skipping = false;
        parser.reset();
      }
      fed = pos;
      endBlock();
    }
    if (!skipping && fed < text.length) parser.feed(text.slice(fed));
  };

  return { feed };
}
