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
import { engineSnapshot, example } from '../support/panelExamples';
import {
  all,
  boxRect,
  classes,
  closest,
  find,
  inside,
  onSideEdge,
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

/** The outline an arrow to `id` must end on: a slot's own row, or a block's / static's box. */
function targetRect(root: XmlElement, id: string): Rect | undefined {
  const g = all(root).find(
    (e) =>
      e.attrs['data-id'] === id && (classes(e).includes('slot') || classes(e).includes('heap-block') || classes(e).includes('static-item')),
  );
  if (!g) return undefined;
  if (classes(g).includes('slot')) {
    const own = find(g, 'row.own')[0];
    return own && boxRect(own, 'row-bg');
  }
  return boxRect(g);
}

/** Every box of the picture: frames, heap blocks, statics. */
function boxes(root: XmlElement): { el: XmlElement; rect: Rect }[] {
  return all(root)
    .filter((e) => ['frame', 'heap-block', 'static-item'].some((c) => classes(e).includes(c)))
    .map((el) => ({ el, rect: boxRect(el)! }));
}

/**
 * Checks every arrow: it starts inside the box that holds its pointer, ends on the edge of its
 * target's outline, and no point of it passes through any other box.
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
      inside(start, ownerRect, -1.5) || onSideEdge(start, ownerRect, 1.5),
      `arrow ${src}.${a.attrs['data-source-path']} starts in its box: ${JSON.stringify(start)} vs ${JSON.stringify(ownerRect)}`,
    );
    if (!classes(a).includes('dangling') || targetRect(root, tgt)) {
      const tr = targetRect(root, tgt);
      assert.ok(tr, `arrow target ${tgt} is drawn`);
      assert.ok(
        onSideEdge(end, tr!, 1.5),
        `arrow ${src} → ${tgt} ends on the target's edge: ${JSON.stringify(end)} vs ${JSON.stringify(tr)}`,
      );
    }
    for (const b of allBoxes) {
      if (b.el === ownerBox) continue;
      const through = pts.slice(1, -1).find((p) => inside(p, b.rect, 2));
      assert.equal(through, undefined, `arrow ${src} → ${tgt} crosses box ${b.el.attrs['data-id']} at ${JSON.stringify(through)}`);
    }
  }
  return arrows.length;
}

// --- hand-built snapshots

test('string move (hand-built): x greyed as moved to y, one arrow from y.ptr to the String bytes', () => {
  const s = handBuiltStringMove();
  const svg = render(s);
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
      .map((t) => t.replace(/^\d+\s*/, '').trim()),
    ['w', 'i', 'l', 's', 'p', 'i'],
  );
  assert.match(textOf(block), /len 6 · cap 6 · 6 B · owner y/);
  assert.equal(find(svg, 'static-item', 'static:0').length, 1);
  assert.equal(checkArrows(svg), 1);
});

test('foo called from main (hand-built): two frames, the newest (foo) on top', () => {
  const svg = render(handBuiltFooCalledFromMain());
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
  const svg = render(handBuiltBoxVecStr());
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
  assert.match(textOf(vec), /len 3 · cap 4 · 12 B of 16 B/);
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
  const out = renderSnapshotSvg(s);
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
