/**
 * A page signal: its value now, and a subscribe that calls back on every change and returns the
 * function that stops.
 *
 * @example
 * // React Native: online from NetInfo
 * const online: PageSignal<boolean> = {
 *   get: () => lastKnown,
 *   subscribe: (onChange) => NetInfo.addEventListener((s) => { lastKnown = s.isConnected !== false; onChange(); }),
 * };
 */
export interface PageSignal<T> {
  get(): T;
  subscribe(onChange: () => void): () => void;
}

/** The timers a client uses for backoff delays, idle and stall watches, pausing and lingering. */
export interface SseTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** The clock in milliseconds (idle watching, time since the last request). */
  now(): number;
}

/**
 * What a client reads of the world it runs in. Pass any part to `createSseClient({ environment })`;
 * the rest keeps its default. The default reads the browser; without a DOM (Node, React Native,
 * workers) the page is visible and online and never restored from a back/forward cache.
 */
export interface SseEnvironment {
  /** The page is hidden (streams with `pauseWhenHidden` pause after their delay). */
  hidden: PageSignal<boolean>;
  /** The device is online: offline pauses every stream, back online reconnects at once. */
  online: PageSignal<boolean>;
  /** The page came back from the back/forward cache: its connections are gone and are re-opened. */
  restored: Pick<PageSignal<void>, 'subscribe'>;
  timers: SseTimers;
}

const noSubscription = () => () => {};

/** A signal fed by DOM events on `target`, or a constant where there is none. */
function domSignal<T>(get: () => T, target: () => EventTarget | undefined, events: readonly string[]): PageSignal<T> {
  return {
    get,
    subscribe(onChange) {
      const at = target();
      if (!at) return () => {};
      for (const event of events) at.addEventListener(event, onChange);
      return () => events.forEach((event) => at.removeEventListener(event, onChange));
    },
  };
}

const hasDom = () => typeof window !== 'undefined' && typeof document !== 'undefined';

/** The browser's signals and the global timers, each read when used (so fake timers in tests apply). */
export function defaultEnvironment(): SseEnvironment {
  return {
    hidden: domSignal(() => hasDom() && document.visibilityState === 'hidden', () => (hasDom() ? document : undefined), ['visibilitychange']),
    // navigator.onLine is only trustworthy when false: Chromium reports true behind a dead link,
    // which is harmless here because the transport then fails and backs off.
    online: domSignal(() => typeof navigator === 'undefined' || navigator.onLine !== false, () => (hasDom() ? window : undefined), ['online', 'offline']),
    restored: {
      subscribe(onRestore) {
        if (!hasDom()) return noSubscription();
        // A page restored from the back/forward cache has lost its connections.
        const onPageShow = (event: PageTransitionEvent) => event.persisted && onRestore();
        window.addEventListener('pageshow', onPageShow);
        return () => window.removeEventListener('pageshow', onPageShow);
      },
    },
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
    },
  };
}

/** The defaults with the parts a caller replaced (a part given as undefined keeps its default). */
export function resolveEnvironment(given: Partial<SseEnvironment> | undefined): SseEnvironment {
  const env = defaultEnvironment();
  if (!given) return env;
  return {
    hidden: given.hidden ?? env.hidden,
    online: given.online ?? env.online,
    restored: given.restored ?? env.restored,
    timers: given.timers ?? env.timers,
  };
}
