import { useEffect, useRef, useState } from 'react';
import type { PoolEntry } from '../core/types';

/** Events per second per connection, sampled once a second from the pool's counters. */
export function useEventRates(entries: readonly PoolEntry[]): Map<string, number> {
  const latest = useRef(entries);
  // Updated after commit, not during render: a discarded render must not leak its entries.
  useEffect(() => {
    latest.current = entries;
  });
  const [rates, setRates] = useState(() => new Map<string, number>());
  useEffect(() => {
    let previous = new Map(latest.current.map((e) => [e.key, e.eventsReceived]));
    const timer = setInterval(() => {
      const next = new Map<string, number>();
      const counts = new Map<string, number>();
      for (const entry of latest.current) {
        counts.set(entry.key, entry.eventsReceived);
        next.set(entry.key, Math.max(0, entry.eventsReceived - (previous.get(entry.key) ?? entry.eventsReceived)));
      }
      previous = counts;
      setRates(next);
    }, 1000);
    return () => clearInterval(timer);
  }, []);
  return rates;
}
