/**
 * End to end in a real VS Code: the packaged `.vsix` is installed into code-server (VS Code 1.100
 * in a browser), a seed example is opened, and Playwright checks what a user sees: the squiggle,
 * the Problems view, the hover, the memory panel and an edit that fixes the error.
 *
 * Run with `npm run test:e2e` (packages first). Needs Debian's chromium (CHROMIUM overrides
 * /usr/bin/chromium) and what `test/e2e/build-code-server.sh` needs. Screenshots of every step
 * go to `test-output/e2e/`; code-server's log to `test-output/e2e/code-server.log`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../support/fixtures';
import { makeSeedWorkspace } from './workspace';
import { buildCodeServer, packagedVsix, startCodeServer, type CodeServer } from './codeServer';
import {
  activeEditor,
  clickAfter,
  dismissHover,
  hoverText,
  hoverWidget,
  quickOpen,
  runCommand,
  screenshot,
  textBox,
  waitForCursorLine,
  waitForWorkbench,
  webviewContent,
} from './workbench';

const root = repoRoot();
const outDir = path.join(root, 'test-output', 'e2e');
const extensionId = 'rust-memory.rust-memory';
describe('Rust Memory in a real VS Code (code-server)', { timeout: 60 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  /** 1-based number of the line of main.rs whose code starts with `prefix`. */
  let lineOf: (prefix: string) => number;

  before(async () => {
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const vsix = packagedVsix(root);
    const codeServerDir = await buildCodeServer(root);

    const ws = makeSeedWorkspace();
    workspace = ws.folder;
    const lines = fs.readFileSync(ws.file, 'utf8').split('\n');
    lineOf = (prefix) => {
      const i = lines.findIndex((l) => l.trimStart().startsWith(prefix));
      assert.ok(i >= 0, `no line starts with ${prefix}`);
      return i + 1;
    };

    server = await startCodeServer({ codeServerDir, vsix, workspace, logFile: path.join(outDir, 'code-server.log') });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (err) => fs.appendFileSync(path.join(outDir, 'page-errors.log'), `${err.stack ?? err}\n`));
    await page.goto(server.url);
    await waitForWorkbench(page);
    await quickOpen(page, 'main.rs');
    await screenshot(page, outDir, '00-opened');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  test('the packaged extension installs from the .vsix with everything it needs to run', async () => {
    assert.match(server!.installLog, new RegExp(`${extensionId.split('.')[1]}.*successfully installed`, 'i'));
    const installed = fs.readdirSync(server!.extensionsDir).find((d) => d.startsWith(`${extensionId}-`));
    assert.ok(installed, `no ${extensionId}-* folder in ${server!.extensionsDir}`);
    // What the vsix must carry to run on its own (see .vscodeignore).
    const ext = path.join(server!.extensionsDir, installed!);
    for (const f of [
      'dist/extension.js',
      'dist/server.js',
      'dist/analysisWorker.js',
      'dist/webview.js',
      `node_modules/tree-sitter/prebuilds/${process.platform}-${process.arch}/tree-sitter.node`,
      `node_modules/tree-sitter-rust/prebuilds/${process.platform}-${process.arch}/tree-sitter-rust.node`,
      'node_modules/node-gyp-build/index.js',
    ]) {
      assert.ok(fs.existsSync(path.join(ext, f)), `${f} is missing from the installed extension`);
    }
  });

  test('the use-after-move squiggle appears and Problems lists E0382 from rust-memory', async () => {
    const squiggle = activeEditor(page).locator('.squiggly-error').first();
    try {
      await squiggle.waitFor({ state: 'visible', timeout: 90_000 });
    } finally {
      await screenshot(page, outDir, '01-squiggle');
    }
    // The squiggle is under the `x` passed to println!, not somewhere else on the line.
    const x = await textBox(page, 'println!', 'x', 1);
    const s = (await squiggle.boundingBox())!;
    assert.ok(
      s.x <= x.x + 1 && s.x + s.width >= x.x + x.width - 1,
      `squiggle [${s.x}, ${s.x + s.width}] does not cover x [${x.x}, ${x.x + x.width}]`,
    );
    assert.ok(Math.abs(s.y - x.y) < x.height * 1.5, 'squiggle is not on the println! line');

    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible', timeout: 30_000 });
    const row = problems.locator('.monaco-list-row', { hasText: 'E0382' }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await screenshot(page, outDir, '02-problems');
    }
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /borrow of moved value/);
    assert.match(text, /rust-memory/);
    assert.match(text, /E0382/);
    await page.keyboard.press('Control+Shift+M');
  });

  test('hovering the moved variable says where it lives and that it was moved to y', async () => {
    await hoverText(page, 'println!', 'x', 1);
    const hover = hoverWidget(page);
    try {
      // (the diagnostic's hover shows first; ours is the one that says where the value went)
      await hover.filter({ hasText: /moved to/i }).waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await screenshot(page, outDir, '03-hover');
    }
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /String/, 'hover names the type');
    assert.match(text, /stack/i, 'hover says where x lives');
    assert.match(text, /\bmain\b/, 'hover names the frame');
    assert.match(text, /moved to `?y`?/i, 'hover gives the state: moved to y');
    await dismissHover(page);
  });

  test('"Rust Memory: Open Memory Panel" shows the frames and heap for the cursor line, and follows the cursor', async () => {
    await dismissHover(page);
    await clickAfter(page, 'let x = String::from', ';');
    await waitForCursorLine(page, lineOf('let x = String::from'));
    await runCommand(page, 'Rust Memory: Open Memory Panel');
    // The renderer's documented hooks (shared/render/svg.ts): g.frame[data-function],
    // g.slot[data-name][data-state], g.heap-block, g.arrow[data-source][data-region].
    const diagram = webviewContent(page, extensionId).locator('svg.rm-diagram');
    const main = diagram.locator('g.frame[data-function="main"]');
    const slot = (name: string, state?: string): Locator =>
      main.locator(`g.slot[data-name="${name}"]${state ? `[data-state="${state}"]` : ''}`);
    const heapFrom = async (name: string): Promise<Locator> => {
      const id = await slot(name).first().getAttribute('data-id');
      return diagram.locator(`g.arrow[data-source="${id}"][data-region="heap"]`);
    };
    const squeeze = (t: string): string => t.replace(/[\s'"]/g, '');

    // On the line of `let x = String::from("wilspi");`: x owns a heap block, y does not exist yet.
    try {
      await slot('x', 'init').waitFor({ state: 'visible', timeout: 60_000 });
    } finally {
      await screenshot(page, outDir, '04-panel-let-x');
    }
    assert.equal(await slot('y', 'init').count(), 0, 'y holds nothing yet on the line of `let x`');
    const blocks = diagram.locator('g.heap-block:not(.freed)');
    assert.equal(await blocks.count(), 1, "one live heap block: the String's bytes");
    // One cell per byte; each cell's value text (not its index) is the char.
    const chars = await blocks.first().locator('g.cell:not(.spare) text:not(.index)').allTextContents();
    assert.equal(squeeze(chars.join('')), 'wilspi', 'the heap block holds the bytes of "wilspi"');
    assert.equal(await (await heapFrom('x')).count(), 1, 'an arrow from x to the heap');
    const atLetX = await diagram.evaluate((svg) => svg.outerHTML);

    // Cursor on the println! line: y owns the bytes, x is moved-from, the picture changed.
    await clickAfter(page, 'println!', ';');
    await waitForCursorLine(page, lineOf('println!'));
    try {
      await slot('y', 'init').waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await screenshot(page, outDir, '05-panel-println');
    }
    assert.equal(await slot('x', 'moved').count(), 1, 'x is shown moved-from');
    assert.equal(await (await heapFrom('y')).count(), 1, 'an arrow from y to the heap');
    assert.equal(await diagram.locator('g.heap-block:not(.freed)').count(), 1, 'still one heap block: moving copies no bytes');
    assert.notEqual(await diagram.evaluate((svg) => svg.outerHTML), atLetX, 'moving the cursor changes the picture');

    // The picture a learner sees: squiggle, hover and panel together (the README's screenshot),
    // with the side bar closed so that the hover does not cover the panel.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1920, height: 1000 });
    // The sash between the editor and the panel moves right, so the hover fits beside the panel.
    const sash = page.locator('.part.editor .grid-view-container .sash-container > .monaco-sash.vertical').first();
    const sb = await sash.boundingBox();
    assert.ok(sb && sb.height > 300, 'the sash between the editor groups');
    await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2);
    await page.mouse.down();
    await page.mouse.move(sb.x + sb.width / 2 + 250, sb.y + sb.height / 2, { steps: 5 });
    await page.mouse.up();
    await clickAfter(page, 'println!', ';');
    await waitForCursorLine(page, lineOf('println!'));
    await slot('y', 'init').waitFor({ state: 'visible', timeout: 30_000 });
    await hoverText(page, 'println!', 'x', 1);
    await hoverWidget(page)
      .filter({ hasText: /moved to/i })
      .waitFor({ state: 'visible', timeout: 30_000 });
    // (docs/screenshot.png is this file: cp test-output/e2e/readme.png docs/screenshot.png)
    await screenshot(page, outDir, 'readme', { x: 0, y: 0, width: 1920, height: 520 });
    await dismissHover(page);
    if (viewport) await page.setViewportSize(viewport);
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  });

  test('typing .clone() after x in `let y = x;` removes the squiggle', async () => {
    await dismissHover(page);
    await clickAfter(page, 'let y = x', 'x');
    await waitForCursorLine(page, lineOf('let y = x'));
    await page.keyboard.type('.clone()');
    await activeEditor(page).locator('.view-line', { hasText: 'x.clone()' }).waitFor({ state: 'visible', timeout: 10_000 });
    try {
      await activeEditor(page).locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
    } finally {
      await screenshot(page, outDir, '06-fixed');
    }
    const line = await activeEditor(page).locator('.view-line', { hasText: 'x.clone()' }).first().innerText();
    assert.match(line.replace(/\u00a0/g, ' '), /let y = x\.clone\(\);/);
  });

  test('the server log (Rust Memory: Show Server Log) holds no error after all of the above', async () => {
    await runCommand(page, 'Rust Memory: Show Server Log');
    const output = page.locator('.part.panel .output-view');
    try {
      await output.waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await screenshot(page, outDir, '07-server-log');
    }
    const channel = await page
      .locator('.part.panel select.monaco-select-box')
      .first()
      .evaluate((el) => {
        const sel = el as HTMLSelectElement;
        return sel.options[sel.selectedIndex]?.text ?? '';
      });
    assert.equal(channel, 'Rust Memory', 'the Output view shows our channel');
    const log = (
      await output
        .locator('.view-lines')
        .innerText()
        .catch(() => '')
    ).replace(/\u00a0/g, ' ');
    assert.doesNotMatch(log, /\b(error|failed|crash|exception)\b/i, `the server log reports a problem:\n${log}`);
  });
});
