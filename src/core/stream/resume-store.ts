import { nextFrame } from '../scheduling/notify-scheduler';
import { hashString } from './stable-key';

/**
 * Where a stream with `resume: 'session' | 'local'` keeps its last event id across page loads.
 * The storage key is a hash of the whole stream key (URLs may carry tokens in their query string),
 * the value is the id alone. Only the read is here, so the first request carries the stored id;
 * the writer (batched writes, the 100-entry bound) is a chunk loaded with the first id to keep:
 * apps that leave `resume` at 'memory' never download it.
 */
export interface ResumeStore {
  /** The id an earlier page stored, read when the stream's connection is created. */
  readonly stored: string | undefined;
  /** Keeps the newest id; undefined removes it (the stream finished: the next page starts fresh). */
  save(id: string | undefined): void;
}

/**
 * Library and storage-format version: a later format gets its own keys instead of misreading
 * these. Ids are under `${RESUME_PREFIX}:${hash}`, the writer's index under the prefix itself.
 */
export const RESUME_PREFIX = 'react-sse-hub:v1';

/**
 * The store of one stream, or undefined where the storage area cannot be read (disabled, Safari
 * private mode, no storage at all in Node): the id then lives in memory only, without a word.
 */
export function openResumeStore(area: 'session' | 'local', streamKey: string): ResumeStore | undefined {
  const key = `${RESUME_PREFIX}:${hashString(streamKey)}`;
  let storage: Storage;
  let stored: string | null;
  try {
    storage = (globalThis as Record<string, unknown>)[`${area}Storage`] as Storage;
    stored = storage.getItem(key);
  } catch {
    return undefined;
  }
  let latest: string | undefined;
  /** Until the writer's chunk has loaded, it only keeps the newest id (and starts the download once). */
  let write: (id: string | undefined) => void;
  return {
    stored: stored ?? undefined,
    save(id) {
      latest = id;
      if (write) return write(id);
      write = () => {};
      // A chunk that fails to load leaves the id in memory, like storage that throws.
      import('./resume-writer').then((chunk) => (write = chunk.resumeWriter(storage, RESUME_PREFIX, key, nextFrame))(latest), write);
    },
  };
}
