// The cross-tab chunk: what a pool with shareAcrossTabs loads (one download) when the browser has
// BroadcastChannel and Web Locks. Apps that never share across tabs never download it.
export { CrossTabHub } from './hub';
export { SharedOriginBudget } from './shared-origin-budget';
