/**
 * Std signatures instantiated for a receiver: the methods whose `Self` is a given type (no
 * auto-deref: that is `hir/method.ts`, the one method resolution for user and std receivers),
 * associated functions called by path (`Vec::new`, `Rc::clone(&a)`, `mem::swap`), std constants
 * and std type paths. Each result is a `StdMethod`: the registry id, the instantiated parameter
 * and result types, and the lifetime relations that hold for this receiver.
 */
import type { Ty } from '../hir/ty';
import { derefStep, envOf, isClone, isCopy, isDefault, isDisplay, isIterator, isPartialEq, project, sigTy, type StdCx } from './facts';
import {
  implParamsOf,
  INT_NAMES,
  primTy,
  stdFn,
  stdFnOf,
  stdNameOf,
  stdType,
  stdTypeOf,
  toTy,
  STD_FNS,
  STD_FN_MODULES,
  type StdFnDef,
  type StdFnId,
  type TyEnv,
} from './registry';
import type { SigBorrow, SigStore, SigWhere } from './sig';
import type { ReturnBorrow } from './types';

export type { StdCx } from './facts';

/** A std method or associated function, instantiated for a receiver type. */
export interface StdMethod {
  /** The registry id (`Vec::push`, `slice::iter`, `int::abs`, `Clone::clone`): what the simulation is keyed by. */
  id: StdFnId;
  /**
   * Display path, as messages print it: `String::push_str`, `slice::iter`, `i32::abs` (the
   * receiver's own integer type), `Iterator::map`; the blanket trait methods are bare (`clone`,
   * `to_string`, `to_owned`, `into_iter`).
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
   * The closure trait each parameter's closure must implement, where the signature says it
   * (`impl FnMut(&T) -> bool` in the registry, `sig.ts`): the borrow checker gives the closure
   * that kind (a move out of a capture is then E0507). Indices as in `params`; absent when none.
   */
  closureKinds?: ('Fn' | 'FnMut' | 'FnOnce' | undefined)[];
  /**
   * The type parameter a closure parameter's type is (`F` of `map<B, F: FnMut(Self::Item) -> B>(self,
   * f: F) -> Map<Self, F>`): the argument's own type binds it (a closure, a fn item). Indices as in `params`.
   */
  closureNames?: (string | undefined)[];
  /** The method's own type parameters (`F` of `parse<F>`), which a turbofish binds in order; they appear as `{kind:'param'}` in `params` / `ret`. */
  generics?: string[];
  /** `B: FromIterator<Self::Item>` (`collect`): the type parameter built from the items and the item type, for inference to bind `B`'s element (`StdTypeDef.fromIter`). */
  fromIter?: { param: string; item: Ty };
  /**
   * Parameters whose type is bounded by `'static` (`thread::spawn`'s `F: .. + 'static`, `SigFn.staticParams`):
   * the argument must hold no borrow of the caller's locals. Indices as in `params`.
   */
  staticArgs?: number[];
  /** What the result borrows, for this receiver (`ReturnBorrow` in `types.ts`; indices as in `params`). */
  returnBorrows: ReturnBorrow[];
  /**
   * Arguments whose borrows the call may store behind a `&mut` argument (`v.push(&x)` stores the
   * loan of `x` in `v`; `sig.ts` `SigStore`); indices as in `returnBorrows`.
   */
  storedBorrows: SigStore[];
}

const UNKNOWN_SELF = new Set(['unknown', 'infer', 'param', 'opaque', 'closure']);

/** Does a value of `ty` hold a borrow? Null when unknown. `mutable`: one of them is `&mut`. */
export function holdsBorrow(ty: Ty, depth = 0): { holds: boolean; mutable: boolean } | null {
  if (depth > 16) return null;
  switch (ty.kind) {
    case 'ref': {
      const inner = holdsBorrow(ty.inner, depth + 1);
      return { holds: true, mutable: ty.mutable || inner?.mutable === true };
    }
    case 'tuple':
    case 'array':
    case 'slice':
    case 'adt': {
      const parts = ty.kind === 'tuple' ? ty.elems : ty.kind === 'adt' ? ty.args : [ty.elem];
      let holds = false;
      let mutable = false;
      if (ty.kind === 'adt') {
        const def = stdTypeOf(ty);
        if ((def?.lifetimes?.length ?? 0) > 0 || (ty.regions?.length ?? 0) > 0) {
          holds = true;
          mutable = def?.mutBorrow === true;
        }
      }
      for (const p of parts) {
        // `Box<dyn Error>`: a trait object's default lifetime in a `Box` is `'static` (Rust
        // reference, "Default trait object lifetime bounds"), unless one is written.
        if (ty.kind === 'adt' && ty.std && ['Box', 'Rc', 'Arc'].includes(ty.name) && p.kind === 'opaque' && p.dyn && !p.text.includes("'"))
          continue;
        const r = holdsBorrow(p, depth + 1);
        if (r === null) return null;
        holds ||= r.holds;
        mutable ||= r.mutable;
      }
      return { holds, mutable };
    }
    case 'unknown':
    case 'infer':
    case 'param':
    case 'opaque':
    case 'closure':
      return null;
    default:
      return { holds: false, mutable: false };
  }
}

/** Keeps the relations that hold for this instantiation (see `SigBorrow.through`). */
/** `selfFirst`: called by path, `self` is argument 0 and the other indices shift by one. */
function instantiateBorrows(bs: readonly SigBorrow[], map: ReadonlyMap<string, Ty>, selfTy: Ty, selfFirst: boolean): ReturnBorrow[] {
  const out: ReturnBorrow[] = [];
  for (const b of bs) {
    let mutable = b.mutable;
    if (b.through) {
      const t = b.through === 'Self' ? selfTy : map.get(b.through);
      // Dropped only when the parameter surely holds no borrow; unknown keeps the relation.
      const h = t ? holdsBorrow(t) : null;
      if (h && !h.holds) continue;
      mutable = h?.mutable ?? false;
    }
    const shift = (x: 'self' | number): 'self' | number => (selfFirst ? (x === 'self' ? 0 : x + 1) : x);
    const from = shift(b.from);
    const closure = b.closure ? { ...b.closure, arg: shift(b.closure.arg) as number } : undefined;
    const i = out.findIndex(
      (x) =>
        x.from === from &&
        x.kind === b.kind &&
        !!x.built === !!b.built &&
        !!x.items === !!b.items &&
        x.closure?.arg === closure?.arg &&
        x.closure?.via === closure?.via,
    );
    if (i >= 0) out[i] = { ...out[i], mutable: out[i].mutable || mutable };
    else
      out.push({
        from,
        mutable,
        kind: b.kind,
        ...(b.built ? { built: true as const } : {}),
        ...(b.items ? { items: true as const } : {}),
        ...(closure ? { closure } : {}),
      });
  }
  return out;
}

/** A store relation of a method called by path, where `self` is argument 0. */
function shiftStore(s: SigStore): SigStore {
  const shift = (i: 'self' | number): number => (i === 'self' ? 0 : i + 1);
  return { from: shift(s.from), into: shift(s.into), via: s.via };
}

/** Applies `where` predicates in order (`T = &U` binds `U`); false: the method does not exist here; null: unknown. */
function applyWhere(where: readonly SigWhere[], map: Map<string, Ty>, selfTy: Ty, cx: StdCx): boolean | null {
  let result: boolean | null = true;
  for (const w of where) {
    const r = applyPredicate(w, map, selfTy, cx);
    if (r === false) return false;
    if (r === null) result = null;
  }
  return result;
}

const isStrLike = (t: Ty): boolean =>
  (t.kind === 'adt' && t.name === 'String' && t.std !== false) || (t.kind === 'ref' && t.inner.kind === 'str');

function applyPredicate(w: SigWhere, map: Map<string, Ty>, selfTy: Ty, cx: StdCx): boolean | null {
  const t = w.param === 'Self' ? selfTy : map.get(w.param);
  if (w.k === 'eq-ref') {
    if (!t || UNKNOWN_SELF.has(t.kind)) return null;
    if (t.kind !== 'ref' || t.mutable) return false;
    map.set(w.bind, t.inner);
    return true;
  }
  if (!t) return null;
  const adts = cx.adts ?? new Map();
  switch (w.bound) {
    case 'StrLike':
      return t.kind === 'unknown' || t.kind === 'infer' ? null : isStrLike(t);
    // `transpose` exists on `Option<Result<T, E>>` and `Result<Option<T>, E>` only.
    case 'IsResult':
    case 'IsOption':
      if (UNKNOWN_SELF.has(t.kind)) return null;
      return t.kind === 'adt' && t.std === true && stdNameOf(t.name) === (w.bound === 'IsResult' ? 'Result' : 'Option');
    case 'Signed':
      return t.kind === 'int' && t.name.startsWith('i');
    case 'Unsigned':
      return t.kind === 'int' && t.name.startsWith('u');
    case 'Clone':
      return isClone(t, adts);
    case 'Copy':
      return isCopy(t, adts);
    case 'Default':
      return isDefault(t, adts);
    case 'Deref':
    case 'DerefMut': {
      if (UNKNOWN_SELF.has(t.kind)) return null;
      const step = derefStep(t);
      return step !== undefined && (w.bound === 'Deref' || step.mutable);
    }
    default:
      return null;
  }
}

/**
 * Instantiates a registry fn for `selfTy` with impl parameters `map`. `asAssoc`: called by path,
 * `self` becomes the first parameter. `path` is the display path.
 */
export function instantiate(d: StdFnDef, map: ReadonlyMap<string, Ty>, selfTy: Ty, path: string, asAssoc: boolean): StdMethod {
  const sig = d.sig!;
  const env: TyEnv = { map, self: selfTy, project };
  const params = sig.params.map((p) => toTy(p, env));
  if (asAssoc && sig.self)
    params.unshift(sig.self.kind === 'value' ? selfTy : { kind: 'ref', mutable: sig.self.kind === 'mut', inner: selfTy });
  const closureKinds = sig.params.map((p) => (p.k === 'closure' ? p.trait : undefined));
  const closureNames = sig.params.map((p) => (p.k === 'closure' ? p.name : undefined));
  if (asAssoc && sig.self) {
    closureKinds.unshift(undefined);
    closureNames.unshift(undefined);
  }
  const staticArgs: number[] = [];
  sig.params.forEach((p, i) => {
    const name = p.k === 'closure' ? p.name : p.k === 'path' && p.args.length === 0 ? p.name : undefined;
    if (name && sig.staticParams?.includes(name)) staticArgs.push(asAssoc && sig.self ? i + 1 : i);
  });
  return {
    id: d.id,
    path,
    selfKind: asAssoc ? 'value' : (sig.self?.kind ?? 'value'),
    params,
    ret: toTy(sig.ret, env),
    ...(sig.generics.length ? { generics: [...sig.generics] } : {}),
    ...(closureKinds.some((k) => k) ? { closureKinds } : {}),
    ...(closureNames.some((k) => k) ? { closureNames } : {}),
    ...(sig.fromIter ? { fromIter: { param: sig.fromIter.param, item: toTy(sig.fromIter.item, env) } } : {}),
    ...(staticArgs.length ? { staticArgs } : {}),
    returnBorrows: instantiateBorrows(d.borrows, map, selfTy, asAssoc && sig.self !== null),
    storedBorrows: asAssoc && sig.self !== null ? d.stores.map(shiftStore) : d.stores,
  };
}

/** The impl tables whose `Self` is `ty` (not through references): `{ owner, map, prefix }`, inherent ones first. */
function implsFor(ty: Ty, cx: StdCx): { owner: string; map: Map<string, Ty>; prefix: string; trait: boolean }[] {
  const out: { owner: string; map: Map<string, Ty>; prefix: string; trait: boolean }[] = [];
  switch (ty.kind) {
    case 'adt': {
      if (!ty.std && cx.adts?.has(ty.name)) {
        // A user type with its own `impl Iterator` has the trait's provided methods (`take`, `map`, `sum`...).
        if (cx.impls?.some((i) => i.traitName === 'Iterator' && i.selfTy.kind === 'adt' && i.selfTy.name === ty.name))
          out.push({ owner: 'Iterator', map: new Map(), prefix: 'Iterator', trait: true });
        return out;
      }
      const def = stdTypeOf(ty);
      if (!def) return out;
      const params = implParamsOf(def.name);
      if (params) {
        const map = new Map(params.map((p, i) => [p, ty.args[i] ?? ({ kind: 'unknown', reason: 'missing type argument' } as Ty)]));
        out.push({ owner: def.name, map, prefix: def.name, trait: false });
      }
      if (def.iterator) out.push({ owner: 'Iterator', map: new Map(), prefix: 'Iterator', trait: true });
      return out;
    }
    case 'str':
      return [{ owner: 'str', map: new Map(), prefix: 'str', trait: false }];
    case 'slice':
      return [{ owner: 'slice', map: new Map([['T', ty.elem]]), prefix: 'slice', trait: false }];
    case 'array':
      return [{ owner: 'array', map: new Map([['T', ty.elem]]), prefix: 'array', trait: false }];
    case 'int':
      return [{ owner: 'int', map: new Map(), prefix: ty.name, trait: false }];
    case 'float':
      return [{ owner: 'float', map: new Map(), prefix: ty.name, trait: false }];
    case 'char':
      return [{ owner: 'char', map: new Map(), prefix: 'char', trait: false }];
    case 'bool':
      return [{ owner: 'bool', map: new Map(), prefix: 'bool', trait: false }];
    default:
      return out;
  }
}

/** Std methods named `name` whose `Self` is `selfTy`, split into inherent and trait ones. */
export interface StdCandidates {
  inherent: StdMethod[];
  traits: StdMethod[];
}

/**
 * The std methods named `name` defined with `Self` = `selfTy` (no auto-deref, no auto-ref):
 * its inherent impl's, then the trait methods (Iterator for iterator types; the blanket
 * Clone / ToOwned / ToString / PartialEq / Into / IntoIterator-for-references). Null when the
 * engine cannot tell (unknown types on the way, unknown trait impls).
 */
export function stdMethodsOn(selfTy: Ty, name: string, cx: StdCx): StdCandidates | null {
  const out: StdCandidates = { inherent: [], traits: [] };
  for (const im of implsFor(selfTy, cx)) {
    const d = stdFnOf(im.owner, name);
    if (!d?.sig?.self) continue;
    const map = new Map(im.map);
    const ok = applyWhere(d.sig.where, map, selfTy, cx);
    if (ok === null) return null;
    if (ok) (im.trait ? out.traits : out.inherent).push(instantiate(d, map, selfTy, `${im.prefix}::${name}`, false));
  }
  if (UNKNOWN_SELF.has(selfTy.kind)) return null;
  if (selfTy.kind === 'adt' && !stdTypeOf(selfTy) && !cx.adts?.has(selfTy.name)) return null;
  const b = blanket(selfTy, name, cx);
  if (b === null) return out.inherent.length ? out : null;
  if (b) out.traits.push(b);
  return out;
}

const STRING_TY: Ty = { kind: 'adt', name: 'String', args: [], std: true };

/** The blanket trait methods of `any.ts` for `selfTy`. Undefined: not there; null: cannot tell. */
function blanket(selfTy: Ty, name: string, cx: StdCx): StdMethod | null | undefined {
  const adts = cx.adts ?? new Map();
  const mk = (owner: string, ret: Ty, borrows?: ReturnBorrow[]): StdMethod | undefined => {
    const d = stdFnOf(owner, name);
    if (!d) return undefined;
    const m = instantiate(d, new Map(), selfTy, name, false);
    return { ...m, ret, ...(borrows ? { returnBorrows: borrows } : {}) };
  };
  const yesNo = (r: boolean | null, owner: string, ret: Ty): StdMethod | null | undefined =>
    r === null ? null : r ? mk(owner, ret) : undefined;
  switch (name) {
    case 'clone':
      return yesNo(isClone(selfTy, adts), 'Clone', selfTy);
    case 'to_owned': {
      // ToOwned: `str` → String, `[T]` → Vec<T> (T: Clone), any other Clone type → itself.
      if (selfTy.kind === 'str') return mk('ToOwned', STRING_TY);
      if (selfTy.kind === 'slice')
        return yesNo(isClone(selfTy.elem, adts), 'ToOwned', { kind: 'adt', name: 'Vec', args: [selfTy.elem], std: true });
      return yesNo(isClone(selfTy, adts), 'ToOwned', selfTy);
    }
    case 'to_string':
      return yesNo(isDisplay(selfTy, cx), 'ToString', STRING_TY);
    case 'eq':
    case 'ne':
      return yesNo(isPartialEq(selfTy, cx), 'PartialEq', { kind: 'bool' });
    case 'into': {
      if (selfTy.kind === 'adt' && !stdTypeOf(selfTy)) return null; // user From/Into impls are not modelled
      // `Into<T>::into(self) -> T`: T is an inference variable the context binds (a field, an
      // argument, an annotated `let`); left unbound it is unknown.
      const d = stdFnOf('Into', name);
      return d ? instantiate(d, new Map(), selfTy, name, false) : undefined;
    }
    case 'into_iter': {
      // `IntoIterator for &C` / `&mut C` (C a std collection, a slice or an array) is `C::iter` /
      // `C::iter_mut`; an iterator is its own IntoIterator.
      if (isIterator(selfTy)) {
        const h = holdsBorrow(selfTy);
        return mk('IntoIterator', selfTy, h?.holds ? [{ from: 'self', mutable: h.mutable, kind: 'carried' }] : []);
      }
      if (selfTy.kind !== 'ref') return undefined;
      const inner = selfTy.inner;
      const iterable =
        inner.kind === 'slice' ||
        inner.kind === 'array' ||
        (inner.kind === 'adt' && !cx.adts?.has(inner.name) && stdTypeOf(inner)?.intoIter !== undefined);
      if (!iterable) return undefined;
      const viaIter = stdMethodsOn(
        inner.kind === 'array' ? { kind: 'slice', elem: inner.elem } : inner,
        selfTy.mutable ? 'iter_mut' : 'iter',
        cx,
      );
      const ret = viaIter?.inherent[0]?.ret ?? { kind: 'unknown', reason: 'iterator' };
      return mk('IntoIterator', ret, [{ from: 'self', mutable: selfTy.mutable, kind: 'carried' }]);
    }
    default:
      return undefined;
  }
}

/** Every registry method and associated function by impl self (as written) and name; `hasSelf` false for associated functions. */
export function stdMethodTable(): { self: string; name: string; hasSelf: boolean; id: StdFnId }[] {
  return STD_FNS.filter((d) => d.impl && d.sig).map((d) => ({ self: d.impl!.self, name: d.name, hasSelf: d.sig!.self !== null, id: d.id }));
}

/**
 * An associated function called by path: `String::from`, `Vec::new`, `Rc::clone(&a)`,
 * `Rc::strong_count(&a)`, `Box::new`, `HashMap::new`, also methods called as functions
 * (`Vec::push(&mut v, 1)`: `self` becomes the first parameter), the prelude constructors
 * (`Some`, `Ok`, `Err`, with `typeName` `''`, `Option` or `Result`) and `std::mem`'s functions
 * (`drop`, `mem::swap`, `mem::replace`, `mem::take` with `typeName` `''` or `mem`).
 * `typeArgs` bind the type's parameters in order (`Vec::<i32>::new`); parameters not given (or undefined) stay
 * `{kind:'param', name:'T'}` for the caller to bind from the arguments. `selfKind` is always `value`.
 */
export function stdAssocFn(typeName: string, fnName: string, typeArgs: readonly (Ty | undefined)[] = []): StdMethod | undefined {
  const tn = typeName === '' ? '' : stdNameOf(typeName);
  if ((fnName === 'Some' || fnName === 'Ok' || fnName === 'Err') && (tn === '' || tn === 'Option' || tn === 'Result')) {
    const d = stdFnOf('prelude', fnName)!;
    const def = stdType(fnName === 'Some' ? 'Option' : 'Result')!;
    const map = new Map<string, Ty>();
    def.params.forEach((n, i) => typeArgs[i] && map.set(n, typeArgs[i]));
    return instantiate(d, map, { kind: 'unknown' }, fnName, true);
  }
  if (tn === '' || STD_FN_MODULES.has(tn)) {
    if (tn === '' && fnName !== 'drop') return undefined;
    const d = stdFnOf(tn || 'mem', fnName);
    if (!d) return undefined;
    const map = new Map<string, Ty>();
    if (typeArgs[0]) map.set('T', typeArgs[0]);
    return instantiate(d, map, { kind: 'unknown' }, tn ? `${tn}::${fnName}` : fnName, true);
  }
  let selfTy: Ty | undefined = primTy(tn);
  if (!selfTy) {
    const def = stdType(tn);
    if (!def || def.internal) return undefined;
    selfTy = { kind: 'adt', name: def.name, args: def.params.map((n, i) => typeArgs[i] ?? { kind: 'param', name: n }), std: true };
  }
  const im = implsFor(selfTy, {}).find((x) => !x.trait);
  const d = im ? stdFnOf(im.owner, fnName) : undefined;
  if (!im || !d?.sig) return undefined;
  const map = new Map(im.map);
  if (applyWhere(d.sig.where, map, selfTy, {}) === false) return undefined;
  return instantiate(d, map, selfTy, `${im.prefix}::${fnName}`, true);
}

/**
 * The lifetime relations of the std method `id` instantiated for the receiver type `selfTy` as
 * it is once inference is done (references peeled), closure-decided relations included
 * (`ReturnBorrow.closure`): a relation through a type parameter still unknown when the call was
 * resolved (`Result<&str, E>` with `E` not yet inferred) is judged on the final type.
 */
export function stdMethodBorrowsFor(id: string, selfTy: Ty): ReturnBorrow[] | undefined {
  const d = stdFn(id);
  if (!d?.sig) return undefined;
  let self = selfTy;
  while (self.kind === 'ref') self = self.inner;
  const im = implsFor(self, {}).find((x) => x.owner === d.owner);
  if (!im) return undefined;
  return instantiate(d, im.map, self, d.id, false).returnBorrows;
}

/**
 * The lifetime relations of a std call by id, for a MIR call terminator (`Callee.std`):
 * instantiated for the receiver type `selfTy` when given. Empty for builtins and unknown ids.
 */
export function stdCallBorrows(id: string, selfTy?: Ty): ReturnBorrow[] {
  const d = stdFn(id);
  if (!d?.sig) return [];
  if (!selfTy) return d.borrows.filter((b) => !b.through && !b.closure).map(({ from, mutable, kind }) => ({ from, mutable, kind }));
  let self = selfTy;
  while (self.kind === 'ref') self = self.inner;
  const im = implsFor(self, {}).find((x) => x.owner === d.owner);
  // A relation a closure decides holds only once resolved from the closure (`ReturnBorrow.closure`).
  return instantiate(d, im?.map ?? new Map(), self, d.id, false).returnBorrows.filter((b) => !b.closure);
}

/**
 * The type named by a std path written as a type: `String`, `Vec<i32>`, `std::collections::HashMap`,
 * `std::rc::Rc<RefCell<Node>>`, `i32`, `str`. Prefixes (`std::`, `alloc::`, `core::` and module
 * paths) are stripped. Written type arguments are parsed (unknown names become `unknown`); when
 * `args` is given it wins; missing arguments are `unknown` ("type argument not written"), for the
 * inference to fill. Undefined when the name is not a std type the engine models.
 */
export function stdPathType(path: string, args?: Ty[]): Ty | undefined {
  const name = stdNameOf(path);
  const prim = primTy(name);
  if (prim) return prim;
  const def = stdType(name);
  if (!def || def.internal) return undefined;
  let written: Ty[] = [];
  const lt = path.indexOf('<');
  if (lt >= 0 && path.trimEnd().endsWith('>')) {
    try {
      const inner = sigTy(`X${path.slice(lt).trim()}`);
      if (inner.k === 'path') written = inner.args.map((a) => toTy(a, { map: new Map(), unknownNames: true }));
    } catch {
      /* arguments not parseable: left for the inference */
    }
  }
  const use = args ?? written;
  return {
    kind: 'adt',
    name: def.name,
    args: def.params.map((_, i) => use[i] ?? { kind: 'unknown', reason: 'type argument not written' }),
    std: true,
  };
}

/** A constant's path without its crate (`std::f64::consts::PI` → `f64`, `consts`, `PI`). */
const constPathSegs = (path: string): string[] =>
  path
    .split('::')
    .map((x) => x.trim())
    .filter((x) => x !== '' && x !== 'std' && x !== 'core');

/**
 * The type of a std constant or unit value used as an expression: `None` (`Option<T>`, T a
 * parameter to infer), `i32::MAX` / `u8::MIN` / `usize::BITS`, `f64::consts::PI`,
 * `std::f64::consts::E`, `f64::EPSILON`. Undefined when not modelled.
 */
export function stdConstType(path: string): Ty | undefined {
  const segs = constPathSegs(path);
  if (segs.length === 1 && segs[0] === 'None') return { kind: 'adt', name: 'Option', args: [{ kind: 'param', name: 'T' }], std: true };
  if (segs.length === 2 && INT_NAMES.has(segs[0])) {
    if (segs[1] === 'MAX' || segs[1] === 'MIN') return primTy(segs[0]);
    if (segs[1] === 'BITS') return { kind: 'int', name: 'u32' };
  }
  if (
    (segs[0] === 'f64' || segs[0] === 'f32') &&
    (segs[1] === 'consts' || ['MAX', 'MIN', 'EPSILON', 'INFINITY', 'NEG_INFINITY', 'NAN', 'MIN_POSITIVE'].includes(segs[1]))
  )
    return { kind: 'float', name: segs[0] };
  return undefined;
}

/** A std constant's value, as the simulation needs it (see `stdConstValue`). */
export type StdConstValue = { kind: 'int'; value: bigint; ty: string } | { kind: 'float'; value: number; ty: 'f32' | 'f64' };

const FLOAT_CONSTS: Record<string, number> = {
  PI: Math.PI,
  E: Math.E,
  TAU: 2 * Math.PI,
  SQRT_2: Math.SQRT2,
  FRAC_1_SQRT_2: Math.SQRT1_2,
  LN_2: Math.LN2,
  LN_10: Math.LN10,
  LOG2_E: Math.LOG2E,
  LOG10_E: Math.LOG10E,
  FRAC_PI_2: Math.PI / 2,
  FRAC_PI_3: Math.PI / 3,
  FRAC_PI_4: Math.PI / 4,
  FRAC_PI_6: Math.PI / 6,
  FRAC_PI_8: Math.PI / 8,
  FRAC_1_PI: 1 / Math.PI,
  FRAC_2_PI: 2 / Math.PI,
  INFINITY: Infinity,
  NEG_INFINITY: -Infinity,
  NAN: NaN,
};

/**
 * The value of a std numeric constant (`i32::MAX`, `u8::MIN`, `u64::BITS`, `f64::EPSILON`,
 * `f32::MAX`, `std::f64::consts::PI`), as core defines it (core/src/num/*.rs; an f32 constant is
 * the nearest binary32). Undefined when not modelled.
 */
export function stdConstValue(path: string): StdConstValue | undefined {
  const segs = constPathSegs(path);
  if (segs.length === 2 && INT_NAMES.has(segs[0])) {
    const t = segs[0];
    const bits = BigInt(t === 'isize' || t === 'usize' ? 64 : Number(t.slice(1)));
    const signed = t.startsWith('i');
    if (segs[1] === 'MAX') return { kind: 'int', value: signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n, ty: t };
    if (segs[1] === 'MIN') return { kind: 'int', value: signed ? -(1n << (bits - 1n)) : 0n, ty: t };
    if (segs[1] === 'BITS') return { kind: 'int', value: bits, ty: 'u32' };
    return undefined;
  }
  if (segs[0] !== 'f64' && segs[0] !== 'f32') return undefined;
  const ty = segs[0];
  const name = segs[segs.length - 1];
  const f32 = ty === 'f32';
  let value: number | undefined;
  if (segs.length === 3 && segs[1] === 'consts') value = FLOAT_CONSTS[name];
  else if (segs.length === 2) {
    const max = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const table: Record<string, number> = {
      MAX: max,
      MIN: -max,
      EPSILON: f32 ? 1.1920928955078125e-7 : Number.EPSILON,
      MIN_POSITIVE: f32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308,
      INFINITY: Infinity,
      NEG_INFINITY: -Infinity,
      NAN: NaN,
    };
    value = table[name];
  }
  if (value === undefined) return undefined;
  return { kind: 'float', value: f32 ? Math.fround(value) : value, ty };
}

/** The environment of a std type instance, for callers that read Rust-written facts (`facts.ts` `envOf`). */
export { envOf };
