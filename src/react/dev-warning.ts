const warned = new Set<string>();

/**
 * A console warning for misuse, once per message, in development only: bundlers replace
 * process.env.NODE_ENV and drop the rest in production builds; without a bundler (no `process`)
 * it stays silent.
 */
export function warnOnce(message: string): void {
  if (typeof process === 'undefined' || process.env.NODE_ENV === 'production' || warned.has(message)) return;
  warned.add(message);
  console.warn(`react-sse-hub: ${message}`);
}
