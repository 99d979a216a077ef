import type { SseEnvironment } from '../scheduling/environment';
import type { StreamOptions, Transport } from '../types';

/** The options of createSseClient() (SseClientOptions) and of the pool <SseProvider> makes from its props. */
export interface PoolConfig {
  /**
   * Open connections allowed per origin; more streams wait with status 'queued'. Default 'auto': 4
   * for an HTTP/1.1 origin (under the browser's 6-per-host limit, leaving room for ordinary
   * requests), no limit for an origin the page's timing entries show speaking h2 or h3; unknown → 4.
   * A number is used for every origin.
   */
  maxConnectionsPerOrigin?: number | 'auto' | undefined;
  /** Keep an unused connection this long before closing. Default 1000. */
  lingerMs?: number | undefined;
  defaults?: StreamOptions | undefined;
  /** Used for every stream that does not bring its own Transport object (tests pass a mock). */
  transport?: Transport | undefined;
  /** One real connection per stream for the whole browser profile. Read once, at creation. */
  shareAcrossTabs?: boolean | undefined;
  /**
   * The page signals and timers the client uses, replaced as a whole or in part (React Native's
   * AppState/NetInfo, fakes in tests). Default: the browser's; without a DOM, visible and online.
   * Read once, at creation.
   */
  environment?: Partial<SseEnvironment> | undefined;
}

/** A PoolConfig with every default applied: what the pool reads. */
export interface ResolvedPoolConfig {
  maxConnectionsPerOrigin: number | 'auto';
  lingerMs: number;
  defaults: StreamOptions;
  transport: Transport | undefined;
}
