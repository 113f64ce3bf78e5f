/**
 * The MIR of the file's own overloaded place operators (`hir/overloaded.ts`), as rustc builds it
 * (rustc_hir_typeck `place_op.rs`, rustc_mir_build `expr/as_place.rs`): `*x` through a user
 * `impl Deref` is
 *
 * ```text
 * _r = &x;  _o = <X as Deref>::deref(move _r);  … (*_o) …
 * ```
 *
 * and `a[i]` through `impl Index` is `_o = <A as Index<I>>::index(move _r, i)` the same way;
 * when the place is used mutably (assigned, `&mut`-borrowed, a `&mut self` receiver) `&mut x` and
 * `deref_mut` / `index_mut` instead (`convert_place_derefs_to_mutable`). The call's result borrows
 * its argument by the elision rules of the user's signature (`fn deref(&self) -> &Self::Target`),
 * so a loan of `x` lives as long as the place is used; the borrow is not two-phase
 * (`AllowTwoPhase::No`). With no `DerefMut` / `IndexMut` impl the shared call is made and the
 * write through its `&` result is the E0594 / E0596 the mutability checker names "data in
 * dereference of `X`" / "data in an index of `A`" by the temporary's `MirLocal.placeOp`.
 */
import type { FileHir, Span } from '../hir/hir';
import { ref as refTy, type Ty } from '../hir/ty';
import { derefStep } from '../std/facts';
import { userDeref, type UserPlaceOp } from '../hir/overloaded';
import { userCallBorrows, type CallBorrows } from '../hir/lifetimes';
import type { MirLocal, Operand, Place, Rvalue } from './mir';

/** What the MIR builder lends this module: temporaries, statements, calls. */
export interface PlaceOpHost {
  file: FileHir;
  /** The builder's local `i` of the body being built. */
  local(i: number): MirLocal;
  temp(ty: Ty, span: Span): number;
  assign(p: Place, rv: Rvalue, span: Span): void;
  /** Emits a desugared call of the file fn `name` into `dest` (rustc `from_hir_call: false`). */
  callFn(name: string, args: Operand[], dest: Place, span: Span, borrows: CallBorrows): void;
  adtLifetimes(name: string): number;
}

/**
 * Emits the call of `op` on `base` (of type `baseTy`; `index`: evaluates the index operand of
 * `base[i]`, after the borrow of `base`)
 * and returns the place `*_o` it gives, typed `op.target`. `mutable`: the place is used mutably
 * (`deref_mut` / `index_mut` when the file has it). `span`: the whole place expression;
 * `baseSpan`: the base, where rustc reports a borrow of it.
 */
export function overloadedPlace(
  h: PlaceOpHost,
  base: Place,
  baseTy: Ty,
  op: UserPlaceOp,
  kind: 'deref' | 'index',
  mutable: boolean,
  index: (() => Operand) | undefined,
  span: Span,
  baseSpan: Span,
): Place {
  const mut = mutable && op.mutFn !== undefined;
  const fn = mut ? op.mutFn! : op.fn;
  const r = h.temp(refTy(baseTy, mut), baseSpan);
  h.assign({ local: r, projection: [] }, { kind: 'ref', borrow: mut ? 'mut' : 'shared', place: base }, baseSpan);
  // The index is evaluated after the base is borrowed (the call's arguments in order).
  const args: Operand[] = [{ kind: 'move', place: { local: r, projection: [] }, span: baseSpan }];
  if (index) args.push(index());
  const o = h.temp(refTy(op.target, mut), span);
  h.local(o).placeOp = { kind, base: baseTy, ...(op.mutFn ? { hasMut: true as const } : {}) };
  h.callFn(fn.qualName, args, { local: o, projection: [] }, span, userCallBorrows(fn, h.adtLifetimes));
  return { local: o, projection: [{ kind: 'deref' }] };
}

/**
 * Auto-deref of `p` (of type `ty`) for a field access or an index (Rust reference, "Field access
 * expressions"): built-in derefs (references, `Box`) as projections, the file's `impl Deref`s as
 * calls, until `stop(ty)` holds. When no type on the way satisfies `stop` (the field is on none:
 * rustc's E0609), or a std smart pointer other than `Box` comes first, only the built-in derefs
 * are made and no call is emitted (the place is then the builder's usual unknown one).
 */
export function autoDerefThrough(
  h: PlaceOpHost,
  p: Place,
  ty: Ty,
  mutable: boolean,
  stop: (ty: Ty) => boolean,
  span: Span,
  baseSpan: Span,
): { place: Place; ty: Ty } {
  // The chain of types first: calls only when the walk ends where `stop` holds.
  const steps: ({ builtin: true; target: Ty } | { builtin: false; op: UserPlaceOp })[] = [];
  let t = ty;
  let found = stop(t);
  for (let i = 0; i < 16 && !found; i++) {
    const step = derefStep(t);
    if (step && !step.builtin) break;
    const op = step ? undefined : userDeref(t, h.file);
    if (!step && !op) break;
    steps.push(step ? { builtin: true, target: step.target } : { builtin: false, op: op! });
    t = step ? step.target : op!.target;
    found = stop(t);
  }
  if (!found || steps.every((s) => s.builtin)) {
    // Built-in derefs only, as far as they go (the builder's `autoDerefPlace`).
    for (let i = 0; i < 16; i++) {
      const step = derefStep(ty);
      if (!step?.builtin) break;
      p = { local: p.local, projection: [...p.projection, { kind: 'deref' }] };
      ty = step.target;
    }
    return { place: p, ty };
  }
  for (const s of steps) {
    if (s.builtin) {
      p = { local: p.local, projection: [...p.projection, { kind: 'deref' }] };
      ty = s.target;
    } else {
      p = overloadedPlace(h, p, ty, s.op, 'deref', mutable, undefined, span, baseSpan);
      ty = s.op.target;
    }
  }
  return { place: p, ty };
}

/**
 * Exactly `n` auto-derefs of `p` (of type `ty`) for a method receiver, when one of them is the
 * file's `impl Deref` (a call, as in `autoDerefThrough`); undefined when none is (the builder's
 * own derefs apply) or a std smart pointer's deref is on the way.
 */
export function receiverDerefs(h: PlaceOpHost, p: Place, ty: Ty, n: number, mutable: boolean, span: Span): Place | undefined {
  let t = ty;
  let user = false;
  for (let i = 0; i < n; i++) {
    const step = derefStep(t);
    if (step) {
      if (!step.builtin) return undefined;
      t = step.target;
      continue;
    }
    const op = userDeref(t, h.file);
    if (!op) return undefined;
    user = true;
    t = op.target;
  }
  if (!user) return undefined;
  for (let i = 0; i < n; i++) {
    const step = derefStep(ty);
    if (step) {
      p = { local: p.local, projection: [...p.projection, { kind: 'deref' }] };
      ty = step.target;
      continue;
    }
    const op = userDeref(ty, h.file)!;
    p = overloadedPlace(h, p, ty, op, 'deref', mutable, undefined, span, span);
    ty = op.target;
  }
  return p;
}
