/**
 * Syntax errors from tree-sitter's ERROR/MISSING nodes (server/src/syntax/errors.ts): what the
 * panel needs beyond the fixtures (which check lines and messages against rustc through
 * `//~ SYNTAX`): the unclosed delimiters and what they open, the bound on the number of
 * errors, and that hostile input never throws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseRust } from '../../server/src/syntax/parser';
import { MAX_SYNTAX_ERRORS, syntaxErrors } from '../../server/src/syntax/errors';
import { isSyntaxError } from '../../server/src/base/diagnostic';
import { analyze } from '../../server/src/engine/engine';
import { MirrorCache, mirrorTree } from '../../server/src/syntax/cst';
import { fixturesDir, listFixtures } from '../support/fixtures';

test('an unclosed `fn main() {`: one error at the end of the file, the `{` labelled, and what it opens', () => {
  const text = 'struct P { x: i32 }\n\nfn main() {\n    let p = P { x: 1 };\n    println!("{}", p.x);\n';
  const r = syntaxErrors(parseRust(text));
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.message, 'this file contains an unclosed delimiter');
  assert.deepEqual(d.range.start, { line: 4, character: 24 }, 'at the end of the last line, as rustc');
  assert.deepEqual(
    d.related.map((x) => [x.range.start, x.message]),
    [[{ line: 2, character: 10 }, 'unclosed delimiter']],
  );
  assert.deepEqual(r.unclosed, [
    { delimiter: '{', range: { start: { line: 2, character: 10 }, end: { line: 2, character: 11 } }, opens: 'fn main' },
  ]);
});

test('unclosed delimiters name the item they open: impl, nested fn, generics and return types', () => {
  const text = 'impl<T: Clone> Stack<T> {\n    fn push(&mut self, v: Vec<(i32, T)>) -> Option<&T> {\n        if v.len() > 0 {\n';
  const r = syntaxErrors(parseRust(text));
  assert.deepEqual(
    r.unclosed.map((u) => u.opens),
    ['impl<T: Clone> Stack<T>', 'fn push', 'if'],
  );
});

test('brackets inside strings, chars and comments are not delimiters', () => {
  const text = 'fn main() {\n    let s = "{[(";\n    let c = \'{\';\n    // }}}\n    /* ) */\n    println!("{}{}", s, c);\n}\n';
  assert.deepEqual(syntaxErrors(parseRust(text)).diagnostics, []);
});

test('a clean file has no syntax error, and analyze() publishes syntax errors with the rest', () => {
  assert.deepEqual(syntaxErrors(parseRust('fn main() {\n    let x = 1;\n    println!("{}", x);\n}\n')).diagnostics, []);
  const a = analyze('fn main() {\n    let s = String::from("a");\n    let t = s;\n    println!("{}", s);\n    let z = t.\n}\n');
  assert.deepEqual(
    a.diagnostics.map((d) => [isSyntaxError(d) ? 'syntax' : d.code, d.range.start.line + 1, d.severity]),
    [
      ['E0382', 4, 'error'],
      ['syntax', 6, 'error'],
    ],
  );
});

test(`bounded: a file with thousands of broken lines gets at most ${MAX_SYNTAX_ERRORS} errors`, () => {
  const body = Array.from({ length: 3000 }, (_, i) => `    let v${i} = 1 + ;`).join('\n');
  const r = syntaxErrors(parseRust(`fn main() {\n${body}\n}\n`));
  assert.equal(r.diagnostics.length, MAX_SYNTAX_ERRORS);
  assert.ok(r.diagnostics.every((d) => d.message === 'expected expression, found `;`'));
});

test('never throws on hostile input', () => {
  const inputs = ['', '}', ')))', '{{{{', '"unterminated', "'", 'fn', 'fn (', '/* open comment', '\u0000\uFFFF', 'r#"', '<<<>>>', 'impl {'];
  for (const t of inputs) {
    const r = syntaxErrors(parseRust(t));
    assert.ok(Array.isArray(r.diagnostics), `input ${JSON.stringify(t)}`);
    for (const d of r.diagnostics) assert.equal(d.severity, 'error');
  }
});

test('valid Rust tree-sitter cannot parse gets no squiggle: macro tokens, empty bounds, `&raw` of a variable, `try!` (edition 2015)', () => {
  const text = [
    'fn existing_colon<T:>(t: T) {}',
    'fn w<T>(t: T)',
    'where',
    '    T:,',
    '{',
    '}',
    "fn run<'a, A>(x: A)",
    'where',
    "    &'static A: ,",
    '{',
    '}',
    'fn m() -> Result<i32, i32> {',
    '    let a = try!(Ok(1));',
    '    Ok(a)',
    '}',
    'fn r(raw: String) -> usize {',
    '    let n = if let Some(c) = first(&raw) { c } else { 0 };',
    '    n',
    '}',
    'macro_rules! m { ($x:tt) => { ~ $x # } }',
    'fn main() {}',
  ].join('\n');
  assert.deepEqual(syntaxErrors(parseRust(text)).diagnostics, []);
});

test('the delimiter check on the tree mirror answers as the one on the tree: every fixture, and each with a bracket removed or added, fresh and with the items of earlier versions', () => {
  let compared = 0;
  for (const f of listFixtures()) {
    const text = readFileSync(path.join(fixturesDir(), f), 'utf8');
    // The file itself, and variants broken at a few brackets (the first, a middle and the last `(`, `{`, `}`...).
    const at = [...text.matchAll(/[()[\]{}]/g)].map((m) => m.index);
    const picks = at.length ? [at[0], at[Math.floor(at.length / 2)], at[at.length - 1]] : [];
    const variants = [text, ...picks.flatMap((i) => [text.slice(0, i) + text.slice(i + 1), text.slice(0, i) + text[i] + text.slice(i)])];
    // One cache over the variants, as over the versions of a document: unchanged items keep their nodes and summaries.
    const cache = new MirrorCache();
    for (const v of [...variants, ...variants]) {
      const tree = parseRust(v);
      const viaTree = syntaxErrors(tree);
      assert.deepEqual(syntaxErrors(tree, mirrorTree(tree, v)), viaTree, `${f}, variant of ${v.length} chars`);
      assert.deepEqual(syntaxErrors(tree, cache.mirror(tree, v)), viaTree, `${f}, variant of ${v.length} chars, cached mirror`);
      compared++;
    }
  }
  assert.ok(compared > 100, `${compared} files compared`);
});
