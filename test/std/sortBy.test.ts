/**
 * `sort_by_key` and `sort_by` run their closures (core/src/slice/mod.rs: stable sorts by the keys'
 * `Ord` or by the closure's `Ordering`): the program prints what rustc's prints, and keys that own
 * heap memory (`to_lowercase()`) are freed after the sort. `-x` on a `&i32` (std's `Neg for &i32`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { checkedRun } from '../support/rustc';

const src = [
  '#[derive(Debug)]',
  'struct P {',
  '    name: String,',
  '    age: u32,',
  '}',
  'fn main() {',
  '    let mut v = vec![3, 1, 2];',
  '    v.sort_by_key(|x| -x);',
  '    let mut w = vec!["bb", "a", "ccc"];',
  '    w.sort_by_key(|s| s.len());',
  '    let mut ps = vec![',
  '        P { name: String::from("Zoe"), age: 30 },',
  '        P { name: String::from("adam"), age: 25 },',
  '        P { name: String::from("Bob"), age: 30 },',
  '    ];',
  '    ps.sort_by_key(|p| p.name.to_lowercase());',
  '    println!("{:?} {:?} {:?}", v, w, ps);',
  '    let mut n = vec![5, 9, 1];',
  '    n.sort_by(|a: &i32, b: &i32| b.cmp(a));',
  '    println!("{:?}", n);',
  '}',
  '',
].join('\n');

test('sort_by_key and sort_by: output as rustc, the owned keys freed after the sort', (t) => {
  const run = checkedRun(t, 'sort_by', src);
  assert.equal(run.stdout[1], '[9, 5, 1]');
  // After the sort by lowercase name: the three keys' Strings are freed, the names' are live.
  const snap = snapshotAt(analyze(src), { line: 16, character: 4 });
  assert.equal(snap.status, 'ok');
  const strings = (snap.heap ?? []).filter((b) => b.text !== undefined);
  assert.equal(strings.filter((b) => b.state === 'live').length, 3);
  assert.equal(strings.filter((b) => b.state === 'freed').length, 3);
});
