/**
 * `mem::size_of_val` (the pointee's layout; a slice's or str's length times its element size)
 * and `as` casts of field-less enums to their discriminants (written or implicit). Compiled and
 * run by rustc: the same output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRun } from '../support/rustc';

test('size_of_val of values, slices and str; enum discriminants by as', (t) => {
  const src = [
    'use std::mem;',
    'struct Point { x: f64, y: f64 }',
    'enum Color { Red = 0xff0000, Green = 0x00ff00, Blue = 0x0000ff }',
    'enum Number { Zero, One, Two, Ten = 10, Eleven }',
    'fn main() {',
    '    let p = Point { x: 0.0, y: 1.0 };',
    '    let b = Box::new(Point { x: 1.0, y: 2.0 });',
    '    let a = [1u16, 2, 3];',
    '    println!("{} {} {} {}", mem::size_of_val(&p), mem::size_of_val(&b), mem::size_of_val(&a), mem::size_of_val(&a[..2]));',
    '    println!("{} {} {}", mem::size_of_val("héllo"), mem::size_of_val(&1u8), mem::size_of_val(&p.x));',
    '    println!("#{:06x} #{:06x} {}", Color::Red as u32, Color::Blue as i32, Color::Green as u8);',
    '    println!("{} {} {}", Number::One as i32, Number::Ten as i64, Number::Eleven as u8);',
    '    let _ = (p.y, b.x, Number::Zero as i32, Number::Two as i32);',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'sizes_casts', src);
  assert.equal(run.stdout[0], '16 8 6 4');
});
