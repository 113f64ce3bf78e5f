/**
 * The dataflow engine (rustc_mir_dataflow's `Engine::iterate_to_fixpoint`): a forward analysis
 * over a body's CFG whose state is a tuple of bit sets, joined by union, iterated in reverse
 * postorder until nothing changes. Each analysis (`impls/`) supplies its entry state and the
 * effect of every statement and terminator; the engine returns the state on entry to each
 * reachable block, from which a checker replays the block statement by statement.
 */
import type { Body, Statement, Terminator } from '../mir/mir';
import { reversePostorder, successors, type Location } from '../mir/visit';
import type { BitSet } from './bitset';

/** A forward dataflow analysis whose state is a fixed tuple of bit sets. */
export interface ForwardAnalysis {
  /** The state on entry to the body's first block. */
  entryState(): BitSet[];
  /** Applies the effect of statement `s` at `loc` to `state`. */
  applyStatement(state: BitSet[], s: Statement, loc: Location): void;
  /** Applies the effect of terminator `t` at `loc` (before control leaves the block). */
  applyTerminator(state: BitSet[], t: Terminator, loc: Location): void;
}

/** State on entry to each block; undefined for blocks no path reaches. */
export type EntryStates = (BitSet[] | undefined)[];

export function cloneState(s: BitSet[]): BitSet[] {
  return s.map((b) => b.clone());
}

/**
 * Iterates `analysis` to a fixpoint. Bounded: at most `maxPasses` passes over the reachable
 * blocks (a reducible CFG needs loop-nesting-depth + 2; the bound only guards malformed input,
 * after which the states are the last iteration's).
 */
export function iterateToFixpoint(body: Body, analysis: ForwardAnalysis, maxPasses = 200): EntryStates {
  const states: EntryStates = new Array(body.blocks.length);
  if (!body.blocks.length) return states;
  states[0] = analysis.entryState();
  const order = reversePostorder(body);
  // One working state, overwritten for each block (typed arrays are costly to allocate: a
  // clone per block and pass was most of the time on long bodies).
  const st = cloneState(states[0]);
  let changed = true;
  for (let pass = 0; changed && pass < maxPasses; pass++) {
    changed = false;
    for (const b of order) {
      const entry = states[b];
      if (!entry) continue;
      for (let k = 0; k < st.length; k++) st[k].words.set(entry[k].words);
      const bb = body.blocks[b];
      for (let i = 0; i < bb.statements.length; i++) analysis.applyStatement(st, bb.statements[i], { block: b, index: i });
      analysis.applyTerminator(st, bb.terminator, { block: b, index: bb.statements.length });
      for (const s of successors(bb.terminator)) {
        if (s < 0 || s >= body.blocks.length) continue;
        const cur = states[s];
        if (!cur) {
          states[s] = cloneState(st);
          changed = true;
          continue;
        }
        for (let k = 0; k < cur.length; k++) if (cur[k].union(st[k])) changed = true;
      }
    }
  }
  return states;
}

/**
 * The state just before statement `index` of `block` (`index === statements.length`: before the
 * terminator), replayed from the block's entry state. Undefined for unreachable blocks.
 */
export function stateBefore(
  body: Body,
  states: EntryStates,
  analysis: ForwardAnalysis,
  block: number,
  index: number,
): BitSet[] | undefined {
  const entry = states[block];
  if (!entry) return undefined;
  const st = cloneState(entry);
  const bb = body.blocks[block];
  for (let i = 0; i < index && i < bb.statements.length; i++) analysis.applyStatement(st, bb.statements[i], { block, index: i });
  if (index > bb.statements.length) analysis.applyTerminator(st, bb.terminator, { block, index: bb.statements.length });
  return st;
}
