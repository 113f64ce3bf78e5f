/**
 * Mutability errors (rustc_borrowck `diagnostics/mutability_errors.rs`):
 *
 * - E0384 cannot assign twice to immutable variable / to immutable argument;
 * - E0596 cannot borrow as mutable (a non-`mut` binding, or through a `&` reference);
 * - E0594 cannot assign (to a field of a non-`mut` binding, or through a `&` reference).
 *
 * Whether a place may be written follows rustc's `is_mutable` (see `isMutable`): an owned path
 * from a `mut` binding, or through `&mut` / `*mut` / `Box` derefs, never through a `&` or
 * `*const`; every type on the way must be known, or nothing is said.
 */
import type { EngineDiagnostic, FixHint } from '../../base/diagnostic';
import type { Span } from '../../base/span';
import { containsUnknown, displayTy, isUnknown, type Ty } from '../../hir/ty';
import { derefStep, hasIndexMutByPosition } from '../../std/facts';
import type { Body, MirLocal, Place, ProjectionElem } from '../../mir/mir';
import { prefixTys } from '../places';
import { describeMovePlace } from '../moveData';
import type { CheckCtx } from './context';

/** E0384 at an assignment to the whole of an immutable binding that may already be initialised. */
export function reportAssignTwice(c: CheckCtx, place: Place, span: Span): void {
  if (!c.out.once(`E0384|${span.start.line}:${span.start.character}`)) return;
  const decl = c.cx.body.locals[place.local];
  const first = decl.kind === 'arg' ? decl.span : (c.firstInit.get(place.local) ?? decl.span);
  c.out.error(
    'E0384',
    span,
    decl.kind === 'arg'
      ? `cannot assign to immutable argument \`${decl.name}\``
      : `cannot assign twice to immutable variable \`${decl.name}\``,
    [
      { range: span, message: decl.kind === 'arg' ? 'cannot assign to immutable argument' : 'cannot assign twice to immutable variable' },
      {
        range: decl.kind === 'arg' ? decl.span : first.start.line === decl.span.start.line ? decl.span : first,
        message: `first assignment to \`${decl.name}\``,
      },
      { range: decl.span, message: `consider making this binding mutable: \`mut ${decl.name}\`` },
    ],
    decl.name ? [{ kind: 'makeMut', decl: decl.span, name: decl.name }] : undefined,
  );
}

/** E0596 / E0594 when `place` (borrowed mutably, or assigned) is not reachable mutably. */
export function checkMutability(c: CheckCtx, place: Place, span: Span, what: 'borrow' | 'assign'): void {
  const body = c.cx.body;
  const clo = body.closure;
  if (clo?.kind === 'Fn' && place.local >= 1 && place.local <= clo.upvars) {
    // An `Fn` closure reaches its captures through `&self`: none can be written or mutably
    // borrowed (rustc: "as it is a captured variable in a `Fn` closure").
    const decl = body.locals[place.local];
    const mutCapture = decl.ty.kind === 'ref' && decl.ty.mutable && place.projection[0]?.kind === 'deref';
    const byValue = place.projection.every((e) => e.kind === 'field' || e.kind === 'downcast');
    if (decl.name && (mutCapture || byValue)) {
      // The capture's own reference is not the user's: `runs`, not `*runs`.
      const desc = describeMovePlace(body, mutCapture ? { local: place.local, projection: place.projection.slice(1) } : place);
      push(
        c,
        what,
        span,
        what === 'borrow'
          ? `cannot borrow \`${desc}\` as mutable, as it is a captured variable in a \`Fn\` closure`
          : `cannot assign to \`${desc}\`, as it is a captured variable in a \`Fn\` closure`,
        what === 'borrow' ? 'cannot borrow as mutable' : 'cannot assign',
      );
    }
    return;
  }
  const decl = body.locals[place.local];
  if (decl.promoted?.kind === 'static') {
    // `&mut STATIC` of a `static` without `mut` (rustc: "immutable static item").
    if (decl.promoted.immutable && place.projection.length === 0 && what === 'borrow')
      push(c, what, span, `cannot borrow immutable static item \`${decl.promoted.name}\` as mutable`, 'cannot borrow as mutable');
    return;
  }
  // A closure's captures (`_1..=upvars`) are checked through how they are captured; its own
  // parameters are ordinary arguments.
  if (c.isClosure && decl.kind === 'arg' && (!clo || place.local <= clo.upvars)) return;
  // A binding of unknown type may be one an unknown macro shadows (`tokio::pin!(fut)` declares a
  // `mut fut`): only a known type (a generic `F: FnMut` included) says it is this binding.
  if (decl.ty.kind === 'unknown' || decl.ty.kind === 'infer') return;
  const tys = prefixTys(body, place);
  const err = isMutable(body, place, tys, place.projection.length, false);
  if (err === null || err === 'unknown') return;
  if (err.viaOverload !== undefined) {
    // rustc reports the `&mut v` of `IndexMut::index_mut` / `DerefMut::deref_mut` (E0596 even
    // for `v[i] = x`).
    place = { local: place.local, projection: place.projection.slice(0, err.viaOverload) };
    what = 'borrow';
  }
  if (err.kind === 'data') {
    // rustc cannot name a place behind `Deref::deref` / `Index::index`: "data in an `Rc`".
    const data = `data in ${err.data}`;
    push(
      c,
      what,
      span,
      what === 'borrow' ? `cannot borrow ${data} as mutable` : `cannot assign to ${data}`,
      what === 'borrow' ? 'cannot borrow as mutable' : 'cannot assign',
    );
    return;
  }
  if (decl.kind === 'temp' || decl.kind === 'return' || !decl.name) {
    // A temporary (a method receiver's `&mut **tmp`) is mutable itself; through a `&` rustc
    // cannot name the place: "cannot borrow data in a `&` reference as mutable".
    if (err.kind === 'local' || what !== 'borrow') return;
    const pointer = err.kind === 'ref' ? 'a `&` reference' : 'a `*const` pointer';
    // Keyed by the place too: `(&mut self).m()` on `&self` has this error and E0596 for `self`
    // at the same span (rustc de-duplicates by place and span).
    if (!c.out.once(`E0596|_${place.local}|${span.start.line}:${span.start.character}`)) return;
    c.out.error('E0596', span, `cannot borrow data in ${pointer} as mutable`, [{ range: span, message: 'cannot borrow as mutable' }]);
    return;
  }
  const desc = describeAccess(body, place);
  if (err.kind === 'local') {
    // rustc `report_mutability_error`: "as it is not declared as mutable" for the local itself,
    // "as `x` is not declared as mutable" for a place inside it.
    const whose = place.projection.length === 0 ? 'it' : `\`${decl.name}\``;
    const message =
      what === 'borrow'
        ? `cannot borrow \`${desc}\` as mutable, as ${whose} is not declared as mutable`
        : `cannot assign to \`${desc}\`, as \`${decl.name}\` is not declared as mutable`;
    if (what === 'borrow' && groupMutBorrow(c, place.local, span)) return;
    push(c, what, span, message, what === 'borrow' ? 'cannot borrow as mutable' : 'cannot assign', decl.span, decl.name ?? '');
    if (what === 'borrow') mutBorrowGroups(c).set(place.local, c.out.diags[c.out.diags.length - 1]);
    return;
  }
  // Behind a `&` reference or a `*const` pointer: the deref at projection `err.at - 1`.
  const pointer = err.kind === 'ref' ? 'a `&` reference' : 'a `*const` pointer';
  const ptrPlace: Place = { local: place.local, projection: place.projection.slice(0, err.at - 1) };
  const ptrDesc = describeAccess(body, ptrPlace);
  // rustc suggests `&mut` when the reference is the binding itself (`*r`, `r.f`), not a field of it.
  const own = err.kind === 'ref' && err.at === 1 && decl.ty.kind === 'ref';
  push(
    c,
    what,
    span,
    what === 'borrow'
      ? `cannot borrow \`${desc}\` as mutable, as it is behind ${pointer}`
      : `cannot assign to \`${desc}\`, which is behind ${pointer}`,
    err.kind === 'ref'
      ? what === 'borrow'
        ? `\`${ptrDesc}\` is ${pointer}, so it cannot be borrowed as mutable`
        : `\`${ptrDesc}\` is ${pointer}, so it cannot be written to`
      : what === 'borrow'
        ? 'cannot borrow as mutable'
        : 'cannot assign',
    undefined,
    undefined,
    own ? { kind: 'mutRef', decl: decl.span, name: decl.name! } : undefined,
  );
}

/**
 * A place as rustc's mutability errors print it: `describeMovePlace`, except that an index
 * written as a literal (`a[1]`, a `constantIndex` the builder makes without `minLength`) is
 * `a[_]`, as rustc indexes by a temporary (slice patterns' elements stay `a[..]`).
 */
function describeAccess(body: Body, place: Place): string {
  const projection = place.projection.map((e): ProjectionElem =>
    e.kind === 'constantIndex' && e.minLength === undefined ? { kind: 'index', local: null } : e,
  );
  return describeMovePlace(body, { local: place.local, projection });
}

/** Why a place cannot be written (rustc `is_mutable`'s error place and its cause). */
type MutErr = (
  | /** A local not declared `mut` (`the_place_err` is the local itself). */
    { kind: 'local' }
    /** Behind a deref of a `&` reference or a `*const` pointer, at projection length `at`. */
  | { kind: 'ref' | 'constPtr'; at: number }
  /**
   * Behind an overload rustc cannot name a place through: the deref of a smart pointer without
   * `DerefMut` (`data`: "an `Rc`"), the index of a map without `IndexMut` ("an index of
   * `HashMap<String, i32>`").
   */
  | { kind: 'data'; at: number; data: string }
) & {
  /**
   * Found for the `&mut base` of an `IndexMut` index or a `DerefMut` deref: the borrowed base is
   * the first `viaOverload` projections.
   */
  viaOverload?: number;
};

/** An error found for the base of an overloaded index/deref is reported as the `&mut base` the overload takes. */
function throughOverload(r: MutErr | null | 'unknown', base: number): MutErr | null | 'unknown' {
  return r === null || r === 'unknown' || r.viaOverload !== undefined ? r : { ...r, viaOverload: base };
}

/**
 * rustc `MirBorrowckCtxt::is_mutable` (rustc_borrowck/src/lib.rs): whether the first `n`
 * projections of `place` reach memory that may be written. A deref of `&mut` needs its base only
 * to be unique (the binding holding the `&mut` need not be `mut`: local mutation is then
 * allowed), a `&` deref never is, a `*mut` deref always is, a `*const` never; `Box` derefs,
 * fields, downcasts and array/slice indexing keep asking the base. Null: mutable; `unknown`: a
 * type on the way is not known, or the deref/index is overloaded (`Rc`, `Vec[i]`): say nothing.
 */
function isMutable(body: Body, place: Place, tys: Ty[], n: number, localMutationAllowed: boolean): MutErr | null | 'unknown' {
  if (n === 0) return body.locals[place.local].mutable || localMutationAllowed ? null : { kind: 'local' };
  const e = place.projection[n - 1];
  const base = tys[n - 1];
  if (isUnknown(base)) return 'unknown';
  switch (e.kind) {
    case 'deref':
      if (base.kind === 'ref' && !base.mutable && n === 1 && body.locals[place.local].placeOp)
        // The `&` result of the file's `Deref::deref` / `Index::index` (`mir/placeOps.ts`): no
        // `DerefMut` / `IndexMut` (rustc: "data in dereference of `P`", "data in an index of `V`").
        // With a `DerefMut` / `IndexMut` impl, the shared call means a mutable use the builder did
        // not see as one (precision first: no error).
        return body.locals[place.local].placeOp!.hasMut || containsUnknown(body.locals[place.local].placeOp!.base)
          ? 'unknown'
          : { kind: 'data', at: n, data: placeOpData(body.locals[place.local].placeOp!) };
      if (base.kind === 'ref') return base.mutable ? isMutable(body, place, tys, n - 1, true) : { kind: 'ref', at: n };
      if (base.kind === 'rawptr') return base.mutable ? null : { kind: 'constPtr', at: n };
      if (base.kind === 'adt') {
        const step = derefStep(base);
        if (!step) return 'unknown';
        if (step.builtin) return isMutable(body, place, tys, n - 1, localMutationAllowed); // Box
        // `DerefMut::deref_mut(&mut base)` (`String`, `Vec`, `RefMut`, `MutexGuard`): a mutable
        // borrow of the base; `Rc`/`Arc` have no `DerefMut` (rustc: "data in an `Rc`").
        if (step.mutable) return throughOverload(isMutable(body, place, tys, n - 1, false), n - 1);
        return base.std && (base.name === 'Rc' || base.name === 'Arc') ? { kind: 'data', at: n, data: `an \`${base.name}\`` } : 'unknown';
      }
      return 'unknown';
    case 'field':
    case 'downcast':
      return isMutable(body, place, tys, n - 1, localMutationAllowed);
    default: {
      // Built-in indexing of arrays and slices.
      if (base.kind === 'array' || base.kind === 'slice') return isMutable(body, place, tys, n - 1, localMutationAllowed);
      // `v[i]` of a `Vec`/`VecDeque` is `*IndexMut::index_mut(&mut v, i)`: a mutable borrow of
      // `v`, whose result is unique; maps have only `Index` ("data in an index of `HashMap<K, V>`").
      if (e.kind === 'subslice') return 'unknown';
      const indexMut = hasIndexMutByPosition(base);
      if (indexMut === false && !containsUnknown(base)) return { kind: 'data', at: n, data: `an index of \`${displayTy(base)}\`` };
      if (indexMut !== true) return 'unknown';
      return throughOverload(isMutable(body, place, tys, n - 1, false), n - 1);
    }
  }
}

/** How rustc names what an overloaded place operator's result points to (`MirLocal.placeOp`). */
function placeOpData(op: NonNullable<MirLocal['placeOp']>): string {
  return op.kind === 'deref' ? `dereference of \`${displayTy(op.base)}\`` : `an index of \`${displayTy(op.base)}\``;
}

const groups = new WeakMap<CheckCtx['out'], Map<number, EngineDiagnostic>>();

/** The E0596 already reported per immutable local of this body (see `groupMutBorrow`). */
function mutBorrowGroups(c: CheckCtx): Map<number, EngineDiagnostic> {
  let m = groups.get(c.out);
  if (!m) groups.set(c.out, (m = new Map()));
  return m;
}

/**
 * rustc bundles the mutable borrows of one immutable local into one E0596 (`buffer_mut_error`
 * in rustc_borrowck `diagnostics/mutability_errors.rs`): from the second one on, the primary
 * span is the local's declaration ("not mutable") and every borrow is a secondary label; the
 * message stays the first one's. True when `span` joined an earlier error of `local`.
 */
function groupMutBorrow(c: CheckCtx, local: number, span: Span): boolean {
  const d = mutBorrowGroups(c).get(local);
  if (!d) return false;
  if (!c.out.once(`E0596|${span.start.line}:${span.start.character}`)) return true;
  const decl = c.cx.body.locals[local].span;
  if (d.range !== decl) {
    d.range = decl;
    d.related.unshift({ range: decl, message: 'not mutable' });
  }
  // After the borrows already listed, before the suggestion.
  const at = d.related.findIndex((r, i) => i > 0 && r.range === decl);
  d.related.splice(at < 0 ? d.related.length : at, 0, { range: span, message: 'cannot borrow as mutable' });
  return true;
}

function push(
  c: CheckCtx,
  what: 'borrow' | 'assign',
  span: Span,
  message: string,
  label: string,
  declSpan?: Span,
  name?: string,
  fix?: FixHint,
): void {
  const code = what === 'borrow' ? 'E0596' : 'E0594';
  if (!c.out.once(`${code}|${span.start.line}:${span.start.character}`)) return;
  const related = [{ range: span, message: label }];
  if (declSpan && name) related.push({ range: declSpan, message: `consider changing this to be mutable: \`mut ${name}\`` });
  const fixes: FixHint[] = fix ? [fix] : declSpan && name ? [{ kind: 'makeMut', decl: declSpan, name }] : [];
  c.out.error(code, span, message, related, fixes);
}
