import { createContext, useContext } from 'react';
import type { ConnectionPool } from '../core/pool';

export const PoolContext = createContext<ConnectionPool | null>(null);

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
