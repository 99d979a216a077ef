import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  CHANNEL_NAME,
  PROTOCOL_VERSION,
  readMessage,
  SLOT_CHANNEL_NAME,
  slotLockName,
  streamLockName,
  tabLockName,
  toRelayedState,
  type CrossTabMessage,
} from '../../src/core/cross-tab/protocol';

const head = { v: 3, key: 'k', from: 'tab-a' } as const;
const closedState = { status: 'closed', error: { kind: 'http', message: 'HTTP 404: check the URL', status: 404 }, retryCount: 3 } as const;

/** One valid message of every kind, as another tab would post it. */
const valid: Record<CrossTabMessage['kind'], CrossTabMessage> = {
  join: { ...head, kind: 'join', types: ['message', 'tick'], visible: true },
  leave: { ...head, kind: 'leave' },
  owner: { ...head, kind: 'owner', lastEventId: '41' },
  state: {
    ...head,
    kind: 'state',
    state: closedState,
    lastEventId: undefined,
    eventsReceived: 12,
    tabs: [['tab-b', { types: ['tick'], visible: false }]],
  },
  event: { ...head, kind: 'event', type: 'tick', data: '{"p":1}', id: '42' },
  cmd: { ...head, kind: 'cmd', cmd: 'reconnect' },
  done: { ...head, kind: 'done', to: 'tab-b' },
};

let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  // Asserted below; silenced here so the malformed table does not flood the output.
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
  vi.unstubAllEnvs();
});

describe('cross-tab protocol names', () => {
  it('carry the protocol version, so tabs on another version never meet on a channel or a lock', () => {
    expect(PROTOCOL_VERSION).toBe(3);
    expect(CHANNEL_NAME).toBe('react-sse-hub:v3');
    expect(streamLockName('k1')).toBe('react-sse-hub:v3:stream:k1');
    expect(tabLockName('t1')).toBe('react-sse-hub:v3:tab:t1');
    expect(SLOT_CHANNEL_NAME).toBe('react-sse-hub:v3:slot');
    expect(slotLockName('https://a.test', 3)).toBe('react-sse-hub:v3:slot:https://a.test:3');
  });
});

describe('readMessage', () => {
  it.each(Object.entries(valid))('reads a %s message after a structured clone, as a fresh object', (_kind, message) => {
    const posted = structuredClone(message);
    const read = readMessage(posted);
    expect(read).toStrictEqual(message);
    expect(read).not.toBe(posted);
    expect(warn).not.toHaveBeenCalled();
  });

  it('reads optional fields left out or undefined', () => {
    const { tabs: _tabs, ...withoutTabs } = valid.state as Extract<CrossTabMessage, { kind: 'state' }>;
    expect(readMessage(withoutTabs)).toStrictEqual(withoutTabs);
    expect(readMessage({ ...head, kind: 'event', type: 'tick' })).toStrictEqual({ ...head, kind: 'event', type: 'tick', data: undefined, id: undefined });
    expect(readMessage({ ...head, kind: 'owner' })).toStrictEqual({ ...head, kind: 'owner', lastEventId: undefined });
    const noError = { ...withoutTabs, state: { status: 'open', error: undefined, retryCount: 0 } };
    expect(readMessage(noError)).toStrictEqual(noError);
  });

  const state = (over: Record<string, unknown>) => ({ ...valid.state, state: { ...closedState, ...over } });
  const event = (over: Record<string, unknown>) => ({ ...valid.event, ...over });
  const malformed: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'x'],
    ['an array', []],
    ['an empty object', {}],
    ['the unversioned format of older releases', { t: 'join', key: 'k', tab: 'a', visible: true }],
    ['v: 1', { ...valid.leave, v: 1 }],
    ['v: 2 (errors before the StreamError union)', { ...valid.leave, v: 2 }],
    ['v: 4', { ...valid.leave, v: 4 }],
    ["v: '3'", { ...valid.leave, v: '3' }],
    ['an unknown kind', { ...head, kind: 'explode' }],
    ['kind __proto__', { ...head, kind: '__proto__' }],
    ["key ''", { ...valid.leave, key: '' }],
    ['a key too long', { ...valid.leave, key: 'k'.repeat(8193) }],
    ['no sender', { v: 3, kind: 'leave', key: 'k' }],
    ['a join without types (an older app version)', { ...head, kind: 'join', visible: true }],
    ['a join with types: null', { ...valid.join, types: null }],
    ['a join with non-string types', { ...valid.join, types: ['a', 1] }],
    ['a join with a sparse types array', { ...valid.join, types: ['a', , 'b'] }],
    ['a join with 1001 types', { ...valid.join, types: Array.from({ length: 1001 }, (_, i) => `t${i}`) }],
    ["a join with visible: 'yes'", { ...valid.join, visible: 'yes' }],
    ['an owner with lastEventId 7', { ...valid.owner, lastEventId: 7 }],
    ['state: null', { ...valid.state, state: null }],
    ["state: { status: 'closed' } alone", { ...valid.state, state: { status: 'closed' } }],
    ["status 'bogus'", state({ status: 'bogus' })],
    ['retryCount -1', state({ retryCount: -1 })],
    ['retryCount NaN', state({ retryCount: NaN })],
    ["retryCount '1'", state({ retryCount: '1' })],
    ['retryCount 1.5', state({ retryCount: 1.5 })],
    ["error kind 'bogus'", state({ error: { kind: 'bogus', message: 'x' } })],
    ['an error without a message', state({ error: { kind: 'network' } })],
    ['an error: null', state({ error: null })],
    ["error status '404'", state({ error: { kind: 'http', message: 'x', status: '404' } })],
    // StreamError is a union: each field exactly on the kinds that have it.
    ["an 'http' error without a status", state({ error: { kind: 'http', message: 'x' } })],
    ["an 'http' error with status NaN", state({ error: { kind: 'http', message: 'x', status: NaN } })],
    ["a 'network' error with a status", state({ error: { kind: 'network', message: 'x', status: 502 } })],
    ["a 'content-type' error with a status (the shape before the union)", state({ error: { kind: 'content-type', message: 'x', status: 200 } })],
    ["a 'network' error with an eventType", state({ error: { kind: 'network', message: 'x', eventType: 'tick' } })],
    ["an 'http' error with an eventType", state({ error: { kind: 'http', message: 'x', status: 404, eventType: 'tick' } })],
    ["a 'parse' error without an eventType", state({ error: { kind: 'parse', message: 'x' } })],
    ["a 'validation' error with eventType 7", state({ error: { kind: 'validation', message: 'x', eventType: 7 } })],
    ["a 'too-large' error with a status", state({ error: { kind: 'too-large', message: 'x', status: 413 } })],
    ['eventsReceived Infinity', { ...valid.state, eventsReceived: Infinity }],
    ["tabs: 'garbage'", { ...valid.state, tabs: 'garbage' }],
    ['tabs with non-string types', { ...valid.state, tabs: [['tab-b', { types: [1], visible: true }]] }],
    ['tabs with a pair of three', { ...valid.state, tabs: [['tab-b', { types: [], visible: true }, 'x']] }],
    ['tabs with an empty tab id', { ...valid.state, tabs: [['', { types: [], visible: true }]] }],
    ['event data 42', event({ data: 42 })],
    ['event data {}', event({ data: {} })],
    ['event id 5', event({ id: 5 })],
    ['event type 7', event({ type: 7 })],
    ["cmd 'explode'", { ...valid.cmd, cmd: 'explode' }],
    ['done without to', { ...head, kind: 'done' }],
    ['fields only in a JSON __proto__ key', JSON.parse('{"__proto__": {"v": 3, "kind": "leave", "key": "k", "from": "a"}}')],
    ['fields only inherited', Object.create(valid.leave)],
  ];
  it.each(malformed)('drops %s', (_name, raw) => {
    expect(() => readMessage(raw)).not.toThrow();
    expect(readMessage(raw)).toBeUndefined();
  });

  it('strips extra fields, at every depth', () => {
    const read = readMessage({
      ...valid.state,
      extra: 1,
      state: { ...closedState, extra: 2, error: { ...closedState.error, cause: new Error('x'), extra: 3 } },
      tabs: [['tab-b', { types: ['tick'], visible: false, extra: 4 }]],
    });
    expect(read).toStrictEqual(valid.state);
    const withProto = readMessage(JSON.parse('{"v": 3, "kind": "leave", "key": "k", "from": "a", "__proto__": {"polluted": true}}'));
    expect(withProto).toStrictEqual({ v: 3, kind: 'leave', key: 'k', from: 'a' });
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype);
    expect((withProto as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never reads a field from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.types = ['x'];
    proto.tabs = 'garbage';
    try {
      expect(readMessage({ ...head, kind: 'join', visible: true })).toBeUndefined();
      const { tabs: _tabs, ...withoutTabs } = valid.state as Extract<CrossTabMessage, { kind: 'state' }>;
      expect(readMessage(withoutTabs)).toStrictEqual(withoutTabs);
    } finally {
      delete proto.types;
      delete proto.tabs;
    }
  });

  it('survives a getter that throws', () => {
    const raw = { ...head, kind: 'event', type: 'tick' };
    Object.defineProperty(raw, 'data', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(readMessage(raw)).toBeUndefined();
  });
});

describe('dropped-message warning', () => {
  const freshModule = async () => {
    vi.resetModules(); // the set of reasons already warned about lives in the module
    return import('../../src/core/cross-tab/protocol');
  };

  it('fires once per reason in development, and says another tab may run another version', async () => {
    const { readMessage: read } = await freshModule();
    read(null);
    read(42);
    read({ t: 'join', key: 'k', tab: 'a', visible: true });
    read({ ...valid.state, state: null });
    read({ ...valid.state, state: null });
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      'react-sse-hub: dropped a cross-tab message (not an object); another tab may run a different version of the app.',
      'react-sse-hub: dropped a cross-tab message (no protocol version); another tab may run a different version of the app.',
      'react-sse-hub: dropped a cross-tab message (malformed state); another tab may run a different version of the app.',
    ]);
  });

  it('warns about at most 20 reasons', async () => {
    const { readMessage: read } = await freshModule();
    for (let v = 4; v < 40; v++) read({ ...valid.leave, v });
    expect(warn).toHaveBeenCalledTimes(20);
  });

  it('stays silent in production', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const { readMessage: read } = await freshModule();
    expect(read(null)).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('toRelayedState', () => {
  it('keeps the fields of the error\'s kind and drops the cause and anything else', () => {
    const cause = { close: () => undefined }; // a function: structuredClone would throw
    const relayed = toRelayedState({
      status: 'reconnecting',
      // An eventType on a 'network' error is not a field of its kind: not relayed.
      error: { kind: 'network', message: 'lost', cause, eventType: 'tick', status: 502 },
      retryCount: 2,
      ...{ slot: 'held', attempt: 4 },
    } as Parameters<typeof toRelayedState>[0]);
    expect(relayed).toStrictEqual({ status: 'reconnecting', error: { kind: 'network', message: 'lost' }, retryCount: 2 });
    expect(() => structuredClone(relayed)).not.toThrow();
    expect(toRelayedState({ status: 'open', error: undefined, retryCount: 0 })).toStrictEqual({ status: 'open', error: undefined, retryCount: 0 });
  });

  it.each([
    { kind: 'http', message: 'x', status: 401 },
    { kind: 'parse', message: 'x', eventType: 'tick' },
    { kind: 'validation', message: 'x', eventType: 'tick' },
    { kind: 'too-large', message: 'x', eventType: 'tick' },
    { kind: 'too-large', message: 'x' },
    { kind: 'network', message: 'x' },
    { kind: 'content-type', message: 'x' },
    { kind: 'unsupported', message: 'x' },
  ] as const)('relays a well-formed $kind error that readMessage accepts as is', (error) => {
    const state = toRelayedState({ status: 'closed', error: { ...error, cause: new Error('x') }, retryCount: 1 });
    expect(state.error).toStrictEqual(error);
    const message = { ...head, kind: 'state', state, lastEventId: undefined, eventsReceived: 0 };
    expect(readMessage(structuredClone(message))).toStrictEqual(message);
  });

  it('produces states readMessage accepts', () => {
    const state = toRelayedState({ status: 'closed', error: { kind: 'max-attempts', message: 'gave up', cause: new Error('x') }, retryCount: 10 });
    const message = { ...head, kind: 'state', state, lastEventId: '9', eventsReceived: 0 };
    expect(readMessage(structuredClone(message))).toStrictEqual(message);
  });
});
