/**
 * Initialisation and moves, as one forward analysis over four bit sets (rustc_mir_dataflow
 * `MaybeUninitializedPlaces`, `MaybeInitializedPlaces`, `EverInitializedPlaces`, and the
 * reaching move-outs that rustc finds by walking back from a use):
 *
 *   [0] uninit    — move paths that may be uninitialised (moved out or never assigned)
 *   [1] init      — move paths that may be initialised
 *   [2] everInit  — move paths assigned on some path so far (E0384)
 *   [3] moves     — move-outs that may reach this point (the "value moved here" labels)
 *
 * Arguments start initialised; every other tracked local starts uninitialised. A move
 * de-initialises its path and all paths below it; an assignment initialises them and kills their
 * move-outs; StorageLive/StorageDead reset a local.
 */
import type { Operand, Place, Statement, Terminator } from '../../mir/mir';
import { rvalueOperands, type Location } from '../../mir/visit';
import { BitSet } from '../bitset';
import type { ForwardAnalysis } from '../dataflow';
import type { MoveData } from '../moveData';

export const UNINIT = 0;
export const INIT = 1;
export const EVER_INIT = 2;
export const MOVES = 3;

export class MoveAnalysis implements ForwardAnalysis {
  constructor(readonly md: MoveData) {}

  entryState(): BitSet[] {
    const n = this.md.paths.length;
    const st = [new BitSet(n), new BitSet(n), new BitSet(n), new BitSet(this.md.moveOuts.length)];
    const argCount = this.md.body.argCount;
    for (let p = 0; p < n; p++) {
      const local = this.md.paths[p].local;
      if (local >= 1 && local <= argCount) {
        st[INIT].add(p);
        st[EVER_INIT].add(p);
      } else st[UNINIT].add(p);
    }
    return st;
  }

  applyStatement(st: BitSet[], s: Statement, loc: Location): void {
    switch (s.kind) {
      case 'assign':
        for (const o of rvalueOperands(s.rvalue)) this.applyMove(st, o, loc);
        this.applyInit(st, s.place);
        return;
      case 'storageDead':
      case 'storageLive':
        this.applyDead(st, s.local);
        return;
      default:
        return;
    }
  }

  /** A call moves its arguments and initialises its destination; a switch may move its operand. */
  applyTerminator(st: BitSet[], t: Terminator, loc: Location): void {
    if (t.kind === 'call') {
      for (const o of t.args) this.applyMove(st, o, loc);
      this.applyInit(st, t.dest);
    } else if (t.kind === 'switchInt') {
      this.applyMove(st, t.discr, loc);
    } else if (t.kind === 'drop') {
      if (this.md.isMovable(t.place) && this.md.tracked(t.place.local)) {
        const p = this.md.pathFor(t.place);
        for (const c of this.md.subtree(p)) {
          st[UNINIT].add(c);
          st[INIT].remove(c);
        }
      }
    }
  }

  /**
   * The move of one operand, within its statement (operands move in order: in `(t, t)` the
   * second `t` is already moved).
   */
  applyOperandMove(st: BitSet[], o: Operand, loc: Location): void {
    this.applyMove(st, o, loc, o);
  }

  private applyMove(st: BitSet[], o: Operand, loc: Location, only?: Operand): void {
    if (o.kind !== 'move' || !this.md.isMovable(o.place)) return;
    const paths = this.md.movedPaths(o.place);
    for (const p of paths)
      for (const c of this.md.subtree(p)) {
        st[UNINIT].add(c);
        st[INIT].remove(c);
      }
    for (const m of this.md.movesAt(loc))
      if (paths.includes(this.md.moveOuts[m].path) && (!only || this.md.moveOuts[m].operand === only)) st[MOVES].add(m);
  }

  private applyInit(st: BitSet[], place: Place): void {
    if (!this.md.isMovable(place)) return;
    const p = this.md.pathFor(place);
    if (p < 0) return;
    const sub = this.md.subtree(p);
    for (const c of sub) {
      st[UNINIT].remove(c);
      st[INIT].add(c);
      st[EVER_INIT].add(c);
    }
    // Re-initialising kills the move-outs of this path and of its children.
    st[MOVES].subtract(this.moveOutsUnder(p));
  }

  /** Move-outs of `p` and the paths below it, as a set (made once per path: kills cost a word per 32 move-outs). */
  private readonly killSets = new Map<number, BitSet>();
  private moveOutsUnder(p: number): BitSet {
    let k = this.killSets.get(p);
    if (!k) {
      const sub = new Set(this.md.subtree(p));
      k = new BitSet(this.md.moveOuts.length);
      this.md.moveOuts.forEach((m, i) => {
        if (sub.has(m.path)) k!.add(i);
      });
      this.killSets.set(p, k);
    }
    return k;
  }

  private applyDead(st: BitSet[], local: number): void {
    const p = this.md.pathFor({ local, projection: [] });
    if (p < 0) return;
    for (const c of this.md.subtree(p)) {
      st[UNINIT].add(c);
      st[INIT].remove(c);
      st[EVER_INIT].remove(c);
    }
    st[MOVES].subtract(this.moveOutsUnder(p));
  }

  /** The move-outs of `path` that reach a point with state `st`. */
  movesOf(st: BitSet[], path: number): number[] {
    const out: number[] = [];
    for (const m of st[MOVES].values()) if (this.md.moveOuts[m].path === path) out.push(m);
    return out;
  }
}
