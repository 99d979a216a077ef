import { useEffect, useRef, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useSseEvent, useSseStatus } from 'react-sse-hub';
import { prices } from './support/streams';
import { Card, Live, Showcase, Sparkline, StatusPill } from './support/ui';

const code = `
function Ticker() {
  // Hundreds of ticks per second: collect them in a ref (no render per event) ...
  const book = useRef(new Map<string, Quote>());
  useSseEvent(prices, 'tick', (e) => book.current.set(e.data.symbol, update(book.current.get(e.data.symbol), e.data)));
  // ... and paint four times a second.
  const [snapshot, setSnapshot] = useState<Quote[]>([]);
  useEffect(() => {
    const timer = setInterval(() => setSnapshot([...book.current.values()]), 250);
    return () => clearInterval(timer);
  }, []);
  return <Table rows={snapshot} />;
}
`;

interface Quote {
  symbol: string;
  price: number;
  open: number;
  ticks: number;
  history: number[];
}

function Ticker() {
  const { status } = useSseStatus(prices);
  const book = useRef(new Map<string, Quote>());
  const total = useRef(0);
  useSseEvent(prices, 'tick', ({ data }) => {
    total.current++;
    const quote = book.current.get(data.symbol);
    if (quote) {
      quote.price = data.price;
      quote.ticks++;
    } else {
      book.current.set(data.symbol, { symbol: data.symbol, price: data.price, open: data.price, ticks: 1, history: [data.price] });
    }
  });
  const [view, setView] = useState<{ rows: Quote[]; rate: number; total: number }>({ rows: [], rate: 0, total: 0 });
  useEffect(() => {
    let previous = total.current;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      for (const quote of book.current.values()) quote.history = [...quote.history, quote.price].slice(-80);
      const rows = [...book.current.values()].sort((a, b) => a.symbol.localeCompare(b.symbol)).map((q) => ({ ...q }));
      setView({ rows, rate: ((total.current - previous) * 1000) / (now - last), total: total.current });
      previous = total.current;
      last = now;
    }, 250);
    return () => clearInterval(timer);
  }, []);

  return (
    <Card
      title="Quotes"
      extra={
        <div className="sr-row">
          <span className="sr-muted sr-num" data-testid="tick-rate">
            {Math.round(view.rate)} ticks/s · {view.total.toLocaleString()} total
          </span>
          <StatusPill status={status} />
        </div>
      }
    >
      <Live ready={view.total > 0}>
        <table className="sr-table">
          <thead>
            <tr>
              <th>Symbol</th>
              <th style={{ textAlign: 'right' }}>Price</th>
              <th style={{ textAlign: 'right' }}>Change</th>
              <th style={{ textAlign: 'right' }}>Ticks</th>
              <th style={{ width: '40%' }}>Last 20 s</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((q) => {
              const change = ((q.price - q.open) / q.open) * 100;
              return (
                <tr key={q.symbol}>
                  <td>
                    <b>{q.symbol}</b>
                  </td>
                  <td className="sr-num" style={{ textAlign: 'right' }}>
                    {q.price.toFixed(2)}
                  </td>
                  <td className={`sr-num ${change >= 0 ? 'sr-up' : 'sr-down'}`} style={{ textAlign: 'right' }}>
                    {change >= 0 ? '+' : ''}
                    {change.toFixed(2)}%
                  </td>
                  <td className="sr-num" style={{ textAlign: 'right' }}>
                    {q.ticks.toLocaleString()}
                  </td>
                  <td>
                    <Sparkline values={q.history} capacity={80} height={22} color={change >= 0 ? '#1f8a5b' : '#c2413b'} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Live>
    </Card>
  );
}

const meta = {
  title: 'Showroom/Price ticker',
  tags: ['live'],
  parameters: {
    docs: { description: { story: 'About 400 events per second: `useSseEvent` writes into a ref and the table repaints four times a second.' } },
  },
} satisfies Meta;
export default meta;

export const PriceTicker: StoryObj = {
  name: 'High-frequency ticker',
  render: () => (
    <SseProvider>
      <Showcase
        title="High-frequency price ticker"
        intro={
          <>
            <code>/sse/demo/prices</code> sends about 400 <code>tick</code> events per second. Rendering on every one would waste the
            main thread, so <code>useSseEvent</code> writes each tick into a ref and the table repaints four times a second.
          </>
        }
        code={code}
      >
        <Ticker />
      </Showcase>
    </SseProvider>
  ),
};
