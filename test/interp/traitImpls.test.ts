/**
 * Several impls of one generic trait for the same type (`impl TryFrom<u32> for Even`,
 * `impl TryFrom<i64> for Even`): `Even::try_from(x)` calls the impl whose parameter takes `x`'s
 * type, as rustc selects it (it called the first impl: a wrong value, not marked unknown).
 * Compiled and run by the installed rustc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRun } from '../support/rustc';

test('Type::try_from picks the TryFrom impl by the argument type', (t) => {
  const src = [
    'use std::convert::TryFrom;',
    'struct Even(u32);',
    'impl TryFrom<u32> for Even {',
    '    type Error = String;',
    '    fn try_from(v: u32) -> Result<Self, String> {',
    '        if v % 2 == 0 { Ok(Even(v)) } else { Err(format!("{} is odd", v)) }',
    '    }',
    '}',
    'impl TryFrom<i64> for Even {',
    '    type Error = String;',
    '    fn try_from(v: i64) -> Result<Self, String> {',
    '        if v >= 0 && v % 2 == 0 { Ok(Even(v as u32)) } else { Err(String::from("bad i64")) }',
    '    }',
    '}',
    'fn main() {',
    '    let a = Even::try_from(4u32).map(|e| e.0);',
    '    let b = Even::try_from(3u32).map(|e| e.0);',
    '    let c = Even::try_from(3i64).map(|e| e.0);',
    '    let d = Even::try_from(8i64).map(|e| e.0);',
    '    println!("{:?} {:?} {:?} {:?}", a, b, c, d);',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'try_from_by_arg', src);
  assert.equal(run.stdout[0], 'Ok(4) Err("3 is odd") Err("bad i64") Ok(8)');
});
