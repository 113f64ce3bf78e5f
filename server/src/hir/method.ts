/**
 * The one autoderef and the one method resolution, for user and std receivers alike (type
 * checking, the MIR builder's receiver adjustments and the interpreter's run-time dispatch all
 * come here).
 *
 * Method lookup follows the Rust reference, "Method call expressions": build the receiver's
 * candidate types by repeatedly dereferencing it (`autoderef`: `&T` → `T`, std `Deref` targets
 * such as `Box<T>`/`Rc<T>`/`Ref<T>` → `T`, `String` → `str`, `Vec<T>` → `[T]`), then unsizing
 * an array `[T; N]` → `[T]`; for each candidate type `U`, try a method whose receiver type is
 * `U`, then `&U`, then `&mut U`; at each of those, inherent methods (the file's inherent impls,
 * std's inherent impls) win over trait methods (the file's trait impls and trait defaults, std's
 * traits). So an inherent `fn m` and a trait `fn m` of the same type do not collide: method-call
 * syntax picks the inherent one, `Trait::m(&x)` / `<T as Trait>::m(..)` the trait's
 * (`traitMethodFor`).
 *
 * Unknown on the way (an inference variable, a generic parameter, several blanket impls
 * offering the method) means "cannot tell": the resolution returns null and callers stay
 * silent. A single blanket impl `impl<T: Bound> Trait for T` with the method is taken only by
 * the interpreter's run-time dispatch (`MethodCx.blanketImpls`; its bounds are not checked).
 */
import type { AdtDef, FileHir, FnDef, ImplDef, SelfKind } from './hir';
import { substitute, type Ty } from './ty';
import { derefStep } from '../std/facts';
import { matchSelf, userDerefStep } from './overloaded';
import { stdMethodsOn, stdMethodTable, type StdMethod } from '../std/lookup';

/**
 * How a method call was resolved; `derefs`/`autoref`/`unsize` are the receiver adjustments.
 * `mutThroughShared`: the method takes the receiver by `&mut` but a deref on the way has no
 * `DerefMut` (`rc.push_str(..)` on an `Rc<String>`): rustc resolves it and reports E0596.
 */
export type MethodRes =
  | {
      kind: 'user';
      fn: FnDef;
      selfKind: SelfKind | null;
      derefs: number;
      autoref: 'none' | 'ref' | 'mut';
      unsize?: boolean;
      mutThroughShared?: boolean;
      /** The impl's generic parameters bound from the receiver's type. */
      subst: Map<string, Ty>;
    }
  | {
      kind: 'std';
      method: StdMethod;
      selfKind: SelfKind;
      derefs: number;
      autoref: 'none' | 'ref' | 'mut';
      unsize?: boolean;
      mutThroughShared?: boolean;
      /** The method's `Self` type (after derefs): `[i32]` for `v.iter()` on a `Vec<i32>`. */
      selfTy: Ty;
    };

/** One candidate receiver type: `ty` after `derefs` derefs (and the final `[T; N]` → `[T]` step when `unsize`). */
export interface AutoderefStep {
  ty: Ty;
  derefs: number;
  unsize?: boolean;
  /** Every deref so far was built in (references, `Box`): the MIR builder can project the place. */
  builtin: boolean;
  /** Every deref so far allows mutation (`&mut T`, `DerefMut`): a `&mut` of this step is possible. */
  mutable: boolean;
}

/** Bound on the auto-deref chain (rustc's recursion limit is far larger; real chains are short). */
export const MAX_AUTODEREF = 16;

/**
 * The autoderef chain of `ty` (Rust reference, "Method call expressions"): `ty`, `*ty`, `**ty`,
 * ... through references, std `Deref` impls and, given `file`, the file's own `impl Deref`s
 * (`hir/overloaded.ts`), then an array unsized to a slice. `resolve` replaces inference variables
 * by what they are known to be so far (identity after inference).
 */
export function autoderef(ty: Ty, resolve: (t: Ty) => Ty = (t) => t, file?: Pick<FileHir, 'impls' | 'traits'>): AutoderefStep[] {
  const out: AutoderefStep[] = [];
  let t: Ty | undefined = resolve(ty);
  let builtin = true;
  let mutable = true;
  for (let derefs = 0; t && derefs < MAX_AUTODEREF; derefs++) {
    out.push({ ty: t, derefs, builtin, mutable });
    const step = derefStep(t) ?? (file ? userDerefStep(t, file) : undefined);
    if (!step) {
      if (t.kind === 'array') out.push({ ty: { kind: 'slice', elem: t.elem }, derefs, unsize: true, builtin, mutable });
      break;
    }
    builtin &&= step.builtin;
    mutable &&= step.mutable;
    t = resolve(step.target);
  }
  return out;
}

/** What method resolution may read: the file's items. */
export interface MethodCx {
  file: Pick<FileHir, 'adts' | 'impls' | 'traits'>;
  /** Inference variables resolved as far as known (identity after inference). */
  resolve?: (t: Ty) => Ty;
  /**
   * Inside a trait's default method body: the trait, whose methods `Self` has (`self.name()` in
   * `trait Named { fn describe(&self) { self.name() } }` is `Named::name`, whatever inherent
   * `name` the implementing type has). The call then runs the impl's method, chosen at run time.
   */
  selfTrait?: string;
  /**
   * Take a single blanket impl offering the method (`impl<T: Bound> Trait for T`, bounds not
   * checked): the interpreter's run-time dispatch does, on code it runs; type checking does not
   * (an unchecked bound could pick a `self`-by-value method and report a false move).
   */
  blanketImpls?: boolean;
}

const UNKNOWN = new Set(['unknown', 'infer', 'param', 'opaque', 'closure']);

type UserHit = { fn: FnDef; subst: Map<string, Ty> };

/** The impls of a file by method name, for one `impls` array (see `implsWithMethod`). */
interface ImplIndex {
  count: number;
  traits: ReadonlyMap<string, unknown>;
  byName: Map<string, ImplDef[]>;
}
const implIndexes = new WeakMap<readonly ImplDef[], ImplIndex>();
const NO_IMPLS: readonly ImplDef[] = [];

/**
 * The impls of `cx.file` that have a method named `name` (their own, or their trait's), in file
 * order: the only ones `userMethodsOn` can match, so that a probe does not scan every impl of a
 * large file. Built once per `impls` array (rebuilt when it grew or the traits map is another).
 */
function implsWithMethod(cx: MethodCx, name: string): readonly ImplDef[] {
  const impls = cx.file.impls;
  let ix = implIndexes.get(impls);
  if (!ix || ix.count !== impls.length || ix.traits !== cx.file.traits) {
    const byName = new Map<string, ImplDef[]>();
    for (const impl of impls) {
      const names = new Set(impl.methods.map((f) => f.name));
      const tr = impl.traitName ? cx.file.traits.get(impl.traitName) : undefined;
      if (tr) for (const f of tr.methods) names.add(f.name);
      for (const n of names) {
        const list = byName.get(n);
        if (list) list.push(impl);
        else byName.set(n, [impl]);
      }
    }
    ix = { count: impls.length, traits: cx.file.traits, byName };
    implIndexes.set(impls, ix);
  }
  return ix.byName.get(name) ?? NO_IMPLS;
}

/**
 * The file's methods named `name` whose `Self` is `selfTy` and take `self` as `kind`: inherent
 * ones, then trait ones. A blanket impl (`impl<T: Bound> Trait for T`) applies when it is the
 * only impl of the file with such a method and `cx.blanketImpls` allows it: its bounds are not checked, but in a program rustc
 * accepts, a call that finds no other method is that impl's (rustc would reject the call if the
 * bounds failed). Null: cannot tell (several blanket impls offer the method).
 */
function userMethodsOn(selfTy: Ty, name: string, kind: SelfKind, cx: MethodCx, which: 'inherent' | 'trait'): UserHit | null | undefined {
  let blanket: UserHit | undefined;
  let blankets = 0;
  for (const impl of implsWithMethod(cx, name)) {
    if ((impl.traitName === undefined) !== (which === 'inherent')) continue;
    const m = impl.methods.find((f) => f.name === name && f.selfKind !== null);
    const dflt = !m && impl.traitName ? defaultMethod(impl, name, cx) : undefined;
    const fn = m ?? dflt;
    if (!fn) continue;
    const subst = new Map<string, Ty>();
    const r = matchSelf(impl.selfTy, selfTy, impl.generics, subst);
    if (r === null) {
      // `impl<T> Trait for T`: `T` is the receiver's type.
      blankets++;
      if (impl.selfTy.kind === 'param' && selfKindOf(fn) === kind) blanket = { fn, subst: new Map([[impl.selfTy.name, selfTy]]) };
      continue;
    }
    if (!r) continue;
    if (selfKindOf(fn) !== kind) continue;
    return { fn, subst };
  }
  if (blankets > 1 || (blankets && !cx.blanketImpls)) return null;
  return blanket;
}

function selfKindOf(fn: FnDef): SelfKind | null {
  return fn.selfKind;
}

/** A trait's default method body used by an impl that does not override it. */
function defaultMethod(impl: ImplDef, name: string, cx: MethodCx): FnDef | undefined {
  const tr = impl.traitName ? cx.file.traits.get(impl.traitName) : undefined;
  return tr?.methods.find((f) => f.name === name && f.selfKind !== null && f.body !== null);
}

/**
 * Resolves `recv.name(..)` (Rust reference, "Method call expressions"; see the header). Undefined:
 * no such method is known (callers treat the call as unknown); null: the engine cannot tell.
 */
export function probeMethod(recv: Ty, name: string, cx: MethodCx): MethodRes | null | undefined {
  const resolve = cx.resolve ?? ((t: Ty) => t);
  for (const step of autoderef(recv, resolve, cx.file)) {
    const u = step.ty;
    if (UNKNOWN.has(u.kind)) {
      const bound = step.builtin ? boundTraitMethod(u, name, cx) : undefined;
      if (!bound) return null;
      return {
        kind: 'user',
        fn: bound,
        selfKind: bound.selfKind,
        derefs: step.derefs,
        autoref: bound.selfKind === 'mut' ? 'mut' : 'ref',
        subst: new Map(),
      };
    }
    for (const autoref of ['none', 'ref', 'mut'] as const) {
      // (Self type, how it takes self) pairs whose receiver type is U, &U or &mut U.
      const pairs: [Ty, SelfKind][] =
        autoref === 'none'
          ? u.kind === 'ref'
            ? [
                [u, 'value'],
                [resolve(u.inner), u.mutable ? 'mut' : 'ref'],
              ]
            : [[u, 'value']]
          : [
              [u, autoref],
              [{ kind: 'ref', mutable: autoref === 'mut', inner: u }, 'value'],
            ];
      // The std candidates of each pair, asked once for both passes.
      const stdCands: (ReturnType<typeof stdMethodsOn> | undefined)[] = [];
      for (const which of ['inherent', 'trait'] as const) {
        for (const [pi, [selfTy, kind]] of pairs.entries()) {
          if (selfTy.kind === 'param' && selfTy.name === 'Self' && cx.selfTrait) {
            const fn = cx.file.traits.get(cx.selfTrait)?.methods.find((f) => f.name === name && f.selfKind === kind);
            if (fn) return { kind: 'user', fn, selfKind: fn.selfKind, derefs: step.derefs, autoref, subst: new Map() };
            continue;
          }
          if (UNKNOWN.has(selfTy.kind)) {
            // `&dyn Trait`'s own `&self` method (a `&mut self` one is found at the next step).
            const bound = step.builtin ? boundTraitMethod(selfTy, name, cx) : undefined;
            if (!bound) return null;
            if (bound.selfKind !== kind) continue;
            return { kind: 'user', fn: bound, selfKind: bound.selfKind, derefs: step.derefs, autoref, subst: new Map() };
          }
          // `&mut` of the step's place (autoref mut, or a `&mut self` through the step's own `&mut`).
          const mutThroughShared = kind === 'mut' && !step.mutable ? { mutThroughShared: true } : {};
          const user = userMethodsOn(selfTy, name, kind, cx, which);
          if (user === null) return null;
          if (user) {
            return {
              kind: 'user',
              fn: user.fn,
              selfKind: user.fn.selfKind,
              derefs: step.derefs,
              autoref,
              ...(step.unsize ? { unsize: true } : {}),
              ...mutThroughShared,
              subst: user.subst,
            };
          }
          const cands = (stdCands[pi] ??= stdMethodsOn(selfTy, name, { adts: cx.file.adts, impls: cx.file.impls }));
          if (cands === null) return null;
          const hit = (which === 'inherent' ? cands.inherent : cands.traits).find((m) => m.selfKind === kind);
          if (hit) {
            return {
              kind: 'std',
              method: hit,
              selfKind: hit.selfKind,
              derefs: step.derefs,
              autoref,
              ...(step.unsize ? { unsize: true } : {}),
              ...mutThroughShared,
              selfTy,
            };
          }
        }
      }
    }
  }
  return undefined;
}

/** Bounds that bring no method a file trait could also have (auto and marker traits, lifetimes). */
const MARKER_BOUNDS = new Set(['Send', 'Sync', 'Sized', '?Sized', 'Unpin', 'Copy']);

/**
 * The method `name` taking `&self` / `&mut self` of a receiver known only by its trait: `dyn
 * Trait` / `impl Trait` (`x: &dyn Shape`, `b: Box<dyn Shape>`) or a generic parameter bounded by
 * it (`T: Shape`), where `Trait` is a trait of the file that declares the method itself. The
 * call is dispatched on the run-time type, but its receiver adjustment is the declaration's
 * (Rust reference, "Method call expressions": the trait object's own methods are its trait's).
 * Undefined (cannot tell) when another bound could offer the method (a std trait, several file
 * traits, another file trait with the name: maybe a supertrait), when an inherent impl on a trait object exists, or for `self` by value.
 */
function boundTraitMethod(u: Ty, name: string, cx: MethodCx): FnDef | undefined {
  let bounds: string[];
  if (u.kind === 'opaque') {
    const m = /^(?:dyn|impl)\s+(.*)$/s.exec(u.text.trim());
    if (!m || cx.file.impls.some((i) => i.selfTy.kind === 'opaque')) return undefined;
    bounds = m[1].split('+').map((b) => b.trim());
  } else if (u.kind === 'param' && u.name !== 'Self') bounds = u.bounds ?? [];
  else return undefined;
  let hit: FnDef | undefined;
  for (const b of bounds) {
    if (MARKER_BOUNDS.has(b) || b.startsWith("'")) continue;
    const tr = /^[A-Za-z_]\w*$/.test(b) ? cx.file.traits.get(b) : undefined;
    if (!tr) return undefined; // a std or generic trait: it could have the method too
    const fns = tr.methods.filter((f) => f.name === name);
    if (fns.length > 1 || (fns.length && hit)) return undefined;
    if (fns.length) hit = fns[0];
  }
  if (!hit || (hit.selfKind !== 'ref' && hit.selfKind !== 'mut')) return undefined;
  // A supertrait declaring the same name makes the call ambiguous (rustc E0034); supertraits are
  // not recorded, so any other trait of the file with the name means "cannot tell".
  for (const tr of cx.file.traits.values()) if (!tr.methods.includes(hit) && tr.methods.some((f) => f.name === name)) return undefined;
  return hit;
}

/**
 * `Trait::m(args)` / `<T as Trait>::m(args)`: the impl of `traitName` for `selfTy` (the type
 * written, or the first argument's type with the method's `self` reference peeled off) and its
 * method `name` (or the trait's default). Undefined when the file has no such impl; null when
 * the engine cannot tell.
 */
export function traitMethodFor(
  traitName: string,
  name: string,
  selfTy: Ty,
  cx: MethodCx,
): { fn: FnDef; subst: Map<string, Ty> } | null | undefined {
  const resolve = cx.resolve ?? ((t: Ty) => t);
  const tr = cx.file.traits.get(traitName);
  const decl = tr?.methods.find((f) => f.name === name);
  let t = resolve(selfTy);
  // The first argument is `self` as the method takes it: `&x` for `&self`.
  if (decl && decl.selfKind !== null && decl.selfKind !== 'value' && t.kind === 'ref') t = resolve(t.inner);
  if (UNKNOWN.has(t.kind)) return null;
  for (const impl of cx.file.impls) {
    if (impl.traitName !== traitName) continue;
    const subst = new Map<string, Ty>();
    const r = matchSelf(impl.selfTy, t, impl.generics, subst);
    if (r === null) return null;
    if (!r) continue;
    const fn = impl.methods.find((f) => f.name === name) ?? defaultMethod(impl, name, cx);
    return fn ? { fn, subst } : undefined;
  }
  return undefined;
}

let stdMethodNames: ReadonlySet<string> | undefined;

/**
 * `a.m(..)` where the file's only candidate is a `&self` method of a trait whose single impl is
 * a blanket one (`impl<T, U> Tr<U> for T {}`), on a receiver that is a primitive (or a literal
 * of one) or one of the file's structs and enums: rustc's probe finds nothing else there when no
 * other trait or impl of the file, and no std method the engine models, has that name (an
 * inherent method would come first). Its bounds are not checked: in a program rustc accepts the
 * call is that impl's. Undefined otherwise (precision first: the call stays unknown).
 */
export function soleBlanketMethod(recv: Ty, name: string, cx: MethodCx): MethodRes | undefined {
  const t = cx.resolve ? cx.resolve(recv) : recv;
  const known =
    ['int', 'float', 'bool', 'char'].includes(t.kind) ||
    (t.kind === 'infer' && (t.integral || t.floating)) ||
    (t.kind === 'adt' && !t.std && cx.file.adts.has(t.name));
  if (!known) return undefined;
  if ((stdMethodNames ??= new Set(stdMethodTable().map((m) => m.name))).has(name)) return undefined;
  const traits = [...cx.file.traits.values()].filter((tr) => tr.methods.some((f) => f.name === name));
  if (traits.length !== 1) return undefined;
  const tr = traits[0];
  const impls = cx.file.impls.filter((i) => i.traitName === tr.name);
  const other = cx.file.impls.some((i) => i.traitName !== tr.name && i.methods.some((f) => f.name === name));
  if (impls.length !== 1 || other) return undefined;
  const impl = impls[0];
  if (impl.selfTy.kind !== 'param' || !impl.generics.includes(impl.selfTy.name)) return undefined;
  const fn = impl.methods.find((f) => f.name === name) ?? defaultMethod(impl, name, cx);
  if (!fn || fn.selfKind !== 'ref') return undefined;
  return { kind: 'user', fn, selfKind: 'ref', derefs: 0, autoref: 'ref', subst: new Map([[impl.selfTy.name, t]]) };
}

/** The field `name` of `base` through auto-deref (Rust reference, "Field access expressions"), with the file's ADTs; undefined when not found. */
export function fieldTyThroughDeref(base: Ty, name: string, cx: MethodCx): { ty: Ty; derefs: number } | undefined {
  for (const step of autoderef(base, cx.resolve, cx.file)) {
    const t = step.ty;
    if (step.unsize) break;
    if (t.kind === 'tuple') {
      const e = t.elems[Number(name)];
      return e ? { ty: e, derefs: step.derefs } : undefined;
    }
    if (t.kind === 'adt' && !t.std) {
      const adt = cx.file.adts.get(t.name);
      const f = adt?.kind === 'struct' || adt?.kind === 'union' ? adt.fields.find((x) => x.name === name) : undefined;
      if (!adt || !f) return undefined;
      return {
        ty: substitute(f.ty, new Map(adt.generics.map((g, i) => [g, t.args[i] ?? ({ kind: 'unknown' } as Ty)]))),
        derefs: step.derefs,
      };
    }
  }
  return undefined;
}

/**
 * Std-only method lookup (no file items but the ADTs in `cx`, for `clone()` on derived types):
 * `probeMethod` for std receivers, as `{ method, derefs, autoref, selfTy, unsize }`. Undefined
 * when no std method is found or the engine cannot tell.
 */
export function stdMethodLookup(
  recv: Ty,
  name: string,
  cx: { adts?: ReadonlyMap<string, AdtDef>; impls?: readonly ImplDef[] } = {},
): (MethodRes & { kind: 'std' }) | undefined {
  const r = probeMethod(recv, name, { file: { adts: new Map(cx.adts ?? []), impls: [...(cx.impls ?? [])], traits: new Map() } });
  return r?.kind === 'std' ? r : undefined;
}

/** `stdMethodLookup(recv, name, cx)?.method`. */
export function stdMethod(
  recv: Ty,
  name: string,
  cx: { adts?: ReadonlyMap<string, AdtDef>; impls?: readonly ImplDef[] } = {},
): StdMethod | undefined {
  return stdMethodLookup(recv, name, cx)?.method;
}
