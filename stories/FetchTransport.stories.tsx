import { useMemo, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, defineStream, useEventStream, useSseStatus } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { Card, ErrorLine, Live, Showcase, StatusPill } from './support/ui';
import { usePostCount } from './support/use-post-count';

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

/** One OpenAI-style chunk: `data: {"choices":[{"delta":{"content":"…"}}]}`. */
interface Chunk {
  choices: { index: number; delta: { content?: string } }[];
}

const completionCode = `
const completion = defineStream<{ message: Chunk }>('/sse/demo/completion', {
  method: 'POST',                                 // implies transport 'fetch'; finite by default
  headers: { 'Content-Type': 'application/json' },
  body: () => JSON.stringify({ prompt }),
  // endOn: '[DONE]' is the default: the last frame ends the stream, it is never parsed nor delivered
});

function Answer() {
  const { events, status, error } = useEventStream(completion, { bufferSize: 4096 });
  const text = events.map((e) => e.data.choices[0]?.delta.content ?? '').join('');
  // The response ends -> status 'closed', error undefined, and the POST is never sent again.
  return <p>{text}</p>;
}
`;

function Answer({ prompt }: { prompt: string }) {
  // One session per answer: the server counts this answer's requests on their own.
  const [session] = useState(() => Math.random().toString(36).slice(2, 10));
  const stream = useMemo(
    () =>
      defineStream<{ message: Chunk }>(`/sse/demo/completion?session=${session}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: () => JSON.stringify({ prompt }),
      }),
    [prompt, session],
  );
  const { events, status, error } = useEventStream(stream, { bufferSize: 4096 });
  const posts = usePostCount(session);
  const text = events.map((e) => e.data.choices[0]?.delta.content ?? '').join('');
  const done = status === 'closed' && !error;
  return (
    <Card title="Answer" extra={<StatusPill status={status} />}>
      <Live ready={events.length > 0}>
        <p className="sr-stream" data-completion={done ? 'done' : 'streaming'} data-session={session}>
          {text}
          {status !== 'closed' && <span className="sr-caret" />}
        </p>
      </Live>
      <dl className="sr-kv" style={{ marginTop: 6 }}>
        <dt>chunks</dt>
        <dd data-testid="chunk-count">{events.length}</dd>
        <dt>status</dt>
        <dd>{done ? 'closed by the end of the response ([DONE]), no error' : status}</dd>
        <dt>POST requests</dt>
        <dd data-testid="post-count">{posts ?? '…'}</dd>
      </dl>
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
      <Answer key={request.run} prompt={request.prompt} />
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
  parameters: { docs: { description: { story: 'An OpenAI-style POST stream: JSON deltas, `data: [DONE]`, then the end of the response: a finite stream.' } } },
  render: () => (
    <SseProvider>
      <Showcase
        title="Fetch transport: a finite POST stream"
        intro={
          <>
            LLM-style streaming: <code>POST /sse/demo/completion</code> with a JSON body, answered word by word as OpenAI-style
            deltas, then <code>data: [DONE]</code>, then the end of the response. A POST stream is <code>finite</code> by default: the
            end finishes it for good (<code>closed</code>, no error) and <code>[DONE]</code> (the default <code>endOn</code>) is never
            parsed. The server counts the requests: one answer is one POST, never re-sent.
          </>
        }
        code={completionCode}
      >
        <Completion />
      </Showcase>
    </SseProvider>
  ),
};
