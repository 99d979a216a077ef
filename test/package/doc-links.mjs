// Relative links of the Markdown the package ships (README.md and docs/*.md): each must point to a
// file the packed package contains, and to a heading that exists when it has a #fragment. The
// docs are read from node_modules and on npm, where repo-only files (bench/, .storybook/,
// examples/, CONTRIBUTING.md) are not there.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** The shipped Markdown whose links are checked: README.md and every docs/*.md in the package. */
export function shippedMarkdown(files) {
  return ['README.md', ...[...files].filter((f) => /^docs\/[^/]+\.md$/.test(f)).sort()];
}

/** Markdown without its fenced code blocks (a link in a code sample is not a link). */
export function withoutFences(markdown) {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** GitHub's (and npm's) heading anchors: lower case, punctuation dropped, spaces to '-', -1, -2 for repeats. */
export function headingAnchors(markdown) {
  const anchors = new Set();
  const seen = new Map();
  for (const [, text] of withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Link targets of a Markdown text: inline links, reference definitions, HTML href/src. */
export function linkTargets(markdown) {
  const text = withoutFences(markdown);
  return [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
    ...[...text.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]),
  ];
}

/**
 * Problems with the relative links of `source` (a path inside the package, e.g. 'docs/api.md'),
 * resolved against its folder. `files` is the set of packed paths; `read(path)` reads a file.
 */
export function brokenLinks(source, files, read = (path) => readFileSync(path, 'utf8')) {
  const problems = [];
  const folder = posix.dirname(source);
  for (const target of new Set(linkTargets(read(source)))) {
    // Absolute URLs (https:, mailto:, protocol-relative) are not the package's business.
    if (/^([a-z][a-z\d+.-]*:|\/\/)/i.test(target)) continue;
    const [rawPath, fragment] = target.split('#', 2);
    const path = rawPath ? posix.normalize(posix.join(folder, decodeURIComponent(rawPath))).replace(/\/$/, '') : source;
    if (rawPath?.startsWith('/') || path.startsWith('../') || path === '..') {
      problems.push(`link ${target} points outside the package`);
      continue;
    }
    const isDir = [...files].some((f) => f.startsWith(`${path}/`));
    if (!files.has(path) && !isDir) {
      problems.push(`link ${target}: ${path} is not in the package (add it to "files" in package.json, or mention it without a link)`);
      continue;
    }
    if (fragment && path.endsWith('.md') && !headingAnchors(read(path)).has(decodeURIComponent(fragment).toLowerCase())) {
      problems.push(`link ${target}: ${path} has no heading with the anchor #${fragment}`);
    }
  }
  return problems;
}

/** Every broken link of the shipped Markdown, prefixed with the file it is in. */
export function brokenDocLinks(files, root = '.') {
  const read = (path) => readFileSync(join(root, path), 'utf8');
  return shippedMarkdown(files).flatMap((source) => brokenLinks(source, files, read).map((problem) => `${source}: ${problem}`));
}
