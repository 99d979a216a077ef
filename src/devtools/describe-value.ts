/**
 * Any value as text of at most `max` characters, never throwing. Event data is typed as a string,
 * but a custom transport, a `parse` that returns objects or a bug elsewhere can hand the panel a
 * number, a circular object, a symbol or something whose toString throws; and a 1 MiB string
 * would freeze the page if it were laid out whole.
 */
export function describeValue(value: unknown, max = 200): string {
  let text: string;
  try {
    // JSON for objects: String() would show only "[object Object]" (and String(undefined) covers
    // a toJSON that returns nothing).
    text = String(typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
  } catch {
    // Circular, a BigInt inside, a throwing toJSON / toString / getter, a revoked proxy.
    text = `[unprintable ${typeof value}]`;
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Data indented when it is JSON, cut to 4000 characters; computed for an expanded event only. */
export function describeData(data: unknown): string {
  try {
    return describeValue(JSON.stringify(JSON.parse(data as string), null, 2), 4000);
  } catch {
    return describeValue(data, 4000); // not JSON (or not even a string): shown as sent
  }
}
