/**
 * Precision first in the simulation: what it cannot compute prints as `?` (and is noted), never
 * as a plausible wrong value. Each program's real output (rustc) is in the comment; the
 * simulation must not claim another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSource } from '../support/interpSource';

test('Display of a user type runs its fmt: what its `write!` writes, not its Debug form', () => {
  const src = [
    'use std::fmt;',
    'struct P { x: i32 }',
    'impl fmt::Display for P {',
    '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "<{}>", self.x) }',
    '}',
    'fn main() {',
    '    let p = P { x: 1 };',
    '    println!("{}", p);', // rustc: <1>
    '    let s = format!("{}", p);',
    '    println!("{}", s.len());', // rustc: 3
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.deepEqual(run.stdout, ['<1>', '3']);
  assert.deepEqual(run.unknowns, []);
});

test("`?` converting the error with From::from: the file's impl runs, the error is never the unconverted value", () => {
  const src = [
    'use std::num::ParseIntError;',
    '#[derive(Debug)]',
    'enum E { Parse(ParseIntError) }',
    'impl From<ParseIntError> for E { fn from(e: ParseIntError) -> E { E::Parse(e) } }',
    'fn f(s: &str) -> Result<i32, E> { let n = s.parse::<i32>()?; Ok(n) }',
    'fn g(s: &str) -> Result<i32, ParseIntError> { let n = s.parse::<i32>()?; Ok(n) }',
    'fn main() {',
    '    println!("{:?}", f("x"));', // rustc: Err(Parse(ParseIntError { kind: InvalidDigit }))
    '    println!("{:?}", g("x"));', // rustc: Err(ParseIntError { kind: InvalidDigit })
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.deepEqual(run.stdout, ['Err(Parse(ParseIntError { kind: InvalidDigit }))', 'Err(ParseIntError { kind: InvalidDigit })']);
  assert.ok(!run.unknowns.some((u) => u.includes('From::from')));
});

test('a closure handed to an unsimulated std method may write what it captured by &mut: it becomes unknown', () => {
  const src = [
    'fn main() {',
    '    let mut v = vec![3, 1, 2];',
    '    let mut seen = vec![];',
    '    v.sort_by_key(|x| { seen.push(*x); *x });',
    '    println!("{}", seen.len() > 0);', // rustc: true
    '    println!("{:?}", v);', // rustc: [1, 2, 3]
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.deepEqual(run.stdout, ['?', '?']);
});

test('`into` to a type the simulation cannot see the From impl of is unknown; to String it is the text', () => {
  const src = [
    'use std::path::PathBuf;',
    'fn main() {',
    '    let p: PathBuf = "a.txt".into();',
    '    let s: String = "a.txt".into();',
    '    println!("{:?} {}", p, s);', // rustc: "a.txt" a.txt
    '}',
    '',
  ].join('\n');
  assert.deepEqual(runSource(src).stdout, ['? a.txt']);
});

test('a match on a Result behind a type alias tests the variant (no arm is taken blindly)', () => {
  const src = [
    'type R<T> = Result<T, String>;',
    'fn f(ok: bool) -> R<i32> { if ok { Ok(1) } else { Err(String::from("no")) } }',
    'fn main() {',
    '    for ok in [true, false] {',
    '        match f(ok) {',
    '            Ok(n) => println!("n {}", n),',
    '            Err(e) => println!("e {}", e),',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(runSource(src).stdout, ['n 1', 'e no']);
});

test('a write the simulation cannot place (an unknown index) makes what it may have written unknown, never the old values', () => {
  const src = [
    'fn main() {',
    '    let n = std::env::args().count();', // 1 under rustc, unknown to the simulation
    '    let mut a = [1, 2, 3];',
    '    let mut v = vec![10, 20, 30];',
    '    let mut names = vec![String::from("a"), String::from("b")];',
    '    a[n] = 7;',
    '    v[n] = 70;',
    '    names[n - 1] = String::from("z");',
    '    println!("{:?}", a);', // rustc: [1, 7, 3]
    '    println!("{:?}", v);', // rustc: [10, 70, 30]
    '    println!("{:?}", names);', // rustc: ["z", "b"]
    '    println!("{}", v.len());', // rustc: 3 (an index write keeps the length)
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.deepEqual(run.stdout.slice(0, 2), ['[?, ?, ?]', '[?, ?, ?]']);
  assert.ok(!run.stdout[2].includes('"a"'), run.stdout[2]);
  assert.equal(run.stdout[3], '3');
  for (const [line, name] of [
    [6, 'a'],
    [7, 'v'],
    [8, 'names'],
  ] as const)
    assert.ok(
      run.unknowns.some((u) => u.startsWith(`line ${line}:`) && u.includes(`\`${name}\``)),
      `no note for line ${line}: ${run.unknowns.join('; ')}`,
    );
  // Nothing is reported leaked: not the string moved into an unknown element, nor the ones it may have replaced.
  const leaks = run.steps.flatMap((s) => s.events).filter((e) => e.kind === 'leak');
  assert.deepEqual(
    leaks.map((e) => e.text),
    [],
  );
});

test('an unknown call through `&mut str` makes the bytes behind it unknown (the String it views)', () => {
  const src = [
    'fn main() {',
    '    let mut s = String::from("xy");',
    '    let r: &mut str = &mut *s;',
    '    r.make_ascii_uppercase();',
    '    println!("{}", s);', // rustc: XY
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.notEqual(run.stdout[0], 'xy');
});
