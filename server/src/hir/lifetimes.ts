/**
 * Which arguments a call's result borrows from, read off the callee's signature: Rust's
 * lifetime elision rules and named lifetimes (Rust reference, "Lifetime elision"; "Trait and
 * lifetime bounds"), and generic parameters that carry a borrow through (`Option<&T>::unwrap`
 * returns `T`). The borrow checker turns these into region constraints at each call
 * (rustc: the instantiated signature's outlives relations, `rustc_borrowck::type_check`).
 * The rules themselves are written once, in `elision.ts`: the std registry (`std/sig.ts`) and the
 * file's own fns (`userCallBorrows`) each describe a signature to it, over their own types.
 *
 * Indices are positions in the call's argument list: for methods, `0` is the receiver (`self`),
 * then the declared parameters in order.
 */
import type { AdtDef, FnDef, UserArgs } from './hir';
import type { StdMethod } from '../std/lookup';
import { stdLifetimeCount } from '../std/registry';
import { someTyPart, type Ty } from './ty';
import { resultRelations, storeRelations, type RegionOcc, type SigInput, type SigShape } from './elision';

/** How a call's result and arguments share borrows. Empty lists: nothing flows. */
export interface CallBorrows {
  /**
   * Arguments whose borrows the result may hold. `value`: the argument's own borrows (for a
   * reference argument, the loan it is and what it holds: `s.as_str()` borrows `s`); `referent`:
   * only what the argument points to holds, not the reference itself (`rc.clone()` of an
   * `Rc<&T>` holds the `&T`, but does not borrow `rc`). `built`: only when the result's type,
   * fully known, can hold a borrow (`collect()` into a `Vec<&str>`, not into a `Vec<String>`).
   */
  result: { arg: number; via: 'value' | 'referent'; built?: true }[];
  /**
   * Borrows that flow from argument `from` into what the `&mut` argument `into` points to
   * (`v.push(&x)`): the argument's own borrows (`value`, a `T` passed by value) or only what it
   * points to holds (`referent`: `mem::swap(&mut a, &mut b)` exchanges the values, not the
   * references).
   */
  into: { from: number; into: number; via: 'value' | 'referent' }[];
  /** Arguments that must be `'static` (`thread::spawn(f)` needs `F: 'static`): what they hold must outlive the caller. */
  static?: number[];
  /**
   * Arguments whose parameter type names a lifetime parameter of the calling fn (`(self.func)(arg)`
   * with `func: fn(&'a mut T)` in `impl<'a, T> W<'a, T>`): what they hold must outlive the
   * caller's body (a universal region), though not `'static`.
   */
  outlive?: number[];
}

export const NO_BORROWS: CallBorrows = { result: [], into: [] };

// --- type walks

/**
 * The lifetime positions of a type (`elision.ts` `RegionOcc`): each reference (`top`: the
 * outermost, when `top` is set), each lifetime argument of an ADT (written or, when none is
 * written, as many elided ones as it declares), the lifetimes written in a `dyn`/`impl` type's
 * bounds. A fn pointer's lifetimes are its own (higher-ranked): none. A raw pointer's target is
 * not walked.
 */
function regionOccs(t: Ty, adtLifetimes: (name: string) => number, top = false, out: RegionOcc[] = [], depth = 0): RegionOcc[] {
  if (depth > 32) return out;
  switch (t.kind) {
    case 'ref':
      out.push({ region: t.region === "'_" ? null : (t.region ?? null), top, mutable: t.mutable });
      regionOccs(t.inner, adtLifetimes, false, out, depth + 1);
      break;
    case 'adt': {
      const n = t.std ? stdLifetimeCount(t) : adtLifetimes(t.name);
      if (t.regions?.length) for (const r of t.regions) out.push({ region: r === "'_" ? null : r, top: false, mutable: false });
      else for (let i = 0; i < n; i++) out.push({ region: null, top: false, mutable: false });
      for (const a of t.args) regionOccs(a, adtLifetimes, false, out, depth + 1);
      break;
    }
    case 'tuple':
      for (const e of t.elems) regionOccs(e, adtLifetimes, false, out, depth + 1);
      break;
    case 'array':
    case 'slice':
      regionOccs(t.elem, adtLifetimes, false, out, depth + 1);
      break;
    case 'opaque':
      // `dyn Foo + 'a`, `impl Trait + 'a`: the lifetimes written in the bounds.
      for (const m of t.text.matchAll(/'\w+/g)) if (m[0] !== "'_") out.push({ region: m[0], top: false, mutable: false });
      break;
    default:
      break;
  }
  return out;
}

/** The lifetimes a type mentions: named ones as written, `''` for each elided reference or elided ADT lifetime. */
function regionsOf(t: Ty, adtLifetimes: (name: string) => number): string[] {
  return regionOccs(t, adtLifetimes).map((o) => o.region ?? '');
}

/** The generic parameters a type mentions (`T`, `Self`). */
function paramsOf(t: Ty, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 32) return out;
  switch (t.kind) {
    case 'param':
      out.add(t.name);
      break;
    case 'ref':
    case 'rawptr':
      paramsOf(t.inner, out, depth + 1);
      break;
    case 'adt':
      for (const a of t.args) paramsOf(a, out, depth + 1);
      break;
    case 'tuple':
      for (const e of t.elems) paramsOf(e, out, depth + 1);
      break;
    case 'array':
    case 'slice':
      paramsOf(t.elem, out, depth + 1);
      break;
    case 'fn':
      for (const p of t.params) paramsOf(p, out, depth + 1);
      paramsOf(t.ret, out, depth + 1);
      break;
    default:
      break;
  }
  return out;
}

/** The for loop's iterator temporary, whose type the engine leaves unknown, holds what it iterates. */
const holdsHiddenBorrow = (t: Ty): boolean => t.kind === 'unknown' && t.reason === 'iterator';

// --- std methods

/**
 * A call's `result` list from a signature's relations (`elision.ts` `ResultRelation`, or the std
 * registry's instantiated `ReturnBorrow`): a `referent` relation is a borrow through the reference
 * argument itself (the loan it is and what it holds: `via: 'value'`); a `carried` one keeps what
 * the argument holds (for a reference argument, only what it points to holds: `via: 'referent'`).
 * `arg` maps a relation's `from` to the call's argument index; `byRef` tells whether that
 * argument's declared type is a reference.
 */
function callResult(
  relations: readonly { from: 'self' | number; kind: 'referent' | 'carried'; built?: true }[],
  arg: (from: 'self' | number) => number,
  byRef: (from: 'self' | number) => boolean,
): CallBorrows['result'] {
  const result: CallBorrows['result'] = [];
  for (const b of relations) {
    const i = arg(b.from);
    const via = b.kind === 'referent' || !byRef(b.from) ? 'value' : 'referent';
    if (!result.some((r) => r.arg === i && r.via === via && !!r.built === !!b.built))
      result.push({ arg: i, via, ...(b.built ? { built: true as const } : {}) });
  }
  return result;
}

/**
 * The borrows of a call to a std method (`isMethodCall`: arguments are `[receiver, ...params]`)
 * or associated function (arguments are the parameters), translated (`callResult`) from the std
 * registry's relations, which are derived from the written signature once (`std/sig.ts`
 * `returnBorrows`, `storedBorrows`, by `elision.ts`).
 */
export function stdCallBorrows(m: StdMethod, isMethodCall: boolean): CallBorrows {
  const arg = (i: 'self' | number): number => (i === 'self' ? 0 : isMethodCall ? i + 1 : i);
  const byRef = (from: 'self' | number): boolean => {
    const i = arg(from);
    return isMethodCall && i === 0 ? m.selfKind !== 'value' : m.params[isMethodCall ? i - 1 : i]?.kind === 'ref';
  };
  // A relation a closure decides holds only once resolved (`hir/closureResult.ts`).
  const result = callResult(
    m.returnBorrows.filter((b) => !b.closure),
    arg,
    byRef,
  );
  const into = m.storedBorrows.map((s) => ({ from: arg(s.from), into: arg(s.into), via: s.via }));
  // Arguments a `'static` bound covers (`thread::spawn(f)`): they must hold no borrow of a local (E0373).
  const statics = (m.staticArgs ?? []).map((i) => (isMethodCall ? i + 1 : i));
  return { result, into, ...(statics.length ? { static: statics } : {}) };
}

/**
 * A fn of the file's signature as `elision.ts` reads it: the receiver (its own reference, written
 * `&'a self` or elided, then the lifetimes and generic parameters of its type, `Self` included),
 * then the declared parameters. A for loop's iterator temporary as the result (its type left
 * unknown) holds what it iterates: an elided lifetime of the result.
 */
function userSigShape(fn: FnDef, adtLifetimes: (name: string) => number): SigShape {
  const inputs: SigInput[] = [];
  if (fn.selfKind !== null) {
    const selfLocal = fn.locals.find((l) => l.kind === 'self');
    const selfTy = selfLocal ? (selfLocal.ty.kind === 'ref' ? selfLocal.ty.inner : selfLocal.ty) : undefined;
    const isRef = fn.selfKind !== 'value';
    const own: RegionOcc[] = isRef ? [{ region: fn.selfRegion ?? null, top: true, mutable: fn.selfKind === 'mut' }] : [];
    inputs.push({
      from: 'self',
      isRef,
      regions: selfTy ? regionOccs(selfTy, adtLifetimes, false, own) : own,
      params: selfTy ? paramsOf(selfTy, new Set(['Self'])) : new Set(['Self']),
    });
  }
  fn.params.forEach((p, i) =>
    inputs.push({
      from: i,
      isRef: p.ty.kind === 'ref',
      regions: regionOccs(p.ty, adtLifetimes, true),
      params: paramsOf(p.ty),
      ...(p.ty.kind === 'ref' && p.ty.mutable
        ? { target: { regions: regionOccs(p.ty.inner, adtLifetimes), params: paramsOf(p.ty.inner) } }
        : {}),
    }),
  );
  const output = regionOccs(fn.ret, adtLifetimes, true);
  if (holdsHiddenBorrow(fn.ret)) output.push({ region: null, top: false, mutable: false });
  return { selfKind: fn.selfKind, inputs, output: { regions: output, params: paramsOf(fn.ret) } };
}

/**
 * The borrows of a call to a function of the file (`FnDef`; for methods the call's arguments
 * start with the receiver), from its signature by the elision rules (`elision.ts`
 * `resultRelations`, `storeRelations`, as for std methods): named lifetimes tie the result to the
 * arguments that mention them (`'static` to none), elided ones follow the elision rules (`&self` /
 * `&mut self` first, else the only parameter's one lifetime; none when it has no source, rustc's
 * E0106, which is not this checker's to report), generic parameters carry what the arguments
 * mentioning them hold. Then the fn's outlives bounds (`F: 'a`, `'a: 'b`) and `'static`
 * requirements. `adtLifetimes(name)` is how many lifetime parameters a struct of the file declares
 * (for `Parser` written without its `<'a>`).
 */
export function userCallBorrows(fn: FnDef, adtLifetimes: (name: string) => number): CallBorrows {
  const shape = userSigShape(fn, adtLifetimes);
  const off = fn.selfKind !== null ? 1 : 0;
  const arg = (from: 'self' | number): number => (from === 'self' ? 0 : from + off);
  const byRef = (from: 'self' | number): boolean => shape.inputs[arg(from)].isRef;
  const rel: CallBorrows = {
    result: callResult(resultRelations(shape).relations, arg, byRef),
    into: storeRelations(shape).map((s) => ({ from: arg(s.from), into: arg(s.into), via: s.via })),
  };
  // A generic parameter bounded by a lifetime of the result (`fn scoped<'a, F: Fn() + 'a>(f: F)
  // -> Guard<'a>`, `A: 'a` with `-> Box<dyn Foo + 'a>`): what the argument holds may be kept.
  const outlives = fn.regionBounds?.outlives;
  if (outlives) {
    const retRegions = new Set(regionsOf(fn.ret, adtLifetimes));
    fn.params.forEach((p, i) => {
      if (p.ty.kind !== 'param' || !(outlives[p.ty.name] ?? []).some((r) => retRegions.has(r))) return;
      if (!rel.result.some((r) => r.arg === i + off && r.via === 'value')) rel.result.push({ arg: i + off, via: 'value' });
    });
  }
  // A lifetime bounded by one of the result's (`where 'a: 'min` with `-> &'min i32`): the
  // arguments mentioning it may be returned, shortened to the result's lifetime.
  if (outlives) {
    const retRegions = new Set(regionsOf(fn.ret, adtLifetimes));
    const longer = fn.lifetimes.filter((l) => (outlives[l] ?? []).some((r) => retRegions.has(r)));
    fn.params.forEach((p, i) => {
      if (!regionsOf(p.ty, adtLifetimes).some((r) => longer.includes(r))) return;
      if (!rel.result.some((r) => r.arg === i + off && r.via === 'value')) rel.result.push({ arg: i + off, via: 'value' });
    });
  }
  const statics = fn.params.flatMap((p, i) => (requiresStatic(p.ty, fn, adtLifetimes) ? [i + off] : []));
  return statics.length ? { ...rel, static: statics } : rel;
}

/**
 * The borrows of a call through a fn pointer with parameter types `params` (`fn(&'a mut T) -> R`,
 * `const F: fn(&'static ())`) made in a fn whose lifetime parameters are `callerLifetimes`: a
 * parameter whose every region is written `'static` needs a `'static` argument (`static`); an
 * argument whose parameter type names one of the caller's lifetimes must outlive the caller's
 * body (`outlive`; rustc: that region is universal in the caller). Elided and higher-ranked
 * regions of the pointer's signature tie nothing, and what the result borrows is not guessed
 * (none). Indices are argument positions (0-based).
 */
export function fnPointerCallBorrows(
  params: readonly Ty[],
  callerLifetimes: readonly string[],
  adtLifetimes: (name: string) => number,
): CallBorrows {
  const named = new Set(callerLifetimes.filter((l) => l !== "'static" && l !== "'_"));
  const outlive = params.flatMap((p, i) => (regionsOf(p, adtLifetimes).some((r) => named.has(r)) ? [i] : []));
  const statics = params.flatMap((p, i) => (p.kind !== 'param' && onlyStatic(p, adtLifetimes) ? [i] : []));
  return { result: [], into: [], ...(statics.length ? { static: statics } : {}), ...(outlive.length ? { outlive } : {}) };
}

/**
 * Whether a parameter of type `t` needs a `'static` argument: every region it names is
 * `'static` (`&'static u32`, `Foo<'static>`, and at least one), or it is a generic parameter
 * bounded `'static` (`T: 'static`). An elided or named non-`'static` region, or an unknown part,
 * needs nothing known.
 */
function requiresStatic(t: Ty, fn: FnDef, adtLifetimes: (name: string) => number): boolean {
  if (t.kind === 'param') return !!fn.regionBounds?.static.includes(t.name);
  return onlyStatic(t, adtLifetimes);
}

/** Every region a type names is written `'static` (and at least one), with no unknown part. */
function onlyStatic(t: Ty, adtLifetimes: (name: string) => number): boolean {
  const regions = regionsOf(t, adtLifetimes);
  return regions.length > 0 && regions.every((r) => r === "'static") && knownShape(t);
}

/** A type with no unknown, inferred, opaque or closure part (its regions are all written). */
function knownShape(t: Ty): boolean {
  return !someTyPart(t, (x) => x.kind === 'unknown' || x.kind === 'infer' || x.kind === 'opaque' || x.kind === 'closure', 32);
}

/**
 * Which fields of a struct (or enum variant) built from operands share a region behind a `&mut`
 * field: for `struct S<'a, 'b> { p: &'a mut &'b i32, y: &'b i32 }`, `S { p: &mut p, y: &y }`
 * can later store `y` into `*p` (`&mut T` is invariant in `T`: the `'b` of both is one region,
 * rustc's variance rules for the aggregate's type). `into`: the index of the `&mut` field;
 * `from`: a field whose type names one of the lifetimes written in what it points to; `via`:
 * `value` when the field's own reference has that lifetime (`y` itself may be stored),
 * `referent` when only what it points to does. Indices are positions in `fields`.
 */
export function storedThroughMutFields(fields: Ty[], adtLifetimes: (name: string) => number): CallBorrows['into'] {
  // The fields as the parameters of a signature (`elision.ts` `storeRelations`, the `&mut`
  // parameter rule), compared by their lifetimes only: what their generic parameters stand for
  // is the aggregate's instantiation, not known here.
  const none = new Set<string>();
  const inputs: SigInput[] = fields.map((t, i) => ({
    from: i,
    isRef: t.kind === 'ref',
    regions: regionOccs(t, adtLifetimes, true),
    params: none,
    ...(t.kind === 'ref' && t.mutable ? { target: { regions: regionOccs(t.inner, adtLifetimes), params: none } } : {}),
  }));
  return storeRelations({ selfKind: null, inputs, output: { regions: [], params: none } }).flatMap(({ from, into, via }) =>
    from !== 'self' && into !== 'self' ? [{ from, into, via }] : [],
  );
}

// --- user type annotations

/** What a path's written generic arguments give: generic parameter → type, lifetime → region. */
export interface UserSubst {
  types: Map<string, Ty>;
  regions: Map<string, string>;
}

const bind = (s: UserSubst, names: string[], types: Ty[], lifetimes: string[], given: string[]): void => {
  names.forEach((n, i) => types[i] && s.types.set(n, types[i]));
  if (given.length === lifetimes.length) lifetimes.forEach((l, i) => s.regions.set(l, given[i]));
};

/**
 * The substitution a call path's generic arguments make in a fn's signature (rustc's user type
 * annotation on a path, `UserArgs`): `f::<A, B>` binds the fn's own type parameters in order,
 * `Type::<'a, T>::f` binds the impl's parameters through the impl's self type as written
 * (`impl<'x> A<'x>`: `'x` → `'a`), `<X as Trait>::m` binds a trait's default method's `Self`
 * to `X` as written (`selfTy`). Lifetimes bind only when all of a list are given. Undefined
 * when nothing is written.
 */
export function userSubstForFn(fn: FnDef, own: UserArgs | undefined, parent: UserArgs | undefined, selfTy?: Ty): UserSubst | undefined {
  // A trait's own (default) method: its impl context's self type is the parameter `Self`.
  const ownSelf = fn.implParams?.selfTy;
  const traitSelf = selfTy && ownSelf?.kind === 'param' && ownSelf.name === 'Self' ? selfTy : undefined;
  if (!own && !parent && !traitSelf) return undefined;
  const s: UserSubst = { types: new Map(), regions: new Map() };
  if (traitSelf) s.types.set('Self', traitSelf);
  const ip = fn.implParams;
  if (own) bind(s, fn.generics.slice(ip?.types ?? 0), own.types, fn.lifetimes.slice(ip?.lifetimes ?? 0), own.regions);
  if (parent && ip?.selfTy.kind === 'adt') {
    const self = ip.selfTy;
    self.args.forEach((a, i) => a.kind === 'param' && parent.types[i] && s.types.set(a.name, parent.types[i]));
    if (self.regions && self.regions.length === parent.regions.length) self.regions.forEach((r, i) => s.regions.set(r, parent.regions[i]));
  }
  return s;
}

/** The substitution written generic arguments make in a struct's or enum's fields (`S::<&'static u32> { .. }`). */
export function userSubstForAdt(adt: AdtDef, args: UserArgs | undefined): UserSubst {
  const s: UserSubst = { types: new Map(), regions: new Map() };
  if (args) bind(s, adt.generics, args.types, adt.lifetimes, args.regions);
  return s;
}

/**
 * A declared type with the substitution applied: the type a value passed there must have. A
 * lifetime the substitution does not bind (the callee's own, or elided) becomes `'_`: it says
 * nothing about the caller; `'static` stays. A generic parameter not bound is unknown.
 */
export function substUser(t: Ty, s: UserSubst, depth = 0): Ty {
  if (depth > 24) return { kind: 'unknown', reason: 'too deep' };
  const region = (r: string | undefined): string => (r === "'static" ? r : ((r && s.regions.get(r)) ?? "'_"));
  switch (t.kind) {
    case 'param':
      // An unbound parameter is the callee's: what the caller passes there is not known.
      return s.types.get(t.name) ?? { kind: 'unknown', reason: 'generic parameter of the callee' };
    case 'ref':
      return { ...t, region: region(t.region), inner: substUser(t.inner, s, depth + 1) };
    case 'adt':
      return {
        ...t,
        ...(t.regions ? { regions: t.regions.map(region) } : {}),
        args: t.args.map((a) => substUser(a, s, depth + 1)),
      };
    case 'tuple':
      return { ...t, elems: t.elems.map((e) => substUser(e, s, depth + 1)) };
    case 'array':
    case 'slice':
      return { ...t, elem: substUser(t.elem, s, depth + 1) };
    default:
      return t;
  }
}

/** Whether a type names a lifetime (`'a`, `'static`; not elided or `'_`): an annotation worth keeping. */
export function namesRegion(t: Ty, adtLifetimes: (name: string) => number): boolean {
  return regionsOf(t, adtLifetimes).some((r) => r !== '');
}
