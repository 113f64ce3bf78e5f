/**
 * The std model: which std types the engine knows, which of Copy / Clone / Drop they have, and
 * the signatures of their methods and associated functions — as data.
 *
 * Signatures are written as Rust (`fn push(&mut self, value: T)`) in `IMPLS` below and parsed
 * once; `?` in a signature is a type the engine does not model (closures, patterns, `impl
 * Iterator`), and `?iterator` an iterator whose item type is not tracked. Method lookup follows
 * the Rust reference, "Method call expressions": the receiver type, then `&` and `&mut` of it, then
 * its deref (`&T`→`T`, `Box<T>`/`Rc<T>`/`Arc<T>`/`Ref<T>`→`T`, `String`→`str`, `Vec<T>`→`[T]`,
 * and finally `[T; N]`→`[T]` by unsizing), repeated.
 *
 * Sources: the std API docs (doc.rust-lang.org/std) for each signature and trait impl;
 * rustc's `needs_drop` (`rustc_middle::ty::util::needs_drop_components`) for drop glue;
 * rustc's `Copy` rules (Rust reference, "Special types and traits").
 */
import { displayTy, type Ty, type IntName } from './ty';
import type { AdtDef, ImplDef } from './hir';

// --- substitution

/**
 * Replaces generic parameters (`{kind:'param', name}`) in `ty` by the types in `map`
 * (parameter name → type). Parameters missing from `map` are left as they are. Pure; bounded by
 * the size of `ty`.
 */
export function substitute(ty: Ty, map: ReadonlyMap<string, Ty> | Record<string, Ty>): Ty {
  const get = (n: string): Ty | undefined =>
    map instanceof Map ? map.get(n) : Object.prototype.hasOwnProperty.call(map, n) ? (map as Record<string, Ty>)[n] : undefined;
  const go = (t: Ty): Ty => {
    switch (t.kind) {
      case 'param':
        return get(t.name) ?? t;
      case 'ref':
      case 'rawptr':
        return { ...t, inner: go(t.inner) };
      case 'tuple':
        return { kind: 'tuple', elems: t.elems.map(go) };
      case 'array':
        return { ...t, elem: go(t.elem) };
      case 'slice':
        return { kind: 'slice', elem: go(t.elem) };
      case 'adt':
        return { ...t, args: t.args.map(go) };
      case 'fn':
        return { ...t, params: t.params.map(go), ret: go(t.ret) };
      default:
        return t;
    }
  };
  return go(ty);
}

// --- std types

/** How a std type relates to the traits that decide moves and drops. */
export interface StdTypeInfo {
  /** Type name as written without path (`Rc`, `HashMap`). */
  name: string;
  /** Canonical path (`std::rc::Rc`). */
  path: string;
  /** Generic parameter names (`T`, `K`, `V`, `E`). */
  params: string[];
  /** `if-args`: Copy iff every type argument is Copy (`Option<T>`, `Result<T, E>`). */
  copy: 'always' | 'never' | 'if-args';
  /** `if-args`: Clone iff every type argument is Clone; `Cell<T>` needs `T: Copy` (`cloneNeedsCopy`). */
  clone: 'always' | 'if-args' | 'never';
  cloneNeedsCopy?: boolean;
  /** rustc `needs_drop`: `always` for types with a Drop impl (Vec, Box, Rc...), `if-args` for plain wrappers. */
  needsDrop: 'always' | 'if-args' | 'never';
  /**
   * The heap allocation a value owns: `string`/`vec` a growable buffer (VecDeque too), `box` one
   * value, `rc`/`arc` a reference-counted box (Weak keeps the allocation, not the value alive),
   * `hashmap` a hash table, `btree` tree nodes. Null: no heap of its own.
   */
  heap: 'string' | 'vec' | 'box' | 'rc' | 'arc' | 'hashmap' | 'btree' | null;
  /** `Deref::Target` for the type arguments (`String`→`str`, `Vec<T>`→`[T]`, `Box<T>`→`T`). */
  derefTarget?: (args: Ty[]) => Ty;
  /** Implements Display when its type arguments do (`Box<T>`), or always (`String`). */
  display?: 'always' | 'if-args';
}

const arg0 = (args: Ty[]): Ty => args[0] ?? { kind: 'unknown', reason: 'missing type argument' };

const STD_TYPES: StdTypeInfo[] = [
  {
    name: 'String',
    path: 'std::string::String',
    params: [],
    copy: 'never',
    clone: 'always',
    needsDrop: 'always',
    heap: 'string',
    derefTarget: () => ({ kind: 'str' }),
    display: 'always',
  },
  {
    name: 'Vec',
    path: 'std::vec::Vec',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    heap: 'vec',
    derefTarget: (a) => ({ kind: 'slice', elem: arg0(a) }),
  },
  {
    name: 'VecDeque',
    path: 'std::collections::VecDeque',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    heap: 'vec',
  },
  {
    name: 'Box',
    path: 'std::boxed::Box',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    heap: 'box',
    derefTarget: arg0,
    display: 'if-args',
  },
  {
    name: 'Rc',
    path: 'std::rc::Rc',
    params: ['T'],
    copy: 'never',
    clone: 'always',
    needsDrop: 'always',
    heap: 'rc',
    derefTarget: arg0,
    display: 'if-args',
  },
  {
    name: 'Arc',
    path: 'std::sync::Arc',
    params: ['T'],
    copy: 'never',
    clone: 'always',
    needsDrop: 'always',
    heap: 'arc',
    derefTarget: arg0,
    display: 'if-args',
  },
  { name: 'Weak', path: 'std::rc::Weak', params: ['T'], copy: 'never', clone: 'always', needsDrop: 'always', heap: 'rc' },
  { name: 'RefCell', path: 'std::cell::RefCell', params: ['T'], copy: 'never', clone: 'if-args', needsDrop: 'if-args', heap: null },
  {
    name: 'Cell',
    path: 'std::cell::Cell',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    cloneNeedsCopy: true,
    needsDrop: 'if-args',
    heap: null,
  },
  {
    name: 'Ref',
    path: 'std::cell::Ref',
    params: ['T'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'always',
    heap: null,
    derefTarget: arg0,
    display: 'if-args',
  },
  {
    name: 'RefMut',
    path: 'std::cell::RefMut',
    params: ['T'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'always',
    heap: null,
    derefTarget: arg0,
    display: 'if-args',
  },
  { name: 'Option', path: 'std::option::Option', params: ['T'], copy: 'if-args', clone: 'if-args', needsDrop: 'if-args', heap: null },
  { name: 'Result', path: 'std::result::Result', params: ['T', 'E'], copy: 'if-args', clone: 'if-args', needsDrop: 'if-args', heap: null },
  {
    name: 'HashMap',
    path: 'std::collections::HashMap',
    params: ['K', 'V'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    heap: 'hashmap',
  },
  {
    name: 'HashSet',
    path: 'std::collections::HashSet',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    heap: 'hashmap',
  },
  {
    name: 'BTreeMap',
    path: 'std::collections::BTreeMap',
    params: ['K', 'V'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    heap: 'btree',
  },
  {
    name: 'BTreeSet',
    path: 'std::collections::BTreeSet',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    heap: 'btree',
  },
  /** `hash_map::Entry<'_, K, V>`: holds the map's `&mut` borrow. */
  {
    name: 'Entry',
    path: 'std::collections::hash_map::Entry',
    params: ['K', 'V'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    heap: null,
  },
  { name: 'Ordering', path: 'std::cmp::Ordering', params: [], copy: 'always', clone: 'always', needsDrop: 'never', heap: null },
  { name: 'ParseIntError', path: 'std::num::ParseIntError', params: [], copy: 'never', clone: 'always', needsDrop: 'never', heap: null },
  {
    name: 'ParseFloatError',
    path: 'std::num::ParseFloatError',
    params: [],
    copy: 'never',
    clone: 'always',
    needsDrop: 'never',
    heap: null,
  },
  { name: 'Mutex', path: 'std::sync::Mutex', params: ['T'], copy: 'never', clone: 'never', needsDrop: 'if-args', heap: null },
];
const STD_BY_NAME = new Map(STD_TYPES.map((t) => [t.name, t]));

/** The std type `name` (`Rc`, `HashMap`; path prefixes like `std::rc::` are stripped), or undefined. */
export function stdTypeInfo(name: string): StdTypeInfo | undefined {
  return STD_BY_NAME.get(lastSegment(name));
}

const PRIMS: Record<string, Ty> = {
  bool: { kind: 'bool' },
  char: { kind: 'char' },
  str: { kind: 'str' },
  f32: { kind: 'float', name: 'f32' },
  f64: { kind: 'float', name: 'f64' },
};
const INT_NAMES = new Set(['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize']);

function lastSegment(path: string): string {
  const noArgs = path.replace(/<.*$/s, '').trim();
  const segs = noArgs.split('::');
  return segs[segs.length - 1].trim();
}

/**
 * The type named by a std path written as a type: `String`, `Vec<i32>`, `std::collections::HashMap`,
 * `std::rc::Rc<RefCell<Node>>`, `i32`, `str`. Prefixes (`std::`, `alloc::`, `core::` and module
 * paths) are stripped. Written type arguments are parsed (unknown names become `unknown`); when
 * `args` is given it wins; missing arguments are `unknown` ("type argument not written"), for the
 * inference to fill. Undefined when the name is not a std type the engine models.
 */
export function stdPathType(path: string, args?: Ty[]): Ty | undefined {
  const lt = path.indexOf('<');
  const name = lastSegment(path);
  if (INT_NAMES.has(name)) return { kind: 'int', name: name as IntName };
  if (PRIMS[name]) return PRIMS[name];
  const info = STD_BY_NAME.get(name);
  if (!info) return undefined;
  let written: Ty[] = [];
  if (lt >= 0 && path.trimEnd().endsWith('>')) {
    written = splitTop(path.slice(lt + 1, path.trimEnd().length - 1), ',')
      .filter((a) => a !== '' && !a.startsWith("'"))
      .map((a) => parseSigTy(a, new Map(), null, true));
  }
  const use = args ?? written;
  const out: Ty[] = info.params.map((_, i) => use[i] ?? { kind: 'unknown', reason: 'type argument not written' });
  return { kind: 'adt', name, args: out, std: true };
}

// --- traits

/** Context the trait queries may use: the file's ADTs and impls (for `impl Display for X`). */
export interface StdCx {
  adts?: Map<string, AdtDef>;
  impls?: ImplDef[];
}

const MAX_DEPTH = 32;

/** Std traits none of which has `Copy` (or `Clone`) as a supertrait: a parameter bounded only by these is not Copy. */
const NOT_COPY_IMPLYING_TRAITS: ReadonlySet<string> = new Set([
  'Clone',
  'Debug',
  'Display',
  'PartialEq',
  'Eq',
  'PartialOrd',
  'Ord',
  'Hash',
  'Default',
  'Send',
  'Sync',
  'Sized',
  'Unpin',
  'Fn',
  'FnMut',
  'FnOnce',
  'Iterator',
  'IntoIterator',
  'DoubleEndedIterator',
  'ExactSizeIterator',
  'Into',
  'From',
  'AsRef',
  'AsMut',
  'ToString',
  'Borrow',
  'BorrowMut',
  'Error',
  'Write',
  'Read',
  'FromStr',
  'Future',
  'Drop',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Rem',
  'Neg',
  'Not',
  'Deref',
  'DerefMut',
  'Index',
  'IndexMut',
  'Any',
  'Extend',
  'FromIterator',
]);

/**
 * Is `ty` Copy? (Rust reference, "Special types and traits: Copy".) Integers, floats, bool,
 * char, `!`, `&T`, raw pointers and fn pointers are; `&mut T` is not; tuples and arrays when
 * all elements are; `str`/`[T]` are unsized (false); user ADTs when they derive or implement
 * Copy (a derive on a generic type needs every argument Copy; rustc checks the fields itself,
 * E0204); std types per `StdTypeInfo.copy`. Null when unknown (unknown/param/opaque/infer/closure
 * types, ADTs the file does not define).
 */
export function isCopy(ty: Ty, adts: Map<string, AdtDef>): boolean | null {
  return copyOrClone(ty, adts, 'copy', 0);
}

/**
 * Is `ty` Clone? Like `isCopy`, plus: `&mut T` is not Clone, every Copy type is Clone,
 * user ADTs need `#[derive(Clone)]`/`#[derive(Copy)]` or `impl Clone`, std types per table.
 */
export function isClone(ty: Ty, adts: Map<string, AdtDef>): boolean | null {
  return copyOrClone(ty, adts, 'clone', 0);
}

function all(results: (boolean | null)[]): boolean | null {
  if (results.some((r) => r === false)) return false;
  if (results.some((r) => r === null)) return null;
  return true;
}

function copyOrClone(ty: Ty, adts: Map<string, AdtDef>, which: 'copy' | 'clone', depth: number): boolean | null {
  if (depth > MAX_DEPTH) return null;
  const rec = (t: Ty) => copyOrClone(t, adts, which, depth + 1);
  switch (ty.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'never':
    case 'rawptr':
      return true;
    case 'fn':
      return true;
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
      const def = ty.std ? undefined : adts.get(ty.name);
      if (def) {
        const derived = which === 'copy' ? def.derives.includes('Copy') : def.derives.includes('Clone') || def.derives.includes('Copy');
        const manual = which === 'copy' ? def.implsCopy : def.implsClone || def.implsCopy;
        if (derived) return def.generics.length === 0 ? true : all(ty.args.map(rec));
        if (manual) return def.generics.length === 0 ? true : null; // hand-written impl: bounds unknown
        return false;
      }
      const info = STD_BY_NAME.get(ty.name);
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
      return ty.bounds.every((b) => NOT_COPY_IMPLYING_TRAITS.has(b)) ? false : null;
    }
    default:
      return null; // closure, opaque, infer, unknown
  }
}

/**
 * rustc's `needs_drop`: does dropping a `ty` run any code? True for types with a Drop impl
 * (String, Vec, Box, Rc, HashMap, user types with `impl Drop`) and for types that own one;
 * false for Copy-like data, references, `[T; 0]`. Null when unknown.
 */
export function needsDrop(ty: Ty, adts: Map<string, AdtDef>): boolean | null {
  return needsDropRec(ty, adts, 0, new Set(), new Map());
}

function anyTrue(results: (boolean | null)[]): boolean | null {
  if (results.some((r) => r === true)) return true;
  if (results.some((r) => r === null)) return null;
  return false;
}

function needsDropRec(
  ty: Ty,
  adts: Map<string, AdtDef>,
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
      const def = ty.std ? undefined : adts.get(ty.name);
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
      const info = STD_BY_NAME.get(ty.name);
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
function isDefault(ty: Ty, adts: Map<string, AdtDef>, depth = 0): boolean | null {
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
      const def = ty.std ? undefined : adts.get(ty.name);
      if (def)
        return def.derives.includes('Default')
          ? def.generics.length
            ? all(ty.args.map((a) => isDefault(a, adts, depth + 1)))
            : true
          : null;
      switch (ty.name) {
        case 'String':
        case 'Vec':
        case 'VecDeque':
        case 'HashMap':
        case 'HashSet':
        case 'BTreeMap':
        case 'BTreeSet':
        case 'Option':
        case 'Weak':
          return true;
        case 'Box':
        case 'Rc':
        case 'Arc':
        case 'RefCell':
        case 'Cell':
        case 'Mutex':
          return isDefault(arg0(ty.args), adts, depth + 1);
        default:
          return null;
      }
    }
    default:
      return null;
  }
}

/** Does `ty` implement Display (for `to_string`)? Null when unknown. */
function isDisplay(ty: Ty, cx: StdCx, depth = 0): boolean | null {
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
      const def = ty.std ? undefined : cx.adts?.get(ty.name);
      if (def || (!ty.std && !STD_BY_NAME.has(ty.name))) {
        if (!cx.impls) return null;
        return cx.impls.some((i) => i.traitName === 'Display' && i.selfTy.kind === 'adt' && i.selfTy.name === ty.name);
      }
      const info = STD_BY_NAME.get(ty.name);
      if (!info) return null;
      if (info.display === 'always') return true;
      if (info.display === 'if-args') return isDisplay(arg0(ty.args), cx, depth + 1);
      return false;
    }
    default:
      return null;
  }
}

// --- signatures

/** A std method or associated function, with the receiver's type arguments substituted. */
export interface StdMethod {
  /**
   * Canonical path: `String::push_str`, `Vec::push`, `slice::iter`, `str::len`, `Option::unwrap`,
   * `Rc::clone`, `i32::abs`, `Iterator::map`; trait methods on any type are `clone`, `to_string`,
   * `to_owned`.
   */
  path: string;
  /** How the method takes `self`; `value` for associated functions. */
  selfKind: 'value' | 'ref' | 'mut';
  /**
   * Parameter types without `self` for methods; all parameters for associated functions
   * (`Rc::clone` has `[&Rc<T>]`). Method-level generics the engine cannot resolve are
   * `{kind:'param'}` (bound from the arguments by the caller) or `unknown`.
   */
  params: Ty[];
  ret: Ty;
  /**
   * The signature as written, before the receiver's type arguments are substituted: impl and
   * method generics are `{kind:'param'}` (`Self` too), elided lifetimes are references without a
   * `region`. The borrow checker reads which arguments the result borrows from it (`hir/lifetimes.ts`).
   */
  declared?: { params: Ty[]; ret: Ty };
}

/** Result of method lookup through auto-deref and auto-ref. */
export interface StdMethodLookup {
  method: StdMethod;
  /** How many derefs were applied to the receiver expression before (auto)ref. */
  derefs: number;
  /** The borrow taken of the dereferenced receiver to call the method. */
  autoref: 'none' | 'ref' | 'mut';
  /** The method's `Self` type (after derefs): `[i32]` for `v.iter()` on a `Vec<i32>`. */
  selfTy: Ty;
  /** True when the last step was the `[T; N]` → `[T]` unsizing (`arr.iter()`). */
  unsize?: boolean;
}

interface ImplTable {
  /** `Vec<T>`, `str`, `[T]`, `[T; N]`, `int` (every integer type), `float`, `char`, `bool`, `iterator` (an `unknown` type with reason `iterator`). */
  self: string;
  fns: string[];
}

/**
 * The signatures, by self type. `Self` is the receiver type; impl parameters (`T`, `K`, `V`,
 * `E`) are the receiver's type arguments; `?` is unknown; `where T = &U` binds `U` from `T`
 * (the method exists only then); `where T: StrLike` needs `T` = `String` or `&str`.
 */
const IMPLS: ImplTable[] = [
  {
    self: 'String',
    fns: [
      'fn new() -> String',
      'fn with_capacity(capacity: usize) -> String',
      'fn from(value: ?) -> String',
      'fn push_str(&mut self, string: &str)',
      'fn push(&mut self, ch: char)',
      'fn len(&self) -> usize',
      'fn capacity(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn as_str(&self) -> &str',
      'fn as_mut_str(&mut self) -> &mut str',
      'fn as_bytes(&self) -> &[u8]',
      'fn into_bytes(self) -> Vec<u8>',
      'fn into_boxed_str(self) -> Box<str>',
      'fn insert(&mut self, idx: usize, ch: char)',
      'fn insert_str(&mut self, idx: usize, string: &str)',
      'fn pop(&mut self) -> Option<char>',
      'fn remove(&mut self, idx: usize) -> char',
      'fn clear(&mut self)',
      'fn truncate(&mut self, new_len: usize)',
      'fn reserve(&mut self, additional: usize)',
      'fn shrink_to_fit(&mut self)',
      'fn split_off(&mut self, at: usize) -> String',
      'fn retain(&mut self, f: ?)',
      'fn drain(&mut self, range: ?) -> ?iterator',
      'fn extend(&mut self, iter: ?)',
    ],
  },
  {
    self: 'str',
    fns: [
      'fn len(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn to_uppercase(&self) -> String',
      'fn to_lowercase(&self) -> String',
      'fn to_ascii_uppercase(&self) -> String',
      'fn to_ascii_lowercase(&self) -> String',
      'fn repeat(&self, n: usize) -> String',
      'fn replace(&self, from: ?, to: &str) -> String',
      'fn chars(&self) -> ?iterator',
      'fn char_indices(&self) -> ?iterator',
      'fn bytes(&self) -> ?iterator',
      'fn lines(&self) -> ?iterator',
      'fn split(&self, pat: ?) -> ?iterator',
      'fn split_whitespace(&self) -> ?iterator',
      'fn trim(&self) -> &str',
      'fn trim_start(&self) -> &str',
      'fn trim_end(&self) -> &str',
      'fn contains(&self, pat: ?) -> bool',
      'fn starts_with(&self, pat: ?) -> bool',
      'fn ends_with(&self, pat: ?) -> bool',
      'fn find(&self, pat: ?) -> Option<usize>',
      'fn parse(&self) -> ?',
      'fn as_ptr(&self) -> *const u8',
      'fn as_bytes(&self) -> &[u8]',
      'fn split_at(&self, mid: usize) -> (&str, &str)',
      'fn get(&self, i: ?) -> Option<&str>',
      'fn is_char_boundary(&self, index: usize) -> bool',
      'fn eq_ignore_ascii_case(&self, other: &str) -> bool',
    ],
  },
  {
    self: 'Vec<T>',
    fns: [
      'fn new() -> Vec<T>',
      'fn with_capacity(capacity: usize) -> Vec<T>',
      'fn from(value: ?) -> Vec<T>',
      'fn push(&mut self, value: T)',
      'fn pop(&mut self) -> Option<T>',
      'fn len(&self) -> usize',
      'fn capacity(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn insert(&mut self, index: usize, element: T)',
      'fn remove(&mut self, index: usize) -> T',
      'fn swap_remove(&mut self, index: usize) -> T',
      'fn clear(&mut self)',
      'fn truncate(&mut self, len: usize)',
      'fn reserve(&mut self, additional: usize)',
      'fn shrink_to_fit(&mut self)',
      'fn resize(&mut self, new_len: usize, value: T)',
      'fn extend(&mut self, iter: ?)',
      'fn extend_from_slice(&mut self, other: &[T])',
      'fn append(&mut self, other: &mut Vec<T>)',
      'fn split_off(&mut self, at: usize) -> Vec<T>',
      'fn as_slice(&self) -> &[T]',
      'fn as_mut_slice(&mut self) -> &mut [T]',
      'fn as_ptr(&self) -> *const T',
      'fn as_mut_ptr(&mut self) -> *mut T',
      'fn drain(&mut self, range: ?) -> ?iterator',
      'fn retain(&mut self, f: ?)',
      'fn dedup(&mut self)',
      'fn into_iter(self) -> ?iterator',
      'fn into_boxed_slice(self) -> Box<[T]>',
    ],
  },
  {
    self: '[T]',
    fns: [
      'fn len(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn iter(&self) -> ?iterator',
      'fn iter_mut(&mut self) -> ?iterator',
      'fn get(&self, index: usize) -> Option<&T>',
      'fn get_mut(&mut self, index: usize) -> Option<&mut T>',
      'fn first(&self) -> Option<&T>',
      'fn last(&self) -> Option<&T>',
      'fn first_mut(&mut self) -> Option<&mut T>',
      'fn last_mut(&mut self) -> Option<&mut T>',
      'fn contains(&self, x: &T) -> bool',
      'fn starts_with(&self, needle: &[T]) -> bool',
      'fn to_vec(&self) -> Vec<T> where T: Clone',
      'fn sort(&mut self)',
      'fn sort_unstable(&mut self)',
      'fn sort_by(&mut self, compare: ?)',
      'fn sort_by_key(&mut self, f: ?)',
      'fn reverse(&mut self)',
      'fn swap(&mut self, a: usize, b: usize)',
      'fn fill(&mut self, value: T)',
      'fn binary_search(&self, x: &T) -> Result<usize, usize>',
      'fn split_at(&self, mid: usize) -> (&[T], &[T])',
      'fn windows(&self, size: usize) -> ?iterator',
      'fn chunks(&self, size: usize) -> ?iterator',
      'fn as_ptr(&self) -> *const T',
      'fn join(&self, sep: &str) -> String where T: StrLike',
      'fn concat(&self) -> String where T: StrLike',
    ],
  },
  {
    self: '[T; N]',
    fns: ['fn into_iter(self) -> ?iterator', 'fn map(self, f: ?) -> ?'],
  },
  {
    self: 'VecDeque<T>',
    fns: [
      'fn new() -> VecDeque<T>',
      'fn with_capacity(capacity: usize) -> VecDeque<T>',
      'fn push_back(&mut self, value: T)',
      'fn push_front(&mut self, value: T)',
      'fn pop_back(&mut self) -> Option<T>',
      'fn pop_front(&mut self) -> Option<T>',
      'fn front(&self) -> Option<&T>',
      'fn back(&self) -> Option<&T>',
      'fn get(&self, index: usize) -> Option<&T>',
      'fn len(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn clear(&mut self)',
      'fn contains(&self, x: &T) -> bool',
      'fn iter(&self) -> ?iterator',
      'fn iter_mut(&mut self) -> ?iterator',
      'fn into_iter(self) -> ?iterator',
    ],
  },
  {
    self: 'Box<T>',
    fns: ['fn new(x: T) -> Box<T>', 'fn as_ref(&self) -> &T', 'fn as_mut(&mut self) -> &mut T', 'fn leak(b: Box<T>) -> &mut T'],
  },
  {
    self: 'Rc<T>',
    fns: [
      'fn new(value: T) -> Rc<T>',
      'fn clone(&self) -> Rc<T>',
      'fn strong_count(this: &Rc<T>) -> usize',
      'fn weak_count(this: &Rc<T>) -> usize',
      'fn downgrade(this: &Rc<T>) -> Weak<T>',
      'fn ptr_eq(this: &Rc<T>, other: &Rc<T>) -> bool',
      'fn try_unwrap(this: Rc<T>) -> Result<T, Rc<T>>',
      'fn into_inner(this: Rc<T>) -> Option<T>',
      'fn get_mut(this: &mut Rc<T>) -> Option<&mut T>',
      'fn make_mut(this: &mut Rc<T>) -> &mut T',
      'fn as_ref(&self) -> &T',
    ],
  },
  {
    self: 'Arc<T>',
    fns: [
      'fn new(data: T) -> Arc<T>',
      'fn clone(&self) -> Arc<T>',
      'fn strong_count(this: &Arc<T>) -> usize',
      'fn weak_count(this: &Arc<T>) -> usize',
      'fn ptr_eq(this: &Arc<T>, other: &Arc<T>) -> bool',
      'fn try_unwrap(this: Arc<T>) -> Result<T, Arc<T>>',
      'fn into_inner(this: Arc<T>) -> Option<T>',
      'fn get_mut(this: &mut Arc<T>) -> Option<&mut T>',
      'fn make_mut(this: &mut Arc<T>) -> &mut T',
      'fn as_ref(&self) -> &T',
    ],
  },
  {
    self: 'Weak<T>',
    fns: [
      'fn new() -> Weak<T>',
      'fn upgrade(&self) -> Option<Rc<T>>',
      'fn clone(&self) -> Weak<T>',
      'fn strong_count(&self) -> usize',
      'fn weak_count(&self) -> usize',
      'fn ptr_eq(&self, other: &Weak<T>) -> bool',
    ],
  },
  {
    self: 'RefCell<T>',
    fns: [
      'fn new(value: T) -> RefCell<T>',
      'fn borrow(&self) -> Ref<T>',
      'fn borrow_mut(&self) -> RefMut<T>',
      'fn try_borrow(&self) -> Result<Ref<T>, ?>',
      'fn try_borrow_mut(&self) -> Result<RefMut<T>, ?>',
      'fn into_inner(self) -> T',
      'fn replace(&self, t: T) -> T',
      'fn take(&self) -> T',
      'fn get_mut(&mut self) -> &mut T',
      'fn swap(&self, other: &RefCell<T>)',
    ],
  },
  {
    self: 'Cell<T>',
    fns: [
      'fn new(value: T) -> Cell<T>',
      'fn get(&self) -> T',
      'fn set(&self, val: T)',
      'fn replace(&self, val: T) -> T',
      'fn take(&self) -> T',
      'fn into_inner(self) -> T',
      'fn get_mut(&mut self) -> &mut T',
    ],
  },
  {
    self: 'Option<T>',
    fns: [
      'fn unwrap(self) -> T',
      'fn expect(self, msg: &str) -> T',
      'fn unwrap_or(self, default: T) -> T',
      'fn unwrap_or_default(self) -> T where T: Default',
      'fn unwrap_or_else(self, f: ?) -> T',
      'fn is_some(&self) -> bool',
      'fn is_none(&self) -> bool',
      'fn is_some_and(self, f: ?) -> bool',
      'fn as_ref(&self) -> Option<&T>',
      'fn as_mut(&mut self) -> Option<&mut T>',
      'fn take(&mut self) -> Option<T>',
      'fn replace(&mut self, value: T) -> Option<T>',
      'fn insert(&mut self, value: T) -> &mut T',
      'fn get_or_insert(&mut self, value: T) -> &mut T',
      'fn get_or_insert_with(&mut self, f: ?) -> &mut T',
      'fn map(self, f: ?) -> ?',
      'fn and_then(self, f: ?) -> ?',
      'fn filter(self, predicate: ?) -> Option<T>',
      'fn or(self, optb: Option<T>) -> Option<T>',
      'fn or_else(self, f: ?) -> Option<T>',
      'fn ok_or(self, err: E) -> Result<T, E>',
      'fn ok_or_else(self, err: ?) -> ?',
      'fn iter(&self) -> ?iterator',
      'fn cloned(self) -> Option<U> where T = &U, U: Clone',
      'fn copied(self) -> Option<U> where T = &U, U: Copy',
    ],
  },
  {
    self: 'Result<T, E>',
    fns: [
      'fn unwrap(self) -> T',
      'fn expect(self, msg: &str) -> T',
      'fn unwrap_err(self) -> E',
      'fn expect_err(self, msg: &str) -> E',
      'fn unwrap_or(self, default: T) -> T',
      'fn unwrap_or_default(self) -> T where T: Default',
      'fn unwrap_or_else(self, op: ?) -> T',
      'fn is_ok(&self) -> bool',
      'fn is_err(&self) -> bool',
      'fn ok(self) -> Option<T>',
      'fn err(self) -> Option<E>',
      'fn as_ref(&self) -> Result<&T, &E>',
      'fn as_mut(&mut self) -> Result<&mut T, &mut E>',
      'fn map(self, op: ?) -> ?',
      'fn map_err(self, op: ?) -> ?',
      'fn and_then(self, op: ?) -> ?',
      'fn iter(&self) -> ?iterator',
    ],
  },
  {
    self: 'HashMap<K, V>',
    fns: [
      'fn new() -> HashMap<K, V>',
      'fn with_capacity(capacity: usize) -> HashMap<K, V>',
      'fn insert(&mut self, k: K, v: V) -> Option<V>',
      'fn get(&self, k: &?) -> Option<&V>',
      'fn get_mut(&mut self, k: &?) -> Option<&mut V>',
      'fn contains_key(&self, k: &?) -> bool',
      'fn remove(&mut self, k: &?) -> Option<V>',
      'fn entry(&mut self, key: K) -> Entry<K, V>',
      'fn len(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn clear(&mut self)',
      'fn iter(&self) -> ?iterator',
      'fn iter_mut(&mut self) -> ?iterator',
      'fn keys(&self) -> ?iterator',
      'fn values(&self) -> ?iterator',
      'fn values_mut(&mut self) -> ?iterator',
      'fn into_iter(self) -> ?iterator',
      'fn drain(&mut self) -> ?iterator',
      'fn retain(&mut self, f: ?)',
      'fn extend(&mut self, iter: ?)',
    ],
  },
  {
    self: 'BTreeMap<K, V>',
    fns: [
      'fn new() -> BTreeMap<K, V>',
      'fn insert(&mut self, key: K, value: V) -> Option<V>',
      'fn get(&self, key: &?) -> Option<&V>',
      'fn get_mut(&mut self, key: &?) -> Option<&mut V>',
      'fn contains_key(&self, key: &?) -> bool',
      'fn remove(&mut self, key: &?) -> Option<V>',
      'fn entry(&mut self, key: K) -> ?',
      'fn len(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn clear(&mut self)',
      'fn iter(&self) -> ?iterator',
      'fn keys(&self) -> ?iterator',
      'fn values(&self) -> ?iterator',
      'fn into_iter(self) -> ?iterator',
    ],
  },
  {
    self: 'Entry<K, V>',
    fns: [
      'fn or_insert(self, default: V) -> &mut V',
      'fn or_insert_with(self, default: ?) -> &mut V',
      'fn or_default(self) -> &mut V',
      'fn and_modify(self, f: ?) -> Entry<K, V>',
      'fn key(&self) -> &K',
    ],
  },
  {
    self: 'HashSet<T>',
    fns: [
      'fn new() -> HashSet<T>',
      'fn with_capacity(capacity: usize) -> HashSet<T>',
      'fn insert(&mut self, value: T) -> bool',
      'fn contains(&self, value: &?) -> bool',
      'fn remove(&mut self, value: &?) -> bool',
      'fn len(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn clear(&mut self)',
      'fn iter(&self) -> ?iterator',
      'fn into_iter(self) -> ?iterator',
    ],
  },
  {
    self: 'BTreeSet<T>',
    fns: [
      'fn new() -> BTreeSet<T>',
      'fn insert(&mut self, value: T) -> bool',
      'fn contains(&self, value: &?) -> bool',
      'fn remove(&mut self, value: &?) -> bool',
      'fn len(&self) -> usize',
      'fn is_empty(&self) -> bool',
      'fn iter(&self) -> ?iterator',
    ],
  },
  {
    self: 'Mutex<T>',
    fns: ['fn new(t: T) -> Mutex<T>', 'fn lock(&self) -> ?', 'fn into_inner(self) -> ?', 'fn get_mut(&mut self) -> ?'],
  },
  {
    self: 'int',
    fns: [
      'fn abs(self) -> Self where Self: Signed',
      'fn signum(self) -> Self where Self: Signed',
      'fn is_positive(self) -> bool where Self: Signed',
      'fn is_negative(self) -> bool where Self: Signed',
      'fn pow(self, exp: u32) -> Self',
      'fn min(self, other: Self) -> Self',
      'fn max(self, other: Self) -> Self',
      'fn clamp(self, min: Self, max: Self) -> Self',
      'fn checked_add(self, rhs: Self) -> Option<Self>',
      'fn checked_sub(self, rhs: Self) -> Option<Self>',
      'fn checked_mul(self, rhs: Self) -> Option<Self>',
      'fn checked_div(self, rhs: Self) -> Option<Self>',
      'fn wrapping_add(self, rhs: Self) -> Self',
      'fn wrapping_sub(self, rhs: Self) -> Self',
      'fn wrapping_mul(self, rhs: Self) -> Self',
      'fn saturating_add(self, rhs: Self) -> Self',
      'fn saturating_sub(self, rhs: Self) -> Self',
      'fn overflowing_add(self, rhs: Self) -> (Self, bool)',
      'fn rem_euclid(self, rhs: Self) -> Self',
      'fn count_ones(self) -> u32',
      'fn leading_zeros(self) -> u32',
      'fn trailing_zeros(self) -> u32',
      'fn is_power_of_two(self) -> bool where Self: Unsigned',
      'fn cmp(&self, other: &Self) -> Ordering',
      'fn partial_cmp(&self, other: &Self) -> Option<Ordering>',
    ],
  },
  {
    self: 'float',
    fns: [
      'fn abs(self) -> Self',
      'fn sqrt(self) -> Self',
      'fn powi(self, n: i32) -> Self',
      'fn powf(self, n: Self) -> Self',
      'fn floor(self) -> Self',
      'fn ceil(self) -> Self',
      'fn round(self) -> Self',
      'fn trunc(self) -> Self',
      'fn min(self, other: Self) -> Self',
      'fn max(self, other: Self) -> Self',
      'fn sin(self) -> Self',
      'fn cos(self) -> Self',
      'fn is_nan(self) -> bool',
      'fn partial_cmp(&self, other: &Self) -> Option<Ordering>',
    ],
  },
  {
    self: 'char',
    fns: [
      'fn is_alphabetic(self) -> bool',
      'fn is_numeric(self) -> bool',
      'fn is_alphanumeric(self) -> bool',
      'fn is_whitespace(self) -> bool',
      'fn is_uppercase(self) -> bool',
      'fn is_lowercase(self) -> bool',
      'fn is_ascii(&self) -> bool',
      'fn is_ascii_digit(&self) -> bool',
      'fn is_ascii_alphabetic(&self) -> bool',
      'fn is_ascii_punctuation(&self) -> bool',
      'fn is_digit(self, radix: u32) -> bool',
      'fn to_digit(self, radix: u32) -> Option<u32>',
      'fn to_ascii_uppercase(&self) -> char',
      'fn to_ascii_lowercase(&self) -> char',
      'fn to_uppercase(self) -> ?iterator',
      'fn to_lowercase(self) -> ?iterator',
      'fn len_utf8(self) -> usize',
      'fn eq_ignore_ascii_case(&self, other: &char) -> bool',
      'fn cmp(&self, other: &Self) -> Ordering',
    ],
  },
  {
    self: 'bool',
    fns: ['fn then(self, f: ?) -> ?', 'fn then_some(self, t: ?) -> ?'],
  },
  {
    self: 'Ordering',
    fns: [
      'fn is_eq(self) -> bool',
      'fn is_lt(self) -> bool',
      'fn is_gt(self) -> bool',
      'fn reverse(self) -> Ordering',
      'fn then(self, other: Ordering) -> Ordering',
    ],
  },
  {
    self: 'iterator',
    fns: [
      'fn next(&mut self) -> ?',
      'fn map(self, f: ?) -> ?iterator',
      'fn filter(self, predicate: ?) -> ?iterator',
      'fn filter_map(self, f: ?) -> ?iterator',
      'fn enumerate(self) -> ?iterator',
      'fn rev(self) -> ?iterator',
      'fn zip(self, other: ?) -> ?iterator',
      'fn skip(self, n: usize) -> ?iterator',
      'fn take(self, n: usize) -> ?iterator',
      'fn step_by(self, step: usize) -> ?iterator',
      'fn chain(self, other: ?) -> ?iterator',
      'fn cloned(self) -> ?iterator',
      'fn copied(self) -> ?iterator',
      'fn peekable(self) -> ?iterator',
      'fn flat_map(self, f: ?) -> ?iterator',
      'fn take_while(self, predicate: ?) -> ?iterator',
      'fn skip_while(self, predicate: ?) -> ?iterator',
      'fn inspect(self, f: ?) -> ?iterator',
      'fn collect(self) -> ?',
      'fn count(self) -> usize',
      'fn sum(self) -> ?',
      'fn product(self) -> ?',
      'fn max(self) -> ?',
      'fn min(self) -> ?',
      'fn last(self) -> ?',
      'fn nth(&mut self, n: usize) -> ?',
      'fn fold(self, init: ?, f: ?) -> ?',
      'fn for_each(self, f: ?)',
      'fn any(&mut self, f: ?) -> bool',
      'fn all(&mut self, f: ?) -> bool',
      'fn position(&mut self, predicate: ?) -> Option<usize>',
      'fn find(&mut self, predicate: ?) -> ?',
    ],
  },
];

/** Free functions of std modelled as calls: `drop(x)`, `std::mem::swap(&mut a, &mut b)`, ... */
const FREE_FNS: string[] = [
  'fn drop(x: T)',
  'fn swap(x: &mut T, y: &mut T)',
  'fn replace(dest: &mut T, src: T) -> T',
  'fn take(dest: &mut T) -> T',
  'fn size_of() -> usize',
];

/** Enum constructors in the prelude. */
const CTORS: Record<string, string> = {
  Some: 'fn Some(value: T) -> Option<T>',
  Ok: 'fn Ok(value: T) -> Result<T, E>',
  Err: 'fn Err(value: E) -> Result<T, E>',
};

// --- signature parsing

interface ParsedFn {
  name: string;
  selfKind: 'value' | 'ref' | 'mut' | null;
  params: string[];
  ret: string;
  where: string | null;
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<' || c === '(' || c === '[') depth++;
    else if ((c === '>' && s[i - 1] !== '-') || c === ')' || c === ']') depth--;
    if (depth === 0 && s.startsWith(sep, i)) {
      out.push(cur.trim());
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out;
}

function parseFn(sig: string): ParsedFn {
  const m = /^fn\s+(\w+)\s*\((.*?)\)\s*(?:->\s*(.*?))?\s*(?:where\s+(.*))?$/.exec(sig.trim());
  if (!m) throw new Error(`bad std signature: ${sig}`);
  const parts = m[2].trim() === '' ? [] : splitTop(m[2], ',');
  let selfKind: ParsedFn['selfKind'] = null;
  if (parts.length && /^(mut\s+)?self$/.test(parts[0])) selfKind = 'value';
  else if (parts.length && parts[0] === '&self') selfKind = 'ref';
  else if (parts.length && parts[0] === '&mut self') selfKind = 'mut';
  const params = (selfKind ? parts.slice(1) : parts).map((p) => p.slice(p.indexOf(':') + 1).trim());
  return { name: m[1], selfKind, params, ret: (m[3] ?? '()').trim(), where: m[4]?.trim() ?? null };
}

/**
 * Parses a signature type. `map` binds impl parameters and `Self`; other single-capital names are
 * method-level generics (`param`); `?` is unknown.
 */
function parseSigTy(src: string, map: Map<string, Ty>, selfTy: Ty | null, unknownNames = false): Ty {
  const s = src.trim();
  if (s === '?') return { kind: 'unknown', reason: 'not modelled by the std model' };
  if (s === '?iterator') return { kind: 'unknown', reason: 'iterator' };
  if (s === '()') return { kind: 'tuple', elems: [] };
  if (s === 'Self') return selfTy ?? { kind: 'unknown', reason: 'Self' };
  if (s.startsWith('&')) {
    const rest = s.slice(1).trim();
    const mutable = rest.startsWith('mut ');
    return { kind: 'ref', mutable, inner: parseSigTy(mutable ? rest.slice(4) : rest, map, selfTy, unknownNames) };
  }
  if (s.startsWith('*const ') || s.startsWith('*mut ')) {
    const mutable = s.startsWith('*mut ');
    return { kind: 'rawptr', mutable, inner: parseSigTy(s.slice(mutable ? 5 : 7), map, selfTy, unknownNames) };
  }
  if (s.startsWith('(')) {
    const elems = splitTop(s.slice(1, -1), ',').filter((e) => e !== '');
    return { kind: 'tuple', elems: elems.map((e) => parseSigTy(e, map, selfTy, unknownNames)) };
  }
  if (s.startsWith('[')) {
    const parts = splitTop(s.slice(1, -1), ';');
    const elem = parseSigTy(parts[0], map, selfTy, unknownNames);
    if (parts.length === 2) {
      const n = Number(parts[1]);
      return { kind: 'array', elem, len: Number.isSafeInteger(n) ? n : null };
    }
    return { kind: 'slice', elem };
  }
  const lt = s.indexOf('<');
  const name = lastSegment(s);
  const args = lt < 0 ? [] : splitTop(s.slice(lt + 1, s.length - 1), ',').filter((a) => a !== '' && !a.startsWith("'"));
  if (args.length === 0) {
    const bound = map.get(name);
    if (bound) return bound;
    if (INT_NAMES.has(name)) return { kind: 'int', name: name as IntName };
    if (PRIMS[name]) return PRIMS[name];
  }
  if (STD_BY_NAME.has(name)) {
    const info = STD_BY_NAME.get(name)!;
    const tys = args.map((a) => parseSigTy(a, map, selfTy, unknownNames));
    return {
      kind: 'adt',
      name,
      args: info.params.map((_, i) => tys[i] ?? { kind: 'unknown', reason: 'type argument not written' }),
      std: true,
    };
  }
  if (unknownNames) return { kind: 'unknown', reason: `\`${s}\` is not a std type the engine models` };
  return { kind: 'param', name };
}

const PARSED = new Map<string, ParsedFn[]>();
function parsedImpl(impl: ImplTable): ParsedFn[] {
  let p = PARSED.get(impl.self);
  if (!p) {
    p = impl.fns.map(parseFn);
    PARSED.set(impl.self, p);
  }
  return p;
}

const IMPL_BY_SELF = new Map<string, ImplTable>();
for (const impl of IMPLS) IMPL_BY_SELF.set(/^(\w+|\[T\]|\[T; N\])/.exec(impl.self)![1], impl);

/** The impl table and the parameter bindings for a (non-reference) self type. */
function implFor(ty: Ty, cx: StdCx): { impl: ImplTable; map: Map<string, Ty>; pathPrefix: string } | undefined {
  const map = new Map<string, Ty>();
  switch (ty.kind) {
    case 'adt': {
      if (!ty.std && cx.adts?.has(ty.name)) return undefined; // a user type shadowing a std name
      const impl = IMPL_BY_SELF.get(ty.name);
      if (!impl) return undefined;
      const names =
        /<(.*)>/
          .exec(impl.self)?.[1]
          .split(',')
          .map((x) => x.trim()) ?? [];
      names.forEach((n, i) => map.set(n, ty.args[i] ?? { kind: 'unknown', reason: 'missing type argument' }));
      return { impl, map, pathPrefix: ty.name };
    }
    case 'str':
      return { impl: IMPL_BY_SELF.get('str')!, map, pathPrefix: 'str' };
    case 'slice':
      map.set('T', ty.elem);
      return { impl: IMPL_BY_SELF.get('[T]')!, map, pathPrefix: 'slice' };
    case 'array':
      map.set('T', ty.elem);
      return { impl: IMPL_BY_SELF.get('[T; N]')!, map, pathPrefix: 'array' };
    case 'int':
      return { impl: IMPL_BY_SELF.get('int')!, map, pathPrefix: ty.name };
    case 'float':
      return { impl: IMPL_BY_SELF.get('float')!, map, pathPrefix: ty.name };
    case 'char':
      return { impl: IMPL_BY_SELF.get('char')!, map, pathPrefix: 'char' };
    case 'bool':
      return { impl: IMPL_BY_SELF.get('bool')!, map, pathPrefix: 'bool' };
    case 'unknown':
      return ty.reason === 'iterator' ? { impl: IMPL_BY_SELF.get('iterator')!, map, pathPrefix: 'Iterator' } : undefined;
    default:
      return undefined;
  }
}

const isStrLike = (t: Ty): boolean =>
  (t.kind === 'adt' && t.name === 'String' && t.std !== false) || (t.kind === 'ref' && t.inner.kind === 'str');

/**
 * Applies a `where` clause (comma-separated predicates, in order: `T = &U` binds `U`); returns
 * false when the method does not exist for these arguments, null when unknown.
 */
function applyWhere(where: string | null, map: Map<string, Ty>, selfTy: Ty, cx: StdCx): boolean | null {
  if (!where) return true;
  let result: boolean | null = true;
  for (const pred of where.split(',')) {
    const r = applyPredicate(pred.trim(), map, selfTy, cx);
    if (r === false) return false;
    if (r === null) result = null;
  }
  return result;
}

function applyPredicate(where: string, map: Map<string, Ty>, selfTy: Ty, cx: StdCx): boolean | null {
  let m = /^(\w+)\s*=\s*&(\w+)$/.exec(where);
  if (m) {
    const t = map.get(m[1]);
    if (!t || t.kind === 'unknown' || t.kind === 'infer' || t.kind === 'param') return null;
    if (t.kind !== 'ref' || t.mutable) return false;
    map.set(m[2], t.inner);
    return true;
  }
  m = /^(\w+)\s*:\s*(\w+)$/.exec(where);
  if (!m) return null;
  const t = m[1] === 'Self' ? selfTy : map.get(m[1]);
  if (!t) return null;
  switch (m[2]) {
    case 'StrLike':
      return t.kind === 'unknown' || t.kind === 'infer' ? null : isStrLike(t);
    case 'Signed':
      return t.kind === 'int' && t.name.startsWith('i');
    case 'Unsigned':
      return t.kind === 'int' && t.name.startsWith('u');
    case 'Clone':
      return isClone(t, cx.adts ?? new Map());
    case 'Copy':
      return isCopy(t, cx.adts ?? new Map());
    case 'Default':
      return isDefault(t, cx.adts ?? new Map());
    default:
      return null;
  }
}

function instantiate(p: ParsedFn, map: Map<string, Ty>, selfTy: Ty, path: string, asAssoc: boolean): StdMethod {
  const params = p.params.map((s) => parseSigTy(s, map, selfTy));
  if (asAssoc && p.selfKind) {
    const selfParam: Ty = p.selfKind === 'value' ? selfTy : { kind: 'ref', mutable: p.selfKind === 'mut', inner: selfTy };
    params.unshift(selfParam);
  }
  return {
    path,
    selfKind: asAssoc ? 'value' : (p.selfKind ?? 'value'),
    params,
    ret: parseSigTy(p.ret, map, selfTy),
    declared: declaredOf(p, asAssoc),
  };
}

const SELF_PARAM: Ty = { kind: 'param', name: 'Self' };
const DECLARED = new WeakMap<ParsedFn, { params: Ty[]; ret: Ty }>();

/** The written signature of `p` with generics left as parameters (see `StdMethod.declared`). */
function declaredOf(p: ParsedFn, asAssoc: boolean): { params: Ty[]; ret: Ty } {
  let d = DECLARED.get(p);
  if (!d) {
    d = { params: p.params.map((s) => parseSigTy(s, new Map(), SELF_PARAM)), ret: parseSigTy(p.ret, new Map(), SELF_PARAM) };
    DECLARED.set(p, d);
  }
  if (asAssoc && p.selfKind) {
    const selfParam: Ty = p.selfKind === 'value' ? SELF_PARAM : { kind: 'ref', mutable: p.selfKind === 'mut', inner: SELF_PARAM };
    return { params: [selfParam, ...d.params], ret: d.ret };
  }
  return d;
}

/** Trait methods available on (almost) any type: Clone, ToString (via Display), ToOwned. */
function traitMethod(selfTy: Ty, name: string, cx: StdCx): StdMethod | null | undefined {
  const adts = cx.adts ?? new Map<string, AdtDef>();
  switch (name) {
    case 'clone': {
      const c = isClone(selfTy, adts);
      if (c === null) return null;
      return c ? { path: 'clone', selfKind: 'ref', params: [], ret: selfTy } : undefined;
    }
    case 'to_owned': {
      // ToOwned: `str` → String, `[T]` → Vec<T> (T: Clone), any other Clone type → itself.
      if (selfTy.kind === 'str')
        return { path: 'to_owned', selfKind: 'ref', params: [], ret: { kind: 'adt', name: 'String', args: [], std: true } };
      if (selfTy.kind === 'slice') {
        const e = isClone(selfTy.elem, adts);
        if (e === null) return null;
        return e
          ? { path: 'to_owned', selfKind: 'ref', params: [], ret: { kind: 'adt', name: 'Vec', args: [selfTy.elem], std: true } }
          : undefined;
      }
      const c = isClone(selfTy, adts);
      if (c === null) return null;
      return c ? { path: 'to_owned', selfKind: 'ref', params: [], ret: selfTy } : undefined;
    }
    case 'to_string': {
      const d = isDisplay(selfTy, cx);
      if (d === null) return null;
      return d ? { path: 'to_string', selfKind: 'ref', params: [], ret: { kind: 'adt', name: 'String', args: [], std: true } } : undefined;
    }
    case 'into_iter': {
      // `IntoIterator for &Vec<T>`, `&[T]`, `&[T; N]`, `&HashMap<K, V>`, ... (and `&mut`): iterates
      // by reference, the collection is not moved.
      if (selfTy.kind !== 'ref') return undefined;
      const inner = selfTy.inner;
      const iterable =
        inner.kind === 'slice' ||
        inner.kind === 'array' ||
        (inner.kind === 'adt' &&
          ['Vec', 'VecDeque', 'HashMap', 'HashSet', 'BTreeMap', 'BTreeSet', 'Option', 'Result'].includes(inner.name) &&
          (inner.std || !adts.has(inner.name)));
      return iterable ? { path: 'into_iter', selfKind: 'value', params: [], ret: { kind: 'unknown', reason: 'iterator' } } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The method `name` defined with `Self` = `selfTy` (no auto-deref). Undefined when there is none;
 * null when the engine cannot tell (unknown types, unknown trait impls).
 */
function methodOn(selfTy: Ty, name: string, cx: StdCx): StdMethod | null | undefined {
  const found = implFor(selfTy, cx);
  if (found) {
    const p = parsedImpl(found.impl).find((f) => f.name === name && f.selfKind !== null);
    if (p) {
      const map = new Map(found.map);
      const ok = applyWhere(p.where, map, selfTy, cx);
      if (ok === null) return null;
      if (ok) return instantiate(p, map, selfTy, `${found.pathPrefix}::${name}`, false);
    }
  }
  if (
    selfTy.kind === 'unknown' ||
    selfTy.kind === 'infer' ||
    selfTy.kind === 'param' ||
    selfTy.kind === 'opaque' ||
    selfTy.kind === 'closure'
  )
    return null;
  if (selfTy.kind === 'adt' && !STD_BY_NAME.has(selfTy.name) && !cx.adts?.has(selfTy.name)) return null;
  return traitMethod(selfTy, name, cx);
}

/**
 * What `*t` is for built-in and std derefs: `&T`/`&mut T`/`*const T` → `T`, and the std
 * `Deref` targets of the table (`Box<T>`/`Rc<T>`/`Arc<T>` → `T`, `String` → `str`,
 * `Vec<T>` → `[T]`). Undefined for anything else (user `Deref` impls are not modelled).
 */
export function derefTy(ty: Ty): Ty | undefined {
  if (ty.kind === 'rawptr') return ty.inner;
  return derefOnce(ty);
}

function derefOnce(ty: Ty): Ty | undefined {
  if (ty.kind === 'ref') return ty.inner;
  if (ty.kind === 'adt' && ty.std !== false) {
    const info = STD_BY_NAME.get(ty.name);
    if (info?.derefTarget) return info.derefTarget(ty.args);
  }
  return undefined;
}

/** Bound on the auto-deref chain (rustc's recursion limit is far larger; real chains are short). */
const MAX_AUTODEREF = 16;

/**
 * Method lookup on a std receiver the way rustc does it (Rust reference, "Method call
 * expressions"): for each type in the deref chain of `recv` (then `[T; N]` unsized to `[T]`),
 * try a method taking `self` of that type by value, then by `&`, then by `&mut`.
 * `derefs`/`autoref` tell the caller how to adjust the receiver expression.
 * Undefined when no std method is found or the engine cannot tell (unknown types on the way):
 * the caller then stays silent. `cx.adts` lets `clone()` see `#[derive(Clone)]` on user types.
 */
export function stdMethodLookup(recv: Ty, name: string, cx: StdCx = {}): StdMethodLookup | undefined {
  let ty: Ty | undefined = recv;
  let derefs = 0;
  let unsize = false;
  for (let step = 0; step < MAX_AUTODEREF && ty; step++) {
    // 1. By value. For `ty` = `&X` / `&mut X` that includes X's `&self` / `&mut self` methods.
    if (ty.kind === 'ref') {
      const inner = methodOn(ty.inner, name, cx);
      if (inner === null) return undefined;
      if (inner && ((inner.selfKind === 'ref' && !ty.mutable) || (inner.selfKind === 'mut' && ty.mutable)))
        return done(inner, derefs, 'none', ty.inner, unsize);
    }
    const m = methodOn(ty, name, cx);
    if (m === null) return undefined;
    // `self` by value matches here; `&self` / `&mut self` on `ty` are steps 2 and 3 (autoref).
    if (m) return done(m, derefs, m.selfKind === 'value' ? 'none' : m.selfKind, ty, unsize);
    const next = derefOnce(ty);
    if (next) {
      ty = next;
      derefs++;
    } else if (ty.kind === 'array' && !unsize) {
      ty = { kind: 'slice', elem: ty.elem };
      unsize = true;
    } else {
      ty = undefined;
    }
  }
  return undefined;
}

function done(method: StdMethod, derefs: number, autoref: 'none' | 'ref' | 'mut', selfTy: Ty, unsize: boolean): StdMethodLookup {
  return unsize ? { method, derefs, autoref, selfTy, unsize } : { method, derefs, autoref, selfTy };
}

/** `stdMethodLookup(recv, name, cx)?.method`. */
export function stdMethod(recv: Ty, name: string, cx: StdCx = {}): StdMethod | undefined {
  return stdMethodLookup(recv, name, cx)?.method;
}

/**
 * An associated function called by path: `String::from`, `Vec::new`, `Rc::clone(&a)`,
 * `Rc::strong_count(&a)`, `Box::new`, `HashMap::new`, also methods called as functions
 * (`Vec::push(&mut v, 1)`: `self` becomes the first parameter), the prelude constructors
 * (`Some`, `Ok`, `Err`, with `typeName` `''`, `Option` or `Result`) and a few free functions
 * (`drop`, `mem::swap`, `mem::replace`, `mem::take` with `typeName` `''` or `mem`).
 * `typeArgs` bind the type's parameters in order (`Vec::<i32>::new`); parameters not given stay
 * `{kind:'param', name:'T'}` for the caller to bind from the arguments (see `substitute`).
 * `selfKind` is always `value`.
 */
export function stdAssocFn(typeName: string, fnName: string, typeArgs: Ty[] = []): StdMethod | undefined {
  const tn = typeName === '' ? '' : lastSegment(typeName);
  if (CTORS[fnName] && (tn === '' || tn === 'Option' || tn === 'Result')) {
    const p = parseFn(CTORS[fnName]);
    const info = STD_BY_NAME.get(fnName === 'Some' ? 'Option' : 'Result')!;
    const map = new Map<string, Ty>();
    info.params.forEach((n, i) => typeArgs[i] && map.set(n, typeArgs[i]));
    return instantiate(p, map, { kind: 'unknown' }, fnName, true);
  }
  if (tn === '' || tn === 'mem') {
    const p = FREE_FNS.map(parseFn).find((f) => f.name === fnName);
    if (!p || (tn === '' && fnName !== 'drop')) return undefined;
    const map = new Map<string, Ty>();
    if (typeArgs[0]) map.set('T', typeArgs[0]);
    return instantiate(p, map, { kind: 'unknown' }, tn === 'mem' ? `mem::${fnName}` : fnName, true);
  }
  let selfTy: Ty | undefined;
  if (INT_NAMES.has(tn) || PRIMS[tn]) selfTy = stdPathType(tn);
  else {
    const info = STD_BY_NAME.get(tn);
    if (!info) return undefined;
    selfTy = {
      kind: 'adt',
      name: tn,
      args: info.params.map((n, i) => typeArgs[i] ?? { kind: 'param', name: n }),
      std: true,
    };
  }
  if (!selfTy) return undefined;
  const found = implFor(selfTy, {});
  if (!found) return undefined;
  const p = parsedImpl(found.impl).find((f) => f.name === fnName);
  if (!p) return undefined;
  const map = new Map(found.map);
  if (applyWhere(p.where, map, selfTy, {}) === false) return undefined;
  return instantiate(p, map, selfTy, `${found.pathPrefix}::${fnName}`, true);
}

/**
 * Every modelled method and associated function, by self type as written in the table
 * (`Vec<T>`, `str`, `[T]`, `int`, `iterator`): for completion lists and for the rustc
 * cross-check in `test/std.test.ts`. `hasSelf` is false for associated functions (`Vec::new`).
 */
export function stdMethodTable(): { self: string; name: string; hasSelf: boolean }[] {
  return IMPLS.flatMap((impl) => parsedImpl(impl).map((p) => ({ self: impl.self, name: p.name, hasSelf: p.selfKind !== null })));
}

/**
 * The type of a std constant or unit value used as an expression: `None` (`Option<T>`, T a
 * parameter to infer), `i32::MAX` / `u8::MIN` / `usize::BITS`, `f64::consts::PI`,
 * `std::f64::consts::E`, `f64::EPSILON`. Undefined when not modelled.
 */
export function stdConstType(path: string): Ty | undefined {
  const segs = path
    .split('::')
    .map((x) => x.trim())
    .filter((x) => x !== '' && x !== 'std' && x !== 'core');
  if (segs.length === 1 && segs[0] === 'None') return { kind: 'adt', name: 'Option', args: [{ kind: 'param', name: 'T' }], std: true };
  if (segs.length === 2 && INT_NAMES.has(segs[0])) {
    if (segs[1] === 'MAX' || segs[1] === 'MIN') return { kind: 'int', name: segs[0] as IntName };
    if (segs[1] === 'BITS') return { kind: 'int', name: 'u32' };
  }
  if ((segs[0] === 'f64' || segs[0] === 'f32') && (segs[1] === 'consts' || ['MAX', 'MIN', 'EPSILON', 'INFINITY', 'NAN'].includes(segs[1])))
    return { kind: 'float', name: segs[0] };
  return undefined;
}
