/**
 * Borrows in scope (rustc_borrowck `dataflow.rs`, `Borrows`): a forward analysis over loans. A
 * loan enters scope where it is created and leaves it at the first point its region does not
 * contain (`Regions.contains`: no local holding it is live there), when the place it borrows is
 * overwritten (an assignment to the borrowed local, or definitely to the borrowed place, kills
 * it: what it pointed at is gone), and at the StorageDead of the borrowed local.
 */
import type { Place, Statement, Terminator } from '../../mir/mir';
import type { Location } from '../../mir/visit';
import { BitSet } from '../bitset';
import type { BorrowSet } from '../borrowSet';
import type { BorrowckCx } from '../context';
import type { ForwardAnalysis } from '../dataflow';
import { placesConflict } from '../placesConflict';
import type { Regions } from '../regions';

export class BorrowsAnalysis implements ForwardAnalysis {
  constructor(
    readonly cx: BorrowckCx,
    readonly set: BorrowSet,
    readonly regions: Regions,
  ) {}

  entryState(): BitSet[] {
    return [new BitSet(this.set.loans.length)];
  }

  /** Removes the loans whose region does not contain `loc` (rustc's "before" effect). */
  killOutOfScope(st: BitSet[], loc: Location): void {
    for (const l of st[0].values()) if (!this.regions.contains(l, loc)) st[0].remove(l);
  }

  /** The effect of a statement, once it has been checked. */
  statementEffect(st: BitSet[], s: Statement, loc: Location): void {
    if (s.kind === 'assign') {
      this.killBorrowsOn(st, s.place);
      if (s.rvalue.kind === 'ref') {
        const id = this.set.byLocation.get(`${loc.block}:${loc.index}`);
        if (id !== undefined) st[0].add(id);
      }
    } else if (s.kind === 'storageDead') {
      for (const l of this.set.byLocal.get(s.local) ?? []) st[0].remove(l);
    }
  }

  terminatorEffect(st: BitSet[], t: Terminator): void {
    if (t.kind === 'call') this.killBorrowsOn(st, t.dest);
  }

  /** Kills the loans of places an assignment to `p` overwrites (rustc `kill_borrows_on_place`). */
  private killBorrowsOn(st: BitSet[], p: Place): void {
    const loans = this.set.byLocal.get(p.local);
    if (!loans) return;
    for (const l of loans) {
      if (!st[0].has(l)) continue;
      if (p.projection.length === 0 || placesConflict(this.cx.body, this.set.loans[l].place, p, 'deep', 'noOverlap', this.cx.unions))
        st[0].remove(l);
    }
  }

  applyStatement(st: BitSet[], s: Statement, loc: Location): void {
    this.killOutOfScope(st, loc);
    this.statementEffect(st, s, loc);
  }

  applyTerminator(st: BitSet[], t: Terminator, loc: Location): void {
    this.killOutOfScope(st, loc);
    this.terminatorEffect(st, t);
  }
}
