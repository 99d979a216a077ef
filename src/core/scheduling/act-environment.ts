let detect: () => boolean = () => false;

/**
 * The React layer installs React's act() detection here (Testing Library sets the flag): inside
 * act, React batches by itself and expects updates to happen inside it, so the scheduler notifies
 * and the work slicer works synchronously. The core itself never reads React's globals.
 */
export function setActEnvironment(detector: () => boolean): void {
  detect = detector;
}

export function isActEnvironment(): boolean {
  return detect();
}
