/**
 * The interpreter (server/src/interp): hand-written MIR first (independent of the MIR builder),
 * then end-to-end from Rust source for the seeds' examples. Capacities were checked against
 * rustc 1.95 (`String::from` exact, Vec<i32> 4 → 8, String::new + push_str 8, format! estimates).
 */
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { Body } from '../../server/src/mir/mir';
import type { Snapshot, Slot, Value } from '../../shared/protocol';
import { runProgram, type Run } from '../../server/src/interp';
import { runSnapshotAt as snapshotAt, valueStateAt } from '../../server/src/ide/snapshot';
import * as ide from '../../server/src/ide/snapshot';
import {
  BodyBuilder,
  I32,
  STRING,
  STR_REF,
  U64,
  UNIT,
  adt,
  borrow,
  cp,
  fileWith,
  field,
  int,
  mv,
  pl,
  refTy,
  std,
  stdCall,
  str,
  structDef,
  use,
} from '../support/mirBuilder';
import { fixturesDir } from '../support/fixtures';
import { posOf, runSource } from '../support/interpSource';
import * as engine from '../../server/src/engine/engine';

// --- helpers

function runBodies(
  bodies: Body[],
  opts: { entry?: string; loopCap?: number; maxDepth?: number; stepBudget?: number } = {},
  file = fileWith(),
): Run {
  return runProgram({
    file,
    bodies: new Map(bodies.map((b) => [b.name, b])),
    entry: opts.entry ?? 'main',
    loopCap: opts.loopCap,
    maxDepth: opts.maxDepth,
    stepBudget: opts.stepBudget,
  });
}

/** Snapshot at a 1-based line, column 0. */
const at = (run: Run, line: number, visit = 1, offset = 0): Snapshot => snapshotAt(run, { line: line - 1, character: 0 }, visit, offset);

function slot(s: Snapshot, name: string, frame = s.frames.length - 1): Slot {
  const f = s.frames[frame];
  assert.ok(f, `no frame ${frame}`);
  const found = [...f.slots].reverse().find((x) => x.name === name);
  assert.ok(found, `no slot ${name} in ${f.function}: ${f.slots.map((x) => x.name).join(', ')}`);
  return found;
}

function fieldOf(v: Value, name: string): Value {
  assert.equal(v.kind, 'aggregate', `not an aggregate: ${JSON.stringify(v)}`);
  const f = (v as Extract<Value, { kind: 'aggregate' }>).fields.find((x) => x.name === name);
  assert.ok(f, `no field ${name}`);
  return f.value;
}

const frameSummary = (s: Snapshot) =>
  s.frames.map(
    (f) =>
      `${f.function}{${f.slots
        .filter((x) => x.state !== 'dropped')
        .map((x) => `${x.name}=${x.value.text}`)
        .join(', ')}}`,
  );

// --- hand-written MIR

test('String move x → y: y owns the heap block, x is moved (hand MIR)', () => {
  // 1 fn main() {
  // 2     let x = String::from("wilspi");
  // 3     let y = x;
  // 4 }
  const b = new BodyBuilder('main', 1, 4);
  const x = b.user('x', STRING, 2);
  const y = b.user('y', STRING, 3);
  const [b0, b1, b2, b3] = [b.block(), b.block(), b.block(), b.block()];
  b.live(b0, 2, x).call(b0, 2, stdCall('String::from'), [str('wilspi')], pl(x), b1);
  b.live(b1, 3, y)
    .assign(b1, 3, pl(y), use(mv(x)))
    .drop(b1, 4, y, b2);
  b.drop(b2, 4, x, b3);
  b.dead(b3, 4, y).dead(b3, 4, x);
  const run = runBodies([b.build()]);
  assert.equal(run.stop.reason, 'end');

  const s2 = at(run, 2);
  assert.equal(s2.status, 'ok');
  assert.equal(s2.heap.length, 1);
  assert.equal(s2.heap[0].text, 'wilspi');
  assert.equal(s2.heap[0].len, 6);
  assert.equal(s2.heap[0].elementCapacity, 6);
  assert.equal(s2.heap[0].size, 6);
  assert.equal(s2.heap[0].owner, slot(s2, 'x').id);
  assert.deepEqual(
    s2.statics.map((x) => x.name),
    ['"wilspi"'],
  );

  const s3 = at(run, 3);
  const xs = slot(s3, 'x');
  const ys = slot(s3, 'y');
  assert.equal(xs.state, 'moved');
  assert.equal(xs.movedTo?.to, 'y');
  assert.equal(xs.movedTo?.line, 3);
  assert.equal(ys.state, 'init');
  assert.equal(ys.value.text, '"wilspi"');
  assert.deepEqual(
    ['ptr', 'len', 'cap'].map((n) => fieldOf(ys.value, n).text),
    ['→ heap', '6', '6'], // the id is in the target (below), not in the text
  );
  const ptr = fieldOf(ys.value, 'ptr');
  assert.equal(ptr.kind === 'pointer' ? ptr.target?.id : undefined, 'heap:1');
  assert.equal(s3.heap[0].owner, ys.id);
  assert.ok(
    s3.events.some((e) => e.kind === 'move' && e.text === 'moved `x` to `y`'),
    JSON.stringify(s3.events),
  );

  // At the closing brace: y is dropped (its buffer freed), x was moved so nothing happens to it.
  const s4 = at(run, 4);
  assert.equal(s4.heap.length, 1);
  assert.equal(s4.heap[0].state, 'freed');
  assert.equal(slot(s4, 'x').state, 'moved');
  assert.equal(slot(s4, 'y').state, 'dropped');
  const frees = run.steps.flatMap((st) => st.events).filter((e) => e.kind === 'free');
  assert.equal(frees.length, 1, 'exactly one free (no double free of the moved-from x)');
});

test('foo() called from main: the frame is pushed with y, z and popped on return (hand MIR)', () => {
  // 1 fn foo() {
  // 2     let y = 5;
  // 3     let z = 100;
  // 4 }
  // 5 fn main() {
  // 6     let x = 42;
  // 7     foo();
  // 8 }
  const f = new BodyBuilder('foo', 1, 4);
  const y = f.user('y', I32, 2);
  const z = f.user('z', I32, 3);
  const fb = f.block();
  f.live(fb, 2, y)
    .assign(fb, 2, pl(y), use(int(5)))
    .live(fb, 3, z)
    .assign(fb, 3, pl(z), use(int(100)))
    .dead(fb, 4, z)
    .dead(fb, 4, y);
  const m = new BodyBuilder('main', 5, 8);
  const x = m.user('x', I32, 6);
  const t = m.temp(UNIT, 7);
  const [m0, m1] = [m.block(), m.block()];
  m.live(m0, 6, x)
    .assign(m0, 6, pl(x), use(int(42)))
    .call(m0, 7, { kind: 'fn', name: 'foo' }, [], pl(t), m1);
  m.dead(m1, 8, x);
  const run = runBodies([f.build(), m.build()]);

  const inFoo = at(run, 3);
  assert.equal(inFoo.status, 'ok');
  assert.deepEqual(frameSummary(inFoo), ['main{x=42}', 'foo{y=5, z=100}']);
  assert.equal(inFoo.message, 'after line 3 of `foo`');
  assert.deepEqual(inFoo.frames[1].callSite?.start.line, 6);

  const after = at(run, 7);
  assert.deepEqual(frameSummary(after), ['main{x=42}']);
  assert.ok(after.events.some((e) => e.kind === 'return'));
  // Slot ids are per activation; frames oldest first.
  assert.equal(inFoo.frames[0].id, 'frame:1');
  assert.equal(slot(inFoo, 'y').id, 'slot:frame:2:y');
});

test('Box, vec! and a &str literal: heap blocks with byte sizes, the literal in static memory (hand MIR)', () => {
  // 2 let b = Box::new(5);  3 let v = vec![1, 2, 3];  4 let s = "hi";  5 let n = v.len();
  const vecTy = std('Vec', I32);
  const m = new BodyBuilder('main', 1, 6);
  const bx = m.user('b', std('Box', I32), 2);
  const v = m.user('v', vecTy, 3);
  const s = m.user('s', STR_REF, 4);
  const n = m.user('n', { kind: 'int', name: 'usize' }, 5);
  const r = m.temp(refTy(vecTy), 5);
  const bb = [m.block(), m.block(), m.block(), m.block()];
  m.call(bb[0], 2, stdCall('Box::new'), [int(5)], pl(bx), bb[1]);
  m.call(bb[1], 3, stdCall('vec!'), [int(1), int(2), int(3)], pl(v), bb[2], 'vec');
  m.assign(bb[2], 4, pl(s), use(str('hi')))
    .assign(bb[2], 5, pl(r), borrow(v))
    .call(bb[2], 5, stdCall('Vec::len'), [mv(r)], pl(n), bb[3]);
  const run = runBodies([m.build()]);
  const snap = at(run, 5);
  const box = snap.heap.find((h) => h.type === 'i32');
  assert.ok(box);
  assert.equal(box.size, 4);
  assert.deepEqual(
    box.contents.map((c) => c.text),
    ['5'],
  );
  const arr = snap.heap.find((h) => h.type === '[i32]');
  assert.ok(arr);
  assert.deepEqual([arr.len, arr.elementCapacity, arr.size, arr.capacity], [3, 3, 12, 12]);
  const sv = slot(snap, 's').value;
  assert.equal(sv.text, '"hi"');
  const sp = fieldOf(sv, 'ptr');
  assert.equal(sp.kind === 'pointer' ? sp.target?.region : undefined, 'static');
  assert.equal(fieldOf(sv, 'len').text, '2');
  assert.equal(slot(snap, 'n').value.text, '3');
  assert.ok(snap.statics.some((x) => x.name === '"hi"' && x.size === 2));
  assert.equal(slot(snap, 'b').value.kind, 'pointer');
});

function counterLoop(limit: number | null): Body {
  // 1 fn main() {
  // 2     let mut i = 0;
  // 3     while i < limit {      (limit null: loop {})
  // 4         i += 1;
  // 5     }
  // 6 }
  const m = new BodyBuilder('main', 1, 6);
  const i = m.user('i', I32, 2, true);
  const c = m.temp({ kind: 'bool' }, 3);
  const [b0, head, body, exit] = [m.block(), m.block(), m.block(), m.block()];
  m.live(b0, 2, i)
    .assign(b0, 2, pl(i), use(int(0)))
    .term(b0, 3, { kind: 'goto', target: head });
  if (limit === null) m.term(head, 3, { kind: 'goto', target: body });
  else
    m.assign(head, 3, pl(c), { kind: 'binary', op: '<', lhs: cp(i), rhs: int(limit) }).term(head, 3, {
      kind: 'switchInt',
      discr: mv(c),
      values: [0n],
      targets: [exit],
      otherwise: body,
    });
  m.assign(body, 4, pl(i), { kind: 'binary', op: '+', lhs: cp(i), rhs: int(1) }).term(body, 5, {
    kind: 'falseEdge',
    realTarget: head,
    imaginaryTarget: exit,
  });
  m.dead(exit, 6, i);
  return m.build();
}

test('a bounded loop: one visit per iteration of the body line, the loop exit is not a visit', () => {
  const run = runBodies([counterLoop(3)]);
  assert.equal(run.stop.reason, 'end');
  const first = at(run, 4, 1);
  assert.equal(first.visits, 3);
  assert.equal(slot(first, 'i').value.text, '1');
  assert.equal(slot(at(run, 4, 3), 'i').value.text, '3');
  // Past the last visit shows the last one.
  assert.equal(at(run, 4, 9).visit, 3);
  // The loop header is reached 4 times (3 iterations + the exit test).
  assert.equal(at(run, 3).visits, 4);
});

test('an endless loop stops at the loop cap with reason loop-limit, and never hangs', () => {
  const run = runBodies([counterLoop(null)], { loopCap: 50 });
  assert.equal(run.stop.reason, 'loop-limit');
  const snap = at(run, 4, 1000);
  assert.equal(snap.stopped?.reason, 'loop-limit');
  assert.equal(snap.visits, 50);
  const budget = runBodies([counterLoop(null)], { stepBudget: 200 });
  assert.equal(budget.stop.reason, 'step-limit');
});

test('unbounded recursion stops with recursion-limit at the depth cap', () => {
  // 1 fn f(n: u64) -> u64 {
  // 2     f(n + 1)
  // 3 }
  const f = new BodyBuilder('f', 1, 3, U64);
  const n = f.arg('n', U64);
  const t = f.temp(U64, 2);
  const [f0, f1] = [f.block(), f.block()];
  f.assign(f0, 2, pl(t), { kind: 'binary', op: '+', lhs: cp(n), rhs: int(1, U64) }).call(
    f0,
    2,
    { kind: 'fn', name: 'f' },
    [mv(t)],
    pl(0),
    f1,
  );
  const m = new BodyBuilder('main', 4, 6);
  const r = m.user('r', U64, 5);
  const [m0, m1] = [m.block(), m.block()];
  m.call(m0, 5, { kind: 'fn', name: 'f' }, [int(0, U64)], pl(r), m1);
  const run = runBodies([f.build(), m.build()], { maxDepth: 40 });
  assert.equal(run.stop.reason, 'recursion-limit');
  const snap = at(run, 2, 1000);
  assert.equal(snap.stopped?.reason, 'recursion-limit');
  assert.equal(snap.frames.length, 40);
  assert.equal(slot(snap, 'n').value.text, '38');
});

test('an Rc cycle through RefCell leaks both blocks at the end of main (hand MIR)', () => {
  // struct Node { next: Option<Rc<RefCell<Node>>> }
  // 2 let a = Rc::new(RefCell::new(Node { next: None }));
  // 3 let b = Rc::new(RefCell::new(Node { next: Some(Rc::clone(&a)) }));
  // 4 a.borrow_mut().next = Some(Rc::clone(&b));
  // 5 }
  const nodeTy = adt('Node');
  const rcTy = std('Rc', std('RefCell', nodeTy));
  const optTy = std('Option', rcTy);
  const file = fileWith([structDef('Node', [{ name: 'next', ty: optTy }])]);
  const m = new BodyBuilder('main', 1, 5);
  const a = m.user('a', rcTy, 2);
  const b = m.user('b', rcTy, 3);
  const [opt, node, cell, ra, cl, rb, cl2, opt2, guard] = [
    m.temp(optTy),
    m.temp(nodeTy),
    m.temp(std('RefCell', nodeTy)),
    m.temp(refTy(rcTy)),
    m.temp(rcTy),
    m.temp(refTy(rcTy)),
    m.temp(rcTy),
    m.temp(optTy),
    m.temp(std('RefMut', nodeTy)),
  ];
  const bb = Array.from({ length: 12 }, () => m.block());
  const nodeAgg = (o: number) => ({
    kind: 'aggregate' as const,
    agg: { kind: 'adt' as const, adt: 'Node', fieldNames: ['next'] },
    operands: [mv(o)],
  });
  m.assign(bb[0], 2, pl(opt), { kind: 'aggregate', agg: { kind: 'adt', adt: 'Option', variant: 'None', fieldNames: [] }, operands: [] })
    .assign(bb[0], 2, pl(node), nodeAgg(opt))
    .call(bb[0], 2, stdCall('RefCell::new'), [mv(node)], pl(cell), bb[1]);
  m.call(bb[1], 2, stdCall('Rc::new'), [mv(cell)], pl(a), bb[2]);
  m.assign(bb[2], 3, pl(ra), borrow(a)).call(bb[2], 3, stdCall('Rc::clone'), [mv(ra)], pl(cl), bb[3]);
  m.assign(bb[3], 3, pl(opt), {
    kind: 'aggregate',
    agg: { kind: 'adt', adt: 'Option', variant: 'Some', fieldNames: ['0'] },
    operands: [mv(cl)],
  })
    .assign(bb[3], 3, pl(node), nodeAgg(opt))
    .call(bb[3], 3, stdCall('RefCell::new'), [mv(node)], pl(cell), bb[4]);
  m.call(bb[4], 3, stdCall('Rc::new'), [mv(cell)], pl(b), bb[5]);
  m.assign(bb[5], 4, pl(rb), borrow(b)).call(bb[5], 4, stdCall('Rc::clone'), [mv(rb)], pl(cl2), bb[6]);
  m.assign(bb[6], 4, pl(opt2), {
    kind: 'aggregate',
    agg: { kind: 'adt', adt: 'Option', variant: 'Some', fieldNames: ['0'] },
    operands: [mv(cl2)],
  })
    .assign(bb[6], 4, pl(ra), borrow(a))
    .call(bb[6], 4, stdCall('RefCell::borrow_mut'), [mv(ra)], pl(guard), bb[7]);
  m.term(bb[7], 4, { kind: 'drop', place: pl(guard, field(0, 'next', optTy)), target: bb[8] });
  m.assign(bb[8], 4, pl(guard, field(0, 'next', optTy)), use(mv(opt2))).drop(bb[8], 4, guard, bb[9]);
  m.drop(bb[9], 5, b, bb[10]);
  m.drop(bb[10], 5, a, bb[11]);
  const run = runBodies([m.build()], {}, file);
  assert.equal(run.stop.reason, 'end');

  const s4 = at(run, 4);
  assert.deepEqual(
    s4.heap.map((h) => [h.id, h.rc?.strong, h.state]),
    [
      ['heap:1', 2, 'live'],
      ['heap:2', 2, 'live'],
    ],
  );
  const end = snapshotAt(run, { line: 4, character: 0 });
  assert.deepEqual(
    end.heap.map((h) => [h.id, h.rc?.strong, h.state]),
    [
      ['heap:1', 1, 'leaked'],
      ['heap:2', 1, 'leaked'],
    ],
  );
  assert.equal(end.events.filter((e) => e.kind === 'leak').length, 2);
  assert.ok(
    run.steps.every((st) => st.events.every((e) => e.kind !== 'free')),
    'nothing is freed',
  );
});

test('Rc::clone then drops: the block is freed when the strong count reaches 0 (hand MIR)', () => {
  const rcTy = std('Rc', STRING);
  const m = new BodyBuilder('main', 1, 6);
  const s = m.user('s', STRING, 2);
  const a = m.user('a', rcTy, 3);
  const b = m.user('b', rcTy, 4);
  const r = m.temp(refTy(rcTy), 4);
  const bb = Array.from({ length: 7 }, () => m.block());
  m.call(bb[0], 2, stdCall('String::from'), [str('hi')], pl(s), bb[1]);
  m.call(bb[1], 3, stdCall('Rc::new'), [mv(s)], pl(a), bb[2]);
  m.assign(bb[2], 4, pl(r), borrow(a)).call(bb[2], 4, stdCall('Rc::clone'), [mv(r)], pl(b), bb[3]);
  m.drop(bb[3], 5, b, bb[4]);
  m.drop(bb[4], 6, a, bb[5]);
  const run = runBodies([m.build()]);
  assert.deepEqual(
    at(run, 4).heap.map((h) => [h.type, h.rc?.strong ?? null, h.state]),
    [
      ['[u8]', null, 'live'],
      ['String', 2, 'live'],
    ],
  );
  assert.deepEqual(
    at(run, 5).heap.map((h) => [h.rc?.strong ?? null, h.state]),
    [
      [null, 'live'],
      [1, 'live'],
    ],
  );
  const s6 = at(run, 6);
  assert.deepEqual(
    s6.heap.map((h) => h.state),
    ['freed', 'freed'],
  );
});

test('panics end the trace: unwrap on None, index out of bounds, overflow', () => {
  const m = new BodyBuilder('main', 1, 4);
  const o = m.user('o', std('Option', I32), 2);
  const v = m.user('v', I32, 3);
  const r = m.temp(std('Option', I32), 3);
  const [b0, b1] = [m.block(), m.block()];
  m.assign(b0, 2, pl(o), { kind: 'aggregate', agg: { kind: 'adt', adt: 'Option', variant: 'None', fieldNames: [] }, operands: [] })
    .assign(b0, 3, pl(r), use(cp(o)))
    .call(b0, 3, stdCall('Option::unwrap'), [mv(r)], pl(v), b1);
  const run = runBodies([m.build()]);
  assert.equal(run.stop.reason, 'panic');
  assert.match(run.stop.message, /called `Option::unwrap\(\)` on a `None` value/);
  assert.equal(run.stop.range?.start.line, 2);

  const o2 = new BodyBuilder('main', 1, 3);
  const x = o2.user('x', { kind: 'int', name: 'u8' }, 2);
  const ob = o2.block();
  o2.assign(ob, 2, pl(x), {
    kind: 'binary',
    op: '+',
    lhs: int(250, { kind: 'int', name: 'u8' }),
    rhs: int(10, { kind: 'int', name: 'u8' }),
  });
  const run2 = runBodies([o2.build()]);
  assert.equal(run2.stop.reason, 'panic');
  assert.match(run2.stop.message, /attempt to add with overflow/);
});

test('internal errors and missing bodies stop the trace with reason unsupported, never throw', () => {
  const run = runBodies([], { entry: 'main' });
  assert.equal(run.stop.reason, 'unsupported');
  const m = new BodyBuilder('main', 1, 2);
  const b0 = m.block();
  m.term(b0, 1, { kind: 'goto', target: 42 });
  const run2 = runBodies([m.build()]);
  assert.equal(run2.stop.reason, 'unsupported');
  const snap = at(run2, 1);
  assert.notEqual(snap.status, 'unavailable');
});

// --- end to end from Rust source (lower → infer → build → interp)

test('seed: String move x → y, then a use of x (the trace still runs; x shows moved at 3:13)', () => {
  const src = 'fn main() {\n    let x = String::from("wilspi");\n    let y = x;\n    println!("x: {}", x);\n}\n';
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end');
  const s = snapshotAt(run, posOf(src, 'let y'));
  const x = slot(s, 'x');
  assert.equal(x.state, 'moved');
  assert.deepEqual(x.movedTo, { to: 'y', line: 3, column: 13 });
  assert.equal(slot(s, 'y').value.text, '"wilspi"');
  assert.equal(s.heap[0].owner, slot(s, 'y').id);
  assert.deepEqual(
    s.statics.map((x) => x.name),
    ['"wilspi"'],
  );
});

test('seed: Copy integers a = 42; b = a: both init, a copy event', () => {
  const src = 'fn main() {\n    let a = 42;\n    let b = a;\n    println!("a: {}", a)\n}\n';
  const run = runSource(src);
  const s = snapshotAt(run, posOf(src, 'let b'));
  assert.deepEqual([slot(s, 'a').state, slot(s, 'a').value.text, slot(s, 'b').value.text], ['init', '42', '42']);
  assert.ok(
    s.events.some((e) => e.kind === 'copy' && e.text.startsWith('copied `a` to `b`')),
    JSON.stringify(s.events),
  );
  assert.deepEqual(run.stdout, ['a: 42']);
});

test('seed: foo() from main, multi-line and one-line layouts', () => {
  const src = 'fn foo() {\n    let y = 5;\n    let z = 100;\n}\nfn main() {\n    let x = 42;\n    foo();\n}\n';
  const run = runSource(src);
  assert.deepEqual(frameSummary(snapshotAt(run, posOf(src, 'let z'))), ['main{x=42}', 'foo{y=5, z=100}']);
  assert.deepEqual(frameSummary(snapshotAt(run, posOf(src, 'foo();'))), ['main{x=42}']);
  const one = 'fn foo() { let y = 5; let z = 100; } fn main() { let x = 42; foo(); }';
  const run1 = runSource(one);
  assert.equal(run1.stop.reason, 'end');
  const inFoo = snapshotAt(run1, posOf(one, 'let z'));
  assert.equal(inFoo.function, 'foo');
  assert.deepEqual(
    inFoo.frames.map((f) => f.function),
    ['main', 'foo'],
  );
  assert.equal(slot(inFoo, 'x', 0).value.text, '42');
});

test('seed: String::from("rust") and a multi-byte string: len/capacity in bytes, as_ptr into the heap', () => {
  const src =
    'fn main() {\n    let s = String::from("rust-ரஸ்ட்");\n    let n = s.len();\n    let c = s.capacity();\n    let p = s.as_ptr();\n}\n';
  const run = runSource(src);
  const s = snapshotAt(run, posOf(src, 'let p'));
  assert.equal(slot(s, 'n').value.text, '20');
  assert.equal(slot(s, 'c').value.text, '20');
  const p = slot(s, 'p').value;
  assert.equal(p.kind === 'pointer' ? p.target?.id : undefined, 'heap:1');
  assert.equal(s.heap[0].text, 'rust-ரஸ்ட்');
  assert.equal(s.heap[0].contents.length, Array.from('rust-ரஸ்ட்').length);
  assert.equal(s.heap[0].size, 20);
  const h = valueStateAt(run, posOf(src, 'let p'), { name: 's' });
  assert.deepEqual(h && [h.state, h.len, h.capacity, h.targetRegion, h.targetBytes], ['init', 20, 20, 'heap', 20]);
});

test('seed: moving `name` then assigning a new String to it: two blocks, name init again', () => {
  const src = [
    'fn main() {',
    '    let mut name = String::from("Hello World");',
    '    let name1 = name;',
    '    name = String::from("Dear World");',
    '    println!("{} {}", name, name1);',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  const s = snapshotAt(run, posOf(src, '    name = String'));
  assert.equal(slot(s, 'name').state, 'init');
  assert.equal(slot(s, 'name').value.text, '"Dear World"');
  assert.equal(slot(s, 'name1').value.text, '"Hello World"');
  assert.deepEqual(
    s.heap.map((h) => [h.text, h.owner]),
    [
      ['Hello World', slot(s, 'name1').id],
      ['Dear World', slot(s, 'name').id],
    ],
  );
  assert.deepEqual(run.stdout, ['Dear World Hello World']);
  const end = snapshotAt(run, { line: 5, character: 0 });
  assert.deepEqual(
    end.heap.map((h) => h.state),
    ['freed', 'freed'],
  );
});

test('seed: &str literals are copied: both slots point at the same static literal', () => {
  const src = 'fn main() {\n    let name = "Hello World";\n    let name1 = name;\n    println!("{}", name);\n}\n';
  const run = runSource(src);
  const s = snapshotAt(run, posOf(src, 'println'));
  const t1 = fieldOf(slot(s, 'name').value, 'ptr');
  const t2 = fieldOf(slot(s, 'name1').value, 'ptr');
  assert.equal(t1.kind === 'pointer' ? t1.target?.id : 'x', t2.kind === 'pointer' ? t2.target?.id : 'y');
  assert.equal(t1.kind === 'pointer' ? t1.target?.region : undefined, 'static');
  assert.equal(s.heap.length, 0);
  assert.equal(slot(s, 'name').state, 'init');
  assert.deepEqual(run.stdout, ['Hello World']);
});

test('seed: println!("Hello") puts the literal in static memory', () => {
  const src = 'fn main() { println!("Hello"); }\n';
  const run = runSource(src);
  assert.deepEqual(run.stdout, ['Hello']);
});

test('seed: the Rc<RefCell> cycle leaks both blocks (source)', () => {
  const src = [
    'use std::rc::Rc;',
    'use std::cell::RefCell;',
    'struct Node {',
    '    next: Option<Rc<RefCell<Node>>>,',
    '}',
    'fn main() {',
    '    let a = Rc::new(RefCell::new(Node { next: None }));',
    '    let b = Rc::new(RefCell::new(Node { next: Some(Rc::clone(&a)) }));',
    '    a.borrow_mut().next = Some(Rc::clone(&b));',
    '    println!("a strong = {}", Rc::strong_count(&a));',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end');
  assert.deepEqual(run.stdout, ['a strong = 2']);
  const end = snapshotAt(run, { line: 10, character: 0 });
  assert.deepEqual(
    end.heap.map((h) => [h.rc?.strong, h.state]),
    [
      [1, 'leaked'],
      [1, 'leaked'],
    ],
  );
});

test('Vec growth follows RawVec: 4 then 8 for i32, String::new + push_str gives 8', () => {
  const src = [
    'fn main() {',
    '    let mut v = Vec::new();',
    '    for i in 0..5 {',
    '        v.push(i);',
    '    }',
    '    let mut s = String::new();',
    '    s.push_str("hello");',
    '    let f = format!("{} {}", 42, "ab");',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  const first = snapshotAt(run, posOf(src, 'v.push'), 1);
  assert.equal(first.visits, 5);
  assert.deepEqual(
    first.heap.map((h) => [h.len, h.elementCapacity]),
    [[1, 4]],
  );
  const fifth = snapshotAt(run, posOf(src, 'v.push'), 5);
  const live = fifth.heap.filter((h) => h.state === 'live');
  assert.deepEqual(
    live.map((h) => [h.len, h.elementCapacity, h.size, h.capacity]),
    [[5, 8, 20, 32]],
  );
  assert.ok(
    fifth.heap.some((h) => h.state === 'freed'),
    'the old buffer is freed at the reallocation',
  );
  const empty = snapshotAt(run, posOf(src, 'let mut s'));
  assert.equal(fieldOf(slot(empty, 's').value, 'cap').text, '0');
  const pushed = snapshotAt(run, posOf(src, 's.push_str'));
  assert.deepEqual(
    ['len', 'cap'].map((n) => fieldOf(slot(pushed, 's').value, n).text),
    ['5', '8'],
  );
  const f = snapshotAt(run, posOf(src, 'let f'));
  assert.deepEqual(
    ['len', 'cap'].map((n) => fieldOf(slot(f, 'f').value, n).text),
    ['5', '8'],
  );
});

test('a function main never calls runs alone with symbolic arguments', () => {
  const src = 'fn helper(n: i32) -> i32 {\n    let k = n + 1;\n    k\n}\n\nfn main() {\n    let x = 1;\n}\n';
  const run = runSource(src);
  const s = snapshotAt(run, posOf(src, 'let k'));
  assert.equal(s.status, 'ok');
  assert.deepEqual(
    s.frames.map((f) => f.function),
    ['helper'],
  );
  assert.equal(slot(s, 'n').value.kind, 'unknown');
  assert.equal(slot(s, 'k').value.kind, 'unknown');
  assert.ok(s.unknowns?.some((u) => u.includes('not known')));
  assert.equal(snapshotAt(run, { line: 4, character: 0 }).status, 'no-function');
});

test('dead code is not-reached; a position after a panic is stopped', () => {
  const src = 'fn main() {\n    let x = 1;\n    if x > 5 {\n        let y = 2;\n    }\n}\n';
  const run = runSource(src);
  assert.equal(snapshotAt(run, posOf(src, 'let y')).status, 'not-reached');
  const p = 'fn main() {\n    let x: Option<i32> = None;\n    let y = x.unwrap();\n    let z = 3;\n}\n';
  const run2 = runSource(p);
  assert.equal(run2.stop.reason, 'panic');
  const s = snapshotAt(run2, posOf(p, 'let z'));
  assert.equal(s.status, 'stopped');
  assert.equal(s.stopped?.reason, 'panic');
});

test('struct with a String field: partial move, drop of the rest, user Drop impl runs', () => {
  const src = [
    'struct Person { name: String, age: u8 }',
    'struct Guard { id: i32 }',
    'impl Drop for Guard {',
    '    fn drop(&mut self) {',
    '        println!("drop {}", self.id);',
    '    }',
    '}',
    'fn main() {',
    '    let p = Person { name: String::from("Ann"), age: 30 };',
    '    let n = p.name;',
    '    let g = Guard { id: 7 };',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  const s = snapshotAt(run, posOf(src, 'let n'));
  assert.equal(slot(s, 'p').state, 'partially-moved');
  assert.equal(s.heap[0].owner, slot(s, 'n').id);
  assert.deepEqual(run.stdout, ['drop 7']);
  const frees = run.steps.flatMap((st) => st.events).filter((e) => e.kind === 'free');
  assert.equal(frees.length, 1);
});

test('closures: captured by reference and by move, called twice', () => {
  const src = [
    'fn main() {',
    '    let base = 10;',
    '    let add = |x: i32| x + base;',
    '    let a = add(1);',
    '    let b = add(2);',
    '    let s = String::from("hi");',
    '    let f = move || s.len();',
    '    let n = f();',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  const s = snapshotAt(run, posOf(src, 'let n'));
  assert.deepEqual(
    ['a', 'b', 'n'].map((x) => slot(s, x).value.text),
    ['11', '12', '2'],
  );
  assert.equal(slot(s, 's').state, 'moved');
  const inClosure = snapshotAt(run, posOf(src, 'x + base'), 2);
  assert.equal(inClosure.frames.length, 2);
});

test('snapshots are deterministic replays: the same step gives the same memory, stepOffset moves by steps', () => {
  const src = 'fn main() {\n    let a = String::from("x");\n    let b = a.clone();\n    let c = b.len();\n}\n';
  const run = runSource(src);
  const p = posOf(src, 'let b');
  const one = snapshotAt(run, p);
  const two = snapshotAt(run, p);
  assert.deepEqual(one, two);
  assert.equal(one.heap.length, 2);
  assert.equal(one.heap[1].elementCapacity, 1);
  const back = snapshotAt(run, p, 1, -1);
  assert.equal(back.step, one.step - 1);
  assert.ok(snapshotAt(run, p, 1, 10_000).step === run.steps.length - 1);
});

test('methods, loops over &v and v, enumerate: output as rustc prints it; IntoIter frees the buffer', () => {
  const src = [
    'struct Point { x: i32, y: i32 }',
    'impl Point {',
    '    fn new(x: i32, y: i32) -> Point { Point { x, y } }',
    '    fn shift(&mut self, d: i32) { self.x += d; }',
    '    fn sum(&self) -> i32 { self.x + self.y }',
    '}',
    'fn takes(s: String) -> usize {',
    '    s.len()',
    '}',
    'fn main() {',
    '    let mut p = Point::new(1, 2);',
    '    p.shift(10);',
    '    let t = p.sum();',
    '    let v = vec![String::from("a"), String::from("bb")];',
    '    let mut n = 0;',
    '    for s in &v {',
    '        n += s.len();',
    '    }',
    '    for s in v {',
    '        n += takes(s);',
    '    }',
    '    let words = vec!["x", "y"];',
    '    for (i, w) in words.iter().enumerate() {',
    '        println!("{} {}", i, w);',
    '    }',
    '    let r = &p;',
    '    println!("{} {} {}", t, n, r.x);',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  // rustc 1.95 prints exactly this.
  assert.deepEqual(run.stdout, ['0 x', '1 y', '13 6 11']);
  const end = snapshotAt(run, { line: 27, character: 0 });
  assert.deepEqual(
    end.heap.filter((h) => h.state !== 'freed'),
    [],
    'nothing leaks',
  );
  const inTakes = snapshotAt(run, posOf(src, 's.len()', 0), 2);
  assert.deepEqual(
    inTakes.frames.map((f) => f.function),
    ['main', 'takes'],
  );
  assert.equal(slot(inTakes, 's').value.text, '"bb"');
  const r = snapshotAt(run, posOf(src, 'let r'));
  const rp = slot(r, 'r').value;
  assert.equal(rp.kind === 'pointer' ? rp.target?.id : undefined, slot(r, 'p').id);
  assert.deepEqual(slot(r, 'p').borrowedBy, ['r']);
});

test('drop order with a user Drop impl, drop(x), collect and format specs match rustc', () => {
  const src = [
    "struct Noisy { label: &'static str }",
    'impl Drop for Noisy {',
    '    fn drop(&mut self) { println!("drop {}", self.label); }',
    '}',
    'fn main() {',
    '    let chars: Vec<char> = "a1 b".chars().collect();',
    '    let _outer = Noisy { label: "outer" };',
    '    {',
    '        let _inner = Noisy { label: "inner" };',
    '    }',
    '    let early = Noisy { label: "early" };',
    '    drop(early);',
    '    println!("[{:>5}] [{:<4}] [{:^7}] [{:08.3}] [{:#x}] {}", "ab", 7, "mid", 3.14159, 255, chars.len());',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.stdout, ['drop inner', 'drop early', '[   ab] [7   ] [  mid  ] [0003.142] [0xff] 4', 'drop outer']);
  const s = snapshotAt(run, posOf(src, 'let _outer'));
  const vec = s.heap.find((h) => h.type === '[char]');
  assert.deepEqual(vec && [vec.len, vec.elementCapacity, vec.size], [4, 4, 16]);
});

test('an unknown call through &mut makes the pointee unknown (no stale concrete values)', () => {
  const src = 'fn main() {\n    let mut v = vec![3, 1, 2];\n    v.drain(1..);\n    let n = v.len();\n}\n';
  const run = runSource(src);
  const s = snapshotAt(run, posOf(src, 'let n'));
  assert.equal(slot(s, 'n').value.kind, 'unknown');
  assert.equal(s.heap[0].contents[0].kind, 'unknown');
});

test('every fixture program runs to the end without an internal error, and every line has a snapshot', () => {
  const root = fixturesDir();
  let count = 0;
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(root, dir.name))) {
      if (!f.endsWith('.rs')) continue;
      const src = readFileSync(join(root, dir.name, f), 'utf8');
      const run = runSource(src);
      assert.ok(!run.stop.message.includes('internal error'), `${dir.name}/${f}: ${run.stop.message}`);
      const lines = src.split('\n').length;
      for (let l = 0; l < lines; l++) {
        const s = snapshotAt(run, { line: l, character: 4 });
        assert.notEqual(s.status, 'unavailable', `${dir.name}/${f}:${l + 1}: ${s.message}`);
      }
      count++;
    }
  }
  assert.ok(count > 50, `only ${count} fixtures found`);
});

test('sub-slices: &s[0..8] points into the String buffer with its own len; out-of-range panics', () => {
  const src = [
    'fn main() {',
    '    let owned = String::from("borrowed twice");',
    '    let slice: &str = &owned[0..8];',
    '    let v = vec![10, 20, 30, 40];',
    '    let tail = &v[2..];',
    '    let second = tail[1];',
    '    println!("{} {:?} {}", slice, tail, second);',
    '    let bad = &v[1..9];',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.deepEqual(run.stdout, ['borrowed [30, 40] 40']);
  assert.equal(run.stop.reason, 'panic');
  assert.match(run.stop.message, /range end index 9 out of range for slice of length 4/);
  const s = snapshotAt(run, posOf(src, 'let second'));
  const sl = slot(s, 'slice').value;
  assert.equal(sl.text, '"borrowed"');
  const p = fieldOf(sl, 'ptr');
  assert.deepEqual(p.kind === 'pointer' ? [p.target?.id, p.target?.index ?? 0] : [], ['heap:1', 0]);
  const t = fieldOf(slot(s, 'tail').value, 'ptr');
  assert.deepEqual(t.kind === 'pointer' ? [t.target?.id, t.target?.index] : [], ['heap:2', 2]);
  assert.equal(slot(s, 'second').value.text, '40');
  const h = valueStateAt(run, posOf(src, 'let second'), { name: 'slice' });
  assert.deepEqual(h && [h.targetRegion, h.len, h.targetBytes], ['heap', 8, 8]);
});

test('valueStateAt before-mode shows the value just before the line runs', () => {
  const src = 'fn main() {\n    let mut s = String::new();\n    s.push_str("hello");\n}\n';
  const run = runSource(src);
  const at = posOf(src, 's.push_str');
  const after = valueStateAt(run, at, { name: 's' });
  const before = valueStateAt(run, at, { name: 's' }, 1, { before: true });
  assert.deepEqual(after && [after.len, after.capacity, after.targetRegion], [5, 8, 'heap']);
  assert.deepEqual(before && [before.len, before.capacity, before.targetBytes], [0, 0, 0]);
});

test('engine facade: analyze + snapshotAt use the simulation (seed examples)', () => {
  const src =
    'fn foo() {\n    let y = 5;\n    let z = 100;\n}\n\nfn main() {\n    let x = 42;\n    foo();\n    let s = String::from("wilspi");\n    let t = s;\n}\n';
  const a = engine.analyze(src);
  // (one character into the line: the memory after it; at its start, before it)
  const inFoo = ide.snapshotAt(a, posOf(src, 'let z', 0, 1));
  assert.equal(inFoo.status, 'ok');
  assert.deepEqual(frameSummary(inFoo), ['main{x=42}', 'foo{y=5, z=100}']);
  assert.deepEqual(frameSummary(ide.snapshotAt(a, posOf(src, 'foo();', 0, 1))), ['main{x=42}']);
  const moved = ide.snapshotAt(a, posOf(src, 'let t', 0, 1));
  assert.equal(slot(moved, 's').state, 'moved');
  assert.equal(moved.heap[0].owner, slot(moved, 't').id);
  assert.equal(ide.snapshotAt(a, { line: 4, character: 0 }).status, 'no-function');
});

test('iterator adapters call closures; string slices from split_whitespace point into the String (rustc output)', () => {
  const src = [
    'fn main() {',
    '    let v = vec![1, 2, 3, 4];',
    '    let doubled: Vec<i32> = v.iter().map(|x| x * 2).collect();',
    '    let evens = v.iter().filter(|x| **x % 2 == 0).count();',
    '    let total: i32 = v.iter().sum();',
    '    let big = v.iter().max();',
    '    let found = v.iter().find(|x| **x > 2);',
    '    let text = String::from("  The cat sat  ");',
    '    for w in text.split_whitespace() {',
    '        println!("[{}]", w);',
    '    }',
    '    println!("{:?} {} {} {:?} {:?} [{}]", doubled, evens, total, big, found, text.trim());',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.stdout, ['[The]', '[cat]', '[sat]', '[2, 4, 6, 8] 2 10 Some(4) Some(3) [The cat sat]']);
  const s = snapshotAt(run, posOf(src, 'println!("[{}]"'), 2);
  const w = slot(s, 'w').value;
  assert.equal(w.text, '"cat"');
  const p = fieldOf(w, 'ptr');
  assert.deepEqual(p.kind === 'pointer' ? [p.target?.region, p.target?.index] : [], ['heap', 6]);
  const inMap = snapshotAt(run, posOf(src, 'x * 2'), 3);
  assert.deepEqual(
    inMap.frames.map((f) => f.function),
    ['main', 'main::{closure#0}'],
  );
});

test('HashMap: entry/insert/get with hashbrown capacities (rustc: len 9, capacity 14)', () => {
  const src = [
    'use std::collections::HashMap;',
    'fn main() {',
    '    let mut m: HashMap<String, usize> = HashMap::new();',
    '    println!("{}", m.capacity());',
    '    for w in "a b a c d e f g h a".split_whitespace() {',
    '        *m.entry(w.to_string()).or_insert(0) += 1;',
    '    }',
    '    m.insert(String::from("z"), 9);',
    '    let a = m.get("a").copied();',
    '    let mut keys: Vec<&String> = m.keys().collect();',
    '    keys.sort();',
    '    println!("{} {} {:?} {:?} {}", m.len(), m.capacity(), a, keys, m.contains_key("q"));',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.stdout, ['0', '9 14 Some(3) ["a", "b", "c", "d", "e", "f", "g", "h", "z"] false']);
  const s = snapshotAt(run, posOf(src, 'let a'));
  const live = s.heap.filter((h) => h.state === 'live' && h.type.startsWith('[(String'));
  assert.equal(live.length, 1);
  // 16 buckets × 32-byte (String, usize) slots + 16 control bytes + 16-byte group tail.
  assert.deepEqual([live[0].len, live[0].elementCapacity, live[0].capacity], [9, 14, 16 * 32 + 16 + 16]);
  assert.ok(s.unknowns?.some((u) => u.includes('insertion order')));
});

test('a match on a `&Box<List>` passed where `&List` is expected reads the enum inside the Box (deref coercion)', () => {
  const src = [
    'enum List {',
    '    Cons(i32, Box<List>),',
    '    Nil,',
    '}',
    'use List::{Cons, Nil};',
    'fn sum(l: &List) -> i32 {',
    '    match l {',
    '        Cons(v, rest) => v + sum(rest),',
    '        Nil => 0,',
    '    }',
    '}',
    'fn main() {',
    '    let list = Cons(1, Box::new(Cons(2, Box::new(Cons(3, Box::new(Nil))))));',
    '    println!("{}", sum(&list));',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.unknowns, []);
  // rustc 1.95: 6
  assert.deepEqual(run.stdout, ['6']);
});

test('a Box linked list (programs/linked-list.rs) prints what rustc prints; moving out of a Box is a move', () => {
  const src = readFileSync(join(fixturesDir(), 'programs', 'linked-list.rs'), 'utf8');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  // rustc 1.95 output of the fixture.
  assert.deepEqual(run.stdout, ['peek: Some(50)', 'popped: Some(51)', 'sum: 100', '[10, 20, 30, 40] (4 nodes)', 'detached head: Some(10)']);
  const frees = run.steps.flatMap((s) => s.events).filter((e) => e.kind === 'free').length;
  const allocs = run.steps.flatMap((s) => s.events).filter((e) => e.kind === 'alloc').length;
  assert.equal(frees, allocs, 'every allocation is freed exactly once');
});
