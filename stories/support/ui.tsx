import type { ReactNode } from 'react';
import type { StreamError, StreamStatus } from 'react-sse-hub';

/** The frame of every showroom story: what it shows, the live part, and the code that does it. */
export function Showcase({ title, intro, code, children, aside }: { title: string; intro: ReactNode; code: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <main className="sr-page">
      <header className="sr-header">
        <h1>{title}</h1>
        <p>{intro}</p>
      </header>
      <div className={aside ? 'sr-body sr-body--aside' : 'sr-body'}>
        <div className="sr-stage">{children}</div>
        {aside && <aside className="sr-aside">{aside}</aside>}
      </div>
      <details className="sr-code" open>
        <summary>The code</summary>
        <pre>
          <code>{code.trim()}</code>
        </pre>
      </details>
    </main>
  );
}

export function Card({ title, children, extra, className }: { title: ReactNode; children: ReactNode; extra?: ReactNode; className?: string }) {
  return (
    <section className={`sr-card ${className ?? ''}`}>
      <header className="sr-card-head">
        <h2>{title}</h2>
        {extra}
      </header>
      {children}
    </section>
  );
}

export function StatusPill({ status }: { status: StreamStatus }) {
  return (
    <span className={`sr-pill sr-pill--${status}`} data-status={status}>
      {status}
    </span>
  );
}

export function ErrorLine({ error }: { error: StreamError | undefined }) {
  if (!error) return null;
  return (
    <p className="sr-error" role="status">
      <b>{error.kind}</b>
      {error.kind === 'http' ? ` (HTTP ${error.status})` : ''}: {error.message}
    </p>
  );
}

/** Marks the element the browser test waits for: data has arrived from the demo server. */
export function Live({ ready, children, className }: { ready: boolean; children: ReactNode; className?: string }) {
  return (
    <div className={className} data-live-ready={ready ? 'true' : 'false'}>
      {children}
    </div>
  );
}

/** A dependency-free sparkline: a polyline plus a soft area, scaled to [min, max]. */
/**
 * `capacity` fixes the x scale (a full buffer spans the width, newest point at the right edge), so
 * the line grows in from the right instead of stretching while the buffer fills.
 */
export function Sparkline({ values, min, max, capacity, width = 240, height = 56, color = 'var(--sr-accent)' }: { values: readonly number[]; min?: number | undefined; max?: number | undefined; capacity?: number | undefined; width?: number | undefined; height?: number | undefined; color?: string | undefined }) {
  const lo = min ?? Math.min(...values);
  const hi = max ?? Math.max(...values);
  const span = hi - lo || 1;
  const pad = 2;
  const slots = Math.max(capacity ?? values.length, values.length);
  const step = slots > 1 ? (width - pad * 2) / (slots - 1) : 0;
  const x0 = pad + (slots - values.length) * step;
  const points = values.map((v, i) => `${(x0 + i * step).toFixed(1)},${(pad + (height - pad * 2) * (1 - (v - lo) / span)).toFixed(1)}`);
  const last = points[points.length - 1]?.split(',');
  return (
    <svg className="sr-spark" viewBox={`0 0 ${width} ${height}`} width="100%" height={height} preserveAspectRatio="none" role="img" aria-label="sparkline">
      {points.length > 1 && (
        <>
          <polygon points={`${x0.toFixed(1)},${height - pad} ${points.join(' ')} ${(x0 + (values.length - 1) * step).toFixed(1)},${height - pad}`} fill={color} opacity={0.12} />
          <polyline points={points.join(' ')} fill="none" stroke={color} strokeWidth={1.75} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />
        </>
      )}
      {last && <circle cx={last[0]} cy={last[1]} r={2.5} fill={color} />}
    </svg>
  );
}

export const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Buttons that pick the transport a demo runs on; the first of `options` is where it starts. */
export function TransportPicker({ value, options, onChange }: { value: 'eventsource' | 'fetch'; options: readonly ('eventsource' | 'fetch')[]; onChange(t: 'eventsource' | 'fetch'): void }) {
  return (
    <div className="sr-row">
      <span className="sr-muted">Transport:</span>
      {options.map((t) => (
        <button key={t} type="button" className={`sr-button ${t === value ? 'sr-button--primary' : ''}`} onClick={() => onChange(t)} aria-pressed={t === value}>
          {t}
        </button>
      ))}
    </div>
  );
}
