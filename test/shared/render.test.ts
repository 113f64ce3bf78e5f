/**
 * Unit tests of the renderer (shared/render/svg.ts): structure, hooks, escaping and geometry of
 * the SVG, on
 * - snapshots produced by the real engine (`analyze` + `snapshotAt`) from the seed fixtures and
 *   test/fixtures/clean/panel-*.rs — skipped, saying so, while the engine returns no snapshot;
 * - HAND-BUILT snapshots (test/support/handBuiltSnapshots.ts) for what the engine cannot produce
 *   yet (and for hostile text in places Rust syntax cannot reach).
 *
 * The SVG is read with a strict XML parser (test/support/svg.ts), so every test also checks that
 * the output is well-formed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Slot, Snapshot } from '../../shared/protocol';
import { renderSnapshotSvg, escapeXml } from '../../shared/render/svg';
import {
  HAND_BUILT,
  handBuiltBoxVecStr,
  handBuiltFooCalledFromMain,
  handBuiltFreedAndDangling,
  handBuiltNoFunction,
  handBuiltRcCycleLeak,
  handBuiltStepLimit,
  handBuiltStringMove,
  handBuiltXss,
  XSS_PAYLOADS,
} from '../support/handBuiltSnapshots';
import { engineSnapshot, example, PANEL_PROGRAMS, programSnapshots, programSteps } from '../support/panelExamples';
import {
  all,
  boxRect,
  classes,
  closest,
  find,
  inside,
  onSideEdge,
  crossingPairs,
  unforcedCrossings,
  rectOf,
  parseXml,
  samplePath,
  textOf,
  type Rect,
  type XmlElement,
} from '../support/svg';

// --- helpers

function render(s: Snapshot, opts?: Parameters<typeof renderSnapshotSvg>[1]): XmlElement {
  const svg = renderSnapshotSvg(s, opts);
  assert.ok(svg.startsWith('<svg'), 'output starts with <svg');
  return parseXml(svg);
}

function slotOf(s: Snapshot, name: string): Slot | undefined {
  for (const f of [...s.frames].reverse()) for (const sl of f.slots) if (sl.name === name) return sl;
  return undefined;
}

/** The drawn group for a protocol id: a slot, a heap block or a static item. */
function groupOf(root: XmlElement, id: string): XmlElement | undefined {
  return all(root).find(
    (e) =>
      e.attrs['data-id'] === id && (classes(e).includes('slot') || classes(e).includes('heap-block') || classes(e).includes('static-item')),
  );
}

/**
 * What an arrow must end on: the cell of its element (`data-index`, no path), the row of its
 * field or element (`data-target-path`), else a slot's own row or a block's box. `cell` says
 * the end is on the cell's top edge; otherwise on a side edge.
 */
function targetOf(root: XmlElement, arrow: XmlElement): { rect: Rect; cell: boolean } | undefined {
  const g = groupOf(root, arrow.attrs['data-target']);
  if (!g) return undefined;
  const path = arrow.attrs['data-target-path'];
  const index = arrow.attrs['data-index'];
  if (index !== undefined && path === undefined) {
    const cell = find(g, 'cell').find((c) => c.attrs['data-index'] === index);
    const r = cell && cell.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'rect');
    if (r) return { rect: rectOf(r), cell: true };
  }
  if (path !== undefined) {
    const row = find(g, 'row').find((r) => r.attrs['data-path'] === path);
    assert.ok(row, `arrow ${arrow.attrs['data-source']} → ${arrow.attrs['data-target']}: row ${path} is drawn`);
    return { rect: boxRect(row!, 'row-bg')!, cell: false };
  }
  if (classes(g).includes('slot')) return { rect: boxRect(find(g, 'row.own')[0], 'row-bg')!, cell: false };
  return { rect: boxRect(g)!, cell: false };
}

/** Every box of the picture: frames, heap blocks, statics. */
function boxes(root: XmlElement): { el: XmlElement; rect: Rect }[] {
  return all(root)
    .filter((e) => ['frame', 'heap-block', 'static-item'].some((c) => classes(e).includes(c)))
    .map((el) => ({ el, rect: boxRect(el)! }));
}

/**
 * Checks every arrow: it starts inside the box that holds its pointer, ends on the element it
 * points at (see `targetOf`), and no point of it passes through any box but those two.
 * Returns the number of arrows.
 */
function checkArrows(root: XmlElement): number {
  const arrows = find(root, 'arrow');
  const allBoxes = boxes(root);
  for (const a of arrows) {
    const src = a.attrs['data-source'];
    const tgt = a.attrs['data-target'];
    const line = find(a, 'arrow-line')[0];
    assert.ok(line, `arrow ${src} → ${tgt} has a line`);
    const pts = samplePath(line.attrs.d);
    const start = pts[0];
    const end = pts[pts.length - 1];
    const owner = all(root).find((e) => e.attrs['data-id'] === src && !classes(e).includes('arrow'));
    assert.ok(owner, `arrow source ${src} is an element of the picture`);
    const ownerBox = closest(owner!, 'frame') ?? owner!;
    const ownerRect = boxRect(ownerBox)!;
    assert.ok(
      inside(start, ownerRect, -1.5),
      `arrow ${src}.${a.attrs['data-source-path']} starts in its box: ${JSON.stringify(start)} vs ${JSON.stringify(ownerRect)}`,
    );
    const t = targetOf(root, a);
    const targetGroup = groupOf(root, tgt);
    const targetBox = targetGroup ? (closest(targetGroup, 'frame') ?? targetGroup) : undefined;
    if (!classes(a).includes('dangling') || t) {
      assert.ok(t, `arrow target ${tgt} is drawn`);
      const ok = t!.cell
        ? Math.abs(end.y - t!.rect.y) <= 1.5 && end.x >= t!.rect.x && end.x <= t!.rect.x + t!.rect.w
        : onSideEdge(end, t!.rect, 1.5);
      assert.ok(
        ok,
        `arrow ${src} → ${tgt} ends on ${t!.cell ? 'the top of its cell' : 'the edge of its row or box'}: ${JSON.stringify(end)} vs ${JSON.stringify(t!.rect)}`,
      );
    }
    for (const b of allBoxes) {
      if (b.el === ownerBox || b.el === targetBox) continue;
      const through = pts.slice(1, -1).find((p) => inside(p, b.rect, 2));
      assert.equal(through, undefined, `arrow ${src} → ${tgt} crosses box ${b.el.attrs['data-id']} at ${JSON.stringify(through)}`);
    }
  }
  return arrows.length;
}

/** How many pairs of arrows cross each other (`all`), and how many of them an order could avoid. */
function crossings(root: XmlElement): { all: number; avoidable: number } {
  const lines = find(root, 'arrow').map((a) => samplePath(find(a, 'arrow-line')[0].attrs.d));
  return { all: crossingPairs(lines).length, avoidable: unforcedCrossings(lines).length };
}

/** Every visible text of the picture (no `<title>` tooltips). */
function visibleTexts(root: XmlElement): string[] {
  return all(root)
    .filter((e) => e.name === 'text')
    .map(textOf);
}

// --- hand-built snapshots

test('string move (hand-built, expert): x greyed as moved to y, one arrow from y.ptr to the String bytes', () => {
  const s = handBuiltStringMove();
  const svg = render(s, { detail: 'expert' });
  assert.equal(svg.attrs['data-detail'], 'expert');
  const x = find(svg, 'slot', 'slot:frame:0:x')[0];
  const y = find(svg, 'slot', 'slot:frame:0:y')[0];
  assert.ok(x && y, 'both slots are drawn');
  assert.ok(classes(x).includes('moved'), 'x has class moved');
  assert.ok(!classes(y).includes('moved'), 'y is not moved');
  assert.match(textOf(x), /moved to y/);
  assert.match(textOf(x), /String/);
  assert.match(textOf(x), /24 B/);
  // ptr / len / cap rows under each String
  assert.deepEqual(
    find(y, 'row.field').map((r) => r.attrs['data-path']),
    ['ptr', 'len', 'cap'],
  );
  const arrows = find(svg, 'arrow');
  assert.deepEqual(
    arrows.map((a) => [a.attrs['data-source'], a.attrs['data-source-path'], a.attrs['data-target']]),
    [['slot:frame:0:y', 'ptr', 'heap:0']],
    'only the owner points at the heap; the moved-from bytes are drawn dead',
  );
  const block = find(svg, 'heap-block', 'heap:0')[0];
  assert.deepEqual(
    find(block, 'cell')
      .map(textOf)
      .map((t) => t.replace(/\s*\d+$/, '').trim()),
    ['w', 'i', 'l', 's', 'p', 'i'],
  );
  assert.match(textOf(block), /String data of y/);
  assert.match(textOf(block), /len 6 · cap 6 · 6 B/);
  assert.equal(find(svg, 'static-item', 'static:0').length, 1);
  assert.equal(checkArrows(svg), 1);
});

test('string move (hand-built, learner): y is its text with an arrow to its bytes; x is one line; fields on demand', () => {
  const s = handBuiltStringMove();
  const svg = render(s);
  assert.equal(svg.attrs['data-detail'], 'learner', 'learner is the default');
  const x = find(svg, 'slot', 'slot:frame:0:x')[0];
  const y = find(svg, 'slot', 'slot:frame:0:y')[0];
  assert.equal(find(x, 'row').length, 1, 'the moved-from binding is one line');
  assert.match(textOf(x), /moved to y/);
  assert.equal(find(y, 'row').length, 1, 'no ptr/len/cap rows');
  assert.match(textOf(y), /"wilspi"/);
  assert.doesNotMatch(textOf(y), /24 B/, 'no sizes in the learner view');
  const toggle = all(y).find((e) => e.attrs['data-expand'] !== undefined);
  assert.equal(toggle?.attrs['data-expand'], 'slot:frame:0:y', 'the row offers its fields');
  assert.deepEqual(
    find(svg, 'arrow').map((a) => [a.attrs['data-source'], a.attrs['data-source-path'], a.attrs['data-target']]),
    [['slot:frame:0:y', '', 'heap:0']],
    'the arrow starts at the value itself',
  );
  assert.match(textOf(find(svg, 'heap-block', 'heap:0')[0]), /String data of y.*6 of 6 bytes/);
  checkArrows(svg);
  // On demand: the slot's fields, and the arrow from its ptr.
  const open = render(s, { expanded: ['slot:frame:0:y'] });
  const y2 = find(open, 'slot', 'slot:frame:0:y')[0];
  assert.deepEqual(
    find(y2, 'row.field').map((r) => r.attrs['data-path']),
    ['ptr', 'len', 'cap'],
  );
  assert.equal(all(y2).find((e) => e.attrs['data-expand'] !== undefined)?.children[0], '▾');
  assert.deepEqual(
    find(open, 'arrow').map((a) => a.attrs['data-source-path']),
    ['ptr'],
  );
  checkArrows(open);
});

test('foo called from main (hand-built): two frames, the newest (foo) on top', () => {
  const svg = render(handBuiltFooCalledFromMain(), { detail: 'expert' });
  const frames = find(svg, 'frame');
  assert.deepEqual(
    frames.map((f) => f.attrs['data-function']),
    ['foo', 'main'],
    'document order is newest first',
  );
  const [foo, main] = frames.map((f) => boxRect(f)!);
  assert.ok(foo.y + foo.h < main.y, 'foo is drawn above main');
  assert.ok(classes(frames[0]).includes('current'), 'the executing frame is marked current');
  assert.deepEqual(
    find(frames[0], 'slot').map((sl) => sl.attrs['data-name']),
    ['y', 'z'],
  );
  assert.match(textOf(frames[0]), /called at line 13/);
  assert.match(textOf(find(frames[1], 'slot', 'slot:frame:0:x')[0]), /x\s+i32\s+4 B\s+42/);
  assert.equal(find(svg, 'arrow').length, 0);
});

test('Box, Vec, &str and a reference (hand-built): an arrow per live pointer, each to the right region', () => {
  const svg = render(handBuiltBoxVecStr(), { detail: 'expert' });
  const got = find(svg, 'arrow').map(
    (a) =>
      `${a.attrs['data-source'].replace('slot:frame:0:', '')}${a.attrs['data-source-path'] ? '.' + a.attrs['data-source-path'] : ''} → ${a.attrs['data-target']} (${a.attrs['data-region']})`,
  );
  assert.deepEqual(got.sort(), [
    'on_heap → heap:0 (heap)',
    'r → slot:frame:0:on_stack (stack)',
    's.ptr → static:0 (static)',
    'v.ptr → heap:1 (heap)',
  ]);
  const vec = find(svg, 'heap-block', 'heap:1')[0];
  assert.equal(find(vec, 'cell').length, 4, 'len 3 + 1 spare element of capacity');
  assert.equal(find(vec, 'cell.spare').length, 1);
  assert.match(textOf(vec), /Vec<i32> buffer of v/);
  assert.match(textOf(vec), /len 3 · cap 4 · 12 B of 16 B/);
  const learner = render(handBuiltBoxVecStr());
  assert.match(textOf(find(learner, 'heap-block', 'heap:1')[0]), /3 of 4 elements/);
  assert.deepEqual(
    find(learner, 'arrow')
      .map((a) => a.attrs['data-source-path'])
      .sort(),
    ['', '', '', ''],
    'learner: every arrow starts at its value',
  );
  checkArrows(learner);
  const later = find(svg, 'slot', 'slot:frame:0:later')[0];
  assert.ok(classes(later).includes('uninit'));
  assert.match(textOf(later), /uninit/);
  assert.match(textOf(find(svg, 'slot', 'slot:frame:0:v')[0]), /mut v/);
  assert.equal(checkArrows(svg), 4);
});

test('Rc cycle (hand-built): leaked blocks point at each other through the right gutter', () => {
  const svg = render(handBuiltRcCycleLeak());
  const blocks = find(svg, 'heap-block');
  assert.deepEqual(
    blocks.map((b) => classes(b).includes('leaked')),
    [true, true],
  );
  const arrows = find(svg, 'arrow').map((a) => `${a.attrs['data-source']} → ${a.attrs['data-target']}`);
  assert.deepEqual(arrows, ['heap:0 → heap:1', 'heap:1 → heap:0']);
  assert.deepEqual(
    find(svg, 'slot.dropped').map((s) => s.attrs['data-name']),
    ['a', 'b'],
  );
  assert.match(textOf(blocks[0]), /strong 1 · weak 0/);
  assert.match(textOf(blocks[0]), /Rc<RefCell<Node>>/);
  // No summary row above the fields: the RefCell's flag, then the Node's fields.
  assert.deepEqual(
    find(blocks[0], 'row').map((r) => r.attrs['data-path']),
    ['borrow', 'value.value', 'value.next'],
  );
  assert.ok(!textOf(blocks[0]).includes('Node { .. }'), 'no truncated summary of the fields');
  assert.equal(checkArrows(svg), 2);
});

test('freed block and dangling pointers (hand-built): freed marked, dangling arrows flagged', () => {
  const svg = render(handBuiltFreedAndDangling());
  assert.ok(classes(find(svg, 'heap-block', 'heap:0')[0]).includes('freed'));
  assert.match(textOf(find(svg, 'heap-block', 'heap:0')[0]), /freed/);
  const arrows = find(svg, 'arrow');
  assert.deepEqual(
    arrows.map((a) => [a.attrs['data-source'], a.attrs['data-target'], classes(a).includes('dangling')]),
    [
      ['slot:frame:0:p', 'heap:0', true],
      ['slot:frame:0:q', 'heap:9', true],
    ],
    'no arrow from the dropped String; both raw pointers dangle',
  );
  assert.match(textOf(arrows[1]), /dangling/);
  assert.ok(classes(find(svg, 'slot', 'slot:frame:0:s')[0]).includes('dropped'));
  assert.match(textOf(find(svg, 'slot', 'slot:frame:0:p')[0]), /`p` points into freed memory$/, 'no error in this snapshot: no code named');
  checkArrows(svg);
});

test('escaping (hand-built): markup in names, types, literals, values and messages stays text', () => {
  const s = handBuiltXss();
  const out = renderSnapshotSvg(s);
  const svg = parseXml(out);
  const names = all(svg).map((e) => e.name);
  for (const bad of ['script', 'img', 'foreignObject', 'iframe', 'a']) assert.ok(!names.includes(bad), `no <${bad}> element`);
  assert.ok(!all(svg).some((e) => Object.keys(e.attrs).some((k) => /^on/i.test(k))), 'no on* attribute anywhere');
  const texts = all(svg)
    .filter((e) => e.name === 'text')
    .map(textOf);
  assert.ok(texts.includes(JSON.stringify(XSS_PAYLOADS[0])), 'the <img> literal is shown as text');
  assert.ok(texts.includes(XSS_PAYLOADS[1]), 'the </svg><script> function name is shown as text');
  assert.ok(
    texts.some((t) => t.includes(`Vec<&'static str>`)),
    "types keep < > & '",
  );
  assert.ok(texts.includes(`'&amp;'`), 'an entity in a value is not decoded twice');
  assert.equal(
    find(svg, 'slot').find((e) => e.attrs['data-name'] === '"><svg onload=alert(3)>')?.attrs['data-name'],
    '"><svg onload=alert(3)>',
    'attribute values round-trip',
  );
  assert.ok(!/<script/i.test(out) && !/<img/i.test(out), 'no raw markup in the output');
});

test('escapeXml: the five specials, and characters XML cannot hold', () => {
  assert.equal(escapeXml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  assert.equal(escapeXml('nul\u0000 bell\u0007 tab\t nl\n'), 'nul\uFFFD bell\uFFFD tab\t nl\n');
  assert.equal(escapeXml('lone \uD800 pair \uD83E\uDD80'), 'lone \uFFFD pair \uD83E\uDD80');
});

test('stopped (hand-built): the picture of the last step and the reason are both shown', () => {
  const s = handBuiltStepLimit();
  const svg = render(s);
  assert.equal(svg.attrs['data-status'], 'stopped');
  assert.equal(find(svg, 'frame').length, 1);
  assert.ok(
    find(svg, 'notice').some((n) => textOf(n).includes('step budget')),
    'the stop reason is in the caption',
  );
});

test('nothing to show (hand-built): the message, no boxes', () => {
  const s = handBuiltNoFunction();
  const svg = render(s);
  assert.equal(svg.attrs['data-status'], 'no-function');
  assert.equal(boxes(svg).length, 0);
  assert.ok(all(svg).some((e) => e.name === 'text' && textOf(e) === s.message));
  const bare = render(s, { caption: false });
  assert.ok(
    all(bare).some((e) => e.name === 'text' && textOf(e) === s.message),
    'the message is drawn without a caption too',
  );
});

test('options: standalone SVG embeds the theme-variable CSS; the webview variant has no <style>', () => {
  const s = handBuiltStringMove();
  const standalone = render(s);
  const style = all(standalone).find((e) => e.name === 'style');
  assert.ok(style && /var\(--vscode-editor-foreground, #[0-9a-f]{6}\)/.test(textOf(style)), 'colours are VS Code variables with fallbacks');
  const web = render(s, { embedStyle: false, caption: false });
  assert.ok(!all(web).some((e) => e.name === 'style'));
  assert.ok(!all(web).some((e) => classes(e).includes('caption')));
  assert.ok(!all(standalone).some((e) => 'style' in e.attrs), 'no style attributes (a webview CSP forbids them)');
});

test('pure and deterministic: same output twice, the snapshot is not modified', () => {
  for (const [name, make] of Object.entries(HAND_BUILT)) {
    const s = make();
    const before = structuredClone(s);
    assert.equal(renderSnapshotSvg(s), renderSnapshotSvg(s), `${name}: deterministic`);
    assert.deepEqual(s, before, `${name}: input unchanged`);
  }
});

test('bounded: huge snapshots are cut, with a note, and still draw', () => {
  const s = handBuiltBoxVecStr();
  const vec = s.heap[1];
  vec.contents = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'scalar' as const, text: String(i) }));
  vec.len = 10_000;
  vec.elementCapacity = 16_384;
  s.frames[0].slots[0].value = {
    kind: 'aggregate',
    text: '[0; 1000]',
    fields: Array.from({ length: 1000 }, (_, i) => ({ name: String(i), value: { kind: 'scalar' as const, text: '0' } })),
  };
  s.frames[0].slots[0].name = 'x'.repeat(500);
  const out = renderSnapshotSvg(s, { detail: 'expert' });
  const svg = parseXml(out);
  assert.ok(find(find(svg, 'heap-block', 'heap:1')[0], 'cell').length <= 64);
  assert.ok(textOf(svg).includes('more not shown'));
  assert.ok(out.length < 200_000, `output stays small (${out.length} chars)`);
  assert.ok(Number(svg.attrs.width) < 2000, 'long names are clipped');
});

// --- snapshots from the real engine

test('engine: seed 000 String moved from x to y', (t) => {
  const { snapshot: s, why } = engineSnapshot(example('string-move'));
  if (!s) return t.skip(why);
  const x = slotOf(s, 'x')!;
  const y = slotOf(s, 'y')!;
  assert.equal(x.state, 'moved');
  assert.equal(x.movedTo?.to, 'y');
  const svg = render(s);
  const xg = find(svg, 'slot', x.id)[0];
  assert.ok(classes(xg).includes('moved'));
  assert.match(textOf(xg), /moved to y/);
  const block = s.heap.find((b) => b.text === 'wilspi');
  assert.ok(block, 'the String bytes are on the heap');
  const arrows = find(svg, 'arrow').filter((a) => a.attrs['data-target'] === block!.id);
  assert.deepEqual(
    arrows.map((a) => a.attrs['data-source']),
    [y.id],
    'only y points at the bytes',
  );
  checkArrows(svg);
});

test('engine: seed 003 foo() called from main shows both frames, foo on top', (t) => {
  const { snapshot: s, why } = engineSnapshot(example('foo-from-main'));
  if (!s) return t.skip(why);
  assert.deepEqual(
    s.frames.map((f) => f.function),
    ['main', 'foo'],
  );
  const svg = render(s);
  const frames = find(svg, 'frame');
  assert.deepEqual(
    frames.map((f) => f.attrs['data-function']),
    ['foo', 'main'],
  );
  assert.ok(boxRect(frames[0])!.y < boxRect(frames[1])!.y);
  for (const name of ['y', 'z'])
    assert.ok(
      find(frames[0], 'slot').some((e) => e.attrs['data-name'] === name),
      `foo holds ${name}`,
    );
  assert.ok(
    find(frames[1], 'slot').some((e) => e.attrs['data-name'] === 'x'),
    'main holds x',
  );
});

test('engine: Box, Vec and a &str literal point into heap and static memory', (t) => {
  const { snapshot: s, why } = engineSnapshot(example('box-vec-str'));
  if (!s) return t.skip(why);
  const svg = render(s);
  const regionOf = (name: string) => {
    const sl = slotOf(s, name);
    assert.ok(sl, `slot ${name}`);
    return find(svg, 'arrow')
      .filter((a) => a.attrs['data-source'] === sl!.id)
      .map((a) => a.attrs['data-region']);
  };
  assert.deepEqual(regionOf('on_heap'), ['heap']);
  assert.deepEqual(regionOf('v'), ['heap']);
  assert.deepEqual(regionOf('s'), ['static']);
  assert.deepEqual(regionOf('r'), ['stack']);
  assert.ok(s.statics.some((st) => st.kind === 'literal' && st.name.includes('hello')));
  checkArrows(svg);
});

test('engine: markup in string literals is drawn as text', (t) => {
  const { snapshot: s, why } = engineSnapshot(example('xss'));
  if (!s) return t.skip(why);
  const out = renderSnapshotSvg(s);
  const svg = parseXml(out);
  assert.ok(!all(svg).some((e) => ['script', 'img', 'foreignObject'].includes(e.name)));
  const texts = textOf(svg);
  assert.ok(texts.includes('onerror=alert(1)'), 'the <img> literal is visible as text');
  assert.ok(texts.includes('</svg>') || texts.includes('<'), 'the </svg><script> text is visible');
});

// --- the programs of issue 11, from the real engine, at every step and three widths

const WIDTHS = [800, 600, 400];

for (const p of PANEL_PROGRAMS) {
  test(`engine ${p.name}: every step draws, at ${WIDTHS.join(', ')} px and unbounded, arrows on their targets, no ids in the learner view`, () => {
    const steps = programSteps(p);
    assert.ok(steps.length > 3, `${p.fixture} has a trace`);
    const layouts = new Set<string>();
    for (const s of steps) {
      assert.equal(s.status, 'ok', `${p.fixture} step ${s.step}: ${s.message}`);
      for (const maxWidth of [...WIDTHS, undefined]) {
        for (const detail of ['learner', 'expert'] as const) {
          const svg = render(s, { maxWidth, detail, caption: false });
          checkArrows(svg);
          assert.equal(
            crossings(svg).avoidable,
            0,
            `${p.fixture} step ${s.step} at ${maxWidth ?? 'unbounded'} px (${detail}): an avoidable crossing`,
          );
          layouts.add(svg.attrs['data-layout']);
          if (detail === 'learner') {
            const ids = visibleTexts(svg).filter((t) => /heap:\d|frame:\d|static:\d|slot:/.test(t));
            assert.deepEqual(ids, [], `${p.fixture} step ${s.step}: ids in the visible text`);
          }
        }
      }
    }
    assert.ok(layouts.has('narrow'), 'narrow panels get one column');
  });
}

test('engine linked list: the nodes read top to bottom in list order, level with what points to them, and no arrow crosses another', () => {
  const p = PANEL_PROGRAMS.find((x) => x.name === 'linked-list')!;
  const { snapshot: s } = programSnapshots(p)[1];
  for (const maxWidth of [undefined, 400]) {
    const svg = render(s, { maxWidth });
    const nodes = find(svg, 'heap-block').filter((b) => /Box<Node>/.test(textOf(b)));
    const titles = nodes.map((b) => textOf(find(b, 'title').length ? b : b).match(/of (stack\.head[.a-z]*)/)?.[1]);
    assert.deepEqual(titles.slice(0, 3), ['stack.head', 'stack.head.next', 'stack.head.next.next']);
    const ys = nodes.map((b) => boxRect(b)!.y);
    assert.deepEqual(
      ys,
      [...ys].sort((a, b) => a - b),
      'top to bottom',
    );
    assert.deepEqual(crossings(svg), { all: 0, avoidable: 0 }, 'no crossing arrows');
    // Each `next` arrow ends on the next node's box (a header: the node itself).
    for (const a of find(svg, 'arrow').filter((x) => x.attrs['data-source-path'] === 'next'))
      assert.equal(a.attrs['data-target-path'], undefined);
  }
});

test('engine names: arrows end on the element they point at (`first` → names[0]); no crossings wide or narrow', () => {
  const p = PANEL_PROGRAMS.find((x) => x.name === 'names-vec')!;
  const { snapshot: s } = programSnapshots(p)[1];
  for (const maxWidth of [undefined, 600, 400]) {
    const svg = render(s, { maxWidth });
    const first = find(svg, 'arrow').find((a) => a.attrs['data-source'].endsWith(':first'))!;
    assert.equal(first.attrs['data-target-path'], '0', 'ends on the row of names[0]');
    const c = crossings(svg);
    assert.equal(c.avoidable, 0, `no avoidable crossing at ${maxWidth ?? 'unbounded'} px`);
    // Side by side, none at all; in one column `first` (a reference into the buffer) and
    // `names` (the buffer's owner, above it) interleave: one crossing no order avoids.
    assert.equal(c.all, maxWidth === undefined ? 0 : c.all);
    if (maxWidth) assert.ok(Number(svg.attrs.width) <= maxWidth, `fits ${maxWidth} px: ${svg.attrs.width}`);
  }
});

test('engine E0502: `first` ends on the freed element cell and is labelled; with the error, the label names it', () => {
  const p = PANEL_PROGRAMS.find((x) => x.name === 'e0502')!;
  const { snapshot: s } = programSnapshots(p)[0];
  const svg = render(s);
  const first = find(svg, 'arrow').find((a) => a.attrs['data-source'].endsWith(':first'))!;
  assert.ok(classes(first).includes('dangling'));
  assert.equal(first.attrs['data-index'], '0');
  assert.equal(first.attrs['data-target-path'], undefined, 'on the cell of v[0] in the freed buffer');
  assert.ok(classes(groupOf(svg, first.attrs['data-target'])!).includes('freed'));
  checkArrows(svg);
  const noteOf = (x: XmlElement) =>
    find(
      find(x, 'slot').find((g) => g.attrs['data-name'] === 'first')!,
      'note',
    )
      .map(textOf)
      .join(' ');
  assert.match(noteOf(svg), /`first` points into freed/);
  // With the error the lead's borrow checker reports (E0502 on the push), the label names it.
  const withError: Snapshot = {
    ...s,
    errors: [
      {
        code: 'E0502',
        message: 'cannot borrow `v` as mutable because it is also borrowed as immutable',
        href: 'https://doc.rust-lang.org/error_codes/E0502.html',
        range: s.range!,
        step: s.step,
        here: true,
      },
    ],
  };
  const marked = render(withError);
  assert.match(noteOf(marked).replace(/\s+/g, ' '), /`first` points into freed memory: this is what E0502 prevents/);
  assert.ok(find(marked, 'caption-error').some((e) => /error\[E0502\]: cannot borrow `v` as mutable/.test(textOf(e))));
});

test('errors (hand-built E0382): the moved-from binding the step reads is labelled with the error', () => {
  const s: Snapshot = {
    ...handBuiltStringMove(),
    errors: [
      {
        code: 'E0382',
        message: 'borrow of moved value: `x`',
        range: handBuiltStringMove().range ?? { start: { line: 6, character: 20 }, end: { line: 6, character: 21 } },
        step: 0,
        here: true,
      },
    ],
  };
  const svg = render(s);
  const x = find(svg, 'slot', 'slot:frame:0:x')[0];
  assert.match(find(x, 'note').map(textOf).join(' ').replace(/\s+/g, ' '), /`x` was moved out: using it here is what E0382 prevents/);
  assert.ok(find(svg, 'caption-error').some((e) => textOf(e) === 'error[E0382]: borrow of moved value: `x`'));
  // Not on the error's step: the caption says the program does not compile.
  const later = render({ ...s, errors: [{ ...s.errors![0], here: false }] });
  assert.ok(find(later, 'caption-error').some((e) => /rustc rejects this program \(E0382 at line \d+\)/.test(textOf(e))));
  assert.equal(find(find(later, 'slot', 'slot:frame:0:x')[0], 'note').length, 0);
});

test('narrow: one column (stack, heap, static memory), boxes the same width, loops on the right', () => {
  const s = handBuiltBoxVecStr();
  const wide = render(s, { maxWidth: 2000 });
  const narrow = render(s, { maxWidth: 400 });
  assert.equal(wide.attrs['data-layout'], 'wide');
  assert.equal(narrow.attrs['data-layout'], 'narrow');
  const xs = new Set(boxes(narrow).map((b) => b.rect.x));
  assert.equal(xs.size, 1, 'every box in one column');
  const frame = boxRect(find(narrow, 'frame')[0])!;
  for (const b of boxes(narrow))
    assert.ok(b.el === find(narrow, 'frame')[0] || b.rect.y > frame.y + frame.h, 'heap and statics below the stack');
  assert.ok(Number(narrow.attrs.width) <= 400, `fits: ${narrow.attrs.width}`);
  checkArrows(narrow);
});
