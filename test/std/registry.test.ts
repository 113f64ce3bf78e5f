/**
 * The std registry itself: it loads without errors, its Rust-written strings are consistent
 * (types with lifetimes are written with them), and the lifetime relations it derives from the
 * signatures are the ones the borrow checker needs — listed here for the methods that return
 * borrows, and checked against rustc for every `&self` / `&mut self` method of the instances
 * below (a result that borrows the receiver makes a later `&mut receiver` an error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containsUnknown, displayTy, type Ty } from '../../server/src/hir/ty';
import {
  REGISTRY_ERRORS,
  STD_FNS,
  STD_PRELUDE_TYPES,
  STD_TYPE_NAMES,
  stdAdtDef,
  stdFn,
  stdType,
  stdTypeOf,
} from '../../server/src/std/registry';
import { FAMILIES } from '../../server/src/std/registry';
import type { SigTy } from '../../server/src/std/sig';
import { stdAssocFn, stdCallBorrows } from '../../server/src/std/lookup';
import { stdMethodLookup } from '../../server/src/hir/method';
import { parseTy } from '../tools/rust-types';

const ty = (s: string): Ty => parseTy(s);

test('the registry loads without errors; names, prelude and representations derive from it', () => {
  assert.deepEqual(REGISTRY_ERRORS, []);
  for (const n of ['String', 'Vec', 'Rc', 'BTreeMap', 'BTreeSet', 'VecDeque', 'HashSet', 'Mutex', 'RwLock', 'Weak', 'Arc'])
    assert.ok(STD_TYPE_NAMES.has(n), n);
  assert.ok(!STD_TYPE_NAMES.has('RcInner'), 'private representation types are not names a program writes');
  assert.deepEqual([...STD_PRELUDE_TYPES].sort(), ['Box', 'Option', 'Result', 'String', 'Vec']);
  for (const fam of FAMILIES) {
    for (const t of fam.types) {
      if (!('def' in t) || !t.def) continue;
      const def = stdAdtDef(t.name);
      assert.ok(def, `${t.name}: def parses`);
      assert.deepEqual(def.generics, [...t.params], `${t.name}: def generics are its params`);
    }
  }
  assert.deepEqual(
    stdAdtDef('Option')!.variants.map((v) => `${v.name}(${v.fields.map((f) => displayTy(f.ty)).join(', ')})`),
    ['None()', 'Some(T)'],
  );
});

test('types holding a borrow are written with their lifetime in every signature', () => {
  const missing: string[] = [];
  const walk = (t: SigTy, where: string): void => {
    switch (t.k) {
      case 'path': {
        const def = stdType(t.name, t.args.length) ?? stdType(t.name);
        if (def?.lifetimes?.length && t.regions.length !== def.lifetimes.length) missing.push(`${where}: ${t.name}`);
        t.args.forEach((a) => walk(a, where));
        return;
      }
      case 'ref':
      case 'ptr':
        return walk(t.inner, where);
      case 'tuple':
        return t.elems.forEach((e) => walk(e, where));
      case 'slice':
      case 'array':
        return walk(t.elem, where);
      case 'assoc':
        return walk(t.base, where);
      default:
        return;
    }
  };
  for (const d of STD_FNS) {
    if (!d.sig) continue;
    d.sig.params.forEach((p) => walk(p, d.id));
    walk(d.sig.ret, d.id);
  }
  assert.deepEqual(missing, []);
});

/** `recv.method()` relations as `from:kind:mut` strings (`self:referent:shared`). */
function relations(recv: string, method: string): string[] {
  const r = stdMethodLookup(ty(recv), method);
  assert.ok(r, `${recv}.${method}() resolves`);
  return r.method.returnBorrows.map((b) => `${b.from}:${b.kind}:${b.mutable ? 'mut' : 'shared'}`);
}

test('lifetime relations of std methods, derived by the elision rules', () => {
  const shared = ['self:referent:shared'];
  const mut = ['self:referent:mut'];
  const cases: [string, string, string[]][] = [
    ['String', 'as_str', shared],
    ['String', 'as_bytes', shared],
    ['&str', 'as_bytes', shared],
    ['Vec<i32>', 'iter', shared],
    ['Vec<i32>', 'iter_mut', mut],
    ['Vec<i32>', 'get', shared],
    ['Vec<i32>', 'get_mut', mut],
    ['Vec<i32>', 'first', shared],
    ['Vec<i32>', 'last', shared],
    ['Vec<i32>', 'drain', mut],
    ['Vec<i32>', 'as_slice', shared],
    ['Vec<i32>', 'into_iter', []],
    ['Vec<i32>', 'len', []],
    ['Vec<i32>', 'push', []],
    ['&[u8]', 'split_at', shared],
    ['&str', 'split_whitespace', shared],
    ['&str', 'split', shared],
    ['&str', 'lines', shared],
    ['&str', 'chars', shared],
    ['&str', 'trim', shared],
    ['&str', 'trim_start', shared],
    ['&str', 'trim_end', shared],
    ['String', 'trim', shared],
    ['HashMap<String, i32>', 'keys', shared],
    ['HashMap<String, i32>', 'values', shared],
    ['HashMap<String, i32>', 'values_mut', mut],
    ['HashMap<String, i32>', 'entry', mut],
    ['HashMap<String, i32>', 'get', shared],
    ['BTreeMap<String, i32>', 'entry', mut],
    ['BTreeMap<String, i32>', 'first_key_value', shared],
    ['VecDeque<i32>', 'front', shared],
    ['VecDeque<i32>', 'iter_mut', mut],
    ['RefCell<i32>', 'borrow', shared],
    ['RefCell<i32>', 'borrow_mut', shared],
    ['Mutex<i32>', 'lock', shared],
    ['RwLock<i32>', 'read', shared],
    ['RwLock<i32>', 'write', shared],
    ['Option<String>', 'as_ref', shared],
    ['Option<String>', 'as_mut', mut],
    ['Option<String>', 'as_deref', shared],
    ['Option<String>', 'get_or_insert', mut],
    ['Option<String>', 'get_or_insert_with', mut],
    ['Option<String>', 'unwrap', []],
    ['Box<String>', 'as_ref', shared],
    ['Rc<String>', 'as_ref', shared],
    // By value, the result holds what `self` held: the borrow passes through.
    ['Option<&String>', 'unwrap', ['self:carried:shared']],
    ['Option<&mut String>', 'unwrap', ['self:carried:mut']],
    ['Entry<String, i32>', 'or_insert', ['self:carried:mut']],
    ['Iter<i32>', 'next', ['self:carried:shared']],
    ['IntoIter<i32>', 'next', []],
    ['Iter<i32>', 'map', ['self:carried:shared']],
    ['&Vec<i32>', 'into_iter', ['self:carried:shared']],
  ];
  const wrong: string[] = [];
  for (const [recv, m, want] of cases) {
    const got = relations(recv, m);
    if (got.join() !== want.join()) wrong.push(`${recv}.${m}(): ${got.join(' ') || 'none'} (want ${want.join(' ') || 'none'})`);
  }
  assert.deepEqual(wrong, []);
  // Named lifetimes tie every argument that mentions them; `'static`-like unconstrained ones nothing.
  assert.deepEqual(relations('HashSet<i32>', 'union').sort(), ['0:referent:shared', 'self:referent:shared']);
  // `Box::leak`'s `'a` ties nothing; what its `T` holds is carried, kept while `T` is not known.
  assert.deepEqual(stdAssocFn('Box', 'leak', [ty('i32')])!.returnBorrows, []);
  assert.deepEqual(stdAssocFn('Box', 'leak')!.returnBorrows, [{ from: 0, mutable: false, kind: 'carried' }]);
  // Associated functions count `self` as argument 0.
  assert.deepEqual(stdAssocFn('Rc', 'get_mut', [ty('i32')])!.returnBorrows, [{ from: 0, mutable: true, kind: 'referent' }]);
  assert.deepEqual(stdAssocFn('mem', 'replace', [ty('&str')])!.returnBorrows, [
    { from: 0, mutable: false, kind: 'carried' },
    { from: 1, mutable: false, kind: 'carried' },
  ]);
  // Before instantiation the registry says which parameter a relation flows through.
  assert.deepEqual(stdFn('Option::unwrap')!.borrows, [{ from: 'self', mutable: false, kind: 'carried', through: 'T' }]);
  // What a call stores behind its `&mut` arguments: `push` into `self`, `swap` and `replace` into each other.
  const stores = (owner: string, name: string): string[] =>
    stdAssocFn(owner, name)!.storedBorrows.map((x) => `${x.from}->${x.into}:${x.via}`);
  assert.deepEqual(stores('Vec', 'push'), ['1->0:value']);
  assert.deepEqual(stores('Vec', 'extend_from_slice'), ['1->0:referent']);
  assert.deepEqual(stores('mem', 'swap'), ['1->0:referent', '0->1:referent']);
  assert.deepEqual(stores('mem', 'replace'), ['1->0:value']);
  assert.deepEqual(stores('Vec', 'len'), []);
  // Interior mutability: a `&self` method of a type holding `UnsafeCell<T>` stores too.
  assert.deepEqual(stores('Cell', 'set'), ['1->0:value']);
  assert.deepEqual(stores('RefCell', 'replace'), ['1->0:value']);
  assert.deepEqual(stores('RefCell', 'swap'), ['1->0:referent']);
  assert.deepEqual(stores('Cell', 'get'), []);
  assert.deepEqual(stores('Rc', 'clone'), []);
  // What a MIR call terminator can ask by id.
  assert.deepEqual(stdCallBorrows('slice::iter', ty('&[u8]')), [{ from: 'self', mutable: false, kind: 'referent' }]);
  assert.deepEqual(stdCallBorrows('Option::unwrap', ty('Option<&u8>')), [{ from: 'self', mutable: false, kind: 'carried' }]);
});

/** Receivers whose `&self` / `&mut self` methods are checked against rustc. */
const BORROW_INSTANCES = [
  'String',
  'Vec<String>',
  'VecDeque<i32>',
  'HashMap<String, i32>',
  'HashSet<String>',
  'BTreeMap<String, i32>',
  'BTreeSet<i32>',
  'Option<String>',
  'Result<i32, String>',
  'RefCell<Vec<i32>>',
  'Cell<i32>',
  'Mutex<i32>',
  'RwLock<String>',
  'Box<String>',
  'Rc<String>',
];

test('the relations agree with rustc: a result borrowing the receiver makes `&mut receiver` an error', (t) => {
  const which = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) {
    t.skip('rustc is not on PATH: the rustc cross-check is skipped');
    return;
  }
  const lines = [
    '#![allow(unused, unreachable_code, unused_variables, dropping_references, dropping_copy_types, unused_must_use)]',
    'use std::collections::{HashMap, HashSet, BTreeMap, BTreeSet, VecDeque};',
    'use std::rc::Rc;',
    'use std::sync::{Mutex, RwLock};',
    'use std::cell::{Cell, RefCell};',
    'fn arg<T>() -> T { unimplemented!() }',
  ];
  const expect = new Map<number, { what: string; borrows: boolean }>();
  let n = 0;
  for (const inst of BORROW_INSTANCES) {
    const recv = ty(inst);
    const def = stdTypeOf(recv);
    const seen = new Set<string>();
    for (const d of STD_FNS) {
      if (!d.sig?.self || d.sig.self.kind === 'value' || seen.has(d.name)) continue;
      const r = stdMethodLookup(recv, d.name);
      if (
        !r ||
        r.method.selfKind === 'value' ||
        r.method.id !== d.id ||
        r.method.ret.kind === 'unknown' ||
        r.method.generics ||
        r.mutThroughShared
      )
        continue;
      // Closure parameters (`impl FnMut(&T) -> bool`) have no type to write in a turbofish.
      if (!r.method.params.every((p) => !containsUnknown(p) && !/\b[A-Z]\b|impl /.test(displayTy(p)))) continue;
      seen.add(d.name);
      const args = r.method.params.map((p) => `arg::<${displayTy(p)}>()`).join(', ');
      const borrows = r.method.returnBorrows.some((b) => b.from === 'self' && b.kind === 'referent');
      expect.set(lines.length + 1, { what: `${inst}.${d.name}()`, borrows });
      // The result stays live across a `&mut` of the receiver.
      lines.push(`fn b${n++}() { let mut r: ${inst} = arg(); let x = r.${d.name}(${args}); let y = &mut r; let z = &x; }`);
    }
    void def;
  }
  lines.push('fn main() {}');
  const dir = mkdtempSync(join(tmpdir(), 'rust-memory-borrows-'));
  try {
    const src = join(dir, 'borrows.rs');
    writeFileSync(src, lines.join('\n'));
    const c = spawnSync('rustc', ['--edition', '2021', '--emit=metadata', '--crate-type=lib', '-o', join(dir, 'b.rmeta'), src], {
      encoding: 'utf8',
    });
    const errLines = new Set<number>();
    for (const m of c.stderr.matchAll(/^error(?:\[(E\d+)\])?: .*\n\s*--> .*borrows\.rs:(\d+):\d+/gm)) {
      if (m[1] === 'E0502' || m[1] === 'E0499') errLines.add(Number(m[2]));
      else assert.fail(`unexpected rustc error: ${m[0]}\n${lines[Number(m[2]) - 1]}`);
    }
    const wrong: string[] = [];
    for (const [line, e] of expect)
      if (errLines.has(line) !== e.borrows)
        wrong.push(
          `${e.what}: model ${e.borrows ? 'borrows' : 'does not borrow'} the receiver, rustc ${errLines.has(line) ? 'does' : 'does not'}`,
        );
    t.diagnostic(`receiver borrows checked by rustc: ${expect.size} methods`);
    assert.deepEqual(wrong, []);
    assert.ok(expect.size > 100, `only ${expect.size} methods checked`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a `'static` bound in a std signature makes that argument 'static at the call (thread::spawn's F)", () => {
  const spawn = stdAssocFn('thread', 'spawn');
  assert.ok(spawn, 'thread::spawn is in the registry');
  assert.deepEqual(spawn.staticArgs, [0]);
  assert.equal(displayTy(spawn.ret), 'JoinHandle<T>');
  // Functions without such a bound have none.
  assert.equal(stdAssocFn('mem', 'swap')?.staticArgs, undefined);
});
