// Precision first (docs/architecture.md, "Invariants"): where the engine cannot know a type, a
// trait object's lifetimes, what a macro it does not expand does, or what unsafe code reaches
// through a raw pointer, it reports nothing. Each case is paired with the same program made
// known, on which the engine does report rustc's error, so that the silence is the unknown's
// doing and the test can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';

/** The borrow-check codes the engine reports on `src` (sorted, duplicates kept). */
function codes(src: string): string[] {
  return analyze(src)
    .diagnostics.map((d) => String(d.code ?? ''))
    .filter((c) => /^E0\d{3}$/.test(c))
    .sort();
}

const cases: { name: string; unknown: string; known: string; code: string }[] = [
  {
    name: 'a value of a type from another crate (Copy or not is unknown) used twice',
    unknown: `use other_crate::Thing;
fn main() { let t = Thing::new(); let _u = t; let _v = t; }`,
    known: `struct Thing { s: String }
impl Thing { fn new() -> Thing { Thing { s: String::new() } } }
fn main() { let t = Thing::new(); let _u = t; let _v = t; }`,
    code: 'E0382',
  },
  {
    name: 'a generic parameter with a bound from another crate (it may imply Copy)',
    unknown: `fn f<T: other_crate::Marker>(t: T) { let _a = t; let _b = t; }
fn main() {}`,
    known: `fn f<T>(t: T) { let _a = t; let _b = t; }
fn main() {}`,
    code: 'E0382',
  },
  {
    name: 'a method of a trait object whose trait is unknown',
    unknown: `fn f(x: &mut dyn other_crate::Store) { let r = x.get(); x.set(1); println!("{:?}", r); }
fn main() {}`,
    known: `struct Store { v: i32 }
impl Store { fn get(&self) -> &i32 { &self.v } fn set(&mut self, v: i32) { self.v = v; } }
fn f(x: &mut Store) { let r = x.get(); x.set(1); println!("{:?}", r); }
fn main() {}`,
    code: 'E0502',
  },
  {
    name: 'a macro the engine does not expand (it may move or mutate its argument)',
    unknown: `fn main() {
    let v = vec![String::new()];
    other_crate::consume!(v);
    let w = vec![1];
    let r = &w;
    mystery!(w);
    println!("{:?} {:?}", v, r);
}`,
    known: `fn main() {
    let v = vec![String::new()];
    drop(v);
    println!("{:?}", v);
}`,
    code: 'E0382',
  },
  {
    name: 'writes through raw pointers in unsafe blocks hold no loan (rustc accepts)',
    unknown: `fn main() {
    let mut v = vec![1, 2, 3];
    let p: *mut Vec<i32> = &mut v;
    let first = &v[0];
    unsafe { (*p).push(4) };
    println!("{}", first);
    let q = &mut v as *mut Vec<i32>;
    let r = &mut v;
    unsafe { (*q).clear() };
    r.push(1);
}`,
    known: `fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    v.push(4);
    println!("{}", first);
}`,
    code: 'E0502',
  },
];

for (const c of cases) {
  test(`silent where unknown: ${c.name}`, () => {
    assert.deepEqual(codes(c.unknown), [], 'no borrow-check diagnostic where the engine cannot know');
    assert.deepEqual(codes(c.known), [c.code], `the known variant gets rustc's ${c.code}`);
  });
}
