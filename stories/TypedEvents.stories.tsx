import type { Meta, StoryObj } from '@storybook/react-vite';
import { z } from 'zod';
import { SseProvider, defineStream, useEventStream } from 'react-sse-hub';
import { Card, Live, Showcase, StatusPill } from './support/ui';

const order = z.object({
  id: z.number().int(),
  item: z.string(),
  qty: z.number().int().positive(),
  total: z.number(),
});

// zod implements Standard Schema: payloads are validated before any hook sees them.
const orders = defineStream<{ order: z.infer<typeof order> }>('/sse/demo/orders', {
  events: ['order'],
  schemas: { order },
});

const code = `
const order = z.object({ id: z.number().int(), item: z.string(), qty: z.number().int().positive(), total: z.number() });

const orders = defineStream<{ order: z.infer<typeof order> }>('/sse/demo/orders', {
  events: ['order'],
  schemas: { order },           // any Standard Schema: zod, valibot, arktype …
});

const { events, error } = useEventStream(orders);
// events[i].data is typed and valid; an invalid payload is dropped and reported:
// error = { kind: 'validation', eventType: 'order', message: '…' }
`;

function Orders() {
  const { events, error, status } = useEventStream(orders, { bufferSize: 8 });
  return (
    <>
      <Card title="Valid orders" extra={<StatusPill status={status} />}>
        <Live ready={events.length > 0}>
          <table className="sr-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Item</th>
                <th style={{ textAlign: 'right' }}>Qty</th>
                <th style={{ textAlign: 'right' }}>Total</th>
              </tr>
            </thead>
            <tbody>
              {[...events].reverse().map(({ data }) => (
                <tr key={data.id}>
                  <td className="sr-num">{data.id}</td>
                  <td>{data.item}</td>
                  <td className="sr-num" style={{ textAlign: 'right' }}>
                    {data.qty}
                  </td>
                  <td className="sr-num" style={{ textAlign: 'right' }}>
                    {data.total.toFixed(2)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Live>
      </Card>
      <Card title="Rejected by the schema">
        {error ? (
          <div data-testid="validation-error">
            <p style={{ margin: 0 }}>
              <span className="sr-tag">{error.kind}</span> event <code>{'eventType' in error ? error.eventType : ''}</code>
            </p>
            <p className="sr-error">{error.message}</p>
          </div>
        ) : (
          <p className="sr-muted" style={{ margin: 0 }}>
            Every fifth order (the 2nd, 7th …) sends <code>qty</code> as a string (<code>&quot;3 pcs&quot;</code>). It never reaches the table; it shows
            up here.
          </p>
        )}
      </Card>
    </>
  );
}

const meta = {
  title: 'Showroom/Typed events with a schema',
  tags: ['live'],
  parameters: {
    docs: { description: { story: 'zod as a Standard Schema in `defineStream(…, { schemas })`: valid payloads are typed, invalid ones become errors.' } },
  },
} satisfies Meta;
export default meta;

export const TypedEvents: StoryObj = {
  name: 'Typed events',
  // What a docs page's <Source of={…}> and Canvas show: the excerpt the story itself shows, not its render function.
  parameters: { docs: { source: { code: code.trim(), language: 'tsx' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Typed events with a schema"
        intro={
          <>
            <code>schemas</code> takes a Standard Schema per event type (here zod). Payloads are parsed and validated once per
            connection, before any hook sees them; an invalid one is dropped and reported as an error of kind{' '}
            <code>validation</code> while the stream keeps going.
          </>
        }
        code={code}
      >
        <Orders />
      </Showcase>
    </SseProvider>
  ),
};
