/**
 * Mutability errors (rustc_borrowck `diagnostics/mutability_errors.rs`):
 *
 * - E0384 cannot assign twice to immutable variable / to immutable argument;
 * - E0596 cannot borrow as mutable (a non-`mut` binding, or through a `&` reference);
 * - E0594 cannot assign (to a field of a non-`mut` binding, or through a `&` reference).
 *
 * A place is reachable mutably when it is an owned path from a `mut` binding or goes through
 * `&mut` / `Box` derefs; every type on the way must be known, or nothing is said.
 */
import type { FixHint } from '../../base/diagnostic';
import type { Span } from '../../base/span';
import { isUnknown, type Ty } from '../../hir/ty';
import { derefStep } from '../../std/facts';
import type { Place } from '../../mir/mir';
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
  if (c.isClosure && body.locals[place.local].kind === 'arg') return;
  const decl = body.locals[place.local];
  let ty: Ty = decl.ty;
  if (isUnknown(ty)) return;
  // Walk the projection: the last deref decides (a `&` deref is immutable, `&mut` mutable).
  let lastDerefOf: Ty | undefined;
  for (let i = 0; i < place.projection.length; i++) {
    const e = place.projection[i];
    if (e.kind === 'deref') {
      if (ty.kind === 'ref' || ty.kind === 'rawptr') {
        lastDerefOf = ty;
        ty = ty.inner;
      } else if (ty.kind === 'adt' && derefStep(ty)?.builtin) {
        ty = derefStep(ty)!.target; // Box: a built-in deref (std registry)
      } else return; // Rc/Arc/unknown deref: not modelled
    } else if (e.kind === 'field') ty = e.ty;
    else if (e.kind === 'downcast') continue;
    else return; // index: via IndexMut, not modelled here
    if (!ty || isUnknown(ty)) return;
  }
  const desc = describeMovePlace(body, place);
  if (lastDerefOf) {
    if (lastDerefOf.kind === 'ref' && lastDerefOf.mutable) return;
    if (lastDerefOf.kind === 'rawptr') return;
    // rustc suggests `&mut` when the reference is the binding itself (`*r`, `r.f`), not a field of it.
    const derefs = place.projection.filter((e) => e.kind === 'deref').length;
    const own = derefs === 1 && place.projection[0]?.kind === 'deref' && decl.ty.kind === 'ref' && !!decl.name && decl.kind !== 'temp';
    push(
      c,
      what,
      span,
      what === 'borrow'
        ? `cannot borrow \`${desc}\` as mutable, as it is behind a \`&\` reference`
        : `cannot assign to \`${desc}\`, which is behind a \`&\` reference`,
      what === 'borrow'
        ? `\`${desc}\` is a \`&\` reference, so the data it refers to cannot be borrowed as mutable`
        : `\`${desc}\` is a \`&\` reference, so the data it refers to cannot be written`,
      undefined,
      undefined,
      own ? { kind: 'mutRef', decl: decl.span, name: decl.name! } : undefined,
    );
    return;
  }
  if (decl.mutable) return;
  const message =
    what === 'borrow'
      ? `cannot borrow \`${desc}\` as mutable, as it is not declared as mutable`
      : `cannot assign to \`${desc}\`, as \`${decl.name}\` is not declared as mutable`;
  push(c, what, span, message, what === 'borrow' ? 'cannot borrow as mutable' : 'cannot assign', decl.span, decl.name ?? '');
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
