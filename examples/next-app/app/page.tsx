// A Server Component that uses the shared stream module on the server: it renders the stream's URL
// and hands the descriptor to client components as a prop (a descriptor is plain, serialisable data).
import { ticks } from './streams';
import { LatestTick } from './components/latest-tick';
import { TickLog } from './components/tick-log';
import { StreamStatus } from './components/stream-status';

export const dynamic = 'force-dynamic';

export default function Page() {
  return (
    <main>
      <h1>react-sse-hub in the App Router</h1>
      <p>
        Stream <code data-testid="stream-url">{ticks.url}</code> (events: {ticks.options.events?.join(', ')}), rendered on
        the server at <span data-testid="rendered-on">server</span>.
      </p>
      {/* Imports `ticks` itself. */}
      <LatestTick />
      {/* Receive the descriptor from this Server Component. */}
      <TickLog stream={ticks} />
      <StreamStatus stream={ticks} />
    </main>
  );
}
