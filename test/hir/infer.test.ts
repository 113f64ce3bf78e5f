/**
 * Type inference (`server/src/hir/infer.ts`) where a guess would be a wrong claim: the hover's
 * type must be rustc's or unknown (`?`), never a plausible other type. Each program compiles;
 * rustc's type of each binding is in the comment (checked for the fixtures and the corpora by
 * `npm run oracle -- --types`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { hoverAt } from '../../server/src/ide/hover';
import { posOf } from '../support/interpSource';

/** The hover's type of the binding written `let NAME` (the first one) in `src`. */
function typeOf(src: string, name: string): string | undefined {
  const a = analyze(src);
  return hoverAt(a, posOf(src, `let ${name}`, 0, 4))?.type;
}

test('a number passed to a call the engine does not model is not defaulted to i32 (that callee may fix its type)', () => {
  const src = [
    'fn main() {',
    '    let some_vector = vec![1, 2, 3, 4];', // rustc: Vec<u32>, fixed by from_raw_parts below
    '    let pointer = some_vector.as_ptr();', // rustc: *const u32
    '    let plain = vec![1, 2];', // rustc: Vec<i32> (nothing constrains it)
    '    let my_slice: &[u32] = unsafe { std::slice::from_raw_parts(pointer, 4) };',
    '    println!("{:?} {:?}", my_slice, plain);',
    '}',
    '',
  ].join('\n');
  for (const name of ['some_vector', 'pointer']) {
    const t = typeOf(src, name);
    assert.ok(t !== undefined && !t.includes('i32'), `${name}: ${t}`);
  }
  assert.equal(typeOf(src, 'plain'), 'Vec<i32>');
});

test('comparing a value of a type not known yet with a `&str` does not make it a `&str` (`String == &str` is allowed)', () => {
  const src = [
    'fn main() {',
    '    let joined = ["a", "b"].join("-");', // rustc: String
    '    assert_eq!(joined, "a-b");',
    '    let k = 3;', // rustc: u8
    '    let b: u8 = 4;',
    '    println!("{}", k == b);',
    '}',
    '',
  ].join('\n');
  assert.notEqual(typeOf(src, 'joined'), '&str');
  assert.equal(typeOf(src, 'k'), 'u8');
});

test('a local of a type not known yet is not unified with the other operand of `*` (it may be a type with its own `Mul`)', () => {
  const src = [
    'use std::ops::Mul;',
    '#[derive(Debug, Clone, Copy)]',
    'struct V2 { x: i32 }',
    'impl Mul<i32> for V2 { type Output = V2; fn mul(self, k: i32) -> V2 { V2 { x: self.x * k } } }',
    'fn main() {',
    '    let a = std::hint::black_box(V2 { x: 1 });', // rustc: V2 (black_box is not modelled)
    '    let c = a * 3;', // rustc: V2
    '    let d = V2 { x: 2 } * 3;', // rustc: V2, through the file's impl
    '    let n = 1;', // rustc: i32
    '    println!("{:?} {:?} {}", c, d, n * 2);',
    '}',
    '',
  ].join('\n');
  for (const name of ['a', 'c']) assert.ok(!['i32', undefined].includes(typeOf(src, name)), `${name}: ${typeOf(src, name)}`);
  assert.equal(typeOf(src, 'd'), 'V2');
  assert.equal(typeOf(src, 'n'), 'i32');
});

test('`(T)` is T in parentheses, not a one-element tuple; fn pointer types are written as rustc writes them', () => {
  const src = [
    'use std::fmt::Debug;',
    'fn show(e: &(dyn Debug + \'static)) { println!("{:?}", e); }',
    'fn main() {',
    "    let e: &(dyn Debug + 'static) = &1;",
    '    let one: (i32,) = (1,);',
    '    let f: fn(&u32) = |n| println!("{}", n);',
    '    let g: fn(u8) -> u8 = |n| n;',
    '    show(e);',
    '    f(&1);',
    '    println!("{:?} {}", one, g(2));',
    '}',
    '',
  ].join('\n');
  assert.equal(typeOf(src, 'e'), "&(dyn Debug + 'static)");
  assert.equal(typeOf(src, 'one'), '(i32,)');
  assert.equal(typeOf(src, 'f'), 'fn(&u32)');
  assert.equal(typeOf(src, 'g'), 'fn(u8) -> u8');
});
