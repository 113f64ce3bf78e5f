/**
 * The one walk over MIR that every analysis uses (rustc_middle::mir::visit and
 * `TerminatorKind::successors`): a block's successors, the operands a statement or terminator
 * reads, and the places it writes. Borrowck, the interpreter and the IDE queries all go through
 * these, so they agree on the graph and on what counts as a use.
 */
import type { BasicBlock, BlockId, Body, Operand, Place, Rvalue, Statement, Terminator } from './mir';

/**
 * The blocks control may go to after `t`, in order. A `falseEdge` (a loop's back edge) goes to
 * its real target only: its imaginary target (the loop's exit) is where the builder says the loop
 * ends, not a path the program takes (rustc's `FalseEdge` has the imaginary target as a successor
 * for borrowck's liveness; our loops always also have a real exit edge, so leaving it out loses
 * nothing); an or-pattern's `alternative` edge goes to both. A diverging call has none.
 */
export function successors(t: Terminator): BlockId[] {
  switch (t.kind) {
    case 'goto':
      return [t.target];
    case 'switchInt':
      return [...t.targets, t.otherwise];
    case 'drop':
    case 'assert':
      return [t.target];
    case 'call':
      return t.target === null ? [] : [t.target];
    case 'falseEdge':
      return t.alternative ? [t.realTarget, t.imaginaryTarget] : [t.realTarget];
    case 'return':
    case 'unreachable':
      return [];
  }
}

/** The successors of block `b` of `body` (empty for a missing block). */
export function blockSuccessors(body: Body, b: BlockId): BlockId[] {
  const bb: BasicBlock | undefined = body.blocks[b];
  return bb ? successors(bb.terminator) : [];
}

/**
 * Blocks in reverse postorder from the entry block; unreachable blocks are left out. The depth
 * first search takes each block's successors from the last one, as rustc's
 * `rustc_middle::mir::traversal::Postorder` does (`iter.next_back()`), so the order is rustc's:
 * after a `for` loop's test (`[0: exit, otherwise: body]`) the exit comes before the body. The
 * borrow checker walks blocks in this order, which decides which of two errors rustc keeps
 * (`borrowck/diagnostics/move.ts` `reportMoved`).
 */
export function reversePostorder(body: Body): BlockId[] {
  const blocks = body.blocks;
  if (!blocks.length) return [];
  const seen = new Uint8Array(blocks.length);
  const post: BlockId[] = [];
  const first = blockSuccessors(body, 0);
  const stack: { b: BlockId; i: number; succ: BlockId[] }[] = [{ b: 0, i: first.length, succ: first }];
  seen[0] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i > 0) {
      const n = top.succ[--top.i];
      if (n >= 0 && n < blocks.length && !seen[n]) {
        seen[n] = 1;
        const succ = blockSuccessors(body, n);
        stack.push({ b: n, i: succ.length, succ });
      }
    } else {
      post.push(top.b);
      stack.pop();
    }
  }
  return post.reverse();
}

/** Predecessors of every block (index = block id). */
export function predecessors(body: Body): BlockId[][] {
  const preds: BlockId[][] = body.blocks.map(() => []);
  body.blocks.forEach((bb, b) => {
    for (const s of successors(bb.terminator)) if (s >= 0 && s < preds.length) preds[s].push(b);
  });
  return preds;
}

/** The operands an rvalue reads, in evaluation order. */
export function rvalueOperands(r: Rvalue): Operand[] {
  switch (r.kind) {
    case 'use':
    case 'unary':
    case 'repeat':
    case 'cast':
      return [r.operand];
    case 'binary':
      return [r.lhs, r.rhs];
    case 'aggregate':
    case 'opaque':
      return r.operands;
    case 'ref':
    case 'addressOf':
    case 'len':
    case 'discriminant':
      return [];
  }
}

/**
 * The places an rvalue reads without an operand: the borrowed place of `&p`/`&raw p`, the
 * place of `len(p)` and `discriminant(p)`. (Operands are in `rvalueOperands`.)
 */
export function rvaluePlace(r: Rvalue): Place | undefined {
  switch (r.kind) {
    case 'ref':
    case 'addressOf':
    case 'len':
    case 'discriminant':
      return r.place;
    default:
      return undefined;
  }
}

/** The operands a statement reads, in order (an assignment's rvalue operands). */
export function statementOperands(s: Statement): Operand[] {
  return s.kind === 'assign' ? rvalueOperands(s.rvalue) : [];
}

/** The operands a terminator reads, in order: a call's arguments, a switch's or assert's test. */
export function terminatorOperands(t: Terminator): Operand[] {
  switch (t.kind) {
    case 'call':
      return t.args;
    case 'switchInt':
      return [t.discr];
    case 'assert':
      return [t.cond];
    default:
      return [];
  }
}

/** The place a statement or terminator writes (an assignment's or a call's destination). */
export function writtenPlace(x: Statement | Terminator): Place | undefined {
  if (x.kind === 'assign') return x.place;
  if (x.kind === 'call') return x.dest;
  if (x.kind === 'setDiscriminant') return x.place;
  return undefined;
}

/** Every place an operand list names (copies and moves; constants name none). */
export function operandPlaces(ops: readonly Operand[]): Place[] {
  const out: Place[] = [];
  for (const o of ops) if (o.kind !== 'constant') out.push(o.place);
  return out;
}

/** A MIR location: statement `index` of `block`; `index === statements.length` is the terminator. */
export interface Location {
  block: BlockId;
  index: number;
}

/** The number of statements and terminators of `body` (its MIR locations). */
export function bodySize(body: Body): number {
  let n = 0;
  for (const bb of body.blocks) n += bb.statements.length + 1;
  return n;
}

/**
 * Most MIR locations a body may have to be borrow-checked and simulated live. The largest body in
 * the real code at hand (the 826 crate files of `npm run crates`, both development corpora, the
 * fixtures other than the robustness ones) has 2,390 (`syn`'s `replace_attrs`); a body of 46,000
 * (a fuzz mutant: 9,500 locals nested a hundred levels deep) takes seconds to check, replay and
 * draw. Past the limit the function is
 * lowered, typed and shown, without its borrow check and its simulation, and hovers and the panel
 * say why (`bodyTooLargeReason`).
 */
export const MAX_LIVE_BODY_SIZE = 10_000;

/** Why `body` is not borrow-checked or simulated live, in words, or undefined when it is. */
export function bodyTooLargeReason(body: Body): string | undefined {
  const n = bodySize(body);
  if (n <= MAX_LIVE_BODY_SIZE) return undefined;
  return `\`${body.name}\` is too large to check and simulate live (${n.toLocaleString('en-US')} MIR statements; the limit is ${MAX_LIVE_BODY_SIZE.toLocaleString('en-US')})`;
}

/**
 * Calls `f` for every statement and terminator of `body` in block order, with its location.
 * Unreachable blocks are included (callers that care use `reversePostorder`).
 */
export function forEachLocation(body: Body, f: (x: Statement | Terminator, loc: Location, isTerminator: boolean) => void): void {
  body.blocks.forEach((bb, block) => {
    bb.statements.forEach((s, index) => f(s, { block, index }, false));
    f(bb.terminator, { block, index: bb.statements.length }, true);
  });
}

/**
 * The immediate dominator of every block reachable from the entry (index = block id; the entry's
 * is itself, unreachable blocks -1): Cooper, Harvey and Kennedy's iterative algorithm over the
 * reverse postorder (rustc `rustc_data_structures::graph::dominators`, which computes the same
 * tree). A block `a` dominates `b` when every path from the entry to `b` goes through `a`.
 */
export function immediateDominators(body: Body): BlockId[] {
  const order = reversePostorder(body);
  const rank = new Int32Array(body.blocks.length).fill(-1);
  order.forEach((b, i) => (rank[b] = i));
  const preds = predecessors(body);
  const idom: BlockId[] = body.blocks.map(() => -1);
  if (!order.length) return idom;
  idom[order[0]] = order[0];
  const intersect = (a: BlockId, b: BlockId): BlockId => {
    while (a !== b) {
      while (rank[a] > rank[b]) a = idom[a];
      while (rank[b] > rank[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const b of order.slice(1)) {
      let d = -1;
      for (const p of preds[b]) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
      if (d !== -1 && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  return idom;
}

/** Whether block `a` dominates block `b`, given `immediateDominators`. */
export function dominates(idom: readonly BlockId[], a: BlockId, b: BlockId): boolean {
  for (let x = b, steps = 0; x !== -1 && steps <= idom.length; steps++) {
    if (x === a) return true;
    if (idom[x] === x) return false;
    x = idom[x];
  }
  return false;
}
