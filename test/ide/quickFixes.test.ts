/**
 * Quick fixes (server/src/ide/quickFixes.ts): the text each fix writes, on small programs, one
 * per kind of fix. That rustc then accepts the fixed programs is checked on every fixture by
 * `npm run oracle` (test/tools/fixes.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { applyEdits, quickFixesAt } from '../../server/src/ide/quickFixes';

/** The program after the fix titled like `title` of the (only) diagnostic with `code`. */
function fixed(src: string, code: string, title: RegExp): string {
  const a = analyze(src);
  const d = a.diagnostics.filter((x) => x.code === code);
  assert.equal(d.length, 1, `one ${code} expected, got ${a.diagnostics.map((x) => x.code).join(' ')}`);
  const fixes = quickFixesAt(a, d[0].range);
  const f = fixes.find((x) => title.test(x.title));
  assert.ok(f, `no fix like ${title} among ${fixes.map((x) => x.title).join(' | ')}`);
  assert.equal(f.diagnostic, d[0]);
  return applyEdits(src, f.edits);
}

const lines = (...l: string[]): string => l.join('\n') + '\n';

test('E0382: clone at the move, preferred', () => {
  const src = lines('fn main() {', '    let s = String::from("a");', '    let t = s;', '    println!("{} {}", s, t);', '}');
  assert.equal(fixed(src, 'E0382', /^Clone `s`/), src.replace('let t = s;', 'let t = s.clone();'));
  const [first] = quickFixesAt(analyze(src));
  assert.ok(first.preferred && /^Clone/.test(first.title));
});

test('E0382: struct shorthand gets `field: field.clone()`', () => {
  const src = lines(
    'struct U { email: String }',
    'fn main() {',
    '    let email = String::from("a@b");',
    '    let u = U { email };',
    '    println!("{} {}", email, u.email);',
    '}',
  );
  assert.match(fixed(src, 'E0382', /^Clone/), /U \{ email: email\.clone\(\) \}/);
});

test('E0382: borrow instead of move changes the parameter and every call', () => {
  const src = lines(
    'fn takes(text: String) -> usize {',
    '    text.len()',
    '}',
    'fn main() {',
    '    let g = String::from("hello");',
    '    takes(String::from("x"));',
    '    takes(g);',
    '    println!("{}", g);',
    '}',
  );
  const out = fixed(src, 'E0382', /^Borrow `g` instead/);
  assert.match(out, /fn takes\(text: &String\)/);
  assert.match(out, /takes\(&String::from\("x"\)\);/);
  assert.match(out, /takes\(&g\);/);
});

test('E0382: no borrow fix when the callee moves its parameter', () => {
  const src = lines(
    'fn keep(text: String) -> Vec<String> {',
    '    vec![text]',
    '}',
    'fn main() {',
    '    let g = String::from("hello");',
    '    keep(g);',
    '    println!("{}", g);',
    '}',
  );
  const titles = quickFixesAt(analyze(src)).map((f) => f.title);
  assert.ok(titles.some((t) => t.startsWith('Clone')));
  assert.ok(!titles.some((t) => t.startsWith('Borrow')), titles.join(' | '));
});

test('E0382: a `for` loop over a Vec iterates over `&v`', () => {
  const src = lines(
    'fn main() {',
    '    let v = vec![String::new()];',
    '    for w in v {',
    '        println!("{}", w);',
    '    }',
    '    println!("{}", v.len());',
    '}',
  );
  assert.match(fixed(src, 'E0382', /^Iterate/), /for w in &v \{/);
});

test('E0384 / E0596: `mut` on the binding', () => {
  const a = lines('fn main() {', '    let x = 1;', '    x = 2;', '    println!("{}", x);', '}');
  assert.match(fixed(a, 'E0384', /^Make `x` mutable/), /let mut x = 1;/);
  const b = lines('fn main() {', '    let v = Vec::new();', '    v.push(1);', '    println!("{:?}", v);', '}');
  assert.match(fixed(b, 'E0596', /^Make `v` mutable/), /let mut v = Vec::new\(\);/);
});

test('E0596: `&mut` in the parameter type and at the caller, `mut` on the caller binding', () => {
  const src = lines(
    'fn add(v: &Vec<i32>) {',
    '    v.push(1);',
    '}',
    'fn main() {',
    '    let v = vec![0];',
    '    add(&v);',
    '    println!("{:?}", v);',
    '}',
  );
  const out = fixed(src, 'E0596', /mutable reference/);
  assert.match(out, /fn add\(v: &mut Vec<i32>\)/);
  assert.match(out, /add\(&mut v\);/);
  assert.match(out, /let mut v = vec!\[0\];/);
});

test('E0381: assign a value after the type annotation', () => {
  const src = lines('fn main() {', '    let n: i32;', '    println!("{}", n);', '}');
  assert.match(fixed(src, 'E0381', /^Initialise/), /let n: i32 = 0;/);
  const s = lines('fn main() {', '    let s: String;', '    println!("{}", s);', '}');
  assert.match(fixed(s, 'E0381', /^Initialise/), /let s: String = Default::default\(\);/);
});

test('E0506 / E0505: borrow a clone (`&x.clone()`, the temporary lives as long as the reference)', () => {
  const src = lines(
    'fn main() {',
    '    let mut level = 1;',
    '    let seen = &level;',
    '    level = 2;',
    '    println!("{} {}", seen, level);',
    '}',
  );
  assert.match(fixed(src, 'E0506', /^Borrow a clone/), /let seen = &level\.clone\(\);/);
});

test('E0515: return an owned String', () => {
  const src = lines(
    "fn label(id: u32) -> &'static str {",
    '    let s = format!("item-{}", id);',
    '    s.as_str()',
    '}',
    'fn main() {',
    '    println!("{}", label(7));',
    '}',
  );
  const out = fixed(src, 'E0515', /^Return an owned `String`/);
  assert.match(out, /fn label\(id: u32\) -> String \{/);
  assert.match(out, /s\.as_str\(\)\.to_string\(\)/);
});

test('fixes are only offered for the diagnostics in the range', () => {
  const src = lines('fn main() {', '    let x = 1;', '    x = 2;', '    println!("{}", x);', '}');
  const a = analyze(src);
  assert.equal(quickFixesAt(a, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }).length, 0);
  assert.ok(quickFixesAt(a, { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } }).length > 0);
});

test('E0382: clone before moving into a closure (rustc: `let value = name.clone();`)', () => {
  const src = lines(
    'fn main() {',
    '    let name = String::from("a");',
    '    let greet = move || println!("{}", name);',
    '    greet();',
    '    println!("{}", name);',
    '}',
  );
  const out = fixed(src, 'E0382', /before moving it into the closure/);
  assert.match(out, / {4}let value = name\.clone\(\);\n {4}let greet = move \|\| println!\("\{\}", value\);/);
  assert.match(out, /println!\("\{\}", name\);\n\}/);
});

test('E0507: clone instead of moving out of a reference; `*r` becomes `r.clone()`', () => {
  const a = lines(
    'struct P { name: String }',
    'fn get(p: &P) -> String {',
    '    p.name',
    '}',
    'fn main() {',
    '    println!("{}", get(&P { name: String::new() }));',
    '}',
  );
  assert.match(fixed(a, 'E0507', /^Clone the value/), / {4}p\.name\.clone\(\)\n/);
  const b = lines(
    'fn main() {',
    '    let s = String::from("a");',
    '    let r = &s;',
    '    let t = *r;',
    '    println!("{} {}", s, t);',
    '}',
  );
  assert.match(fixed(b, 'E0507', /^Clone the value/), /let t = r\.clone\(\);/);
});
