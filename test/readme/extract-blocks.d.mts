export declare const blocksDir: string;
export declare function readmeBlocks(): { index: number; lang: string; code: string }[];
export declare function writeBlocks(): string[];
