'use client';

import { useLatestEvent } from 'react-sse-hub';
import { ticks } from '../streams';

export function LatestTick() {
  const { data, status } = useLatestEvent(ticks, 'tick');
  return (
    <section>
      <h2>useLatestEvent</h2>
      <p>
        latest tick: <b data-testid="latest-n">{data ? data.n : '-'}</b> (<span data-testid="latest-status">{status}</span>)
      </p>
    </section>
  );
}
