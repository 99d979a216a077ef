import type { StreamError, StreamErrorKind, StreamStatus } from '../types';
import type { ConnectionCommand } from '../connection/connection';

/**
 * Bumped on any change to the messages below. The channel and every lock name carry it, so tabs
 * running different versions of the library never share a stream, a slot or an election.
 * 3: StreamError became a union ('content-type' and 'network' lost `status`).
 */
export const PROTOCOL_VERSION = 3;
export const CHANNEL_NAME = `react-sse-hub:v${PROTOCOL_VERSION}`;
export const streamLockName = (key: string): string => `${CHANNEL_NAME}:stream:${key}`;
export const tabLockName = (tab: string): string => `${CHANNEL_NAME}:tab:${tab}`;
export const SLOT_CHANNEL_NAME = `${CHANNEL_NAME}:slot`;
export const slotLockName = (origin: string, i: number): string => `${CHANNEL_NAME}:slot:${origin}:${i}`;

/** What a following tab needs: its event types, and whether its page is visible. */
export interface FollowerTab { types: string[]; visible: boolean }

/** The part of a connection's state another tab mirrors: no `cause` (not structured-cloneable). */
export interface RelayedState {
  status: StreamStatus;
  error: RelayedError | undefined;
  retryCount: number;
}

/** A StreamError without its `cause`, member by member (`status` stays on 'http' alone). */
type RelayedError = StreamError extends infer E ? (E extends StreamError ? Omit<E, 'cause'> : never) : never;

/** A close() or reconnect() sent to the tab that owns the stream. */
export type CrossTabCommand = ConnectionCommand;

/** `from` is the sender's tab id; `key` the stream key. */
interface Envelope<K extends string> { v: typeof PROTOCOL_VERSION; kind: K; key: string; from: string }

/** A tab follows the stream (again: on an 'owner' announcement, or when its types change). */
export type JoinMessage = Envelope<'join'> & FollowerTab;
export type LeaveMessage = Envelope<'leave'>;
/** `from` took the stream over and resumes it from `lastEventId`. */
export type OwnerMessage = Envelope<'owner'> & { lastEventId: string | undefined };
/** The owner's state; in answer to a 'join' it also lists every following tab. */
export type StateMessage = Envelope<'state'> & { state: RelayedState; lastEventId: string | undefined; eventsReceived: number; tabs?: [string, FollowerTab][] };
/** Raw `data`, decoded by the receiving tab: a relayed event is never trusted as parsed. */
export type EventMessage = Envelope<'event'> & { type: string; data: string | undefined; id: string | undefined };
/** A follower's close()/reconnect(), for the owner. */
export type CommandMessage = Envelope<'cmd'> & { cmd: CrossTabCommand };
/** The owner confirms the command of tab `to`. */
export type DoneMessage = Envelope<'done'> & { to: string };

export type CrossTabMessage = JoinMessage | LeaveMessage | OwnerMessage | StateMessage | EventMessage | CommandMessage | DoneMessage;

// Bounds: a message from a buggy or hostile tab must not make this one allocate without limit.
const MAX_ITEMS = 1000;
const MAX_NAME = 8192;

// Objects with `satisfies`, not arrays: adding a status or kind to ../types fails to compile here.
const STATUSES = { queued: 1, connecting: 1, open: 1, reconnecting: 1, paused: 1, closed: 1 } satisfies Record<StreamStatus, 1>;
// Each error kind with the one field its member of the StreamError union adds ('' for none).
const ERROR_FIELDS = {
  network: '',
  http: 'status',
  'content-type': '',
  parse: 'eventType',
  validation: 'eventType',
  'max-attempts': '',
  'too-large': 'eventType',
  unsupported: '',
} satisfies Record<StreamErrorKind, '' | 'status' | 'eventType'>;

type Fields = Record<string, unknown>;
const hasOwn = (o: object, name: string) => Object.prototype.hasOwnProperty.call(o, name);
// Own properties only: inherited ones (a polluted Object.prototype, an object made with
// Object.create) and a JSON `__proto__` key must never pass for fields of the message.
const fields = (o: Fields, ...names: string[]): unknown[] => names.map((name) => (hasOwn(o, name) ? o[name] : undefined));
const isRecord = (x: unknown): x is Fields => typeof x === 'object' && x !== null && !Array.isArray(x);
const isName = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_NAME;
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isOptionalString = (x: unknown): x is string | undefined => x === undefined || typeof x === 'string';
const isOneOf = <T extends string>(set: Record<T, unknown>, x: unknown): x is T => typeof x === 'string' && hasOwn(set, x);

/** A fresh, bounded array of checked items, or undefined. By index: `every` would skip holes. */
function readList<T>(x: unknown, readItem: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(x) || x.length > MAX_ITEMS) return undefined;
  const list: T[] = [];
  for (let i = 0; i < x.length; i++) {
    const item = readItem(x[i]);
    if (item === undefined) return undefined;
    list.push(item);
  }
  return list;
}

const readType = (x: unknown) => (typeof x === 'string' && x.length <= MAX_NAME ? x : undefined);

function readFollower(x: unknown): FollowerTab | undefined {
  if (!isRecord(x)) return undefined;
  const [rawTypes, visible] = fields(x, 'types', 'visible');
  const types = readList(rawTypes, readType);
  return types && typeof visible === 'boolean' ? { types, visible } : undefined;
}

function readTab(x: unknown): [string, FollowerTab] | undefined {
  if (!Array.isArray(x) || x.length !== 2 || !isName(x[0])) return undefined;
  const follower = readFollower(x[1]);
  return follower && [x[0], follower];
}

/**
 * null when malformed: undefined is a valid "no error". Each field exactly on the kinds that have
 * it (an eventType may be absent on 'too-large' alone): an 'http' error without a numeric status,
 * or a status or an eventType on a kind without one, is not an error this version sends, so the
 * message is dropped rather than guessed at.
 */
function readError(x: unknown): RelayedError | undefined | null {
  if (x === undefined) return undefined;
  if (!isRecord(x)) return null;
  const [kind, message, status, eventType] = fields(x, 'kind', 'message', 'status', 'eventType');
  if (!isOneOf(ERROR_FIELDS, kind) || typeof message !== 'string') return null;
  const field = ERROR_FIELDS[kind];
  const fits =
    field === 'status'
      ? isCount(status) && eventType === undefined
      : status === undefined && (field ? typeof eventType === 'string' || (kind === 'too-large' && eventType === undefined) : eventType === undefined);
  // When it fits, at most one of status and eventType is set: the one of its kind.
  return fits ? copyError(kind, message, status ?? eventType) : null;
}

/** Kind, message and the kind's own field: whatever else an error carries (a `cause`) stays in its tab. */
function copyError(kind: StreamErrorKind, message: string, value: unknown): RelayedError {
  const field = ERROR_FIELDS[kind];
  return (field && value !== undefined ? { kind, message, [field]: value } : { kind, message }) as RelayedError;
}

function readState(x: unknown): RelayedState | undefined {
  if (!isRecord(x)) return undefined;
  const [status, rawError, retryCount] = fields(x, 'status', 'error', 'retryCount');
  const error = readError(rawError);
  return isOneOf(STATUSES, status) && error !== null && isCount(retryCount) ? { status, error, retryCount } : undefined;
}

// One guard per kind: each checks every field the hub reads and builds the message afresh.
function isJoin(m: Fields, head: Envelope<'join'>): JoinMessage | undefined {
  const follower = readFollower(m);
  return follower && { ...head, ...follower };
}

function isOwner(m: Fields, head: Envelope<'owner'>): OwnerMessage | undefined {
  const [lastEventId] = fields(m, 'lastEventId');
  return isOptionalString(lastEventId) ? { ...head, lastEventId } : undefined;
}

function isState(m: Fields, head: Envelope<'state'>): StateMessage | undefined {
  const [rawState, lastEventId, eventsReceived, rawTabs] = fields(m, 'state', 'lastEventId', 'eventsReceived', 'tabs');
  const state = readState(rawState);
  const tabs = rawTabs === undefined ? undefined : readList(rawTabs, readTab);
  if (!state || !isOptionalString(lastEventId) || !isCount(eventsReceived) || (rawTabs !== undefined && !tabs)) return undefined;
  return tabs ? { ...head, state, lastEventId, eventsReceived, tabs } : { ...head, state, lastEventId, eventsReceived };
}

function isEvent(m: Fields, head: Envelope<'event'>): EventMessage | undefined {
  const [type, data, id] = fields(m, 'type', 'data', 'id');
  return isName(type) && isOptionalString(data) && isOptionalString(id) ? { ...head, type, data, id } : undefined;
}

function isCommand(m: Fields, head: Envelope<'cmd'>): CommandMessage | undefined {
  const [cmd] = fields(m, 'cmd');
  return cmd === 'close' || cmd === 'reconnect' ? { ...head, cmd } : undefined;
}

function isDone(m: Fields, head: Envelope<'done'>): DoneMessage | undefined {
  const [to] = fields(m, 'to');
  return isName(to) ? { ...head, to } : undefined;
}

const MAX_WARNINGS = 20;
const warned = new Set<string>();

/**
 * The message another tab posted, checked and copied, or undefined (dropped, never thrown):
 * a tab running another version of the app, or a bug there, must not break this one.
 */
export function readMessage(raw: unknown): CrossTabMessage | undefined {
  let result: CrossTabMessage | string;
  try {
    result = check(raw);
  } catch {
    result = 'unreadable'; // a throwing getter or proxy: only a same-realm caller can pass one
  }
  if (typeof result !== 'string') return result;
  // Inlined, not imported from src/react: core has no React dependency, and bundlers fold the
  // NODE_ENV check only where they see it. Bounded: reasons quote what the other tab sent.
  if (process.env.NODE_ENV !== 'production' && !warned.has(result) && warned.size < MAX_WARNINGS) {
    warned.add(result);
    console.warn(`react-sse-hub: dropped a cross-tab message (${result}); another tab may run a different version of the app.`);
  }
  return undefined;
}

/** The message, or why it was dropped. */
function check(raw: unknown): CrossTabMessage | string {
  if (!isRecord(raw)) return 'not an object';
  const [v, kind, key, from] = fields(raw, 'v', 'kind', 'key', 'from');
  if (v !== PROTOCOL_VERSION) return v === undefined ? 'no protocol version' : `protocol version ${typeof v === 'number' ? v : typeof v}`;
  if (!isName(key) || !isName(from)) return 'no key or sender';
  const head = { v: PROTOCOL_VERSION, key, from } as const;
  let message: CrossTabMessage | undefined;
  switch (kind) {
    case 'join': message = isJoin(raw, { ...head, kind }); break;
    case 'leave': message = { ...head, kind }; break;
    case 'owner': message = isOwner(raw, { ...head, kind }); break;
    case 'state': message = isState(raw, { ...head, kind }); break;
    case 'event': message = isEvent(raw, { ...head, kind }); break;
    case 'cmd': message = isCommand(raw, { ...head, kind }); break;
    case 'done': message = isDone(raw, { ...head, kind }); break;
    default: return 'unknown kind';
  }
  return message ?? `malformed ${kind}`;
}

/** The state as it crosses to other tabs: readable fields only (`cause` may not be cloneable). */
export function toRelayedState(state: { status: StreamStatus; error: StreamError | undefined; retryCount: number }): RelayedState {
  const { status, error, retryCount } = state;
  // Its kind's field only: an eventType on a 'network' error (never built so) would not be relayed.
  return { status, error: error && copyError(error.kind, error.message, fields(error as unknown as Fields, ERROR_FIELDS[error.kind])[0]), retryCount };
}
