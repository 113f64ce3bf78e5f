/**
 * Programs in the shape of Rust by Example's (`npm run fidelity:run`), each compiled and run by
 * the installed rustc: the simulation must run them to the end knowing every value and print
 * exactly what the compiled program prints. One test per cause fixed: iterator adapters with
 * closures (`filter_map`, `take_while`, `skip_while`, `inspect`, `partition`), `start..` ranges,
 * user types with their own `impl Iterator` under std adapters, std methods named as values
 * (`Result::is_ok`), str methods on a `&&str` the type checker did not know.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { runProgram } from '../../server/src/interp';
import { cfgValue } from '../../server/src/syntax/cfg';
import { outputUpTo, programResult } from '../../server/src/ide/output';
import { runSource } from '../support/interpSource';
import { checkedRun, rustcRun } from '../support/rustc';

test('iterator adapters with closures, `start..`, a user `impl Iterator` under std adapters, std fns as values', (t) => {
  const src = [
    'struct Countdown {',
    '    n: u32,',
    '}',
    'impl Iterator for Countdown {',
    '    type Item = u32;',
    '    fn next(&mut self) -> Option<u32> {',
    '        if self.n == 0 {',
    '            None',
    '        } else {',
    '            self.n -= 1;',
    '            Some(self.n + 1)',
    '        }',
    '    }',
    '}',
    'fn main() {',
    '    let words = vec!["7", "x", "12", "300"];',
    '    let small: Vec<u8> = words.iter().filter_map(|w| w.parse::<u8>().ok()).collect();',
    '    println!("{:?}", small);',
    '    let (good, bad): (Vec<_>, Vec<_>) = words.into_iter().map(|s| s.parse::<i32>()).partition(Result::is_ok);',
    '    let good: Vec<i32> = good.into_iter().map(Result::unwrap).collect();',
    '    println!("{:?} {}", good, bad.len());',
    '    let mut acc = 0;',
    '    for n in 0.. {',
    '        if n * n > 50 {',
    '            break;',
    '        }',
    '        acc += n;',
    '    }',
    '    println!("{}", acc);',
    '    let s: u32 = (1..).take_while(|&n| n < 10).skip_while(|&n| n < 4).inspect(|n| print!("{} ", n)).sum();',
    '    println!("= {}", s);',
    '    let c = Countdown { n: 5 };',
    '    let firsts: Vec<u32> = c.take(3).collect();',
    '    println!("{:?}", firsts);',
    '    let total: u32 = Countdown { n: 4 }.skip(1).map(|x| x * 10).sum();',
    '    println!("{}", total);',
    '    let mut d = Countdown { n: 3 };',
    '    println!("{:?}", d.next());',
    '    for x in (Countdown { n: 2 }).zip(10..) {',
    '        println!("{:?}", x);',
    '    }',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_iterators', src);
  assert.deepEqual(run.stdout.slice(0, 2), ['[7, 12]', '[7, 12, 300] 1']);
});

test('a closure run by filter_map writes what it captured by &mut: the errors pushed are there afterwards', (t) => {
  const src = [
    'fn main() {',
    '    let words = vec!["1", "x", "3"];',
    '    let mut errors = vec![];',
    '    let ok: Vec<i32> = words.iter().filter_map(|s| s.parse::<i32>().map_err(|e| errors.push(e)).ok()).collect();',
    '    println!("{}", errors.len());',
    '    println!("{:?} {:?}", ok, errors);',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_filter_map_errors', src);
  assert.equal(run.stdout[0], '1');
});

test('range patterns test their bounds; slice patterns test the length and elements, and bind the rest', (t) => {
  const src = [
    'fn classify(v: &[i32]) -> String {',
    '    match v {',
    '        [] => String::from("empty"),',
    '        [x] => format!("one {}", x),',
    '        [first, .., 0] => format!("ends in zero, first {}", first),',
    '        [first, rest @ ..] if rest.len() > 2 => format!("{} then {} more", first, rest.len()),',
    '        [a, b, ..] => format!("starts {} {}", a, b),',
    '    }',
    '}',
    "fn age(n: u32) -> &'static str {",
    '    match n {',
    '        0 => "baby",',
    '        1..=12 => "child",',
    '        13..=19 => "teen",',
    '        20..65 => "adult",',
    '        _ => "senior",',
    '    }',
    '}',
    'fn main() {',
    '    for n in [0, 5, 12, 13, 19, 20, 64, 65] {',
    '        println!("{} {}", n, age(n));',
    '    }',
    "    let c = 'q';",
    '    match c {',
    "        'a'..='m' => println!(\"first half\"),",
    "        'n'..='z' => println!(\"second half\"),",
    '        _ => println!("other"),',
    '    }',
    '    match -7i64 {',
    '        i64::MIN..=-1 => println!("negative"),',
    '        0.. => println!("non-negative"),',
    '    }',
    '    println!("{}", classify(&[]));',
    '    println!("{}", classify(&[4]));',
    '    println!("{}", classify(&[4, 5, 0]));',
    '    println!("{}", classify(&[4, 5, 6, 7]));',
    '    println!("{}", classify(&[4, 5, 6]));',
    '    let arr = [1, -2, 6];',
    '    match arr {',
    '        [0, second, third] => println!("zero {} {}", second, third),',
    '        [1, _, third] => println!("one _ {}", third),',
    '        [first, middle @ .., last] => println!("{} {:?} {}", first, middle, last),',
    '    }',
    '    match [3, 4, 5, 6] {',
    '        [3, second, tail @ ..] => println!("{} {:?}", second, tail),',
    '        _ => println!("no"),',
    '    }',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_patterns', src);
  assert.ok(run.stdout.includes('4 then 3 more'));
});

test('`try!(e)` of edition 2015 is `e?`: the error returns early', (t) => {
  const src = [
    'use std::num::ParseIntError;',
    'fn multiply(a: &str, b: &str) -> Result<i32, ParseIntError> {',
    '    let x = try!(a.parse::<i32>());',
    '    let y = try!(b.parse::<i32>());',
    '    Ok(x * y)',
    '}',
    'fn main() {',
    '    println!("{:?}", multiply("10", "2"));',
    '    println!("{:?}", multiply("t", "2"));',
    '}',
    '',
  ].join('\n');
  const a = analyze(src, { edition: '2015' });
  const run = runProgram({ file: a.file, bodies: a.mir.bodies, entry: 'main' });
  assert.deepEqual(run.unknowns, []);
  assert.deepEqual(run.stdout, ['Ok(20)', 'Err(ParseIntError { kind: InvalidDigit })']);
  const want = rustcRun('rbe_try_macro', src, '2015');
  if (want) assert.deepEqual(run.stdout, want);
  else t.diagnostic('rustc is not on PATH: outputs not compared');
});

test('type aliases stand for their type: `Result<T>` with a Box<dyn Error> error, `?` boxing the error', (t) => {
  const src = [
    'use std::error;',
    'use std::fmt;',
    'type Result<T> = std::result::Result<T, Box<dyn error::Error>>;',
    'type Pair<T> = (T, T);',
    'type Meters = u32;',
    '#[derive(Debug)]',
    'struct EmptyVec;',
    'impl fmt::Display for EmptyVec {',
    '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {',
    '        write!(f, "invalid first item to double")',
    '    }',
    '}',
    'impl error::Error for EmptyVec {}',
    'fn double_first(vec: Vec<&str>) -> Result<i32> {',
    '    let first = vec.first().ok_or(EmptyVec)?;',
    '    let parsed = first.parse::<i32>()?;',
    '    Ok(2 * parsed)',
    '}',
    'fn swap(p: Pair<Meters>) -> Pair<Meters> {',
    '    (p.1, p.0)',
    '}',
    'fn main() {',
    '    for v in [vec!["21"], vec![], vec!["x"]] {',
    '        match double_first(v) {',
    '            Ok(n) => println!("doubled {}", n),',
    '            Err(e) => println!("Error: {}", e),',
    '        }',
    '    }',
    '    let d: Meters = 5;',
    '    println!("{:?}", swap((d, 7)));',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_type_alias', src);
  assert.equal(run.stdout[1], 'Error: invalid first item to double');
});

test("trim_matches with a char, a char set or a str; str::from_utf8 with rustc's Utf8Error; Option/Result transpose", (t) => {
  const src = [
    'use std::str;',
    'fn main() {',
    '    let s = String::from("  ,a, b, c, ");',
    "    let set: &[char] = &[' ', ','];",
    '    println!("[{}]", s.trim_matches(set));',
    '    println!("[{}]", "xxhixx".trim_matches(\'x\'));',
    '    println!("[{}]", "abab-ab".trim_start_matches("ab"));',
    "    println!(\"[{}]\", \"123abc456\".trim_end_matches(['4', '5', '6']));",
    '    println!("{:?}", str::from_utf8(b"caf\\xc3\\xa9"));',
    '    println!("{:?}", str::from_utf8(b"ok\\xff"));',
    '    println!("{:?}", str::from_utf8(b"ab\\xe2\\x82"));',
    '    println!("{:?}", str::from_utf8(b"\\xed\\xa0\\x80"));',
    '    let a: Option<Result<i32, String>> = Some(Ok(3));',
    '    let b: Option<Result<i32, String>> = Some(Err(String::from("bad")));',
    '    let c: Option<Result<i32, String>> = None;',
    '    println!("{:?} {:?} {:?}", a.transpose(), b.transpose(), c.transpose());',
    '    let d: Result<Option<u8>, String> = Ok(Some(1));',
    '    let e: Result<Option<u8>, String> = Ok(None);',
    '    println!("{:?} {:?}", d.transpose(), e.transpose());',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_str_transpose', src);
  assert.equal(run.stdout[0], '[a, b, c]');
});

test('parse() into a user type runs its FromStr impl; cfg! is decided for x86_64 Linux with panic = "unwind"', (t) => {
  const src = [
    'use std::num::ParseIntError;',
    'use std::str::FromStr;',
    '#[derive(Debug)]',
    'struct Circle {',
    '    radius: i32,',
    '}',
    'impl FromStr for Circle {',
    '    type Err = ParseIntError;',
    '    fn from_str(s: &str) -> Result<Self, Self::Err> {',
    '        match s.trim().parse() {',
    '            Ok(num) => Ok(Circle { radius: num }),',
    '            Err(e) => Err(e),',
    '        }',
    '    }',
    '}',
    'fn main() {',
    '    let c: Circle = "  3 ".parse().unwrap();',
    '    println!("{:?}", c);',
    '    let bad: Result<Circle, _> = "x".parse();',
    '    println!("{:?}", bad);',
    '    if cfg!(panic = "abort") {',
    '        println!("abort");',
    '    } else {',
    '        println!("unwind");',
    '    }',
    '    println!("{} {}", cfg!(unix), cfg!(windows));',
    '    println!("{}", cfg!(all(target_os = "linux", not(target_pointer_width = "32"))));',
    '    println!("{}", cfg!(any(target_arch = "aarch64", target_arch = "x86_64")));',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_fromstr_cfg', src);
  assert.equal(run.stdout[0], 'Circle { radius: 3 }');
});

test('cfg! of a build-dependent option (debug_assertions, a feature) stays unknown', () => {
  assert.equal(cfgValue('debug_assertions'), null);
  assert.equal(cfgValue('feature = "serde"'), null);
  assert.equal(cfgValue('all(unix, debug_assertions)'), null);
  assert.equal(cfgValue('any(unix, debug_assertions)'), true);
  assert.equal(cfgValue('all(windows, debug_assertions)'), false);
  assert.equal(cfgValue('not('), null);
});

test('at run time, a blanket impl (impl<T: Bound> Trait for T) provides its method when no other impl of the file does', (t) => {
  const src = [
    'use std::fmt::{Debug, Display};',
    'trait PrintInOption {',
    '    fn print_in_option(self);',
    '}',
    'impl<T> PrintInOption for T',
    'where',
    '    Option<T>: Debug,',
    '{',
    '    fn print_in_option(self) {',
    '        println!("{:?}", Some(self));',
    '    }',
    '}',
    'trait Shout {',
    '    fn shout(&self) -> String;',
    '}',
    'impl<T: Display> Shout for T {',
    '    fn shout(&self) -> String {',
    '        format!("{}!", self)',
    '    }',
    '}',
    'struct Quiet;',
    'trait Whisper {',
    '    fn whisper(&self) -> String;',
    '}',
    'impl Whisper for Quiet {',
    '    fn whisper(&self) -> String {',
    '        String::from("psst")',
    '    }',
    '}',
    'fn main() {',
    '    let v = vec![1, 2, 3];',
    '    v.print_in_option();',
    '    println!("{} {}", 5.shout(), String::from("hey").shout());',
    '    println!("{}", Quiet.whisper());',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_blanket', src);
  assert.equal(run.stdout[0], 'Some([1, 2, 3])');
});

test("macro_rules! invoked where items go: the fns and impls it expands to are the file's", (t) => {
  const src = [
    'macro_rules! create_function {',
    '    ($func_name:ident) => {',
    '        fn $func_name() {',
    '            println!("You called {:?}()", stringify!($func_name));',
    '        }',
    '    };',
    '}',
    'macro_rules! impl_area {',
    '    ($t:ident, $f:tt) => {',
    '        impl $t {',
    '            fn area(&self) -> f64 {',
    '                self.$f * self.$f',
    '            }',
    '        }',
    '    };',
    '}',
    'struct Square(f64);',
    'create_function!(foo);',
    'create_function!(bar);',
    'impl_area!(Square, 0);',
    'fn main() {',
    '    foo();',
    '    bar();',
    '    println!("{}", Square(3.0).area());',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'rbe_item_macros', src);
  assert.equal(run.stdout[0], 'You called "foo"()');
});

test('a branch on an unknown value is a guess: a `guess` event in the trace, the output after it unsure, `run` names the line', () => {
  const src = [
    'fn main() {',
    '    println!("start");',
    '    let n = std::env::args().count();',
    '    if n > 1 {',
    '        println!("many");',
    '    } else {',
    '        println!("one");',
    '    }',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  const guess = run.steps.findIndex((s) => s.events.some((e) => e.kind === 'guess'));
  assert.ok(guess >= 0, 'the branch records a guess event');
  const chunks = outputUpTo(run, run.steps.length, undefined);
  assert.deepEqual(
    chunks.map((c) => [c.text, c.unknown === true]),
    [
      ['start\n', false],
      [chunks[1].text, true],
    ],
  );
  const res = programResult(run);
  assert.equal(res.uncertain, true);
  assert.equal(res.firstUnsureLine, 2);
});
