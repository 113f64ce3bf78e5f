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
 * - Controls post the right messages; a saved state redraws after a reload; "nothing to show"
 *   and "stopped" explain themselves.
 *
 * Screenshots (light, dark, high contrast) go to test-output/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Snapshot } from '../../shared/protocol';
import type { PanelState } from '../../shared/panelMessages';
import { HAND_BUILT, handBuiltStringMove, handBuiltXss, XSS_PAYLOADS } from '../support/handBuiltSnapshots';
import { ENGINE_EXAMPLES, engineSnapshot } from '../support/panelExamples';
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
async function openPanel(theme: Theme = 'light', state?: PanelState): Promise<{ page: Page; dialogs: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 980, height: 560 }, deviceScaleFactor: 1 });
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
async function feed(page: Page, snapshot: Snapshot): Promise<void> {
  await page.evaluate((s) => window.postMessage({ type: 'snapshot', snapshot: s }, '*'), snapshot);
  await page.waitForFunction(
    (s) =>
      document.body.dataset.status === s.status &&
      JSON.stringify((window as unknown as HarnessWindow).__state?.snapshot) === JSON.stringify(s),
    snapshot,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  // Fit the page to its content so the screenshot holds the whole picture.
  const h = await page.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height) + 16);
  const w = await page.evaluate(() => Math.max(980, Math.ceil(document.getElementById('diagram')!.scrollWidth) + 24));
  await page.setViewportSize({ width: Math.min(w, 1600), height: Math.min(h, 1400) });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

interface ArrowGeometry {
  source: string;
  path: string;
  target: string;
  cls: string;
  start: { x: number; y: number };
  end: { x: number; y: number };
  sourceBox: DOMRect | null;
  targetBox: DOMRect | null;
}

/** Every arrow's first and last point, in page pixels, with the boxes they must touch. */
async function arrowGeometry(page: Page): Promise<ArrowGeometry[]> {
  return page.evaluate(() => {
    const rect = (e: Element | null | undefined) => (e ? JSON.parse(JSON.stringify(e.getBoundingClientRect())) : null);
    const diagram = document.getElementById('diagram')!;
    return [...diagram.querySelectorAll('g.arrow')].map((g) => {
      const line = g.querySelector('path.arrow-line') as SVGPathElement;
      const m = line.getScreenCTM()!;
      const at = (len: number) => {
        const p = line.getPointAtLength(len);
        const q = new DOMPoint(p.x, p.y).matrixTransform(m);
        return { x: q.x, y: q.y };
      };
      const source = g.getAttribute('data-source')!;
      const target = g.getAttribute('data-target')!;
      const esc = (s: string) => CSS.escape(s);
      const sourceEl = diagram.querySelector(
        `.slot[data-id="${esc(source)}"], .heap-block[data-id="${esc(source)}"], .static-item[data-id="${esc(source)}"]`,
      );
      const targetGroup = diagram.querySelector(
        `.slot[data-id="${esc(target)}"], .heap-block[data-id="${esc(target)}"], .static-item[data-id="${esc(target)}"]`,
      );
      const targetEl = targetGroup?.classList.contains('slot')
        ? targetGroup.querySelector('.row.own > rect.row-bg')
        : targetGroup?.querySelector(':scope > rect.box');
      return {
        source,
        path: g.getAttribute('data-source-path') ?? '',
        target,
        cls: g.getAttribute('class') ?? '',
        start: at(0),
        end: at(line.getTotalLength()),
        sourceBox: rect(sourceEl),
        targetBox: rect(targetEl),
      };
    });
  });
}

function assertArrowsConnect(arrows: ArrowGeometry[]): void {
  for (const a of arrows) {
    const tag = `${a.source}${a.path ? '.' + a.path : ''} → ${a.target}`;
    assert.ok(a.sourceBox, `${tag}: source element exists`);
    const s = a.sourceBox!;
    assert.ok(
      a.start.x >= s.left - 1.5 && a.start.x <= s.right + 1.5 && a.start.y >= s.top - 1.5 && a.start.y <= s.bottom + 1.5,
      `${tag}: starts at its pointer slot ${JSON.stringify(a.start)} in ${JSON.stringify(s)}`,
    );
    if (a.cls.includes('dangling') && !a.targetBox) continue;
    assert.ok(a.targetBox, `${tag}: target is drawn`);
    const t = a.targetBox!;
    const onEdge =
      (Math.abs(a.end.x - t.left) <= 1.5 || Math.abs(a.end.x - t.right) <= 1.5) && a.end.y >= t.top - 1.5 && a.end.y <= t.bottom + 1.5;
    assert.ok(onEdge, `${tag}: ends on its target's box ${JSON.stringify(a.end)} vs ${JSON.stringify(t)}`);
  }
}

/** The checks every example gets: frames, slots, arrows, moved slots, no CSP violation. */
async function checkPicture(page: Page, s: Snapshot): Promise<void> {
  const dom = await page.evaluate(() => {
    const d = document.getElementById('diagram')!;
    return {
      frames: [...d.querySelectorAll('g.frame')].map((f) => f.getAttribute('data-id')),
      slots: [...d.querySelectorAll('g.slot')].map((f) => f.getAttribute('data-id')),
      blocks: [...d.querySelectorAll('g.heap-block')].map((f) => f.getAttribute('data-id')),
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
  assert.deepEqual(
    dom.blocks,
    s.heap.map((b) => b.id),
    'every heap block drawn',
  );
  assert.deepEqual(dom.violations, [], 'no CSP violation');
  const arrows = await arrowGeometry(page);
  const livePointers = countLivePointers(s);
  assert.equal(arrows.length, livePointers, 'one arrow per live pointer');
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
      assert.equal(moved.state, `moved to ${sl.movedTo?.to ?? ''}`.trim());
      if (moved.liveFill) assert.notEqual(moved.fill, moved.liveFill, 'the moved slot is greyed by the stylesheet');
    }
}

function countLivePointers(s: Snapshot): number {
  let n = 0;
  const walk = (v: Snapshot['frames'][number]['slots'][number]['value'], depth: number): void => {
    if (depth > 6) return;
    if (v.kind === 'pointer' && v.target) n++;
    if (v.kind === 'aggregate') for (const f of v.fields) walk(f.value, depth + 1);
  };
  for (const f of s.frames) for (const sl of f.slots) if (sl.state === 'init' || sl.state === 'partially-moved') walk(sl.value, 0);
  for (const b of s.heap) for (const v of b.contents) if (b.state !== 'freed') walk(v, 0);
  for (const st of s.statics) walk(st.value, 0);
  return n;
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

  test('controls: step, visit and click-to-reveal post the panel protocol messages', async () => {
    const { page } = await openPanel('light');
    const s = { ...handBuiltStringMove(), visit: 2, visits: 3 };
    await feed(page, s);
    await page.click('#next');
    await page.click('#prev');
    await page.selectOption('#visit-select', '3');
    await page.click('#visit-prev');
    await page.click('#diagram g.slot[data-id="slot:frame:0:x"] text.name');
    await page.click('#diagram g.heap-block[data-id="heap:0"] text.title');
    await page.click('#export');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    const posted = await page.evaluate(() => (window as unknown as HarnessWindow).__posted.filter((m) => m.type !== 'ready'));
    const x = s.frames[0].slots[0];
    assert.deepEqual(posted, [
      { type: 'step', delta: 1 },
      { type: 'step', delta: -1 },
      { type: 'visit', visit: 3 },
      { type: 'visit', visit: 1 },
      { type: 'reveal', id: x.id, range: x.declRange },
      { type: 'reveal', id: 'heap:0', range: s.heap[0].allocatedAt },
      { type: 'exportSvg' },
      { type: 'step', delta: 1 },
      { type: 'step', delta: -1 },
    ]);
    await page.hover('#diagram g.heap-block[data-id="heap:0"] text.title');
    assert.deepEqual(
      await page.evaluate(() => [...document.querySelectorAll('#diagram g.arrow.hot')].map((a) => a.getAttribute('data-source'))),
      ['slot:frame:0:y'],
      'hovering a block highlights the arrows that reach it',
    );
    assert.equal(await page.isVisible('#visit-controls'), true);
    assert.equal(await page.textContent('#step'), 'step 4 of 6');
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
});
