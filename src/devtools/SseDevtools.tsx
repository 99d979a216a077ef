import { useState, type CSSProperties } from 'react';
import type { PoolEntry, StreamStatus } from '../core/types';
import { useSsePool } from '../react/useSsePool';
import { useEventRates } from './use-event-rates';

export interface SseDevtoolsProps {
  /** Start collapsed. Default false. */
  initiallyCollapsed?: boolean;
  style?: CSSProperties;
}

const STATUS_COLORS: Record<StreamStatus, string> = {
  open: '#1f9d55',
  connecting: '#2b6cb0',
  reconnecting: '#d69e2e',
  queued: '#805ad5',
  paused: '#718096',
  closed: '#c53030',
};

const cell: CSSProperties = { padding: '4px 8px', borderBottom: '1px solid #e2e8f0', textAlign: 'left', verticalAlign: 'top' };

/**
 * A small panel listing every connection of the surrounding <SseProvider>: status, subscribers,
 * event rate, retries, owner tab and the per-origin queue. Costs nothing unless rendered.
 *
 * @example
 * <SseProvider><App /><SseDevtools /></SseProvider>
 */
export function SseDevtools({ initiallyCollapsed = false, style }: SseDevtoolsProps) {
  const entries = useSsePool();
  const rates = useEventRates(entries);
  const [collapsed, setCollapsed] = useState(initiallyCollapsed);
  const queued = entries.filter((e) => e.status === 'queued').sort((a, b) => (a.queuePosition ?? 0) - (b.queuePosition ?? 0));
  return (
    <section
      aria-label="SSE devtools"
      style={{ font: '12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace', border: '1px solid #cbd5e0', borderRadius: 6, background: '#fff', color: '#1a202c', ...style }}
    >
      <button
        type="button"
        onClick={() => setCollapsed((c) => !c)}
        aria-expanded={!collapsed}
        style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%', padding: '6px 10px', fontWeight: 600, background: '#f7fafc', borderRadius: 6 }}
      >
        {collapsed ? '▸' : '▾'} SSE connections: {entries.length}
        {queued.length > 0 ? ` · ${queued.length} queued` : ''}
      </button>
      {!collapsed && (
        <table style={{ borderCollapse: 'collapse', width: '100%' }}>
          <thead>
            <tr>
              {['URL', 'status', 'subs', 'events', 'rate', 'retries', 'owner', 'last id'].map((h) => (
                <th key={h} style={{ ...cell, color: '#4a5568' }}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <Row key={entry.key} entry={entry} rate={rates.get(entry.key) ?? 0} />
            ))}
          </tbody>
        </table>
      )}
      {!collapsed && queued.length > 0 && (
        <p style={{ margin: 0, padding: '6px 10px' }}>Queue: {queued.map((e) => `${e.queuePosition}. ${shortUrl(e.url)}`).join('  ')}</p>
      )}
    </section>
  );
}

function Row({ entry, rate }: { entry: PoolEntry; rate: number }) {
  return (
    <tr data-status={entry.status}>
      <td style={cell} title={entry.url}>
        {shortUrl(entry.url)}
        {entry.error && <div style={{ color: STATUS_COLORS.closed }}>{`${entry.error.kind}: ${entry.error.message}`}</div>}
      </td>
      <td style={cell}>
        <span style={{ background: STATUS_COLORS[entry.status], color: '#fff', borderRadius: 9, padding: '1px 7px' }}>{entry.status}</span>
      </td>
      <td style={cell}>{entry.subscribers}</td>
      <td style={cell}>{entry.eventsReceived}</td>
      <td style={cell}>{rate.toFixed(1)}/s</td>
      <td style={cell}>{entry.retryCount}</td>
      <td style={cell}>{entry.owner}</td>
      <td style={cell}>{entry.lastEventId ?? '–'}</td>
    </tr>
  );
}

function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return typeof location !== 'undefined' && parsed.origin === location.origin ? parsed.pathname + parsed.search : url;
  } catch {
    return url;
  }
}
