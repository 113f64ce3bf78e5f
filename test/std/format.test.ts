/**
 * core::fmt in the simulation (`std/sim/format.ts`): user `Display`/`Debug` impls run, derived
 * `Debug` (`{:?}` and the pretty `{:#?}`) of structs, tuple structs, unit structs, enum
 * variants of every shape, collections; width, fill, alignment, sign, `#`, zero padding,
 * precision, counts given as arguments (`w$`, `.prec$`, `.*`); floats as core prints them
 * (never an exponent in Display, `1e16` in Debug, f32 digits); `write!` into a String. Each
 * program is compiled and run by the installed rustc: the simulation must print the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRun } from '../support/rustc';

const checked = checkedRun;

test('format specs, user Display, derived Debug (pretty too), floats and f32 as rustc prints them', (t) => {
  const src = [
    'use std::fmt;',
    '#[derive(Debug)]',
    'struct Unit;',
    '#[derive(Debug)]',
    'struct Pair(i32, f64);',
    '#[derive(Debug)]',
    "struct Person { name: String, age: u8, tags: Vec<&'static str> }",
    '#[derive(Debug)]',
    'enum Shape { Circle { r: f64 }, Square(u32), Empty }',
    'struct Celsius(f32);',
    'impl fmt::Display for Celsius {',
    '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {',
    '        write!(f, "{:.1}\u00b0C", self.0)',
    '    }',
    '}',
    'struct List(Vec<i32>);',
    'impl fmt::Display for List {',
    '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {',
    '        write!(f, "[")?;',
    '        for (i, v) in self.0.iter().enumerate() {',
    '            if i != 0 { write!(f, ", ")?; }',
    '            write!(f, "{}", v)?;',
    '        }',
    '        write!(f, "]")',
    '    }',
    '}',
    'fn main() {',
    '    let p = Person { name: String::from("Ann \\"A\\""), age: 7, tags: vec!["x", "y"] };',
    '    println!("{:?} {:?}", Unit, Pair(1, 2.5));',
    '    println!("{:?}", p);',
    '    println!("{:#?}", p);',
    '    println!("{:?} {:?} {:?}", Shape::Circle { r: 1.0 }, Shape::Square(3), Shape::Empty);',
    '    println!("{:#?}", (1, "a", Some(Shape::Square(2))));',
    '    println!("{} {}", Celsius(21.55), List(vec![1, 2, 3]));',
    '    let w = 8;',
    '    let prec = 2;',
    '    println!("[{:>8}] [{:<6}] [{:^7}] [{:*^9}] [{:08.3}] [{:+}]", "ab", 42, "mid", "x", 3.14159, 5);',
    '    println!("[{:>w$}] [{:.prec$}] [{:.*}] [{:w$.prec$}]", 7, 1.23456, 3, 2.0f64 / 3.0, 9.87654);',
    '    println!("{:#x} {:#b} {:o} {:X} {:#010x} {:x}", 255, 5, 8, 255, 255, -1i8);',
    '    println!("{} {} {} {:?} {:?} {:?}", 1e21, 1.0e-7, 0.1 + 0.2, 1e16, 1.5e-5, 1.0);',
    '    println!("{} {:?} {} {:e}", 1.0f32 / 3.0, 0.1f32, f64::MAX, 1234.5);',
    "    println!(\"{:?} {:?} {:?}\", 'a', '\\'', \"tab\\there\\n\");",
    '    println!("{:5}|{:<5}|{:^5}|{:>5}", true, \'c\', 1.5, "\u00e9");',
    '    println!("{:?}", vec![Some(1), None]);',
    '    println!("{:#?}", vec![(1, \'a\')]);',
    '    let v: Vec<i32> = Vec::new();',
    '    println!("{:?} {:#?}", v, v);',
    '    println!("{:?} {:?}", b"ab", &b"xy\\n"[..]);',
    '    print!("end");',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'format_specs', src);
  // Spot checks that hold without rustc too.
  assert.equal(run.stdout[0], 'Unit Pair(1, 2.5)');
  assert.equal(run.stdout[run.stdout.length - 1], 'end', 'a last print! without a newline');
});

test('write! into a String grows it as push_str does; writeln! adds the newline', (t) => {
  const src = [
    'use std::fmt::Write;',
    'fn main() {',
    '    let mut s = String::new();',
    '    write!(s, "{}-{}", 1, "two").unwrap();',
    '    writeln!(s, " [{:>4}]", 3).unwrap();',
    '    print!("{}", s);',
    '    println!("{} {}", s.len(), s.capacity());',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'write_string', src);
  assert.equal(run.stdout[0], '1-two [   3]');
});

test('to_string of a user Display: its text, and the capacity of a String written piece by piece', (t) => {
  const src = [
    'use std::fmt;',
    'struct Circle { radius: i32 }',
    'impl fmt::Display for Circle {',
    '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {',
    '        write!(f, "Circle of radius {}", self.radius)',
    '    }',
    '}',
    'fn main() {',
    '    let s = Circle { radius: 6 }.to_string();',
    '    println!("{} {} {}", s, s.len(), s.capacity());',
    '    println!("[{:>22}] [{:<8}]", s, Circle { radius: 1 });',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'to_string_display', src);
  assert.equal(run.stdout[1], '[    Circle of radius 6] [Circle of radius 1]', 'a user fmt that writes with write! ignores the width');
});

test('std numeric constants: i32::MAX, u8::MIN, u64::BITS, f64::EPSILON, f32::MAX, consts::PI', (t) => {
  const src = [
    'fn main() {',
    '    println!("{} {} {} {}", i32::MAX, i64::MIN, u8::MIN, u64::BITS);',
    '    println!("{} {} {}", f64::EPSILON, f32::MAX, std::f64::consts::PI);',
    '    println!("{:?} {}", f64::MAX, f32::MIN_POSITIVE);',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'std_consts', src);
  assert.equal(run.stdout[0], '2147483647 -9223372036854775808 0 64');
});
