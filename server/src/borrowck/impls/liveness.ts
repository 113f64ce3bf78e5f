/**
 * Liveness of locals (rustc_borrowck `type_check::liveness` and rustc_mir_dataflow
 * `MaybeLiveLocals`): a local is live at a point when the value it holds there may be used later.
 * The borrow checker reads it to know how long a borrow's region lasts: a loan is in scope while
 * some local holding it is live.
 *
 * Uses: every read of a place rooted at the local (copies, moves, borrows, `len`, discriminant
 * reads, the index locals of a projection), a write through a deref of it (`*r = ..` uses `r`),
 * and a `drop` of it when dropping its type uses the borrows it holds (a user `Drop` impl; std's
 * containers are `#[may_dangle]`). Definitions: an assignment to the whole local, StorageLive and
 * StorageDead. A field assignment (`x.f = ..`) is neither.
 */
import type { Place, Statement, Terminator } from '../../mir/mir';
import { predecessors, rvalueOperands, rvaluePlace, terminatorOperands, type Location } from '../../mir/visit';
import { dropUsesRegions, type BorrowckCx } from '../context';
import { placeTy } from '../places';

/** The locals a statement or terminator defines and uses (see the module comment). */
export function defsUses(cx: BorrowckCx, x: Statement | Terminator): { defs: number[]; uses: number[] } {
  const defs: number[] = [];
  const uses: number[] = [];
  const read = (p: Place): void => {
    uses.push(p.local);
    for (const e of p.projection) if (e.kind === 'index' && e.local !== null) uses.push(e.local);
  };
  const store = (p: Place): void => {
    for (const e of p.projection) if (e.kind === 'index' && e.local !== null) uses.push(e.local);
    if (p.projection.some((e) => e.kind === 'deref')) uses.push(p.local);
    else if (p.projection.length === 0) defs.push(p.local);
  };
  switch (x.kind) {
    case 'assign': {
      for (const o of rvalueOperands(x.rvalue)) if (o.kind !== 'constant') read(o.place);
      const p = rvaluePlace(x.rvalue);
      if (p) read(p);
      store(x.place);
      break;
    }
    case 'setDiscriminant':
      store(x.place);
      break;
    case 'storageLive':
    case 'storageDead':
      defs.push(x.local);
      break;
    case 'fakeRead':
    case 'placeMention':
      read(x.place);
      break;
    case 'call':
      for (const o of terminatorOperands(x)) if (o.kind !== 'constant') read(o.place);
      if (x.func.kind === 'local') uses.push(x.func.local);
      store(x.dest);
      break;
    case 'switchInt':
    case 'assert':
      for (const o of terminatorOperands(x)) if (o.kind !== 'constant') read(o.place);
      break;
    case 'drop':
      if (!cx.deadDrops?.has(x) && dropUsesRegions(cx, placeTy(cx.body, x.place))) uses.push(x.place.local);
      break;
    case 'return':
      uses.push(0);
      break;
    default:
      break;
  }
  return { defs, uses };
}

/**
 * Where each local is live, computed on the first question (a body without loans never asks).
 *
 * As rustc's `type_check::liveness::trace` does, the live points of each local are found by
 * walking backwards from each of its uses until a definition, and kept as sorted intervals of
 * points (rustc's `SparseIntervalMatrix`). The work is the number of points where some local is
 * live, not the body's locals times its points: a function of 5,000 temporaries, each live for a
 * few statements, costs a few thousand steps, where a bit set per point cost megabytes.
 *
 * Points number the statements and terminators of a body in block order (`blockStart[b] + index`).
 */
export class Liveness {
  private computed?: { blockStart: Int32Array; intervals: (Int32Array | undefined)[] };

  constructor(readonly cx: BorrowckCx) {}

  private compute(): { blockStart: Int32Array; intervals: (Int32Array | undefined)[] } {
    const cx = this.cx;
    const body = cx.body;
    const blocks = body.blocks;
    const blockStart = new Int32Array(blocks.length + 1);
    for (let b = 0; b < blocks.length; b++) blockStart[b + 1] = blockStart[b] + blocks[b].statements.length + 1;
    const points = blockStart[blocks.length];
    // Per point: the locals it defines; per local: the points that use it.
    const defs: (number[] | undefined)[] = new Array(points);
    const uses = new Map<number, number[]>();
    blocks.forEach((bb, b) => {
      const at = (x: Statement | Terminator, i: number): void => {
        const du = defsUses(cx, x);
        const p = blockStart[b] + i;
        if (du.defs.length) defs[p] = du.defs;
        for (const l of du.uses) {
          let ps = uses.get(l);
          if (!ps) uses.set(l, (ps = []));
          ps.push(p);
        }
      };
      bb.statements.forEach(at);
      at(bb.terminator, bb.statements.length);
    });
    const preds = predecessors(body);
    // The block of each point.
    const blockOf = new Int32Array(points);
    for (let b = 0; b < blocks.length; b++) blockOf.fill(b, blockStart[b], blockStart[b + 1]);
    const seenBy = new Int32Array(points).fill(-1);
    const intervals: (Int32Array | undefined)[] = new Array(body.locals.length);
    const stack: number[] = [];
    const visit = (q: number, local: number): void => {
      if (seenBy[q] !== local && !defs[q]?.includes(local)) stack.push(q);
    };
    for (const [local, seeds] of uses) {
      if (local < 0 || local >= body.locals.length) continue;
      const live: number[] = [];
      stack.length = 0;
      for (const p of seeds) stack.push(p);
      while (stack.length) {
        const p = stack.pop()!;
        if (seenBy[p] === local) continue;
        seenBy[p] = local;
        live.push(p);
        // Live just before `p`, so live just after the point before it: live before that one
        // too unless it defines the local (a use there is a seed of its own).
        const b = blockOf[p];
        if (p > blockStart[b]) visit(p - 1, local);
        else for (const q of preds[b]) visit(blockStart[q + 1] - 1, local);
      }
      live.sort((x, y) => x - y);
      const iv: number[] = [];
      for (const p of live) {
        if (iv.length && iv[iv.length - 1] === p - 1) iv[iv.length - 1] = p;
        else iv.push(p, p);
      }
      intervals[local] = Int32Array.from(iv);
    }
    return { blockStart, intervals };
  }

  /**
   * The point of `loc` (`blockStart[block] + index`, 0-based, in block order), or -1 for a
   * location outside the body.
   */
  point(loc: Location): number {
    this.computed ??= this.compute();
    const { blockStart } = this.computed;
    if (!Number.isInteger(loc.block) || loc.block < 0 || loc.block + 1 >= blockStart.length) return -1;
    const p = blockStart[loc.block] + loc.index;
    return loc.index >= 0 && p < blockStart[loc.block + 1] ? p : -1;
  }

  /** The first point of each block, and one past the last point at index `blocks.length`. */
  blockStarts(): Int32Array {
    return (this.computed ??= this.compute()).blockStart;
  }

  /** The points where `local` is live, as sorted disjoint `[start, end]` pairs (inclusive); undefined: nowhere. */
  intervals(local: number): Int32Array | undefined {
    return (this.computed ??= this.compute()).intervals[local];
  }

  /** Whether `local` is live just before `loc` (false for locations outside the body). */
  isLive(local: number, loc: Location): boolean {
    const p = this.point(loc);
    return p >= 0 && inIntervals(this.computed!.intervals[local], p);
  }
}

/**
 * The union of interval lists (each sorted, disjoint `[start, end]` pairs, inclusive), merged:
 * adjacent or overlapping intervals become one. O(total pairs × log).
 */
export function unionIntervals(lists: readonly (Int32Array | undefined)[]): Int32Array {
  const all: [number, number][] = [];
  for (const iv of lists) if (iv) for (let i = 0; i < iv.length; i += 2) all.push([iv[i], iv[i + 1]]);
  all.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [s, e] of all) {
    if (merged.length && s <= merged[merged.length - 1] + 1) merged[merged.length - 1] = Math.max(merged[merged.length - 1], e);
    else merged.push(s, e);
  }
  return Int32Array.from(merged);
}

/** Whether point `p` lies in the sorted, disjoint intervals `iv` (`[start, end]` pairs, inclusive). */
export function inIntervals(iv: Int32Array | undefined, p: number): boolean {
  if (!iv || iv.length === 0 || iv[0] > p) return false;
  // The last interval starting at or before `p`.
  let lo = 0;
  let hi = iv.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (iv[2 * mid] <= p) lo = mid;
    else hi = mid - 1;
  }
  return iv[2 * lo + 1] >= p;
}
