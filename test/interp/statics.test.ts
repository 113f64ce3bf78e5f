/**
 * `static` items are places (Rust reference, "Static items"): a write to a `static mut` changes
 * the item itself, and a later read sees it; promoted constants (`&[]`, `&[1, 2]`) are read where
 * they live, in static memory. Each program is compiled and run by the installed rustc and the
 * simulation must print exactly what it prints, knowing every value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRun } from '../support/rustc';
import { runSource } from '../support/interpSource';

test('a `static mut` written by `+=`, `=` and through an index keeps what was written', (t) => {
  const src = [
    'static mut HITS: u32 = 0;',
    'static mut LOG: [i32; 3] = [0; 3];',
    'static mut NAME: &str = "none";',
    'fn hit(i: usize) {',
    '    unsafe {',
    '        HITS += 1;',
    '        LOG[i] = 7 * HITS as i32;',
    '    }',
    '}',
    'fn main() {',
    '    hit(0);',
    '    hit(2);',
    '    unsafe { NAME = "two hits"; }',
    '    let n = unsafe { HITS };',
    '    let l = unsafe { LOG };',
    '    let s = unsafe { NAME };',
    '    println!("{} {:?} {}", n, l, s);',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'static_mut_writes', src);
  assert.equal(run.stdout[0], '2 [7, 0, 14] two hits');
});

test('slice patterns on promoted constants (`&[]`, `&[1, 2, 3, 4]`) test their real length', (t) => {
  const src = [
    'fn classify(v: &[i32]) -> String {',
    '    match v {',
    '        [] => String::from("empty"),',
    '        [x] => format!("one {}", x),',
    '        [a, b, ..] => format!("starts {} {}", a, b),',
    '    }',
    '}',
    'fn main() {',
    '    println!("{}", classify(&[]));',
    '    println!("{}", classify(&[5]));',
    '    println!("{}", classify(&[1, 2, 3, 4]));',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'promoted_slice_len', src);
  assert.deepEqual(run.stdout, ['empty', 'one 5', 'starts 1 2']);
});

test('a write into a static whose value is unknown does not invent a length: no false panic, the value stays unknown', () => {
  const src = [
    'static mut A: [u8; 4] = *b"abcd";',
    'fn main() {',
    '    unsafe { A[0] = 1; A[2] = 1; }',
    '    let a = unsafe { A };',
    '    println!("{:?}", a);',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.stdout, ['?']);
  assert.ok(run.unknowns.length > 0, 'the unknown value is listed');
});
