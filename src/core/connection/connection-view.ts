import type { StreamState } from '../types';

/**
 * The connection's own part of what subscribers show (a hook's result adds the last event id,
 * the actions and its own fields): replaced, never mutated, when one of its fields changes.
 */
export type ConnectionView = Readonly<Pick<StreamState, 'status' | 'error' | 'retryCount'>>;
