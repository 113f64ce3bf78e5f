/**
 * The one method resolution and autoderef (`server/src/hir/method.ts`): the probe order of the
 * Rust reference ("Method call expressions") for user and std receivers, inherent methods before
 * trait methods at each step, `Trait::m(&x)` / `<T as Trait>::m(&x)` finding the trait's impl,
 * trait default bodies calling the impl's methods. Checked against the compiled program.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayTy, type Ty } from '../../server/src/hir/ty';
import { autoderef } from '../../server/src/hir/method';
import { analyze } from '../../server/src/engine/engine';
import { runSource } from '../support/interpSource';
import { parseTy } from '../tools/rust-types';
import { rustcRun } from '../support/rustc';

test('autoderef: references, smart pointers, String → str, Vec → [T], then an array unsized to a slice', () => {
  const chain = (t: Ty) => autoderef(t).map((s) => `${displayTy(s.ty)}${s.unsize ? ' (unsize)' : ''}${s.builtin ? '' : ' (Deref)'}`);
  assert.deepEqual(chain(parseTy('&Rc<Box<Vec<i32>>>')), [
    '&Rc<Box<Vec<i32>>>',
    'Rc<Box<Vec<i32>>>',
    'Box<Vec<i32>> (Deref)',
    'Vec<i32> (Deref)',
    '[i32] (Deref)',
  ]);
  assert.deepEqual(chain(parseTy('&&String')), ['&&String', '&String', 'String', 'str (Deref)']);
  assert.deepEqual(chain(parseTy('[u8; 3]')), ['[u8; 3]', '[u8] (unsize)']);
});

const PROGRAM = [
  'struct Foo { n: i32 }',
  'trait Named {',
  '    fn name(&self) -> String;',
  '    fn describe(&self) -> String { format!("<{}>", self.name()) }',
  '}',
  'impl Foo { fn name(&self) -> String { String::from("inherent") } }',
  'impl Named for Foo { fn name(&self) -> String { format!("trait {}", self.n) } }',
  '#[derive(Clone, Copy)]',
  'struct A;',
  'impl A { fn m(&self) -> &\'static str { "inherent &self" } }',
  "trait T { fn m(self) -> &'static str; }",
  'impl T for A { fn m(self) -> &\'static str { "trait self" } }',
  'fn main() {',
  '    let f = Foo { n: 1 };',
  '    println!("{}", f.name());',
  '    println!("{}", Named::name(&f));',
  '    println!("{}", <Foo as Named>::name(&f));',
  '    println!("{}", Foo::name(&f));',
  '    println!("{}", f.describe());',
  '    let r = &&f;',
  '    println!("{}", r.name());',
  '    let a = A;',
  '    println!("{}", a.m());',
  '    println!("{}", (&a).m());',
  '}',
  '',
].join('\n');

test("inherent and trait methods of the same name do not collide; the probe order is rustc's", (t) => {
  const a = analyze(PROGRAM);
  // Both `name` methods have their own body.
  assert.ok(a.mir.bodies.has('Foo::name'));
  assert.ok(a.mir.bodies.has('<Foo as Named>::name'));
  const run = runSource(PROGRAM);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  // By value at the first step, a trait method taking `self` beats an inherent one taking `&self`.
  const expected = ['inherent', 'trait 1', 'trait 1', 'inherent', '<trait 1>', 'inherent', 'trait self', 'inherent &self'];
  assert.deepEqual(run.stdout, expected);
  const want = rustcRun('methods', PROGRAM);
  if (want) assert.deepEqual(run.stdout, want, 'as the compiled program prints');
  else t.diagnostic('rustc is not on PATH: output not compared');
});
