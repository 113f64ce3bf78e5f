/**
 * The hover's lessons (the Book's chapter 4, told at the point the user hovers), from the MIR
 * and the borrow checker, never from names:
 *
 * - at a call, what happens to the hovered argument: **moved** into the callee (and, for a fn of
 *   the file that does not move its parameter on, dropped when it returns, freeing what it owns),
 *   **copied** because its type is `Copy`, or **borrowed** for the call or for as long as the
 *   call's result lives (the loan's holders and last use);
 * - at any other move (`let t = s;`), that the value moves here and to where;
 * - on a parameter, when it is dropped (the drop at the fn's end that really drops it) and what
 *   that frees;
 * - on a `Copy` binding's declaration, that assigning or passing it copies its bytes.
 *
 * `movedHere` tells the hover to leave out "dropped at the end of its scope unless moved before":
 * the value is moved right here.
 */
import type { Span } from '../base/span';
import { comparePos, spansOverlap } from '../base/span';
import type { Analysis } from '../engine/engine';
import type { FnDef, LocalDecl } from '../hir/hir';
import { displayTy } from '../hir/ty';
import type { Body, Operand, Place } from '../mir/mir';
import { forEachLocation, statementOperands, terminatorOperands } from '../mir/visit';
import { isCopy, needsDrop } from '../std/facts';
import { heapShape, isHeapOwner } from '../std/registry';
import { layoutOf } from '../layout/layout';

export interface Lesson {
  /** Markdown list items, without the leading `- `. */
  lines: string[];
  /** The hovered occurrence moves the value (no "dropped at the end of its scope" note). */
  movedHere: boolean;
}

const pos = (s: Span): string => `${s.start.line + 1}:${s.start.character + 1}`;

/** The lesson at the hovered occurrence `span` of `local` (MIR local `mirLocal` of `body`). Never throws. */
export function lessonAt(
  cx: Analysis,
  fn: FnDef,
  local: LocalDecl,
  span: Span,
  isDecl: boolean,
  body: Body | undefined,
  mirLocal: number,
): Lesson {
  try {
    return lesson(cx, fn, local, span, isDecl, body, mirLocal);
  } catch {
    return { lines: [], movedHere: false };
  }
}

function lesson(cx: Analysis, fn: FnDef, local: LocalDecl, span: Span, isDecl: boolean, body: Body | undefined, mirLocal: number): Lesson {
  const out: Lesson = { lines: [], movedHere: false };
  if (!body || mirLocal < 0) return out;
  const ty = local.ty;
  const tyText = displayTy(ty);
  const copy = isCopy(ty, cx.file.adts) === true;
  const whole = (p: Place): boolean => p.local === mirLocal && p.projection.length === 0;
  const at = (o: Operand): boolean => o.kind !== 'constant' && whole(o.place) && !!o.span && spansOverlap(o.span, span);
  if (isDecl) {
    if (copy) {
      const size = layoutOf(ty, cx.file.adts)?.size;
      const bytes = size !== undefined ? `${size} byte${size === 1 ? '' : 's'}` : 'bytes';
      out.lines.push(
        ty.kind === 'ref'
          ? `\`${tyText}\` is \`Copy\`: assigning or passing \`${local.name}\` copies the reference (${bytes}), not the \`${displayTy(ty.inner)}\` it points to`
          : `\`${tyText}\` is \`Copy\`: assigning or passing \`${local.name}\` copies its ${bytes}, and \`${local.name}\` stays usable`,
      );
    }
    if (body.locals[mirLocal].kind === 'arg') out.lines.push(...paramLesson(cx, fn, local, body, mirLocal, copy));
    return out;
  }
  const bc = cx.borrowcks.get(body.name);
  let found = false;
  forEachLocation(body, (x, _loc, isTerminator) => {
    if (found) return;
    if (isTerminator && x.kind === 'call') {
      const i = x.args.findIndex(at);
      if (i < 0) return;
      found = true;
      const callee = x.func.kind === 'fn' ? x.func.name : x.func.kind === 'std' ? x.func.path : undefined;
      const name = callee ? calleeName(callee) : 'the call';
      const arg = x.args[i];
      if (arg.kind === 'copy') {
        out.lines.push(`**copied** into ${name} because \`${tyText}\` is \`Copy\`: \`${local.name}\` stays usable`);
        return;
      }
      if (arg.kind !== 'move') return;
      out.movedHere = true;
      const target = x.func.kind === 'fn' ? cx.file.fns.find((f) => f.qualName === (x.func as { name: string }).name) : undefined;
      const param = target ? paramName(target, i) : undefined;
      const calleeBody = target ? cx.mir.bodies.get(target.qualName) : undefined;
      const facts = calleeBody && cx.borrowcks.get(calleeBody.name)?.lifetimeFacts(i + 1);
      let fate = '';
      if (facts && needsDrop(ty, cx.file.adts) === true) {
        // Parameters are dropped at the end of the fn's body unless moved (the Reference,
        // "Destructors": function parameters); the MIR builder leaves their drop implicit.
        if (facts.moves.length === 0) fate = `, which drops it when it returns${frees(ty) ? ` (${frees(ty)})` : ''}`;
        else if (facts.moves.length > 0)
          fate = `, which moves it on (${facts.moves.map((m) => `to ${m.dest} at ${pos(m.span)}`).join(', ')})`;
      }
      out.lines.push(
        `**moved** here into ${name}${param ? ` (its parameter \`${param}\` owns it now)` : ''}${fate}; \`${local.name}\` cannot be used after this`,
      );
      return;
    }
    if (!isTerminator && x.kind === 'assign') {
      // `&x` / `&mut x` passed on: the loan taken here and who holds it.
      if (x.rvalue.kind === 'ref' && x.rvalue.place.local === mirLocal && spansOverlap(x.span, span) && bc) {
        const loan = bc.allLoans().find((l) => l.loan.loc.block === _loc.block && l.loan.loc.index === _loc.index);
        if (!loan) return;
        found = true;
        const kind = loan.loan.kind === 'shared' ? 'borrowed (shared)' : 'borrowed mutably';
        const call = callTaking(body, loan.loan.holder);
        const held = loan.holders.length ? loan.holders.map((h) => `\`${h}\``).join(', ') : undefined;
        if (call && !held) out.lines.push(`**${kind}** by ${call} for the duration of the call`);
        else if (call && held)
          out.lines.push(
            `**${kind}** by ${call}, and for as long as the result ${held} lives${loan.lastUse ? ` (until ${pos(loan.lastUse)})` : ''}`,
          );
        else if (held) out.lines.push(`**${kind}** by ${held}${loan.lastUse ? ` until ${pos(loan.lastUse)}` : ''}`);
        return;
      }
      const ops = statementOperands(x);
      const op = ops.find(at);
      if (!op) return;
      found = true;
      if (op.kind === 'move') {
        out.movedHere = true;
        const dest = x.place.projection.length === 0 ? body.locals[x.place.local] : undefined;
        const to = dest?.name && dest.kind !== 'temp' ? `\`${dest.name}\`` : 'a new owner';
        out.lines.push(`**moved** here to ${to}: from now on ${to} owns it (and drops it); \`${local.name}\` cannot be used after this`);
      } else if (op.kind === 'copy' && copy) out.lines.push(`**copied** here (\`${tyText}\` is \`Copy\`): \`${local.name}\` stays usable`);
    }
  });
  return out;
}

/** What dropping a value of `ty` frees, when it owns a heap block ("frees its heap buffer"). */
function frees(ty: LocalDecl['ty']): string | undefined {
  if (ty.kind !== 'adt' || !ty.std || !isHeapOwner(ty.name)) return undefined;
  const shape = heapShape(ty.name);
  if (shape?.kind === 'weak') return undefined;
  return `freeing its heap ${ty.name === 'String' || ty.name === 'Vec' ? 'buffer' : 'block'}`;
}

/** `` `f(..)` `` for a fn path, `` `println!` `` for a macro. */
function calleeName(path: string): string {
  const last = path.split('::').pop() ?? path;
  return last.endsWith('!') ? `\`${last}\`` : `\`${last}(..)\``;
}

function paramName(f: FnDef, i: number): string | undefined {
  const p = f.params[i];
  return p?.pat.kind === 'binding' ? f.locals[p.pat.local]?.name : undefined;
}

/** The call (as `` `f(..)` ``) whose arguments move the temporary `holder`. */
function callTaking(body: Body, holder: number): string | undefined {
  for (const bb of body.blocks) {
    const t = bb.terminator;
    if (t.kind !== 'call' || !terminatorOperands(t).some((o) => o.kind !== 'constant' && o.place.local === holder)) continue;
    const n = t.func.kind === 'fn' ? t.func.name : t.func.kind === 'std' ? t.func.path : undefined;
    return n ? calleeName(n) : 'the call';
  }
  return undefined;
}

/** On a parameter: when it is dropped and what that frees, or where it is moved on. */
function paramLesson(cx: Analysis, fn: FnDef, local: LocalDecl, body: Body, mirLocal: number, copy: boolean): string[] {
  if (copy) return [`each caller **copies** its argument into \`${local.name}\``];
  const facts = cx.borrowcks.get(body.name)?.lifetimeFacts(mirLocal);
  if (!facts || needsDrop(local.ty, cx.file.adts) !== true) return [];
  const name = fn.name;
  if (!facts.moves.length) {
    // Dropped at the end of the body (the Reference, "Destructors": function parameters).
    const end = facts.drops.reduce((a, b) => (comparePos(a.end, b.end) >= 0 ? a : b), fn.span);
    const at = { line: end.end.line, character: Math.max(0, end.end.character - 1) };
    const f = frees(local.ty);
    return [
      `\`${local.name}\` owns the caller's value: it is **dropped** when \`${name}\` returns (at ${pos({ start: at, end: at })})${f ? `, ${f}` : ''}`,
    ];
  }
  if (facts.moves.length)
    return [
      `\`${local.name}\` owns the caller's value and moves it on (${facts.moves.map((m) => `to ${m.dest} at ${pos(m.span)}`).join(', ')})`,
    ];
  return [];
}
