import { useEffect, useState } from 'react';
import { usePool } from '../react/context';
import { poolEntries } from '../core/client/pool-entries';

/** Events per second per connection, sampled once a second from the pool's counters. */
export function useEventRates(): Map<string, number> {
  const pool = usePool('SseDevtools');
  const [rates, setRates] = useState(() => new Map<string, number>());
  useEffect(() => {
    // Read from the pool when sampling, not from a render's entries: nothing to keep in sync.
    const counts = () => new Map(poolEntries(pool).map((e) => [e.key, e.eventsReceived]));
    let previous = counts();
    const timer = setInterval(() => {
      const now = counts();
      // A connection new since the last sample counts from now, not from zero.
      setRates(new Map([...now].map(([key, n]) => [key, Math.max(0, n - (previous.get(key) ?? n))])));
      previous = now;
    }, 1000);
    return () => clearInterval(timer);
  }, [pool]);
  return rates;
}
