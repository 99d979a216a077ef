/** Page signals the pool reacts to. Injected so tests can drive them without a real browser. */
export interface PageLifecycle {
  isOnline(): boolean;
  isHidden(): boolean;
  /** Starts listening; returns the function that stops. */
  listen(handlers: { visibility(hidden: boolean): void; online(): void; restored(): void }): () => void;
}

/** The browser's document/window events; inert where there is no window (SSR, workers). */
export function browserPageLifecycle(): PageLifecycle {
  const hasWindow = typeof window !== 'undefined' && typeof document !== 'undefined';
  return {
    // navigator.onLine is only trustworthy when false: Chromium reports true behind a dead link,
    // which is harmless here because the transport then fails and backs off.
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
    isHidden: () => hasWindow && document.visibilityState === 'hidden',
    listen(handlers) {
      if (!hasWindow) return () => {};
      const onVisibility = () => handlers.visibility(document.visibilityState === 'hidden');
      const onOnline = () => handlers.online();
      // A page restored from the back/forward cache has lost its connections.
      const onPageShow = (event: PageTransitionEvent) => event.persisted && handlers.restored();
      document.addEventListener('visibilitychange', onVisibility);
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOnline);
      window.addEventListener('pageshow', onPageShow);
      return () => {
        document.removeEventListener('visibilitychange', onVisibility);
        window.removeEventListener('online', onOnline);
        window.removeEventListener('offline', onOnline);
        window.removeEventListener('pageshow', onPageShow);
      };
    },
  };
}
