/**
 * Browser test of the memory panel: the page the extension builds (client/src/panelHtml.ts, its
 * CSP, dist/webview.js, dist/webview.css) in headless Chromium (playwright-core, Debian's
 * /usr/bin/chromium), fed snapshots through the panel's message protocol, asserted on the DOM.
 *
 * - Examples from the seeds (String moved from x to y; foo() called from main; Box, Vec and a
 *   &str literal): frames and slots exist; each arrow starts in its pointer's slot and ends on
 *   the edge of its target's box; the moved slot is marked and greyed by the theme's CSS.
 *   Snapshots from the real engine when it gives them (skipped, saying so, otherwise), and
 *   HAND-BUILT ones (test/support/handBuiltSnapshots.ts) always.
 * - XSS: literals like `"<img src=x onerror=alert(1)>"` and `"</svg><script>…"` show as text;
 *   no dialog, no element, no CSP violation.
 * - The programs of issue 11 (test/support/panelExamples.ts PANEL_PROGRAMS), as the real
 *   engine snapshots them, at 800, 600 and 400 px: every box inside the panel or reachable by
 *   its scrollbars, every arrow on the field or element it points at, no crossing an order
 *   could avoid, no `heap:N`/`frame:N` in the learner view's text, and the output box holding
 *   what the compiled program (rustc) prints, up to the step shown.
 * - Controls post the right messages (slider, first/prev/next/last, keys, detail, export);
 *   a saved state redraws after a reload; "nothing to show", "stopped" and broken code explain
 *   themselves (broken code keeps the last picture, dimmed).
 *
 * Screenshots (light, dark, high contrast) go to test-output/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { emptySnapshot, type Snapshot } from '../../shared/protocol';
import type { PanelState } from '../../shared/panelMessages';
import { HAND_BUILT, handBuiltStringMove, handBuiltXss, XSS_PAYLOADS } from '../support/handBuiltSnapshots';
import { ENGINE_EXAMPLES, PANEL_PROGRAMS, engineSnapshot, programSnapshots, programSteps, programText } from '../support/panelExamples';
import { realRun } from '../support/rustcRun';
import { unforcedCrossings } from '../support/svg';
import { repoRoot } from '../support/fixtures';
import { CHROMIUM, CHROMIUM_ARGS, THEMES, startHarness, stubScript, type Harness } from '../support/webviewHarness';

/** What the test harness page exposes on `window` (test/support/webviewHarness.ts). */
interface HarnessWindow {
  __posted: { type: string }[];
  __state?: PanelState;
  __violations: string[];
}

const root = repoRoot();
const dist = path.join(root, 'dist');
const shots = path.join(root, 'test-output', 'screenshots');
const missing = !fs.existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing (apt-get install chromium): browser tests skipped`
  : !fs.existsSync(path.join(dist, 'webview.js')) || !fs.existsSync(path.join(dist, 'webview.css'))
    ? 'dist/webview.js or dist/webview.css is missing (npm run build): browser tests skipped'
    : undefined;

let browser: Browser | undefined;
let harness: Harness | undefined;

before(async () => {
  if (missing) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  harness = await startHarness(dist);
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

type Theme = keyof typeof THEMES;

/** Opens the panel page (optionally with a saved state), themed; waits for its `ready` message. */
async function openPanel(theme: Theme = 'light', state?: PanelState, width = 980): Promise<{ page: Page; dialogs: string[] }> {
  const page = await browser!.newPage({ viewport: { width, height: 700 }, deviceScaleFactor: 1 });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(stubScript(state));
  await page.goto(harness!.pageUrl);
  const t = THEMES[theme];
  // What VS Code's host does: a theme class on <body>, --vscode-* variables on <html> (CSSOM).
  await page.evaluate((th) => {
    document.body.classList.add(th.bodyClass);
    for (const [k, v] of Object.entries(th.vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
  }, t);
  await page.waitForFunction(() => (window as unknown as HarnessWindow).__posted.some((m) => m.type === 'ready'));
  return { page, dialogs };
}

/** Posts a snapshot the way the extension does, and waits until the panel shows it. */
async function feed(page: Page, snapshot: Snapshot, file?: string): Promise<void> {
  await page.evaluate(([s, f]) => window.postMessage({ type: 'snapshot', snapshot: s, file: f }, '*'), [snapshot, file] as const);
  await page.waitForFunction(
    (s) =>
      document.body.dataset.status === s.status &&
      (s.status === 'syntax-error' || JSON.stringify((window as unknown as HarnessWindow).__state?.snapshot) === JSON.stringify(s)),
    snapshot,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  // The whole page at the panel's width (the diagram fits it).
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

interface ArrowGeometry {
  source: string;
  path: string;
  target: string;
  targetPath: string | null;
  index: string | null;
  cls: string;
  /** Points along the arrow, in page pixels (first = start, last = end). */
  points: { x: number; y: number }[];
  /** The pointer's row (where the arrow must start). */
  sourceRow: DOMRect | null;
  /** What the arrow must end on: a row, a cell (its top edge) or a box. */
  targetRect: DOMRect | null;
  targetCell: boolean;
}

/** Every arrow as points in page pixels, with the row it starts in and the element it must end on. */
async function arrowGeometry(page: Page): Promise<ArrowGeometry[]> {
  return page.evaluate(() => {
    const rect = (e: Element | null | undefined) => (e ? (JSON.parse(JSON.stringify(e.getBoundingClientRect())) as DOMRect) : null);
    const diagram = document.getElementById('diagram')!;
    const esc = (x: string) => CSS.escape(x);
    const group = (id: string) =>
      diagram.querySelector(`.slot[data-id="${esc(id)}"], .heap-block[data-id="${esc(id)}"], .static-item[data-id="${esc(id)}"]`);
    return [...diagram.querySelectorAll('g.arrow')].map((g) => {
      const line = g.querySelector('path.arrow-line') as SVGPathElement;
      const m = line.getScreenCTM()!;
      const total = line.getTotalLength();
      const points = Array.from({ length: 61 }, (_, i) => {
        const p = line.getPointAtLength((total * i) / 60);
        const q = new DOMPoint(p.x, p.y).matrixTransform(m);
        return { x: q.x, y: q.y };
      });
      const source = g.getAttribute('data-source')!;
      const path = g.getAttribute('data-source-path') ?? '';
      const target = g.getAttribute('data-target')!;
      const targetPath = g.getAttribute('data-target-path');
      const index = g.getAttribute('data-index');
      const src = group(source);
      const sourceRow = src?.querySelector(`.row[data-path="${esc(path)}"] > rect.row-bg`);
      const tg = group(target);
      let targetEl: Element | null | undefined = null;
      let targetCell = false;
      if (tg && index !== null && targetPath === null) {
        targetEl = tg.querySelector(`.cell[data-index="${esc(index)}"] > rect`);
        targetCell = !!targetEl;
      }
      if (tg && !targetEl && targetPath !== null) targetEl = tg.querySelector(`.row[data-path="${esc(targetPath)}"] > rect.row-bg`);
      if (tg && !targetEl)
        targetEl = tg.classList.contains('slot') ? tg.querySelector('.row.own > rect.row-bg') : tg.querySelector(':scope > rect.box');
      return {
        source,
        path,
        target,
        targetPath,
        index,
        cls: g.getAttribute('class') ?? '',
        points,
        sourceRow: rect(sourceRow),
        targetRect: rect(targetEl),
        targetCell,
      };
    });
  });
}

/** Each arrow starts in its pointer's row and ends on the field, element or box it points at. */
function assertArrowsConnect(arrows: ArrowGeometry[]): void {
  for (const a of arrows) {
    const tag = `${a.source}${a.path ? '.' + a.path : ''} → ${a.target}${a.targetPath ? '.' + a.targetPath : ''}`;
    const start = a.points[0];
    const end = a.points[a.points.length - 1];
    assert.ok(a.sourceRow, `${tag}: the pointer's row is drawn`);
    const s = a.sourceRow!;
    assert.ok(
      start.x >= s.left - 1.5 && start.x <= s.right + 1.5 && start.y >= s.top - 1.5 && start.y <= s.bottom + 1.5,
      `${tag}: starts in its pointer's row ${JSON.stringify(start)} in ${JSON.stringify(s)}`,
    );
    if (a.cls.includes('dangling') && !a.targetRect) continue;
    assert.ok(a.targetRect, `${tag}: target is drawn`);
    const t = a.targetRect!;
    const onIt = a.targetCell
      ? Math.abs(end.y - t.top) <= 1.5 && end.x >= t.left - 1 && end.x <= t.right + 1
      : (Math.abs(end.x - t.left) <= 1.5 || Math.abs(end.x - t.right) <= 1.5) && end.y >= t.top - 1.5 && end.y <= t.bottom + 1.5;
    assert.ok(
      onIt,
      `${tag}: ends on ${a.targetCell ? 'the top of its cell' : 'its row or box'} ${JSON.stringify(end)} vs ${JSON.stringify(t)}`,
    );
  }
}

/** The checks every example gets: frames, slots, blocks, arrows, moved slots, no CSP violation. */
async function checkPicture(page: Page, s: Snapshot): Promise<ArrowGeometry[]> {
  const dom = await page.evaluate(() => {
    const d = document.getElementById('diagram')!;
    return {
      frames: [...d.querySelectorAll('g.frame')].map((f) => f.getAttribute('data-id')),
      slots: [...d.querySelectorAll('g.slot')].map((f) => f.getAttribute('data-id')),
      blocks: [...d.querySelectorAll('g.heap-block')].map((f) => f.getAttribute('data-id')),
      liveDots: [...d.querySelectorAll('circle.dot:not(.dead)')].length,
      violations: (window as unknown as HarnessWindow).__violations as string[],
    };
  });
  assert.deepEqual(
    dom.frames,
    [...s.frames].reverse().map((f) => f.id),
    'one box per frame, newest on top',
  );
  assert.deepEqual(
    dom.slots,
    [...s.frames].reverse().flatMap((f) => f.slots.map((sl) => sl.id)),
    'every slot drawn',
  );
  assert.deepEqual([...dom.blocks].sort(), s.heap.map((b) => b.id).sort(), 'every heap block drawn');
  assert.deepEqual(dom.violations, [], 'no CSP violation');
  const arrows = await arrowGeometry(page);
  assert.equal(arrows.length, dom.liveDots, 'one arrow per live pointer dot');
  assertArrowsConnect(arrows);
  for (const f of s.frames)
    for (const sl of f.slots) {
      if (sl.state !== 'moved') continue;
      const moved = await page.evaluate((id) => {
        const g = document.querySelector(`#diagram g.slot[data-id="${CSS.escape(id)}"]`)!;
        const state = g.querySelector('text.state');
        const live = document.querySelector('#diagram g.slot:not(.moved):not(.dropped):not(.uninit) text.name');
        return {
          cls: g.getAttribute('class'),
          state: state?.textContent,
          fill: getComputedStyle(state!).fill,
          liveFill: live ? getComputedStyle(live).fill : null,
        };
      }, sl.id);
      assert.match(moved.cls ?? '', /\bmoved\b/);
      assert.match(moved.state ?? '', new RegExp(`^moved (to|into) `));
      if (moved.liveFill) assert.notEqual(moved.fill, moved.liveFill, 'the moved slot is greyed by the stylesheet');
    }
  return arrows;
}

/** Every box is inside the panel's width and within the diagram's scrollable area; the page never scrolls sideways. */
async function checkFits(page: Page): Promise<void> {
  const r = await page.evaluate(() => {
    const d = document.getElementById('diagram')!;
    const area = d.getBoundingClientRect();
    const boxes = [...d.querySelectorAll('g.frame > rect.box, g.heap-block > rect.box, g.static-item > rect.box')].map((b) => {
      const q = b.getBoundingClientRect();
      return { id: b.parentElement!.getAttribute('data-id'), left: q.left, right: q.right, top: q.top, bottom: q.bottom };
    });
    return {
      boxes,
      area: { left: area.left, right: area.right, top: area.top },
      scrollWidth: d.scrollWidth,
      clientWidth: d.clientWidth,
      scrollHeight: d.scrollHeight,
      clientHeight: d.clientHeight,
      overflowY: getComputedStyle(d).overflowY,
      pageScrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    };
  });
  assert.ok(r.pageScrollWidth <= r.viewport, `the page does not scroll sideways (${r.pageScrollWidth} > ${r.viewport})`);
  assert.ok(r.scrollWidth <= r.clientWidth + 1, `the picture fits the panel's width (zoom to fit): ${r.scrollWidth} > ${r.clientWidth}`);
  for (const b of r.boxes) {
    assert.ok(b.left >= r.area.left - 1 && b.right <= r.area.right + 1, `${b.id} is inside the panel's width`);
    assert.ok(b.top >= r.area.top - 1 && b.bottom <= r.area.top + r.scrollHeight + 1, `${b.id} is reachable by scrolling`);
  }
  if (r.scrollHeight > r.clientHeight) assert.equal(r.overflowY, 'auto', 'a scrollbar shows when the picture is taller than the panel');
}

/** Crossing pairs of arrows an order could avoid (test/support/svg.ts `unforcedCrossings`). */
function avoidableCrossings(arrows: ArrowGeometry[]): string[] {
  return unforcedCrossings(arrows.map((a) => a.points)).map(([i, j]) => `${arrows[i].source} × ${arrows[j].source}`);
}

// --- the seeds' examples

describe('memory panel in Chromium', { skip: missing }, () => {
  for (const name of ['string-move', 'foo-from-main', 'box-vec-str', 'rc-cycle-leak', 'freed-dangling'] as const) {
    test(`hand-built ${name}: frames, slots, arrows on their boxes, moved slots marked`, async () => {
      const { page, dialogs } = await openPanel('light');
      const s = HAND_BUILT[name]();
      await feed(page, s);
      await checkPicture(page, s);
      assert.deepEqual(dialogs, []);
      await shoot(page, `hand-built-${name}-light`);
      await page.close();
    });
  }

  for (const ex of ENGINE_EXAMPLES) {
    test(`engine ${ex.name} (${ex.fixture}): drawn and connected`, async (t) => {
      const { snapshot, why } = engineSnapshot(ex);
      if (!snapshot) return t.skip(why);
      for (const theme of ['light', 'dark'] as const) {
        const { page, dialogs } = await openPanel(theme);
        await feed(page, snapshot);
        await checkPicture(page, snapshot);
        assert.deepEqual(dialogs, []);
        await shoot(page, `engine-${ex.name}-${theme}`);
        await page.close();
      }
    });
  }

  test('themes: the string move in dark and high contrast uses the theme colours', async () => {
    const colours: Record<string, string> = {};
    for (const theme of ['dark', 'high-contrast', 'light'] as const) {
      const { page } = await openPanel(theme);
      await feed(page, handBuiltStringMove());
      colours[theme] = await page.evaluate(() => getComputedStyle(document.querySelector('#diagram .heap-block > rect.box')!).stroke);
      await shoot(page, `hand-built-string-move-${theme}`);
      await page.close();
    }
    assert.equal(colours['high-contrast'], 'rgb(111, 195, 223)', 'boxes use contrastBorder in high contrast');
    assert.notEqual(colours.dark, colours.light);
  });

  // --- security

  test('XSS (hand-built): markup in names, types, literals and messages is text and runs nothing', async () => {
    const { page, dialogs } = await openPanel('dark');
    const s = handBuiltXss();
    await feed(page, s);
    const r = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      bad: document.querySelectorAll('img, iframe, foreignObject, object, embed, #diagram script').length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      violations: (window as unknown as HarnessWindow).__violations as string[],
      texts: [...document.querySelectorAll('#diagram text')].map((t) => t.textContent),
      where: document.getElementById('where')!.textContent,
    }));
    assert.equal(r.scripts, 1, 'only the panel script');
    assert.equal(r.bad, 0, 'no element made from the payloads');
    assert.equal(r.handlers, 0, 'no inline handler');
    assert.deepEqual(r.violations, [], 'nothing even tried to run (no CSP violation)');
    assert.deepEqual(dialogs, [], 'no alert');
    assert.ok(r.texts.includes(JSON.stringify(XSS_PAYLOADS[0])), 'the <img> literal is visible as text');
    assert.ok(r.texts.includes(XSS_PAYLOADS[1]), 'the </svg><script> text is visible');
    assert.equal(r.where, s.message);
    await page.getByText(JSON.stringify(XSS_PAYLOADS[0]), { exact: true }).first().waitFor({ state: 'visible' });
    await shoot(page, 'hand-built-xss-dark');
    await page.close();
  });

  test('XSS (engine): literals from panel-xss-literals.rs are text and run nothing', async (t) => {
    const { snapshot, why } = engineSnapshot(ENGINE_EXAMPLES.find((e) => e.name === 'xss')!);
    if (!snapshot) return t.skip(why);
    const { page, dialogs } = await openPanel('light');
    await feed(page, snapshot);
    const r = await page.evaluate(() => ({
      bad: document.querySelectorAll('img, iframe, foreignObject, #diagram script').length,
      violations: (window as unknown as HarnessWindow).__violations as string[],
      text: document.getElementById('diagram')!.textContent ?? '',
    }));
    assert.equal(r.bad, 0);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(dialogs, []);
    assert.ok(r.text.includes('<img src=x onerror=alert(1)>'), 'the literal is visible as text');
    await page.close();
  });

  // --- controls, reload, messages

  test('controls: slider, first/prev/next/last, keys, visit, detail, fields on demand and click-to-reveal post the panel protocol', async () => {
    const { page } = await openPanel('light');
    const s = { ...handBuiltStringMove(), visit: 2, visits: 3 };
    await feed(page, s);
    assert.equal(await page.textContent('#step'), 'step 4 of 6');
    assert.equal(await page.getAttribute('#slider', 'max'), '5');
    assert.equal(await page.inputValue('#slider'), '3');
    await page.click('#next');
    await page.click('#prev');
    await page.click('#first');
    await page.click('#last');
    await page.$eval('#slider', (el) => {
      (el as HTMLInputElement).value = '1';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.selectOption('#visit-select', '3');
    await page.click('#visit-prev');
    await page.click('#diagram g.slot[data-id="slot:frame:0:x"] text.name');
    await page.click('#diagram g.heap-block[data-id="heap:0"] text.title');
    await page.focus('#diagram');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    await page.click('#expert');
    await page.click('#export');
    const posted = await page.evaluate(() => (window as unknown as HarnessWindow).__posted.filter((m) => m.type !== 'ready'));
    const x = s.frames[0].slots[0];
    assert.deepEqual(posted, [
      { type: 'goto', step: 4 },
      { type: 'goto', step: 2 },
      { type: 'goto', step: 0 },
      { type: 'goto', step: 5 },
      { type: 'goto', step: 1 },
      { type: 'visit', visit: 3 },
      { type: 'visit', visit: 1 },
      { type: 'reveal', id: x.id, range: x.declRange },
      { type: 'reveal', id: 'heap:0', range: s.heap[0].allocatedAt },
      { type: 'goto', step: 4 },
      { type: 'goto', step: 2 },
      { type: 'goto', step: 0 },
      { type: 'goto', step: 5 },
      { type: 'detail', detail: 'expert' },
      { type: 'exportSvg', detail: 'expert', expanded: [] },
    ]);
    assert.equal(await page.getAttribute('#diagram svg', 'data-detail'), 'expert', 'the toggle redraws at once');
    assert.equal(await page.locator('#diagram g.slot[data-id="slot:frame:0:y"] g.row.field').count(), 3, 'expert: ptr, len, cap');
    await page.click('#learner');
    assert.equal(await page.locator('#diagram g.slot[data-id="slot:frame:0:y"] g.row.field').count(), 0, 'learner: the value inline');
    await page.click('#diagram [data-expand="slot:frame:0:y"]');
    assert.equal(await page.locator('#diagram g.slot[data-id="slot:frame:0:y"] g.row.field').count(), 3, 'fields on demand');
    await page.hover('#diagram g.heap-block[data-id="heap:0"] text.title');
    assert.deepEqual(
      await page.evaluate(() => [...document.querySelectorAll('#diagram g.arrow.hot')].map((a) => a.getAttribute('data-source'))),
      ['slot:frame:0:y'],
      'hovering a block highlights the arrows that reach it',
    );
    assert.equal(await page.isVisible('#visit-controls'), true);
    // The setting changed elsewhere (another window, the settings UI): the panel follows it.
    await page.evaluate(() => window.postMessage({ type: 'settings', detail: 'expert' }, '*'));
    await page.waitForSelector('#diagram svg[data-detail="expert"]');
    await page.close();
  });

  test('zoom: the picture fits the panel, − and + scale it, Fit restores; scrollbars reach every box', async () => {
    const p = PANEL_PROGRAMS.find((x) => x.name === 'dyn-cells')!;
    const s = programSnapshots(p)[1].snapshot;
    const { page } = await openPanel('light', undefined, 400);
    await feed(page, s);
    await checkFits(page);
    const width = () => page.evaluate(() => Number(document.querySelector('#diagram svg')!.getAttribute('width')));
    const natural = await page.evaluate(() => Number(document.querySelector('#diagram svg')!.getAttribute('data-width')));
    const fit = await width();
    assert.ok(fit <= natural);
    await page.click('#zoom-in');
    await page.click('#zoom-in');
    assert.ok((await width()) > fit, 'zoomed in');
    assert.match((await page.textContent('#zoom-fit')) ?? '', /%$/);
    const scroll = await page.evaluate(() => {
      const d = document.getElementById('diagram')!;
      d.scrollLeft = d.scrollWidth;
      return { left: d.scrollLeft, can: d.scrollWidth > d.clientWidth };
    });
    assert.ok(scroll.can && scroll.left > 0, 'a zoomed picture pans with the scrollbar');
    await page.click('#zoom-out');
    await page.click('#zoom-fit');
    assert.equal(await width(), fit);
    await page.close();
  });

  test('reload: the saved state redraws the last picture before any message', async () => {
    const first = await openPanel('light');
    const s = handBuiltStringMove();
    await feed(first.page, s);
    const saved = await first.page.evaluate(() => (window as unknown as HarnessWindow).__state as PanelState);
    assert.deepEqual(saved.snapshot, s, 'the panel saves the snapshot it shows');
    await first.page.close();
    const { page } = await openPanel('light', saved);
    await page.waitForSelector('#diagram g.slot.moved[data-id="slot:frame:0:x"]');
    assert.equal(await page.textContent('#where'), s.message);
    await page.close();
  });

  test('nothing to show, and stopped at the step limit: the panel says why', async () => {
    const { page } = await openPanel('light');
    await feed(page, HAND_BUILT['no-function']());
    assert.equal(await page.isVisible('#notice'), true);
    assert.equal(await page.textContent('#notice'), HAND_BUILT['no-function']().message);
    assert.equal(await page.textContent('#where'), 'No function here', 'a short label in the toolbar, the reason in the notice');
    assert.equal(await page.isVisible('#diagram'), false);
    assert.equal(await page.isDisabled('#next'), true);
    await shoot(page, 'hand-built-no-function-light');
    const stopped = HAND_BUILT['step-limit']();
    await feed(page, stopped);
    assert.equal(await page.textContent('#notice'), stopped.stopped!.message);
    assert.equal(await page.isVisible('#diagram svg'), true, 'the last step reached is still drawn');
    await shoot(page, 'hand-built-step-limit-light');
    await page.close();
  });

  // --- the programs of issue 11, from the real engine

  for (const p of PANEL_PROGRAMS) {
    test(`engine ${p.name}: at 800, 600 and 400 px every box fits or scrolls, arrows end on what they point at, no avoidable crossing, no ids, the output box as rustc's program prints it`, async () => {
      const shots = programSnapshots(p);
      const real = realRun(programText(p));
      for (const width of [800, 600, 400]) {
        const { page, dialogs } = await openPanel('light', undefined, width);
        for (const { cursor, snapshot } of shots) {
          assert.equal(snapshot.status, 'ok', `${p.fixture} at ${cursor}: ${snapshot.message}`);
          await feed(page, snapshot);
          const arrows = await checkPicture(page, snapshot);
          await checkFits(page);
          assert.deepEqual(avoidableCrossings(arrows), [], `${p.name} at ${cursor}, ${width} px`);
          const texts = await page.evaluate(() => [...document.querySelectorAll('#diagram svg text')].map((t) => t.textContent ?? ''));
          assert.deepEqual(
            texts.filter((t) => /heap:\d|frame:\d/.test(t)),
            [],
            'no ids in the learner view',
          );
          const shown = await page.evaluate(() => document.getElementById('output')!.textContent ?? '');
          const printed = (snapshot.output ?? []).map((c) => c.text).join('');
          if (!printed) assert.equal(shown, 'nothing printed yet');
          else if ('skip' in real) {
            // rustc rejects the program (E0502): no real output; the simulated one is marked.
            assert.ok(shown.includes(printed.trim()));
          } else {
            const stdout = (snapshot.output ?? [])
              .filter((c) => c.stream === 'stdout')
              .map((c) => c.text)
              .join('');
            assert.ok(
              real.stdout.startsWith(stdout),
              `${p.name} at ${cursor}: the output box ${JSON.stringify(stdout)} is what the compiled program prints first (${JSON.stringify(real.stdout)})`,
            );
            assert.equal(shown, stdout);
          }
        }
        assert.deepEqual(dialogs, []);
        await page.close();
      }
      if (!('skip' in real)) {
        // At the last step, the whole of it.
        const steps = programSteps(p);
        const end = steps[steps.length - 1];
        const { page } = await openPanel('light', undefined, 600);
        await feed(page, end);
        assert.equal(
          await page.evaluate(() => document.getElementById('output')!.textContent ?? ''),
          real.stdout,
          'at the end, all the compiled program prints',
        );
        await page.close();
      }
    });
  }

  test('screenshots of the programs in light, dark and high contrast, 600 and 400 px wide (test-output/screenshots/)', async () => {
    // Every cursor in the light theme at 600 px; the middle one in every theme and at 400 px.
    for (const p of PANEL_PROGRAMS) {
      const all = programSnapshots(p);
      const middle = all[Math.floor(all.length / 2)];
      const shots: [typeof middle, Theme, number][] = [
        ...all.map((x) => [x, 'light', 600] as [typeof middle, Theme, number]),
        [middle, 'dark', 600],
        [middle, 'high-contrast', 600],
        [middle, 'light', 400],
      ];
      for (const [{ cursor, snapshot }, theme, width] of shots) {
        const { page } = await openPanel(theme, undefined, width);
        await feed(page, snapshot);
        await shoot(page, `program-${p.name}-${cursor.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 24)}-${theme}-${width}`);
        await page.close();
      }
    }
  });

  test('E0502: the dangling pointer is labelled; with the error, the step is marked, linked to the error index, and output after it is not a real run', async () => {
    const p = PANEL_PROGRAMS.find((x) => x.name === 'e0502')!;
    const [atPush, atPrint] = programSnapshots(p).map((x) => x.snapshot);
    const { page } = await openPanel('dark', undefined, 600);
    await feed(page, atPush);
    assert.match((await page.textContent('#diagram g.slot[data-name="first"] g.note')) ?? '', /`first` points into freed/);
    assert.equal(await page.locator('#diagram g.arrow.dangling[data-index="0"]').count(), 1, 'a dashed red arrow into the freed element');
    const error = {
      code: 'E0502',
      message: 'cannot borrow `v` as mutable because it is also borrowed as immutable',
      href: 'https://doc.rust-lang.org/error_codes/E0502.html',
      range: atPush.range!,
      step: atPush.step,
    };
    // The engine reports E0502 once the lead's borrow checker lands; the panel's side is shown with it.
    const marked: Snapshot = { ...atPush, errors: [{ ...error, here: true }] };
    await feed(page, marked);
    assert.equal(await page.isVisible('#errors'), true);
    assert.match((await page.textContent('#errors')) ?? '', /error\[E0502\]: cannot borrow `v` as mutable/);
    assert.equal(await page.getAttribute('#errors a', 'href'), error.href);
    assert.match((await page.textContent('#diagram g.slot[data-name="first"] g.note')) ?? '', /this is what E0502 prevents/);
    await shoot(page, 'e0502-marked-dark');
    const later: Snapshot = {
      ...atPrint,
      errors: [{ ...error, here: false }],
      output: (atPrint.output ?? []).map((c) => ({ ...c, notReal: c.step >= atPush.step })),
    };
    await feed(page, later);
    assert.match((await page.textContent('#errors')) ?? '', /rustc rejects this program/);
    assert.match((await page.textContent('#output')) ?? '', /not a real run/);
    assert.equal(await page.locator('#output .not-real').count(), (later.output ?? []).filter((c) => c.notReal).length);
    await page.close();
  });

  test('broken code keeps the last picture, dimmed, and says what does not parse; a picture that parses replaces it', async () => {
    const good = handBuiltStringMove();
    const { page } = await openPanel('light', undefined, 600);
    await feed(page, good, 'src/main.rs');
    const broken: Snapshot = {
      ...emptySnapshot('syntax-error', 'missing `}` for `fn main` at 3:11'),
      syntax: {
        message: 'missing `}` for `fn main` at 3:11',
        range: { start: { line: 2, character: 10 }, end: { line: 2, character: 11 } },
      },
    };
    await feed(page, broken, 'src/main.rs');
    assert.equal(await page.isVisible('#diagram svg'), true, 'the last picture is kept');
    assert.equal(await page.evaluate(() => document.body.classList.contains('stale')), true, 'dimmed');
    assert.equal(Number(await page.evaluate(() => getComputedStyle(document.getElementById('diagram')!).opacity)) < 1, true);
    assert.match(
      (await page.textContent('#notice')) ?? '',
      /does not parse: missing `}` for `fn main` at 3:11\. The picture is the last one that did\./,
    );
    assert.deepEqual(
      (await page.evaluate(() => (window as unknown as HarnessWindow).__state as PanelState)).snapshot,
      good,
      'the saved state keeps the good picture',
    );
    await shoot(page, 'broken-code-kept-light');
    await feed(page, good, 'src/main.rs');
    assert.equal(await page.evaluate(() => document.body.classList.contains('stale')), false);
    // Another file's syntax error has no picture of its own to keep.
    await feed(page, broken, 'src/other.rs');
    assert.equal(await page.isVisible('#diagram'), false);
    await page.close();
  });
});
