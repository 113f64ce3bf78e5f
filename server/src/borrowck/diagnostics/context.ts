/**
 * What every diagnostics builder may read: the body, its move data and dataflow results, its
 * loans and regions, and the reporter. Built once per body by `check.ts`.
 */
import type { Span } from '../../base/span';
import type { Location } from '../../mir/visit';
import type { BorrowSet } from '../borrowSet';
import type { BorrowckCx } from '../context';
import type { EntryStates } from '../dataflow';
import type { BorrowsAnalysis } from '../impls/borrows';
import type { Liveness } from '../impls/liveness';
import type { MoveAnalysis } from '../impls/moves';
import type { MoveData } from '../moveData';
import type { Regions } from '../regions';
import type { Reporter } from './reporter';

export interface CheckCtx {
  cx: BorrowckCx;
  md: MoveData;
  moves: MoveAnalysis;
  moveStates: EntryStates;
  set: BorrowSet;
  regions: Regions;
  liveness: Liveness;
  out: Reporter;
  /** First initialisation of each local, for E0384's "first assignment" label. */
  firstInit: Map<number, Span>;
  /** True for closure bodies (their arguments include the captured variables). */
  isClosure: boolean;
  /** The loans-in-scope analysis and its entry states, when already computed (the checker's own otherwise). */
  borrows?: { analysis: BorrowsAnalysis; states: EntryStates };
  /** Set while a call's arguments are read: its two-phase borrows are not activated yet. */
  readingArgsAt?: Location;
}
