import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface BoundedParserHandlers {
  onEvent(event: EventSourceMessage): void;
  onRetry(ms: number): void;
  /** An event longer than the limit was dropped. */
  onTooLarge(size: number): void;
}

/**
 * eventsource-parser with a cap on event size that drops the oversized event and goes on with
 * the next one. The parser itself stops for good once its buffer overflows; here we skip the
 * rest of the oversized event (keeping nothing of it, so memory stays bounded) up to the blank
 * line that ends it, then reset the parser. Sizes are in UTF-16 code units of decoded text.
 */
export function createBoundedParser(maxChars: number, handlers: BoundedParserHandlers) {
  let skipping = false;
  let atLineStart = false;
  let afterCR = false;
  const parser = createParser({
    maxBufferSize: maxChars,
    onEvent(event) {
      // A large event that arrived within a single chunk never overflows the parser's buffer.
      if (event.data.length > maxChars) handlers.onTooLarge(event.data.length);
      else handlers.onEvent(event);
    },
    onRetry: handlers.onRetry,
    onError(error) {
      if (error.type !== 'max-buffer-size-exceeded') return; // unknown fields and bad retry: ignored, per spec
      skipping = true;
      handlers.onTooLarge(maxChars + 1);
    },
  });

  /** Returns the index just after the blank line that ends the skipped event, or -1. */
  const skipTo = (chunk: string): number => {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10 && afterCR) {
        afterCR = false; // the LF of a CRLF pair ends the same line
        continue;
      }
      afterCR = c === 13;
      if (c === 10 || c === 13) {
        if (atLineStart) return i + 1;
        atLineStart = true;
      } else {
        atLineStart = false;
      }
    }
    return -1;
  };

  const feed = (chunk: string): void => {
    if (skipping) {
      const end = skipTo(chunk);
      if (end < 0) return;
      skipping = false;
      parser.reset();
      feed(chunk.slice(end));
      return;
    }
    parser.feed(chunk);
    if (skipping) {
      // The overflow point is inside this chunk's unterminated tail; start from its last char.
      const last = chunk.charCodeAt(chunk.length - 1);
      atLineStart = last === 10 || last === 13;
      afterCR = last === 13;
    }
  };

  return { feed };
}
