import { stats } from '../counter';

export const dynamic = 'force-dynamic';

const INTERVAL_MS = 200;
const encoder = new TextEncoder();

// GET /api/ticks: an endless text/event-stream of `tick` events, `id: n`, data {"n":n,"at":ms}.
// Resumes after the id in the Last-Event-ID header (browser reconnects, fetch transport) or in the
// `lastEventId` query parameter (a re-created native EventSource).
export function GET(request: Request): Response {
  const counter = stats();
  counter.ticks += 1;

  const header = request.headers.get('last-event-id');
  const param = new URL(request.url).searchParams.get('lastEventId');
  const last = Number(header || param || 0);
  let n = Number.isFinite(last) && last > 0 ? Math.floor(last) : 0;

  let timer: ReturnType<typeof setInterval> | undefined;
  let done = false;
  const stop = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    counter.open -= 1;
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      counter.open += 1;
      // retry: reconnect delay for the browser; a comment so the response starts at once.
      controller.enqueue(encoder.encode('retry: 1000\n: connected\n\n'));
      const send = () => {
        n += 1;
        try {
          controller.enqueue(encoder.encode(`id: ${n}\nevent: tick\ndata: ${JSON.stringify({ n, at: Date.now() })}\n\n`));
        } catch {
          stop();
        }
      };
      send();
      timer = setInterval(send, INTERVAL_MS);
      request.signal.addEventListener('abort', () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel: stop,
  });

  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
}
