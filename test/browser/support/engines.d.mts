export type EngineName = 'chromium' | 'firefox' | 'webkit';

export declare const ENGINES: readonly ['chromium', 'firefox', 'webkit'];
export declare function currentEngine(): EngineName;
export declare const CHROMIUM_PATH: string;
export declare const FIREFOX_PATH: string;
export declare const CHROMIUM_ARGS: string[];

/** A tab, the same API in every engine. */
export interface TestPage {
  goto(url: string): Promise<void>;
  /** Runs fn in the page (serialized as source: it may use only its argument and page globals). */
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  count(selector: string): Promise<number>;
  attr(selector: string, name: string): Promise<string | null>;
  /** The first match's trimmed text ('' when nothing matches). */
  text(selector: string): Promise<string>;
  texts(selector: string): Promise<string[]>;
  attrs(selector: string, name: string): Promise<Array<string | null>>;
  clickButton(name: string | RegExp): Promise<void>;
  /** True once the document goto() loaded has been replaced (a reload). */
  documentChanged(): Promise<boolean>;
  /** Uncaught errors ('uncaught: …'), console.error and console.warn messages ('console.error: …', 'console.warning: …') since the last clearProblems(). */
  problems(): Promise<string[]>;
  clearProblems(): Promise<void>;
  close(): Promise<void>;
}

/** Pages that share storage, BroadcastChannel and Web Locks (one profile). */
export interface TestContext {
  newPage(): Promise<TestPage>;
  setOffline(offline: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface TestBrowser {
  engine: EngineName;
  newContext(): Promise<TestContext>;
  close(): Promise<void>;
  /** WebKit: why the WebDriver session died ('' while alive); asks the driver. */
  lost?(): Promise<string>;
  /** WebKit: a new session in place of a lost one; every open page reloads its last URL. Returns those pages. */
  recover?(): Promise<TestPage[]>;
}

export declare function launchEngine(engine?: EngineName, options?: { acceptInsecureCerts?: boolean }): Promise<TestBrowser>;
