/**
 * Driving the VS Code workbench in a browser page the way a user does: quick open, the command
 * palette, clicks and mouse moves on characters of the editor, the keyboard. Selectors are the
 * workbench's own DOM (Monaco's `.view-line`, `.squiggly-error`, `.monaco-hover`; the webview's
 * nested iframes `iframe.webview.ready` > `#active-frame`).
 *
 * Waits use Playwright's auto-waiting with explicit deadlines; nothing sleeps.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** The editor that has focus (the last one of the active group). */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Waits until the workbench has restored and the explorer shows the workspace. */
export async function waitForWorkbench(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Opens a workspace file by name through Quick Open (Ctrl+P), as a user would. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(fileName);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page
    .locator(`.tab.active[aria-label^="${fileName}"], .tab.active[title$="${fileName}"]`)
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
  await activeEditor(page).locator('.view-lines').waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Runs a command by its title from the command palette (F1). `then: 'pick'` for a command whose
 * own quick pick opens next (the colour theme picker): it waits for that instead of a closed one.
 */
export async function runCommand(page: Page, title: string, then: 'close' | 'pick' = 'close'): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  await input.waitFor({ state: then === 'close' ? 'hidden' : 'visible', timeout: 30_000 });
}

/**
 * The on-screen box of `needle` (its `occurrence`-th match, 0-based, counted from the start of
 * the line's code) on the first rendered line whose code, indentation aside, starts with
 * `lineText` (so a comment quoting the code does not match). Monaco renders spaces as U+00A0;
 * both are compared as spaces. Throws when the line is not rendered.
 */
export async function textBox(
  page: Page,
  lineText: string,
  needle: string,
  occurrence = 0,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await activeEditor(page).evaluate(
    (editor, args) => {
      const norm = (s: string): string => s.replace(/\u00a0/g, ' ');
      const lines = Array.from(editor.querySelectorAll('.view-lines .view-line')) as HTMLElement[];
      const line = lines.find((l) =>
        norm(l.textContent ?? '')
          .trimStart()
          .startsWith(args.lineText),
      );
      if (!line) return null;
      const text = norm(line.textContent ?? '');
      let at = text.length - text.trimStart().length - 1;
      for (let i = 0; i <= args.occurrence; i++) {
        at = text.indexOf(args.needle, at + 1);
        if (at < 0) return null;
      }
      // Walk the text nodes to the character offsets and measure them with a Range.
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      let started = false;
      const end = at + args.needle.length;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent?.length ?? 0;
        if (!started && at < seen + len) {
          range.setStart(node, at - seen);
          started = true;
        }
        if (started && end <= seen + len) {
          range.setEnd(node, end - seen);
          const r = range.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        }
        seen += len;
      }
      return null;
    },
    { lineText, needle, occurrence },
  );
  if (!box) throw new Error(`no rendered line containing '${lineText}' with '${needle}' (occurrence ${occurrence})`);
  return box;
}

/** Clicks just after `needle` on the line containing `lineText`: the caret lands there. */
export async function clickAfter(page: Page, lineText: string, needle: string, occurrence = 0): Promise<void> {
  const b = await textBox(page, lineText, needle, occurrence);
  await page.mouse.click(b.x + b.width - 1, b.y + b.height / 2);
}

/** Moves the mouse over the middle of `needle` on the line containing `lineText`. */
export async function hoverText(page: Page, lineText: string, needle: string, occurrence = 0): Promise<void> {
  const b = await textBox(page, lineText, needle, occurrence);
  // Leave first, so a hover already showing for another word is replaced, not kept.
  await page.mouse.move(b.x + b.width / 2, b.y - 4 * b.height);
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
}

/** The visible editor hover widget. */
export function hoverWidget(page: Page): Locator {
  return page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).first();
}

/** Moves the mouse off the editor and waits until no hover covers it (clicks would land on it). */
export async function dismissHover(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.mouse.move(1, 1);
  await page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /\S/ }).first().waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The caret position the status bar shows, `{ line, column }` 1-based as VS Code shows them. */
export async function statusCursor(page: Page): Promise<{ line: number; column: number } | null> {
  const text = await page
    .locator('#status\\.editor\\.selection')
    .innerText()
    .catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** Waits until the status bar shows the caret on 1-based `line`. */
export async function waitForCursorLine(page: Page, line: number, timeoutMs = 10_000): Promise<void> {
  await page
    .locator('#status\\.editor\\.selection', { hasText: new RegExp(`Ln ${line},`) })
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The content document of an extension's webview: `iframe.webview.ready` > `#active-frame`. */
export function webviewContent(page: Page, extensionId: string): FrameLocator {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).frameLocator('#active-frame');
}

/** Saves a screenshot of the page (or of `clip`, in CSS pixels) as `<dir>/<name>.png`; returns its path. */
export async function screenshot(
  page: Page,
  dir: string,
  name: string,
  clip?: { x: number; y: number; width: number; height: number },
): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // (animations finished: a hover fading in is shown as the user sees it once it has appeared)
  await page.screenshot({ path: file, animations: 'disabled', clip });
  return file;
}

/**
 * The 1-based editor lines that carry the memory panel's stepping marks: the gutter arrow of
 * the line just executed (`step-executed.svg`) and of the next one (`step-next.svg`), found by
 * their icon's URL and matched to the line number beside them.
 */
export async function stepMarks(page: Page): Promise<{ executed: number[]; next: number[] }> {
  // The code is in the first editor group (the panel sits beside it and may have the focus).
  return page
    .locator('.editor-group-container')
    .first()
    .locator('.monaco-editor')
    .first()
    .evaluate((editor) => {
      const lines = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({
        n: Number((e.textContent ?? '').trim()),
        r: e.getBoundingClientRect(),
      }));
      const out: { executed: number[]; next: number[] } = { executed: [], next: [] };
      for (const el of editor.querySelectorAll('.margin *, .glyph-margin-widgets *')) {
        const bg = getComputedStyle(el).backgroundImage;
        const kind = bg.includes('step-executed') ? 'executed' : bg.includes('step-next') ? 'next' : undefined;
        if (!kind) continue;
        const r = el.getBoundingClientRect();
        const y = r.top + r.height / 2;
        const line = lines.find((l) => y >= l.r.top && y < l.r.bottom);
        if (line && !out[kind].includes(line.n)) out[kind].push(line.n);
      }
      return out;
    });
}

/** Gives the keyboard back to the code: the first editor group (Ctrl+1), where the Rust files open. */
export async function focusCode(page: Page): Promise<void> {
  await page.keyboard.press('Control+1');
  await page.locator('.editor-group-container.active').first().waitFor({ state: 'visible', timeout: 10_000 });
  await page
    .locator('.editor-group-container')
    .first()
    .locator('.monaco-editor.focused')
    .first()
    .waitFor({ state: 'attached', timeout: 10_000 });
}

/** Waits until the stepping marks are on these 1-based lines (see `stepMarks`). */
export async function waitForStepMarks(page: Page, want: { executed: number; next?: number }, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let got = await stepMarks(page);
  const ok = () =>
    got.executed.length === 1 && got.executed[0] === want.executed && (want.next === undefined || got.next.includes(want.next));
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`step marks ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    // Re-read after the next frame the editor paints (no fixed sleep).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    got = await stepMarks(page);
  }
}

/** Switches the colour theme as a user does (Preferences: Color Theme) and waits until the workbench shows it. */
export async function setColorTheme(page: Page, theme: 'Light Modern' | 'Dark Modern' | 'Dark High Contrast'): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme', 'pick');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 30_000 });
  const cls = theme === 'Light Modern' ? 'vs' : theme === 'Dark Modern' ? 'vs-dark' : 'hc-black';
  await page.locator(`.monaco-workbench.${cls}`).waitFor({ state: 'attached', timeout: 30_000 });
}
