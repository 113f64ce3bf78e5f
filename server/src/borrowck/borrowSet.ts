/**
 * Every loan of a body (rustc_borrowck `borrow_set.rs`): each `&place` / `&mut place` the MIR
 * takes — explicit borrows, auto-refs of method receivers, `v[i]` and slices, `ref` bindings and
 * match ergonomics, closure captures, the shared borrows `println!` takes — with its place, its
 * kind, where it is created and which local receives it. Borrows of data behind a shared
 * reference or a raw pointer are not loans (`ignoreBorrow`).
 *
 * A two-phase borrow (`&mut` autoref of a method receiver: `v.push(v.len())`) is *reserved* where
 * it is created and *activated* where its reference is first used (the call); in between it acts
 * as a shared borrow (rustc: "two-phase borrows").
 */
import type { Span } from '../base/span';
import type { Body, Operand, Place, Rvalue } from '../mir/mir';
import { blockSuccessors, rvalueOperands, terminatorOperands, type Location } from '../mir/visit';
import type { BorrowckCx } from './context';
import { derefKindAt, ignoreBorrow, prefixTys } from './places';

export interface Loan {
  id: number;
  kind: 'shared' | 'mut' | 'twoPhaseMut' | 'unique' | 'fake';
  /** The borrowed place. */
  place: Place;
  /** Where the borrow is taken. */
  loc: Location;
  /** The borrow expression (`&x`, the receiver `v` of `v.push(..)`, `x` in `println!("{x}")`). */
  span: Span;
  /** The local the reference is written to. */
  holder: number;
  /** Two-phase borrows: where the reference is first used (the call); undefined when never. */
  activation?: Location;
  /** Set when the borrow captures a variable for a closure (`|| x.len()`): the closure's span. */
  closure?: Span;
  /** For a closure capture: the use in the closure's body that makes it (`x` in `|| x.len()`). */
  captureUse?: Span;
}

export interface BorrowSet {
  loans: Loan[];
  /** Loans by the location that creates them (`block:index`). */
  byLocation: Map<string, number>;
  /** Loans whose borrowed place is rooted at each local. */
  byLocal: Map<number, number[]>;
}

const key = (l: Location): string => `${l.block}:${l.index}`;

/**
 * For a place reached through a std smart pointer's overloaded deref (`*b` with `b: Ref<T>`,
 * `String` → `str`; not `Box`, whose deref is built in), the pointer's own place: what
 * `Deref::deref(&b)` borrows. Undefined when there is none, or when a shared reference or raw
 * pointer comes first (nothing owned here is borrowed then).
 */
function overloadedDerefBase(body: Body, p: Place): Place | undefined {
  const tys = prefixTys(body, p);
  for (let i = 0; i < p.projection.length; i++) {
    if (p.projection[i].kind !== 'deref') continue;
    const k = derefKindAt(tys, i);
    if (k === 'shared' || k === 'raw') return undefined;
    const t = tys[i];
    if (k === 'other') return t?.kind === 'adt' && t.std ? { local: p.local, projection: p.projection.slice(0, i) } : undefined;
  }
  return undefined;
}

/** Collects the loans of `cx.body`. */
export function buildBorrowSet(cx: BorrowckCx): BorrowSet {
  const body = cx.body;
  const loans: Loan[] = [];
  const byLocation = new Map<string, number>();
  const byLocal = new Map<number, number[]>();
  body.blocks.forEach((bb, block) => {
    bb.statements.forEach((s, index) => {
      if (s.kind !== 'assign' || s.rvalue.kind !== 'ref') return;
      let place = s.rvalue.place;
      let kind = s.rvalue.borrow;
      // `&*guard` through a std smart pointer's `Deref` is `Deref::deref(&guard)` in rustc's MIR:
      // a loan of the pointer itself (mutable for `DerefMut`), which the result keeps.
      const base = kind === 'fake' ? undefined : overloadedDerefBase(body, place);
      if (base) {
        place = base;
        if (kind === 'twoPhaseMut' || kind === 'unique') kind = 'mut';
      }
      if (ignoreBorrow(body, place) || unknownOnTheWay(body, place) || isPromoted(cx, place, kind)) return;
      const loan: Loan = { id: loans.length, kind, place, loc: { block, index }, span: s.span, holder: s.place.local };
      // A closure capture: the temporary is moved into a closure aggregate later in the block.
      for (let j = index + 1; j < bb.statements.length; j++) {
        const t = bb.statements[j];
        if (t.kind === 'assign' && t.rvalue.kind === 'aggregate' && t.rvalue.agg.kind === 'closure') {
          const op = t.rvalue.operands.find(
            (o) => o.kind !== 'constant' && o.place.local === loan.holder && o.place.projection.length === 0,
          );
          if (op) {
            loan.closure = t.span;
            if (op.kind !== 'constant' && op.span) loan.captureUse = op.span;
          }
          break;
        }
      }
      if (loan.kind === 'twoPhaseMut') {
        const act = firstUse(cx, loan.holder, { block, index });
        if (act) loan.activation = act;
      }
      byLocation.set(key(loan.loc), loan.id);
      const list = byLocal.get(place.local) ?? [];
      list.push(loan.id);
      byLocal.set(place.local, list);
      loans.push(loan);
    });
  });
  return { loans, byLocation, byLocal };
}

/**
 * Whether a type on the way to the borrowed place is unknown: the builder could not see its
 * derefs (an unknown `node.value` may really be `(*node).value`), so the loan's place is a guess
 * and is not tracked (precision first).
 */
function unknownOnTheWay(body: BorrowckCx['body'], p: Place): boolean {
  const tys = prefixTys(body, p);
  for (let i = 0; i < tys.length - 1; i++) if (tys[i].kind === 'unknown' || tys[i].kind === 'infer') return true;
  return p.projection.length > 0 && (tys[0].kind === 'unknown' || tys[0].kind === 'infer');
}

/**
 * The rvalue of each temporary assigned exactly once in `body` (by a statement; a call's
 * destination counts as a second definition), found in one walk and kept per body: constant
 * promotion asks for each borrow of a temporary.
 */
const SINGLE_DEFS = new WeakMap<Body, Map<number, Rvalue>>();
function singleDefs(body: Body): Map<number, Rvalue> {
  let out = SINGLE_DEFS.get(body);
  if (out) return out;
  const count = new Map<number, number>();
  const def = new Map<number, Rvalue>();
  const add = (local: number, n: number, rv?: Rvalue): void => {
    if (body.locals[local]?.kind !== 'temp') return;
    count.set(local, (count.get(local) ?? 0) + n);
    if (rv) def.set(local, rv);
  };
  for (const bb of body.blocks) {
    for (const st of bb.statements) if (st.kind === 'assign') add(st.place.local, 1, st.rvalue);
    if (bb.terminator.kind === 'call') add(bb.terminator.dest.local, 2);
  }
  out = new Map([...def].filter(([l]) => count.get(l) === 1));
  SINGLE_DEFS.set(body, out);
  return out;
}

/**
 * Constant promotion (rustc `promote_consts`): `&5`, `&[1, 2]`, `&None` borrow a temporary
 * holding a constant expression, which the compiler moves to static memory, so the borrow is
 * `'static` and no loan is needed. Mutable borrows are promoted only for empty arrays (`&mut []`).
 */
function isPromoted(cx: BorrowckCx, p: Place, kind: string, depth = 0): boolean {
  const body = cx.body;
  // A part of a promoted temporary (`&STATIC_ARRAY[..]` through its temporary) is promoted with it.
  if (depth > 8 || p.projection.some((e) => e.kind === 'deref') || body.locals[p.local]?.kind !== 'temp') return false;
  const defs = singleDefs(body);
  const def = defs.get(p.local);
  if (!def) return false;
  // Literals, statics (`&DEFAULT`) and constants are promoted (a `static`'s address is itself
  // `'static`), and so is a temporary holding a promotable value (`()` in `&Generic(())`, the
  // `&0` in `&&0`).
  const isConst = (o: Operand): boolean =>
    o.kind === 'constant'
      ? o.value.kind === 'lit' ||
        o.value.kind === 'static' ||
        o.value.kind === 'unknown' ||
        o.value.kind === 'unit' ||
        o.value.kind === 'fn'
      : o.place.projection.length === 0 && isPromotedValue(o.place.local);
  const isPromotedValue = (local: number): boolean => {
    const d = defs.get(local);
    if (!d) return false;
    if (d.kind === 'ref') return d.borrow === 'shared' && isPromoted(cx, d.place, 'shared', depth + 1);
    return promotable(d);
  };
  const promotable = (d: Rvalue): boolean => {
    switch (d.kind) {
      case 'use':
      case 'repeat':
        return depth < 8 && isConst(d.operand);
      case 'aggregate':
        if (d.agg.kind === 'closure') return false;
        if (d.agg.kind === 'adt' && cx.adts.get(d.agg.adt)?.hasDropImpl) return false;
        return depth < 8 && d.operands.every(isConst);
      default:
        return false;
    }
  };
  if (kind !== 'shared') return def.kind === 'aggregate' && def.agg.kind === 'array' && def.operands.length === 0;
  return isPromotedValue(p.local);
}

/** The first location after `from` (in CFG order, breadth first) that reads `local` as an operand. */
function firstUse(cx: BorrowckCx, local: number, from: Location): Location | undefined {
  const body = cx.body;
  const uses = (ops: { kind: string; place?: Place }[]): boolean => ops.some((o) => o.kind !== 'constant' && o.place?.local === local);
  const seen = new Set<number>();
  const queue: { block: number; start: number }[] = [{ block: from.block, start: from.index + 1 }];
  for (let steps = 0; queue.length && steps < 10_000; steps++) {
    const { block, start } = queue.shift()!;
    const bb = body.blocks[block];
    if (!bb) continue;
    for (let i = start; i < bb.statements.length; i++) {
      const s = bb.statements[i];
      if (s.kind === 'assign' && uses(rvalueOperands(s.rvalue))) return { block, index: i };
    }
    if (uses(terminatorOperands(bb.terminator))) return { block, index: bb.statements.length };
    for (const n of blockSuccessors(body, block)) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push({ block: n, start: 0 });
    }
  }
  return undefined;
}
