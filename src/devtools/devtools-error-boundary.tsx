import { Component, type ReactNode } from 'react';
import { describeValue } from './describe-value';

/**
 * Whatever throws inside the panel (a payload it cannot show, a bug in it) replaces the panel with
 * a one-line note: without a boundary React would unmount the whole app it sits in. A class, as
 * error boundaries have no hook. Kept bare for the devtools size budget: no initial state (React
 * starts it as null; a class field would add a constructor) and a text note (no JSX runtime import).
 */
export class DevtoolsErrorBoundary extends Component<{ children: ReactNode }, { failure?: string }> {
  static getDerivedStateFromError(error: unknown) {
    return { failure: describeValue(error instanceof Error ? error.message : error) };
  }

  override render() {
    const failure = this.state?.failure; // `?.`: null until the first error, whatever the type says
    return failure === undefined ? this.props.children : `devtools failed: ${failure}`;
  }
}
