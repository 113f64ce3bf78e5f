/**
 * The snapshot the panel draws (server/src/ide/snapshot.ts), built by the real engine from small
 * programs: scopes, the output printed so far, errors on the picture, before/after the cursor's
 * line, stepping by absolute step, and the Rust names of blocks, pointers and events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import type { Position, Snapshot } from '../../shared/protocol';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../support/fixtures';
import { realRun } from '../support/rustcRun';
import { PANEL_PROGRAMS, programSteps } from '../support/panelExamples';

const fixture = (rel: string): string => fs.readFileSync(path.join(fixturesDir(), rel), 'utf8');

/** The 0-based position at the end of the first line containing `text` (or at its start). */
function at(src: string, text: string, where: 'end' | 'start' = 'end'): Position {
  const lines = src.split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `no line contains ${text}`);
  return { line, character: where === 'end' ? lines[line].length : lines[line].length - lines[line].trimStart().length };
}

function snap(src: string, text: string, opts: { where?: 'end' | 'start'; visit?: number; offset?: number } = {}): Snapshot {
  return snapshotAt(analyze(src), at(src, text, opts.where), opts.visit ?? 1, opts.offset ?? 0);
}

const names = (s: Snapshot): string[] => s.frames.flatMap((f) => f.slots.map((sl) => sl.name));

test('a `while let` binding is out of scope after the loop (no lingering uninit slot)', () => {
  const src = [
    'fn main() {',
    '    let mut stack = vec![1, 2, 3];',
    '    while let Some(top) = stack.pop() {',
    '        println!("{}", top);',
    '    }',
    '    let done = stack.len();',
    '    println!("{}", done);',
    '}',
  ].join('\n');
  const inLoop = snap(src, 'println!("{}", top);');
  assert.equal(inLoop.status, 'ok');
  assert.ok(names(inLoop).includes('top'), 'top is in scope inside the loop');
  const after = snap(src, 'let done');
  assert.equal(after.status, 'ok');
  assert.deepEqual(names(after), ['stack', 'done']);
});

// --- the program's output

/** The stdout chunks of a snapshot, joined. */
const stdout = (s: Snapshot): string =>
  (s.output ?? [])
    .filter((c) => c.stream === 'stdout')
    .map((c) => c.text)
    .join('');

test('output: what the program printed up to the step shown, as the compiled program prints it', (t) => {
  const src = fixture('clean/panel-names-vec.rs');
  const real = realRun(src);
  if ('skip' in real) return t.skip(real.skip);
  const lines = real.stdout.split(/(?<=\n)/);
  assert.equal(stdout(snap(src, 'let first')), '', 'nothing printed before the first println!');
  assert.equal(stdout(snap(src, 'println!("{} of {}"')), lines[0]);
  assert.equal(stdout(snap(src, 'println!("{} names"')), real.stdout, 'at the last println!, all of it');
  assert.equal(stdout(snap(src, 'println!("{} names"', { where: 'start' })), lines[0], 'before the last println!, only the first line');
  const s = snap(src, 'println!("{} names"');
  assert.ok((s.output ?? []).every((c) => !c.notReal && c.step <= s.step));
});

test('output: a panic is the last chunk, marked as such, with the message Rust prints', () => {
  const src = [
    'fn main() {',
    '    let v = vec![1, 2, 3];',
    '    println!("before");',
    '    let i = v.len() + 2;',
    '    let x = v[i];',
    '    println!("{}", x);',
    '}',
  ].join('\n');
  const s = snap(src, 'let x = v[i];');
  const out = s.output ?? [];
  assert.deepEqual(
    out.map((c) => c.stream),
    ['stdout', 'panic'],
  );
  assert.equal(out[0].text, 'before\n');
  assert.match(out[1].text, /^thread 'main' panicked at src\/main\.rs:5:\d+:\nindex out of bounds: the len is 3 but the index is 5\n$/);
});

// --- errors on the picture

test('errors (E0382): placed on the trace; the step on the error line is marked; output after it is not a real run', () => {
  const src = [
    'fn main() {',
    '    let s = String::from("hi");',
    '    println!("{}", s);',
    '    let t = s;',
    '    println!("{} again", s);',
    '    println!("{}", t);',
    '}',
  ].join('\n');
  const a = analyze(src);
  assert.deepEqual(
    a.diagnostics.map((d) => d.code),
    ['E0382'],
  );
  const before = snapshotAt(a, at(src, 'let t = s;'));
  assert.equal(before.errors?.length, 1);
  const e = before.errors![0];
  assert.equal(e.code, 'E0382');
  assert.equal(e.href, 'https://doc.rust-lang.org/error_codes/E0382.html');
  assert.equal(e.here, false, 'not on the line of `let t`');
  assert.ok(e.step !== undefined && e.step > before.step, 'the error line runs later');
  assert.ok(
    (before.output ?? []).every((c) => !c.notReal),
    'output before the error is real',
  );

  const on = snapshotAt(a, at(src, 'again'));
  assert.equal(on.errors![0].here, true, 'the step on the error line is marked');
  const last = snapshotAt(a, at(src, 'println!("{}", t);'));
  assert.deepEqual(
    (last.output ?? []).map((c) => [c.text, !!c.notReal]),
    [
      ['hi\n', false],
      ['hi again\n', true],
      ['hi\n', true],
    ],
  );
});

test('errors (E0502): the dangling pointer exists now; the error mark comes with the diagnostic', () => {
  const src = fixture('borrows/e0502-dangling-push.rs');
  const a = analyze(src);
  const s = snapshotAt(a, at(src, 'v.push(2);'));
  assert.equal(s.status, 'ok');
  const first = s.frames[0].slots.find((x) => x.name === 'first')!;
  assert.equal(first.value.kind, 'pointer');
  assert.equal(first.value.kind === 'pointer' && first.value.target?.dangling, true, '`first` points into freed memory');
  const freed = s.heap.find((b) => b.state === 'freed')!;
  assert.equal(freed.ownerPlace, 'v', 'the freed block is named by its owner before the push');
  assert.ok(
    s.events.some((e) => e.text === 'freed the old buffer of `v` (4 bytes)'),
    s.events.map((e) => e.text).join(' | '),
  );
  const e0502 = a.diagnostics.find((d) => d.code === 'E0502');
  if (e0502) {
    assert.ok(s.errors?.some((e) => e.code === 'E0502' && e.here));
  } else {
    assert.equal(s.errors, undefined, 'no diagnostic, no error mark (the engine does not report E0502 yet)');
  }
});

// --- before / after, stepping

test('before and after: the cursor at the start of a line shows the memory before it runs', () => {
  const src = fixture('clean/panel-names-vec.rs');
  const after = snap(src, 'names.push(name);');
  const before = snap(src, 'names.push(name);', { where: 'start' });
  assert.equal(after.when, 'after');
  assert.equal(before.when, 'before');
  assert.match(after.message, /^after line 6 of `main`$/);
  assert.match(before.message, /^before line 6 of `main`$/);
  const state = (s: Snapshot) => s.frames[0].slots.find((x) => x.name === 'name')!.state;
  assert.equal(before.step < after.step, true);
  assert.equal(state(before), 'init');
  assert.equal(state(after), 'moved');
  assert.equal(before.next?.start.line, 5, 'the next step is on line 6');
});

test('stepping by absolute step: the slider can reach every step, with the visit of loops and the next line', () => {
  const src = [
    'fn main() {',
    '    let mut total = 0;',
    '    for i in 0..3 {',
    '        total += i;',
    '    }',
    '    println!("{}", total);',
    '}',
  ].join('\n');
  const a = analyze(src);
  const pos = at(src, 'total += i;');
  const first = snapshotAt(a, pos);
  assert.equal(first.visits, 3);
  const steps = first.steps;
  const visitsSeen: string[] = [];
  for (let k = 0; k < steps; k++) {
    const s = snapshotAt(a, pos, 1, 0, { step: k });
    assert.equal(s.step, k);
    assert.equal(s.status, 'ok');
    if (s.line === 4) visitsSeen.push(`${s.visit}/${s.visits}`);
    if (k + 1 < steps) assert.ok(s.next, `step ${k} has a next step`);
    else assert.equal(s.next, undefined, 'the last step has no next');
  }
  assert.deepEqual([...new Set(visitsSeen)], ['1/3', '2/3', '3/3']);
  assert.equal(snapshotAt(a, pos, 1, 0, { step: 10_000 }).step, steps - 1, 'clamped');
  assert.equal(snapshotAt(a, pos, 1, 0, { step: -5 }).step, 0, 'clamped');
});

// --- broken code

test('broken code: an unclosed `fn main() {` says what is missing instead of "no function"', () => {
  const src = 'fn main() {\n    let x = 5;\n    let y = x + 1;\n';
  const s = snapshotAt(analyze(src), { line: 2, character: 18 });
  assert.equal(s.status, 'syntax-error');
  assert.equal(s.message, 'missing `}` for `fn main` at 1:11');
  assert.deepEqual(s.syntax?.range.start, { line: 0, character: 10 });
  assert.equal(s.errors?.[0].message, 'this file contains an unclosed delimiter');
  assert.equal(s.errors?.[0].code, undefined);
});

test('broken code: a half-typed `let z = w.` in the cursor\'s function is a syntax error there, not "not reached"', () => {
  const src = 'fn helper() -> i32 {\n    1\n}\n\nfn main() {\n    let w = String::from("w");\n    let z = w.\n}\n';
  const a = analyze(src);
  const s = snapshotAt(a, { line: 6, character: 14 });
  assert.equal(s.status, 'syntax-error');
  assert.equal(s.message, '8:1: unexpected token: `}`');
  // The other function parses: its picture is drawn.
  assert.notEqual(snapshotAt(a, { line: 1, character: 5 }).status, 'syntax-error');
});

// --- Rust names

test('names: blocks by their owner place, pointers by the place they point at, events without ids', () => {
  const src = fixture('clean/panel-names-vec.rs');
  const s = snap(src, 'let first');
  const byPlace = Object.fromEntries(s.heap.map((b) => [b.ownerPlace, b.kind]));
  assert.deepEqual(byPlace, { names: 'Vec', 'names[0]': 'String', 'names[1]': 'String' });
  const first = s.frames[0].slots.find((x) => x.name === 'first')!;
  assert.equal(first.value.text, '&names[0]');
  const name = s.frames[0].slots.find((x) => x.name === 'name')!;
  assert.equal(name.movedTo?.to, 'names.push(..)');
  const all = [snap(src, 'names.push(name);'), snap(src, 'names.push(String'), s];
  for (const x of all) for (const e of x.events) assert.doesNotMatch(e.text, /heap:\d|frame:\d|static:\d/, e.text);
  assert.ok(
    all[0].events.some((e) => e.text === 'moved `name` into `names.push(..)`'),
    all[0].events.map((e) => e.text).join(' | '),
  );
});

test('names: a linked list reads `stack.head`, `stack.head.next`, ...; a temporary borrow of `(*node).next` is `node.next`', () => {
  const src = fixture('programs/linked-list.rs');
  const s = snap(src, 'println!("peek');
  const places = s.heap.filter((b) => b.state === 'live' && b.kind === 'Box').map((b) => b.ownerPlace);
  assert.deepEqual(places, [
    'stack.head.next.next.next.next',
    'stack.head.next.next.next',
    'stack.head.next.next',
    'stack.head.next',
    'stack.head',
  ]);
});

// --- the rest

test('a Box<dyn Trait> is a fat pointer: data and vtable, the vtable in static memory', () => {
  const src = fixture('clean/panel-dyn-cells.rs');
  const s = snap(src, 'let counter');
  const shape = s.frames[0].slots.find((x) => x.name === 'shape')!;
  assert.equal(shape.size, 16);
  assert.equal(shape.value.kind, 'aggregate');
  const fields = shape.value.kind === 'aggregate' ? shape.value.fields : [];
  assert.deepEqual(
    fields.map((f) => f.name),
    ['ptr', 'vtable'],
  );
  const vt = fields[1].value;
  assert.equal(vt.kind, 'pointer');
  const id = vt.kind === 'pointer' ? vt.target?.id : undefined;
  const table = s.statics.find((x) => x.id === id)!;
  assert.equal(table.kind, 'vtable');
  assert.equal(table.name, '<Square as Shape>');
  assert.equal(table.size, 40, 'drop_in_place, size, align and two methods: 5 × 8 bytes');
  assert.deepEqual(table.value.kind === 'aggregate' ? table.value.fields.map((f) => `${f.name}=${f.value.text}`) : [], [
    'drop_in_place=fn drop_in_place::<Square>',
    'size=8',
    'align=8',
    'area=fn <Square as Shape>::area',
    'name=fn <Square as Shape>::name',
  ]);
  assert.equal(s.heap.find((b) => b.kind === 'Box')?.type, 'Square');
});

test('a RefCell shows its borrow flag; a Cell its contents', () => {
  const src = fixture('clean/panel-dyn-cells.rs');
  const flag = (s: Snapshot) => {
    const log = s.frames[0].slots.find((x) => x.name === 'log')!;
    return log.value.kind === 'aggregate' ? log.value.fields.find((f) => f.name === 'borrow')?.value.text : undefined;
  };
  assert.equal(flag(snap(src, 'let log')), '0', 'not borrowed yet');
  assert.equal(flag(snap(src, 'let borrowed')), '1', 'one live Ref');
  const counter = snap(src, 'counter.set(6)').frames[0].slots.find((x) => x.name === 'counter')!;
  assert.equal(counter.value.text, 'Cell(6)');
});

test('names across every step of the issue programs: no ids, no `(*x).f` derefs, no numbered field paths', () => {
  for (const p of PANEL_PROGRAMS) {
    for (const s of programSteps(p)) {
      const texts = [
        ...s.events.map((e) => e.text),
        ...s.frames.flatMap((f) => f.slots.flatMap((sl) => [sl.value.text, sl.movedTo?.to ?? ''])),
        ...s.heap.map((b) => b.ownerPlace ?? ''),
      ];
      for (const t of texts)
        assert.doesNotMatch(t, /heap:\d|frame:\d|static:\d|\(\*|\b[a-z_]\w*\.\d+\b(?!\.\d)/, `${p.name} step ${s.step}: ${t}`);
    }
  }
});
