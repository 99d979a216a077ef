import { useState, type CSSProperties } from 'react';
import type { PoolEntry } from '../core/types';
import { useSsePool } from '../react/use-sse-pool';
import { ConnectionRow, shortUrl } from './connection-row';
import { DevtoolsErrorBoundary } from './devtools-error-boundary';
import { header, muted, oneLine, panel, row } from './styles';
import { useEventRates } from './use-event-rates';
import { useRecentEvents } from './use-recent-events';

export interface SseDevtoolsProps {
  /** Start collapsed. Default false. */
  initiallyCollapsed?: boolean | undefined;
  /** Events kept per connection for the "last events" list. Default 5. */
  maxEvents?: number | undefined;
  style?: CSSProperties | undefined;
}

/**
 * A small panel listing every connection of the surrounding <SseProvider>: URL, status,
 * subscribers, event rate, retries, owner tab, the last events (expandable JSON) and the
 * per-origin queue. Dependency-free; costs nothing unless rendered, and little while collapsed.
 * Any payload renders (non-strings described, long ones cut); should the panel still throw, it
 * shows "devtools failed: …" in its place and the app around it stays mounted.
 *
 * @example
 * <SseProvider>
 *   <App />
 *   {import.meta.env.DEV && <SseDevtools initiallyCollapsed />}
 * </SseProvider>
 */
export function SseDevtools(props: SseDevtoolsProps) {
  return (
    <DevtoolsErrorBoundary>
      <DevtoolsPanel {...props} />
    </DevtoolsErrorBoundary>
  );
}

function DevtoolsPanel({ initiallyCollapsed = false, maxEvents = 5, style }: SseDevtoolsProps) {
  const entries = useSsePool();
  const [collapsed, setCollapsed] = useState(initiallyCollapsed);
  const rates = useEventRates();
  const recent = useRecentEvents(!collapsed, maxEvents);
  const open = entries.filter((e) => e.status === 'open').length;
  const queues = queuesByOrigin(entries);
  const queued = entries.filter((e) => e.status === 'queued').length;
  return (
    <section aria-label="SSE devtools" data-sse-devtools="" style={{ ...panel, ...style }}>
      <button type="button" onClick={() => setCollapsed((c) => !c)} aria-expanded={!collapsed} style={header}>
        <span>{collapsed ? '▸' : '▾'}</span>
        <span style={{ flex: 1 }}>SSE devtools</span>
        <span style={{ fontWeight: 400, color: '#aab4c3' }}>
          {entries.length} conn · {open} open{queued > 0 ? ` · ${queued} queued` : ''}
        </span>
      </button>
      {!collapsed && (
        <>
          {entries.length === 0 && <p style={{ ...row, margin: 0, ...muted }}>No connections: nothing under this provider subscribes.</p>}
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {entries.map((entry) => (
              <ConnectionRow
                key={entry.key}
                entry={entry}
                rate={rates.get(entry.key) ?? 0}
                events={recent.get(entry.key)}
              />
            ))}
          </ul>
          {[...queues].map(([origin, { holding, waiting }]) => (
            <div key={origin} style={{ ...row, background: '#f7f5fc' }} data-queue={origin}>
              <div>
                <b>Queue</b> <span style={muted}>{origin}</span> · {holding} holding a slot · {waiting.length} waiting
              </div>
              <ol style={{ margin: '2px 0 0', paddingLeft: 20 }}>
                {waiting.map((e) => (
                  <li key={e.key} title={e.url} style={oneLine}>
                    {shortUrl(e.url)}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </>
      )}
    </section>
  );
}

/** Origins with streams waiting for a slot under maxConnectionsPerOrigin, each queue in order. */
function queuesByOrigin(entries: readonly PoolEntry[]) {
  const queues = new Map<string, { holding: number; waiting: PoolEntry[] }>();
  const queued = entries.filter((e) => e.status === 'queued').sort((a, b) => (a.queuePosition ?? 0) - (b.queuePosition ?? 0));
  for (const entry of queued) {
    const origin = originOf(entry.url);
    const queue = queues.get(origin) ?? {
      // A connection keeps its slot while open, connecting or waiting out a backoff.
      holding: entries.filter(
        (e) => e.owner === 'this-tab' && originOf(e.url) === origin && (e.status === 'open' || e.status === 'connecting' || e.status === 'reconnecting'),
      ).length,
      waiting: [],
    };
    queue.waiting.push(entry);
    queues.set(origin, queue);
  }
  return queues;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
