/**
 * Recipe (docs/recipes.md): component tests with Mock Service Worker. MSW intercepts the fetch
 * transport's real requests in jsdom and answers with a streaming text/event-stream Response, so
 * the library's own HTTP code runs: headers, bodies, status handling, parsing, reconnects with
 * Last-Event-ID. What the handlers saw is the evidence.
 *
 * msw 2.x, not 3: msw 3 declares Node >= 22.12 and fails on Node 20 (its interceptors call
 * Promise.withResolvers). MSW's own `sse()` handler needs a global EventSource, which neither jsdom
 * nor Node 20 has, so the handlers below return a streaming Response from `http` handlers.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SseProvider, defineStream, useEventReducer, useEventStream, type SseEvent } from 'react-sse-hub';

// --- what a handler streams ---------------------------------------------------------------------

const encoder = new TextEncoder();

/** One event in the wire format. */
const frame = ({ id, event, data }: { id?: string | number; event?: string; data: unknown }) =>
  `${id !== undefined ? `id: ${id}\n` : ''}${event !== undefined ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/**
 * A text/event-stream Response that writes `frames` one by one, `gapMs` apart, then ends the
 * body (`end: true`) or keeps it open like a live stream. Cancelling (the client aborting) stops it.
 */
function eventStream(frames: string[], { gapMs = 5, end = false }: { gapMs?: number; end?: boolean } = {}): Response {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let i = 0;
      const next = () => {
        if (i < frames.length) {
          controller.enqueue(encoder.encode(frames[i++]!));
          timer = setTimeout(next, gapMs);
        } else if (end) controller.close();
      };
      controller.enqueue(encoder.encode(': open\n\n'));
      timer = setTimeout(next, gapMs);
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' } });
}

// --- the MSW server -----------------------------------------------------------------------------

interface Seen {
  method: string;
  url: string;
  accept: string | null;
  authorization: string | null;
  lastEventId: string | null;
  body: string;
}
const seen: Seen[] = [];
const record = async (request: Request) => {
  seen.push({
    method: request.method,
    url: request.url,
    accept: request.headers.get('accept'),
    authorization: request.headers.get('authorization'),
    lastEventId: request.headers.get('last-event-id'),
    body: request.method === 'GET' ? '' : await request.clone().text(),
  });
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** Fast, deterministic reconnects for the reconnect test. */
const FAST = { initialDelayMs: 10, minDelayMs: 10, maxDelayMs: 50, jitter: false };

// --- the components under test ------------------------------------------------------------------

interface Tick {
  n: number;
}

function TickList({ url }: { url: string }) {
  // defineStream at module level in an app; per test here so every test has its own URL.
  const ticks = defineStream<{ tick: Tick }>(url, { events: ['tick'], transport: 'fetch', retry: FAST });
  const { events, status } = useEventStream(ticks);
  return (
    <section>
      <p>status: {status}</p>
      <ul>
        {events.map((e) => (
          <li key={e.id}>tick {e.data.n}</li>
        ))}
      </ul>
    </section>
  );
}

interface Token {
  token: string;
}
const appendToken = (text: string, event: SseEvent<Token>) => text + event.data.token;

function Completion({ prompt }: { prompt: string }) {
  const completion = defineStream<{ message: Token }>('/api/complete', {
    method: 'POST', // with a body or headers, the fetch transport is chosen by itself
    headers: { Authorization: 'Bearer t0ken', 'Content-Type': 'application/json' },
    body: JSON.stringify({ prompt }),
  });
  const { state: text, status, error } = useEventReducer(completion, appendToken, '');
  return (
    <article>
      <p data-testid="text">{text}</p>
      <p>status: {status}</p>
      {error && <p role="alert">{error.message}</p>}
    </article>
  );
}

// --- tests ----------------------------------------------------------------------------------------

describe('recipe: MSW streams SSE to the real fetch transport in jsdom', () => {
  it('jsdom has what the fetch transport needs (and no EventSource, hence transport: fetch)', () => {
    expect(typeof fetch).toBe('function');
    expect(typeof ReadableStream).toBe('function');
    expect(typeof TextDecoder).toBe('function');
    expect(typeof AbortController).toBe('function');
    expect(typeof (globalThis as { EventSource?: unknown }).EventSource).toBe('undefined');
  });

  it('renders the events a GET handler streams; one request, sent as an event-stream request', async () => {
    server.use(
      http.get('/api/ticks', async ({ request }) => {
        await record(request);
        return eventStream([1, 2, 3].map((n) => frame({ id: n, event: 'tick', data: { n } })));
      }),
    );
    render(
      <SseProvider>
        <TickList url="/api/ticks" />
      </SseProvider>,
    );
    expect(await screen.findByText('tick 3')).toBeTruthy();
    expect(screen.getByText('status: open')).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['tick 1', 'tick 2', 'tick 3']);
    expect(seen).toEqual([
      { method: 'GET', url: 'http://localhost:3000/api/ticks', accept: 'text/event-stream', authorization: null, lastEventId: null, body: '' },
    ]);
  });

  it('a POST completion with headers and a body: folded with useEventReducer, closed at [DONE], sent once', async () => {
    server.use(
      http.post('/api/complete', async ({ request }) => {
        await record(request);
        const { prompt } = (await request.json()) as { prompt: string };
        const tokens = ['Echo', ': ', prompt, ' ✓'];
        return eventStream([...tokens.map((token) => frame({ data: { token } })), frame({ data: '[DONE]' })], { end: true });
      }),
    );
    render(
      <SseProvider>
        <Completion prompt="héllo" />
      </SseProvider>,
    );
    await screen.findByText('status: closed');
    expect(screen.getByTestId('text').textContent).toBe('Echo: héllo ✓');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', authorization: 'Bearer t0ken', accept: 'text/event-stream', body: '{"prompt":"héllo"}' });
  });

  it('a dropped response is resumed at the HTTP level with Last-Event-ID: every tick once', async () => {
    let requests = 0;
    server.use(
      http.get('/api/resume', async ({ request }) => {
        await record(request);
        requests += 1;
        // The first response sends two ticks and ends (a live stream must not end: a loss); the
        // next ones continue after the Last-Event-ID the client sends.
        if (requests === 1) return eventStream([frame({ id: 1, event: 'tick', data: { n: 1 } }), frame({ id: 2, event: 'tick', data: { n: 2 } })], { end: true });
        const after = Number(request.headers.get('last-event-id') ?? 0);
        return eventStream([after + 1, after + 2].map((n) => frame({ id: n, event: 'tick', data: { n } })));
      }),
    );
    render(
      <SseProvider>
        <TickList url="/api/resume" />
      </SseProvider>,
    );
    await screen.findByText('tick 4');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4']);
    expect(seen.map((s) => s.lastEventId)).toEqual([null, '2']);
  });

  it('an HTTP error from a handler reaches the component as a StreamError', async () => {
    server.use(
      http.get('/api/forbidden', async ({ request }) => {
        await record(request);
        return HttpResponse.text('no', { status: 403 });
      }),
    );
    function Status() {
      const { status, error } = useEventStream(defineStream('/api/forbidden', { transport: 'fetch', retry: FAST }));
      return <p>{error ? `${status}: ${error.kind} ${error.kind === 'http' ? error.status : ''}` : status}</p>;
    }
    render(
      <SseProvider>
        <Status />
      </SseProvider>,
    );
    expect(await screen.findByText('closed: http 403')).toBeTruthy();
    await waitFor(() => expect(seen).toHaveLength(1));
  });
});
