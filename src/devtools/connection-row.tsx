import { useState } from 'react';
import type { RawEvent } from '../core/client/event-taps';
import type { PoolEntry } from '../core/types';
import { describeData, describeValue } from './describe-value';
import { muted, oneLine, pill, pre, row, STATUS_COLORS, toggle } from './styles';

export interface ConnectionRowProps {
  entry: PoolEntry;
  rate: number;
  events: readonly RawEvent[] | undefined;
}

/** One connection: status, counters, error, and its last events as expandable JSON. */
export function ConnectionRow({ entry, rate, events }: ConnectionRowProps) {
  const [open, setOpen] = useState(false);
  // Opening one event freezes the list: at hundreds of events per second it would be gone at once.
  const [frozen, setFrozen] = useState<readonly RawEvent[] | undefined>();
  const shown = frozen ?? events ?? [];
  const stat = (label: string, value: string | number) => (
    <span>
      <span style={muted}>{label}</span> {value}
    </span>
  );
  return (
    <li style={row} data-url={entry.url} data-status={entry.status} data-owner={entry.owner} data-protocol={entry.protocol}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <span style={pill(entry.status)}>{entry.status}</span>
        <span title={entry.url} style={{ ...oneLine, flex: 1, minWidth: 0, fontWeight: 600 }}>
          {shortUrl(entry.url)}
        </span>
        <span title="subscribers (hooks using this connection)">{entry.subscribers}×</span>
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '2px 12px', marginTop: 3 }}>
        {stat('events', entry.eventsReceived)}
        {stat('rate', `${rate.toFixed(rate >= 10 ? 0 : 1)}/s`)}
        {stat('retries', entry.retryCount)}
        {stat('owner', entry.owner)}
        {stat('via', entry.protocol ? `${entry.transport} · ${entry.protocol}` : entry.transport)}
        {stat('last id', entry.lastEventId ?? '–')}
        {entry.queuePosition !== undefined && stat('queue', `#${entry.queuePosition}`)}
      </div>
      {entry.error && (
        <div style={{ color: STATUS_COLORS.closed, marginTop: 3 }}>
          {entry.error.kind}
          {entry.error.kind === 'http' ? ` ${entry.error.status}` : ''}: {describeValue(entry.error.message, 500)}
        </div>
      )}
      {shown.length > 0 && (
        <div style={{ marginTop: 3 }}>
          <button type="button" style={toggle} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? '▾' : '▸'} last {shown.length} event{shown.length === 1 ? '' : 's'}
          </button>
          {open && frozen && (
            <button type="button" style={{ ...toggle, marginLeft: 10 }} onClick={() => setFrozen(undefined)}>
              ▶ paused, resume
            </button>
          )}
          {open &&
            [...shown].reverse().map((event) => (
              <details
                key={keyOf(event)}
                style={{ marginTop: 2 }}
                // Freeze on pointer down, before the click lands: the row under the pointer must not scroll away.
                onPointerDown={() => setFrozen((f) => f ?? [...shown])}
                onToggle={(e) => {
                  if (e.currentTarget.open) setFrozen((f) => f ?? [...shown]);
                }}
              >
                <summary style={{ ...oneLine, cursor: 'pointer' }}>
                  <span style={muted}>{new Date(event.receivedAt).toLocaleTimeString()}</span> {describeValue(event.type)}
                  {event.id !== undefined ? ` #${describeValue(event.id)}` : ''} <span style={muted}>{describeValue(event.data, 80)}</span>
                </summary>
                <pre style={pre}>{describeData(event.data)}</pre>
              </details>
            ))}
        </div>
      )}
    </li>
  );
}

// Events are immutable objects: their identity is a stable React key.
const keys = new WeakMap<RawEvent, number>();
let nextKey = 0;
function keyOf(event: RawEvent): number {
  let key = keys.get(event);
  if (key === undefined) keys.set(event, (key = ++nextKey));
  return key;
}

export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return typeof location !== 'undefined' && parsed.origin === location.origin ? parsed.pathname + parsed.search : url;
  } catch {
    return url;
  }
}
