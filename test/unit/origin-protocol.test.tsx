import { act } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSseClient, useLatestEvent, type PoolEntry, type SseClient, type SseClientOptions } from 'react-sse-hub';
import { SseDevtools } from 'react-sse-hub/devtools';
import { createMockTransport, type MockTransport } from 'react-sse-hub/testing';
import { OriginProtocols } from '../../src/core/budget/origin-protocol';
import { freshUrl, renderWithMock } from './helpers';

/** The page's timing entries as the browser would list them; tests push to them later too. */
interface FakeEntry {
  name: string;
  nextHopProtocol: string;
}
function stubTiming(entries: { navigation?: FakeEntry[]; resource?: FakeEntry[] } = {}) {
  const lists = { navigation: entries.navigation ?? [], resource: entries.resource ?? [] };
  const spy = vi
    .spyOn(performance, 'getEntriesByType')
    .mockImplementation((type) => (lists[type as keyof typeof lists] ?? []) as unknown as PerformanceEntryList);
  return { ...lists, spy };
}
/** The page itself came over `protocol` (jsdom's page is http://localhost:3000/). */
const page = (nextHopProtocol: string): FakeEntry[] => [{ name: location.href, nextHopProtocol }];

const API = 'https://api.test';

let mock: MockTransport;
let client: SseClient | undefined;
beforeEach(() => {
  mock = createMockTransport();
});
afterEach(() => {
  client?.dispose();
  client = undefined;
  vi.restoreAllMocks();
});

/** Subscribes to n fresh streams (on `origin`, else the page's) and opens every one that got a connection. */
function streams(n: number, options: SseClientOptions = {}, origin = '') {
  client ??= createSseClient({ transport: mock, lingerMs: 0, ...options });
  const urls = Array.from({ length: n }, () => `${origin}${freshUrl('protocol')}`);
  for (const url of urls) client.subscribe(url);
  for (const url of urls) if (mock.connections(url) > 0) mock.open(url);
  return urls;
}
const statuses = () => client!.entries().map((e) => e.status);
const count = (status: string) => statuses().filter((s) => s === status).length;

describe("maxConnectionsPerOrigin 'auto' (the default)", () => {
  it('opens 20 streams at once on a page origin that speaks h2', () => {
    stubTiming({ navigation: page('h2') });
    const urls = streams(20);
    expect(count('open')).toBe(20);
    expect(urls.every((url) => mock.connections(url) === 1)).toBe(true);
  });

  it('lifts the limit for h3 too (and for older Chromium’s h3 drafts)', () => {
    stubTiming({ navigation: page('h3'), resource: [{ name: `${API}/config.json`, nextHopProtocol: 'h3-29' }] });
    streams(12);
    streams(12, {}, API);
    expect(count('open')).toBe(24);
  });

  it('opens 4 on an HTTP/1.1 page origin and queues the rest in order', () => {
    stubTiming({ navigation: page('http/1.1') });
    streams(20);
    expect(statuses()).toEqual([...Array(4).fill('open'), ...Array(16).fill('queued')]);
    expect(client!.entries()[0]!.protocol).toBe('http/1.1');
  });

  it('treats an origin it knows nothing about as HTTP/1.1 (no timing entries, as in Node or jsdom)', () => {
    stubTiming({ navigation: page(''), resource: [{ name: `${API}/me`, nextHopProtocol: 'h2' }] });
    streams(6);
    streams(6, {}, API);
    expect(count('open')).toBe(4 + 6);
    vi.restoreAllMocks(); // jsdom's own performance: no entries at all
    streams(6, {}, 'https://other.test');
    expect(count('open')).toBe(4 + 6 + 4);
  });

  it('knows another origin from a resource entry of an earlier request to it, and only that origin', () => {
    stubTiming({
      navigation: page('http/1.1'),
      resource: [
        { name: `${API}/me`, nextHopProtocol: 'h2' },
        // Cross-origin without Timing-Allow-Origin: the browser says nothing.
        { name: 'https://cdn.test/app.js', nextHopProtocol: '' },
        // Same host name, other port: another origin.
        { name: 'https://api.test:8443/x', nextHopProtocol: 'http/1.1' },
      ],
    });
    streams(10, {}, API);
    streams(6, {}, 'https://cdn.test');
    expect(count('open')).toBe(10 + 4);
  });

  it('lets queued streams in when a resource entry later shows the origin speaks h2', () => {
    const timing = stubTiming({ navigation: page('http/1.1') });
    streams(6, {}, API);
    expect(count('queued')).toBe(2);
    timing.resource.push({ name: `${API}/later`, nextHopProtocol: 'h2' });
    const [late] = streams(1, {}, API);
    expect(statuses()).toEqual(['open', 'open', 'open', 'open', 'connecting', 'connecting', 'open']);
    expect(mock.connections(late!)).toBe(1);
  });

  it('an explicit number wins over h2', () => {
    stubTiming({ navigation: page('h2') });
    streams(6);
    expect(count('open')).toBe(6);
    client!.dispose();
    client = undefined;
    streams(20, { maxConnectionsPerOrigin: 4 });
    expect(count('open')).toBe(4);
    expect(count('queued')).toBe(16);
  });

  it('reads the timing entries once for an origin found speaking h2, and again for one that was not', () => {
    const timing = stubTiming({ navigation: page('h2'), resource: [{ name: `${API}/a`, nextHopProtocol: 'http/1.1' }] });
    const protocols = new OriginProtocols();
    expect(protocols.of(location.origin)).toBe('h2');
    expect(protocols.of(API)).toBe('http/1.1');
    const calls = timing.spy.mock.calls.length;
    expect(protocols.limit(location.origin)).toBe(Infinity);
    expect(timing.spy.mock.calls.length).toBe(calls);
    timing.resource.push({ name: `${API}/b`, nextHopProtocol: 'h2' });
    expect(protocols.limit(API)).toBe(Infinity);
    expect(timing.spy.mock.calls.length).toBeGreaterThan(calls);
  });
});

describe('PoolEntry.protocol and the devtools panel', () => {
  it('reports what each origin speaks, undefined when unknown', () => {
    stubTiming({ navigation: page('h2'), resource: [{ name: `${API}/me`, nextHopProtocol: 'http/1.1' }] });
    streams(1);
    streams(1, {}, API);
    streams(1, {}, 'https://unknown.test');
    expect(client!.entries().map((e: PoolEntry) => e.protocol)).toEqual(['h2', 'http/1.1', undefined]);
  });

  it('the panel shows each connection’s protocol', () => {
    stubTiming({ navigation: page('h3') });
    const urls = [freshUrl('devtools-protocol'), `${API}${freshUrl('devtools-protocol')}`];
    const { container } = renderWithMock(<StreamsAndPanel urls={urls} />, {}, mock);
    act(() => mock.open(urls[0]!));
    const rows = [...container.querySelectorAll('[data-url]')];
    expect(rows.map((r) => r.getAttribute('data-protocol'))).toEqual(['h3', null]);
    expect(rows[0]!.textContent).toContain('h3');
    expect(rows[1]!.textContent).not.toMatch(/h2|h3|http\/1/);
  });
});

function Reader({ url }: { url: string }) {
  useLatestEvent(url, 'message');
  return null;
}
function StreamsAndPanel({ urls }: { urls: string[] }) {
  return (
    <>
      {urls.map((url) => (
        <Reader key={url} url={url} />
      ))}
      <SseDevtools />
    </>
  );
}
