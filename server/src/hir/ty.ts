/**
 * Types as the engine knows them: a small mirror of rustc's `TyKind`.
 *
 * `unknown` is a first-class type: every analysis must treat it as "could be anything" and stay
 * silent (no diagnostic) rather than guess. Std containers (String, Vec, Box, Rc, ...) are `adt`
 * with `std: true`; their facts, signatures and simulations live in the std registry (`std/`),
 * their layout in `layout/`.
 */

export type IntName = 'i8' | 'i16' | 'i32' | 'i64' | 'i128' | 'isize' | 'u8' | 'u16' | 'u32' | 'u64' | 'u128' | 'usize';
export type FloatName = 'f32' | 'f64';

export type Ty =
  | { kind: 'int'; name: IntName }
  | { kind: 'float'; name: FloatName }
  | { kind: 'bool' }
  | { kind: 'char' }
  /** The unsized string slice `str` (only behind a pointer). */
  | { kind: 'str' }
  /** `!`, the type of `panic!()`, `return`, `loop {}` without break. */
  | { kind: 'never' }
  /**
   * `&T` / `&mut T`. `region`: the lifetime as written (`'a`, `'static`, `'_`), absent when
   * elided; the borrow checker reads it to relate a function's result to its arguments.
   */
  | { kind: 'ref'; mutable: boolean; inner: Ty; region?: string }
  /** `*const T` / `*mut T`. */
  | { kind: 'rawptr'; mutable: boolean; inner: Ty }
  /** `(A, B)`; the unit type `()` is the empty tuple. */
  | { kind: 'tuple'; elems: Ty[] }
  /** `[T; N]`; `len` null when N is not a literal the engine can read. */
  | { kind: 'array'; elem: Ty; len: number | null }
  /** The unsized slice `[T]`. */
  | { kind: 'slice'; elem: Ty }
  /**
   * A struct, enum or union, user-defined (looked up by `name` in the file's `AdtDef`s) or from
   * std (`std: true`: String, Vec, Box, Rc, Arc, RefCell, Cell, Option, Result, HashMap, ...).
   */
  | { kind: 'adt'; name: string; args: Ty[]; std?: boolean; regions?: string[] }
  /**
   * A function item or pointer: `fn(i32) -> i32`. With `bound`, the closure a std method's
   * parameter takes (`impl FnMut(&T) -> bool` in the std model): what it receives and returns.
   */
  | { kind: 'fn'; params: Ty[]; ret: Ty; name?: string; bound?: 'Fn' | 'FnMut' | 'FnOnce' }
  /**
   * A closure; `id` is the closure expression's HIR id. `output`: what a call returns, as type
   * inference found it (`FnOnce::Output`: the item of `Map<I, F>`), absent before inference.
   */
  | { kind: 'closure'; id: number; moveCapture: boolean; output?: Ty }
  /**
   * A generic parameter `T` (inside a generic fn/impl, never instantiated). `localTraits`: the
   * bounds that are traits of the file whose supertraits are all in `bounds` too (so a bound
   * `T: A` with `trait A {}` says `T` is not Copy).
   */
  | { kind: 'param'; name: string; bounds?: string[]; localTraits?: string[] }
  /** `dyn Trait` / `impl Trait`: the engine does not see through it. */
  | {
      kind: 'opaque';
      text: string;
      dyn: boolean;
      /** `dyn Fn(i32) -> i32` / `impl FnMut(&str)`: what a call of it takes and returns. */
      call?: { params: Ty[]; ret: Ty };
    }
  /** An inference variable; only exists during `hir/infer.ts`, never after. */
  | { kind: 'infer'; id: number; integral?: boolean; floating?: boolean }
  /** Not known. `reason` says why, for hovers ("call to unknown function `foo`"). */
  | { kind: 'unknown'; reason?: string };

// --- constructors

export const UNIT: Ty = { kind: 'tuple', elems: [] };
export const BOOL: Ty = { kind: 'bool' };
export const CHAR: Ty = { kind: 'char' };
export const STR: Ty = { kind: 'str' };
export const NEVER: Ty = { kind: 'never' };
export const I32: Ty = { kind: 'int', name: 'i32' };
export const USIZE: Ty = { kind: 'int', name: 'usize' };
export const F64: Ty = { kind: 'float', name: 'f64' };
export const unknown = (reason?: string): Ty => ({ kind: 'unknown', reason });
export const ref = (inner: Ty, mutable = false): Ty => ({ kind: 'ref', mutable, inner });
export const std = (name: string, ...args: Ty[]): Ty => ({ kind: 'adt', name, args, std: true });
export const STRING: Ty = std('String');
export const STR_REF: Ty = ref(STR);

export const INT_NAMES: readonly IntName[] = ['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize'];
export const FLOAT_NAMES: readonly FloatName[] = ['f32', 'f64'];

/** True for types the engine knows nothing about (unknown, or containing unknown at top level). */
export function isUnknown(t: Ty): boolean {
  return t.kind === 'unknown' || t.kind === 'infer' || t.kind === 'opaque' || t.kind === 'param';
}

/**
 * True when `t` mentions `unknown` or an inference variable anywhere; a type nested more than 64
 * levels deep counts as unknown (it is not looked into: see `someTyPart`).
 */
export function containsUnknown(t: Ty): boolean {
  return someTyPart(t, (x) => x.kind === 'unknown' || x.kind === 'infer', 64);
}

/**
 * Whether `pred` holds for `t` or for a type inside it: a reference's or raw pointer's pointee,
 * tuple elements, array and slice elements, ADT arguments (not a fn's parameters). Parts deeper
 * than `maxDepth` levels count as matching: callers ask about what makes a type vague, and a type
 * that deep is not looked into.
 */
export function someTyPart(t: Ty, pred: (t: Ty) => boolean, maxDepth: number, depth = 0): boolean {
  if (depth > maxDepth) return true;
  if (pred(t)) return true;
  const rec = (x: Ty): boolean => someTyPart(x, pred, maxDepth, depth + 1);
  switch (t.kind) {
    case 'ref':
    case 'rawptr':
      return rec(t.inner);
    case 'tuple':
      return t.elems.some(rec);
    case 'array':
    case 'slice':
      return rec(t.elem);
    case 'adt':
      return t.args.some(rec);
    default:
      return false;
  }
}

/** Structural equality (inference variables compare by id). */
export function tyEquals(a: Ty, b: Ty): boolean {
  return displayTy(a) === displayTy(b);
}

/** Parts of a type `displayTy` prints before it writes `…` for the rest. */
export const DISPLAY_TY_PARTS = 200;

/**
 * A type as Rust writes it (`Vec<(u8, &str)>`). Bounded: past `DISPLAY_TY_PARTS` parts the rest
 * is `…` (`(((u8, u8), (u8, u8)), …)`), so a type that doubles at each call prints in linear time.
 */
export function displayTy(t: Ty): string {
  return displayTyIn(t, { left: DISPLAY_TY_PARTS });
}

function displayTyIn(t: Ty, b: { left: number }): string {
  if (b.left-- <= 0) return '…';
  const go = (x: Ty): string => displayTyIn(x, b);
  const list = (ts: readonly Ty[]): string => {
    const parts: string[] = [];
    for (const x of ts) {
      if (b.left <= 0) {
        parts.push('…');
        break;
      }
      parts.push(go(x));
    }
    return parts.join(', ');
  };
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.name;
    case 'bool':
      return 'bool';
    case 'char':
      return 'char';
    case 'str':
      return 'str';
    case 'never':
      return '!';
    case 'ref': {
      // `&(dyn Debug + 'static)`: a bounded trait object or opaque type behind a reference needs parentheses.
      const inner = go(t.inner);
      return `&${t.mutable ? 'mut ' : ''}${t.inner.kind === 'opaque' && / \+ /.test(inner) ? `(${inner})` : inner}`;
    }
    case 'rawptr':
      return `*${t.mutable ? 'mut' : 'const'} ${go(t.inner)}`;
    case 'tuple':
      return t.elems.length === 1 ? `(${go(t.elems[0])},)` : `(${list(t.elems)})`;
    case 'array':
      return `[${go(t.elem)}; ${t.len ?? '_'}]`;
    case 'slice':
      return `[${go(t.elem)}]`;
    case 'adt':
      return t.args.length ? `${t.name}<${list(t.args)}>` : t.name;
    case 'fn': {
      // rustc writes no `-> ()` (`fn(&u32)`, `impl FnMut(u32)`).
      const ret = t.ret.kind === 'tuple' && t.ret.elems.length === 0 ? '' : ` -> ${go(t.ret)}`;
      return t.name ? `fn ${t.name}` : t.bound ? `impl ${t.bound}(${list(t.params)})${ret}` : `fn(${list(t.params)})${ret}`;
    }
    case 'closure':
      return 'closure';
    case 'param':
      return t.name;
    case 'opaque':
      return t.text;
    case 'infer':
      return t.integral ? '{integer}' : t.floating ? '{float}' : '_';
    case 'unknown':
      return '?';
  }
}

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
