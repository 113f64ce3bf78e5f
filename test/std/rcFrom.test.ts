/**
 * `Rc::from` / `Arc::from` into `Rc<str>`, `Arc<str>` and `Rc<[T]>` (alloc/src/rc.rs `impl
 * From<&str>`, `From<String>`, `From<Vec<T>>`): the program prints what rustc's prints, the block
 * holds the counts and the bytes or elements, the String's buffer is freed, and the panel shows
 * the text and the elements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { checkedRun } from '../support/rustc';

const src = [
  'use std::rc::Rc;',
  'use std::sync::Arc;',
  'fn main() {',
  '    let s = String::from("héllo");',
  '    let rs: Rc<str> = Rc::from(s);',
  '    let a: Arc<str> = Arc::from("abc");',
  '    let v: Rc<[u16]> = Rc::from(vec![1u16, 2, 3]);',
  '    let r2 = Rc::clone(&rs);',
  '    println!("{} {} {} {:?} {}", rs, rs.len(), a, v, Rc::strong_count(&r2));',
  '}',
  '',
].join('\n');

test('Rc::from / Arc::from into str and slices: output as rustc, one counted block each, the String freed', (t) => {
  const run = checkedRun(t, 'rc_from', src);
  assert.deepEqual(run.stdout, ['héllo 6 abc [1, 2, 3] 2']);
  const snap = snapshotAt(analyze(src), { line: 8, character: 4 });
  assert.equal(snap.status, 'ok');
  const slots = new Map((snap.frames?.[0]?.slots ?? []).map((s) => [s.name, s]));
  assert.equal(slots.get('rs')?.value.text, 'Rc("héllo")');
  assert.equal(slots.get('a')?.value.text, 'Arc("abc")');
  assert.equal(slots.get('v')?.value.text, 'Rc([1, 2, 3])');
  const blocks = snap.heap ?? [];
  const live = blocks.filter((b) => b.state === 'live');
  // RcInner<str> of 6 bytes: 16 bytes of counts + 6, rounded up to the alignment 8 (24).
  assert.deepEqual(
    live.map((b) => [b.size, b.capacity]),
    [
      [6, 24],
      [3, 24],
      [6, 24],
    ],
  );
  // The String's buffer was moved into the Rc and freed: only the three counted blocks are left.
  assert.equal(blocks.length, 3);
});
