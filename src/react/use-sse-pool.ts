import { useCallback, useSyncExternalStore } from 'react';
import { poolEntries } from '../core/client/pool-entries';
import type { PoolEntry } from '../core/types';
import { usePool } from './context';

const NO_ENTRIES: readonly PoolEntry[] = Object.freeze([]);

/**
 * Every connection the provider knows, for status bars and devtools.
 *
 * @example
 * const open = useSsePool().filter((c) => c.status === 'open').length;
 */
export function useSsePool(): readonly PoolEntry[] {
  const pool = usePool('useSsePool');
  const subscribe = useCallback((onChange: () => void) => pool.subscribeEntries(onChange), [pool]);
  const getSnapshot = useCallback(() => poolEntries(pool), [pool]);
  return useSyncExternalStore(subscribe, getSnapshot, () => NO_ENTRIES);
}
