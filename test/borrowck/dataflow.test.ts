// The dataflow engine (server/src/borrowck/dataflow.ts) and its bit sets: a fixpoint over a loop
// must end after a few passes over the blocks (a reducible CFG needs loop-nesting-depth + 2),
// whatever the number of loans; the work is counted in transfer-function calls, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { BitSet } from '../../server/src/borrowck/bitset';
import { iterateToFixpoint, type ForwardAnalysis } from '../../server/src/borrowck/dataflow';
import { buildBorrowSet } from '../../server/src/borrowck/borrowSet';
import { BorrowsAnalysis } from '../../server/src/borrowck/impls/borrows';
import { Liveness } from '../../server/src/borrowck/impls/liveness';
import { Regions } from '../../server/src/borrowck/regions';
import { reversePostorder } from '../../server/src/mir/visit';

test('BitSet.union reports a change only when a word changes, bit 31 included', () => {
  for (const size of [32, 33, 64, 100]) {
    const a = new BitSet(size);
    const b = new BitSet(size);
    for (let i = 0; i < size; i += 1) if (i % 3 === 1 || i === 31) b.add(i);
    assert.equal(a.union(b), true, `size ${size}: first union adds`);
    assert.equal(a.union(b), false, `size ${size}: the same union again changes nothing`);
    assert.equal(a.has(31), true);
    const c = new BitSet(size);
    c.add(31);
    assert.equal(a.union(c), false, `size ${size}: a subset with bit 31 changes nothing`);
    c.add(0);
    assert.equal(a.union(c), true, `size ${size}: a new bit is a change`);
    assert.equal(a.union(c), false);
  }
});

/** A `loop` over a `match` of `n` arms that each push `&mut x` into a Vec (rustc UI `borrowck-reinit`-like shape). */
function loansInLoop(n: number): string {
  const arms = Array.from({ length: n }, (_, i) => `            ${i === n - 1 ? '_' : i + 1} => { addr.push(&mut x); }\n`);
  return `fn main() {\n    let mut x = 1;\n    let mut addr = vec![];\n    loop {\n        match 1 {\n${arms.join('')}        }\n    }\n}\n`;
}

test('the loans-in-scope fixpoint over a loop with many loans ends in a few passes', () => {
  for (const n of [20, 40, 70]) {
    const a = analyze(loansInLoop(n));
    const bc = a.borrowcks.get('main');
    assert.ok(bc, 'main is borrow-checked');
    assert.equal(a.diagnostics.filter((d) => d.code === 'E0499').length, n, `${n} arms: one E0499 each`);
    const body = bc.cx.body;
    // The loans analysis itself (loans > 32: the words' top bits are set), counted per block visit.
    const set = buildBorrowSet(bc.cx);
    assert.ok(set.loans.length > 32, `${n} arms: ${set.loans.length} loans`);
    const inner = new BorrowsAnalysis(bc.cx, set, new Regions(bc.cx, set, new Liveness(bc.cx)));
    let visits = 0;
    const counting: ForwardAnalysis = {
      entryState: () => inner.entryState(),
      applyStatement: (st, s, loc) => inner.applyStatement(st, s, loc),
      applyTerminator: (st, t, loc) => {
        visits++;
        inner.applyTerminator(st, t, loc);
      },
    };
    iterateToFixpoint(body, counting);
    const reachable = reversePostorder(body).length;
    // One loop: its blocks are visited at most 3 times (2 passes + the pass that sees no change).
    assert.ok(visits <= 3 * reachable, `${n} arms: ${visits} block visits for ${reachable} reachable blocks`);
  }
});
