/**
 * Conflicts between an access and a loan in scope (rustc_borrowck `check_access_for_conflict`
 * and `diagnostics/conflict_errors.rs`):
 *
 * - E0499 cannot borrow `x` as mutable more than once at a time;
 * - E0502 cannot borrow `x` as mutable because it is also borrowed as immutable (and the reverse);
 * - E0503 cannot use `x` because it was mutably borrowed;
 * - E0505 cannot move out of `x` because it is borrowed;
 * - E0506 cannot assign to `x` because it is borrowed.
 *
 * A write that ends a value's storage (StorageDead, drop) while it is borrowed is a region error
 * (`region.ts`). Messages and labels are rustc 1.95's.
 */
import type { FixHint } from '../../base/diagnostic';
import type { Span } from '../../base/span';
import type { Place } from '../../mir/mir';
import { isClone } from '../../std/facts';
import { describeMovePlace } from '../moveData';
import type { Location } from '../../mir/visit';
import type { BitSet } from '../bitset';
import type { Loan } from '../borrowSet';
import { placesConflict, type AccessDepth } from '../placesConflict';
import { derefKindAt, describePlace, loanSite, placeTy, prefixTys } from '../places';
import { hasDropImpl } from '../context';
import { displayTy, type Ty } from '../../hir/ty';
import type { CheckCtx } from './context';
import { laterUse, laterUseLabel } from './explain';
import { reportDoesNotLiveLongEnough } from './region';
import { spanKey } from './reporter';

/** What an access does (rustc `ReadOrWrite`). */
export type Access =
  | { kind: 'read'; read: 'copy' | 'borrow' }
  /** The creation of a two-phase borrow (`&mut` autoref of a receiver): a shared read until activated. */
  | { kind: 'reservation' }
  /** The first use of a two-phase borrow's reference: now a mutable borrow. */
  | { kind: 'activation'; loan: number }
  | { kind: 'write'; write: 'mutate' | 'move' | 'mutBorrow' | 'uniqueBorrow' | 'storageDeadOrDrop' };

/** Is two-phase loan `l` active at `loc` (past its activation)? Other loans always are. */
export function isActive(c: CheckCtx, l: Loan, loc: Location): boolean {
  if (l.kind !== 'twoPhaseMut') return true;
  if (!l.activation) return false;
  const r = c.readingArgsAt;
  if (r && r.block === l.activation.block && r.index === l.activation.index && r.block === loc.block && r.index === loc.index) return false;
  return reservationWindow(c, l).has(`${loc.block}:${loc.index}`) === false;
}

const windows = new WeakMap<Loan, Set<string>>();

/** The locations after a two-phase loan's reservation and before its activation. */
function reservationWindow(c: CheckCtx, l: Loan): Set<string> {
  let w = windows.get(l);
  if (w) return w;
  w = new Set();
  const body = c.cx.body;
  const act = l.activation;
  const stack: Location[] = [{ block: l.loc.block, index: l.loc.index + 1 }];
  const seenBlocks = new Set<number>();
  while (stack.length && w.size < 10_000) {
    const { block, index } = stack.pop()!;
    const bb = body.blocks[block];
    if (!bb) continue;
    let stopped = false;
    for (let i = index; i <= bb.statements.length; i++) {
      if (act && act.block === block && act.index === i) {
        stopped = true;
        break;
      }
      w.add(`${block}:${i}`);
    }
    if (stopped) continue;
    const t = bb.terminator;
    const succ = t.kind === 'goto' ? [t.target] : t.kind === 'call' && t.target !== null ? [t.target] : t.kind === 'drop' ? [t.target] : [];
    for (const s of succ) {
      if (seenBlocks.has(s)) continue;
      seenBlocks.add(s);
      stack.push({ block: s, index: 0 });
    }
  }
  windows.set(l, w);
  return w;
}

/**
 * Checks an access to `place` at `loc` against the loans in scope (`inScope`), reporting the
 * first conflict as rustc does. `span` is the access's source.
 */
export function checkAccess(
  c: CheckCtx,
  loc: Location,
  place: Place,
  span: Span,
  depth: AccessDepth,
  access: Access,
  inScope: BitSet,
): void {
  // The activation of a reservation that was already an error is not reported again (rustc
  // `reservation_error_reported`).
  if (access.kind === 'activation' && c.out.has(`reservation|${placeKey(place)}`)) return;
  const before = c.out.diags.length;
  checkAccessInner(c, loc, place, span, depth, access, inScope);
  if (access.kind === 'reservation' && c.out.diags.length > before) c.out.once(`reservation|${placeKey(place)}`);
}

const placeKey = (p: Place): string =>
  `${p.local}${p.projection.map((e) => (e.kind === 'field' ? `.${e.index}` : e.kind === 'deref' ? '*' : `[${e.kind}]`)).join('')}`;

function checkAccessInner(c: CheckCtx, loc: Location, place: Place, span: Span, depth: AccessDepth, access: Access, inScope: BitSet): void {
  const body = c.cx.body;
  // Only the loans of the place's local can conflict (`placesConflict`), in loan order (rustc
  // `each_borrow_involving_path` over `borrow_set.local_map`): not every loan in scope.
  for (const id of c.set.byLocal.get(place.local) ?? []) {
    if (!inScope.has(id)) continue;
    const loan = c.set.loans[id];
    // A read or a reservation never conflicts with a shared loan: no place comparison for them.
    if ((access.kind === 'read' || access.kind === 'reservation') && loan.kind === 'shared') continue;
    if (!placesConflict(body, loan.place, place, depth, 'overlap', c.cx.unions, (t) => hasDropImpl(c.cx, t))) continue;
    if (access.kind === 'activation' && access.loan === id) continue;
    if (loan.kind === 'fake') {
      // A match's fake borrow is shallow (it does not cover what lies inside the place) and only
      // forbids changing the place in a guard; moves are the initialisation checks' business.
      if (insideOf(place, loan.place) || access.kind === 'read' || access.kind === 'reservation') continue;
      if (access.kind === 'write' && (access.write === 'move' || access.write === 'storageDeadOrDrop')) continue;
      // The arm's own `ref mut` bindings are made for its guard, and allowed (rustc binds them
      // before the guard without a conflict): only what the guard's code does counts.
      if (!guardSpans(c, loan).some((g) => within(span, g))) continue;
      reportMutationInGuard(c, place, span, loan, access.kind === 'write' && access.write === 'mutate' ? 'assign' : 'mutably borrow');
      return;
    }
    if (access.kind === 'read') {
      // Reading from a mere reservation of a mutable borrow is fine.
      if (!isActive(c, loan, loc)) continue;
      if (access.read === 'copy' && loan.kind !== 'unique') reportUseWhileMutablyBorrowed(c, loc, place, span, loan);
      else reportConflictingBorrow(c, loc, place, span, 'shared', loan);
      return;
    }
    if (access.kind === 'reservation' || access.kind === 'activation') {
      reportConflictingBorrow(c, loc, place, span, 'mut', loan);
      return;
    }
    switch (access.write) {
      case 'mutBorrow':
        reportConflictingBorrow(c, loc, place, span, 'mut', loan);
        return;
      case 'uniqueBorrow':
        reportConflictingBorrow(c, loc, place, span, 'unique', loan);
        return;
      case 'storageDeadOrDrop':
        if (depth === 'drop' && reportBorrowConflictsWithDestructor(c, place, span, loan)) return;
        reportDoesNotLiveLongEnough(c, loc, place, span, loan);
        return;
      case 'mutate':
        reportAssignToBorrowed(c, loc, place, span, loan);
        return;
      case 'move':
        reportMoveOutWhileBorrowed(c, loc, place, span, loan);
        return;
    }
  }
}

/** The guards a fake loan protects the place during: the spans of the reads of its reference (`FakeRead` at each guard's end). */
function guardSpans(c: CheckCtx, loan: Loan): Span[] {
  let spans = guardSpansOf.get(loan);
  if (!spans) {
    const found: Span[] = [];
    for (const bb of c.cx.body.blocks)
      for (const s of bb.statements)
        if (s.kind === 'fakeRead' && s.place.local === loan.holder && !s.place.projection.length) found.push(s.span);
    guardSpansOf.set(loan, (spans = found));
  }
  return spans;
}

const guardSpansOf = new WeakMap<Loan, Span[]>();

const before = (a: Span['start'], b: Span['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
const within = (s: Span, outer: Span): boolean => before(outer.start, s.start) && before(s.end, outer.end);

/** Whether `inner` lies strictly inside `outer` (a longer projection; downcasts aside). */
function insideOf(inner: Place, outer: Place): boolean {
  const n = (p: Place): number => p.projection.filter((e) => e.kind !== 'downcast').length;
  return inner.local === outer.local && n(inner) > n(outer);
}

/**
 * E0510 (rustc `cannot_mutate_in_immutable_section`): a match guard assigns or mutably borrows
 * a place the match's patterns test (`loan` is the match's fake borrow, at the scrutinee).
 */
function reportMutationInGuard(c: CheckCtx, place: Place, span: Span, loan: Loan, action: 'assign' | 'mutably borrow'): void {
  if (!c.out.once(`access|${spanKey(span)}`)) return;
  const d = desc(c, place);
  c.out.error(
    'E0510',
    span,
    `cannot ${action} \`${d}\` in match guard`,
    related({ range: span, message: `cannot ${action}` }, { range: loan.span, message: 'value is immutable in match guard' }),
  );
}

function desc(c: CheckCtx, p: Place): string {
  return describePlace(c.cx.body, p) ?? 'value';
}

function related(...labels: ({ range: Span; message: string } | undefined)[]): { range: Span; message: string }[] {
  return labels.filter((l): l is { range: Span; message: string } => !!l);
}

/**
 * E0499 / E0502, and E0500 / E0501 / E0524 when a closure's unique capture is involved (rustc
 * `report_conflicting_borrow`). `kind`: the new borrow's.
 */
function reportConflictingBorrow(
  c: CheckCtx,
  loc: Location,
  place: Place,
  span: Span,
  kind: 'shared' | 'mut' | 'unique',
  issued: Loan,
): void {
  if (!c.out.once(`access|${spanKey(span)}`)) return;
  const d = desc(c, place);
  const use = laterUse(c, issued.id, loc, span);
  if (kind === 'unique' && issued.kind === 'unique') {
    c.out.error(
      'E0524',
      span,
      `two closures require unique access to \`${d}\` at the same time`,
      related(
        { range: span, message: 'second closure is constructed here' },
        { range: issued.span, message: 'first closure is constructed here' },
        laterUseLabel(use, 'first '),
      ),
    );
    return;
  }
  if (kind === 'unique') {
    // A unique capture of a `&mut` variable: edition 2021 captures the place it points to
    // (`*list`), earlier editions the variable itself (`self`).
    const precise = c.cx.edition === '2021' || c.cx.edition === '2024';
    const ud = precise && placeTy(c.cx.body, place).kind === 'ref' ? `*${d}` : d;
    c.out.error(
      'E0500',
      span,
      `closure requires unique access to \`${ud}\` but it is already borrowed`,
      related(
        { range: span, message: 'closure construction occurs here' },
        { range: issued.span, message: 'borrow occurs here' },
        laterUseLabel(use, 'first '),
      ),
    );
    return;
  }
  if (issued.kind === 'unique') {
    c.out.error(
      'E0501',
      span,
      `cannot borrow \`${d}\` as ${kind === 'mut' ? 'mutable' : 'immutable'} because previous closure requires unique access`,
      related(
        { range: span, message: 'borrow occurs here' },
        { range: issued.span, message: 'closure construction occurs here' },
        laterUseLabel(use, 'first '),
      ),
    );
    return;
  }
  const sameSite = issued.span.start.line === span.start.line && issued.span.start.character === span.start.character;
  if (kind === 'mut' && issued.kind !== 'shared') {
    if (sameSite) {
      c.out.error(
        'E0499',
        span,
        `cannot borrow \`${d}\` as mutable more than once at a time`,
        related(
          { range: span, message: `\`${d}\` was mutably borrowed here in the previous iteration of the loop` },
          laterUseLabel(use, 'first '),
        ),
      );
      return;
    }
    c.out.error(
      'E0499',
      span,
      `cannot borrow \`${d}\` as mutable more than once at a time`,
      related(
        { range: span, message: 'second mutable borrow occurs here' },
        { range: issued.span, message: 'first mutable borrow occurs here' },
        laterUseLabel(use, 'first '),
      ),
    );
    return;
  }
  if (kind === 'mut') {
    c.out.error(
      'E0502',
      span,
      `cannot borrow \`${d}\` as mutable because it is also borrowed as immutable`,
      related(
        { range: span, message: 'mutable borrow occurs here' },
        { range: issued.span, message: 'immutable borrow occurs here' },
        laterUseLabel(use, 'immutable '),
      ),
      cloneBorrowFix(c, issued),
    );
    return;
  }
  c.out.error(
    'E0502',
    span,
    `cannot borrow \`${d}\` as immutable because it is also borrowed as mutable`,
    related(
      { range: span, message: 'immutable borrow occurs here' },
      { range: issued.span, message: 'mutable borrow occurs here' },
      laterUseLabel(use, 'mutable '),
    ),
  );
}

/** E0503 (rustc `report_use_while_mutably_borrowed`). */
function reportUseWhileMutablyBorrowed(c: CheckCtx, loc: Location, place: Place, span: Span, loan: Loan): void {
  if (!c.out.once(`access|${spanKey(span)}`)) return;
  const d = desc(c, place);
  const bd = desc(c, loan.place);
  c.out.error(
    'E0503',
    span,
    `cannot use \`${d}\` because it was mutably borrowed`,
    related(
      { range: span, message: `use of borrowed \`${bd}\`` },
      { range: loan.span, message: `\`${bd}\` is borrowed here` },
      laterUseLabel(laterUse(c, loan.id, loc, span), ''),
    ),
  );
}

/** E0506 (rustc `report_illegal_mutation_of_borrowed`). */
function reportAssignToBorrowed(c: CheckCtx, loc: Location, place: Place, span: Span, loan: Loan): void {
  if (!c.out.once(`access|${spanKey(span)}`)) return;
  // rustc names the assigned place in both labels (`cannot_assign_to_borrowed`), even when the
  // loan is of a larger place (`s.port` is borrowed here, for a loan of `s`).
  const d = desc(c, place);
  c.out.error(
    'E0506',
    span,
    `cannot assign to \`${d}\` because it is borrowed`,
    related(
      { range: span, message: `\`${d}\` is assigned to here but it was already borrowed` },
      { range: loan.span, message: `\`${d}\` is borrowed here` },
      laterUseLabel(laterUse(c, loan.id, loc, span, false), ''),
    ),
    cloneBorrowFix(c, loan),
  );
}

/** E0505 (rustc `report_move_out_while_borrowed`). */
function reportMoveOutWhileBorrowed(c: CheckCtx, loc: Location, place: Place, span: Span, loan: Loan): void {
  if (!c.out.once(`access|${spanKey(span)}`)) return;
  const d = desc(c, place);
  const site = loanSite(c.cx.body, loan);
  const bd = desc(c, site.place);
  const root = c.cx.body.locals[place.local];
  c.out.error(
    'E0505',
    span,
    `cannot move out of \`${d}\` because it is borrowed`,
    related(
      { range: span, message: `move out of \`${d}\` occurs here` },
      root?.name && root.kind !== 'temp' ? { range: root.span, message: `binding \`${root.name}\` declared here` } : undefined,
      { range: site.span, message: `borrow of \`${bd}\` occurs here` },
      laterUseLabel(laterUse(c, loan.id, loc, span, false), ''),
    ),
    cloneBorrowFix(c, loan),
  );
}

/**
 * E0713 (rustc `report_borrow_conflicts_with_destructor`): the drop of `dropped` runs a `Drop`
 * impl that can reach the borrowed place, which is behind a `&mut` in one of its fields
 * (`&mut *s.url` returned while `s: S` with `impl Drop for S` is dropped). Reported when the
 * borrowed place goes through a field of a type with a destructor (rustc
 * `classify_drop_access_kind`: the outermost such ADT) and is not a prefix of the dropped place;
 * false otherwise (the caller reports E0597).
 */
export function reportBorrowConflictsWithDestructor(c: CheckCtx, dropped: Place, span: Span, loan: Loan): boolean {
  const body = c.cx.body;
  const bp = loan.place;
  if (bp.local !== dropped.local || bp.projection.length <= dropped.projection.length) return false;
  const tys = prefixTys(body, bp);
  // The outermost ADT with a destructor on the way, reached from the dropped value itself: a
  // deref of a reference or a raw pointer before it means the dropped value does not own it
  // (dropping `self: &mut Self` runs nothing).
  let dtorTy: Ty | undefined;
  for (let i = 0; i < bp.projection.length && !dtorTy; i++) {
    const e = bp.projection[i];
    if (e.kind === 'deref' && derefKindAt(tys, i) !== 'box') break;
    if ((e.kind === 'field' || e.kind === 'downcast') && hasDropImpl(c.cx, tys[i])) dtorTy = tys[i];
  }
  if (!dtorTy) return false;
  if (!c.out.once(`E0713|${loan.id}`)) return true;
  const bd = describeMovePlace(body, bp);
  const dd = describeMovePlace(body, dropped);
  c.out.error('E0713', loan.span, 'borrow may still be in use when destructor runs', [
    {
      range: span,
      message: `here, drop of \`${dd}\` needs exclusive access to \`${bd}\`, because the type \`${displayTy(dtorTy)}\` implements the \`Drop\` trait`,
    },
  ]);
  return true;
}

/**
 * The fix of a conflict with the shared loan `loan` (rustc `suggest_cloning` on the borrowed
 * value): borrow a clone, so the loan no longer holds the place. Only for an explicit `&place`
 * of an owned path (no deref or index) whose type is known to implement `Clone`.
 */
function cloneBorrowFix(c: CheckCtx, loan: Loan): FixHint[] | undefined {
  if (loan.kind !== 'shared' || loan.closure) return undefined;
  const body = c.cx.body;
  const decl = body.locals[loan.place.local];
  if (!decl?.name || decl.kind === 'temp' || loan.place.projection.some((e) => e.kind !== 'field')) return undefined;
  const stmt = body.blocks[loan.loc.block]?.statements[loan.loc.index];
  if (stmt?.kind !== 'assign' || stmt.rvalue.kind !== 'ref') return undefined;
  const ty = placeTy(body, loan.place);
  if (isClone(ty, c.cx.adts) !== true) return undefined;
  return [{ kind: 'cloneBorrow', span: loan.span, path: describeMovePlace(body, loan.place) }];
}
