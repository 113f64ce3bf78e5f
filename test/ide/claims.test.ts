/**
 * Memory claims of the hover and the snapshot that follow the running program (issue 9, item 3):
 * element references, constant promotion, closures' layouts, fat pointers' pointees, heap blocks'
 * len and capacity. The numbers are rustc 1.95's on x86_64 Linux (`npm run oracle` checks the same
 * kinds against the compiled program, `test/claims/`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { hoverAt, type HoverInfo } from '../../server/src/ide/hover';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { engineText, parseObserved, parseProbes, probeProgram, compareClaims } from '../tools/memoryOracle';

/** The hover of the first `let NAME` in `src` (at the binding). */
function hoverOf(src: string, name: string): HoverInfo {
  const lines = src.split('\n');
  const line = lines.findIndex((l) => new RegExp(`let (mut )?${name}\\b`).test(l));
  assert.ok(line >= 0, `no let ${name}`);
  const h = hoverAt(analyze(src), { line, character: lines[line].indexOf(name) });
  assert.ok(h, `no hover for ${name}`);
  return h;
}

const main = (body: string[], items: string[] = []): string =>
  [...items, 'fn main() {', ...body.map((l) => `    ${l}`), '}', ''].join('\n');

test('a closure is laid out as a struct of its captures: moved String 24, borrowed i32 8, two borrows 16, none 0', () => {
  const src = main([
    'let s = String::from("hi");',
    'let x = 3;',
    'let y = 4u8;',
    'let owns = move || s.len();',
    'let borrows = |a: i32| a + x;',
    'let both = || x as u8 + y;',
    'let nothing = || 1;',
    'println!("{} {} {} {}", owns(), borrows(1), both(), nothing());',
  ]);
  assert.deepEqual(
    ['owns', 'borrows', 'both', 'nothing'].map((n) => hoverOf(src, n).size),
    [24, 8, 16, 0],
  );
  // The panel's slots say the same.
  const snap = snapshotAt(analyze(src), { line: 8, character: 4 }, 1, 0);
  const slot = (n: string) => snap.frames[0].slots.find((s) => s.name === n);
  assert.equal(slot('owns')?.size, 24);
  assert.equal(slot('both')?.size, 16);
});

test('an element reference points to the element; a sub-slice to its elements', () => {
  const src = main([
    'let v = vec![1, 2, 3, 4, 5];',
    'let first = &v[0];',
    'let arr: [u16; 4] = [1, 2, 3, 4];',
    'let mid = &arr[1..3];',
    'println!("{} {:?}", first, mid);',
  ]);
  const first = hoverOf(src, 'first');
  assert.deepEqual([first.target, first.targetSize], ['heap', 4]);
  const mid = hoverOf(src, 'mid');
  assert.deepEqual([mid.target, mid.targetSize, mid.len], ['stack', 4, 2]);
});

test('constant promotion: `&10`, `&[1, 2]`, `&Some(3)` and `&STATIC` point into static memory; `&x` and `&f()` do not', () => {
  const src = main(
    [
      'let r: &u32 = &10;',
      'let pair = &[1, 2];',
      'let some = &Some(3u8);',
      'let cnt = &COUNT;',
      'let lim = &LIMITS[1];',
      'let x = 1;',
      'let rx = &x;',
      'let made = &String::from("a");',
      'println!("{} {:?} {:?} {} {} {} {}", r, pair, some, cnt, lim, rx, made);',
    ],
    ['static COUNT: i32 = 5;', 'static LIMITS: [u32; 3] = [1, 2, 3];'],
  );
  const claims = (n: string) => {
    const h = hoverOf(src, n);
    return [h.target, h.targetSize];
  };
  assert.deepEqual(claims('r'), ['static', 4]);
  assert.deepEqual(claims('pair'), ['static', 8]);
  assert.deepEqual(claims('some'), ['static', 2]);
  assert.deepEqual(claims('cnt'), ['static', 4]);
  assert.deepEqual(claims('lim'), ['static', 4]);
  assert.deepEqual(claims('rx'), ['stack', 4]);
  assert.deepEqual(claims('made'), ['stack', 24]);
  // The panel draws the promoted constants in static memory.
  const snap = snapshotAt(analyze(src), { line: 11, character: 4 }, 1, 0);
  const promoted = snap.statics.filter((s) => s.kind === 'promoted').map((s) => [s.name, s.size]);
  assert.deepEqual(promoted, [
    ['10', 4],
    ['[1, 2]', 8],
    ['Some(3u8)', 2],
  ]);
});

test('fat pointers: Box<dyn Trait> points to the concrete value, Box<[T]> and Box<str> to their len bytes', () => {
  const src = main(
    [
      'let d: Box<dyn Debug> = Box::new(1u8);',
      'let bs: Box<[u16]> = vec![1u16, 2, 3].into_boxed_slice();',
      'let bstr: Box<str> = String::from("boxed").into_boxed_str();',
      'println!("{:?} {:?} {} {}", d, bs, bstr, bs.len());',
    ],
    ['use std::fmt::Debug;'],
  );
  const claims = (n: string) => {
    const h = hoverOf(src, n);
    return [h.size, h.target, h.targetSize];
  };
  assert.deepEqual(claims('d'), [16, 'heap', 1]);
  assert.deepEqual(claims('bs'), [16, 'heap', 6]);
  assert.deepEqual(claims('bstr'), [16, 'heap', 5]);
});

test('String/Vec: bytes in use and the heap block (capacity); Rc: the value and the block with its counts', () => {
  const src = main(
    ['let mut w = String::with_capacity(10);', 'w.push_str("abc");', 'let rc = Rc::new(5i64);', 'println!("{} {}", w, rc);'],
    ['use std::rc::Rc;'],
  );
  const lines = src.split('\n');
  const line = lines.findIndex((l) => l.includes('println!'));
  const w = hoverAt(analyze(src), { line, character: lines[line].indexOf('w,') });
  assert.ok(w);
  assert.deepEqual([w.targetSize, w.blockSize, w.len, w.capacity], [3, 10, 3, 10]);
  assert.match(w.markdown, /points to\*\* 3 bytes on the heap \(len 3, capacity 10\), in a 10-byte block/);
  const rc = hoverOf(src, 'rc');
  assert.deepEqual([rc.targetSize, rc.blockSize], [8, 24]);
});

test('the memory oracle: probe lines become the same lines for the engine and for rustc; claims are compared', () => {
  const text = ['fn main() {', '    let a = 1;', '    // probe: a', '}'].join('\n');
  const probes = parseProbes(text);
  assert.deepEqual(probes, [{ line: 2, indent: '    ', names: ['a'] }]);
  assert.equal(engineText(text, probes).split('\n')[2], '    let _ = (&a,);');
  const program = probeProgram(text, probes);
  assert.match(program.split('\n')[2], /__probe::report\(3, "a", &a, \(&__probe::W\(&a\)\)\.pointee\(\)\);/);
  const seen = parseObserved('PROBE 3 a size=4 self=stack\nPROBE 3 v size=24 self=stack pointee=heap psize=12 len=3 cap=4 block=16\n');
  const v = seen.get('3:v');
  assert.deepEqual(v, { size: 24, self: 'stack', pointee: { region: 'heap', size: 12, len: 3, cap: 4, block: 16 } });
  const hover = (over: Partial<HoverInfo>): HoverInfo =>
    ({
      range: null,
      name: 'v',
      type: 'Vec<i32>',
      size: 24,
      align: 8,
      location: 'stack',
      state: 'owned',
      unknowns: [],
      markdown: '',
      ...over,
    }) as unknown as HoverInfo;
  assert.deepEqual(compareClaims(hover({ target: 'heap', targetSize: 12, len: 3, capacity: 4, blockSize: 16 }), v!).disagree, []);
  assert.deepEqual(compareClaims(hover({ target: 'heap', targetSize: 20, len: 3, capacity: 4, blockSize: 16 }), v!).disagree, [
    'pointee size: hover says 20, rustc 12',
  ]);
  assert.equal(compareClaims(hover({ target: 'heap', targetSize: null }), v!).unknown.length, 4);
  assert.deepEqual(compareClaims(hover({ size: 4, target: 'stack' }), seen.get('3:a')!).disagree, [
    'hover says it points to stack, the program has no pointer there',
  ]);
});
