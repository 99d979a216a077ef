// Fails when README.md and docs/*.md tell the same thing twice: a sentence of 8 words or more
// (outside code blocks, compared lowercase with whitespace collapsed) that appears in two places,
// in two files or twice in one. Each fact has one home; other places link to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockSources } from './extract-blocks.mjs';

export const MIN_WORDS = 8;

/** Markdown prose only: fenced code blocks, HTML comments and link targets removed. */
function prose(markdown) {
  return markdown
    .replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/** Sentences of a Markdown text with their 1-based line numbers: paragraphs, list items and table cells are split apart. */
export function sentencesOf(markdown) {
  const sentences = [];
  const lines = prose(markdown).split('\n');
  // The line numbers of the prose match the original's only where nothing was removed above them,
  // so look each sentence's first words up in the original text instead.
  const original = markdown.split('\n');
  let block = [];
  const flush = () => {
    if (block.length === 0) return;
    const text = block.join(' ');
    block = [];
    for (const sentence of text.split(/(?<=[.!?])\s+(?=[^a-z0-9])/)) {
      const normal = normalise(sentence);
      if (normal.split(' ').filter(Boolean).length < MIN_WORDS) continue;
      const probe = sentence.trim().slice(0, 30);
      const at = original.findIndex((line) => line.includes(probe));
      sentences.push({ text: sentence.trim(), normal, line: at + 1 });
    }
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || /^#{1,6}\s/.test(line) || /^\|?\s*:?-{3,}/.test(line)) {
      flush();
      if (/^#{1,6}\s/.test(line)) block.push(line.replace(/^#+\s*/, ''));
      flush();
      continue;
    }
    if (line.startsWith('|')) {
      flush();
      for (const cell of line.split('|')) {
        block.push(cell);
        flush();
      }
      continue;
    }
    if (/^([-*+]|\d+\.)\s/.test(line)) flush();
    block.push(line.replace(/^([-*+]|\d+\.)\s+/, '').replace(/^>\s?/, ''));
  }
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
