/**
 * `collect()` into `Result<Vec<_>, _>` / `Option<Vec<_>>` (the first `Err`/`None`, else the
 * values), and `parse::<T>()` called where the type checker does not know the receiver (a closure
 * parameter): the turbofish gives the target. Compiled and run by rustc: the same output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRun } from '../support/rustc';

test('collect into Result and Option; parse::<T> in a closure; a range stepped by next()', (t) => {
  const src = [
    'fn main() {',
    '    let strings = vec!["tofu", "93", "18"];',
    '    let all: Vec<_> = strings.clone().into_iter().map(|s| s.parse::<i32>()).collect();',
    '    println!("{:?}", all);',
    '    let first_err: Result<Vec<_>, _> = strings.clone().into_iter().map(|s| s.parse::<i32>()).collect();',
    '    println!("{:?}", first_err);',
    '    let ok: Result<Vec<i32>, std::num::ParseIntError> = vec!["1", "2"].into_iter().map(|s| s.parse::<i32>()).collect();',
    '    println!("{:?}", ok);',
    '    let some: Option<Vec<i32>> = vec![Some(1), Some(2)].into_iter().collect();',
    '    let none: Option<Vec<i32>> = vec![Some(1), None].into_iter().collect();',
    '    println!("{:?} {:?}", some, none);',
    '    let mut r = 0..2;',
    '    println!("{:?} {:?} {:?}", r.next(), r.next(), r.next());',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'collect_result', src);
  assert.equal(run.stdout[1], 'Err(ParseIntError { kind: InvalidDigit })');
});
