// Incremental analysis by item (engine.ts `DocumentAnalyzer`): an edit inside one function
// re-analyses only that function; an edit to a signature re-analyses its callers; and after any
// sequence of edits, through the document store (tree.edit, incremental reparse, changed
// ranges), the result equals a from-scratch analysis of the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis } from '../../server/src/engine/engine';
import { DocumentStore } from '../../server/src/lsp/documents';
import { prettyBody } from '../../server/src/mir/pretty';
import { hoverAt } from '../../server/src/ide/hover';
import { positionAt } from '../../server/src/base/text';
import { fixturesDir, listFixtures } from '../support/fixtures';
import { generateModules } from '../bench/generate';

const URI = 'file:///incremental.rs';

/** A store with `text` open and analysed once. */
function opened(text: string): DocumentStore {
  const store = new DocumentStore();
  store.open(URI, 'rust', 1, text);
  store.analysisOf(URI);
  return store;
}

let version = 1;
/** Replaces the first occurrence of `from` with `to` as an LSP ranged change; returns the new analysis. */
function edit(store: DocumentStore, from: string, to: string): Analysis {
  const text = store.get(URI)!.text;
  const i = text.indexOf(from);
  assert.ok(i >= 0, `\`${from}\` not in the text`);
  const range = { start: positionAt(text, i), end: positionAt(text, i + from.length) };
  store.change(URI, ++version, [{ range, text: to }]);
  return store.analysisOf(URI)!;
}

const PROGRAM = [
  'struct Point { x: i32 }',
  '',
  'fn make(n: i32) -> Point {',
  '    Point { x: n }',
  '}',
  '',
  'fn helper(p: &Point) -> i32 {',
  '    p.x + 1',
  '}',
  '',
  'fn user() -> i32 {',
  '    let p = make(1);',
  '    let q = p;',
  '    helper(&q)',
  '}',
  '',
  'fn unrelated() {',
  '    let s = String::from("a");',
  '    let t = s;',
  '    println!("{}", t);',
  '}',
  '',
  'fn main() {',
  '    let n = user();',
  '    unrelated();',
  '    println!("{}", n);',
  '}',
  '',
].join('\n');

test('an edit inside one function re-analyses only that function', () => {
  const store = opened(PROGRAM);
  const a = edit(store, 'let t = s;', 'let t = s;\n    let u = 2;');
  assert.deepEqual(a.stats.analysed, ['unrelated']);
  assert.equal(a.stats.full, false);
  assert.equal(a.stats.reused, a.stats.units - 1);
  // The functions below the edit moved down one line and were reused, not re-analysed.
  assert.equal(a.stats.moved, 1);
  assert.deepEqual(a.diagnostics, analyze(store.get(URI)!.text).diagnostics);
  // An error appears in the edited function only.
  const b = edit(store, 'println!("{}", t);', 'println!("{}", s);');
  assert.deepEqual(b.stats.analysed, ['unrelated']);
  assert.deepEqual(
    b.diagnostics.map((d) => [d.code, d.range.start.line]),
    [['E0382', 20]],
  );
});

test('an edit to a signature re-analyses the callers (and the users of a changed struct)', () => {
  const store = opened(PROGRAM);
  const a = edit(store, 'fn helper(p: &Point) -> i32 {', 'fn helper(p: Point) -> i32 {');
  assert.deepEqual(a.stats.analysed, ['helper', 'user']);
  // `struct Point` gains Copy: every function whose types mention Point is analysed again.
  const b = edit(store, 'struct Point', '#[derive(Clone, Copy)]\nstruct Point');
  assert.deepEqual(b.stats.analysed, ['make', 'helper', 'user']);
  assert.deepEqual(b.diagnostics, analyze(store.get(URI)!.text).diagnostics);
});

test("an edit inside the file's impl Deref (its Target, a DerefMut added) re-analyses the bodies that deref its type", () => {
  const src = [
    'use std::ops::Deref;',
    'struct Inner { len: usize }',
    'struct Other { size: usize }',
    'struct Wrapper { inner: Inner, other: Other, hits: u32 }',
    'impl Deref for Wrapper {',
    '    type Target = Inner;',
    '    fn deref(&self) -> &Inner {',
    '        &self.inner',
    '    }',
    '}',
    'fn main() {',
    '    let mut w = Wrapper { inner: Inner { len: 1 }, other: Other { size: 2 }, hits: 0 };',
    '    let len = &w.len;',
    '    w.hits = 1;',
    '    println!("{}", len);',
    '}',
    '',
  ].join('\n');
  const store = opened(src);
  assert.deepEqual(
    store.analysisOf(URI)!.diagnostics.map((d) => d.code),
    ['E0506'],
  );
  // The deref now reaches a type without `len`: no field, no borrow through it, no error.
  const a = edit(
    store,
    '    type Target = Inner;\n    fn deref(&self) -> &Inner {\n        &self.inner',
    '    type Target = Other;\n    fn deref(&self) -> &Other {\n        &self.other',
  );
  assert.ok(a.stats.analysed.includes('main'));
  assert.deepEqual(a.diagnostics, analyze(store.get(URI)!.text).diagnostics);
  assert.deepEqual(a.diagnostics, []);
});

// --- results equal a from-scratch analysis after random edits

/** A deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  '\n',
  ' ',
  'x',
  ';',
  '}',
  '{',
  '.clone()',
  '&',
  'mut ',
  'let q = 1;\n',
  '\n\n',
  'fn f() {}\n',
  '// c\n',
  '(',
  ')',
  'impl',
];

/** One random edit of `text`: an insertion, a deletion, or a line moved up or duplicated. */
function randomEdit(text: string, rnd: () => number): { start: number; end: number; insert: string } {
  const at = Math.floor(rnd() * (text.length + 1));
  const kind = rnd();
  if (kind < 0.5) return { start: at, end: at, insert: SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] };
  if (kind < 0.8) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(rnd() * 12)), insert: '' };
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd + 1);
  return kind < 0.9 ? { start: lineStart, end: lineStart, insert: line } : { start: lineStart, end: lineStart + line.length, insert: '' };
}

/** What must be equal: diagnostics, failures, the bodies and their MIR (closure ids renumbered), hovers. */
function observable(a: Analysis, probes: number[]): unknown {
  const ids = new Map<string, string>();
  const mir = [...a.mir.bodies.keys()].sort().map((k) =>
    // Closure ids (not closure names, `main::{closure#0}`) differ between analyses.
    prettyBody(a.mir.bodies.get(k)!).replace(/(?<!::)\{closure#(\d+)\}/g, (m) => {
      if (!ids.has(m)) ids.set(m, `{closure#${ids.size}}`);
      return ids.get(m)!;
    }),
  );
  const hovers = probes.map((offset) => {
    const h = hoverAt(a, positionAt(a.text, Math.min(offset, a.text.length)));
    return h ? { ...h } : null;
  });
  return { diagnostics: a.diagnostics, failures: a.failures, mir, hovers };
}

function checkRandomEdits(name: string, text: string, seed: number, edits: number): void {
  const rnd = prng(seed);
  const store = opened(text);
  for (let k = 0; k < edits; k++) {
    const cur = store.get(URI)!.text;
    // Sometimes several changes in one didChange (applied in order, as LSP requires).
    const n = rnd() < 0.2 ? 2 : 1;
    const changes = [];
    let t = cur;
    for (let j = 0; j < n; j++) {
      const e = randomEdit(t, rnd);
      changes.push({ range: { start: positionAt(t, e.start), end: positionAt(t, e.end) }, text: e.insert });
      t = t.slice(0, e.start) + e.insert + t.slice(e.end);
    }
    store.change(URI, ++version, changes);
    const inc = store.analysisOf(URI)!;
    assert.equal(inc.text, t);
    const probes = Array.from({ length: 4 }, () => Math.floor(rnd() * t.length));
    const scratch = analyze(t);
    assert.deepEqual(observable(inc, probes), observable(scratch, probes), `${name}, seed ${seed}, after edit ${k + 1}:\n${t}`);
  }
}

test('after random edits of fixtures, the incremental result equals a from-scratch analysis', () => {
  const dir = fixturesDir();
  const all = listFixtures(dir).filter((f) => /^(programs|modules|seeds|moves|borrows)\//.test(f));
  // An even sample of about 40 of them (the whole set takes minutes).
  const every = Math.max(1, Math.ceil(all.length / 40));
  const picked = all.filter((_, i) => i % every === 0);
  assert.ok(picked.length > 20);
  picked.forEach((rel, i) => checkRandomEdits(rel, fs.readFileSync(path.join(dir, rel), 'utf8'), 1000 + i, 12));
});

test('after random edits of a multi-module file, the incremental result equals a from-scratch analysis', () => {
  checkRandomEdits('generated', generateModules(400), 7, 25);
});
