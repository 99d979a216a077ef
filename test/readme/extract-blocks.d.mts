export interface CodeBlock {
  /** The Markdown file, relative to the repository root: 'README.md', 'docs/recipes.md'. */
  source: string;
  index: number;
  lang: string;
  code: string;
  /** The module's name in blocksDir. */
  file: string;
}
export declare const blocksDir: string;
export declare function blockSources(): string[];
export declare function markdownBlocks(source: string): CodeBlock[];
export declare function readmeBlocks(): CodeBlock[];
export declare function writeBlocks(): CodeBlock[];
