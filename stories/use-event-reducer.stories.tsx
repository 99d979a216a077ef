import { useEffect, useMemo, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { SseProvider, createSseClient, defineStream, useEventReducer, type SseClient, type SseEventOf } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { Card, ErrorLine, Live, Showcase, StatusPill } from './support/ui';
import { usePostCount } from './support/use-post-count';

/** One OpenAI-style chunk of POST /sse/demo/completion: `data: {"choices":[{"delta":{"content":"…"}}]}`. */
interface Chunk {
  choices: { index: number; delta: { content?: string } }[];
}

/** The answer so far: every token folded in once, as it arrives. */
interface Answer {
  text: string;
  tokens: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
}
const EMPTY: Answer = { text: '', tokens: 0, firstAt: undefined, lastAt: undefined };

/** O(1) per event: append one delta, count it. Nothing re-reads the tokens that came before. */
const appendToken = (answer: Answer, event: SseEventOf<{ message: Chunk }>): Answer => ({
  text: answer.text + (event.data.choices[0]?.delta.content ?? ''),
  tokens: answer.tokens + 1,
  firstAt: answer.firstAt ?? event.receivedAt,
  lastAt: event.receivedAt,
});

const code = `
const client = createSseClient();          // <SseProvider client={client}> around the app

// One delta per event, appended once: O(1) work per event, however long the answer gets.
const appendToken = (answer: Answer, e: SseEventOf<{ message: Chunk }>): Answer => ({
  text: answer.text + (e.data.choices[0]?.delta.content ?? ''),
  tokens: answer.tokens + 1,
});

function Completion({ prompt }: { prompt: string }) {
  const completion = useMemo(
    () =>
      defineStream<{ message: Chunk }>('/sse/demo/completion', {
        method: 'POST',                    // fetch transport; finite: the end ([DONE]) finishes it
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prompt }),
      }),
    [prompt],
  );
  const { state: answer, status, error, reset } = useEventReducer(completion, appendToken, EMPTY);
  const regenerate = () => {
    reset();                               // back to EMPTY ...
    client.reconnect(completion);          // ... and POST again (also from 'closed': a finished answer, or Stop)
  };
  const stop = () => client.close(completion); // 'closed', no error; the answer so far stays
  return <p>{answer.text}</p>;             // a new prompt is a new stream: it starts from EMPTY by itself
}
`;

function Completion({ client, session }: { client: SseClient; session: string }) {
  const [draft, setDraft] = useState('Explain server-sent events');
  const [prompt, setPrompt] = useState(draft);
  // The body is part of the stream's identity: one prompt, one stream (and one connection key).
  const completion = useMemo(
    () =>
      defineStream<{ message: Chunk }>(`/sse/demo/completion?session=${session}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prompt }),
      }),
    [session, prompt],
  );
  const { state: answer, status, error, reset } = useEventReducer(completion, appendToken, EMPTY);
  const posts = usePostCount(session);
  // The hook cannot tell "the response ended" from "closed by close()": the story remembers Stop.
  const [stopped, setStopped] = useState(false);
  const stop = () => {
    client.close(completion);
    setStopped(true);
  };
  const regenerate = () => {
    setStopped(false);
    reset();
    // The same prompt: POST the same stream again. A new prompt is a new stream, which starts from EMPTY.
    if (draft === prompt) client.reconnect(completion);
    else setPrompt(draft);
  };
  const done = status === 'closed' && !error && !stopped;
  const streaming = status !== 'closed' && status !== 'paused';
  const seconds = answer.firstAt !== undefined && answer.lastAt !== undefined ? (answer.lastAt - answer.firstAt) / 1000 : undefined;
  return (
    <>
      <form
        className="sr-row"
        onSubmit={(e) => {
          e.preventDefault();
          regenerate();
        }}
      >
        <input className="sr-input" value={draft} onChange={(e) => setDraft(e.target.value)} aria-label="Prompt" />
        <button type="submit" className="sr-button sr-button--primary">
          Regenerate
        </button>
        <button type="button" className="sr-button" onClick={stop} disabled={!streaming}>
          Stop
        </button>
        <button type="button" className="sr-button" onClick={reset}>
          Clear
        </button>
      </form>
      <Card title="Answer" extra={<StatusPill status={status} />}>
        <Live ready={answer.tokens > 0}>
          <p className="sr-stream" data-reducer-answer={done ? 'done' : stopped ? 'stopped' : 'streaming'} data-session={session}>
            {answer.text || <span className="sr-muted">{streaming ? 'Waiting for the first token…' : 'Cleared. Regenerate to ask again.'}</span>}
            {streaming && <span className="sr-caret" />}
          </p>
        </Live>
        <dl className="sr-kv" style={{ marginTop: 6 }}>
          <dt>tokens folded</dt>
          <dd data-testid="token-count">{answer.tokens}</dd>
          <dt>characters</dt>
          <dd>{answer.text.length}</dd>
          <dt>tokens / s</dt>
          <dd>{seconds ? (answer.tokens / seconds).toFixed(0) : '–'}</dd>
          <dt>status</dt>
          <dd data-testid="status">
            {done ? 'closed: the response ended ([DONE]), no error' : stopped && status === 'closed' ? 'closed by Stop (client.close()), no error' : status}
          </dd>
          <dt>POST requests</dt>
          <dd data-testid="post-count">{posts ?? '…'}</dd>
        </dl>
        <ErrorLine error={error} />
      </Card>
    </>
  );
}

/** A client of its own per story mount: Regenerate and Stop go through it; unmounting disposes it. */
function EventReducerDemo() {
  const [client] = useState(() => createSseClient());
  const [session] = useState(() => Math.random().toString(36).slice(2, 10));
  useEffect(() => () => client.dispose(), [client]);
  return (
    <SseProvider client={client}>
      <Showcase
        title="useEventReducer: an LLM completion, token by token"
        intro={
          <>
            <code>useEventReducer</code> folds every event into state as it arrives: the reducer appends one delta, so the work per token
            stays constant however long the answer grows (a buffer joined on every render costs O(n) per token). A burst of tokens renders
            once. <b>Regenerate</b> is <code>reset()</code> (back to the initial state) plus <code>client.reconnect()</code>: a new POST
            of the same prompt (a changed prompt is a new stream, which starts from the initial state by itself). <b>Stop</b> closes the
            stream and keeps the answer so far; <b>Clear</b> is <code>reset()</code> alone.
          </>
        }
        code={code}
        aside={<SseDevtools />}
      >
        <Completion client={client} session={session} />
      </Showcase>
    </SseProvider>
  );
}

const meta = {
  title: 'Showroom/Event reducer',
  tags: ['live'],
  parameters: {
    docs: { description: { story: 'An LLM-style POST stream folded into text with `useEventReducer`: O(1) work per token, Regenerate with `reset()`.' } },
  },
} satisfies Meta;
export default meta;

export const LlmAnswer: StoryObj = {
  name: 'LLM answer',
  render: () => <EventReducerDemo />,
};
