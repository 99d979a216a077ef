import type { FollowerTab } from './protocol';

/** The tabs following one stream, by tab id, with when each was last heard of. */
export type FollowerTabs = Map<string, FollowerTab & { seen: number }>;

/** Does any following tab read events of this type? */
export function needs(tabs: FollowerTabs, type: string): boolean {
  for (const tab of tabs.values()) if (tab.types.includes(type)) return true;
  return false;
}

/** The event types the following tabs need, together. */
export function unionOf(tabs: FollowerTabs): string[] {
  const types = new Set<string>();
  for (const tab of tabs.values()) for (const type of tab.types) types.add(type);
  return [...types];
}

/** pauseWhenHidden pauses a shared stream only when no tab that reads it is visible. */
export function anyVisible(tabs: FollowerTabs): boolean {
  for (const tab of tabs.values()) if (tab.visible) return true;
  return false;
}
