/**
 * `macro_rules!` (syntax/macroRules.ts): matching by fragments and repetitions, transcription,
 * `stringify!`, recursion; the expansion lowered where the macro is called. Programs are compiled
 * and run by the installed rustc: the simulation must print the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandMacro, parseMacroRules } from '../../server/src/syntax/macroRules';
import { checkedRun } from '../support/rustc';

test('rules match in order; fragments, repetitions and stringify! transcribe as rustc prints them', () => {
  const def = parseMacroRules(
    'macro_rules! m { (eval $e:expr) => { stringify!($e) }; ($x:expr) => ($x); ($x:expr, $($y:expr),+) => (min($x, m!($($y),+))) }',
  );
  assert.ok(def);
  assert.equal(def.name, 'm');
  assert.equal(def.rules.length, 3);
  assert.equal(expandMacro(def.rules, '1 + 2'), '(1 + 2)', 'an expr fragment stays one expression');
  assert.equal(expandMacro(def.rules, '5, 2 * 3, 4'), 'min(5, m!(2 * 3, 4))');
  assert.equal(expandMacro(def.rules, 'eval (1 + 2) * (3 / 4)'), '"(1 + 2) * (3 / 4)"');
  assert.equal(expandMacro(def.rules, 'eval { let x = 1u32; x * x - 1 }'), '"{ let x = 1u32; x * x - 1 }"');
  assert.equal(expandMacro(def.rules, ''), undefined, 'no rule matches nothing');
  assert.equal(parseMacroRules('macro_rules! broken { ($x:expr) => '), undefined);
});

test('macro_rules! in expression and statement position, recursive, variadic, with stringify!', (t) => {
  const src = [
    'macro_rules! say_hello {',
    '    () => { println!("Hello!") };',
    '}',
    'macro_rules! find_min {',
    '    ($x:expr) => ($x);',
    '    ($x:expr, $($y:expr),+) => ( std::cmp::min($x, find_min!($($y),+)) )',
    '}',
    'macro_rules! calculate {',
    '    (eval $e:expr) => {{',
    '        let val: usize = $e;',
    '        println!("{} = {}", stringify!{$e}, val);',
    '    }};',
    '    (eval $e:expr, $(eval $es:expr),+) => {{',
    '        calculate! { eval $e }',
    '        calculate! { $(eval $es),+ }',
    '    }};',
    '}',
    'macro_rules! test {',
    '    ($left:expr; and $right:expr) => {',
    '        println!("{:?} and {:?} is {:?}", stringify!($left), stringify!($right), $left && $right)',
    '    };',
    '}',
    'macro_rules! square_sum {',
    '    ($($x:expr),*) => { 0 $(+ $x * $x)* };',
    '}',
    'fn main() {',
    '    say_hello!();',
    '    println!("{} {}", find_min!(5, 2 * 3, 4), find_min!(1 + 2, 2));',
    '    calculate! { eval 1 + 2, eval (2 * 3) + 1 }',
    '    test!(1i32 + 1 == 2i32; and 2i32 * 2 == 4i32);',
    '    println!("{}", square_sum!(1 + 1, 3));',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'macro_rules', src);
  assert.equal(run.stdout[run.stdout.length - 1], '13', 'an expr fragment keeps its grouping: (1 + 1) * (1 + 1) + 3 * 3');
});
