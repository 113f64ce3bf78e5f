/**
 * The hover's lessons (server/src/ide/teach.ts) and the inlay hints (server/src/ide/inlayHints.ts)
 * on the Book's ownership example (chapter 4.1, "Ownership and Functions"): what happens to each
 * argument at a call, when a parameter is dropped, that a Copy binding is copied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { hoverAt } from '../../server/src/ide/hover';
import { inlayHintsIn } from '../../server/src/ide/inlayHints';
import type { Position } from '../../shared/protocol';

const SRC = [
  'fn main() {',
  '    let s = String::from("hello");',
  '    takes_ownership(s);',
  '    let x = 5;',
  '    makes_copy(x);',
  '    let s1 = String::from("hi");',
  '    let len = calculate_length(&s1);',
  '    let t = s1;',
  '    println!("{} {}", len, t);',
  '}',
  '',
  'fn takes_ownership(some_string: String) {',
  '    println!("{}", some_string);',
  '}',
  '',
  'fn makes_copy(some_integer: i32) {',
  '    println!("{}", some_integer);',
  '}',
  '',
  'fn calculate_length(s: &String) -> usize {',
  '    s.len()',
  '}',
  '',
].join('\n');

const a = analyze(SRC);
const lines = SRC.split('\n');
/** The position of the `occurrence`-th `word` on the first line starting with `prefix`. */
function at(prefix: string, word: string, occurrence = 0): Position {
  const line = lines.findIndex((l) => l.trimStart().startsWith(prefix));
  assert.ok(line >= 0, prefix);
  let c = -1;
  for (let i = 0; i <= occurrence; i++) c = lines[line].indexOf(word, c + 1);
  return { line, character: c };
}
const hover = (p: Position): string => hoverAt(a, p, { simulate: false })!.markdown;

test('at `takes_ownership(s)`: moved into the callee, which drops it when it returns; no "dropped at the end of its scope"', () => {
  const p = at('takes_ownership(s)', '(s)');
  const md = hover({ line: p.line, character: p.character + 1 });
  assert.match(
    md,
    /\*\*moved\*\* here into `takes_ownership\(\.\.\)` \(its parameter `some_string` owns it now\), which drops it when it returns \(freeing its heap buffer\)/,
  );
  assert.doesNotMatch(md, /dropped at the end of its scope/);
});

test('at `makes_copy(x)`: copied because `i32` is Copy', () => {
  assert.match(hover(at('makes_copy(x)', 'x')), /\*\*copied\*\* into `makes_copy\(\.\.\)` because `i32` is `Copy`: `x` stays usable/);
});

test('at `calculate_length(&s1)`: borrowed for the call', () => {
  assert.match(hover(at('let len', 's1')), /\*\*borrowed \(shared\)\*\* by `calculate_length\(\.\.\)` for the duration of the call/);
});

test('at `let t = s1;`: moved to `t`', () => {
  const md = hover(at('let t = s1', 's1'));
  assert.match(md, /\*\*moved\*\* here to `t`/);
  assert.doesNotMatch(md, /dropped at the end of its scope/);
});

test('the parameter `some_string` is dropped when `takes_ownership` returns, freeing its buffer', () => {
  assert.match(
    hover(at('fn takes_ownership', 'some_string')),
    /it is \*\*dropped\*\* when `takes_ownership` returns \(at 14:1\), freeing its heap buffer/,
  );
});

test('a Copy binding says so', () => {
  assert.match(hover(at('let x = 5', 'x')), /`i32` is `Copy`: assigning or passing `x` copies its 4 bytes/);
});

test('inlay hints: the permissions a borrowed binding keeps while a binding holds the borrow', () => {
  const src = [
    'fn main() {',
    '    let mut v = vec![1];',
    '    let first = &v[0];',
    '    println!("{}", first);',
    '    let r = &mut v;',
    '    r.push(2);',
    '}',
    '',
  ].join('\n');
  const hints = inlayHintsIn(analyze(src), { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } }).filter(
    (h) => h.kind === 'permissions',
  );
  assert.deepEqual(
    hints.map((h) => `${h.position.line + 1}:${h.label}`),
    ['3:v: R--', '5:v: ---'],
  );
  assert.match(hints[0].tooltip, /`v` lost W and O while `first` borrows it, until 4:26/);
});

test('inlay hints: size and place of each `let`, and `moved` after each move', () => {
  const all = inlayHintsIn(a, { start: { line: 0, character: 0 }, end: { line: 9, character: 1 } });
  const labels = all.map((h) => `${h.position.line + 1}:${h.label}`);
  assert.ok(labels.includes('2:24 B · heap'), labels.join(' | '));
  assert.ok(labels.includes('4:4 B'), labels.join(' | '));
  assert.ok(labels.includes('3:moved'), labels.join(' | '));
  assert.ok(labels.includes('8:moved'), labels.join(' | '));
  // `&s1` passed to the call is held by no binding: no permission step. Outside the range: none.
  assert.ok(!all.some((h) => h.kind === 'permissions'), labels.join(' | '));
  assert.deepEqual(
    inlayHintsIn(a, { start: { line: 11, character: 0 }, end: { line: 13, character: 1 } }).filter((h) => h.kind === 'move'),
    [],
  );
});
