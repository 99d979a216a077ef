import { act, cleanup, fireEvent, render, renderHook } from '@testing-library/react';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComponentType, ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineStream, SseProvider, useEventReducer } from 'react-sse-hub';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { markdownBlocks } from '../readme/extract-blocks.mjs';
import { freshUrl } from './helpers';

// What docs/llm-streams.md says about an OpenAI-style
// completion and regenerating it: unnamed chunks, `data: [DONE]`, and what reconnect() does to a
// finished POST stream and to the reducer's state.

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

type Chunk = { choices: { delta: { content?: string | undefined } }[] };
const chunk = (content: string): Chunk => ({ choices: [{ delta: { content } }] });
const concat = (text: string, event: { data: Chunk }) => text + (event.data.choices[0]?.delta.content ?? '');

const LINGER_MS = 1000;
const wrapperFor =
  (mock: MockTransport) =>
  ({ children }: { children: ReactNode }) => (
    <SseProvider transport={mock} lingerMs={LINGER_MS}>
      {children}
    </SseProvider>
  );

/** Streams one answer on the newest request for url and ends it like an OpenAI-style server. */
function answer(mock: MockTransport, url: string, parts: string[]): void {
  act(() => {
    for (const part of parts) mock.emit(url, 'message', chunk(part));
    mock.emit(url, 'message', '[DONE]');
  });
}

function completionHook(url: string, mock: MockTransport) {
  const completion = defineStream<{ message: Chunk }>(url, { method: 'POST', body: '{"prompt":"hi"}' });
  return renderHook(() => useEventReducer(completion, concat, ''), { wrapper: wrapperFor(mock) });
}

describe('an OpenAI-style POST completion with useEventReducer', () => {
  it('folds unnamed chunks into the text; data [DONE] finishes it (closed, no error, never parsed) and it is POSTed once', async () => {
    const mock = createMockTransport();
    const url = freshUrl('openai');
    const { result } = completionHook(url, mock);
    answer(mock, url, ['Hel', 'lo']);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(result.current).toMatchObject({ state: 'Hello', status: 'closed', error: undefined });
    expect(mock.requests(url).map((r) => [r.method, r.body])).toEqual([['POST', '{"prompt":"hi"}']]);
    expect(mock.connections(url)).toBe(0);
  });

  it('reconnect() on the finished stream POSTs it again, and the state is not reset: the new answer is appended', () => {
    const mock = createMockTransport();
    const url = freshUrl('openai');
    const { result } = completionHook(url, mock);
    answer(mock, url, ['Hel', 'lo']);
    act(() => result.current.reconnect());
    expect(mock.requests(url).map((r) => [r.method, r.body])).toEqual([
      ['POST', '{"prompt":"hi"}'],
      ['POST', '{"prompt":"hi"}'],
    ]);
    expect(result.current.state).toBe('Hello');
    answer(mock, url, ['Hi']);
    expect(result.current).toMatchObject({ state: 'HelloHi', status: 'closed', error: undefined });
  });

  it('reset() then reconnect() regenerates: the new answer starts from the initial state', () => {
    const mock = createMockTransport();
    const url = freshUrl('openai');
    const { result } = completionHook(url, mock);
    answer(mock, url, ['Hel', 'lo']);
    act(() => {
      result.current.reset();
      result.current.reconnect();
    });
    expect(result.current.state).toBe('');
    expect(result.current.status).not.toBe('closed');
    answer(mock, url, ['Hi']);
    expect(result.current).toMatchObject({ state: 'Hi', status: 'closed' });
    expect(mock.requests(url)).toHaveLength(2);
  });

  it('nothing else re-sends a finished POST: no retry, no remount within lingerMs; a mount after lingerMs asks anew', async () => {
    const mock = createMockTransport();
    const url = freshUrl('openai');
    const completion = defineStream<{ message: Chunk }>(url, { method: 'POST', body: '{"prompt":"hi"}' });
    function Answer() {
      const { state, status } = useEventReducer(completion, concat, '');
      return <output data-status={status}>{state}</output>;
    }
    const Wrapper = wrapperFor(mock);
    const view = render(<Wrapper><Answer /></Wrapper>);
    answer(mock, url, ['Hel', 'lo']);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(mock.requests(url)).toHaveLength(1);

    // Shown again before lingerMs: the same finished connection, no request; the new reader's
    // state starts from the initial state (the earlier chunks were folded by the old reader).
    view.rerender(<Wrapper>{null}</Wrapper>);
    await act(() => vi.advanceTimersByTimeAsync(LINGER_MS - 1));
    view.rerender(<Wrapper><Answer /></Wrapper>);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(mock.requests(url)).toHaveLength(1);
    expect(view.getByRole('status').getAttribute('data-status')).toBe('closed');
    expect(view.getByRole('status').textContent).toBe('');

    // Shown again after every reader was gone for lingerMs: the connection was let go, the POST is sent anew.
    view.rerender(<Wrapper>{null}</Wrapper>);
    await act(() => vi.advanceTimersByTimeAsync(LINGER_MS));
    view.rerender(<Wrapper><Answer /></Wrapper>);
    expect(mock.requests(url)).toHaveLength(2);
    answer(mock, url, ['Hi']);
    expect(view.getByRole('status').textContent).toBe('Hi');
  });
});

describe("docs/llm-streams.md's OpenAI-style Completion example", () => {
  // The block is written to a folder of its own: readme.test.tsx rewrites test/readme/.blocks.
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'readme', '.blocks-llm');
  let Completion: ComponentType<{ prompt: string; apiKey: string }>;
  beforeAll(async () => {
    const block = markdownBlocks('docs/llm-streams.md').find((b) => b.code.includes("defineStream<{ message: Chunk }>('/v1/chat/completions'"));
    expect(block).toBeDefined();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, block!.file), block!.code);
    ({ Completion } = (await import(/* @vite-ignore */ join(dir, block!.file))) as { Completion: typeof Completion });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams the answer, and Regenerate POSTs the prompt again and replaces the answer', () => {
    const mock = createMockTransport();
    const url = '/v1/chat/completions';
    const Wrapper = wrapperFor(mock);
    const view = render(<Wrapper><Completion prompt="Say hello" apiKey="sk-test" /></Wrapper>);
    const button = view.getByRole('button', { name: 'Regenerate' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    answer(mock, url, ['Hel', 'lo']);
    expect(view.getByRole('status').textContent).toBe('Hello');
    expect(button.disabled).toBe(false);

    fireEvent.click(button);
    expect(view.getByRole('status').textContent).toBe('');
    answer(mock, url, ['Hi', ' there']);
    expect(view.getByRole('status').textContent).toBe('Hi there');
    const requests = mock.requests(url);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.headers).toMatchObject({ Authorization: 'Bearer sk-test' });
      expect(JSON.parse(request.body as string)).toMatchObject({ stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
    }
  });

  it('a drop before [DONE] is not retried (maxAttempts: 0): closed with an error, one POST', () => {
    const mock = createMockTransport();
    const url = '/v1/chat/completions';
    const Wrapper = wrapperFor(mock);
    const view = render(<Wrapper><Completion prompt="Say hello" apiKey="sk-test" /></Wrapper>);
    act(() => mock.emit(url, 'message', chunk('Hel')));
    act(() => mock.fail(url));
    expect(view.getByRole('alert').textContent).not.toBe('');
    expect(mock.requests(url)).toHaveLength(1);
  });
});
