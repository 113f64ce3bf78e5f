/**
 * Why a borrow is still in use at a point (rustc_borrowck `diagnostics/explain_borrow.rs`,
 * `find_use.rs`): the next use, on some path from the point, of a local the loan flows into —
 * "borrow later used here", "... used by call", "... captured here by closure", "borrow might be
 * used here, when `x` is dropped", and whether that use is in a later iteration of a loop.
 */
import type { Span } from '../../base/span';
import { displayTy } from '../../hir/ty';
import type { Operand, Statement, Terminator } from '../../mir/mir';
import { blockSuccessors, rvalueOperands, terminatorOperands, type Location } from '../../mir/visit';
import { defsUses } from '../impls/liveness';
import { localName, placeTy } from '../places';
import type { Loan } from '../borrowSet';
import type { CheckCtx } from './context';
import { hasDropImpl } from '../context';

export interface LaterUse {
  span: Span;
  kind: 'use' | 'call' | 'closure' | 'drop';
  /** The point is where the loan itself is created: the use is in a later iteration of a loop. */
  inLoop: boolean;
  /**
   * For drops: the dropped local's name (undefined for a temporary, with where it was made),
   * and what runs, as rustc words it: "the `Drop` code for type `D`" (a type of the file with a
   * `Drop` impl), else "the destructor for type `Ref<Vec<i32>>`".
   */
  dropped?: { name?: string; temp?: Span; runs: string };
}

const twoPhase = new WeakMap<CheckCtx, Loan[]>();

/** The two-phase loans of the body, found once (`laterUse` asks for each error). */
function twoPhaseLoans(c: CheckCtx): Loan[] {
  let list = twoPhase.get(c);
  if (!list) twoPhase.set(c, (list = c.set.loans.filter((l) => l.kind === 'twoPhaseMut')));
  return list;
}

function operandSpan(ops: Operand[], locals: (l: number) => boolean): Span | undefined {
  for (const o of ops) if (o.kind !== 'constant' && locals(o.place.local) && o.span) return o.span;
  return undefined;
}

/**
 * The first use after `from` (`from` included) of a local that loan `loan` flows into: rustc's
 * `find_use`, a breadth-first walk point by point over the points of the loan's region.
 */
export function laterUse(c: CheckCtx, loan: number, from: Location, _fromSpan: Span, includeFrom = true): LaterUse | undefined {
  const body = c.cx.body;
  const locals = c.regions.localsOf(loan);
  // A local written at the point itself holds a new value there, not this loan.
  const fromX = body.blocks[from.block];
  const redefined = new Set<number>();
  if (fromX) {
    const x = from.index < fromX.statements.length ? fromX.statements[from.index] : fromX.terminator;
    for (const d of defsUses(c.cx, x).defs) redefined.add(d);
  }
  // The receiver reference of a two-phase borrow is activated by its call, not "used" there.
  for (const other of twoPhaseLoans(c)) if (other.id !== loan) redefined.add(other.holder);
  // Only the uses of the locals nearest to the loan that are live here (rustc's `region_sub`):
  // the iterator's `next()` at a `for` head, not the element borrowed from it.
  const nearest = new Set(c.regions.nearestLive(loan, from).filter((l) => !redefined.has(l)));
  const has = (l: number): boolean => locals.has(l) && !redefined.has(l) && (nearest.size === 0 || nearest.has(l));
  const seen = new Set<string>();
  const queue: Location[] = [includeFrom ? from : { block: from.block, index: from.index + 1 }];
  for (let steps = 0; queue.length && steps < 50_000; steps++) {
    const p = queue.shift()!;
    const key = `${p.block}:${p.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const bb = body.blocks[p.block];
    if (!bb) continue;
    if (steps > 0 && !c.regions.contains(loan, p)) continue;
    const x: Statement | Terminator = p.index < bb.statements.length ? bb.statements[p.index] : bb.terminator;
    const { uses } = defsUses(c.cx, x);
    if (uses.some(has)) {
      const found = describeUse(c, x, has);
      // rustc says "in later iteration of loop" only when the point is where the loan itself is
      // created (a borrow conflicting with the same borrow of a previous iteration:
      // `explain_why_borrow_contains_point`, `region_sub == borrow_region_vid`); a use reached
      // back around a loop from another point is "later used here".
      const own = c.set.loans[loan]?.loc;
      return { ...found, inLoop: !!own && own.block === from.block && own.index === from.index };
    }
    if (p.index < bb.statements.length) queue.push({ block: p.block, index: p.index + 1 });
    else for (const n of blockSuccessors(body, p.block)) queue.push({ block: n, index: 0 });
  }
  return undefined;
}

function describeUse(c: CheckCtx, x: Statement | Terminator, has: (l: number) => boolean): Omit<LaterUse, 'inLoop'> {
  const body = c.cx.body;
  if (x.kind === 'drop') {
    const decl = body.locals[x.place.local];
    const ty = placeTy(body, x.place);
    const runs =
      hasDropImpl(c.cx, ty) && ty.kind === 'adt' ? `\`Drop\` code for type \`${ty.name}\`` : `destructor for type \`${displayTy(ty)}\``;
    const named = !!decl?.name && decl.kind !== 'temp' && x.place.projection.length === 0;
    return {
      span: x.span,
      kind: 'drop',
      dropped: named ? { name: localName(body, x.place.local), runs } : { ...(decl ? { temp: decl.span } : {}), runs },
    };
  }
  // rustc: a borrow passed to a call is "used by call"; calling a closure is a use of it (its
  // `&mut c` autoref), "used here".
  if (x.kind === 'call' && x.func.kind === 'local' && has(x.func.local)) return { span: x.fnSpan, kind: 'use' };
  // "used by call" points at the function (rustc `later_use_kind`: the callee's span, the method
  // name of a method call), to keep the spans apart.
  if (x.kind === 'call' && !x.desugared && x.args.some((o) => o.kind !== 'constant' && has(o.place.local)))
    return { span: x.fnSpan ?? x.span, kind: 'call' };
  if (x.kind === 'assign' && x.rvalue.kind === 'aggregate' && x.rvalue.agg.kind === 'closure') {
    return { span: operandSpan(x.rvalue.operands, has) ?? x.span, kind: 'closure' };
  }
  const ops =
    x.kind === 'assign'
      ? rvalueOperands(x.rvalue)
      : x.kind === 'call' || x.kind === 'switchInt' || x.kind === 'assert'
        ? terminatorOperands(x)
        : [];
  return { span: operandSpan(ops, has) ?? x.span, kind: 'use' };
}

/**
 * The label rustc puts on a later use: `prefix` is "first ", "immutable ", "mutable " or "" (the
 * borrow it explains). Undefined when there is no later use to show.
 */
export function laterUseLabel(u: LaterUse | undefined, prefix: string): { range: Span; message: string } | undefined {
  if (!u) return undefined;
  if (u.kind === 'drop' && u.dropped)
    return {
      range: u.span,
      message: u.dropped.name
        ? `${prefix}borrow might be used here, when \`${u.dropped.name}\` is dropped and runs the ${u.dropped.runs}`
        : `... and the ${prefix}borrow might be used here, when that temporary is dropped and runs the ${u.dropped.runs}`,
    };
  const loop = u.inLoop ? ', in later iteration of loop' : '';
  if (u.kind === 'call') return { range: u.span, message: `${prefix}borrow later used by call${loop}` };
  if (u.kind === 'closure') return { range: u.span, message: `${prefix}borrow later captured here by closure${loop}` };
  return { range: u.span, message: u.inLoop ? `${prefix}borrow used here, in later iteration of loop` : `${prefix}borrow later used here` };
}

/** For a later use that is the drop of a temporary: "a temporary with access to the borrow is created here ...". */
export function tempCreatedLabel(u: LaterUse | undefined, prefix: string): { range: Span; message: string } | undefined {
  if (u?.kind !== 'drop' || !u.dropped || u.dropped.name || !u.dropped.temp) return undefined;
  return { range: u.dropped.temp, message: `a temporary with access to the ${prefix}borrow is created here ...` };
}
