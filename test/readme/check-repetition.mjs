// Fails when README.md and docs/*.md tell the same thing twice: a sentence of 8 words or more
// (outside code blocks, compared lowercase with whitespace collapsed) that appears in two places,
// in two files or twice in one. Each fact has one home; other places link to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockSources } from './extract-blocks.mjs';

export const MIN_WORDS = 8;

/** A line without its link targets and HTML comments (the link text stays). */
function proseOf(line) {
  return line.replace(/<!--.*?-->/g, '').replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/**
 * Sentences of a Markdown text outside code blocks, each with the 1-based line it starts on.
 * Paragraphs, list items, headings and table cells are split apart; a paragraph is split into
 * sentences after `.`, `!` or `?` followed by whitespace and not a lowercase word or a number.
 */
export function sentencesOf(markdown) {
  const sentences = [];
  /** The current paragraph: its pieces, each with the line it came from. */
  let block = [];
  const flush = () => {
    if (block.length === 0) return;
    let text = '';
    const starts = [];
    for (const piece of block) {
      starts.push({ at: text.length, line: piece.line });
      text += `${piece.text} `;
    }
    block = [];
    let offset = 0;
    for (const sentence of text.split(/(?<=[.!?])\s+(?=[^a-z0-9])/)) {
      const at = text.indexOf(sentence, offset);
      offset = at + sentence.length;
      const normal = normalise(sentence);
      if (normal.split(' ').filter(Boolean).length < MIN_WORDS) continue;
      const line = starts.filter((s) => s.at <= at).at(-1).line;
      sentences.push({ text: sentence.trim(), normal, line });
    }
  };
  let fence;
  markdown.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    const marker = /^(```|~~~)/.exec(trimmed)?.[1];
    if (fence) {
      if (marker === fence && /^(```|~~~)\s*$/.test(trimmed)) fence = undefined;
      return;
    }
    if (marker) {
      flush();
      fence = marker;
      return;
    }
    const line = proseOf(trimmed).trim();
    if (line === '' || /^\|?\s*:?-{3,}/.test(line)) return flush();
    if (/^#{1,6}\s/.test(line)) {
      flush();
      block.push({ text: line.replace(/^#+\s*/, ''), line: lineNo });
      return flush();
    }
    if (line.startsWith('|')) {
      flush();
      for (const cell of line.split('|')) {
        block.push({ text: cell, line: lineNo });
        flush();
      }
      return;
    }
    if (/^([-*+]|\d+\.)\s/.test(line)) flush();
    block.push({ text: line.replace(/^([-*+]|\d+\.)\s+/, '').replace(/^>\s?/, ''), line: lineNo });
  });
  flush();
  return sentences;
}

/** Lowercase, markup dropped, whitespace collapsed, no trailing punctuation. */
export function normalise(sentence) {
  return sentence
    .toLowerCase()
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.!?:;,]+$/, '');
}

/**
 * Every sentence told more than once across the given files ({ name: markdown }): one entry per
 * repeated sentence, with where it appears (`file:line`).
 */
export function findRepetitions(files) {
  const seen = new Map();
  for (const [name, markdown] of Object.entries(files)) {
    for (const { text, normal, line } of sentencesOf(markdown)) {
      const places = seen.get(normal) ?? { text, places: [] };
      places.places.push(`${name}:${line}`);
      seen.set(normal, places);
    }
  }
  return [...seen.values()].filter((entry) => entry.places.length > 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
  const sources = blockSources();
  const files = Object.fromEntries(sources.map((name) => [name, readFileSync(join(root, name), 'utf8')]));
  const repeated = findRepetitions(files);
  if (repeated.length > 0) {
    console.error(`The same sentence is told more than once (say it in one place and link to it):`);
    for (const { text, places } of repeated) console.error(`  ${places.join(', ')}: "${text}"`);
    process.exit(1);
  }
  console.log(`No sentence of ${MIN_WORDS}+ words is repeated across ${sources.join(', ')}.`);
}
