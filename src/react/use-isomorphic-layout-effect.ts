import { useEffect, useLayoutEffect } from 'react';

/** useLayoutEffect in the browser; useEffect during SSR, where useLayoutEffect warns (effects never run there anyway). */
export const useIsomorphicLayoutEffect = typeof window !== 'undefined' ? useLayoutEffect : useEffect;
