import { nextFrame } from '../scheduling/notify-scheduler';

/** Stream ids kept per storage area; the least recently written beyond this are dropped. */
export const MAX_ENTRIES = 100;

/** Writes not done yet, of every stream: done together on the next frame, or on pagehide. */
const pending = new Set<() => void>();
let listening = false;

function writePending(): void {
  const writes = [...pending];
  pending.clear();
  for (const write of writes) write();
}

/**
 * Writes one stream's last event id to `storage` under `key`: at most once per frame, however
 * many events arrive, and at once when the page goes (a reload does not wait for the next frame).
 * An index entry (under `indexKey`) lists the keys, least recently written first, so the area never
 * holds more than MAX_ENTRIES of them. Storage that throws (quota, switched off) is skipped: the
 * connection still has the id in memory.
 */
export function resumeWriter(storage: Storage, indexKey: string, key: string): (id: string | undefined) => void {
  if (!listening && typeof addEventListener === 'function') {
    listening = true;
    addEventListener('pagehide', writePending);
  }
  let latest: string | undefined;
  const write = () => {
    try {
      if (latest === undefined) storage.removeItem(key);
      else storage.setItem(key, latest);
      const index = (storage.getItem(indexKey) ?? '').split(' ').filter((k) => k && k !== key);
      if (latest !== undefined) index.push(key);
      for (const oldest of index.splice(0, Math.max(0, index.length - MAX_ENTRIES))) storage.removeItem(oldest);
      storage.setItem(indexKey, index.join(' '));
    } catch {
      // Quota, or storage switched off meanwhile: the id stays in memory.
    }
  };
  return (id) => {
    latest = id;
    if (pending.has(write)) return;
    if (pending.size === 0) nextFrame(writePending);
    pending.add(write);
  };
}
