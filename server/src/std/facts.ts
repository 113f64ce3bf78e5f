/**
 * What the registry's facts mean for a type: the trait queries that decide moves and drops
 * (`isCopy`, `isClone`, `needsDrop`, `isDefault`, `isDisplay`, `isPartialEq`), derefs
 * (`derefStep`), iterator and `IntoIterator` items, index outputs, and the heap block an owning
 * type's value points to. User ADTs are answered from the file's `AdtDef`s (derives, Drop impls).
 *
 * Sources: the Rust reference ("Special types and traits": Copy, Clone; "Method call
 * expressions": deref), rustc's `needs_drop` (`rustc_middle::ty::util::needs_drop_components`),
 * the std API docs for each trait impl ("Implementors"). Every query is bounded (`MAX_DEPTH`) and
 * answers null when it cannot tell.
 */
import type { AdtDef, ImplDef } from '../hir/hir';
import { displayTy, substitute, type Ty } from '../hir/ty';
import { boundedTyQuery } from '../hir/tySize';
import { parseSigTy, type SigTy } from './sig';
import { stdAdtDef, stdType, stdTypeOf, toTy, type TyEnv } from './registry';
import type { StdTypeDef } from './types';

/** Context the trait queries may use: the file's ADTs and impls (for `impl Display for X`). */
export interface StdCx {
  adts?: ReadonlyMap<string, AdtDef>;
  impls?: readonly ImplDef[];
}

const MAX_DEPTH = 32;

/** A user ADT (not std) the file defines, or undefined. */
function userAdt(ty: Ty & { kind: 'adt' }, adts: ReadonlyMap<string, AdtDef> | undefined): AdtDef | undefined {
  return ty.std ? undefined : adts?.get(ty.name);
}

const PARSED = new Map<string, SigTy>();
/** A Rust-written type string of the registry, parsed once. */
export function sigTy(src: string): SigTy {
  let t = PARSED.get(src);
  if (!t) PARSED.set(src, (t = parseSigTy(src)));
  return t;
}

/** The environment of a std type instance: its parameters bound to the arguments, projections resolved. */
export function envOf(def: StdTypeDef, args: readonly Ty[], self?: Ty): TyEnv {
  return {
    map: new Map(def.params.map((p, i) => [p, args[i] ?? { kind: 'unknown', reason: 'missing type argument' }])),
    self,
    project,
  };
}

/**
 * `X::Item` (an iterator's item), `<X as IntoIterator>::Item` (what a `for` loop over `X` binds:
 * `Option<B>` → `B`, `Vec<T>` → `T`), `X::Target` (a deref target) and `F::Output` (what a closure
 * or fn returns: `FnOnce::Output`); undefined when unknown.
 */
export function project(base: Ty, name: string, trait?: string): Ty | undefined {
  if (name === 'Item') return trait === 'IntoIterator' ? intoIterItem(base) : iteratorItem(base);
  if (name === 'Target') return derefTy(base);
  if (name === 'Output') {
    if (base.kind === 'fn') return base.ret;
    if (base.kind === 'closure') return base.output;
  }
  return undefined;
}

// --- Copy, Clone, Drop, Default, Display, PartialEq

function all(results: (boolean | null)[]): boolean | null {
  if (results.some((r) => r === false)) return false;
  if (results.some((r) => r === null)) return null;
  return true;
}

function anyTrue(results: (boolean | null)[]): boolean | null {
  if (results.some((r) => r === true)) return true;
  if (results.some((r) => r === null)) return null;
  return false;
}

/**
 * Is `ty` Copy? (Rust reference, "Special types and traits: Copy".) Integers, floats, bool,
 * char, `!`, `&T`, raw pointers and fn pointers are; `&mut T` is not; tuples and arrays when
 * all elements are; `str`/`[T]` are unsized (false); user ADTs when they derive or implement
 * Copy (a derive on a generic type needs every argument Copy; rustc checks the fields itself,
 * E0204); std types per `StdTypeDef.copy`; generic parameters by their bounds. Null when unknown
 * (unknown/opaque/infer/closure types, parameters with unknown bounds, ADTs the file does not define).
 */
export function isCopy(ty: Ty, adts: ReadonlyMap<string, AdtDef>): boolean | null {
  return copyOrClone(ty, adts, 'copy', 0);
}

/**
 * Is `ty` Clone? Like `isCopy`, plus: `&mut T` is not Clone, every Copy type is Clone,
 * user ADTs need `#[derive(Clone)]`/`#[derive(Copy)]` or `impl Clone`, std types per table.
 */
export function isClone(ty: Ty, adts: ReadonlyMap<string, AdtDef>): boolean | null {
  return copyOrClone(ty, adts, 'clone', 0);
}

/**
 * Answers already given, by the file's ADTs and the type object. Types are never changed once
 * made and inference keeps shared subterms shared (`InferCx.zonk`), so a type nested a hundred
 * levels deep (`Option<Option<…>>`, one local per level) is walked once, not once per local and
 * per use (a fuzz finding: the simulation asked for each move).
 *
 * An answer the depth bound (`MAX_DEPTH`) cut short is null only because of the depth it was
 * asked at: it is kept only for a type asked about itself (depth 0, the answer `isCopy` gives
 * for it), never for a part reached deeper. Types share their parts, the `i32` of
 * `{integer}` included (`I32`): an `i32` met 33 levels down a `Some(Some(…(1)))` must not make
 * every `i32` of the file unknown.
 */
const COPY_MEMO = new WeakMap<ReadonlyMap<string, AdtDef>, { copy: WeakMap<Ty, boolean | null>; clone: WeakMap<Ty, boolean | null> }>();

function copyOrClone(ty: Ty, adts: ReadonlyMap<string, AdtDef>, which: 'copy' | 'clone', depth: number): boolean | null {
  let memo = COPY_MEMO.get(adts);
  if (!memo) COPY_MEMO.set(adts, (memo = { copy: new WeakMap(), clone: new WeakMap() }));
  return boundedTyQuery(memo[which], ty, depth, MAX_DEPTH, null, () => copyOrCloneUncached(ty, adts, which, depth));
}

function copyOrCloneUncached(ty: Ty, adts: ReadonlyMap<string, AdtDef>, which: 'copy' | 'clone', depth: number): boolean | null {
  const rec = (t: Ty) => copyOrClone(t, adts, which, depth + 1);
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'never':
    case 'rawptr':
    case 'fn':
      return true;
    case 'infer':
      // `{integer}` / `{float}` are Copy whichever integer or float they become.
      return ty.integral || ty.floating ? true : null;
    case 'ref':
      return !ty.mutable;
    case 'str':
    case 'slice':
      return false;
    case 'tuple':
      return all(ty.elems.map(rec));
    case 'array':
      return rec(ty.elem);
    case 'adt': {
      const def = userAdt(ty, adts);
      if (def) {
        const derived = which === 'copy' ? def.derives.includes('Copy') : def.derives.includes('Clone') || def.derives.includes('Copy');
        const manual = which === 'copy' ? def.implsCopy : def.implsClone || def.implsCopy;
        if (derived) return def.generics.length === 0 ? true : all(ty.args.map(rec));
        if (manual) {
          if (def.generics.length === 0) return true;
          // `impl<T: Copy> Copy for S<T>`: `S<X>` is not Copy when an `X` that must be Copy is not;
          // other bounds (user traits) the engine cannot check: unknown.
          if (
            which === 'copy' &&
            def.copyImplArgs?.some((p, i) => p.kind === 'param' && p.bounds?.includes('Copy') && ty.args[i] && rec(ty.args[i]) === false)
          )
            return false;
          return null;
        }
        return false;
      }
      const info = stdTypeOf(ty);
      if (!info) return null;
      const rule = which === 'copy' ? info.copy : info.clone;
      if (rule === 'always') return true;
      if (rule === 'never') return false;
      if (which === 'clone' && info.cloneNeedsCopy) return all(ty.args.map((a) => copyOrClone(a, adts, 'copy', depth + 1)));
      return all(ty.args.map(rec));
    }
    case 'param': {
      // A generic parameter is Copy exactly when bounded by it (Clone also by Copy, its
      // supertrait). A bound the engine does not know may have `Copy` as a supertrait: unknown.
      if (!ty.bounds) return null;
      if (ty.bounds.includes('Copy') || (which === 'clone' && ty.bounds.includes('Clone'))) return true;
      return ty.bounds.every((b) => NOT_COPY_IMPLYING_TRAITS.has(b) || ty.localTraits?.includes(b)) ? false : null;
    }
    default:
      return null; // closure, opaque, infer, unknown
  }
}

/**
 * Std traits none of which has `Copy` (or `Clone`) as a supertrait: a generic parameter bounded
 * only by these is neither Copy nor (unless bounded by `Clone`) Clone.
 */
const NOT_COPY_IMPLYING_TRAITS: ReadonlySet<string> = new Set([
  ...['Clone', 'Debug', 'Display', 'PartialEq', 'Eq', 'PartialOrd', 'Ord', 'Hash', 'Default'],
  ...['Send', 'Sync', 'Sized', 'Unpin', 'Fn', 'FnMut', 'FnOnce', 'Drop', 'Any'],
  ...['Iterator', 'IntoIterator', 'DoubleEndedIterator', 'ExactSizeIterator', 'Extend', 'FromIterator'],
  ...['Into', 'From', 'AsRef', 'AsMut', 'ToString', 'Borrow', 'BorrowMut', 'FromStr', 'Error', 'Write', 'Read', 'Future'],
  ...['Add', 'Sub', 'Mul', 'Div', 'Rem', 'Neg', 'Not', 'Deref', 'DerefMut', 'Index', 'IndexMut'],
]);

/**
 * Whether dropping a value of the std type `t` does nothing a program could observe besides
 * freeing the memory it owns, given that its arguments' drops do not either: true when the type
 * has no `Drop` of its own (`needsDrop` `never`/`if-args`: `Option`, `Cell`, borrowing iterators)
 * or its `Drop` only frees its heap block (`String`, `Vec`, `Box`, `Rc`, the maps), and that drop
 * uses no borrow (`Ref`, `RefMut` and lock guards release one). False for a `Drop` that acts on
 * something else (`Drain` moves the tail back) and for types the registry does not know.
 */
export function stdDropOnlyFrees(t: Ty): boolean {
  const def = stdTypeOf(t);
  if (!def || def.dropUsesBorrow) return false;
  return def.needsDrop !== 'always' || def.heap !== undefined;
}

/**
 * rustc's `needs_drop`: does dropping a `ty` run any code? True for types with a Drop impl
 * (String, Vec, Box, Rc, HashMap, user types with `impl Drop`) and for types that own one;
 * false for Copy-like data, references, `[T; 0]`. Null when unknown.
 */
export function needsDrop(ty: Ty, adts: ReadonlyMap<string, AdtDef>): boolean | null {
  return needsDropRec(ty, adts, 0, new Set(), new Map());
}

function needsDropRec(
  ty: Ty,
  adts: ReadonlyMap<string, AdtDef>,
  depth: number,
  visiting: Set<string>,
  memo: Map<string, boolean | null>,
): boolean | null {
  if (depth > MAX_DEPTH) return null;
  const rec = (t: Ty) => needsDropRec(t, adts, depth + 1, visiting, memo);
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'never':
    case 'str':
    case 'ref':
    case 'rawptr':
    case 'fn':
      return false;
    case 'tuple':
      return anyTrue(ty.elems.map(rec));
    case 'array':
      return ty.len === 0 ? false : rec(ty.elem);
    case 'slice':
      return rec(ty.elem);
    case 'adt': {
      const def = userAdt(ty, adts);
      if (def) {
        if (def.hasDropImpl) return true;
        const key = displayTy(ty);
        const hit = memo.get(key);
        if (hit !== undefined) return hit;
        if (visiting.has(ty.name)) return false; // a cycle adds nothing new (it needs indirection, which is judged on its own)
        visiting.add(ty.name);
        const map = new Map(def.generics.map((g, i) => [g, ty.args[i] ?? ({ kind: 'unknown' } as Ty)]));
        const fields = def.kind === 'enum' ? def.variants.flatMap((v) => v.fields) : def.fields;
        const r = anyTrue(fields.map((f) => rec(substitute(f.ty, map))));
        visiting.delete(ty.name);
        memo.set(key, r);
        return r;
      }
      const info = stdTypeOf(ty);
      if (!info) return null;
      if (info.needsDrop === 'always') return true;
      if (info.needsDrop === 'never') return false;
      return anyTrue(ty.args.map(rec));
    }
    default:
      return null;
  }
}

/** Does `ty` implement Default (std docs, "Implementors")? Null when unknown. */
export function isDefault(ty: Ty, adts: ReadonlyMap<string, AdtDef>, depth = 0): boolean | null {
  if (depth > MAX_DEPTH) return null;
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
      return true;
    case 'ref':
      return !ty.mutable && (ty.inner.kind === 'str' || ty.inner.kind === 'slice') ? true : ty.mutable ? null : false;
    case 'tuple':
      return all(ty.elems.map((e) => isDefault(e, adts, depth + 1)));
    case 'array':
      return ty.len === 0 ? true : isDefault(ty.elem, adts, depth + 1);
    case 'adt': {
      const def = userAdt(ty, adts);
      if (def)
        return def.derives.includes('Default')
          ? def.generics.length
            ? all(ty.args.map((a) => isDefault(a, adts, depth + 1)))
            : true
          : null;
      const info = stdTypeOf(ty);
      if (!info?.default) return null;
      return info.default === 'always' ? true : isDefault(ty.args[0] ?? { kind: 'unknown' }, adts, depth + 1);
    }
    default:
      return null;
  }
}

/** Does `ty` implement Display (for `to_string`)? Null when unknown. */
export function isDisplay(ty: Ty, cx: StdCx, depth = 0): boolean | null {
  if (depth > MAX_DEPTH) return null;
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'str':
      return true;
    case 'ref':
      return isDisplay(ty.inner, cx, depth + 1);
    case 'tuple':
    case 'array':
    case 'slice':
    case 'rawptr':
    case 'fn':
    case 'never':
      return false;
    case 'adt': {
      const info = stdTypeOf(ty);
      if (userAdt(ty, cx.adts) || !info) {
        if (!cx.impls) return null;
        return cx.impls.some((i) => i.traitName === 'Display' && i.selfTy.kind === 'adt' && i.selfTy.name === ty.name);
      }
      if (info.display === 'always') return true;
      if (info.display === 'if-args') return isDisplay(ty.args[0] ?? { kind: 'unknown' }, cx, depth + 1);
      return false;
    }
    default:
      return null;
  }
}

/**
 * Does `ty` implement `PartialEq<Self>`? Primitives, references to such, tuples and arrays of
 * such, user ADTs with `#[derive(PartialEq)]` or `impl PartialEq`, std containers and wrappers
 * when their arguments do (not the cells, locks, `Rc`-weak handles or iterators). Null when unknown.
 */
export function isPartialEq(ty: Ty, cx: StdCx, depth = 0): boolean | null {
  if (depth > MAX_DEPTH) return null;
  const rec = (t: Ty) => isPartialEq(t, cx, depth + 1);
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'str':
      return true;
    case 'ref':
      return rec(ty.inner);
    case 'tuple':
      return all(ty.elems.map(rec));
    case 'array':
    case 'slice':
      return rec(ty.elem);
    case 'adt': {
      const def = userAdt(ty, cx.adts);
      if (def) {
        if (def.derives.includes('PartialEq')) return def.generics.length ? all(ty.args.map(rec)) : true;
        return cx.impls ? cx.impls.some((i) => i.traitName === 'PartialEq' && i.selfTy.kind === 'adt' && i.selfTy.name === ty.name) : null;
      }
      const info = stdTypeOf(ty);
      if (!info) return null;
      if (info.iterator || info.lifetimes?.length || /Cell$|Mutex|RwLock|Weak/.test(info.name)) return false;
      return all(ty.args.map(rec));
    }
    default:
      return null;
  }
}

// --- deref

/** One deref of a type: its target, whether rustc builds it as a place (`&T`, `Box<T>`), whether it may be mutable. */
export interface DerefStep {
  target: Ty;
  /** Built into the language (a place projection), not a `Deref::deref` call. */
  builtin: boolean;
  /** `DerefMut` exists (`&mut T`, `Box`, `String`, `Vec`, `RefMut`, `MutexGuard`). */
  mutable: boolean;
}

/**
 * One step of auto-deref (Rust reference, "Method call expressions"; "Field access
 * expressions"): `&T`/`&mut T` → `T`, and the std `Deref` targets of the registry (`Box<T>`,
 * `Rc<T>`, `Ref<T>`, `MutexGuard<T>` → `T`, `String` → `str`, `Vec<T>` → `[T]`). Raw pointers
 * are not auto-dereferenced. Undefined for anything else (user `Deref` impls are not modelled).
 */
export function derefStep(ty: Ty): DerefStep | undefined {
  if (ty.kind === 'ref') return { target: ty.inner, builtin: true, mutable: ty.mutable };
  const def = stdTypeOf(ty);
  if (!def?.deref || ty.kind !== 'adt') return undefined;
  return {
    target: toTy(sigTy(def.deref.target), envOf(def, ty.args)),
    builtin: def.deref.builtin === true,
    mutable: def.deref.mutable === true,
  };
}

/** What `*t` is: `&T`/`&mut T`/`*const T` → `T`, and std `Deref` targets (`derefStep`). Undefined otherwise. */
export function derefTy(ty: Ty): Ty | undefined {
  if (ty.kind === 'rawptr') return ty.inner;
  return derefStep(ty)?.target;
}

// --- iterators, IntoIterator, Index

/** `Iterator::Item` of an iterator type (`Iter<'_, i32>` → `&i32`), or undefined when `ty` is not one the registry knows. */
export function iteratorItem(ty: Ty): Ty | undefined {
  const def = stdTypeOf(ty);
  if (!def?.iterator || ty.kind !== 'adt') return undefined;
  return toTy(sigTy(def.iterator.item), envOf(def, ty.args, ty));
}

/**
 * The closures (or fns) whose results an iterator's items are (`Map<I, F>`: `F`, with `I`'s own;
 * `FlatMap<I, U, F>`: `F`, which returns the `U` it flattens), read from the adapters' written
 * items (`F::Output`, `<U as IntoIterator>::Item`, `I::Item`). Empty for an iterator whose items
 * no closure decides (`Iter<'a, T>`, `Filter<Iter<'a, T>, P>`); null when the engine cannot tell.
 */
export function iteratorItemDeciders(ty: Ty, depth = 0): Ty[] | null {
  if (depth > MAX_DEPTH) return null;
  const def = stdTypeOf(ty);
  if (!def?.iterator || ty.kind !== 'adt') return [];
  const arg = (name: string): Ty | undefined => {
    const i = def.params.indexOf(name);
    return i >= 0 ? ty.args[i] : undefined;
  };
  const out: Ty[] = [];
  const walk = (t: SigTy): boolean => {
    switch (t.k) {
      case 'assoc': {
        const base = t.base.k === 'path' && t.base.args.length === 0 ? arg(t.base.name) : undefined;
        if (!base) return walk(t.base);
        if (t.name === 'Output') return (out.push(base), true);
        if (isIterator(base)) {
          const inner = iteratorItemDeciders(base, depth + 1);
          if (!inner) return false;
          out.push(...inner);
          return true;
        }
        // `<U as IntoIterator>::Item` with `U` what a closure of the adapter returns.
        out.push(...ty.args.filter((a) => a.kind === 'closure' || a.kind === 'fn'));
        return true;
      }
      case 'tuple':
        return t.elems.every(walk);
      case 'ref':
      case 'ptr':
        return walk(t.inner);
      case 'path':
        return t.args.every(walk);
      case 'unknown':
        return false;
      default:
        return true;
    }
  };
  return walk(sigTy(def.iterator.item)) ? out : null;
}

/**
 * What `collect()` into `ty` takes (`StdTypeDef.fromIter`: `Vec<T>` → `T`, `HashMap<K, V>` →
 * `(K, V)`), or undefined when not modelled. Collecting into `Result<V, E>` takes `Result<A, E>`
 * and into `Option<V>` takes `Option<A>`, where `V` collects `A` (std:
 * `impl<A, E, V: FromIterator<A>> FromIterator<Result<A, E>> for Result<V, E>`, and the same for
 * `Option`); `depth` bounds that nesting.
 */
export function fromIterItem(ty: Ty, depth = 0): Ty | undefined {
  if (ty.kind === 'adt' && ty.std && (ty.name === 'Result' || ty.name === 'Option') && ty.args[0] && depth < 8) {
    const inner = fromIterItem(ty.args[0], depth + 1);
    return inner && { ...ty, args: [inner, ...ty.args.slice(1)] };
  }
  const def = stdTypeOf(ty);
  if (!def?.fromIter || ty.kind !== 'adt') return undefined;
  return toTy(sigTy(def.fromIter), envOf(def, ty.args));
}

/** True for iterator types (a `StdTypeDef.iterator`). */
export function isIterator(ty: Ty): boolean {
  return stdTypeOf(ty)?.iterator !== undefined;
}

/**
 * The item a `for` loop over a value of `ty` binds (`IntoIterator::Item`): iterators yield their
 * `Item`; `Vec<T>` yields `T`, `&Vec<T>` `&T`, `&mut Vec<T>` `&mut T` (`StdTypeDef.intoIter`);
 * arrays by value (edition 2021) and slices behind references likewise. Undefined when unknown.
 */
export function intoIterItem(ty: Ty): Ty | undefined {
  const it = iteratorItem(ty);
  if (it) return it;
  let mode: 'value' | 'ref' | 'mut' = 'value';
  let t = ty;
  if (t.kind === 'ref') {
    mode = t.mutable ? 'mut' : 'ref';
    t = t.inner;
  }
  if (t.kind === 'array' || t.kind === 'slice') {
    if (mode === 'value') return t.kind === 'array' ? t.elem : undefined;
    return { kind: 'ref', mutable: mode === 'mut', inner: t.elem };
  }
  if (mode === 'mut' && isIterator(t)) return iteratorItem(t); // `for x in &mut iter`
  const def = stdTypeOf(t);
  const written = def?.intoIter?.[mode];
  if (!def || !written || t.kind !== 'adt') return undefined;
  return toTy(sigTy(written), envOf(def, t.args));
}

/** `Index::Output` for `ty[by]` (`Vec<T>[usize]` → `T`, `String[range]` → `str`, `HashMap<K, V>[&K]` → `V`), or undefined. */
export function indexOutput(ty: Ty, by: 'usize' | 'range' | 'key'): Ty | undefined {
  if (ty.kind === 'array' || ty.kind === 'slice')
    return by === 'range' ? { kind: 'slice', elem: ty.elem } : by === 'usize' ? ty.elem : undefined;
  if (ty.kind === 'str') return by === 'range' ? ty : undefined;
  const def = stdTypeOf(ty);
  const rule = def?.index?.find((r) => r.by === by) ?? (by === 'usize' ? def?.index?.find((r) => r.by === 'key') : undefined);
  if (!def || !rule || ty.kind !== 'adt') return undefined;
  return toTy(sigTy(rule.output), envOf(def, ty.args));
}

/**
 * Whether std's `ty[i]` by a `usize` index is also `IndexMut` (writable: `v[i] = x` is
 * `*IndexMut::index_mut(&mut v, i) = x`): true for the types indexed by position (`Vec`,
 * `VecDeque`), false for the maps indexed by key (`HashMap`, `BTreeMap` implement `Index`
 * only), undefined for types without a std index rule.
 */
export function hasIndexMutByPosition(ty: Ty): boolean | undefined {
  const def = ty.kind === 'adt' && ty.std ? stdTypeOf(ty) : undefined;
  if (!def?.index?.length) return undefined;
  if (def.index.some((r) => r.by === 'usize')) return true;
  return def.index.some((r) => r.by === 'key') ? false : undefined;
}

// --- heap

/**
 * The element type of the heap block an owning std value points to (`String` → `u8`,
 * `Vec<T>` → `T`, `Rc<T>` → `T`, `HashMap<K, V>` → `(K, V)`), from `StdTypeDef.heap`; unknown
 * for other types.
 */
export function heapElemTy(ty: Ty): Ty {
  const def = stdTypeOf(ty);
  if (!def?.heap || ty.kind !== 'adt') return { kind: 'unknown', reason: 'element type not known' };
  return toTy(sigTy(def.heap.elem), envOf(def, ty.args));
}

/**
 * The type of one allocation unit of an owning std type's block, for its byte size: `RcInner<T>`
 * for `Rc<T>`, `LeafNode<K, V>` for `BTreeMap<K, V>`, the element otherwise (buffers, boxes,
 * tables count elements). `kind` is the owner's name, `elem` the block's element type.
 */
export function heapUnitTy(kind: string, elem: Ty): Ty {
  const def = stdType(kind);
  const h = def?.heap;
  if (!def || !h) return elem;
  let block: string | undefined;
  if (h.kind === 'counted') block = h.block;
  else if (h.kind === 'weak') {
    const of = stdType(h.of)?.heap;
    block = of?.kind === 'counted' ? of.block : undefined;
  } else if (h.kind === 'btree') block = h.node;
  if (!block) return elem;
  // The block type's parameters are the owner's; recover them from the element (`T`, or `(K, V)`).
  const args: Ty[] = h.elem.startsWith('(') && elem.kind === 'tuple' ? elem.elems : [elem];
  const map = new Map(def.params.map((p, i) => [p, args[i] ?? ({ kind: 'tuple', elems: [] } as Ty)]));
  return toTy(sigTy(block), { map, project });
}

/**
 * A std path naming a unit variant of a std enum, used as a value: `None` (the prelude's),
 * `Ordering::Less`, `std::cmp::Ordering::Greater`. Its enum and variant, or undefined.
 */
export function stdUnitVariant(path: string): { adt: string; variant: string } | undefined {
  const segs = path.split('::');
  const variant = segs[segs.length - 1];
  const adt = segs.length === 1 ? (variant === 'None' ? 'Option' : undefined) : stdType(segs[segs.length - 2])?.name;
  const def = adt ? stdAdtDef(adt) : undefined;
  const v = def?.kind === 'enum' ? def.variants.find((x) => x.name === variant) : undefined;
  return v?.shape === 'unit' && adt ? { adt, variant } : undefined;
}

/** The Rust definition of a std type as an `AdtDef` (see `registry.ts` `stdAdtDef`). */
export { stdAdtDef };
