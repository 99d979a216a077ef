import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface BoundedParserHandlers {
  /** A dispatched event; `id` is its own `id:` field, if it had one. */
  onEvent(event: EventSourceMessage): void;
  onRetry(ms: number): void;
  /** An event longer than the limit was dropped; `type` when it was read before the limit was hit. */
  onTooLarge(size: number, type?: string): void;
  /** The last event id changed without an event: a block with an id but no data, or a dropped oversized event. */
  onId?(id: string): void;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const LOWER_I = 105;
const ID_FIELD = 'id:';
const DATA_FIELD = 'data:';
/**
 * Fed in place of a block's blank line, to make the parser show what the block did: it adds one
 * empty data line, so the block dispatches, with the block's id. Data '' then means the block had
 * no data line of its own; otherwise the probe added exactly one trailing '\n' to its data.
 */
const PROBE = 'data\n\n';

/**
 * eventsource-parser, made to dispatch exactly what a browser's EventSource dispatches, with a
 * cap on event size in UTF-8 bytes (the buffer itself is capped at as many UTF-16 code units, never
 * fewer than the bytes, so memory stays bounded and nothing over the limit slips through). Three
 * things it adds:
 *
 * - Line endings reach the parser as LF only. WHATWG HTML treats a lone CR as a line end, but
 *   eventsource-parser holds a CR at the end of its input back (waiting for a possible LF), so
 *   an event ending in CR would wait for the next chunk, or be lost when the stream ends there.
 * - A block with an `id:` field but no data dispatches nothing yet still sets the last event id
 *   (spec: the id buffer is separate from the event); eventsource-parser forgets that id. A block
 *   not seen to hold a data line is fed with PROBE in place of its blank line, so the parser
 *   itself tells us its id (same NUL and bare-`id` rules); we report it through onId.
 * - An oversized event is dropped and the stream goes on. The parser stops for good once its
 *   buffer overflows; we then skip (keeping nothing) to the blank line that ends the event and
 *   reset the parser.
 *
 * For speed, a chunk reaches the parser in one feed (a flat string), split only around probed
 * blocks; the wrapper itself looks at lines one by one only in the block open at a chunk's end.
 */
export function createBoundedParser(maxChars: number, handlers: BoundedParserHandlers) {
  /** The previous chunk ended in CR, already turned into a line end: a leading LF belongs to it. */
  let afterCR = false;
  /** The parser overflowed: we drop text up to the blank line that ends the oversized event. */
  let skipping = false;
  /** The block being fed ends in PROBE. */
  let probing = false;
  /** Follows the block open at the end of the text so far, line by line (it may span chunks). */
  const openBlock = createOpenBlockTracker(maxChars);

  // An event's `id` stays its own field (the API's SseEvent.id); a last event id set without
  // an event goes through onId.
  const setId = (id: string): void => handlers.onId?.(id);

  const parser = createParser({
    maxBufferSize: maxChars,
    onEvent(event) {
      if (probing) {
        if (event.data === '') return void (event.id !== undefined && setId(event.id));
        event.data = event.data.slice(0, -1);
      }
      if (utf8LongerThan(event.data, maxChars)) {
        // A large event that arrived within a single feed never overflows the parser's buffer.
        handlers.onTooLarge(event.data.length, event.event || 'message');
        // The browser would have dispatched it, so its id still becomes the last event id.
        if (event.id !== undefined) setId(event.id);
        return;
      }
      handlers.onEvent(event);
    },
    onRetry: handlers.onRetry,
    onError(error) {
      if (error.type !== 'max-buffer-size-exceeded') return; // unknown fields and bad retry: ignored, per spec
      skipping = true;
      handlers.onTooLarge(maxChars + 1);
    },
  });

  /** Feeds one block (its lines, without the blank line) followed by PROBE. */
  const probe = (block: string): void => {
    probing = true;
    try {
      // One string: the block's data is checked against the limit only once it has dispatched.
      parser.feed(block + PROBE);
    } finally {
      probing = false;
    }
  };

  /** Feeds text that starts outside any skipped event. */
  const feedBlocks = (text: string): void => {
    let start = openBlock.scan(text, 0);
    if (start < 0) return void parser.feed(text); // the open block goes on
    let fed = 0;
    // The block open before this text ended at its first blank line. Its data line may have come
    // in an earlier chunk, so the tracker, not a search of this text, says if it had one.
    if (!openBlock.endBlock().hasData) {
      probe(text.slice(0, start - 1));
      fed = start;
    }
    const dataLines = createDataLineFinder(text);
    for (let blank = nextBlankLine(text, start); blank >= 0; blank = nextBlankLine(text, start)) {
      // Only a block without a data line can set an id and dispatch nothing. A blank line right
      // after another ends an empty block: no lines, no id.
      if (start < blank && !dataLines.within(start, blank)) {
        if (fed < start) parser.feed(text.slice(fed, start));
        probe(text.slice(start, blank));
        fed = blank + 1;
      }
      start = blank + 1;
    }
    if (fed < text.length) parser.feed(fed === 0 ? text : text.slice(fed));
    openBlock.scan(text, start); // the new open block: no blank line follows
  };

  /** While skipping: drops text up to the blank line ending the oversized event; returns the rest. */
  const skip = (text: string): string | undefined => {
    const end = openBlock.scan(text, 0);
    if (end < 0) return undefined;
    skipping = false;
    parser.reset();
    // The dropped event would have dispatched in the browser: its id counts.
    const { id } = openBlock.endBlock();
    if (id !== undefined) setId(id);
    return text.slice(end);
  };

  const feed = (chunk: string): void => {
    // An empty chunk (half of a UTF-8 character) must not forget a pending CR.
    if (chunk === '') return;
    let text = afterCR && chunk.charCodeAt(0) === LF ? chunk.slice(1) : chunk;
    afterCR = text.charCodeAt(text.length - 1) === CR;
    if (text === '') return;
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    if (skipping) {
      const rest = skip(text);
      if (rest === undefined) return;
      text = rest;
    }
    if (text !== '') feedBlocks(text);
  };

  return { feed };
}

/** Index of the LF of the first blank line at or after `start` (a line start > 0), or -1. */
function nextBlankLine(text: string, start: number): number {
  // The LF before `start` ends the previous line: "\n\n" from there finds a blank line at `start`.
  const pair = text.indexOf('\n\n', start - 1);
  return pair < 0 ? -1 : pair + 1;
}

/**
 * Finds data lines ("data:…" or a bare "data", the only lines that make a block dispatch) that
 * start right after an LF in text. Queries come in increasing order: one forward pass in all.
 */
function createDataLineFinder(text: string) {
  /** Index of the LF before the next data line, or text.length when there is none. */
  let at = -1;
  const find = (from: number): number => {
    for (let lf = text.indexOf('\ndata', from); lf >= 0; lf = text.indexOf('\ndata', lf + 5)) {
      const next = text.charCodeAt(lf + 5);
      if (next === COLON || next === LF) return lf; // "database: x" is an unknown field
    }
    return text.length;
  };
  return {
    /** Whether a data line starts in text[start..blank), `start` just after an LF. */
    within(start: number, blank: number): boolean {
      if (at < start - 1) at = find(start - 1);
      return at < blank;
    },
  };
}

/**
 * Follows lines one by one, across chunk boundaries, for the current block: whether it has a data
 * line, and its last valid id. Used only on the block open at a chunk's end and while skipping,
 * so its per-line cost stays small. Memory is bounded: an id line longer than the limit is not
 * kept, and of other lines only the first few characters.
 */
function createOpenBlockTracker(maxChars: number) {
  const longest = maxChars + ID_FIELD.length;
  /** Characters of the current line seen so far. */
  let lineLength = 0;
  /** The current line's first characters, enough to tell a data line. */
  let head = '';
  /** The current line while it may still be an `id` field, else undefined. */
  let idLine: string | undefined = '';
  let hasData = false;
  /** The id the current block set, if any. */
  let blockId: string | undefined;

  /** Part of the current line. */
  const observe = (text: string, start: number, end: number): void => {
    if (end === start) return;
    if (lineLength < DATA_FIELD.length) head += text.slice(start, Math.min(end, start + DATA_FIELD.length - lineLength));
    lineLength += end - start;
    if (idLine === undefined) return;
    // Most lines are not id lines: decide from the first character without copying.
    if (idLine === '' && text.charCodeAt(start) !== LOWER_I) return void (idLine = undefined);
    idLine += text.slice(start, Math.min(end, start + longest + 1));
    const idHead = idLine.slice(0, ID_FIELD.length);
    if (!ID_FIELD.startsWith(idHead) || idLine.length > longest) idLine = undefined;
  };

  const endLine = (): void => {
    // A bare "data" is a data field too (with an empty value).
    if (head === DATA_FIELD || (head === 'data' && lineLength === 4)) hasData = true;
    if (idLine === 'id' || idLine?.startsWith(ID_FIELD)) {
      const value = idLine.slice(idLine.charCodeAt(3) === 32 ? 4 : 3);
      // WHATWG HTML: an id containing NUL is ignored.
      if (!value.includes('\0')) blockId = value;
    }
    lineLength = 0;
    head = '';
    idLine = '';
  };

  return {
    /** Reads text from `from` (a line start when > 0): the index after the first blank line, or -1. */
    scan(text: string, from: number): number {
      for (let pos = from; ; ) {
        const lf = text.indexOf('\n', pos);
        observe(text, pos, lf < 0 ? text.length : lf);
        if (lf < 0) return -1;
        const blank = lineLength === 0;
        endLine();
        pos = lf + 1;
        if (blank) return pos;
      }
    },
    /** The block ended at the blank line scan() returned after: what it held. Starts the next. */
    endBlock(): { hasData: boolean; id: string | undefined } {
      const block = { hasData, id: blockId };
      hasData = false;
      blockId = undefined;
      return block;
    },
  };
}

/** Whether the text takes more than `max` bytes as UTF-8; counts only when it might. */
function utf8LongerThan(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= max; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is one 4-byte character: 2 + 2 for its two code units.
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
  }
  return bytes > max;
}
