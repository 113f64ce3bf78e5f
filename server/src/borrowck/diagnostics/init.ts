/**
 * Initialisation errors (rustc_borrowck `report_use_of_moved_or_uninitialized`, uninit case):
 * E0381 used binding `x` isn't initialized / is possibly-uninitialized, with rustc's labels,
 * including "if this `if` condition is `false`, `x` is not initialized" and "if the `for` loop
 * runs 0 times" for the branches that skip the assignment.
 */
import type { Span } from '../../base/span';
import { comparePos as cmpPos } from '../../base/span';
import type { Place } from '../../mir/mir';
import { displayTy, type Ty } from '../../hir/ty';
import { isDefault } from '../../std/facts';
import { stateBefore } from '../dataflow';
import { INIT, UNINIT } from '../impls/moves';
import { localName } from '../places';
import type { CheckCtx } from './context';

export function reportUninit(c: CheckCtx, place: Place, span: Span, maybe: boolean): void {
  if (!c.out.once(`uninit|${place.local}`)) return;
  const body = c.cx.body;
  const name = localName(body, place.local);
  const state = maybe ? 'is possibly-uninitialized' : "isn't initialized";
  const related = [
    { range: span, message: `\`${name}\` used here but it ${state}` },
    { range: body.locals[place.local].span, message: 'binding declared here but left uninitialized' },
  ];
  if (maybe) related.push(...uninitBranches(c, place.local, span));
  const decl = body.locals[place.local];
  const value = maybe || decl.kind !== 'user' ? undefined : defaultValue(decl.ty, c);
  c.out.error(
    'E0381',
    span,
    `used binding \`${name}\` ${state}`,
    related,
    value ? [{ kind: 'initialise', decl: decl.span, ty: displayTy(decl.ty), default: value }] : undefined,
  );
}

/**
 * A value of type `ty` as Rust source, for "consider assigning a value" (rustc
 * `suggest_assign_value`: `42` for integers, `Default::default()` for types that implement
 * `Default`); undefined when there is none the engine is sure of (references, unknown types).
 */
export function defaultValue(ty: Ty, c: CheckCtx): string | undefined {
  switch (ty.kind) {
    case 'int':
      return '0';
    case 'float':
      return '0.0';
    case 'bool':
      return 'false';
    case 'char':
      return "'x'";
    case 'ref':
      return !ty.mutable && ty.inner.kind === 'str' ? '""' : undefined;
    default:
      return isDefault(ty, c.cx.adts) === true ? 'Default::default()' : undefined;
  }
}

/** E0381 at an assignment to a field of a binding that is not initialised. */
export function reportPartialAssignToUninit(c: CheckCtx, place: Place, span: Span): void {
  if (!c.out.once(`uninit|${place.local}`)) return;
  const body = c.cx.body;
  const name = localName(body, place.local);
  c.out.error('E0381', span, `partially assigned binding \`${name}\` isn't fully initialized`, [
    { range: span, message: `\`${name}\` partially assigned here but it isn't fully initialized` },
    { range: body.locals[place.local].span, message: 'binding declared here but left uninitialized' },
  ]);
}

/**
 * The `if` conditions and `for` loops whose skipping path leaves `local` uninitialised: the
 * branch is tagged in MIR, the local is not definitely initialised before it, and it is assigned
 * inside the branch's body (rustc's "if this `if` condition is `false`" labels).
 */
function uninitBranches(c: CheckCtx, local: number, use: Span): { range: Span; message: string }[] {
  const body = c.cx.body;
  const out: { range: Span; message: string }[] = [];
  const name = localName(body, local);
  const assignedIn = (inner: Span): boolean =>
    body.blocks.some((bb) =>
      bb.statements.some(
        (s) =>
          s.kind === 'assign' &&
          s.place.local === local &&
          s.place.projection.length === 0 &&
          cmpPos(inner.start, s.span.start) <= 0 &&
          cmpPos(s.span.end, inner.end) <= 0,
      ),
    );
  const path = c.md.pathFor({ local, projection: [] });
  body.blocks.forEach((bb, bi) => {
    const t = bb.terminator;
    if (t.kind !== 'switchInt' || !t.source || cmpPos(t.source.span.start, use.start) >= 0) return;
    const st = stateBefore(body, c.moveStates, c.moves, bi, bb.statements.length);
    if (!st || path < 0) return;
    const definitelyInit = !st[UNINIT].has(path) && st[INIT].has(path);
    if (definitelyInit || !assignedIn(t.source.body)) return;
    out.push({
      range: t.source.span,
      message:
        t.source.kind === 'if'
          ? `if this \`if\` condition is \`false\`, \`${name}\` is not initialized`
          : `if the \`for\` loop runs 0 times, \`${name}\` is not initialized`,
    });
  });
  return out;
}
