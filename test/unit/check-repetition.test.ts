import { describe, expect, it } from 'vitest';
import { findRepetitions } from '../readme/check-repetition.mjs';

describe('check-repetition', () => {
  it('finds a sentence told in two files, ignoring case, whitespace and markup', () => {
    const repeated = findRepetitions({
      'README.md': '# Title\n\nBrowsers allow six connections per host, shared by every tab. Short one.\n',
      'docs/api.md': 'Intro.\n\n- **browsers   allow six connections per host, shared by\n  every tab**\n',
    });
    expect(repeated).toHaveLength(1);
    expect(repeated[0]!.places).toEqual(['README.md:3', 'docs/api.md:3']);
  });

  it('finds a sentence told twice in one file, and a table cell', () => {
    const text = 'A connection error is cleared by the next successful open.\n\n| a | A connection error is cleared by the next successful open |\n';
    expect(findRepetitions({ 'docs/x.md': text })[0]!.places).toEqual(['docs/x.md:1', 'docs/x.md:3']);
  });

  it('ignores code blocks, short sentences and sentences that differ', () => {
    const code = '```ts\n// the same comment of more than eight words in code\n```\n';
    expect(
      findRepetitions({
        'a.md': `${code}Short repeat here.\n\nThe first sentence of eight words or more here.\n`,
        'b.md': `${code}Short repeat here.\n\nThe second sentence of eight words or more here.\n`,
      }),
    ).toEqual([]);
  });
});
