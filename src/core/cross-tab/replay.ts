/** How many relayed ids a follower remembers to recognise what a new owner replays. */
const RECENT_IDS = 512;

/** Appends an id, trimming in batches (amortised O(1)). */
export function rememberId(recent: string[], id: string): void {
  recent.push(id);
  if (recent.length > RECENT_IDS * 2) recent.splice(0, recent.length - RECENT_IDS);
}

/**
 * The ids this follower delivered after `resumeFrom`: a new owner that took over before it saw
 * the old owner's last relays resumes from an older id, and the server sends those again.
 */
export function idsAfter(recent: string[], resumeFrom: string | undefined, delivered: string | undefined): string[] {
  if (resumeFrom === delivered) return [];
  if (resumeFrom === undefined) return [...recent];
  const index = recent.lastIndexOf(resumeFrom);
  return index >= 0 ? recent.slice(index + 1) : [];
}
