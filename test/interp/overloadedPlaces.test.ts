/**
 * The file's own `Index`/`IndexMut` and `Deref`/`DerefMut` in places (`mir/placeOps.ts`): the
 * simulation runs the user's `index`/`deref` calls the MIR makes, so it prints what the compiled
 * program prints; where the builder cannot choose the impl (an `Index<Range<usize>>` beside an
 * `Index<usize>`, the range's type unknown) the value is unknown (`?`), never a struct's fields
 * taken for a sequence's elements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRun, rustcRun } from '../support/rustc';
import { runSource } from '../support/interpSource';

test('user Index/IndexMut, Deref/DerefMut: reads, writes, compound assignment, &mut self methods through them', (t) => {
  const src = [
    'use std::ops::{Deref, DerefMut, Index, IndexMut};',
    'struct Stack<T> { items: Vec<T> }',
    'impl<T> Index<usize> for Stack<T> { type Output = T; fn index(&self, i: usize) -> &T { &self.items[i] } }',
    'impl<T> IndexMut<usize> for Stack<T> { fn index_mut(&mut self, i: usize) -> &mut T { &mut self.items[i] } }',
    'struct P { x: i32 }',
    'impl P { fn bump(&mut self) { self.x += 1; } }',
    "struct Guard<'a> { r: &'a mut Vec<i32> }",
    "impl<'a> Deref for Guard<'a> { type Target = Vec<i32>; fn deref(&self) -> &Vec<i32> { self.r } }",
    "impl<'a> DerefMut for Guard<'a> { fn deref_mut(&mut self) -> &mut Vec<i32> { self.r } }",
    'fn main() {',
    '    let mut s = Stack { items: vec![P { x: 1 }, P { x: 2 }] };',
    '    s[0].bump();',
    '    s[1].x += 10;',
    '    s[0].x += s[1].x;',
    '    println!("{} {}", s[0].x, s[1].x);',
    '    let mut v = vec![1, 2];',
    '    {',
    '        let mut g = Guard { r: &mut v };',
    '        g.push(3);',
    '        g[0] = g.len() as i32;',
    '        let total: i32 = g.iter().sum();',
    '        println!("{}", total);',
    '    }',
    '    println!("{:?}", v);',
    '}',
    '',
  ].join('\n');
  checkedRun(t, 'overloaded_places', src);
});

test('an index whose impl the builder cannot choose is unknown, not the struct read as a sequence', () => {
  const src = [
    'use std::ops::{Index, Range};',
    'struct Stack<T> { items: Vec<T> }',
    'impl<T> Index<usize> for Stack<T> { type Output = T; fn index(&self, i: usize) -> &T { &self.items[i] } }',
    'impl<T> Index<Range<usize>> for Stack<T> { type Output = [T]; fn index(&self, r: Range<usize>) -> &[T] { &self.items[r] } }',
    'fn main() {',
    '    let s = Stack { items: vec![1, 2, 3] };',
    '    let sl = &s[0..2];',
    '    println!("{} {}", s[1], sl.len());',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  const want = rustcRun('overloaded_range_index', src) ?? ['2 2'];
  assert.equal(run.stdout.length, want.length);
  run.stdout.forEach((line, i) => {
    const got = line.split(' ');
    const real = want[i].split(' ');
    got.forEach((w, j) => assert.ok(w === '?' || w === real[j], `line ${i + 1}: ${line} vs ${want[i]}`));
  });
  assert.ok(run.stdout[0].startsWith('2 '), 'the usize index is the impl the literal picks');
});
