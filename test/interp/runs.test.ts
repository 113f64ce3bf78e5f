/**
 * `vec![x; n]` of a scalar is a run (one value and a count: `ElemRun` in interp/memory.ts): a
 * real 1 MB buffer costs O(1) to make, measure, clone, index and drop until its elements differ,
 * and the 64 MB heap budget, not the budget on copied values, is what stops a program that keeps
 * allocating them. Each program's real output (rustc) is in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSource } from '../support/interpSource';
import { HEAP_BYTES, RUN_VALUES } from '../../server/src/interp/budget';

test('clones of an 8 MB `vec![0u64; 1_000_000]` run to the end (copying them value by value would pass the budget on copies)', () => {
  const src = [
    'fn main() {',
    '    let v = vec![7u64; 1000000];',
    '    let a = v.clone();',
    '    let b = a.clone();',
    '    let c = b.clone();',
    '    println!("{} {} {}", c.len(), c[999999], v[0]);', // rustc: 1000000 7 7
    '}',
    '',
  ].join('\n');
  assert.ok(4 * 1_000_000 > RUN_VALUES, 'the copies would pass the run budget if made value by value');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.stdout, ['1000000 7 7']);
});

test('a run whose elements come to differ behaves as the Vec it stands for', () => {
  const src = [
    'fn main() {',
    '    let mut v = vec![0u8; 6];',
    '    let w = v.clone();',
    '    v[2] = 9;',
    '    v.push(4);',
    '    let s: u32 = v.iter().map(|x| *x as u32).sum();',
    '    println!("{:?} {:?} {} {}", v, w, v.len(), s);', // rustc: [0, 0, 9, 0, 0, 0, 4] [0, 0, 0, 0, 0, 0] 7 13
    '    let mut m = vec![vec![1; 2]; 2];',
    '    m[0][1] = 5;',
    '    println!("{:?}", m);', // rustc: [[1, 5], [1, 1]]
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.stdout, ['[0, 0, 9, 0, 0, 0, 4] [0, 0, 0, 0, 0, 0] 7 13', '[[1, 5], [1, 1]]']);
});

test('pushing fresh 1 MB buffers in a loop stops on the 64 MB heap budget, with its message', () => {
  const src = [
    'fn main() {',
    '    let mut v: Vec<Vec<u8>> = Vec::new();',
    '    loop {',
    '        v.push(vec![0u8; 1000000]);',
    '    }',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'memory-limit', run.stop.message);
  assert.equal(run.stop.message, `the simulated program allocated more than ${HEAP_BYTES / (1024 * 1024)} MB`);
  // It got there by allocating: about 64 of the 1 MB buffers were made first.
  const allocs = run.steps.flatMap((s) => s.events).filter((e) => e.kind === 'alloc' && /1000000 bytes/.test(e.text)).length;
  assert.ok(allocs >= 60 && allocs <= 70, `${allocs} buffers of 1 MB allocated`);
});
