'use client';

import { useEventStream, type StreamDescriptor } from 'react-sse-hub';
import type { Tick } from '../streams';

export function TickLog({ stream }: { stream: StreamDescriptor<{ tick: Tick }> }) {
  const { events, lastEventId } = useEventStream(stream, { bufferSize: 5 });
  return (
    <section>
      <h2>useEventStream</h2>
      <p>
        last id: <b data-testid="log-last-id">{lastEventId ?? '-'}</b>, buffered: <span data-testid="log-count">{events.length}</span>
      </p>
      <ol>
        {events.map((event) => (
          <li key={event.id}>
            {event.type} #{event.data.n}
          </li>
        ))}
      </ol>
    </section>
  );
}
