/**
 * Stable, non-reversible identifiers for option values that go into a connection key. Header
 * values and bodies are hashed, never embedded: keys are shown in devtools and (with cross-tab
 * sharing) sent to other tabs, and must not carry tokens.
 */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

/** Identity of a function or object within this tab (e.g. a headers() callback). */
export function identityOf(value: object): string {
  let id = objectIds.get(value);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(value, id);
  }
  return `#${id}`;
}

/** cyrb53: a fast 53-bit string hash; collisions only merge streams whose options differ. */
export function hashString(input: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Key part for a value that may be missing, a string, a plain record, or anything else. */
export function keyPart(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return `h${hashString(value)}`;
  if (typeof value === 'function') return identityOf(value);
  if (isPlainRecord(value)) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `h${hashString(JSON.stringify(entries))}`;
  }
  return typeof value === 'object' ? identityOf(value) : String(value);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
