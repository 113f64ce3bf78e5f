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
import { successors } from '../../mir/visit';
import type { RegionValue, Regions } from '../regions';
import { inIntervals } from './liveness';

/** Loans killed together (those of one region, at each of its ends): their ids, and as a mask when that is shorter. */
interface KillGroup {
  ids: readonly number[];
  mask?: Uint32Array;
}

export class BorrowsAnalysis implements ForwardAnalysis {
  constructor(
    readonly cx: BorrowckCx,
    readonly set: BorrowSet,
    readonly regions: Regions,
  ) {}

  entryState(): BitSet[] {
    return [new BitSet(this.set.loans.length)];
  }

  /** The loans each point kills, by point (`Liveness.point`), in groups shared between points; made on first use. */
  private kills?: (KillGroup[] | undefined)[];

  /**
   * Removes the loans whose region does not contain `loc` (rustc's "before" effect), given a
   * state that the transfer functions made (the dataflow's, or a replay of a block from its
   * entry state): through the kill sets `outOfScopeKills` precomputes, not by asking every loan
   * in scope at every point.
   */
  killOutOfScope(st: BitSet[], loc: Location): void {
    // Nothing in scope (most points of most bodies): no kill sets, nor the liveness they need.
    if (st[0].isEmpty()) return;
    const p = this.regions.liveness.point(loc);
    const groups = p >= 0 ? (this.kills ??= this.outOfScopeKills())[p] : undefined;
    if (!groups) return;
    const words = st[0].words;
    for (const g of groups) {
      if (g.mask) for (let w = 0; w < words.length; w++) words[w] &= ~g.mask[w];
      else for (const l of g.ids) words[l >>> 5] &= ~(1 << (l & 31));
    }
  }

  /**
   * Where each loan leaves scope (rustc `calculate_borrows_out_of_scope_at_location`): in a state
   * the transfer functions made, a loan in scope at a point came from a predecessor that its
   * region contains or that creates it, so it must be killed at a point exactly when that point
   * is outside its region and (a) a predecessor is inside it — a point where the region ends — or
   * (b) a predecessor creates it. The ends are computed once per distinct region
   * (`Regions.loanRegion`: loans held where the same locals are live share it) from the region's
   * intervals and the block edges leaving them, so the work is the regions' sizes in blocks plus
   * the loans, not loans × points × passes.
   */
  private outOfScopeKills(): (KillGroup[] | undefined)[] {
    const { liveness } = this.regions;
    const body = this.cx.body;
    const starts = liveness.blockStarts();
    const kills: (KillGroup[] | undefined)[] = new Array(starts[starts.length - 1]);
    const killAt = (p: number, g: KillGroup): void => {
      (kills[p] ??= []).push(g);
    };
    const words = (this.set.loans.length + 31) >>> 5;
    const byRegion = new Map<RegionValue, number[]>();
    for (const loan of this.set.loans) {
      const r = this.regions.loanRegion(loan.id);
      if (r.universal) continue;
      const list = byRegion.get(r);
      if (list) list.push(loan.id);
      else byRegion.set(r, [loan.id]);
      // (b) The point after the loan's creation (a statement: the next point is in its block).
      const after = liveness.point(loan.loc) + 1;
      if (after > 0 && !inIntervals(r.points, after)) killAt(after, { ids: [loan.id] });
    }
    for (const [r, ids] of byRegion) {
      const iv = r.points;
      const ends = new Set<number>();
      let b = 0;
      for (let i = 0; i < iv.length; i += 2) {
        const [s, e] = [iv[i], iv[i + 1]];
        // The blocks whose terminator lies in [s, e]: their successors' first points, when outside.
        while (b < body.blocks.length && starts[b + 1] - 1 < s) b++;
        for (; b < body.blocks.length && starts[b + 1] - 1 <= e; b++)
          for (const t of successors(body.blocks[b].terminator))
            if (t >= 0 && t < body.blocks.length && !inIntervals(iv, starts[t])) ends.add(starts[t]);
        // Within a block, the point after the interval (intervals are maximal: it is outside).
        if (b < body.blocks.length && e + 1 < starts[b + 1] && e >= starts[b]) ends.add(e + 1);
      }
      // One group for all the region's ends (not a copy each); a mask when denser than one.
      const g: KillGroup = { ids };
      if (ends.size > 1 && ids.length > words) {
        g.mask = new Uint32Array(words);
        for (const l of ids) g.mask[l >>> 5] |= 1 << (l & 31);
      }
      for (const q of ends) killAt(q, g);
    }
    return kills;
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
