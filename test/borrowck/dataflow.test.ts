// The dataflow engine (server/src/borrowck/dataflow.ts) and its bit sets: a fixpoint over a loop
// must end after a few passes over the blocks (a reducible CFG needs loop-nesting-depth + 2),
// whatever the number of loans; the work is counted in transfer-function calls, not timed. The
// loans analysis kills loans at precomputed points (where their regions end): at every point of
// every fixture it must leave in scope exactly the loans the region test leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { BitSet } from '../../server/src/borrowck/bitset';
import { iterateToFixpoint, stateBefore, type ForwardAnalysis } from '../../server/src/borrowck/dataflow';
import { buildBorrowSet } from '../../server/src/borrowck/borrowSet';
import { BorrowsAnalysis } from '../../server/src/borrowck/impls/borrows';
import { Liveness } from '../../server/src/borrowck/impls/liveness';
import { Regions } from '../../server/src/borrowck/regions';
import { reversePostorder, type Location } from '../../server/src/mir/visit';
import { fixtureFindings } from '../support/fixtures';

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

/** The loans-in-scope analysis of the rustc definition: every loan in the state asks its region at every point. */
class ByRegionTest extends BorrowsAnalysis {
  override killOutOfScope(st: BitSet[], loc: Location): void {
    for (const l of st[0].values()) if (!this.regions.contains(l, loc)) st[0].remove(l);
  }
}

/**
 * Where the loans in scope of `src` differ between the precomputed kill sets and the region test
 * at each point (before each statement and terminator, kills applied), in words.
 */
function killDisagreements(src: string): string[] {
  const a = analyze(src);
  const out: string[] = [];
  for (const [name, body] of a.mir.bodies) {
    const bc = a.borrowcks.get(name);
    if (!bc) continue;
    const set = buildBorrowSet(bc.cx);
    if (!set.loans.length) continue;
    const regions = new Regions(bc.cx, set, new Liveness(bc.cx));
    const fast = new BorrowsAnalysis(bc.cx, set, regions);
    const slow = new ByRegionTest(bc.cx, set, regions);
    const fastStates = iterateToFixpoint(body, fast);
    const slowStates = iterateToFixpoint(body, slow);
    body.blocks.forEach((bb, block) => {
      for (let index = 0; index <= bb.statements.length && out.length < 5; index++) {
        const loc = { block, index };
        const f = stateBefore(body, fastStates, fast, block, index);
        const s = stateBefore(body, slowStates, slow, block, index);
        if (!f || !s) {
          if (!f !== !s) out.push(`${name} bb${block}[${index}]: reachable in one analysis only`);
          continue;
        }
        fast.killOutOfScope(f, loc);
        slow.killOutOfScope(s, loc);
        if (!f[0].equals(s[0])) out.push(`${name} bb${block}[${index}]: {${f[0].values().join(',')}} for {${s[0].values().join(',')}}`);
      }
    });
  }
  return out;
}

test('the kill sets give the loans in scope of the region test at every point', () => {
  assert.deepEqual(killDisagreements(loansInLoop(40)), []);
  const shapes = `
fn keep(_: &'static i32) {}
fn pick<'a>(a: &'a mut i32, _b: &'a mut i32) -> &'a mut i32 { a }
fn main() {
    let mut x = 1;
    let mut y = 2;
    let mut v: Vec<&i32> = Vec::new();
    for i in 0..3 {
        let r = &mut x;
        *r += i;
        if i == 1 { continue; }
        v.push(&y);
        let z = pick(&mut x, &mut y);
        *z += 1;
        if *z > 5 { break; }
    }
    let s = &x;
    println!("{} {}", s, v.len());
    let k = 5;
    keep(&k);
}
`;
  assert.deepEqual(killDisagreements(shapes), []);
  // Forty loans in one region that ends at two points (each branch's last use of `v`): the
  // loans are killed there as one group, by a mask.
  const pushes = Array.from({ length: 40 }, (_, i) => `    v.push(&${i % 2 ? 'x' : 'y'});`).join('\n');
  const twoEnds = `
fn main() {
    let x = 1;
    let y = 2;
    let mut v: Vec<&i32> = Vec::new();
${pushes}
    if x > 0 {
        println!("{}", v.len());
    } else {
        let n = v.len() + 1;
        println!("{}", n);
    }
    println!("{}", y);
}
`;
  assert.deepEqual(killDisagreements(twoEnds), []);
});

test('the kill sets give the loans in scope of the region test on every fixture', () => {
  const { files, bad } = fixtureFindings(killDisagreements);
  assert.ok(files > 100, `${files} fixtures`);
  assert.deepEqual(bad, []);
});
