// Liveness (server/src/borrowck/impls/liveness.ts) walks back from each use of each local and
// keeps intervals of points; this test checks it against the textbook definition, a backward
// dataflow over bit sets at every statement and terminator (live-in = uses ∪ (live-out − defs),
// live-out = ∪ live-in of the successors), on every MIR body of every fixture and on a few
// shapes written here (loops, a use and a definition at one point, unreachable blocks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { BodyBorrowck } from '../../server/src/borrowck';
import { defsUses, Liveness } from '../../server/src/borrowck/impls/liveness';
import type { Body } from '../../server/src/mir/mir';
import { successors } from '../../server/src/mir/visit';
import { fixtureFindings } from '../support/fixtures';

/** Live locals before every point, `[block][index]`, by iterating the dataflow equations to a fixpoint. */
function reference(bc: BodyBorrowck, body: Body): Set<number>[][] {
  const du = body.blocks.map((bb) => [...bb.statements.map((s) => defsUses(bc.cx, s)), defsUses(bc.cx, bb.terminator)]);
  const live: Set<number>[][] = body.blocks.map((bb) => bb.statements.map(() => new Set<number>()).concat([new Set<number>()]));
  for (let changed = true; changed;) {
    changed = false;
    for (let b = body.blocks.length - 1; b >= 0; b--) {
      let after = new Set<number>();
      for (const s of successors(body.blocks[b].terminator)) if (live[s]) for (const l of live[s][0]) after.add(l);
      for (let i = du[b].length - 1; i >= 0; i--) {
        const before = new Set([...after].filter((l) => !du[b][i].defs.includes(l)));
        for (const l of du[b][i].uses) before.add(l);
        if (before.size !== live[b][i].size) changed = true;
        live[b][i] = before;
        after = before;
      }
    }
  }
  return live;
}

/** Every disagreement between `Liveness.isLive` and the reference on `src`, in words. */
function disagreements(src: string): string[] {
  const a = analyze(src);
  const out: string[] = [];
  for (const [name, body] of a.mir.bodies) {
    const bc = new BodyBorrowck(body, a.file.adts, a.edition);
    const liveness = new Liveness(bc.cx);
    const ref = reference(bc, body);
    body.blocks.forEach((bb, block) => {
      for (let index = 0; index <= bb.statements.length; index++) {
        for (let local = 0; local < body.locals.length; local++) {
          const want = ref[block][index].has(local);
          if (liveness.isLive(local, { block, index }) !== want && out.length < 5)
            out.push(`${name} bb${block}[${index}] _${local}: ${want ? 'live' : 'dead'} by the equations`);
        }
      }
    });
    // Outside the body nothing is live.
    if (liveness.isLive(0, { block: body.blocks.length, index: 0 }) || liveness.isLive(0, { block: 0, index: -1 }))
      out.push(`${name}: live outside the body`);
  }
  return out;
}

test('liveness matches the dataflow equations on loops, a use and a definition at one point, and dead code', () => {
  const src = `
fn f(n: u32) -> u32 {
    let mut acc = 0;
    let mut i = 0;
    while i < n {
        let r = &acc;
        acc = *r + i;
        i += 1;
        if i == 7 { break; }
    }
    loop {
        if acc > 10 { return acc; }
        acc = acc + 1;
    }
}
fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    let x = *first;
    v.push(x);
    let s = String::from("a");
    let t = if v.len() > 2 { s } else { String::new() };
    println!("{} {}", t, f(3));
    return;
}
`;
  assert.deepEqual(disagreements(src), []);
});

test('liveness matches the dataflow equations on every fixture', () => {
  const { files, bad } = fixtureFindings(disagreements);
  assert.ok(files > 100, `${files} fixtures`);
  assert.deepEqual(bad, []);
});
