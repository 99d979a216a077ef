export interface StorybookOptions {
  /** The repository root: Storybook reads .storybook/ and stories/ from there. */
  root: string;
  /** Aborting SIGKILLs what is still running and removes the static build, synchronously. */
  signal?: AbortSignal;
}

export interface StorybookDev {
  /** http://127.0.0.1:<port>, already serving /index.json. */
  origin: string;
  /** Settles with the exit code (or signal) whenever the dev server exits, stopped or not. */
  exited: Promise<number | NodeJS.Signals>;
  /** What it has printed so far. */
  output(): string;
  /** SIGTERM to its process group; SIGKILL to what is left after 5 s. */
  stop(): Promise<void>;
}

export interface StorybookBuild {
  /** A temporary directory holding the static build. */
  dir: string;
  /** Removes the directory. */
  stop(): void;
}

export declare function startStorybookDev(options: StorybookOptions & { port?: number }): Promise<StorybookDev>;
export declare function buildStorybook(options: StorybookOptions): Promise<StorybookBuild>;
