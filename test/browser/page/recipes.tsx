/**
 * The recipes page (docs/recipes.md) in real Chromium: each recipe is mounted on demand from
 * Playwright (`window.recipes.*`) and records what it rendered, so tests can compare it with what
 * the server counted. The code inside the components is the code the recipes show.
 */
import { StrictMode, createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { QueryClient, QueryClientProvider, useQuery, experimental_streamedQuery as streamedQuery } from '@tanstack/react-query';
import type { UIMessageChunk } from 'ai';
import {
  SseProvider,
  createSseClient,
  defineStream,
  useEventReducer,
  useLatestEvent,
  type RetryOptions,
  type SseClient,
  type SseEvent,
  type StreamDescriptor,
  type StreamError,
} from 'react-sse-hub';

interface Tick {
  n: number;
}
type TickStream = StreamDescriptor<{ tick: Tick }>;

// ---------------------------------------------------------------------------------------------
// Recipe 1: a TanStack Query streamedQuery and a component on one client, one connection.

/** The query's chunks are the client's events: the query data is every tick, oldest first. */
function TickHistory({ client, ticks }: { client: SseClient; ticks: TickStream }) {
  const query = useQuery({
    queryKey: ['ticks', ticks.url],
    queryFn: streamedQuery({ streamFn: ({ signal }) => client.events(ticks, { signal }) }),
    // A streamed query refetched on window focus would start over from the live stream (and a
    // finite one that has ended is requested again by a new iteration): keep what was streamed.
    staleTime: Infinity,
    retry: false,
  });
  useRecord((r) => {
    r.query.status = query.status;
    r.query.fetchStatus = query.fetchStatus;
    r.query.ids = (query.data ?? []).map((e) => String(e.data.n));
    r.query.error = query.error ? describe(query.error) : null;
    r.query.errorCauseKind = (query.error?.cause as StreamError | undefined)?.kind ?? null;
  });
  return (
    <ol data-testid="history">
      {query.data?.map((e) => (
        <li key={e.data.n}>tick {e.data.n}</li>
      ))}
    </ol>
  );
}

/** The newest tick, through the provider: the same client, so the same connection. */
function LatestTick({ ticks }: { ticks: TickStream }) {
  const { data, status } = useLatestEvent(ticks, 'tick');
  useRecord((r) => {
    r.latest.status = status;
    pushRun(r.latest.statuses, status);
    if (data && r.latest.ids[r.latest.ids.length - 1] !== String(data.n)) r.latest.ids.push(String(data.n));
  });
  return <p data-testid="latest">{data ? `latest ${data.n}` : 'waiting'}</p>;
}

// ---------------------------------------------------------------------------------------------
// Recipe 2: an AI SDK UI message stream (POST, finite, ends with [DONE]) folded with useEventReducer.

interface Chat {
  text: string;
  deltas: number;
  finished: boolean;
  error: string | undefined;
}
const EMPTY_CHAT: Chat = { text: '', deltas: 0, finished: false, error: undefined };

/** One UI message chunk at a time; only text parts matter to this view. */
function foldChunk(chat: Chat, event: SseEvent<UIMessageChunk>): Chat {
  const chunk = event.data;
  switch (chunk.type) {
    case 'text-delta':
      return { ...chat, text: chat.text + chunk.delta, deltas: chat.deltas + 1 };
    case 'error':
      return { ...chat, error: chunk.errorText };
    case 'finish':
      return { ...chat, finished: true };
    default:
      return chat;
  }
}

function Completion({ prompt, url, retry }: { prompt: string; url: string; retry?: RetryOptions | undefined }) {
  // A POST stream is finite by default and ends at `data: [DONE]` (the default endOn). Streams
  // with the same URL and body share one connection: a new request needs a new body (or URL).
  const completion = useMemo(() => defineStream<{ message: UIMessageChunk }>(url, { method: 'POST', body: JSON.stringify({ prompt }), retry }), [url, prompt, retry]);
  const { state, status, error } = useEventReducer(completion, foldChunk, EMPTY_CHAT);
  useRecord((r) => {
    r.chat = { ...state };
    r.chatStatus = status;
    pushRun(r.chatStatuses, status);
    r.chatError = error ? { kind: error.kind, message: error.message } : undefined;
  });
  return (
    <article>
      <p data-testid="assistant">{state.text}</p>
      <small data-testid="chat-status">{status}</small>
    </article>
  );
}

// ---------------------------------------------------------------------------------------------
// The driver.

export interface RecipeRecord {
  query: { status: string; fetchStatus: string; ids: string[]; error: string | null; errorCauseKind: string | null };
  latest: { status: string; statuses: string[]; ids: string[] };
  chat: Chat;
  chatStatus: string;
  chatStatuses: string[];
  chatError: { kind: string; message: string } | undefined;
  /** The DOM text of the mounted tree. */
  text: string;
}

export interface QueryRecipeSpec {
  url: string;
  /** The stream ends (count + done=1 on the test server): defineStream(url, { finite: true }). */
  finite?: boolean;
  transport?: 'eventsource' | 'fetch';
  /** The test's fast retries. */
  retry?: RetryOptions;
  /** Also mount the useLatestEvent component. Default true. */
  latest?: boolean;
  strict?: boolean;
  lingerMs?: number;
}

export interface ChatRecipeSpec {
  url: string;
  prompt: string;
  strict?: boolean;
  /** The test's fast retries: a wrongly re-sent POST shows up at once. */
  retry?: RetryOptions;
}

interface Mounted {
  root: Root;
  container: HTMLElement;
  record: RecipeRecord;
  client: SseClient;
  queryClient: QueryClient | undefined;
}

/** The record of the tree a component belongs to. */
const RecordContext = createContext<RecipeRecord | undefined>(undefined);
const mounted = new Map<number, Mounted>();
let nextId = 0;

function newRecord(): RecipeRecord {
  return {
    query: { status: '', fetchStatus: '', ids: [], error: null, errorCauseKind: null },
    latest: { status: '', statuses: [], ids: [] },
    chat: { ...EMPTY_CHAT },
    chatStatus: '',
    chatStatuses: [],
    chatError: undefined,
    text: '',
  };
}

/** Writes into the record of the tree being rendered after every commit (what was on screen). */
function useRecord(write: (record: RecipeRecord) => void): void {
  const record = useContext(RecordContext)!;
  useEffect(() => write(record));
}

function pushRun(list: string[], value: string): void {
  if (list[list.length - 1] !== value) list.push(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function mountTree(tree: () => ReactNode, client: SseClient, queryClient: QueryClient | undefined, strict: boolean): number {
  const id = ++nextId;
  const container = document.createElement('div');
  container.dataset.recipe = String(id);
  document.body.append(container);
  const record = newRecord();
  const root = createRoot(container);
  const node = <RecordContext.Provider value={record}>{tree()}</RecordContext.Provider>;
  root.render(strict ? <StrictMode>{node}</StrictMode> : node);
  mounted.set(id, { root, container, record, client, queryClient });
  return id;
}

const recipes = {
  /** Recipe 1: <QueryClientProvider> + <SseProvider client> with one createSseClient(). */
  mountQuery({ url, finite = false, transport, retry, latest = true, strict = true, lingerMs = 100 }: QueryRecipeSpec): number {
    const client = createSseClient({ lingerMs });
    const queryClient = new QueryClient();
    const ticks = defineStream<{ tick: Tick }>(url, { events: ['tick'], finite, retry, ...(transport ? { transport } : {}) });
    return mountTree(
      () => (
        <QueryClientProvider client={queryClient}>
          <SseProvider client={client}>
            <TickHistory client={client} ticks={ticks} />
            {latest && <LatestTick ticks={ticks} />}
          </SseProvider>
        </QueryClientProvider>
      ),
      client,
      queryClient,
      strict,
    );
  },

  /** Recipe 2: a chat completion from an AI SDK route. */
  mountChat({ url, prompt, strict = true, retry }: ChatRecipeSpec): number {
    const client = createSseClient();
    return mountTree(
      () => (
        <SseProvider client={client}>
          <Completion prompt={prompt} url={url} retry={retry} />
        </SseProvider>
      ),
      client,
      undefined,
      strict,
    );
  },

  records(id: number): RecipeRecord {
    const m = mounted.get(id);
    if (!m) throw new Error(`nothing mounted as ${id}`);
    m.record.text = m.container.textContent ?? '';
    return JSON.parse(JSON.stringify(m.record)) as RecipeRecord;
  },

  /** What the client knows: one entry per connection. */
  entries(id: number) {
    const m = mounted.get(id);
    return JSON.parse(JSON.stringify(m?.client.entries() ?? [])) as Array<{ url: string; status: string; subscribers: number }>;
  },

  /** Refetches the recipe's query (a streamed query starts its stream function again). */
  async refetch(id: number): Promise<void> {
    await mounted.get(id)?.queryClient?.refetchQueries();
  },

  /** Unmounts the tree only: the client and the query cache stay, as they would in an app. */
  unmount(id: number): void {
    const m = mounted.get(id);
    if (!m || !m.container.isConnected) return;
    m.root.unmount();
    m.container.remove();
  },

  /** Unmounts (if still mounted) and disposes the client and the query cache. */
  dispose(id: number): void {
    const m = mounted.get(id);
    if (!m) return;
    recipes.unmount(id);
    m.queryClient?.clear();
    m.client.dispose();
    mounted.delete(id);
  },
};

declare global {
  interface Window {
    recipes: typeof recipes;
  }
}
window.recipes = recipes;
// The harness waits for `window.hub` (typed by the app page); this page is driven as window.recipes.
Object.assign(window, { hub: recipes });
