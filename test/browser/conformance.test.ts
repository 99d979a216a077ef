/**
 * The engine's native EventSource is the oracle: every case's bytes are served once to it and once
 * to the library's fetch transport, as the same explicit network chunks with small pauses between
 * them, and the dispatched (type, data, lastEventId) sequences must be identical. When a case
 * differs, the library is fixed, not the case. Where an engine's EventSource is known to deviate
 * from the WHATWG parsing rules (listed in NATIVE_DEVIATIONS), the case states the spec's answer:
 * the fetch transport must give it, and the engine must still show the deviation (so the entry
 * goes when the engine is fixed).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchedEvent } from './page/conformance';
import { ENGINE, startHarness, type BrowserHarness, type EngineName, type TestPage } from './support/harness';

interface WireCase {
  name: string;
  chunks: Buffer[];
  /** What the WHATWG rules dispatch, written out for cases where an engine deviates. */
  spec?: DispatchedEvent[];
}

const bytes = (text: string | Buffer): Buffer => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
/** The listed pieces, each its own network chunk. */
const pieces = (...parts: (string | Buffer)[]): Buffer[] => parts.map(bytes);
/** A chunk boundary after every byte. */
const perByte = (text: string | Buffer): Buffer[] => Array.from(bytes(text), (b) => Buffer.from([b]));
/** Chunks of `size` bytes, cutting through multi-byte characters and line endings alike. */
const everyN = (text: string | Buffer, size: number): Buffer[] => {
  const all = bytes(text);
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.subarray(i, i + size));
  return out;
};

const msg = (data: string, lastEventId: string): DispatchedEvent => ({ type: 'message', data, lastEventId });

/**
 * Where an engine's own EventSource parses differently from the spec (seen in Firefox ESR 153:
 * an id: holding NUL drops the whole event instead of only the id, an id: on a block without data
 * does not set the last event id, NUL in data is not passed on). The library's fetch transport
 * follows the spec in every engine; these cases then assert the engine still deviates.
 */
const NATIVE_DEVIATIONS: Partial<Record<EngineName, readonly string[]>> = {
  // WebKitGTK 2.50: a BOM split across network chunks makes its EventSource dispatch nothing.
  webkit: ['BOM split across chunks'],
  firefox: [
    'id containing NUL is ignored',
    'id on a block without data still sets the last event id',
    'id field split across chunks, NUL id in a block without data',
    'NUL and control characters inside data',
  ],
};

const RICH = 'retry: 100\r\nid: 1\r\nevent: tick\r\ndata: {"a":1}\r\n\r\n: note\rdata: h\u00e9 \u{1F600}\ndata:x\n\nid\nevent:\ndata\n\n';

const CASES: WireCase[] = [
  { name: 'LF line endings', chunks: pieces('data: a\n\ndata: b\n\n') },
  { name: 'CRLF line endings', chunks: pieces('data: a\r\n\r\nevent: x\r\ndata: b\r\n\r\n') },
  { name: 'CR line endings, stream ends on CR', chunks: pieces('data: a\r\rid: 3\rdata: b\r\r') },
  { name: 'mixed LF, CR and CRLF in one event', chunks: pieces('data: a\r\ndata: b\rdata: c\n\r\n') },
  { name: 'CRLF split between CR and LF across chunks', chunks: pieces('data: a\r', '\n\r', '\ndata: b\r', '\n', '\r\n') },
  { name: 'CR at a chunk end, then a new line', chunks: pieces('data: a\r', 'data: b\r', '\r', 'data: c\r\r') },
  { name: 'leading BOM is dropped', chunks: pieces('\uFEFFdata: a\n\ndata: b\n\n') },
  { name: 'BOM split across chunks', chunks: [Buffer.from([0xef]), Buffer.from([0xbb, 0xbf]), ...pieces('data: a\n\n')], spec: [msg('a', '')] },
  { name: 'only one BOM is dropped', chunks: pieces('\uFEFF\uFEFFdata: a\n\ndata: b\n\n') },
  { name: 'comments', chunks: pieces(': hello\n:\ndata: a\n: between\ndata: b\n\n:only a comment\n\n') },
  { name: 'multi-line data, empty data lines', chunks: pieces('data: a\ndata:\ndata: b\ndata\n\ndata\n\ndata:\n\n') },
  { name: 'data: with no space, one space, two spaces, a tab', chunks: pieces('data:a\n\ndata: b\n\ndata:  c\n\ndata:\td\n\n') },
  { name: 'colons inside the value', chunks: pieces('data: a:b: c\n\ndata::x\n\n') },
  { name: 'empty and named event:', chunks: pieces('event:\ndata: a\n\nevent: custom\ndata: b\n\nevent:custom\ndata: c\n\nevent: message\ndata: d\n\n') },
  { name: 'event type is reset by a blank line without data', chunks: pieces('event: custom\n\ndata: a\n\nevent: two words\ndata: b\n\n') },
  { name: 'id persists, empty id resets, spaces kept', chunks: pieces('id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 7 \ndata: d\n\nid:\ndata: e\n\n') },
  {
    name: 'id containing NUL is ignored',
    chunks: pieces('id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\ndata: c\n\n'),
    spec: [msg('a', '1'), msg('b', '1'), msg('c', '1')],
  },
  {
    name: 'id on a block without data still sets the last event id',
    chunks: pieces('id: 5\n\ndata: a\n\nid: 6\n: c\n\nevent: x\ndata: b\n\n'),
    spec: [msg('a', '5'), { type: 'x', data: 'b', lastEventId: '6' }],
  },
  {
    name: 'id field split across chunks, NUL id in a block without data',
    chunks: pieces('i', 'd: 1\n', '\n', 'data: a\n\nid', ':', ' 2\u0000\n\ndata: b\n\nidx: 3\ndata: c\n\n'),
    spec: [msg('a', '1'), msg('b', '1'), msg('c', '1')],
  },
  { name: 'bogus retry values are ignored', chunks: pieces('retry: abc\ndata: a\n\nretry: 10x\ndata: b\n\nretry:\ndata: c\n\nretry: -1\nretry: 1.5\ndata: d\n\nretry: 5000\ndata: e\n\n') },
  { name: 'trailing event without the final blank line is not dispatched', chunks: pieces('data: a\n\ndata: b\n') },
  { name: 'trailing field without any line end is not dispatched', chunks: pieces('data: a\n\ndata: b') },
  { name: 'unknown fields and case-sensitive names', chunks: pieces('foo: bar\ndata: a\nDATA: x\nData: y\n data: z\n\n') },
  { name: 'field names without a colon', chunks: pieces('data\n\ndata\ndata\n\nevent\ndata: a\n\nid\nretry\nfoo\ndata: b\n\n') },
  { name: 'NUL and control characters inside data', chunks: pieces('data: a\u0000b\u0007c\n\n'), spec: [msg('a\u0000b\u0007c', '')] },
  {
    name: 'multi-byte UTF-8 split across chunks',
    chunks: everyN('data: h\u00e9llo w\u00f6rld \u4e2d\u6587 \u{1F600}\u{1F680}\nevent: caf\u00e9\ndata: \u{1F600}\n\n', 3),
  },
  { name: 'invalid UTF-8 becomes U+FFFD', chunks: [Buffer.from('data: a'), Buffer.from([0xff, 0x62, 0xe2, 0x82]), Buffer.from([0x0a, 0xc3]), Buffer.from('\n\n')] },
  { name: 'a chunk boundary after every byte (LF, CRLF, CR, UTF-8)', chunks: perByte(RICH) },
  { name: 'a chunk boundary after every byte, CR line endings', chunks: perByte('id: 9\rdata: \u00e9\r\revent: x\rdata: 2\r\r') },
  { name: 'a long line across many chunks', chunks: everyN(`data: ${'0123456789'.repeat(2000)}\ndata: end\n\n`, 997) },
  { name: 'many events in one chunk', chunks: pieces(Array.from({ length: 50 }, (_, i) => `id: ${i}\ndata: ${i}\n\n`).join('')) },
];

/** An event of 300 000 characters, in 16 KiB chunks, between small ones. */
const BIG = everyN(`id: 1\ndata: a\n\nid: 2\ndata: ${'x'.repeat(300_000)}\n\ndata: b\n\nid: 3\ndata: c\n\n`, 16_384);

/** Every event type the bytes name, so the native EventSource listens for all of them. */
function eventTypes(chunks: Buffer[]): string[] {
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  const types = new Set(['message']);
  for (const line of text.split(/\r\n|\r|\n/)) {
    const match = /^\uFEFF?event(?::( ?)(.*))?$/.exec(line);
    if (match) types.add(match[2] || 'message');
  }
  return [...types];
}

let h: BrowserHarness;
let page: TestPage;
const served = new Map<string, number>();
const results: { name: string; identical: boolean; events: number }[] = [];

/** /conf/<case>/<client>: the case's chunks once, then 204 (so nothing could reconnect into it). */
function route(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const match = /^\/conf\/(\w+)\/(native|fetch)$/.exec(url.pathname);
  if (!match) return false;
  const count = (served.get(url.pathname) ?? 0) + 1;
  served.set(url.pathname, count);
  if (count > 1) {
    res.writeHead(204);
    res.end();
    return true;
  }
  const chunks = match[1] === 'big' ? BIG : CASES[Number(match[1])]!.chunks;
  req.socket.setNoDelay(true);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
  res.flushHeaders();
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i === chunks.length) return void res.end();
    res.write(chunks[i++]);
    setTimeout(next, 4);
  };
  setTimeout(next, 4);
  return true;
}

beforeAll(async () => {
  h = await startHarness({ entries: ['conformance'], routes: route });
  page = await h.open('conformance', 'conformance');
});

afterAll(async () => {
  const same = results.filter((r) => r.identical).length;
  console.log(
    [`Conformance with ${ENGINE}'s EventSource: ${same} of ${results.length} cases identical`, ...results.map((r) => `  ${r.identical ? 'yes' : 'NO '}  ${r.name} (${r.events} events)`)].join('\n'),
  );
  await h?.close();
});

describe("fetch transport dispatches exactly what the engine's EventSource dispatches (or the spec, where the engine deviates)", () => {
  it('has the 31 cases ARCHITECTURE.md counts', () => {
    // ARCHITECTURE.md: "31 wire-format cases". A case added or removed updates both.
    expect(CASES.length).toBe(31);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (name, i) => {
    const types = eventTypes(CASES[i]!.chunks);
    const [native, viaFetch] = await Promise.all([
      page.evaluate(([url, t]) => window.conformance.native(url, t), [`/conf/${i}/native`, types] as [string, string[]]),
      page.evaluate((url) => window.conformance.fetch(url), `/conf/${i}/fetch`),
    ]);
    results.push({ name, identical: JSON.stringify(native) === JSON.stringify(viaFetch.events), events: native.length });
    const { spec } = CASES[i]!;
    if (NATIVE_DEVIATIONS[ENGINE]?.includes(name)) {
      expect(viaFetch.events satisfies DispatchedEvent[]).toEqual(spec);
      expect(native, `${ENGINE} now follows the spec here: drop the case from NATIVE_DEVIATIONS`).not.toEqual(spec);
    } else {
      expect(native.length).toBeGreaterThan(0);
      expect(viaFetch.events satisfies DispatchedEvent[]).toEqual(native);
      if (spec) expect(native).toEqual(spec);
    }
    // The response ended normally: a plain reconnect, no error, nothing dropped.
    expect(viaFetch.failure).toEqual({ retry: 'backoff', kind: undefined });
    expect(viaFetch.errors).toEqual([]);
    expect(served.get(`/conf/${i}/native`)).toBe(1);
    expect(served.get(`/conf/${i}/fetch`)).toBe(1);
  });

  it('an oversized event is the only difference: dropped with a too-large error, the rest identical', async () => {
    const [native, viaFetch] = await Promise.all([
      page.evaluate(() => window.conformance.native('/conf/big/native', ['message'])),
      page.evaluate(() => window.conformance.fetch('/conf/big/fetch', 100_000)),
    ]);
    expect(native.map((e) => [e.data.length, e.lastEventId])).toEqual([[1, '1'], [300_000, '2'], [1, '2'], [1, '3']]);
    // The engine has no limit; the library drops the big event, but its id still counts (as natively).
    expect(viaFetch.events).toEqual(native.filter((e) => e.data.length < 100_000));
    expect(viaFetch.errors).toEqual(['too-large']);
    expect(viaFetch.failure).toEqual({ retry: 'backoff', kind: undefined });
  });
});
