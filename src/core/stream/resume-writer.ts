/** Stream ids kept per storage area; the least recently written beyond this are dropped. */
export const MAX_ENTRIES = 100;

/** One storage area's writes not done yet: the newest id per key (undefined: remove it). */
interface PendingArea {
  storage: Storage;
  indexKey: string;
  ids: Map<string, string | undefined>;
}

/** Every stream's writes not done yet, by area: done together on the next frame, or on pagehide. */
const pending = new Map<Storage, PendingArea>();
let scheduled = false;
let listening = false;
/** When pending writes run: the next frame (see resumeWriter). */
let defer: (write: () => void) => void;

function writePending(): void {
  scheduled = false;
  const areas = [...pending.values()];
  pending.clear();
  for (const area of areas) writeArea(area);
}

/**
 * A storage write costs tens of microseconds in Chromium (about 27 µs for a setItem, measured;
 * a rewrite of a 100-key index several times that), far more than an event: so the ids of a
 * frame are written once each, and the index (the keys, least recently written first) once per
 * frame, only when its order changed. Storage that throws (quota, switched off) is skipped: the
 * connection still has the id in memory.
 */
function writeArea({ storage, indexKey, ids }: PendingArea): void {
  try {
    for (const [key, id] of ids) {
      if (id === undefined) storage.removeItem(key);
      else storage.setItem(key, id);
    }
    const before = storage.getItem(indexKey) ?? '';
    const index = before.split(' ').filter((key) => key && !ids.has(key));
    for (const [key, id] of ids) if (id !== undefined) index.push(key);
    for (const oldest of index.splice(0, Math.max(0, index.length - MAX_ENTRIES))) storage.removeItem(oldest);
    const after = index.join(' ');
    if (after !== before) storage.setItem(indexKey, after);
  } catch {
    // Quota, or storage switched off meanwhile: the ids stay in memory.
  }
}

/**
 * Writes one stream's last event id to `storage` under `key`: at most once per frame, however
 * many events arrive, and at once when the page goes (a reload does not wait for the next
 * frame). An index entry under `indexKey` lists the keys, least recently written first, so the
 * area never holds more than MAX_ENTRIES of them. `nextFrame` comes from the caller: imported
 * here, it would be split out of the main bundle into a chunk of its own.
 */
export function resumeWriter(
  storage: Storage,
  indexKey: string,
  key: string,
  nextFrame: (write: () => void) => void,
): (id: string | undefined) => void {
  defer = nextFrame;
  if (!listening && typeof addEventListener === 'function') {
    listening = true;
    addEventListener('pagehide', writePending);
  }
  return (id) => {
    let area = pending.get(storage);
    if (!area) pending.set(storage, (area = { storage, indexKey, ids: new Map() }));
    area.ids.set(key, id);
    if (scheduled) return;
    scheduled = true;
    defer(writePending);
  };
}
