import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdtDef } from '../../server/src/hir/hir';
import { displayTy, containsUnknown, substitute, I32, STRING, std, type Ty } from '../../server/src/hir/ty';
import { isCopy, isClone, needsDrop, derefTy } from '../../server/src/std/facts';
import { stdAssocFn, stdPathType, stdMethodTable, stdConstType } from '../../server/src/std/lookup';
import { stdType, stdTypeOf } from '../../server/src/std/registry';
import { iteratorItem } from '../../server/src/std/facts';
import { stdMethod, stdMethodLookup } from '../../server/src/hir/method';
import { parseTy, struct, enumDef } from '../tools/rust-types';

const names = new Set(['Point', 'Person', 'Wrapper', 'Guard', 'Shape', 'Pair']);
const mk = (a: { def: AdtDef }, patch: Partial<AdtDef> = {}) => ({ ...a.def, ...patch });
const adts = new Map<string, AdtDef>([
  ['Point', mk(struct('Point', 'x: i32, y: i32', names), { derives: ['Clone', 'Copy', 'Debug'] })],
  ['Person', mk(struct('Person', 'name: String, age: u8', names), { derives: ['Clone'] })],
  ['Wrapper', mk(struct('Wrapper', 'inner: T', names, { generics: ['T'] }), { derives: ['Clone', 'Copy'] })],
  ['Guard', mk(struct('Guard', 'id: u32', names), { hasDropImpl: true })],
  ['Shape', mk(enumDef('Shape', 'Circle(f64), Named(String)', names))],
  ['Pair', mk(struct('Pair', 'a: u8, b: u8', names))],
]);
const ty = (s: string): Ty => parseTy(s, names);
const show = (t: Ty | undefined) => (t ? displayTy(t) : 'undefined');

test('stdType: the registry of std types', () => {
  assert.equal(stdType('String')!.heap?.kind, 'buffer');
  assert.equal(stdType('std::rc::Rc')!.heap?.kind, 'counted');
  assert.equal(stdType('Option')!.copy, 'if-args');
  assert.deepEqual(stdType('Result')!.params, ['T', 'E']);
  assert.equal(show(derefTy(ty('Vec<u8>'))), '[u8]');
  assert.equal(show(derefTy(ty('String'))), 'str');
  assert.equal(show(derefTy(ty('Box<Point>'))), 'Point');
  assert.equal(stdType('Frobnicator'), undefined);
});

test('isCopy follows the reference rules', () => {
  const cases: [string, boolean | null][] = [
    ['i32', true],
    ['f64', true],
    ['bool', true],
    ['char', true],
    ['&String', true],
    ['&mut i32', false],
    ['*const u8', true],
    ['fn(u8) -> u8', true],
    ['(i32, bool)', true],
    ['(i32, String)', false],
    ['[u8; 4]', true],
    ['[String; 2]', false],
    ['String', false],
    ['Vec<i32>', false],
    ['Box<i32>', false],
    ['Rc<i32>', false],
    ['Option<i32>', true],
    ['Option<String>', false],
    ['Option<&str>', true],
    ['Result<u8, ()>', true],
    ['Cell<i32>', false],
    ['Point', true],
    ['Person', false],
    ['Wrapper<i32>', true],
    ['Wrapper<String>', false],
    ['Guard', false],
    ['Ordering', true],
    ['Mystery', null],
    ['str', false],
  ];
  for (const [src, want] of cases) assert.equal(isCopy(ty(src), adts), want, src);
  assert.equal(isCopy({ kind: 'unknown' }, adts), null);
  assert.equal(isCopy({ kind: 'param', name: 'T' }, adts), null);
  assert.equal(isCopy({ kind: 'closure', id: 3, moveCapture: false }, adts), null);
  assert.equal(isCopy(ty('Option<T>'), adts), null, 'Option<unknown param>');
});

test('isCopy: a part the depth bound cut short in one type is not unknown when asked about itself', () => {
  // `Some(Some(…(1)…))` 33 levels deep: the `i32` at the bottom is the `I32` every `{integer}`
  // becomes, and `String` is one type object wherever a signature or a field shares it.
  const fresh = new Map<string, AdtDef>();
  for (const [leaf, copy] of [
    [I32, true],
    [STRING, false],
  ] as const) {
    let deep: Ty = leaf;
    const levels: Ty[] = [];
    for (let i = 0; i < 33; i++) levels.push((deep = std('Option', deep)));
    assert.equal(isCopy(deep, fresh), null, 'cut short past 32 levels');
    assert.equal(isClone(deep, fresh), null, 'cut short past 32 levels');
    assert.equal(isCopy(leaf, fresh), copy, displayTy(leaf));
    assert.equal(isClone(leaf, fresh), true, displayTy(leaf));
    assert.equal(isCopy(levels[0], fresh), copy, displayTy(levels[0]));
    assert.equal(isCopy(levels[31], fresh), copy, displayTy(levels[31]));
    assert.equal(isCopy(deep, fresh), null, 'the whole, asked again');
  }
});

test('isClone: derives, std table, Cell needs Copy', () => {
  const cases: [string, boolean | null][] = [
    ['String', true],
    ['Vec<String>', true],
    ['Rc<RefCell<i32>>', true],
    ['Person', true],
    ['Guard', false],
    ['&mut u8', false],
    ['Cell<u8>', true],
    ['Cell<String>', false],
    ['RefCell<String>', true],
    ['Ref<i32>', false],
    ['Vec<Guard>', false],
    ['Option<Person>', true],
  ];
  for (const [src, want] of cases) assert.equal(isClone(ty(src), adts), want, src);
});

test('needsDrop matches rustc needs_drop', () => {
  // Values checked with std::mem::needs_drop on rustc 1.95.
  const cases: [string, boolean | null][] = [
    ['Vec<i32>', true],
    ['Option<i32>', false],
    ['RefCell<i32>', false],
    ['RefCell<String>', true],
    ['Cell<i32>', false],
    ['HashMap<i32, i32>', true],
    ['[String; 0]', false],
    ['[String; 1]', true],
    ['Weak<i32>', true],
    ['Box<i32>', true],
    ['&String', false],
    ['Result<i32, String>', true],
    ['(i32, String)', true],
    ['Point', false],
    ['Person', true],
    ['Guard', true],
    ['Shape', true],
    ['Wrapper<u8>', false],
    ['Wrapper<String>', true],
    ['Mystery', null],
  ];
  for (const [src, want] of cases) assert.equal(needsDrop(ty(src), adts), want, src);
});

test('stdMethodLookup: String and str through auto-deref', () => {
  const push = stdMethodLookup(ty('String'), 'push_str')!;
  assert.deepEqual([push.method.path, push.method.selfKind, push.derefs, push.autoref], ['String::push_str', 'mut', 0, 'mut']);
  assert.deepEqual(push.method.params.map(show), ['&str']);
  const chars = stdMethodLookup(ty('String'), 'chars')!;
  assert.deepEqual([chars.method.path, chars.derefs, chars.autoref, show(chars.selfTy)], ['str::chars', 1, 'ref', 'str']);
  assert.equal(show(chars.method.ret), 'Chars');
  const len = stdMethodLookup(ty('&String'), 'len')!;
  assert.deepEqual([len.method.path, len.derefs, len.autoref], ['String::len', 0, 'none']);
  const strLen = stdMethodLookup(ty('&str'), 'len')!;
  assert.deepEqual([strLen.method.path, strLen.derefs, strLen.autoref, show(strLen.method.ret)], ['str::len', 0, 'none', 'usize']);
  assert.equal(show(stdMethod(ty('&str'), 'to_string')?.ret), 'String');
  assert.equal(show(stdMethod(ty('String'), 'into_bytes')?.ret), 'Vec<u8>');
  assert.equal(stdMethod(ty('String'), 'into_bytes')!.selfKind, 'value');
  assert.equal(show(stdMethod(ty('String'), 'trim')?.ret), '&str');
  assert.equal(show(stdMethod(ty('String'), 'as_ptr')?.ret), '*const u8');
  // `parse::<F>()`: the turbofish (or the context) says what F is.
  assert.deepEqual([show(stdMethod(ty('String'), 'parse')!.ret), stdMethod(ty('String'), 'parse')!.generics], ['Result<F, ?>', ['F']]);
  assert.equal(stdMethod(ty('String'), 'frobnicate'), undefined);
});

test('stdMethodLookup: Vec methods, slice methods via deref, arrays via unsizing', () => {
  const push = stdMethod(ty('Vec<String>'), 'push')!;
  assert.deepEqual([push.path, push.selfKind, push.params.map(show).join(), show(push.ret)], ['Vec::push', 'mut', 'String', '()']);
  assert.equal(show(stdMethod(ty('Vec<String>'), 'pop')?.ret), 'Option<String>');
  assert.equal(show(stdMethod(ty('Vec<i32>'), 'get')?.ret), 'Option<&i32>');
  assert.equal(show(stdMethod(ty('Vec<i32>'), 'remove')?.ret), 'i32');
  const iter = stdMethodLookup(ty('Vec<i32>'), 'iter')!;
  assert.deepEqual([iter.method.path, iter.derefs, iter.autoref, show(iter.selfTy)], ['slice::iter', 1, 'ref', '[i32]']);
  const sort = stdMethodLookup(ty('&mut Vec<i32>'), 'sort')!;
  assert.deepEqual([sort.method.path, sort.derefs, sort.autoref], ['slice::sort', 2, 'mut']);
  assert.equal(stdMethod(ty('Vec<i32>'), 'into_iter')!.selfKind, 'value');
  // `(&v).into_iter()` is `<&Vec<T> as IntoIterator>::into_iter`: the Vec is not moved out of the reference.
  const byRef = stdMethodLookup(ty('&Vec<i32>'), 'into_iter')!;
  assert.deepEqual([byRef.method.path, byRef.derefs, show(byRef.selfTy)], ['into_iter', 0, '&Vec<i32>']);
  const arrIter = stdMethodLookup(ty('[String; 2]'), 'into_iter')!;
  assert.deepEqual([arrIter.method.path, arrIter.method.selfKind, arrIter.derefs], ['array::into_iter', 'value', 0]);
  assert.equal(show(stdMethod(ty('Vec<String>'), 'join')?.ret), 'String');
  assert.equal(stdMethod(ty('Vec<i32>'), 'join'), undefined, 'join needs string elements');
  const arr = stdMethodLookup(ty('[u8; 3]'), 'len')!;
  assert.deepEqual([arr.method.path, arr.unsize, arr.autoref], ['slice::len', true, 'ref']);
  assert.equal(show(stdMethod(ty('&[u8]'), 'to_vec')?.ret), 'Vec<u8>');
  assert.equal(show(stdMethod(ty('&[u8]'), 'to_owned')?.ret), 'Vec<u8>');
  assert.equal(show(stdMethod(ty('&str'), 'to_owned')?.ret), 'String');
  assert.equal(stdMethod(ty('&str'), 'to_owned')!.path, 'to_owned');
  assert.equal(show(stdMethod(ty('String'), 'to_owned')?.ret), 'String');
});

test('stdMethodLookup: clone picks the pointee through references and uses Rc::clone for Rc', () => {
  const c = stdMethodLookup(ty('&String'), 'clone')!;
  assert.deepEqual([c.method.path, show(c.method.ret), c.autoref], ['clone', 'String', 'none']);
  const onRef = stdMethodLookup(ty('&Guard'), 'clone', { adts })!; // Guard is not Clone: clones the reference
  assert.equal(show(onRef.method.ret), '&Guard');
  assert.equal(stdMethod(ty('Rc<String>'), 'clone')!.path, 'Rc::clone');
  assert.equal(show(stdMethod(ty('Rc<String>'), 'clone')!.ret), 'Rc<String>');
  assert.equal(show(stdMethod(ty('Person'), 'clone', { adts })?.ret), 'Person');
  assert.equal(stdMethod(ty('Guard'), 'clone', { adts }), undefined);
  assert.equal(stdMethod({ kind: 'unknown' }, 'clone'), undefined);
  assert.equal(show(stdMethod(ty('i32'), 'to_string')?.ret), 'String');
  assert.equal(stdMethod(ty('Person'), 'to_string', { adts, impls: [] }), undefined);
});

test('stdMethodLookup: Rc / RefCell / Weak / Cell', () => {
  const bm = stdMethodLookup(ty('Rc<RefCell<Vec<i32>>>'), 'borrow_mut')!;
  assert.deepEqual([bm.method.path, bm.derefs, bm.autoref, show(bm.method.ret)], ['RefCell::borrow_mut', 1, 'ref', 'RefMut<Vec<i32>>']);
  const pushThroughGuard = stdMethodLookup(ty('RefMut<Vec<i32>>'), 'push')!;
  assert.deepEqual([pushThroughGuard.method.path, pushThroughGuard.derefs], ['Vec::push', 1]);
  assert.equal(show(stdMethod(ty('Weak<String>'), 'upgrade')?.ret), 'Option<Rc<String>>');
  assert.equal(stdMethod(ty('Rc<String>'), 'strong_count'), undefined, 'strong_count is an associated function');
  assert.equal(show(stdMethod(ty('Cell<i32>'), 'get')?.ret), 'i32');
  assert.equal(show(stdMethod(ty('RefCell<String>'), 'into_inner')?.ret), 'String');
});

test('stdMethodLookup: Option, Result, HashMap, ints, chars, iterators', () => {
  assert.equal(show(stdMethod(ty('Option<String>'), 'unwrap')?.ret), 'String');
  assert.equal(stdMethod(ty('Option<String>'), 'unwrap')!.selfKind, 'value');
  assert.equal(show(stdMethod(ty('Option<String>'), 'as_ref')?.ret), 'Option<&String>');
  assert.equal(show(stdMethod(ty('Option<String>'), 'take')?.ret), 'Option<String>');
  assert.equal(show(stdMethod(ty('Option<&String>'), 'cloned')?.ret), 'Option<String>');
  assert.equal(stdMethod(ty('Option<String>'), 'cloned'), undefined);
  // The result a closure decides names the type it returns (`U`, bound by inference); what it
  // borrows the closure passed decides (`ReturnBorrow.closure`), never the receiver alone.
  const map = stdMethod(ty('Option<String>'), 'map')!;
  assert.equal(show(map.ret), 'Option<U>');
  assert.equal(show(map.params[0]), 'impl FnOnce(String) -> U');
  assert.deepEqual(
    map.returnBorrows.map((b) => [b.from, b.closure?.via]),
    [
      ['self', 'inputs'],
      [0, 'captures'],
    ],
  );
  assert.ok(map.returnBorrows.every((b) => b.closure));
  assert.equal(show(stdMethod(ty('Vec<i32>'), 'retain')?.params[0]), 'impl FnMut(&i32) -> bool');
  assert.equal(show(stdMethod(ty('Option<u8>'), 'ok_or')?.ret), 'Result<u8, E>');
  assert.equal(show(stdMethod(ty('Result<u8, String>'), 'err')?.ret), 'Option<String>');
  assert.equal(show(stdMethod(ty('Result<u8, String>'), 'unwrap')?.ret), 'u8');
  assert.equal(show(stdMethod(ty('HashMap<String, i32>'), 'get')?.ret), 'Option<&i32>');
  assert.equal(show(stdMethod(ty('HashMap<String, i32>'), 'insert')?.ret), 'Option<i32>');
  assert.equal(show(stdMethod(ty('HashMap<String, i32>'), 'entry')?.ret), 'Entry<String, i32>');
  assert.equal(show(stdMethod(ty('Entry<String, i32>'), 'or_insert')?.ret), '&mut i32');
  assert.equal(stdMethod(ty('i32'), 'abs')!.path, 'i32::abs');
  assert.equal(stdMethod(ty('u32'), 'abs'), undefined);
  assert.equal(show(stdMethod(ty('u64'), 'checked_add')?.ret), 'Option<u64>');
  assert.equal(show(stdMethod(ty('char'), 'to_digit')?.ret), 'Option<u32>');
  assert.equal(stdMethodLookup(ty('char'), 'to_ascii_uppercase')!.autoref, 'ref');
  const it = stdMethod(ty('Vec<i32>'), 'iter')!.ret;
  assert.equal(show(it), 'Iter<i32>');
  // `Iterator::map` names the closure's own type in its result (`Map<Self, F>`: inference binds
  // `F` to the argument's type, and the adapter's item is `F::Output`).
  assert.equal(show(stdMethod(it, 'map')!.ret), 'Map<Iter<i32>, F>');
  assert.deepEqual(stdMethod(it, 'map')!.closureNames, ['F']);
  const clo: Ty = { kind: 'closure', id: 1, moveCapture: false, output: ty('u8') };
  assert.equal(show(stdMethod(ty('Map<Iter<i32>, ?>'), 'next')?.ret), 'Option<?>');
  assert.equal(show(stdMethod({ kind: 'adt', name: 'Map', args: [it, clo], std: true }, 'next')?.ret), 'Option<u8>');
  assert.equal(show(stdMethod(it, 'collect')!.fromIter?.item), '&i32');
  assert.equal(show(stdMethod(it, 'count')?.ret), 'usize');
  assert.deepEqual([show(stdMethod(it, 'collect')!.ret), stdMethod(it, 'collect')!.generics], ['B', ['B']]);
  // Items follow the adapters: enumerate pairs an index with the item, next yields Option<Item>.
  const en = stdMethod(it, 'enumerate')!.ret;
  assert.equal(show(stdMethod(en, 'next')?.ret), 'Option<(usize, &i32)>');
  assert.equal(show(stdMethod(stdMethod(it, 'cloned')!.ret, 'next')?.ret), 'Option<i32>');
  assert.equal(show(stdMethod(stdMethod(ty('HashMap<String, u8>'), 'iter')!.ret, 'next')?.ret), 'Option<(&String, &u8)>');
});

test('stdAssocFn: constructors and associated functions, generic params for inference', () => {
  const from = stdAssocFn('String', 'from')!;
  assert.deepEqual([from.path, show(from.ret)], ['String::from', 'String']);
  const vnew = stdAssocFn('Vec', 'new')!;
  assert.deepEqual([vnew.path, show(vnew.ret)], ['Vec::new', 'Vec<T>']);
  assert.equal(show(stdAssocFn('Vec', 'new', [ty('u8')])!.ret), 'Vec<u8>');
  const rcClone = stdAssocFn('Rc', 'clone')!;
  assert.deepEqual([rcClone.path, rcClone.params.map(show).join(), show(rcClone.ret)], ['Rc::clone', '&Rc<T>', 'Rc<T>']);
  const bound = substitute(rcClone.ret, new Map([['T', ty('String')]]));
  assert.equal(show(bound), 'Rc<String>');
  assert.equal(show(stdAssocFn('std::rc::Rc', 'strong_count')!.ret), 'usize');
  assert.equal(show(stdAssocFn('Rc', 'downgrade')!.ret), 'Weak<T>');
  assert.equal(show(stdAssocFn('Box', 'new')!.params[0]), 'T');
  assert.equal(show(stdAssocFn('', 'Some')!.ret), 'Option<T>');
  assert.equal(show(stdAssocFn('', 'Err')!.ret), 'Result<T, E>');
  assert.deepEqual(stdAssocFn('Vec', 'push')!.params.map(show), ['&mut Vec<T>', 'T']);
  assert.equal(stdAssocFn('mem', 'swap')!.path, 'mem::swap');
  assert.equal(stdAssocFn('', 'drop')!.path, 'drop');
  assert.equal(stdAssocFn('HashMap', 'new')!.ret.kind, 'adt');
  assert.equal(stdAssocFn('Vec', 'frobnicate'), undefined);
  assert.equal(stdAssocFn('Frob', 'new'), undefined);
});

test('stdConstType: None and numeric constants', () => {
  assert.equal(show(stdConstType('None')), 'Option<T>');
  assert.equal(show(stdConstType('i32::MAX')), 'i32');
  assert.equal(show(stdConstType('std::f64::consts::PI')), 'f64');
  assert.equal(stdConstType('Foo::BAR'), undefined);
});

test('stdPathType strips paths and parses arguments', () => {
  assert.equal(show(stdPathType('String')), 'String');
  assert.equal(show(stdPathType('std::collections::HashMap<String, i32>')), 'HashMap<String, i32>');
  assert.equal(show(stdPathType('std::rc::Rc', [ty('u8')])), 'Rc<u8>');
  assert.equal(show(stdPathType('Vec')), 'Vec<?>');
  assert.equal(show(stdPathType('i64')), 'i64');
  assert.equal(stdPathType('my::Thing'), undefined);
});

// --- rustc cross-check of the signature table

/** Concrete receivers per table self type (Entry has a lifetime and iterators are unknown: not checked here). */
const INSTANCES: Record<string, string[]> = {
  String: ['String'],
  str: ['&str'],
  'Vec<T>': ['Vec<String>', 'Vec<i32>'],
  '[T]': ['Vec<i32>', 'Vec<String>', '[u8; 3]'],
  'VecDeque<T>': ['VecDeque<String>'],
  'Box<T>': ['Box<String>'],
  'Rc<T>': ['Rc<String>'],
  'Arc<T>': ['Arc<String>'],
  'Weak<T>': ['Weak<String>'],
  'RefCell<T>': ['RefCell<Vec<i32>>'],
  'Cell<T>': ['Cell<i32>'],
  'Option<T>': ['Option<String>', 'Option<&String>'],
  'Result<T, E>': ['Result<i32, String>'],
  'HashMap<K, V>': ['HashMap<String, i32>'],
  'BTreeMap<K, V>': ['BTreeMap<String, i32>'],
  'HashSet<T>': ['HashSet<String>'],
  'BTreeSet<T>': ['BTreeSet<i32>'],
  'Mutex<T>': ['Mutex<i32>'],
  'RwLock<T>': ['RwLock<String>'],
  'sync::Weak<T>': ['std::sync::Weak<String>'],
  int: ['i32', 'u64'],
  float: ['f64'],
  char: ['char'],
  bool: ['bool'],
  Ordering: ['Ordering'],
  '[T; N]': ['[String; 3]'],
};
/** Methods whose result type rustc infers from the context (`"5".parse()`): the model says unknown. */
const INFERENCE_ONLY = new Set(['parse']);
const known = (t: Ty): boolean => {
  const s = displayTy(t);
  // Closure parameters (`impl FnMut(&T) -> bool`) have no type to write in a turbofish.
  return !containsUnknown(t) && !s.includes('?') && !/\b[A-Z]\b/.test(s) && !s.includes('impl ');
};
/** A type as rustc reads it in the generated program: std types by their path (with `'_` for their lifetimes). */
const rustTy = (t: Ty): string => {
  switch (t.kind) {
    case 'adt': {
      const d = stdTypeOf(t);
      const args = [...(d?.lifetimes ?? []).map(() => "'_"), ...t.args.map(rustTy)];
      return `${d ? d.path : t.name}${args.length ? `<${args.join(', ')}>` : ''}`;
    }
    case 'ref':
      return `&${t.mutable ? 'mut ' : ''}${rustTy(t.inner)}`;
    case 'tuple':
      return t.elems.length === 1 ? `(${rustTy(t.elems[0])},)` : `(${t.elems.map(rustTy).join(', ')})`;
    case 'slice':
      return `[${rustTy(t.elem)}]`;
    default:
      return displayTy(t);
  }
};
/** Types rustc can be told: known, and not a registry entry that stands for several std paths (`alsoAt`). */
const annotatable = (t: Ty): boolean => {
  if (!known(t)) return false;
  const ok = (x: Ty): boolean =>
    x.kind === 'adt'
      ? !stdTypeOf(x)?.alsoAt && x.args.every(ok)
      : x.kind === 'ref' || x.kind === 'rawptr'
        ? ok(x.inner)
        : x.kind === 'tuple'
          ? x.elems.every(ok)
          : x.kind === 'slice' || x.kind === 'array'
            ? ok(x.elem)
            : true;
  return ok(t);
};

test('std signatures type-check with rustc (method calls and fully qualified calls)', (t) => {
  const which = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) {
    t.skip('rustc is not on PATH: the rustc cross-check is skipped');
    return;
  }
  const lines: string[] = [
    '#![allow(unused, unreachable_code, unused_variables, dropping_references, dropping_copy_types)]',
    '#![deny(unused_mut)]',
    'use std::collections::{HashMap, HashSet, BTreeMap, BTreeSet, VecDeque, hash_map::Entry};',
    'use std::rc::{Rc, Weak};',
    'use std::sync::{Arc, Mutex, RwLock};',
    'use std::cell::{Cell, RefCell, Ref, RefMut};',
    'use std::cmp::Ordering;',
    'fn arg<T>() -> T { unimplemented!() }',
    "/// Checks an iterator's `Item` against the model's.",
    'fn item<T, I: Iterator<Item = T>>(_: &I) {}',
  ];
  const what = new Map<number, string>();
  let checked = 0;
  let n = 0;
  const table = stdMethodTable();
  for (const { self, name, hasSelf } of table) {
    for (const inst of INSTANCES[self] ?? []) {
      const recv: Ty = inst.startsWith('std::sync::Weak')
        ? { kind: 'adt', name: 'sync::Weak', args: [ty('String')], std: true }
        : parseTy(inst);
      // Method-call form: auto-deref/auto-ref and the self kind.
      if (hasSelf) {
        const found = stdMethodLookup(recv, name);
        if (found && found.method.params.every(annotatable) && found.method.path !== 'clone' && !INFERENCE_ONLY.has(name)) {
          const mut = found.autoref === 'mut' ? 'mut ' : '';
          const args = found.method.params.map((p) => `arg::<${rustTy(p)}>()`).join(', ');
          const ret = found.method.ret;
          const annot = annotatable(ret) ? `: ${rustTy(ret)}` : '';
          const it = iteratorItem(ret);
          const itemCheck = it && annotatable(it) ? ` item::<${rustTy(it)}, _>(&_x);` : '';
          const after = found.autoref !== 'none' || found.method.selfKind !== 'value' ? ' let _ = &r;' : '';
          what.set(lines.length + 1, `${inst}.${name}() as ${found.method.path}`);
          lines.push(`fn m${n++}() { let ${mut}r: ${inst} = arg(); { let _x${annot} = r.${name}(${args});${itemCheck} }${after} }`);
          checked++;
        }
      }
      // Fully qualified form: every parameter including self, so the self kind is exact.
      if (self === '[T]' || inst.startsWith('[')) continue;
      const typeName = inst.startsWith('&') ? 'str' : inst.replace(/<.*$/, '');
      const typeArgs = recv.kind === 'adt' ? recv.args : [];
      const f = stdAssocFn(typeName, name, typeArgs);
      if (!f || !f.params.every(annotatable) || INFERENCE_ONLY.has(name)) continue;
      const pathTy = typeArgs.length ? `${typeName}::<${typeArgs.map(rustTy).join(', ')}>` : typeName;
      const annot = annotatable(f.ret) ? `: ${rustTy(f.ret)}` : '';
      what.set(lines.length + 1, `${pathTy}::${name}`);
      lines.push(`fn a${n++}() { let _x${annot} = ${pathTy}::${name}(${f.params.map((p) => `arg::<${rustTy(p)}>()`).join(', ')}); }`);
      checked++;
    }
  }
  lines.push('fn main() {}');
  const dir = mkdtempSync(join(tmpdir(), 'rust-memory-std-'));
  try {
    const src = join(dir, 'sigs.rs');
    writeFileSync(src, lines.join('\n'));
    const c = spawnSync('rustc', ['--edition', '2021', '--emit=metadata', '--crate-type=lib', '-o', join(dir, 'sigs.rmeta'), src], {
      encoding: 'utf8',
    });
    const bad = new Set<string>();
    for (const m of c.stderr.matchAll(/sigs\.rs:(\d+):\d+/g)) bad.add(what.get(Number(m[1])) ?? `line ${m[1]}`);
    t.diagnostic(`std signatures checked by rustc: ${checked} (table has ${table.length} entries)`);
    assert.deepEqual([...bad], [], c.stderr.slice(0, 4000));
    assert.equal(c.status, 0, c.stderr.slice(0, 4000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
