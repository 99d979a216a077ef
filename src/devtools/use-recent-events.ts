import { useEffect, useRef, useState } from 'react';
import type { RawEvent } from '../core/client/event-taps';
import { usePool } from '../react/context';

/**
 * The last `max` events of every connection, for the devtools panel, through the pool's event
 * tap: no subscriber, no listener, nothing kept open. While the panel is collapsed it taps nothing.
 * Re-renders are coalesced to at most one per animation frame, however fast the streams are.
 */
export function useRecentEvents(enabled: boolean, max: number): ReadonlyMap<string, readonly RawEvent[]> {
  const pool = usePool('SseDevtools');
  const recent = useRef(new Map<string, RawEvent[]>());
  const [, setVersion] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let frame: number | undefined;
    const untap = pool.tapEvents((key, event) => {
      const list = recent.current.get(key) ?? [];
      list.push(event);
      if (list.length > max) list.splice(0, list.length - max);
      // A new array per change, so a row renders only when its own events changed.
      recent.current.set(key, list.slice());
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        setVersion((v) => v + 1);
      });
    });
    return () => {
      untap();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [pool, enabled, max]);

  return recent.current;
}
