/**
 * Region errors: a borrowed value does not live as long as the borrow must (rustc_borrowck
 * `report_borrowed_value_does_not_live_long_enough`, `region_errors.rs`):
 *
 * - E0597 `x` does not live long enough (dropped while still borrowed);
 * - E0716 temporary value dropped while borrowed;
 * - E0515 cannot return reference to / value referencing local variable, function parameter or
 *   temporary value;
 * - E0373 closure may outlive the current function, but it borrows `x`.
 *
 * Each is reported once per loan, where the borrowed value's storage ends (its `StorageDead` or
 * `drop`, or the function's return for a parameter) while the loan is still in scope.
 */
import type { Span } from '../../base/span';
import type { Operand, Place } from '../../mir/mir';
import type { Ty } from '../../hir/ty';
import { hasRegions } from '../context';
import { forEachLocation, rvalueOperands, type Location } from '../../mir/visit';
import { BitSet } from '../bitset';
import type { Loan } from '../borrowSet';
import { describePlace, loanSite } from '../places';
import type { CheckCtx } from './context';
import { laterUse, laterUseLabel, tempCreatedLabel } from './explain';

type Label = { range: Span; message: string };

const labels = (...ls: (Label | undefined)[]): Label[] => ls.filter((l): l is Label => !!l);

/** The storage of `dropped` ends at `loc` (span `span`) while `loan` is in scope. */
export function reportDoesNotLiveLongEnough(c: CheckCtx, loc: Location, dropped: Place, span: Span, loan: Loan): void {
  if (!c.out.once(`region|${loan.id}`)) return;
  const body = c.cx.body;
  const root = loan.place.local;
  const decl = body.locals[root];
  const esc = c.regions.escape(loan.id);
  const isTemp = !decl?.name || decl.kind === 'temp';
  const name = decl?.name ?? '';
  // Data owned by a closure's environment (its upvars) escaping the closure is a region error
  // rustc words without a code ("lifetime may not live long enough"): say nothing.
  if (c.isClosure && decl?.kind === 'arg' && esc) return;
  if (loan.closure && esc) {
    // The closure's parameters (`||`, `|s: &str|`: the capture's borrow span), and the use in
    // its body that captures.
    const head = loan.span;
    c.out.error(
      'E0373',
      head,
      `closure may outlive the current function, but it borrows \`${name}\`, which is owned by the current function`,
      [
        { range: head, message: `may outlive borrowed value \`${name}\`` },
        { range: loan.captureUse ?? loan.span, message: `\`${name}\` is borrowed here` },
      ],
    );
    return;
  }
  if (esc?.kind === 'return') {
    reportReturnOfLocal(c, loan, isTemp);
    return;
  }
  const use = esc ? undefined : laterUse(c, loan.id, loc, span, false);
  if (isTemp) {
    c.out.error(
      'E0716',
      decl.span,
      'temporary value dropped while borrowed',
      labels(
        { range: decl.span, message: 'creates a temporary value which is freed while still in use' },
        { range: span, message: 'temporary value is freed at the end of this statement' },
        laterUseLabel(use, ''),
      ),
    );
    return;
  }
  void dropped;
  // A closure's capture: rustc points at the use in the closure's body, and says where the
  // value is captured (the closure's parameters).
  const primary = loan.captureUse ?? loan.span;
  c.out.error(
    'E0597',
    primary,
    `\`${name}\` does not live long enough`,
    labels(
      { range: primary, message: 'borrowed value does not live long enough' },
      loan.captureUse ? { range: loan.span, message: 'value captured here' } : undefined,
      decl.kind === 'user' ? { range: decl.span, message: `binding \`${name}\` declared here` } : undefined,
      { range: span, message: `\`${name}\` dropped here while still borrowed` },
      tempCreatedLabel(use, ''),
      laterUseLabel(use, ''),
    ),
  );
}

/** E0515: the loan reaches the return place. */
function reportReturnOfLocal(c: CheckCtx, loan: Loan, isTemp: boolean): void {
  const body = c.cx.body;
  const locals = c.regions.localsOf(loan.id);
  // The statement or call that writes the returned value.
  let ret: { span: Span; direct: boolean } | undefined;
  forEachLocation(body, (x) => {
    if (ret) return;
    if (x.kind === 'assign' && x.place.local === 0 && x.place.projection.length === 0) {
      if (x.rvalue.kind === 'ref' && loan.holder === 0) ret = { span: x.span, direct: true };
      // `&*_o` of the result of the file's `Index::index(&w, i)` (`mir/placeOps.ts`): a reborrow of what holds the loan.
      else if (x.rvalue.kind === 'ref' && body.locals[x.rvalue.place.local]?.placeOp && locals.has(x.rvalue.place.local))
        ret = { span: x.span, direct: false };
      else if (rvalueOperands(x.rvalue).some((o) => o.kind !== 'constant' && locals.has(o.place.local))) {
        const direct =
          x.rvalue.kind === 'use' &&
          x.rvalue.operand.kind !== 'constant' &&
          x.rvalue.operand.place.local === loan.holder &&
          body.locals[loan.holder]?.kind === 'temp';
        ret = { span: x.span, direct };
      }
    } else if (x.kind === 'call' && x.dest.local === 0 && x.args.some((o) => o.kind !== 'constant' && locals.has(o.place.local))) {
      ret = { span: x.span, direct: false };
    }
  });
  const span = ret?.span ?? loan.span;
  // `&v[..]` of a Vec (or any index rustc lowers to `Index::index(&v, i)`) returns the result of
  // a call that borrows `v`: a value referencing `v`, borrowed at `v`.
  const overloaded = loanSite(body, loan).overloaded ? loanSite(body, loan).span : undefined;
  const direct = !overloaded && (loan.holder === 0 || (ret?.direct ?? false));
  const decl = body.locals[loan.place.local];
  const throughDeref = loan.place.projection.some((e) => e.kind === 'deref');
  const what = isTemp
    ? 'temporary value'
    : throughDeref
      ? `local data \`${describePlace(body, loan.place) ?? decl.name}\``
      : decl.kind === 'arg'
        ? `function parameter \`${decl.name}\``
        : `local variable \`${decl.name}\``;
  // rustc has no suggestion here; the fix returns an owned value (the IDE checks the signature).
  const fixes = ret && body.closureId === undefined ? [{ kind: 'returnOwned' as const, fn: body.name, span: ret.span }] : undefined;
  if (direct) {
    c.out.error(
      'E0515',
      span,
      `cannot return reference to ${what}`,
      labels(
        { range: span, message: 'returns a reference to data owned by the current function' },
        isTemp ? { range: decl.span, message: 'temporary value created here' } : undefined,
      ),
      fixes,
    );
    return;
  }
  c.out.error(
    'E0515',
    span,
    `cannot return value referencing ${what}`,
    labels(
      { range: span, message: 'returns a value referencing data owned by the current function' },
      isTemp
        ? { range: decl.span, message: 'temporary value created here' }
        : { range: overloaded ?? loan.span, message: `\`${decl.name}\` is borrowed here` },
    ),
    fixes,
  );
}

/**
 * E0521 borrowed data escapes outside of function (rustc `report_escaping_data_error`): what a
 * parameter of the fn refers to (a region of the caller's) flows into an argument a call needs
 * `'static` (`thread::spawn(move || println!("{x}"))` with `x: &i32`). Once per parameter, at the
 * call; parameters whose borrows are all `'static` are fine. Not in closures (their parameters'
 * regions are the closure's own: rustc words those errors differently).
 */
export function reportEscapingParams(c: CheckCtx): void {
  const body = c.cx.body;
  if (body.closure || c.isClosure || !c.regions.staticArgs.size) return;
  for (let p = 1; p <= body.argCount; p++) {
    const decl = body.locals[p];
    if (!decl?.name || !hasRegions(c.cx, decl.ty) || onlyStatic(decl.ty)) continue;
    const reach = c.regions.reach(p);
    const sink = [...c.regions.staticArgs].find(([l]) => reach.has(l));
    if (!sink) continue;
    const span = sink[1];
    if (!c.out.once(`E0521|${p}`)) continue;
    const what = decl.name === 'self' ? 'method' : 'function';
    c.out.error(
      'E0521',
      span,
      `borrowed data escapes outside of ${what}`,
      labels(
        {
          range: decl.span,
          message:
            decl.ty.kind === 'ref'
              ? `\`${decl.name}\` is a reference that is only valid in the ${what} body`
              : `\`${decl.name}\` declared here, outside of the ${what} body`,
        },
        { range: span, message: `\`${decl.name}\` escapes the ${what} body here` },
      ),
    );
  }
}

/** Whether every reference in `t` is `&'static` (and it names no other region). */
function onlyStatic(t: Ty, depth = 0): boolean {
  if (depth > 24) return false;
  switch (t.kind) {
    case 'ref':
      return t.region === "'static" && onlyStatic(t.inner, depth + 1);
    case 'tuple':
      return t.elems.every((e) => onlyStatic(e, depth + 1));
    case 'array':
    case 'slice':
      return onlyStatic(t.elem, depth + 1);
    case 'adt':
      return !!t.regions?.every((r) => r === "'static") && t.args.every((a) => onlyStatic(a, depth + 1));
    case 'closure':
    case 'opaque':
    case 'param':
    case 'unknown':
    case 'infer':
      return false;
    default:
      return true;
  }
}

/**
 * E0521 borrowed data escapes outside of closure (rustc `report_escaping_data_error` for a
 * closure's free region): a parameter whose region is the closure's own
 * (`Body.closure.ownRegions`: `let add = |el: &str| ..`, or a closure passed where
 * `F: FnOnce(&i32)` is expected) is stored into a captured variable (`list.push(el)`,
 * `x = Some(y)`), whose type outlives the call, or passed where a `'static` value is required
 * (`b(x)` with `b: fn(&'static i32)`). Once per parameter, at the first statement or
 * call that stores it. Only direct flows count: the parameter itself, values built from it
 * whole (`Some(y)`, `(el, 1)`), reborrows of it and results a signature ties to it
 * (`el.trim()`); a value read through it (`p.1`) may have a longer region and is not followed.
 */
export function reportEscapingClosureParams(c: CheckCtx): void {
  const body = c.cx.body;
  const closure = body.closure;
  if (!closure?.ownRegions?.length) return;
  const isUpvar = (l: number): boolean => l >= 1 && l <= closure.upvars;
  // The captured variable a store through `local` (an upvar, or a reference to one) writes into.
  const upvarBehind = (local: number): number | undefined =>
    isUpvar(local) ? local : [...(c.regions.referents.get(local) ?? [])].find(isUpvar);
  for (const p of closure.ownRegions) {
    const decl = body.locals[p];
    if (!decl?.name || p <= closure.upvars || p > body.argCount) continue;
    const carries = new Set([p]);
    const carried = (o: Operand | undefined): boolean =>
      !!o && o.kind !== 'constant' && carries.has(o.place.local) && !o.place.projection.some((e) => e.kind === 'deref');
    let escape: { span: Span; upvar?: number } | undefined;
    // Flows into `dest`: a local (not captured) now carries the region; a captured variable
    // (or what a reference to one points to) receives it: the escape.
    const store = (dest: Place, span: Span): boolean => {
      const up = dest.projection.length === 0 && !isUpvar(dest.local) ? undefined : upvarBehind(dest.local);
      if (up !== undefined) {
        escape ??= { span, upvar: up };
        return false;
      }
      if (dest.projection.some((e) => e.kind === 'deref') || carries.has(dest.local)) return false;
      carries.add(dest.local);
      return true;
    };
    for (let round = 0; round < 8 && !escape; round++) {
      let changed = false;
      forEachLocation(body, (x) => {
        if (escape) return;
        if (x.kind === 'assign') {
          const rv = x.rvalue;
          const flows =
            rv.kind === 'use' || rv.kind === 'cast' || rv.kind === 'repeat'
              ? carried(rv.operand)
              : rv.kind === 'aggregate'
                ? rv.operands.some(carried)
                : rv.kind === 'ref' && carries.has(rv.place.local);
          if (flows) changed = store(x.place, x.span) || changed;
        } else if (x.kind === 'call' && x.borrows) {
          for (const r of x.borrows.result) if (r.via === 'value' && carried(x.args[r.arg])) changed = store(x.dest, x.span) || changed;
          // Passed where a `'static` value is required (`b(x)` with `b: fn(&'static i32)`).
          for (const i of x.borrows.static ?? []) if (carried(x.args[i])) escape ??= { span: x.span };
          for (const r of x.borrows.into) {
            const into = x.args[r.into];
            if (r.via !== 'value' || !carried(x.args[r.from]) || !into || into.kind === 'constant') continue;
            const up = upvarBehind(into.place.local);
            if (up !== undefined) escape ??= { span: x.span, upvar: up };
          }
        }
      });
      if (!changed) break;
    }
    if (!escape || !c.out.once(`E0521|closure|${p}`)) continue;
    const up = escape.upvar !== undefined ? body.locals[escape.upvar] : undefined;
    const upName = up?.name?.split('.')[0];
    c.out.error(
      'E0521',
      escape.span,
      'borrowed data escapes outside of closure',
      labels(
        upName && up ? { range: up.span, message: `\`${upName}\` declared here, outside of the closure body` } : undefined,
        { range: decl.span, message: `\`${decl.name}\` is a reference that is only valid in the closure body` },
        { range: escape.span, message: `\`${decl.name}\` escapes the closure body here` },
      ),
    );
  }
}

/**
 * A call may unwind: on that path every local in scope is dropped, while a loan whose region
 * outlives the body (it flows into an argument, a `'static` sink or an annotated lifetime) is
 * still in scope. rustc's borrowck visits the cleanup blocks too, so each such loan of a local
 * gets its own E0597 (`keep(&x); keep(&x);` with `fn keep(_: &'static i32)`: two errors), with
 * the local's normal scope end as "dropped here". Loans returned (E0515) and closures' captures
 * (E0373) are reported once at the scope end as before.
 */
export function reportEscapingAtUnwind(c: CheckCtx, loc: Location, inScope: BitSet): void {
  const candidates = unwindEscapes(c);
  if (!candidates.intersects(inScope)) return;
  for (const id of inScope.values()) {
    if (!candidates.has(id)) continue;
    const loan = c.set.loans[id];
    const root = loan.place.local;
    const end = storageDeadSpan(c, root);
    if (end) reportDoesNotLiveLongEnough(c, loc, { local: root, projection: [] }, end, loan);
  }
}

const unwindCandidates = new WeakMap<CheckCtx, BitSet>();

/**
 * The loans `reportEscapingAtUnwind` may report, found once per body: of a named user local, not
 * through a deref nor a closure capture, whose region outlives the body other than by the return
 * place. A call then only intersects them with the loans in scope.
 */
function unwindEscapes(c: CheckCtx): BitSet {
  let set = unwindCandidates.get(c);
  if (set) return set;
  const body = c.cx.body;
  set = new BitSet(c.set.loans.length);
  for (const loan of c.set.loans) {
    const root = loan.place.local;
    if (loan.closure || loan.place.projection.some((e) => e.kind === 'deref')) continue;
    if (body.locals[root]?.kind !== 'user' || !body.locals[root].name) continue;
    const esc = c.regions.escape(loan.id);
    if (esc && esc.kind !== 'return') set.add(loan.id);
  }
  unwindCandidates.set(c, set);
  return set;
}

/** Where a local's storage ends on the normal path (its first `StorageDead`). */
function storageDeadSpan(c: CheckCtx, local: number): Span | undefined {
  let span: Span | undefined;
  forEachLocation(c.cx.body, (x) => {
    if (!span && x.kind === 'storageDead' && x.local === local) span = x.span;
  });
  return span;
}
