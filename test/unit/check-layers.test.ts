import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without declarations
import { checkLayers } from '../architecture/check-layers.mjs';

const check = checkLayers as (core?: string) => string[];
const roots: string[] = [];

/** A throwaway core: { 'errors/a.ts': "import … from '../client/b';", … } */
function fixture(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

describe('the core layer check (npm test runs it on src/core)', () => {
  it('passes on the repository core', () => {
    expect(check()).toEqual([]);
  });

  it('accepts downward imports', () => {
    const core = fixture({ 'client/a.ts': "import { b } from '../errors/b';", 'errors/b.ts': 'export const b = 1;' });
    expect(check(core)).toEqual([]);
  });

  it('fails on an upward import, a type-only one included', () => {
    const core = fixture({ 'errors/a.ts': "import type { B } from '../client/b';", 'client/b.ts': 'export type B = 1;' });
    expect(check(core)).toEqual([expect.stringContaining("'errors' may not import 'client'")]);
  });

  it('fails on a sideways import between folders of one layer', () => {
    const core = fixture({ 'budget/a.ts': "export { b } from '../transport/b';", 'transport/b.ts': 'export const b = 1;' });
    expect(check(core)).toEqual([expect.stringContaining("'budget' may not import 'transport'")]);
  });

  it('fails on a cycle inside one folder, through a dynamic import too', () => {
    const core = fixture({ 'stream/a.ts': "import { b } from './b';", 'stream/b.ts': "export const b = () => import('./a');" });
    expect(check(core)).toEqual([expect.stringMatching(/^cycle: stream\/(a|b)\.ts -> stream\/(a|b)\.ts$/)]);
  });

  it('fails on a folder that belongs to no layer', () => {
    const core = fixture({ 'misc/a.ts': 'export const a = 1;' });
    expect(check(core)).toEqual([expect.stringContaining('src/core/misc is in no layer')]);
  });
});
