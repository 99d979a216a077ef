import { useEffect, useState, type ReactNode } from 'react';
import type { Decorator } from '@storybook/react-vite';

type Health = 'checking' | 'up' | 'down';
let known: Promise<boolean> | undefined;

/** One health check per page load: the endpoints exist only under `npm run storybook`. */
function checkDemoServer(): Promise<boolean> {
  known ??= fetch('/sse/demo/health', { cache: 'no-store' })
    .then((res) => (res.ok ? res.json() : undefined))
    .then((body: { server?: string } | undefined) => body?.server === 'react-sse-hub-demo')
    .catch(() => false);
  return known;
}

function DemoServerGate({ children }: { children: ReactNode }) {
  const [health, setHealth] = useState<Health>('checking');
  useEffect(() => {
    let live = true;
    void checkDemoServer().then((up) => live && setHealth(up ? 'up' : 'down'));
    return () => {
      live = false;
    };
  }, []);
  if (health === 'up') return <>{children}</>;
  if (health === 'checking') return <p className="sr-gate">Looking for the demo SSE server…</p>;
  return (
    <div className="sr-notice" role="alert" data-demo-server="missing">
      <strong>This story needs the demo SSE server.</strong>
      <p>
        Its endpoints (<code>/sse/demo/…</code>) are served by the Storybook dev server itself, so they are not part of this static
        build. Run the showroom locally:
      </p>
      <pre>npm ci{'\n'}npm run storybook</pre>
    </div>
  );
}

/** Wraps every story that streams from /sse/demo/ (all but those with `parameters.demoServer: false`). */
export const withDemoServer: Decorator = (Story, context) =>
  context.parameters.demoServer === false ? (
    <Story />
  ) : (
    <DemoServerGate>
      <Story />
    </DemoServerGate>
  );
