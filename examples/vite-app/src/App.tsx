import { useLatestEvent, useEventStream, useSseStatus } from 'react-sse-hub';
import { ticks } from './streams';

function LatestTick() {
  const { data, status } = useLatestEvent(ticks, 'tick');
  return (
    <p>
      useLatestEvent: <b data-testid="latest-n">{data ? data.n : '-'}</b> (<span data-testid="latest-status">{status}</span>)
    </p>
  );
}

function EvenTicks() {
  // Re-renders only when the selected value changes.
  const even = useLatestEvent(ticks, 'tick', { select: (t) => t.n - (t.n % 2) }).data;
  return (
    <p>
      useLatestEvent with select: <b data-testid="even-n">{even ?? '-'}</b>
    </p>
  );
}

function TickLog() {
  const { events, lastEventId } = useEventStream(ticks, { bufferSize: 5 });
  return (
    <div>
      <p>
        useEventStream: last id <b data-testid="log-last-id">{lastEventId ?? '-'}</b>, buffered{' '}
        <span data-testid="log-count">{events.length}</span>
      </p>
      <ol>
        {events.map((event) => (
          <li key={event.id}>
            {event.type} #{event.data.n}
          </li>
        ))}
      </ol>
    </div>
  );
}

function StreamStatus() {
  const { status, retryCount } = useSseStatus(ticks);
  return (
    <p>
      useSseStatus: <b data-testid="status">{status}</b>, retries <span data-testid="retries">{retryCount}</span>
    </p>
  );
}

export function App() {
  return (
    <main>
      <h1>react-sse-hub in a Vite app</h1>
      <p>
        Four components, one stream: <code data-testid="stream-url">{ticks.url}</code>
      </p>
      <LatestTick />
      <EvenTicks />
      <TickLog />
      <StreamStatus />
    </main>
  );
}
