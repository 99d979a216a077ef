import { useLatestEvent } from 'react-sse-hub';
import { metrics, type Metrics } from './streams';
import { StatusPill } from './ui';

const FIELDS = ['cpu', 'memory', 'rps'] as const satisfies readonly (keyof Metrics)[];

/** One card reading one field of the shared metrics stream: the `index`-th of cpu, memory, rps in turn. */
export function MetricWidget({ index }: { index: number }) {
  const field = FIELDS[index % FIELDS.length]!;
  const { data, status } = useLatestEvent(metrics, 'metrics', { select: (m) => m[field] });
  return (
    <div className="sr-card" style={{ padding: '10px 12px' }}>
      <div className="sr-row" style={{ justifyContent: 'space-between' }}>
        <span className="sr-muted" style={{ fontSize: 12 }}>
          #{index + 1} · {field}
        </span>
        <StatusPill status={status} />
      </div>
      <div className="sr-num" style={{ fontSize: 18, marginTop: 4 }}>
        {data ?? '…'}
      </div>
    </div>
  );
}
