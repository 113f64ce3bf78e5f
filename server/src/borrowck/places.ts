/**
 * Places as the borrow checker sees them: the type at each step of a projection, how rustc
 * describes a place in messages (`x`, `x.f`, `*r`, `v[_]`), and which borrows need no tracking
 * (rustc_borrowck `PlaceExt::ignore_borrow`).
 */
import type { Ty } from '../hir/ty';
import { derefStep, derefTy } from '../std/facts';
import type { Span } from '../base/span';
import type { Body, Place, ProjectionElem } from '../mir/mir';

/**
 * The type of the place's local and of each prefix: `tys[0]` is the local's type, `tys[i + 1]`
 * the type after projection `i`. Unknown steps give `{ kind: 'unknown' }`.
 */
export function prefixTys(body: Body, p: Place): Ty[] {
  const unknownTy: Ty = { kind: 'unknown' };
  let t: Ty = body.locals[p.local]?.ty ?? unknownTy;
  const out: Ty[] = [t];
  for (const e of p.projection) {
    t = projectTy(t, e) ?? unknownTy;
    out.push(t);
  }
  return out;
}

/** The type of `base.elem` for one projection element, undefined when it cannot be told. */
export function projectTy(base: Ty, e: ProjectionElem): Ty | undefined {
  switch (e.kind) {
    case 'deref':
      return base.kind === 'ref' || base.kind === 'rawptr' ? base.inner : derefTy(base);
    case 'field':
      return e.ty;
    case 'subslice':
      return base.kind === 'array' ? { kind: 'slice', elem: base.elem } : base;
    case 'index':
    case 'constantIndex': {
      const seq = base.kind === 'array' || base.kind === 'slice' ? base : derefTy(base);
      return seq && (seq.kind === 'array' || seq.kind === 'slice') ? seq.elem : undefined;
    }
    case 'downcast':
      return base;
  }
}

/** The type of the whole place. */
export function placeTy(body: Body, p: Place): Ty {
  const tys = prefixTys(body, p);
  return tys[tys.length - 1];
}

/** How a `deref` step dereferences: a shared or mutable reference, a raw pointer, a Box, or another smart pointer. */
export type DerefKind = 'shared' | 'mut' | 'raw' | 'box' | 'other';

/** The kind of the deref at projection index `i` of `p` (`p.projection[i]` must be a deref). */
export function derefKindAt(tys: Ty[], i: number): DerefKind {
  const t = tys[i];
  if (t.kind === 'ref') return t.mutable ? 'mut' : 'shared';
  if (t.kind === 'rawptr') return 'raw';
  if (t.kind === 'adt' && derefStep(t)?.builtin) return 'box'; // the std registry's built-in deref
  return 'other';
}

/**
 * True when a borrow of `p` needs no loan (rustc `ignore_borrow`): the place goes through a
 * deref of a shared reference or a raw pointer, so what it borrows is owned elsewhere and cannot
 * be invalidated from here. (The new reference still keeps the dereferenced reference's own
 * loans alive: see `regions.ts`.) Smart-pointer derefs other than Box (Rc, String → str through
 * `Deref`) are no loans of their target either: their target is reached through a method call in
 * rustc's MIR, `Deref::deref(&p)`, whose loan of the pointer `borrowSet.ts` records instead.
 */
export function ignoreBorrow(body: Body, p: Place): boolean {
  const tys = prefixTys(body, p);
  for (let i = 0; i < p.projection.length; i++) {
    if (p.projection[i].kind !== 'deref') continue;
    const k = derefKindAt(tys, i);
    if (k === 'shared' || k === 'raw' || k === 'other') return true;
  }
  return false;
}

/** The user-facing name of a local: its binding name, or `_N` for temporaries. */
export function localName(body: Body, l: number): string {
  return body.locals[l]?.name ?? `_${l}`;
}

/**
 * A place as rustc's diagnostics describe it (`describe_place`): `x`, `x.name`, `*r`, `r.f` for
 * a field reached through a reference (auto-deref), `*b` for a Box, `v[_]` for an index, `x.0`.
 * Undefined when the place is a temporary rustc would not name.
 */
export function describePlace(body: Body, p: Place): string | undefined {
  const root = body.locals[p.local];
  if (!root?.name) return undefined;
  const tys = prefixTys(body, p);
  let s = root.name;
  let pendingDeref = false;
  for (let i = 0; i < p.projection.length; i++) {
    const e = p.projection[i];
    if (e.kind === 'deref') {
      if (pendingDeref) s = `*${s}`;
      pendingDeref = true;
      continue;
    }
    if (e.kind === 'downcast') continue;
    if (pendingDeref) {
      // A field or index through a reference prints as auto-deref (`r.f`), through a Box too.
      const k = derefKindAt(tys, i - 1);
      if (k !== 'shared' && k !== 'mut' && k !== 'box') s = `(*${s})`;
      pendingDeref = false;
    }
    if (e.kind === 'field') s = `${s}.${e.name}`;
    else s = `${s}[_]`;
  }
  if (pendingDeref) s = `*${s}`;
  return s;
}

/** Whether `p` is exactly the local (no projection). */
export function isLocal(p: Place): boolean {
  return p.projection.length === 0;
}

/**
 * The place and span rustc's messages name for a loan of `place` taken at `span` (`&v[i]`,
 * `&mut v[i]`, of kind `kind`). An index rustc lowers to a call `Index::index(&v, i)` (the base is
 * not an array or slice, or the index is not a `usize`: `&v[..]`, `&v[0]` of a Vec, `&map[&k]`)
 * borrows `v` itself, at `v`: `overloaded` is then set. Otherwise the loan's own place and span.
 */
export function loanSite(body: Body, loan: { place: Place; span: Span; kind: string }): { place: Place; span: Span; overloaded: boolean } {
  const p = loan.place;
  const own = { place: p, span: loan.span, overloaded: false };
  const e = p.projection[0];
  if (p.projection.length !== 1 || (e.kind !== 'index' && !(e.kind === 'constantIndex' && e.minLength === undefined))) return own;
  const base = body.locals[p.local];
  const idxTy = e.kind === 'index' && e.local !== null ? body.locals[e.local]?.ty : undefined;
  const usize = e.kind === 'constantIndex' || (idxTy?.kind === 'int' && idxTy.name === 'usize');
  const builtin = (base?.ty.kind === 'array' || base?.ty.kind === 'slice') && usize;
  if (builtin || !base?.name || base.ty.kind === 'unknown' || base.ty.kind === 'ref') return own;
  const skip = loan.kind === 'shared' ? 1 : 5; // `&` or `&mut `
  const start = { line: loan.span.start.line, character: loan.span.start.character + skip };
  return {
    place: { local: p.local, projection: [] },
    span: { start, end: { line: start.line, character: start.character + base.name.length } },
    overloaded: true,
  };
}
