import type { OriginLimit, SlotBudget } from '../budget/slot-budget';
import type { Connection, ConnectionCommand } from '../connection/connection';
import type { CrossTabEnvironment } from './environment';

/**
 * The client's one extension point: a plug-in that shares connections beyond this client (the
 * cross-tab chunk implements it). The client still makes one connection per stream; it hands each
 * shareable one to the plug-in, which decides whether this tab connects or follows another, and
 * counts every connection against the plug-in's budget instead of its own.
 */
export interface ConnectionSharing {
  /** The budget every sharer counts against; replaces the client's own. */
  readonly budget: SlotBudget;
  /** Starts sharing a connection; `pending` is a close() or reconnect() asked while the plug-in loaded. */
  join(connection: Connection, pending?: ConnectionCommand): void;
  /** This tab's subscribers changed the event types they need. */
  typesChanged(connection: Connection): void;
  /** Whether closing this connection would strand another sharer. */
  hasFollowers(connection: Connection): boolean;
  leave(connection: Connection): void;
  visibilityChanged(): void;
  /** Leaves every shared stream (the client is disposed); joining again starts afresh. */
  dispose(): void;
}

/** What the plug-in may ask of the client. */
export interface SharingHost {
  /** The budget's limit per origin (the client's maxConnectionsPerOrigin). */
  readonly limitFor: OriginLimit;
  isVisible(): boolean;
  /** An owned stream lost its last remote follower: it may linger and close. */
  followersGone(connection: Connection): void;
}

/** The plug-in's entry point, in its lazily loaded chunk. */
export type CreateConnectionSharing = (env: CrossTabEnvironment, host: SharingHost) => ConnectionSharing;
