'use client';

import { useSseStatus, type StreamDescriptor } from 'react-sse-hub';

export function StreamStatus({ stream }: { stream: StreamDescriptor }) {
  const { status, retryCount, error } = useSseStatus(stream);
  return (
    <section>
      <h2>useSseStatus</h2>
      <p>
        status: <b data-testid="status">{status}</b>, retries: <span data-testid="retries">{retryCount}</span>
        {error ? <span data-testid="error"> ({error.kind})</span> : null}
      </p>
    </section>
  );
}
