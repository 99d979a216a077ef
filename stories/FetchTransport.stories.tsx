import { useMemo, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, defineStream, useEventStream, useSseEvent, useSseStatus } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { Card, ErrorLine, Live, Showcase, StatusPill } from './support/ui';

// ---- Auth header ---------------------------------------------------------------------------

interface Balance {
  account: string;
  balance: number;
  n: number;
}
const secure = defineStream<{ balance: Balance }>('/sse/demo/secure', {
  events: ['balance'],
  headers: { Authorization: 'Bearer demo-token' }, // headers imply transport: 'fetch'
});
const wrongToken = defineStream<{ balance: Balance }>('/sse/demo/secure', {
  events: ['balance'],
  headers: { Authorization: 'Bearer expired-token' },
});

const authCode = `
const secure = defineStream<{ balance: Balance }>('/sse/demo/secure', {
  events: ['balance'],
  headers: { Authorization: 'Bearer demo-token' },  // implies transport: 'fetch'
  // or a function, called on every (re)connect: headers: async () => ({ Authorization: \`Bearer \${await getToken()}\` })
});

const { status, lastEvent, error } = useEventStream(secure);
// A 401 is not retried: status 'closed', error { kind: 'http', status: 401, message: 'Check the credentials …' }
`;

function BalanceCard({ stream, title }: { stream: typeof secure; title: string }) {
  const { status, lastEvent, error, reconnect } = useEventStream(stream, { bufferSize: 1 });
  return (
    <Card title={title} extra={<StatusPill status={status} />}>
      <div className="sr-big">
        {lastEvent ? lastEvent.data.balance.toFixed(2) : '–'}
        <small>EUR</small>
      </div>
      <p className="sr-muted" style={{ margin: '4px 0 0', fontSize: 13 }}>
        last id {lastEvent?.id ?? '–'} · via fetch with an <code>Authorization</code> header
      </p>
      <ErrorLine error={error} />
      {status === 'closed' && (
        <button type="button" className="sr-button" style={{ marginTop: 8 }} onClick={reconnect}>
          Reconnect
        </button>
      )}
    </Card>
  );
}

function Auth() {
  const [tryWrong, setTryWrong] = useState(false);
  const { status } = useSseStatus(secure);
  return (
    <>
      <Live ready={status === 'open'}>
        <BalanceCard stream={secure} title="Bearer demo-token" />
      </Live>
      {tryWrong ? (
        <BalanceCard stream={wrongToken} title="Bearer expired-token" />
      ) : (
        <div>
          <button type="button" className="sr-button" onClick={() => setTryWrong(true)}>
            Try a wrong token
          </button>
        </div>
      )}
    </>
  );
}

// ---- POST completion --------------------------------------------------------------------------

interface Token {
  text: string;
  index: number;
}
type Completion = { token: Token; done: { tokens: number } };

const completionCode = `
const completion = defineStream<{ token: Token; done: Done }>('/sse/demo/complete', {
  events: ['token', 'done'],
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ prompt }),
});

function Answer() {
  const { events, close } = useEventStream(completion, { events: ['token'], bufferSize: 2000 });
  // The server says when it is finished; close() so that the end of the response is not a reconnect.
  useSseEvent(completion, 'done', () => close());
  return <p>{events.map((e) => e.data.text).join('')}</p>;
}
`;

function Answer({ prompt, run }: { prompt: string; run: number }) {
  const stream = useMemo(
    () =>
      defineStream<Completion>(`/sse/demo/complete?run=${run}`, {
        events: ['token', 'done'],
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prompt }),
      }),
    [prompt, run],
  );
  const [done, setDone] = useState(false);
  const { events, status, error, close } = useEventStream(stream, { events: ['token'], bufferSize: 2000 });
  useSseEvent(stream, 'done', () => {
    setDone(true);
    close();
  });
  const text = events.map((e) => (e.type === 'token' ? e.data.text : '')).join('');
  return (
    <Card title="Answer" extra={done ? <span className="sr-pill sr-pill--open">done</span> : <StatusPill status={status} />}>
      <Live ready={events.length > 0}>
        <p className="sr-stream" data-completion={done ? 'done' : 'streaming'}>
          {text}
          {!done && <span className="sr-caret" />}
        </p>
      </Live>
      <p className="sr-muted" style={{ margin: '6px 0 0', fontSize: 12 }}>
        {events.length} tokens{done ? ' · finished, connection closed' : ''}
      </p>
      <ErrorLine error={error} />
    </Card>
  );
}

function Completion() {
  const [draft, setDraft] = useState('Explain server-sent events');
  const [request, setRequest] = useState({ prompt: draft, run: 1 });
  return (
    <>
      <form
        className="sr-row"
        onSubmit={(e) => {
          e.preventDefault();
          setRequest((r) => ({ prompt: draft, run: r.run + 1 }));
        }}
      >
        <input className="sr-input" value={draft} onChange={(e) => setDraft(e.target.value)} aria-label="Prompt" />
        <button type="submit" className="sr-button sr-button--primary">
          Generate
        </button>
      </form>
      <Answer key={request.run} prompt={request.prompt} run={request.run} />
    </>
  );
}

const meta = {
  title: 'Showroom/Fetch transport',
  tags: ['live'],
} satisfies Meta;
export default meta;

export const AuthHeader: StoryObj = {
  name: 'Auth header',
  parameters: { docs: { description: { story: 'A Bearer-protected stream: `headers` select the fetch transport; a 401 closes with a clear error.' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Fetch transport: an Authorization header"
        intro={
          <>
            A native <code>EventSource</code> cannot send headers. Setting <code>headers</code> (or <code>method</code>/<code>body</code>)
            switches the stream to the fetch transport, which speaks the same wire format and resumes with Last-Event-ID. A wrong token
            gets a 401: not retried, status <code>closed</code>, and an error that says what to do.
          </>
        }
        code={authCode}
        aside={<SseDevtools />}
      >
        <Auth />
      </Showcase>
    </SseProvider>
  ),
};

export const LlmCompletion: StoryObj = {
  name: 'LLM completion',
  parameters: { docs: { description: { story: 'A POST request with a JSON body, answered token by token as server-sent events.' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Fetch transport: a POST token stream"
        intro={
          <>
            LLM-style streaming: <code>POST /sse/demo/complete</code> with a JSON body, answered token by token. Each token has an id, so
            a dropped connection resumes mid-answer; once the answer is complete the server replies 204 to a resume, the spec&apos;s
            &ldquo;stop&rdquo; signal.
          </>
        }
        code={completionCode}
      >
        <Completion />
      </Showcase>
    </SseProvider>
  ),
};
