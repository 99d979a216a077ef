export declare const MIN_WORDS: number;
export interface Sentence {
  text: string;
  normal: string;
  line: number;
}
export declare function sentencesOf(markdown: string): Sentence[];
export declare function normalise(sentence: string): string;
export declare function findRepetitions(files: Record<string, string>): { text: string; places: string[] }[];
