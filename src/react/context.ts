import { createContext, useContext } from 'react';
import type { ConnectionPool } from '../core/client/pool';
import type { StreamOptions } from '../core/types';

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
    throw new Error(
      `${hookName}() must be used inside <SseProvider>. Wrap your app (or this component's tree) in <SseProvider> from 'react-sse-hub'.`,
    );
  }
  return pool;
}
