import { useCallback, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, useSseEvent, useSseStatus } from 'react-sse-hub';
import { notifications, type Notification } from './support/streams';
import { Card, Live, Showcase, StatusPill } from './support/ui';

const code = `
function Toaster() {
  const [toasts, setToasts] = useState<Notification[]>([]);
  // A side effect per event; the calling component is never re-rendered by the stream itself.
  useSseEvent(notifications, 'notification', (event) => {
    setToasts((list) => [...list.slice(-3), event.data]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== event.data.id)), 6000);
  });
  return <div className="toasts">{toasts.map((t) => <Toast key={t.id} {...t} />)}</div>;
}
`;

function Toaster({ onToast }: { onToast: (n: Notification) => void }) {
  const [toasts, setToasts] = useState<Notification[]>([]);
  useSseEvent(notifications, 'notification', (event) => {
    onToast(event.data);
    setToasts((list) => [...list.slice(-3), event.data]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== event.data.id)), 6000);
  });
  return (
    <div className="sr-toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`sr-toast sr-toast--${toast.level}`} role="status">
          <div className="sr-muted" style={{ fontSize: 11, textTransform: 'uppercase', letterSpacing: '0.05em' }}>
            {toast.level}
          </div>
          {toast.text}
        </div>
      ))}
    </div>
  );
}

function Inbox() {
  const { status } = useSseStatus(notifications);
  const [history, setHistory] = useState<Notification[]>([]);
  const add = useCallback((n: Notification) => setHistory((list) => [n, ...list].slice(0, 6)), []);
  return (
    <>
      <Card title="Received" extra={<StatusPill status={status} />}>
        <Live ready={history.length > 0}>
          {history.length === 0 ? (
            <p className="sr-muted">The first notification arrives in a moment; a new one every 2.5 s.</p>
          ) : (
            <ul className="sr-list">
              {history.map((n) => (
                <li key={n.id}>
                  <span className="sr-tag">{n.level}</span>
                  <span style={{ flex: 1 }}>{n.text}</span>
                  <span className="sr-muted sr-num">#{n.id}</span>
                </li>
              ))}
            </ul>
          )}
        </Live>
      </Card>
      <Toaster onToast={add} />
    </>
  );
}

const meta = {
  title: 'Showroom/Notifications',
  tags: ['live'],
  parameters: {
    docs: { description: { story: '`useSseEvent` turns each `notification` event into a toast; handlers run per event and never re-render the caller.' } },
  },
} satisfies Meta;
export default meta;

export const Notifications: StoryObj = {
  // What a docs page's <Source of={…}> and Canvas show: the excerpt the story itself shows, not its render function.
  parameters: { docs: { source: { code: code.trim(), language: 'tsx' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Notifications"
        intro={
          <>
            <code>useSseEvent</code> runs a handler for every <code>notification</code> event: here it shows a toast (bottom right) and
            logs it. The handler always sees the latest props, and the stream alone never re-renders the component that owns it.
          </>
        }
        code={code}
      >
        <Inbox />
      </Showcase>
    </SseProvider>
  ),
};

