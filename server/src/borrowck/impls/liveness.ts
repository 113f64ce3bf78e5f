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
import {
  predecessors,
  reversePostorder,
  rvalueOperands,
  rvaluePlace,
  successors,
  terminatorOperands,
  type Location,
} from '../../mir/visit';
import { BitSet } from '../bitset';
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
 * Live locals on entry to every statement and terminator of a body, computed on the first
 * question (a body without loans never asks).
 */
export class Liveness {
  /** `liveIn[block][index]`: locals live just before statement `index` (the terminator at `statements.length`). */
  private liveIn?: BitSet[][];

  constructor(readonly cx: BorrowckCx) {}

  private compute(): BitSet[][] {
    const cx = this.cx;
    const body = cx.body;
    const n = body.locals.length;
    const blocks = body.blocks;
    const du = blocks.map((bb) => [...bb.statements.map((s) => defsUses(cx, s)), defsUses(cx, bb.terminator)]);
    const blockIn: BitSet[] = blocks.map(() => new BitSet(n));
    const order = reversePostorder(body).reverse();
    const preds = predecessors(body);
    const dirty = new Set(order);
    const work = [...order];
    const transfer = (b: number, out: BitSet): BitSet => {
      const st = out.clone();
      const d = du[b];
      for (let i = d.length - 1; i >= 0; i--) {
        for (const l of d[i].defs) st.remove(l);
        for (const l of d[i].uses) st.add(l);
      }
      return st;
    };
    const outOf = (b: number): BitSet => {
      const out = new BitSet(n);
      for (const s of successors(blocks[b].terminator)) if (blockIn[s]) out.union(blockIn[s]);
      return out;
    };
    for (let steps = 0; work.length && steps < 100_000; steps++) {
      const b = work.shift()!;
      dirty.delete(b);
      const inn = transfer(b, outOf(b));
      if (!inn.equals(blockIn[b])) {
        blockIn[b] = inn;
        for (const p of preds[b]) {
          if (!dirty.has(p)) {
            dirty.add(p);
            work.push(p);
          }
        }
      }
    }
    return blocks.map((bb, b) => {
      const d = du[b];
      const per: BitSet[] = new Array(d.length);
      let st = outOf(b);
      for (let i = d.length - 1; i >= 0; i--) {
        st = st.clone();
        for (const l of d[i].defs) st.remove(l);
        for (const l of d[i].uses) st.add(l);
        per[i] = st;
      }
      return per;
    });
  }

  /** Locals live just before `loc` (empty for locations outside the body). */
  at(loc: Location): BitSet {
    this.liveIn ??= this.compute();
    return this.liveIn[loc.block]?.[loc.index] ?? new BitSet(this.cx.body.locals.length);
  }

  /** Whether `local` is live just before `loc`. */
  isLive(local: number, loc: Location): boolean {
    return this.at(loc).has(local);
  }
}
