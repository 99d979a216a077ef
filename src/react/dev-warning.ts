// Development checks read `process.env.NODE_ENV !== 'production'` where they are used, never
// through a shared constant: bundlers replace the expression and drop the dead branch only when
// they see it in place (esbuild does not fold a constant imported from another module). Read
// unguarded, as React itself (our peer) reads it: any environment that runs React defines it, and
// a `typeof process` guard would keep bundlers from folding it.

const warned = new Set<string>();

/** A console warning for misuse, once per message, in development only. */
export function warnOnce(message: string): void {
  if (process.env.NODE_ENV === 'production' || warned.has(message)) return;
  warned.add(message);
  console.warn(`react-sse-hub: ${message}`);
}
