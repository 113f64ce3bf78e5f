// Items keyed by their full path (rustc's DefPath, `hir/defmap.ts`): every body of a file with
// repeated names in different modules reaches MIR under its own path, paths resolve across inline
// modules, and the snapshot and hover work inside a `mod`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { hoverAt } from '../../server/src/ide/hover';
import { parseUseTree } from '../../server/src/hir/defmap';
import { generateModules } from '../bench/generate';

/** 0-based position of the first occurrence of `needle` (its first character). */
function posOf(text: string, needle: string): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `\`${needle}\` not in the text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('use trees: lists, nesting, self, aliases, globs and visibility', () => {
  assert.deepEqual(parseUseTree('pub(crate) use a::{b, c::d as e, f::*, self};'), [
    { path: ['a', 'b'], name: 'b', glob: false },
    { path: ['a', 'c', 'd'], name: 'e', glob: false },
    { path: ['a', 'f'], glob: true },
    { path: ['a'], name: 'a', glob: false },
  ]);
  assert.deepEqual(parseUseTree('use ::std::collections::{HashMap, hash_map::{Entry}};'), [
    { path: ['std', 'collections', 'HashMap'], name: 'HashMap', glob: false },
    { path: ['std', 'collections', 'hash_map', 'Entry'], name: 'Entry', glob: false },
  ]);
  assert.deepEqual(parseUseTree('use std::fmt::Write as _;'), []);
  assert.deepEqual(parseUseTree('use super::*;'), [{ path: ['super'], glob: true }]);
});

const SRC = [
  'mod a {',
  '    pub struct Point { pub x: i32 }',
  '    impl Point {',
  '        pub fn new(x: i32) -> Point { Point { x } }',
  '    }',
  '    pub trait Up { fn up(&self) -> i32; }',
  '    pub trait Down { fn up(&self) -> i32; }',
  '    impl Up for Point { fn up(&self) -> i32 { self.x + 1 } }',
  '    impl Down for Point { fn up(&self) -> i32 { self.x - 1 } }',
  '    pub mod b {',
  '        pub fn main() {',
  '            let p = super::Point::new(3);',
  '            let f = |k: i32| k + p.x;',
  '            println!("{}", f(1));',
  '        }',
  '    }',
  '    pub fn main() {',
  '        let s = String::from("in a");',
  '        let t = s;',
  '        println!("{}", t);',
  '    }',
  '}',
  'fn main() {',
  '    fn helper() -> i32 { 1 }',
  '    a::main();',
  '    a::b::main();',
  '    println!("{}", helper());',
  '}',
  '',
].join('\n');

test('every fn, method, closure and nested fn is keyed by its path', () => {
  const an = analyze(SRC);
  assert.deepEqual(an.failures, []);
  assert.deepEqual([...an.mir.bodies.keys()].sort(), [
    '<a::Point as a::Down>::up',
    '<a::Point as a::Up>::up',
    'a::Point::new',
    'a::b::main',
    'a::b::main::{closure#0}',
    'a::main',
    'main',
    'main::helper',
  ]);
  // `super::Point::new` from `a::b` is `a::Point::new`, whose result type is `a::Point`'s key.
  const bMain = an.file.fnByPath.get('a::b::main');
  assert.equal(bMain?.locals.find((l) => l.name === 'p')?.ty.kind, 'adt');
});

test('the snapshot inside a `mod` shows that function`s frame; the hover names its path', () => {
  const an = analyze(SRC);
  const inA = snapshotAt(an, posOf(SRC, 'println!("{}", t)'));
  assert.equal(inA.status, 'ok', inA.message);
  assert.deepEqual(
    inA.frames.map((f) => f.function),
    ['main', 'a::main'],
  );
  const inB = snapshotAt(an, posOf(SRC, 'println!("{}", f(1))'));
  assert.equal(inB.status, 'ok', inB.message);
  assert.ok(
    inB.frames.some((f) => f.function === 'a::b::main'),
    JSON.stringify(inB.frames.map((f) => f.function)),
  );
  const hover = hoverAt(an, posOf(SRC, 's = String'));
  assert.equal(hover?.function, 'a::main');
  assert.match(hover?.state ?? '', /owned/);
});

test('a generated multi-module file: every function body reaches MIR', () => {
  const text = generateModules(1_200);
  const an = analyze(text);
  const withBody = an.file.fns.filter((f) => f.body).length;
  const fnBodies = [...an.mir.bodies.values()].filter((b) => b.closureId === undefined).length;
  assert.ok(withBody > 100, `${withBody} fns with bodies`);
  assert.equal(fnBodies, withBody);
  assert.deepEqual(an.failures, []);
  assert.deepEqual(an.diagnostics, [], 'the generated file compiles with rustc');
});
