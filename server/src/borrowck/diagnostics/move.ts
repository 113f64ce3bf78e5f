/**
 * Move errors (rustc_borrowck `diagnostics/conflict_errors.rs` `report_use_of_moved_or_uninitialized`
 * for E0382, and `diagnostics/move_errors.rs` for moves out of borrowed content):
 *
 * - E0382 use / borrow of a (partially) moved value, and assignment to part of a moved value,
 *   with rustc's labels: where it was moved (and why: a method taking `self`, a closure, a call
 *   of an `FnOnce`, a `for` loop's `into_iter`), "in previous iteration of loop", and why the
 *   type moves ("does not implement the `Copy` trait");
 * - E0507 move out of a place behind a reference or an index, E0508 out of an array, E0509 out
 *   of a type that implements `Drop`.
 */
import type { FixHint } from '../../base/diagnostic';
import type { Span } from '../../base/span';
import { comparePos as cmpPos, spanEquals as spanEq } from '../../base/span';
import { displayTy, type Ty } from '../../hir/ty';
import type { Body, Place, ProjectionElem } from '../../mir/mir';
import { dominates, immediateDominators, predecessors, type Location } from '../../mir/visit';
import type { CheckCtx } from './context';
import { describeMovePlace, type MoveOut } from '../moveData';
import { derefKindAt, localName, placeTy, prefixTys } from '../places';
import { hasDropImpl } from '../context';
import { isClone, isCopy } from '../../std/facts';

function lastFieldTy(proj: ProjectionElem[]): Ty | undefined {
  for (let i = proj.length - 1; i >= 0; i--) {
    const e = proj[i];
    if (e.kind === 'field') return e.ty;
  }
  return undefined;
}

/** The innermost loop (by its head span) whose body contains `s`. */
export function innermostLoop(loops: { head: Span; body: Span }[], s: Span): Span | undefined {
  let best: { head: Span; body: Span } | undefined;
  for (const l of loops) {
    if (cmpPos(l.body.start, s.start) <= 0 && cmpPos(s.end, l.body.end) <= 0) {
      if (!best || cmpPos(l.body.start, best.body.start) >= 0) best = l;
    }
  }
  return best?.head;
}

/**
 * The move-outs of `moves` that the search back from the use at `use` finds only after going
 * through a loop's back edge (rustc `get_moved_indexes`: an edge into a block that dominates
 * its source; those moves are labelled "in previous iteration of loop"). The search stops at
 * the first move it meets on each path, and visits every block once, the paths without a back
 * edge first, as rustc's two stacks do.
 */
function movesThroughBackEdge(body: Body, md: CheckCtx['md'], use: Location, moves: readonly number[]): Set<number> {
  const idom = immediateDominators(body);
  const preds = predecessors(body);
  const byBlock = new Map<number, number[]>();
  for (const m of moves) {
    const b = md.moveOuts[m].loc.block;
    byBlock.set(b, [...(byBlock.get(b) ?? []), m]);
  }
  const found = new Map<number, boolean>();
  const visited = new Set<number>();
  const stack: number[] = [];
  const backStack: number[] = [];
  // The moves of block `b` before index `upto` closest to it, recorded; true when one was met.
  const scan = (b: number, upto: number, back: boolean): boolean => {
    const here = (byBlock.get(b) ?? []).filter((m) => md.moveOuts[m].loc.index < upto);
    if (!here.length) return false;
    const last = Math.max(...here.map((m) => md.moveOuts[m].loc.index));
    for (const m of here) if (md.moveOuts[m].loc.index === last && !found.has(m)) found.set(m, back);
    return true;
  };
  const push = (b: number, from: number, back: boolean): void => {
    for (const p of preds[from] ?? []) (back || dominates(idom, from, p) ? backStack : stack).push(p);
  };
  if (!scan(use.block, use.index, false)) push(use.block, use.block, false);
  for (const [st, back] of [
    [stack, false],
    [backStack, true],
  ] as const) {
    while (st.length) {
      const b = st.pop()!;
      if (visited.has(b)) continue;
      visited.add(b);
      if (!scan(b, Infinity, back)) push(b, b, back);
    }
  }
  return new Set([...found].filter(([, back]) => back).map(([m]) => m));
}

/** E0382 at a use (`kind` 'use') or borrow of `place` after the move-outs `moves` of `path`. */
export function reportMoved(
  c: CheckCtx,
  place: Place,
  path: number,
  span: Span,
  kind: 'use' | 'borrow',
  moves: number[],
  loc: Location,
  partial: boolean,
): void {
  const { md, cx } = c;
  const body = cx.body;
  const uniq = [...new Set(moves)].sort((a, b) => a - b);
  // A move by the binding of an arm with a guard happens, in rustc, only once the guard holds;
  // our MIR moves before the guard, so a use after it may be rustc-legal: say nothing.
  if (
    uniq.some((m) => {
      const n = md.moveOuts[m].note;
      return n?.kind === 'pattern' && n.guardedArm;
    })
  )
    return;
  const key = `E0382|${md.paths[path].local}|${uniq.join(',')}`;
  if (!c.out.moveError(key, place)) return;
  const root = localName(body, place.local);
  const usedName = md.describePath(path);
  const ty = body.locals[place.local].ty;
  const mo = uniq.map((m) => md.moveOuts[m]);
  const anyPartial =
    partial ||
    mo.some((m) => md.paths[m.path].projection.length > 0 && md.paths[m.path].local === place.local && !md.isAncestorOrSelf(m.path, path));
  const what = anyPartial ? 'partially moved value' : 'moved value';
  // rustc names the path that was moved (`config` for a use of `config.path` after `config` moved).
  const movedName = mo[0] && md.isAncestorOrSelf(mo[0].path, path) ? md.describePath(mo[0].path) : usedName;
  const message = `${kind === 'borrow' ? 'borrow' : 'use'} of ${what}: \`${anyPartial ? root : movedName}\``;
  const related: { range: Span; message: string }[] = [];
  let primaryLabelInLoop = false;
  // Moves the search back from the use meets only through a loop's back edge (rustc: "in
  // previous iteration of loop"): in the same loop after the use, or in a loop before a use
  // after it that is reached from the loop's head (`for`, `while`), not from a `break`.
  const throughBackEdge = movesThroughBackEdge(body, md, loc, uniq);
  const viaBackEdge = (m: MoveOut): boolean => throughBackEdge.has(uniq[mo.indexOf(m)]);
  for (const m of mo) {
    const sameSite = spanEq(m.span, span);
    const inLoop = sameSite || viaBackEdge(m);
    if (sameSite) primaryLabelInLoop = true;
    const loopNote = inLoop ? ', in previous iteration of loop' : '';
    const n = m.note;
    if (n?.kind === 'method') {
      related.push({ range: n.callSpan, message: `\`${root}\` moved due to this method call${loopNote}` });
      related.push({ range: n.callSpan, message: `\`${n.fnPath}\` takes ownership of the receiver \`self\`, which moves \`${root}\`` });
    } else if (n?.kind === 'closure') {
      related.push({ range: n.closureSpan, message: `value moved into closure here${loopNote}` });
      related.push({ range: n.useSpan, message: 'variable moved due to use in closure' });
    } else if (n?.kind === 'call') {
      related.push({ range: n.span, message: `\`${root}\` moved due to this call${loopNote}` });
      if (n.captured)
        related.push({
          range: n.span,
          message: `closure cannot be invoked more than once because it moves the variable \`${n.captured}\` out of its environment`,
        });
    } else if (n?.kind === 'intoIter') {
      related.push({ range: n.span, message: `\`${root}\` moved due to this implicit call to \`.into_iter()\`${loopNote}` });
    } else if (!sameSite) {
      related.push({ range: m.span, message: `value ${anyPartial ? 'partially ' : ''}moved here${loopNote}` });
    }
  }
  const movedPath = mo[0] ? md.paths[mo[0].path] : undefined;
  if (!anyPartial && movedPath && movedPath.projection.length > 0) {
    const fty = lastFieldTy(movedPath.projection) ?? ty;
    related.push({
      range: mo[0].span,
      message: `move occurs because \`${md.describePath(mo[0].path)}\` has type \`${displayTy(fty)}\`, which does not implement the \`Copy\` trait`,
    });
  } else if (anyPartial && movedPath) {
    const fty = lastFieldTy(movedPath.projection) ?? ty;
    related.push({
      range: body.locals[place.local].span,
      message: `partial move occurs because \`${md.describePath(mo[0].path)}\` has type \`${displayTy(fty)}\`, which does not implement the \`Copy\` trait`,
    });
  } else {
    related.push({
      range: body.locals[place.local].span,
      message: `move occurs because \`${root}\` has type \`${displayTy(ty)}\`, which does not implement the \`Copy\` trait`,
    });
  }
  if (mo.some((m) => spanEq(m.span, span) || viaBackEdge(m))) {
    const l = innermostLoop(body.loops ?? [], mo[0].span);
    if (l) related.push({ range: l, message: 'inside of this loop' });
  }
  const primary = primaryLabelInLoop
    ? 'value moved here, in previous iteration of loop'
    : kind === 'borrow'
      ? `value borrowed here after ${anyPartial ? 'partial ' : ''}move`
      : `value used here after ${anyPartial ? 'partial ' : ''}move`;
  related.unshift({ range: span, message: primary });
  c.out.errorForMove(key, place, 'E0382', span, message, related, anyPartial ? undefined : moveFixes(c, mo));
}

/**
 * What a fix of a use after the move-outs `mo` needs (rustc `suggest_cloning`,
 * `suggest_ref_or_clone`): each move of an owned path, at the operand that moves it, and the
 * call it is an argument of when the callee is a fn of the file; a `for` loop's `into_iter`.
 * Moves into closures, by `FnOnce` calls and by patterns have no such fix (none when any move
 * has none: every move must be fixed for the use to compile).
 */
export function moveFixes(c: CheckCtx, mo: readonly MoveOut[]): FixHint[] | undefined {
  const body = c.cx.body;
  const out: FixHint[] = [];
  for (const m of mo) {
    const n = m.note;
    if (n?.kind === 'intoIter') {
      out.push({ kind: 'borrowIter', span: m.span });
      continue;
    }
    const path = c.md.paths[m.path];
    const ty = path.projection.length ? lastFieldTy(path.projection) : body.locals[path.local].ty;
    if (!ty || isClone(ty, c.cx.adts) !== true) return undefined;
    if (n?.kind === 'closure') {
      const name = body.locals[path.local].name;
      if (path.projection.length || !name) return undefined;
      out.push({ kind: 'cloneIntoClosure', closure: n.closureSpan, name });
      continue;
    }
    if (n && n.kind !== 'method') return undefined;
    if (m.operand.kind !== 'move' || !m.operand.span) return undefined;
    const bb = body.blocks[m.loc.block];
    const t = m.loc.index === bb.statements.length ? bb.terminator : undefined;
    let call: { callee: string; arg: number } | undefined;
    if (t?.kind === 'call' && t.func.kind === 'fn' && !n) {
      const arg = t.args.indexOf(m.operand);
      if (arg >= 0) call = { callee: t.func.name, arg };
    }
    out.push({ kind: 'cloneMove', span: m.operand.span, path: c.md.describePath(m.path), ...(call ? { call } : {}) });
  }
  return out.length ? out : undefined;
}

/** E0382 "assign to part of moved value" at `span`. */
export function reportAssignToPartOfMoved(c: CheckCtx, place: Place, span: Span, moves: number[]): void {
  if (!c.out.once(`assignpart|${place.local}`)) return;
  const decl = c.cx.body.locals[place.local];
  c.out.error('E0382', span, `assign to part of moved value: \`${decl.name}\``, [
    { range: span, message: 'value partially assigned here after move' },
    ...moves.map((m) => ({ range: c.md.moveOuts[m].span, message: 'value moved here' })),
    {
      range: decl.span,
      message: `move occurs because \`${decl.name}\` has type \`${displayTy(decl.ty)}\`, which does not implement the \`Copy\` trait`,
    },
  ]);
}

/**
 * E0507 / E0508 / E0509 for a move out of `place` (a `move` operand whose place cannot be moved
 * from): behind a reference or a smart pointer, out of an index, out of a field of a `Drop` type.
 * Only for places whose types are all known (the builder emits such moves only then).
 */
export function checkMoveOut(c: CheckCtx, place: Place, moveSpan: Span, scrutinee?: Span, binding?: string): void {
  // rustc points at what is matched when a pattern binding moves (`match s { S { f } => }`),
  // with "data moved here" on the binding.
  const span = scrutinee ?? moveSpan;
  // The fix clones the moved place where an expression moves it (not a pattern's binding), when
  // its type is known to implement `Clone` (rustc `suggest_cloning`).
  const movedTy = placeTy(c.cx.body, place);
  // `*rc` or `*boxed` cloned must be `(*rc).clone()`: `rc.clone()` would clone the pointer.
  const last = place.projection.length - 1;
  const derefKind = last >= 0 && place.projection[last].kind === 'deref' ? derefKindAt(prefixTys(c.cx.body, place), last) : undefined;
  const throughSmartPointer = derefKind !== undefined && derefKind !== 'shared' && derefKind !== 'mut';
  const fixes: FixHint[] | undefined =
    !scrutinee && isClone(movedTy, c.cx.adts) === true ? [{ kind: 'cloneOut', span: moveSpan, throughSmartPointer }] : undefined;
  const moved = scrutinee ? [{ range: moveSpan, message: 'data moved here' }] : [];
  const body = c.cx.body;
  const tys = prefixTys(body, place);
  const ty = tys[tys.length - 1];
  const desc = describeBorrowedContent(body, place);
  const tyText = displayTy(ty);
  // The innermost reason wins, as in rustc: walk from the end.
  for (let i = place.projection.length - 1; i >= 0; i--) {
    const e = place.projection[i];
    const base = tys[i];
    if (e.kind === 'deref') {
      const k = derefKindAt(tys, i);
      if (k === 'box') continue;
      if (!c.out.once(`E0507|${span.start.line}:${span.start.character}`)) return;
      const op = i === 0 ? body.locals[place.local].placeOp : undefined;
      if (op) {
        // Out of the `&` result of the file's `Deref::deref` / `Index::index` (`mir/placeOps.ts`).
        c.out.error(
          'E0507',
          span,
          `cannot move out of ${op.kind === 'deref' ? 'dereference' : 'index'} of \`${displayTy(op.base)}\``,
          [
            ...moved,
            { range: moveSpan, message: `move occurs because value has type \`${tyText}\`, which does not implement the \`Copy\` trait` },
          ],
          fixes,
        );
        return;
      }
      const behind =
        k === 'shared' ? 'a shared reference' : k === 'mut' ? 'a mutable reference' : k === 'raw' ? 'a raw pointer' : undefined;
      const what = desc?.text ?? 'value';
      const variant = desc?.variant ? ` as enum variant \`${desc.variant}\`` : '';
      // A smart pointer's deref is a call in rustc (`*Deref::deref(&rc)`): an unnamed place.
      const smart = base.kind === 'adt' && (base.name === 'Rc' || base.name === 'Arc') ? `an \`${base.name}\`` : undefined;
      const message = behind
        ? desc
          ? `cannot move out of \`${what}\`${variant} which is behind ${behind}`
          : `cannot move out of ${behind}`
        : `cannot move out of ${smart ?? `dereference of \`${displayTy(base)}\``}`;
      c.out.error(
        'E0507',
        span,
        message,
        [
          ...moved,
          {
            range: moveSpan,
            message: `move occurs because \`${binding ?? what}\` has type \`${tyText}\`, which does not implement the \`Copy\` trait`,
          },
        ],
        fixes,
      );
      return;
    }
    if (e.kind === 'index' || e.kind === 'constantIndex') {
      // Built-in indexing of an array or a slice (rustc: `InteriorOfSliceOrArray`).
      if (base.kind === 'array' || base.kind === 'slice') {
        if (!c.out.once(`E0508|${span.start.line}:${span.start.character}`)) return;
        c.out.error(
          'E0508',
          span,
          `cannot move out of type \`${displayTy(base)}\`, a non-copy ${base.kind}`,
          [
            { range: span, message: 'cannot move out of here' },
            ...moved,
            ...(scrutinee
              ? []
              : [
                  {
                    range: moveSpan,
                    message: `move occurs because \`${describeMovePlace(body, place)}\` has type \`${tyText}\`, which does not implement the \`Copy\` trait`,
                  },
                ]),
          ],
          fixes,
        );
        return;
      }
      if (!c.out.once(`E0507|${span.start.line}:${span.start.character}`)) return;
      c.out.error(
        'E0507',
        span,
        `cannot move out of index of \`${displayTy(base)}\``,
        [
          ...moved,
          { range: moveSpan, message: `move occurs because value has type \`${tyText}\`, which does not implement the \`Copy\` trait` },
        ],
        fixes,
      );
      return;
    }
    if (e.kind === 'field' && hasDropImpl(c.cx, base)) {
      if (!c.out.once(`E0509|${span.start.line}:${span.start.character}`)) return;
      c.out.error(
        'E0509',
        span,
        `cannot move out of type \`${displayTy(base)}\`, which implements the \`Drop\` trait`,
        [{ range: span, message: 'cannot move out of here' }, ...moved],
        fixes,
      );
      return;
    }
  }
}

/**
 * How rustc names the place moved out of borrowed content (`report_cannot_move_from_borrowed_content`:
 * `describe_place` without downcasts and tuple fields, and the variant of a downcast): `*r`,
 * `p.name`, `msg` (as enum variant `Text`). Undefined for a temporary (`*map.get(k).unwrap()`),
 * which rustc describes by what it is behind.
 */
function describeBorrowedContent(body: Body, place: Place): { text: string; variant?: string } | undefined {
  if (!body.locals[place.local]?.name || body.locals[place.local]?.kind === 'temp') return undefined;
  // Auto-derefs are decided on the whole projection (a deref before `.0` prints nothing).
  const last = place.projection.reduce((acc, e, i) => (e.kind !== 'deref' && e.kind !== 'downcast' ? i : acc), -1);
  let text = body.locals[place.local].name!;
  let variant: string | undefined;
  place.projection.forEach((e, i) => {
    if (e.kind === 'deref') {
      if (i > last) text = `*${text}`;
    } else if (e.kind === 'downcast') variant = e.variant;
    else if (e.kind === 'field') {
      if (!/^\d+$/.test(e.name)) text = `${text}.${e.name}`;
    } else text = `${text}[..]`;
  });
  return { text, ...(variant ? { variant } : {}) };
}

/** A move operand's place that rustc would reject as a move (see `checkMoveOut`). */
export function isIllegalMove(c: CheckCtx, place: Place): boolean {
  const dropField = (): boolean => {
    const tys = prefixTys(c.cx.body, place);
    return place.projection.some((e, i) => e.kind === 'field' && hasDropImpl(c.cx, tys[i]));
  };
  if (c.md.isMovable(place)) return dropField();
  if (place.projection.some((e) => e.kind === 'deref' || e.kind === 'index' || e.kind === 'constantIndex')) {
    const tys = prefixTys(c.cx.body, place);
    return place.projection.some((e, i) =>
      e.kind === 'deref' ? derefKindAt(tys, i) !== 'box' : e.kind !== 'field' && e.kind !== 'downcast',
    );
  }
  const tys = prefixTys(c.cx.body, place);
  return place.projection.some((e, i) => e.kind === 'field' && hasDropImpl(c.cx, tys[i]));
}

export { describeMovePlace };

/**
 * E0507 for a `static` item used by value when its type is not `Copy` (rustc
 * `report_cannot_move_from_static`: a static is a place in static memory that nothing may move
 * out of). Silent when the type's `Copy`-ness is unknown.
 */
export function checkMoveOutOfStatic(c: CheckCtx, name: string, ty: Ty, span: Span): void {
  if (isCopy(ty, c.cx.adts) !== false) return;
  if (!c.out.once(`E0507|${span.start.line}:${span.start.character}`)) return;
  c.out.error('E0507', span, `cannot move out of static item \`${name}\``, [
    { range: span, message: `move occurs because \`${name}\` has type \`${displayTy(ty)}\`, which does not implement the \`Copy\` trait` },
  ]);
}

/**
 * E0507 for a move out of a closure's by-value capture when the closure must be `Fn` or `FnMut`
 * (rustc `report_cannot_move_from_borrowed_content` on an upvar: the body reaches its captures
 * through `&self` / `&mut self`). True when reported.
 */
export function checkMoveOutOfCapture(c: CheckCtx, place: Place, span: Span): boolean {
  const clo = c.cx.body.closure;
  if (!clo?.kind || place.local < 1 || place.local > clo.upvars || place.projection.some((e) => e.kind === 'deref')) return false;
  const decl = c.cx.body.locals[place.local];
  if (!decl?.name) return false;
  if (!c.out.once(`E0507|${span.start.line}:${span.start.character}`)) return true;
  const what = describeMovePlace(c.cx.body, place);
  c.out.error('E0507', span, `cannot move out of \`${what}\`, a captured variable in an \`${clo.kind}\` closure`, [
    { range: decl.span, message: 'captured outer variable' },
    { range: clo.head, message: `captured by this \`${clo.kind}\` closure` },
    {
      range: span,
      message: `move occurs because \`${what}\` has type \`${displayTy(placeTy(c.cx.body, place))}\`, which does not implement the \`Copy\` trait`,
    },
  ]);
  return true;
}
