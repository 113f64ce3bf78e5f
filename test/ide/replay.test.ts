/**
 * How snapshots and hovers get the memory at a step without changing what they say: the
 * recorded machine stands for the last step (`Run.final`), recent replays are kept
 * (`Run.replays`), and a hover draws only the heap blocks the frames point to
 * (`valueStateAt`, `heap: 'pointed'`). Each shortcut is compared with the long way round on
 * every fixture: a fresh replay, and every heap block drawn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, simulation } from '../../server/src/engine/engine';
import { runSnapshotAt, valueStateAt, bodyAt } from '../../server/src/ide/snapshot';
import { replayTo } from '../../server/src/interp/run';
import type { Run } from '../../server/src/interp/trace';
import { fixturesDir, listFixtures } from '../support/fixtures';

let simulated: { rel: string; run: Run; a: ReturnType<typeof analyze> }[] | undefined;

/** The simulated fixtures: each with its analysis's run (made once). */
function runs(): { rel: string; run: Run; a: ReturnType<typeof analyze> }[] {
  if (simulated) return simulated;
  const out: { rel: string; run: Run; a: ReturnType<typeof analyze> }[] = (simulated = []);
  for (const rel of listFixtures()) {
    const a = analyze(fs.readFileSync(path.join(fixturesDir(), rel), 'utf8'));
    if (!a.mir.bodies.has('main')) continue;
    out.push({ rel, run: simulation(a), a });
  }
  return out;
}

/** The same run without any kept machine: every step is rebuilt by a replay. */
const unkept = (r: Run): Run => ({ ...r, final: undefined, replays: undefined, symbolicRuns: new Map() });

test('the recorded machine is the memory after the last step: its snapshot equals a replay’s', () => {
  let checked = 0;
  for (const { rel, run } of runs()) {
    if (!run.steps.length) continue;
    const last = run.steps.length - 1;
    if (run.stop.reason === 'end') assert.ok(run.final, `${rel}: a run that ended keeps its machine`);
    if (!run.final) continue;
    assert.equal(run.final.step, last, rel);
    assert.equal(replayTo(run, last), run.final.machine, `${rel}: the last step is not replayed`);
    const main = run.input.bodies.get('main')!;
    const kept = runSnapshotAt(run, main.span.start, 1, 0, { step: last });
    const replayed = runSnapshotAt(unkept(run), main.span.start, 1, 0, { step: last });
    assert.equal(kept.status, 'ok', rel);
    assert.deepEqual(kept, replayed, rel);
    checked++;
  }
  assert.ok(checked > 100, `only ${checked} fixtures checked`);
});

test('kept replays answer as fresh replays do, and stay bounded', () => {
  const { run } = runs().find((x) => x.run.steps.length > 40)!;
  const main = run.input.bodies.get('main')!;
  const steps = [3, 10, 3, 20, 30, 10, 3, 25, 1];
  for (const k of steps) {
    const kept = runSnapshotAt(run, main.span.start, 1, 0, { step: k });
    const fresh = runSnapshotAt(unkept(run), main.span.start, 1, 0, { step: k });
    assert.deepEqual(kept, fresh, `step ${k}`);
    assert.ok((run.replays?.length ?? 0) <= 4, 'at most 4 replays kept');
  }
  // The most recent first: step 1 was asked last.
  assert.equal(run.replays?.[0]?.step, 1);
});

test('a hover drawing only the pointed heap blocks says what drawing every block says', () => {
  let compared = 0;
  let withTarget = 0;
  for (const { rel, run, a } of runs()) {
    for (const fn of a.file.fns) {
      if (!fn.body || !bodyAt(run.input.bodies, fn.span.start)) continue;
      for (const local of fn.locals.slice(1, 12)) {
        const pos = local.span.start;
        for (const before of [false, true]) {
          const pointed = valueStateAt(run, pos, { declRange: local.span }, 1, { before });
          const all = valueStateAt(run, pos, { declRange: local.span }, 1, { before, heap: 'all' });
          assert.deepEqual(pointed, all, `${rel} ${local.name} at ${pos.line + 1}:${pos.character + 1}${before ? ' (before)' : ''}`);
          compared++;
          if (pointed?.targetId?.startsWith('heap:')) withTarget++;
        }
      }
    }
  }
  assert.ok(compared > 1000, `only ${compared} hovers compared`);
  assert.ok(withTarget > 100, `only ${withTarget} hovers on heap pointers`);
});

test('a hover after a loop that allocated thousands of blocks answers with its block', () => {
  const src = [
    'fn main() {',
    '    let mut v = Vec::new();',
    '    for _ in 0..3000 {',
    '        v.push(vec![0u8; 255]);',
    '    }',
    '    let s = String::from("end");',
    '    println!("{} {}", v.len(), s);',
    '}',
  ].join('\n');
  const run = simulation(analyze(src));
  assert.equal(run.stop.reason, 'end');
  const a = analyze(src);
  const pos = { line: 6, character: 4 };
  const decl = a.file.fns[0].locals.find((l) => l.name === 's')!;
  const pointed = valueStateAt(run, pos, { declRange: decl.span });
  assert.equal(pointed?.text, '"end"');
  assert.equal(pointed?.targetBytes, 3);
  assert.deepEqual(pointed, valueStateAt(run, pos, { declRange: decl.span }, 1, { heap: 'all' }));
  const vDecl = a.file.fns[0].locals.find((l) => l.name === 'v')!;
  const vState = valueStateAt(run, pos, { declRange: vDecl.span });
  assert.equal(vState?.len, 3000);
});

test('the runs of functions main never calls share one step budget: the later ones stop early and say why', () => {
  // Each never-called function loops until the loop limit (about 30,000 MIR steps alone).
  const fnText = (i: number): string => `fn spin${i}() {\n    let mut n = 0u64;\n    loop {\n        n += 1;\n    }\n}\n`;
  const text = `fn main() {\n    let x = 1;\n    println!("{x}");\n}\n${[0, 1, 2, 3].map(fnText).join('')}`;
  const a = analyze(text);
  const run = simulation(a);
  const lines = text.split('\n');
  const stops: { steps: number; message: string }[] = [];
  for (let i = 0; i < 4; i++) {
    const line = lines.findIndex((l) => l.startsWith(`fn spin${i}`)) + 2;
    const snap = runSnapshotAt(run, { line, character: 8 });
    assert.ok(snap.stopped, `spin${i}: ${snap.message}`);
    const r = run.symbolicRuns.get(`spin${i}`)!;
    stops.push({ steps: r.executed, message: r.stop.message });
  }
  let total = 0;
  for (const s of stops) total += s.steps;
  // Alone each would run to its loop limit; together they cost about one run's budget.
  assert.ok(stops[0].steps > 20_000, JSON.stringify(stops));
  assert.ok(total <= 100_000 + 2 * 2_000 + 100, JSON.stringify(stops));
  const last = stops[stops.length - 1];
  assert.match(last.message, /the budget the runs of functions `main` never calls share/);
  // The first one is not cut short by the others: it stops where it would alone.
  assert.match(stops[0].message, /a loop in `spin0` ran 10000 times/);
});

test('a snapshot draws at most 1,000 heap blocks, those the frames point to first, and counts the rest', () => {
  const text = [
    'fn main() {',
    '    let mut keep = Vec::new();',
    '    for i in 0..3000u32 {',
    '        keep.push(vec![i; 4]);',
    '    }',
    '    let last = String::from("end");',
    '    println!("{} {}", keep.len(), last);',
    '}',
    '',
  ].join('\n');
  const a = analyze(text);
  const run = simulation(a);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  const snap = runSnapshotAt(run, { line: 6, character: 4 });
  assert.equal(snap.status, 'ok', snap.message);
  // 3,000 inner buffers, the outer buffer and the String: all live.
  assert.ok(snap.heap.length <= 1000, String(snap.heap.length));
  assert.ok(snap.heapNotDrawn, 'the blocks left out are counted');
  assert.equal(snap.heap.length + snap.heapNotDrawn.blocks, 3002);
  // The frames' blocks are drawn first, so those left out are inner buffers of 4 u32 each.
  assert.equal(snap.heapNotDrawn.bytes, snap.heapNotDrawn.blocks * 16);
  // What the frames point to is drawn: the outer Vec's buffer and the String's.
  const pointed = snap.frames[0].slots
    .flatMap((s) => (s.value.kind === 'aggregate' ? s.value.fields : []))
    .flatMap((f) => (f.name === 'ptr' && f.value.kind === 'pointer' && f.value.target ? [f.value.target.id] : []));
  assert.ok(pointed.length >= 2, JSON.stringify(pointed));
  for (const id of pointed)
    assert.ok(
      snap.heap.some((b) => b.id === id),
      `${id} is drawn`,
    );
  // Every block is drawn when there are few.
  const small = runSnapshotAt(simulation(analyze(text.replace('3000u32', '30u32'))), { line: 6, character: 4 });
  assert.equal(small.heap.length, 32);
  assert.equal(small.heapNotDrawn, undefined);
});
