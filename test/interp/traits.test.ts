/**
 * Trait calls the simulation resolves at run time, as rustc's monomorphisation and vtables do:
 * a method of a `Box<dyn Trait>` by the pointee's type, a trait function by the destination's
 * type (`let s: Sheep = Animal::new(..)`, `Default::default()`, `x.into()` through the matching
 * `From<X>` among several), and operators on user types through their `std::ops` impls. Each
 * program is compiled and run by the installed rustc: the simulation must print the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRun } from '../support/rustc';

test('dyn dispatch, trait functions by the expected type, From impls by argument type, user operators', (t) => {
  const src = [
    'use std::ops::Add;',
    'trait Animal {',
    '    fn new(name: &str) -> Self where Self: Sized;',
    '    fn noise(&self) -> String;',
    '    fn speak(&self) { println!("says {}", self.noise()); }',
    '}',
    'struct Sheep { name: String }',
    'struct Cow;',
    'impl Animal for Sheep {',
    '    fn new(name: &str) -> Sheep { Sheep { name: name.to_string() } }',
    '    fn noise(&self) -> String { format!("{}: baaah", self.name) }',
    '}',
    'impl Animal for Cow {',
    '    fn new(_name: &str) -> Cow { Cow }',
    '    fn noise(&self) -> String { String::from("moo") }',
    '}',
    '#[derive(Debug, Default)]',
    'struct Config { level: u8, name: String }',
    '#[derive(Debug)]',
    'struct Number { value: i64 }',
    'impl From<i32> for Number { fn from(v: i32) -> Self { Number { value: v as i64 * 10 } } }',
    'impl From<&str> for Number { fn from(s: &str) -> Self { Number { value: s.len() as i64 } } }',
    '#[derive(Debug, Clone, Copy)]',
    'struct V(i32, i32);',
    'impl Add for V { type Output = V; fn add(self, o: V) -> V { V(self.0 + o.0, self.1 + o.1) } }',
    'fn pick(n: i32) -> Box<dyn Animal> { if n > 0 { Box::new(Cow) } else { Box::new(Sheep::new("Dolly")) } }',
    'fn main() {',
    '    let dolly: Sheep = Animal::new("Dolly");',
    '    dolly.speak();',
    '    let zoo: Vec<Box<dyn Animal>> = vec![pick(1), pick(0)];',
    '    for a in zoo.iter() { println!("{}", a.noise()); }',
    '    let c: Config = Default::default();',
    '    println!("{:?}", c);',
    '    let a: Number = 4.into();',
    '    let b: Number = "hello".into();',
    '    println!("{:?} {:?}", a, b);',
    '    println!("{:?}", V(1, 2) + V(10, 20));',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'trait_dispatch', src);
  assert.deepEqual(run.stdout.slice(0, 3), ['says Dolly: baaah', 'moo', 'Dolly: baaah']);
});

test("`?` converts the error with the file's From impl, or into a Box<dyn Error>", (t) => {
  const src = [
    'use std::fmt;',
    'use std::num::ParseIntError;',
    '#[derive(Debug)]',
    'enum AppError { Parse(ParseIntError), Empty }',
    'impl From<ParseIntError> for AppError { fn from(e: ParseIntError) -> Self { AppError::Parse(e) } }',
    '#[derive(Debug)]',
    'struct EmptyVec;',
    'impl fmt::Display for EmptyVec {',
    '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "invalid first item") }',
    '}',
    'impl std::error::Error for EmptyVec {}',
    'fn parse(s: &str) -> Result<i32, AppError> { if s.is_empty() { return Err(AppError::Empty); } let n = s.parse::<i32>()?; Ok(n) }',
    'fn first(v: Vec<&str>) -> Result<i32, Box<dyn std::error::Error>> {',
    '    let f = v.first().ok_or(EmptyVec)?;',
    '    let n = f.parse::<i32>()?;',
    '    Ok(n * 2)',
    '}',
    'fn main() {',
    '    println!("{:?} {:?} {:?}", parse("7"), parse("x"), parse(""));',
    '    match first(vec![]) { Ok(n) => println!("{}", n), Err(e) => println!("Error: {}", e) }',
    '    match first(vec!["q"]) { Ok(n) => println!("{}", n), Err(e) => println!("Error: {}", e) }',
    '    match first(vec!["21"]) { Ok(n) => println!("{}", n), Err(e) => println!("Error: {}", e) }',
    '}',
    '',
  ].join('\n');
  const run = checkedRun(t, 'question_mark_from', src);
  assert.equal(run.stdout[1], 'Error: invalid first item');
});
