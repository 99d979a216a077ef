// @vitest-environment node
import { Suspense } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SseProvider, useSuspenseLatestEvent } from 'react-sse-hub';

describe('useSuspenseLatestEvent on the server', () => {
  it('suspends: the fallback is rendered and no connection is attempted', () => {
    function Price() {
      const { data } = useSuspenseLatestEvent<number>('/api/prices', 'tick');
      return <b>{data}</b>;
    }
    const html = renderToString(
      <SseProvider>
        <Suspense fallback={<i>loading</i>}>
          <Price />
        </Suspense>
      </SseProvider>,
    );
    expect(html).toContain('<i>loading</i>');
    expect(html).not.toContain('<b>');
  });
});
