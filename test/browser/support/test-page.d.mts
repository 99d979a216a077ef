export declare function collectProblems(): void;
