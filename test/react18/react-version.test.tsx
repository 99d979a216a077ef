import { render } from '@testing-library/react';
import { version as reactVersion } from 'react';
import { version as reactDomVersion } from 'react-dom';
import { expect, it } from 'vitest';
import { SseProvider, useLatestEvent } from 'react-sse-hub';
import { createMockTransport } from 'react-sse-hub/testing';

// The unit-react18 project re-runs test/unit/** with React 18 aliased in; this proves the alias
// really took effect (for the hooks, the renderer and Testing Library alike).
it('runs on React 18', () => {
  expect(reactVersion).toMatch(/^18\./);
  expect(reactDomVersion).toMatch(/^18\./);
  let seen = '';
  function Probe() {
    seen = useLatestEvent<{ n: number }>('/api/version', 'message').status;
    return null;
  }
  render(
    <SseProvider transport={createMockTransport()}>
      <Probe />
    </SseProvider>,
  );
  expect(seen).toBe('connecting');
});
