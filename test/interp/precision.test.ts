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
