import { createContext, useContext } from 'react';
import type { ConnectionPool } from '../core/client/pool';
import { message } from '../core/errors/messages';
import { setActEnvironment } from '../core/scheduling/act-environment';
import type { StreamOptions } from '../core/types';

// Inside React's act() (Testing Library sets this flag) the core notifies synchronously: React
// batches by itself there. The core never reads React's globals; this layer tells it.
setActEnvironment(() => (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT === true);

export const PoolContext = createContext<ConnectionPool | null>(null);

/**
 * The provider's `defaults` of the current render. Hooks resolve streams with these rather than
 * the pool's copy, which the provider updates in an effect, one render late.
 */
export const DefaultsContext = createContext<StreamOptions | undefined>(undefined);

/** The provider's pool; misuse (no provider) is the one thing that throws into render. */
export function usePool(hookName: string): ConnectionPool {
  const pool = useContext(PoolContext);
  if (!pool) {
    throw new Error(message('outside-provider', hookName));
  }
  return pool;
}
