// The page API every engine's pages share: DOM queries run in the page, so they answer the same
// way everywhere; problem collection for engines whose driver has no page events.

/**
 * Installed in a page to collect what Playwright's pageerror/console events report elsewhere.
 * The harness's own pages run it before any other script; other pages get it right after load.
 */
export function collectProblems() {
  if (window.__testProblems) return;
  const problems = (window.__testProblems = []);
  addEventListener('error', (event) => problems.push(`uncaught: ${String(event.error ?? event.message)}`));
  addEventListener('unhandledrejection', (event) => problems.push(`uncaught: ${String(event.reason)}`));
  for (const level of ['error', 'warn']) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      problems.push(`console.${level === 'warn' ? 'warning' : level}: ${args.map(String).join(' ')}`);
      original(...args);
    };
  }
}

/**
 * Marks the document a goto loaded, so documentChanged() can tell a reload (Vite's, say) from a
 * long wait without engine-specific navigation events.
 */
export async function markDocument(page) {
  await page.evaluate(() => {
    window.__testDocument = true;
  });
}

/** Queries every engine answers the same way, run in the page. */
export function withDomHelpers(page) {
  return Object.assign(page, {
    count: (selector) => page.evaluate((s) => document.querySelectorAll(s).length, selector),
    attr: (selector, name) => page.evaluate(([s, n]) => document.querySelector(s)?.getAttribute(n) ?? null, [selector, name]),
    text: (selector) => page.evaluate((s) => (document.querySelector(s)?.textContent ?? '').trim(), selector),
    texts: (selector) => page.evaluate((s) => [...document.querySelectorAll(s)].map((el) => (el.textContent ?? '').trim()), selector),
    attrs: (selector, name) => page.evaluate(([s, n]) => [...document.querySelectorAll(s)].map((el) => el.getAttribute(n)), [selector, name]),
    documentChanged: () => page.evaluate(() => !('__testDocument' in window)),
    /**
     * Clicks the first button whose text is `name` (a string matches the trimmed text exactly, a
     * RegExp tests it). A DOM click: the same event in every engine, and no engine's
     * actionability wait (which timed out in Firefox under Vitest's own userEvent).
     */
    async clickButton(name) {
      const matcher = typeof name === 'string' ? { exact: name } : { source: name.source, flags: name.flags };
      const clicked = await page.evaluate((m) => {
        const matches = (text) => (m.exact !== undefined ? text === m.exact : new RegExp(m.source, m.flags).test(text));
        const button = [...document.querySelectorAll('button')].find((b) => matches((b.textContent ?? '').trim()));
        button?.click();
        return button !== undefined;
      }, matcher);
      if (!clicked) throw new Error(`No button named ${String(name)} on the page`);
    },
  });
}
