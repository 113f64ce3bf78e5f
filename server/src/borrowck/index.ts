/**
 * The borrow checker (rustc_borrowck + rustc_mir_dataflow), per MIR body:
 *
 *   moveData.ts      move paths and move-outs            impls/moves.ts     maybe-(un)init, ever-init, move-outs
 *   borrowSet.ts     every loan                          impls/liveness.ts  live locals
 *   regions.ts       where each loan flows (NLL regions) impls/borrows.ts   loans in scope
 *   placesConflict.ts  do two places overlap             dataflow.ts        the fixpoint engine
 *   check.ts         the walk over every access          diagnostics/       one module per error family
 *
 * `checkBody` runs it and keeps the results: the diagnostics, and the facts hover and the IDE
 * features read (the ownership state of a local at a point, the loans of a place and how long
 * they last) — one story for squiggles, hovers and the panel.
 *
 * Places and types the engine does not know never produce a diagnostic: MIR building lowers
 * their uses as copies, loans through unknown types do not flow, mutability needs known types.
 */
import type { EngineDiagnostic } from '../base/diagnostic';
import type { Span } from '../base/span';
import type { AdtDef } from '../hir/hir';
import type { Body } from '../mir/mir';
import { forEachLocation, type Location } from '../mir/visit';
import { BitSet } from './bitset';
import { buildBorrowSet, type BorrowSet, type Loan } from './borrowSet';
import { Checker } from './check';
import { makeCx, type BorrowckCx, type Edition } from './context';
import { iterateToFixpoint, stateBefore, type EntryStates } from './dataflow';
import type { CheckCtx } from './diagnostics/context';
import { Reporter } from './diagnostics/reporter';
import { reportEscapingClosureParams, reportEscapingParams } from './diagnostics/region';
import { BorrowsAnalysis } from './impls/borrows';
import { defsUses, Liveness } from './impls/liveness';
import { EVER_INIT, INIT, MoveAnalysis, UNINIT } from './impls/moves';
import { MoveData } from './moveData';
import { Regions } from './regions';

export type { Edition } from './context';
export type { Loan } from './borrowSet';

/** The error codes rustc's borrow checker can report (rustc_borrowck's diagnostics). */
export const RUSTC_BORROWCK_CODES: readonly string[] = [
  'E0373',
  'E0381',
  'E0382',
  'E0384',
  'E0499',
  'E0502',
  'E0503',
  'E0505',
  'E0506',
  'E0507',
  'E0508',
  'E0509',
  'E0510',
  'E0515',
  'E0521',
  'E0594',
  'E0596',
  'E0597',
  'E0626',
  'E0712',
  'E0713',
  'E0716',
  'E0767',
  'E0500',
  'E0501',
  'E0524',
];

/** Those this checker reports (the others are never reported: see `docs/architecture.md`). */
const NOT_IMPLEMENTED = new Set(['E0626', 'E0712', 'E0767']);
export const BORROWCK_CODES: readonly string[] = RUSTC_BORROWCK_CODES.filter((c) => !NOT_IMPLEMENTED.has(c));

/** The ownership state of one local at one point, for hovers. */
export interface LocalState {
  /** `yes`: initialised on every path; `maybe`: on some; `no`: on none. */
  init: 'yes' | 'maybe' | 'no';
  /** Moves of the whole local (or an ancestor) that reach this point. */
  moves: { span: Span; dest: string }[];
  /** Moves of parts of it (`p.name`) that reach this point. */
  partial: { path: string; span: Span; dest: string }[];
  /** Whether it was ever assigned before this point. */
  everInit: boolean;
}

/** A loan as the IDE shows it: who holds it and until where it is used. */
export interface LoanInfo {
  loan: Loan;
  /** The user bindings the borrow flows into (`first`, `r`), in order of declaration. */
  holders: string[];
  /** The last use of the borrow in the source (the end of its region as a user sees it). */
  lastUse?: Span;
}

/** The borrow check of one body, with the facts the IDE features read. */
export class BodyBorrowck {
  readonly cx: BorrowckCx;
  readonly md: MoveData;
  readonly moves: MoveAnalysis;
  readonly moveStates: EntryStates;
  private lazy?: { set: BorrowSet; liveness: Liveness; regions: Regions; borrowStates: EntryStates; analysis: BorrowsAnalysis };
  private diags?: EngineDiagnostic[];

  constructor(body: Body, adts: ReadonlyMap<string, AdtDef>, edition: Edition = '2021') {
    this.cx = makeCx(body, adts, edition);
    this.md = new MoveData(body);
    this.moves = new MoveAnalysis(this.md);
    this.moveStates = iterateToFixpoint(body, this.moves);
    // Drops of values that are certainly not initialised there (moved out, never assigned).
    const dead = new Set<object>();
    body.blocks.forEach((bb, b) => {
      const t = bb.terminator;
      if (t.kind !== 'drop' || !this.md.isMovable(t.place)) return;
      const p = this.md.pathFor(t.place);
      const st = p >= 0 ? stateBefore(body, this.moveStates, this.moves, b, bb.statements.length) : undefined;
      if (st && !st[INIT].has(p)) dead.add(t);
    });
    this.cx.deadDrops = dead;
  }

  private set?: BorrowSet;

  /** Every loan of the body (cheap beside the region and loan dataflow `loans` computes). */
  private borrowSet(): BorrowSet {
    return (this.set ??= this.lazy?.set ?? buildBorrowSet(this.cx));
  }

  private loans() {
    if (!this.lazy) {
      const set = this.borrowSet();
      const liveness = new Liveness(this.cx);
      const regions = new Regions(this.cx, set, liveness);
      const analysis = new BorrowsAnalysis(this.cx, set, regions);
      this.lazy = { set, liveness, regions, analysis, borrowStates: iterateToFixpoint(this.cx.body, analysis) };
    }
    return this.lazy;
  }

  /** rustc-style diagnostics for the body (0-based UTF-16 ranges), computed once. */
  diagnostics(): EngineDiagnostic[] {
    if (!this.diags) {
      const { set, liveness, regions, analysis, borrowStates } = this.loans();
      const out = new Reporter();
      const c: CheckCtx = {
        cx: this.cx,
        md: this.md,
        moves: this.moves,
        moveStates: this.moveStates,
        set,
        regions,
        liveness,
        out,
        firstInit: new Map(),
        isClosure: this.cx.body.closureId !== undefined,
        borrows: { analysis, states: borrowStates },
      };
      new Checker(c).run();
      reportEscapingParams(c);
      reportEscapingClosureParams(c);
      this.diags = out.diags;
    }
    return this.diags;
  }

  /** State of `local` just before statement `index` of `block` (index = statements.length: the terminator). */
  stateAt(block: number, index: number, local: number): LocalState | undefined {
    const st = stateBefore(this.cx.body, this.moveStates, this.moves, block, index);
    if (!st) return undefined;
    const p = this.md.pathFor({ local, projection: [] });
    if (p < 0) return undefined;
    const sub = this.md.subtree(p);
    const moves = this.moves.movesOf(st, p).map((m) => this.md.moveOuts[m]);
    const partial = sub
      .slice(1)
      .flatMap((x) =>
        this.moves
          .movesOf(st, x)
          .map((m) => ({ path: this.md.describePath(x), span: this.md.moveOuts[m].span, dest: this.md.moveOuts[m].dest })),
      );
    const init = st[UNINIT].has(p) ? (st[INIT].has(p) ? 'maybe' : 'no') : 'yes';
    return { init, moves: moves.map((m) => ({ span: m.span, dest: m.dest })), partial, everInit: st[EVER_INIT].has(p) };
  }

  /** The loans in scope just before `loc` whose borrowed place is rooted at `local`. */
  loansOfLocalAt(local: number, loc: Location): LoanInfo[] {
    // A local nothing borrows needs no regions (a hover on it in a large body stays cheap).
    if (
      !this.borrowSet()
        .byLocal.get(local)
        ?.some((id) => this.borrowSet().loans[id].kind !== 'fake')
    )
      return [];
    const { set, borrowStates, analysis } = this.loans();
    const st = stateBefore(this.cx.body, borrowStates, analysis, loc.block, loc.index);
    if (!st) return [];
    analysis.killOutOfScope(st, loc);
    return [...st[0].values()]
      .filter((id) => set.loans[id].place.local === local && set.loans[id].kind !== 'fake')
      .map((id) => this.loanInfo(id));
  }

  /** Every loan of the body with its holders and last use. */
  allLoans(): LoanInfo[] {
    return this.loans()
      .set.loans.filter((l) => l.kind !== 'fake')
      .map((l) => this.loanInfo(l.id));
  }

  /**
   * The facts of one local's lifetime, for the IDE's lifetime highlights (`ide/lifetime.ts`):
   * the spans of the statements and terminators where its value is live (rustc's liveness: it
   * may be used later), its loans with their holders and last uses, its move-outs (of it or of a
   * part), and the drops that really drop it (not those of a moved-out value).
   */
  lifetimeFacts(local: number): {
    live: Span[];
    loans: LoanInfo[];
    moves: { span: Span; dest: string; path: string }[];
    drops: Span[];
    assigns: Span[];
  } {
    const { liveness, set } = this.loans();
    const body = this.cx.body;
    const live: Span[] = [];
    const drops: Span[] = [];
    const assigns: Span[] = [];
    forEachLocation(body, (x, loc) => {
      if (x.kind === 'storageDead' || x.kind === 'storageLive') return;
      if (x.kind === 'drop') {
        if (x.place.local === local && x.place.projection.length === 0 && !this.cx.deadDrops?.has(x)) drops.push(x.span);
        return;
      }
      if (x.kind === 'assign' && x.place.local === local && x.place.projection.length === 0) assigns.push(x.span);
      if (liveness.isLive(local, loc)) live.push(x.span);
    });
    const p = this.md.pathFor({ local, projection: [] });
    const sub = p >= 0 ? new Set(this.md.subtree(p)) : new Set<number>();
    const moves = this.md.moveOuts
      .filter((m) => sub.has(m.path))
      .map((m) => ({ span: m.span, dest: m.dest, path: this.md.describePath(m.path) }));
    const loans = (set.byLocal.get(local) ?? []).filter((id) => set.loans[id].kind !== 'fake').map((id) => this.loanInfo(id));
    return { live, loans, moves, drops, assigns };
  }

  /** Who holds loan `id` and where it is last used. */
  loanInfo(id: number): LoanInfo {
    const { set, regions } = this.loans();
    const body = this.cx.body;
    const locals = regions.localsOf(id);
    const holders = [...locals.values()]
      .filter((l) => body.locals[l]?.name && body.locals[l].kind !== 'temp')
      .map((l) => body.locals[l].name!);
    let lastUse: Span | undefined;
    forEachLocation(body, (x) => {
      if (x.kind === 'storageDead' || x.kind === 'storageLive' || x.kind === 'drop') return;
      if (!defsUses(this.cx, x).uses.some((l) => locals.has(l))) return;
      if (
        !lastUse ||
        x.span.end.line > lastUse.end.line ||
        (x.span.end.line === lastUse.end.line && x.span.end.character > lastUse.end.character)
      )
        lastUse = x.span;
    });
    return { loan: set.loans[id], holders, ...(lastUse ? { lastUse } : {}) };
  }
}

/** Borrow-checks one body and returns its diagnostics. Never throws for well-formed MIR. */
export function borrowck(body: Body, adts: ReadonlyMap<string, AdtDef> = new Map(), edition: Edition = '2021'): EngineDiagnostic[] {
  return new BodyBorrowck(body, adts, edition).diagnostics();
}

/** Runs the move dataflow of `body` once; states are computed on demand (for hovers). */
export function analyzeMoves(body: Body): { stateAt(block: number, index: number, local: number): LocalState | undefined } {
  const b = new BodyBorrowck(body, new Map());
  return { stateAt: (block, index, local) => b.stateAt(block, index, local) };
}

export { BitSet };
