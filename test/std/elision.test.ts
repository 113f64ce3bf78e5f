/**
 * The lifetime relations the std registry derives from its signatures (`std/sig.ts` over
 * `hir/elision.ts`), against what the Rust reference's elision rules say of the signatures as the
 * std docs write them (expectations written by hand from those signatures, quoted beside each),
 * and the elision cases rustc rejects with E0106 (the rule as rustc's
 * `rustc_resolve::late::LateResolutionVisitor::resolve_fn_params` applies it; each case's verdict,
 * noted beside it, is rustc 1.95's on the same fn written out). A change to the rule or to a
 * registry signature that moves a relation fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stdFn } from '../../server/src/std/registry';
import { parseSigFn, parseSigTy, returnBorrows, storedBorrows, SigError, type RegionCx } from '../../server/src/std/sig';

/** `from:kind:mut[:through]` strings of a registry fn's derived result relations. */
const borrows = (id: string): string[] => {
  const d = stdFn(id);
  assert.ok(d, `${id} is in the registry`);
  return d.borrows.map(
    (b) => `${b.from}:${b.kind}:${b.mutable ? 'mut' : 'shared'}${b.through ? `:${b.through}` : ''}${b.built ? ':built' : ''}`,
  );
};
/** `from->into:via` strings of a registry fn's derived store relations. */
const stores = (id: string): string[] => stdFn(id)!.stores.map((s) => `${s.from}->${s.into}:${s.via}`);

test('registry methods: the result relations the elision rules give their std signatures', () => {
  // `pub fn as_str(&self) -> &str`: the elided result lifetime is `&self`'s.
  assert.deepEqual(borrows('String::as_str'), ['self:referent:shared']);
  // `pub fn get<I>(&self, index: I) -> Option<&I::Output>` (slice of `T`): `&self`'s lifetime,
  // and the element type `T` the result shares with the receiver `[T]`.
  assert.deepEqual(borrows('slice::get'), ['self:referent:shared', 'self:carried:shared:T']);
  // `pub fn iter(&self) -> Iter<'_, T>`: the same.
  assert.deepEqual(borrows('slice::iter'), ['self:referent:shared', 'self:carried:shared:T']);
  // `pub fn push(&mut self, value: T)`: no result; `value` (a `T`) is stored in the `Vec<T>`.
  assert.deepEqual(borrows('Vec::push'), []);
  assert.deepEqual(stores('Vec::push'), ['0->self:value']);
  // `pub fn max<T: Ord>(v1: T, v2: T) -> T`: no lifetime; `T` carries from both arguments.
  assert.deepEqual(borrows('cmp::max'), ['0:carried:shared:T', '1:carried:shared:T']);
  // `fn max(self) -> Option<Self::Item>` (Iterator): what `self` yields.
  assert.deepEqual(borrows('Iterator::max'), ['self:carried:shared:Self']);
  // `pub fn entry(&mut self, key: K) -> Entry<'_, K, V>`: `&mut self`'s lifetime (mutable), and
  // `K` from the map and the key, `V` from the map; the key is stored in the map.
  assert.deepEqual(borrows('HashMap::entry'), [
    'self:referent:mut',
    'self:carried:shared:K',
    '0:carried:shared:K',
    'self:carried:shared:V',
  ]);
  assert.deepEqual(stores('HashMap::entry'), ['0->self:value']);
  // `pub fn swap<T>(x: &mut T, y: &mut T)`: each `&mut T` receives what the other points to.
  assert.deepEqual(borrows('mem::swap'), []);
  assert.deepEqual(stores('mem::swap'), ['1->0:referent', '0->1:referent']);
  // `fn collect<B: FromIterator<Self::Item>>(self) -> B`: built from what `self` yields.
  assert.deepEqual(borrows('Iterator::collect'), ['self:carried:shared:Self:built']);
});

/** Std-like types for the signatures below: `Iter<'a, T>` borrows shared, `IterMut<'a, T>` mutably. */
const CX: RegionCx = {
  lifetimeCount: (n) => (n === 'Iter' || n === 'IterMut' || n === 'Page' ? 1 : 0),
  borrowsMutably: (n) => n === 'IterMut',
};
const derive = (sig: string, selfTy?: string): string[] =>
  returnBorrows(parseSigFn(sig), selfTy ? parseSigTy(selfTy) : null, CX).map(
    (b) => `${b.from}:${b.kind}:${b.mutable ? 'mut' : 'shared'}${b.through ? `:${b.through}` : ''}`,
  );

test('signatures: elided, named and static lifetimes, and E0106', () => {
  // `pub fn split_at_mut(&mut self, mid: usize) -> (&mut [T], &mut [T])` on `[T]`.
  assert.deepEqual(derive('fn split_at_mut(&mut self, mid: usize) -> (&mut [T], &mut [T])', '[T]'), [
    'self:referent:mut',
    'self:carried:shared:T',
  ]);
  // `pub fn iter_mut(&mut self) -> IterMut<'_, T>`.
  assert.deepEqual(derive("fn iter_mut(&mut self) -> IterMut<'_, T>", 'Vec<T>'), ['self:referent:mut', 'self:carried:shared:T']);
  // One parameter with one lifetime: the result takes it (rustc accepts `fn f(x: &str) -> &str`).
  assert.deepEqual(derive('fn trim(s: &str) -> &str'), ['0:referent:shared']);
  // One parameter naming one lifetime twice: still its only lifetime (rustc accepts).
  assert.deepEqual(derive("fn first<'a>(p: &'a Page<'a>) -> &str"), ['0:referent:shared', '0:carried:shared']);
  // A named lifetime inside a reference parameter: what the argument holds, not the reference.
  assert.deepEqual(derive("fn text<'a>(p: &Page<'a>) -> &'a str"), ['0:carried:shared']);
  // A named lifetime ties every argument naming it.
  assert.deepEqual(derive("fn longest<'a>(x: &'a str, y: &'a str) -> &'a str"), ['0:referent:shared', '1:referent:shared']);
  // `'static` ties nothing, and is the only lifetime of the only parameter naming one.
  assert.deepEqual(derive("fn f(x: &'static str, n: usize) -> &str"), []);
  // `&self` wins over the other parameters' lifetimes.
  assert.deepEqual(derive('fn pick(&self, other: &str) -> &str', 'Vec<T>'), ['self:referent:shared']);
  // A receiver by value is written `self: Self`, no lifetime: the parameter's is the source.
  assert.deepEqual(derive('fn pick(self, other: &str) -> &str', "Iter<'a, T>"), ['0:referent:shared']);
  // E0106 (rustc: "missing lifetime specifier"): two parameters with lifetimes, even one named
  // lifetime in both; none at all; a receiver by value whose type's lifetimes do not count.
  for (const [sig, selfTy] of [
    ['fn pick(a: &str, b: &str) -> &str', undefined],
    ["fn pick<'a>(a: &'a str, b: &'a str) -> &str", undefined],
    ['fn make() -> &str', undefined],
    ['fn rest(self) -> &str', "Iter<'a, T>"],
  ] as const)
    assert.throws(() => derive(sig, selfTy), SigError, sig);
});

test('signatures: what a call stores behind its `&mut` arguments', () => {
  const store = (sig: string, selfTy: string | null, interior = false): string[] =>
    storedBorrows(parseSigFn(sig), selfTy ? parseSigTy(selfTy) : null, CX, interior).map((s) => `${s.from}->${s.into}:${s.via}`);
  // `pub fn extend_from_slice(&mut self, other: &[T])`: what the slice's elements hold.
  assert.deepEqual(store('fn extend_from_slice(&mut self, other: &[T])', 'Vec<T>'), ['0->self:referent']);
  // A reference whose own lifetime the receiver's type names is stored itself.
  assert.deepEqual(store("fn add(&mut self, x: &'a T)", "Page<'a>"), ['0->self:value']);
  // The lifetime of `&'a mut self` is not the receiver type's: nothing is stored.
  assert.deepEqual(store("fn add(&'a mut self, x: &'a u8)", 'Vec<u8>'), []);
  // `pub fn set(&self, val: T)` on `Cell<T>`: interior mutability stores through `&self`.
  assert.deepEqual(store('fn set(&self, val: T)', 'Cell<T>', true), ['0->self:value']);
  assert.deepEqual(store('fn set(&self, val: T)', 'Cell<T>'), []);
  // `pub fn replace<T>(dest: &mut T, src: T) -> T`.
  assert.deepEqual(store('fn replace(dest: &mut T, src: T) -> T', null), ['1->0:value']);
});

test('closure-decided results: the closure passed decides what the result borrows', () => {
  const rel = (id: string): string[] =>
    stdFn(id)!.borrows.map(
      (b) =>
        `${b.from}:${b.kind}${b.through ? `:${b.through}` : ''}${b.items ? ':items' : ''}${b.built ? ':built' : ''}${
          b.closure ? `:closure${b.closure.arg}-${b.closure.via}` : ''
        }`,
    );
  // `fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Option<U>`: `U` is what the closure returns; it
  // borrows from the closure's input (what `self` holds) or its captures, never `self` as such.
  assert.deepEqual(rel('Option::map'), ['self:carried:closure0-inputs', '0:carried:closure0-captures']);
  // `fn map_or<U, F>(self, default: U, f: F) -> U`: `default` too (through `U`).
  assert.deepEqual(rel('Option::map_or'), ['0:carried:U', 'self:carried:closure1-inputs', '1:carried:closure1-captures']);
  // `fn map<B, F: FnMut(Self::Item) -> B>(self, f: F) -> Map<Self, F>`: the adapter holds `self`.
  assert.deepEqual(rel('Iterator::map'), ['self:carried:Self']);
  // `fn max(self) -> Option<Self::Item>`, `collect`: what the items hold (`ReturnBorrow.items`).
  assert.deepEqual(rel('Iterator::max'), ['self:carried:Self:items']);
  assert.deepEqual(rel('Iterator::collect'), ['self:carried:Self:items:built']);
  // A bound `F: FnMut(..) -> B` on a parameter `f: F` is the closure, named.
  const f = parseSigFn('fn map<B, F: FnMut(Self::Item) -> B>(self, f: F) -> Map<Self, F>');
  assert.equal(f.params[0].k, 'closure');
  assert.equal(f.params[0].k === 'closure' ? f.params[0].name : undefined, 'F');
  assert.deepEqual(f.generics, ['B', 'F']);
  // `<U as IntoIterator>::Item` and `B: FromIterator<Self::Item>`.
  assert.deepEqual(parseSigTy('<U as IntoIterator>::Item'), {
    k: 'assoc',
    base: { k: 'path', name: 'U', args: [], regions: [] },
    name: 'Item',
    trait: 'IntoIterator',
  });
  assert.equal(parseSigFn('fn collect<B: FromIterator<Self::Item>>(self) -> B').fromIter?.param, 'B');
});
