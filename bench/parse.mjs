// Parse throughput in Node: the same bytes through react-sse-hub's fetch transport and through a
// hand-rolled reader + TextDecoder + eventsource-parser loop (what the transport builds on).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createParser } from 'eventsource-parser';

const CHUNK = 64 * 1024;

function makeStream(megabytes) {
  const events = [];
  let bytes = 0;
  for (let id = 1; bytes < megabytes * 1e6; id++) {
    const line = `id: ${id}\nevent: tick\ndata: {"n":${id},"price":${(id * 1.01).toFixed(2)},"sym":"S${id % 50}","note":"${'x'.repeat(id % 150)}"}\n\n`;
    events.push(line);
    bytes += line.length;
  }
  const all = new TextEncoder().encode(events.join(''));
  const chunks = [];
  for (let i = 0; i < all.length; i += CHUNK) chunks.push(all.subarray(i, i + CHUNK));
  return { chunks, bytes: all.length, events: events.length };
}

const body = (chunks) =>
  new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

async function parserAlone(chunks) {
  let count = 0;
  const parser = createParser({ onEvent: () => count++ });
  // Read through a Response body, as the transport does, so only the transport's own work differs.
  const reader = new Response(body(chunks)).body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return count;
}

function transportRun(createFetchTransport, chunks) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response(body(chunks), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  return new Promise((resolve, reject) => {
    let count = 0;
    const transport = createFetchTransport();
    transport.connect(
      { url: 'http://bench.invalid/sse', eventTypes: ['tick'], lastEventId: undefined, options: { method: 'GET', maxEventBytes: 1_048_576, withCredentials: false } },
      {
        open() {},
        event() {
          count++;
        },
        retry() {},
        error: (e) => reject(new Error(e.message)),
        // The stream ending is reported as a failure to retry: here it means "all parsed".
        failure(f) {
          globalThis.fetch = realFetch;
          if (f.error) reject(new Error(f.error.message));
          else resolve(count);
        },
      },
    );
  });
}

export async function measureParse({ megabytes = 50, rounds = 5 } = {}) {
  const outfile = fileURLToPath(new URL('./.build/fetch-transport.mjs', import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL('../src/core/transport/fetch-transport.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  const { createFetchTransport } = await import(`${outfile}?t=${Date.now()}`);
  const { chunks, bytes, events } = makeStream(megabytes);
  const best = { parser: Infinity, transport: Infinity };
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of [
      ['parser', () => parserAlone(chunks)],
      ['transport', () => transportRun(createFetchTransport, chunks)],
    ]) {
      const t0 = performance.now();
      const count = await run();
      const ms = performance.now() - t0;
      if (count !== events) throw new Error(`${name} parsed ${count} of ${events} events`);
      best[name] = Math.min(best[name], ms);
    }
  }
  const mb = bytes / 1e6;
  return { megabytes: mb, events, rounds, parser: mb / (best.parser / 1000), transport: mb / (best.transport / 1000) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measureParse());
}
