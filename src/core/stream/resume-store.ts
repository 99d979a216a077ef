import { resumeWriter } from './resume-writer';

/**
 * Where a stream with `resume: 'session' | 'local'` keeps its last event id across page loads.
 * The storage key is a hash of the whole stream key (URLs may carry tokens in their query string),
 * the value is the id alone. A lazily loaded chunk, with its writer (batched writes, the 100-entry
 * bound): the client holds the stream's connection until it has loaded and read the stored id,
 * so the first request carries it. Apps that leave `resume` at 'memory' never download it.
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
 * The store of one stream (`keyHash`: the hashed stream key), or undefined where the storage
 * area cannot be read (disabled, Safari private mode, no storage at all in Node): the id then
 * lives in memory only, without a word. `nextFrame` comes from the caller, as the writer's does.
 */
export function openResumeStore(area: 'session' | 'local', keyHash: string, nextFrame: (write: () => void) => void): ResumeStore | undefined {
  const key = `${RESUME_PREFIX}:${keyHash}`;
  let storage: Storage;
  let stored: string | null;
  try {
    storage = (globalThis as Record<string, unknown>)[`${area}Storage`] as Storage;
    stored = storage.getItem(key);
  } catch {
    return undefined;
  }
  return { stored: stored ?? undefined, save: resumeWriter(storage, RESUME_PREFIX, key, nextFrame) };
}
