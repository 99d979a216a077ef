import { describe, expect, it } from 'vitest';
import { blocksDir, markdownBlocks, writeBlocks } from '../readme/extract-blocks.mjs';

// The docs' examples are type-checked by test/readme/check-readme.mjs; this runs the one that
// is a test itself (docs/testing.md, "The mock transport"), so the test users copy is known to pass.
describe('docs examples', () => {
  it('the mock transport example of docs/testing.md runs and passes', async () => {
    writeBlocks();
    const block = markdownBlocks('docs/testing.md').find((b) => b.code.includes('export function testPrice'));
    expect(block).toBeDefined();
    const mod = (await import(/* @vite-ignore */ `${blocksDir}/${block!.file}`)) as {
      testPrice(): { connections: number; requests: unknown[] };
    };
    const result = mod.testPrice();
    // After the 503 the stream waits out its backoff: no live connection, one attempt so far.
    expect(result.connections).toBe(0);
    expect(result.requests).toHaveLength(1);
  });
});
