/**
 * The file's own overloaded place operators: `impl Deref` / `DerefMut` and `impl Index` /
 * `IndexMut` for a type of the file. rustc (rustc_hir_typeck `place_op.rs`, `autoderef.rs`)
 * lowers `*x` and each auto-deref through such an impl to `*Deref::deref(&x)`, and `a[i]` to
 * `*Index::index(&a, i)`; when the place is then used mutably (assigned, `&mut`-borrowed, a
 * `&mut self` receiver) they become `*DerefMut::deref_mut(&mut x)` / `*IndexMut::index_mut(&mut a,
 * i)` (`convert_place_derefs_to_mutable`), and rustc reports E0596 when that impl is missing.
 * This module answers which impl, which fns and what the result points to; the MIR builder emits
 * the calls (`mir/placeOps.ts`). Std types' operators live in the std registry (`std/facts.ts`).
 *
 * Only impls whose self type is the type or a generic pattern of it (`impl<T> Deref for P<T>`)
 * are matched; a blanket impl (`impl<T> Deref for T`), a file trait named like the std trait, or
 * several `Index` impls the index type cannot choose between is "cannot tell" (null).
 */
import type { FileHir, FnDef, ImplDef } from './hir';
import { substitute, tyEquals, type Ty } from './ty';
import type { DerefStep } from '../std/facts';

/** One overloaded place operator found for a type. */
export interface UserPlaceOp {
  /** `deref` / `index`: the fn of the file's `Deref` / `Index` impl. */
  fn: FnDef;
  /** `deref_mut` / `index_mut` of the file's `DerefMut` / `IndexMut` impl for the type; absent when the file has none. */
  mutFn?: FnDef;
  /** What the result reference points to (`Deref::Target`, `Index::Output`), the impl's generics substituted. */
  target: Ty;
}

type Items = Pick<FileHir, 'impls' | 'traits'>;

/** The std traits of the overloaded place operators, as `ImplDef.traitName` names them. */
export const PLACE_OP_TRAITS: ReadonlySet<string> = new Set(['Deref', 'DerefMut', 'Index', 'IndexMut']);

/**
 * The binary operators a type of the file can overload, with their std trait and its method
 * (`std::ops`; the Rust reference, "Arithmetic and Logical Binary Operators": `a + b` is
 * `Add::add(a, b)` for a non-primitive `a`). Compound assignment (`+=`, `AddAssign`) is not here.
 */
export const BINARY_OP_TRAITS: Readonly<Record<string, { trait: string; method: string }>> = {
  '+': { trait: 'Add', method: 'add' },
  '-': { trait: 'Sub', method: 'sub' },
  '*': { trait: 'Mul', method: 'mul' },
  '/': { trait: 'Div', method: 'div' },
  '%': { trait: 'Rem', method: 'rem' },
  '&': { trait: 'BitAnd', method: 'bitand' },
  '|': { trait: 'BitOr', method: 'bitor' },
  '^': { trait: 'BitXor', method: 'bitxor' },
  '<<': { trait: 'Shl', method: 'shl' },
  '>>': { trait: 'Shr', method: 'shr' },
};

/**
 * Every std trait whose impls the engine calls where no method name is written (place and binary
 * operators): `syntax/lower.ts` records such an impl's whole text, so an edit of it (its `Output`)
 * analyses again the bodies that use it.
 */
export const OPERATOR_TRAITS: ReadonlySet<string> = new Set([...PLACE_OP_TRAITS, ...Object.values(BINARY_OP_TRAITS).map((b) => b.trait)]);

/**
 * `*x` for `x: ty` through the file's `impl Deref for Ty` (its `DerefMut` as `mutFn`). Undefined:
 * the file has no such impl (for a type of the file: no deref at all); null: cannot tell.
 */
export function userDeref(ty: Ty, file: Items): UserPlaceOp | null | undefined {
  if (ty.kind !== 'adt' || ty.std) return undefined;
  if (file.traits.has('Deref') || file.traits.has('DerefMut')) return null;
  const found = implFor(ty, 'Deref', 'deref', file.impls);
  if (!found) return found;
  const target = found.impl.assocTys?.Target ?? pointee(found.fn.ret);
  if (!target) return null;
  const mut = implFor(ty, 'DerefMut', 'deref_mut', file.impls);
  if (mut === null) return null;
  return { fn: found.fn, ...(mut ? { mutFn: mut.fn } : {}), target: substitute(target, found.subst) };
}

/** `userDeref` as an autoderef step (`builtin: false`: a call; `mutable`: a `DerefMut` impl exists). */
export function userDerefStep(ty: Ty, file: Items): DerefStep | undefined {
  const op = userDeref(ty, file);
  return op ? { target: op.target, builtin: false, mutable: op.mutFn !== undefined } : undefined;
}

/**
 * `a[i]` for `a: ty`, `i: idx` through the file's `impl Index<Idx> for Ty` (its `IndexMut` for
 * the same `Idx` as `mutFn`). With one `Index` impl for the type, that one (rustc would reject
 * another index type); with several, the one whose `Idx` is `idx`. Undefined: no such impl; null:
 * cannot tell.
 */
export function userIndex(ty: Ty, idx: Ty, file: Items): UserPlaceOp | null | undefined {
  if (ty.kind !== 'adt' || ty.std) return undefined;
  if (file.traits.has('Index') || file.traits.has('IndexMut')) return null;
  const all = implsFor(ty, 'Index', 'index', file.impls);
  if (all === null) return null;
  if (all.length === 0) return undefined;
  const hit = all.length === 1 ? all[0] : pickByIndex(all, idx);
  if (!hit) return null;
  const idxTy = hit.fn.params[0]?.ty;
  const target = hit.impl.assocTys?.Output ?? pointee(hit.fn.ret);
  if (!target || !idxTy) return null;
  const muts = implsFor(ty, 'IndexMut', 'index_mut', file.impls);
  if (muts === null) return null;
  const mut = muts.find((m) => m.fn.params[0] && tyEquals(m.fn.params[0].ty, idxTy));
  if (!mut && muts.length > 0 && all.length > 1) return null;
  const mutFn = mut?.fn ?? (muts.length === 1 && all.length === 1 ? muts[0].fn : undefined);
  return { fn: hit.fn, ...(mutFn ? { mutFn } : {}), target: substitute(target, hit.subst) };
}

/**
 * The type of `lhs OP rhs` when `lhs` is a type of the file with an impl of the operator's trait
 * (`impl Add for V2 { type Output = V2; .. }`, `impl Mul<i32> for V2`): the impl's `Output` (else
 * its method's return type), its generics substituted. Several impls are chosen between by the
 * right-hand side's type as `Index` impls are (`pickByIndex`). Undefined: not a type of the file,
 * no such impl, or the engine cannot tell which (the file defines a trait of that name, a blanket
 * impl, several candidates).
 */
export function userBinaryOp(lhs: Ty, op: string, rhs: Ty, file: Items): Ty | undefined {
  const which = BINARY_OP_TRAITS[op];
  if (!which || lhs.kind !== 'adt' || lhs.std || file.traits.has(which.trait)) return undefined;
  const all = implsFor(lhs, which.trait, which.method, file.impls);
  if (!all?.length) return undefined;
  const hit = all.length === 1 ? all[0] : pickByIndex(all, rhs);
  if (!hit) return undefined;
  const out = hit.impl.assocTys?.Output ?? hit.fn.ret;
  return substitute(out, hit.subst);
}

/**
 * The file's fn a path call of an operator trait's method names (`Deref::deref(&x)`,
 * `Index::index(&v, i)`, `DerefMut::deref_mut`, `IndexMut::index_mut`; `path` as lowered, its
 * last two segments count) for a first argument of type `&ty` (`&mut ty`); `idx`: the second
 * argument's type. Undefined when it is not one, or the impl is not the file's.
 */
export function userPlaceOpFn(path: string, ty: Ty, idx: Ty | undefined, file: Items): FnDef | undefined {
  const which = PLACE_OP_FNS[path.split('::').slice(-2).join('::')];
  if (!which || ty.kind !== 'ref') return undefined;
  const op = which.index ? (idx ? userIndex(ty.inner, idx, file) : undefined) : userDeref(ty.inner, file);
  return (which.mut ? op?.mutFn : op?.fn) ?? undefined;
}

const PLACE_OP_FNS: Record<string, { index: boolean; mut: boolean } | undefined> = {
  'Deref::deref': { index: false, mut: false },
  'DerefMut::deref_mut': { index: false, mut: true },
  'Index::index': { index: true, mut: false },
  'IndexMut::index_mut': { index: true, mut: true },
};

type ImplHit = { impl: ImplDef; fn: FnDef; subst: Map<string, Ty> };

/** The one impl of `trait` for `ty` with its fn `method`; undefined: none; null: several or a blanket one. */
function implFor(ty: Ty, trait: string, method: string, impls: readonly ImplDef[]): ImplHit | null | undefined {
  const all = implsFor(ty, trait, method, impls);
  if (all === null || all.length > 1) return null;
  return all[0];
}

/** The impls of the operator traits (`OPERATOR_TRAITS`) by `trait + ' ' + self ADT name` (others under `trait`), per `impls` array. */
const opImpls = new WeakMap<readonly ImplDef[], { count: number; by: Map<string, ImplDef[]> }>();

const NONE: readonly ImplDef[] = [];

/** The impls of `trait` whose self type may be `ty` (an ADT of that name, or not an ADT), in file order. */
function candidates(ty: Ty & { kind: 'adt' }, trait: string, impls: readonly ImplDef[]): readonly ImplDef[] {
  let ix = opImpls.get(impls);
  if (!ix || ix.count !== impls.length) {
    const by = new Map<string, ImplDef[]>();
    for (const impl of impls) {
      if (!impl.traitName || !OPERATOR_TRAITS.has(impl.traitName)) continue;
      const key = impl.selfTy.kind === 'adt' ? `${impl.traitName} ${impl.selfTy.name}` : impl.traitName;
      const list = by.get(key);
      if (list) list.push(impl);
      else by.set(key, [impl]);
    }
    ix = { count: impls.length, by };
    opImpls.set(impls, ix);
  }
  const own = ix.by.get(`${trait} ${ty.name}`) ?? NONE;
  const other = ix.by.get(trait) ?? NONE;
  return other.length ? [...own, ...other] : own;
}

function implsFor(ty: Ty, trait: string, method: string, impls: readonly ImplDef[]): ImplHit[] | null {
  const out: ImplHit[] = [];
  if (ty.kind !== 'adt') return out;
  for (const impl of candidates(ty, trait, impls)) {
    const subst = new Map<string, Ty>();
    const r = matchSelf(impl.selfTy, ty, impl.generics, subst);
    if (r === null) return null;
    if (!r) continue;
    const fn = impl.methods.find((f) => f.name === method && f.selfKind !== null);
    if (!fn) return null;
    out.push({ impl, fn, subst });
  }
  return out;
}

/**
 * Among several `Index` impls, the one whose `Idx` is `idx` (among several `Add` impls, the one
 * whose `Rhs` is, `userBinaryOp`: the method's first parameter either way), else undefined. An integer literal
 * not yet typed (`{integer}`) picks the one impl taking an integer type, a range (`a..b`, typed
 * unknown `range`) the one taking a std `Range*`, as rustc's inference would.
 */
function pickByIndex(all: ImplHit[], idx: Ty): ImplHit | undefined {
  const idxOf = (h: ImplHit): Ty | undefined => h.fn.params[0]?.ty;
  let hits: ImplHit[];
  if (idx.kind === 'infer' && idx.integral) hits = all.filter((h) => idxOf(h)?.kind === 'int');
  else if (idx.kind === 'unknown' && idx.reason === 'range') {
    hits = all.filter((h) => {
      const p = idxOf(h);
      return p?.kind === 'adt' && p.std === true && p.name.startsWith('Range');
    });
  } else if (idx.kind === 'unknown' || idx.kind === 'infer' || idx.kind === 'param') return undefined;
  else
    hits = all.filter((h) => {
      const p = idxOf(h);
      return p !== undefined && matchSelf(p, idx, h.impl.generics, new Map(), 1) === true;
    });
  return hits.length === 1 ? hits[0] : undefined;
}

/** `T` of a `&T` / `&mut T` return type. */
function pointee(ret: Ty): Ty | undefined {
  return ret.kind === 'ref' && ret.inner.kind !== 'unknown' ? ret.inner : undefined;
}

/**
 * Binds an impl's self type pattern against a type: `Point` ~ `Point`, `Wrapper<T>` ~
 * `Wrapper<i32>` (T := i32), `&Foo` ~ `&Foo`, `Vec<T>` ~ `Vec<String>`, `i32` ~ `i32`. Undefined
 * when they differ; null when the pattern is a bare generic parameter (a blanket impl: `userMethodsOn` decides).
 */
export function matchSelf(pattern: Ty, ty: Ty, generics: readonly string[], out: Map<string, Ty>, depth = 0): boolean | null {
  if (depth > 16) return null;
  if (pattern.kind === 'param' && generics.includes(pattern.name)) {
    if (depth === 0) return null;
    const prev = out.get(pattern.name);
    if (!prev) out.set(pattern.name, ty);
    return true;
  }
  if (pattern.kind !== ty.kind) return false;
  switch (pattern.kind) {
    case 'adt': {
      const t = ty as typeof pattern;
      if (pattern.name !== t.name || (pattern.std === true) !== (t.std === true)) return false;
      for (let i = 0; i < pattern.args.length; i++) {
        const r = t.args[i] ? matchSelf(pattern.args[i], t.args[i], generics, out, depth + 1) : true;
        if (r !== true) return r;
      }
      return true;
    }
    case 'ref': {
      const t = ty as typeof pattern;
      return pattern.mutable === t.mutable ? matchSelf(pattern.inner, t.inner, generics, out, depth + 1) : false;
    }
    case 'int':
    case 'float':
      return pattern.name === (ty as typeof pattern).name;
    case 'slice':
    case 'array':
      return matchSelf(pattern.elem, (ty as typeof pattern).elem, generics, out, depth + 1);
    case 'tuple': {
      const t = ty as typeof pattern;
      if (pattern.elems.length !== t.elems.length) return false;
      for (let i = 0; i < pattern.elems.length; i++) {
        const r = matchSelf(pattern.elems[i], t.elems[i], generics, out, depth + 1);
        if (r !== true) return r;
      }
      return true;
    }
    default:
      return true; // bool, char, str, never
  }
}
