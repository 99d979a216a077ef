/**
 * True in development builds. Bundlers replace process.env.NODE_ENV, so a production build drops
 * everything this guards. Read unguarded, as React itself (our peer) reads it: any environment
 * that runs React defines it, and a `typeof process` guard would keep bundlers from folding it.
 */
export const DEV = process.env.NODE_ENV !== 'production';

const warned = new Set<string>();

/** A console warning for misuse, once per message, in development only. */
export function warnOnce(message: string): void {
  if (!DEV || warned.has(message)) return;
  warned.add(message);
  console.warn(`react-sse-hub: ${message}`);
}
