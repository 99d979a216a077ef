/**
 * True inside React's act() environment (Testing Library sets it): React then batches by itself
 * and expects updates to happen inside act, so the library notifies and works synchronously.
 */
export function isActEnvironment(): boolean {
  return (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT === true;
}
