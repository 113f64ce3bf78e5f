/**
 * The quick fixes written from a diagnostic's labels (server/src/ide/scopeFixes.ts): the text
 * each writes, and the cases where an edit could change the program's meaning and none is
 * offered. That rustc accepts the fixed fixtures is checked by `npm run oracle`; the LSP round
 * trip by test/lsp/quickFixes.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { applyEdits, quickFixesAt } from '../../server/src/ide/quickFixes';

const lines = (...l: string[]): string => l.join('\n') + '\n';

/** The titles of the fixes of the (only) diagnostic with `code`. */
function titles(src: string, code: string): string[] {
  const a = analyze(src);
  const d = a.diagnostics.filter((x) => x.code === code);
  assert.equal(d.length, 1, `one ${code} expected, got ${a.diagnostics.map((x) => `${x.code} ${x.message}`).join(' | ')}`);
  return quickFixesAt(a, d[0].range).map((f) => f.title);
}

/** The program after the fix titled like `title` of the (only) diagnostic with `code`. */
function fixed(src: string, code: string, title: RegExp): string {
  const a = analyze(src);
  const d = a.diagnostics.filter((x) => x.code === code);
  assert.equal(d.length, 1, `one ${code} expected, got ${a.diagnostics.map((x) => `${x.code} ${x.message}`).join(' | ')}`);
  const fixes = quickFixesAt(a, d[0].range);
  const f = fixes.find((x) => title.test(x.title));
  assert.ok(f, `no fix like ${title} among ${fixes.map((x) => x.title).join(' | ')}`);
  const out = applyEdits(src, f.edits);
  assert.deepEqual(
    analyze(out).diagnostics.map((x) => `${x.code} ${x.message}`),
    [],
    `the fixed program still has errors:\n${out}`,
  );
  return out;
}

test('E0716: `let binding` for the temporary, before the statement', () => {
  const src = lines('fn main() {', '    let t = String::from("  a  ").trim();', '    println!("{}", t);', '}');
  assert.equal(
    fixed(src, 'E0716', /^Create a longer lived value/),
    lines('fn main() {', '    let binding = String::from("  a  ");', '    let t = binding.trim();', '    println!("{}", t);', '}'),
  );
});

test('E0716: a fresh name when `binding` is taken; none when a call runs before the temporary', () => {
  const src = lines(
    'fn main() {',
    '    let binding = 1;',
    '    let t = String::from("a").as_str();',
    '    println!("{} {}", t, binding);',
    '}',
  );
  assert.match(fixed(src, 'E0716', /^Create/), /let binding_1 = String::from\("a"\);\n {4}let t = binding_1\.as_str\(\);/);
  const effect = lines(
    'fn log() -> usize { println!("log"); 1 }',
    'fn pick(_: usize, s: &str) -> &str { s }',
    'fn main() {',
    '    let t = pick(log(), String::from("a").as_str());',
    '    println!("{}", t);',
    '}',
  );
  assert.ok(!titles(effect, 'E0716').some((t) => t.startsWith('Create')));
});

test('E0597: a tail expression saved in `x` (edition 2021)', () => {
  const src = lines(
    'use std::cell::RefCell;',
    'fn count() -> usize {',
    '    let cell = RefCell::new(vec![1, 2]);',
    '    cell.borrow().len()',
    '}',
    'fn main() {',
    '    println!("{}", count());',
    '}',
  );
  assert.match(fixed(src, 'E0597', /^Save the tail expression/), /^ {4}let x = cell\.borrow\(\)\.len\(\); x$/m);
});

test('E0597: the declaration of an inner block moved before the block, with its comment', () => {
  const src = lines(
    'fn main() {',
    '    let r;',
    '    {',
    '        let s = String::from("a"); // the owner',
    '        r = &s;',
    '    }',
    '    println!("{}", r);',
    '}',
  );
  assert.equal(
    fixed(src, 'E0597', /^Move the declaration of `s`/),
    lines(
      'fn main() {',
      '    let r;',
      '    let s = String::from("a"); // the owner',
      '    {',
      '        r = &s;',
      '    }',
      '    println!("{}", r);',
      '}',
    ),
  );
});

test('E0597: no move out of the block when the name is used after it', () => {
  const shadow = lines(
    'fn main() {',
    '    let s = 1;',
    '    let r;',
    '    {',
    '        let s = String::from("a");',
    '        r = &s;',
    '    }',
    '    println!("{} {}", r, s);',
    '}',
  );
  assert.ok(!titles(shadow, 'E0597').some((t) => t.startsWith('Move')));
});

test('E0597: before an earlier local whose drop may use the borrow (a `Ref` guard), only for a value of literals', () => {
  const guard = (init: string): string =>
    lines(
      'use std::cell::RefCell;',
      'fn main() {',
      '    let len;',
      '    {',
      `        let cell = RefCell::new(${init});`,
      '        len = cell.borrow();',
      '    }',
      '    println!("{}", len.len());',
      '}',
    );
  assert.match(
    fixed(guard('vec![1]'), 'E0597', /^Move the declaration of `cell` before `len`/),
    /^ {4}let cell = RefCell::new\(vec!\[1\]\);\n {4}let len;\n {4}\{\n {8}len = cell\.borrow\(\);$/m,
  );
  assert.ok(!titles(guard('std::env::args().collect::<Vec<_>>()'), 'E0597').some((t) => t.startsWith('Move')));
});

test('E0597: a value declared before the holder whose Drop uses the borrow; only when made of literals', () => {
  const src = (init: string): string =>
    lines(
      "struct L<'a> { v: Vec<&'a str> }",
      'impl<\'a> Drop for L<\'a> { fn drop(&mut self) { println!("{}", self.v.len()); } }',
      'fn main() {',
      '    let mut l = L { v: Vec::new() };',
      `    let s = ${init};`,
      '    l.v.push(&s);',
      '}',
    );
  const out = fixed(src('String::from("a")'), 'E0597', /^Declare `s` before `l`/);
  assert.match(out, /let s = String::from\("a"\);\n {4}let mut l = L/);
  assert.ok(!titles(src('std::env::args().next().unwrap()'), 'E0597').some((t) => t.startsWith('Declare')));
});

test('E0502: the binding holds a copy / clone when it is only formatted later', () => {
  const index = lines(
    'fn main() {',
    '    let mut v = vec![1];',
    '    let first = &v[0];',
    '    v.push(2);',
    '    println!("{first}");',
    '}',
  );
  assert.match(fixed(index, 'E0502', /^Let `first` hold a copy of `v\[0\]`/), /let first = v\[0\];/);
  const option = lines(
    'fn main() {',
    '    let mut q = vec![3, 1];',
    '    let head = q.first();',
    '    q.push(1);',
    '    println!("{:?}", head);',
    '}',
  );
  assert.match(fixed(option, 'E0502', /^Let `head` hold a copy/), /let head = q\.first\(\)\.copied\(\);/);
  const text = lines(
    'fn main() {',
    '    let mut s = String::from("a");',
    '    let v = s.as_str();',
    '    s.push_str("b");',
    '    println!("{}", v);',
    '}',
  );
  assert.match(fixed(text, 'E0502', /^Let `v` hold a clone/), /let v = s\.as_str\(\)\.to_string\(\);/);
});

test('E0502: no copy when a later use needs the reference', () => {
  const deref = lines(
    'fn main() {',
    '    let mut v = vec![1];',
    '    let first = &v[0];',
    '    v.push(2);',
    '    let n = *first + 1;',
    '    println!("{}", n);',
    '}',
  );
  assert.ok(!titles(deref, 'E0502').some((t) => t.startsWith('Let `first`')));
  const pointer = lines(
    'fn main() {',
    '    let mut v = vec![1];',
    '    let first = &v[0];',
    '    v.push(2);',
    '    println!("{:p}", first);',
    '}',
  );
  assert.ok(!titles(pointer, 'E0502').some((t) => t.startsWith('Let `first`')));
});

test('E0502: `v.len()` stored in a local before the statement that borrows `v` mutably', () => {
  const src = lines('fn main() {', '    let mut v = vec![3, 2, 1];', '    v[v.len() - 1] = 0;', '    println!("{:?}", v);', '}');
  assert.match(fixed(src, 'E0502', /^Store `v\.len\(\)` in a local `len`/), /^ {4}let len = v\.len\(\);\n {4}v\[len - 1\] = 0;$/m);
  const effect = lines(
    'fn tick() -> usize { println!("tick"); 0 }',
    'fn main() {',
    '    let mut v = vec![3, 2, 1];',
    '    v.swap(tick(), v.len() - 1);',
    '    println!("{:?}", v);',
    '}',
  );
  assert.ok(!titles(effect, 'E0502').some((t) => t.startsWith('Store')));
});

test('E0502: the last use of the borrow moved before the mutation, when it reads nothing else', () => {
  const src = lines(
    'fn main() {',
    '    let mut v = vec![1];',
    '    let first = &v[0];',
    '    v.push(2);',
    '    let n = *first + 1;',
    '    println!("{}", n);',
    '}',
  );
  assert.equal(
    fixed(src, 'E0502', /^Move this use of `first` before the mutable borrow/),
    lines(
      'fn main() {',
      '    let mut v = vec![1];',
      '    let first = &v[0];',
      '    let n = *first + 1;',
      '    v.push(2);',
      '    println!("{}", n);',
      '}',
    ),
  );
  const readsV = lines(
    'fn main() {',
    '    let mut v = vec![4, 9];',
    '    let b = v.iter().max().unwrap();',
    '    v.sort();',
    '    println!("{} {:?}", b, v);',
    '}',
  );
  assert.ok(!titles(readsV, 'E0502').some((t) => t.startsWith('Move this use')));
  const prints = lines(
    'fn main() {',
    '    let mut v = vec![1];',
    '    let first = &v[0];',
    '    v.push(2);',
    '    println!("pushed");',
    '    println!("{}", first);',
    '}',
  );
  assert.ok(!titles(prints, 'E0502').some((t) => t.startsWith('Move this use')));
});

test('E0502: an argument of the mutating call reads a clone', () => {
  const src = lines('fn main() {', '    let mut s = String::from("a");', '    s.push_str(&s);', '    println!("{}", s);', '}');
  assert.match(fixed(src, 'E0502', /^Pass a clone of `s`/), /s\.push_str\(&s\.clone\(\)\);/);
});

test('E0499: the second `&mut` taken after the last use of the first', () => {
  const src = lines(
    'fn main() {',
    '    let mut t = String::from("a");',
    '    let a = &mut t;',
    '    let b = &mut t;',
    "    a.push('b');",
    '    println!("{}", a);',
    "    b.push('c');",
    '}',
  );
  assert.equal(
    fixed(src, 'E0499', /^Borrow `t` mutably for `b` after the last use of `a`/),
    lines(
      'fn main() {',
      '    let mut t = String::from("a");',
      '    let a = &mut t;',
      "    a.push('b');",
      '    println!("{}", a);',
      '    let b = &mut t;',
      "    b.push('c');",
      '}',
    ),
  );
});

test('E0499: no reordering when the statements passed over name the second borrow or pass the first on', () => {
  const named = lines(
    'fn main() {',
    '    let mut t = 1;',
    '    let a = &mut t;',
    '    let b = &mut t;',
    '    *a += 1;',
    '    println!("{}", b);',
    '    *a += 1;',
    '}',
  );
  assert.ok(!titles(named, 'E0499').some((t) => t.startsWith('Borrow `t`')));
  const passed = lines(
    'fn keep(_: &mut i32) {}',
    'fn main() {',
    '    let mut t = 1;',
    '    let a = &mut t;',
    '    let b = &mut t;',
    '    keep(a);',
    '    *b += 1;',
    '}',
  );
  assert.ok(!titles(passed, 'E0499').some((t) => t.startsWith('Borrow `t`')));
  // A chain: moving `b` after `*a += 1` passes over `let c = &mut t;`, still live there (rustc
  // rejects the result with E0499 between `b` and `c`).
  const chain = lines(
    'fn main() {',
    '    let mut t = 0;',
    '    let a = &mut t;',
    '    let b = &mut t;',
    '    let c = &mut t;',
    '    *a += 1;',
    '    *b += 1;',
    '    *c += 1;',
    '}',
  );
  const a = analyze(chain);
  const all = a.diagnostics.filter((d) => d.code === 'E0499').flatMap((d) => quickFixesAt(a, d.range).map((f) => f.title));
  assert.equal(a.diagnostics.filter((d) => d.code === 'E0499').length, 2);
  assert.ok(!all.includes('Borrow `t` mutably for `b` after the last use of `a`'), all.join(' | '));
});

test('E0499: two elements borrowed at once with `get_disjoint_mut`', () => {
  const src = lines(
    'fn main() {',
    '    let mut v = vec![1.0, 2.0, 3.0];',
    '    let a = v.get_mut(0).unwrap();',
    '    let b = v.get_mut(2).unwrap();',
    '    *a += *b;',
    '    println!("{:?}", v);',
    '}',
  );
  assert.match(
    fixed(src, 'E0499', /get_disjoint_mut/),
    /^ {4}let \[a, b\] = v\.get_disjoint_mut\(\[0, 2\]\)\.unwrap\(\);\n {4}\*a \+= \*b;$/m,
  );
});

test('E0382: `ref` in the pattern when the binding is only read; not when it is moved on', () => {
  const src = (use: string): string =>
    lines(
      'fn take(_: String) {}',
      'fn main() {',
      '    let o = Some(String::from("a"));',
      '    if let Some(s) = o {',
      `        ${use};`,
      '    }',
      '    println!("{:?}", o);',
      '}',
    );
  assert.match(fixed(src('println!("{} {}", s, s.len())'), 'E0382', /^Borrow `s` in the pattern/), /if let Some\(ref s\) = o \{/);
  assert.ok(!titles(src('take(s)'), 'E0382').some((t) => t.includes('in the pattern')));
});

test('E0382: `&arg` for a generic parameter that is only formatted', () => {
  const src = (bound: string): string =>
    lines(
      `fn show<T: ${bound}>(value: T) -> String {`,
      '    format!("{:?}", value)',
      '}',
      'fn main() {',
      '    let v = vec![1];',
      '    let s = show(v);',
      '    println!("{} {}", s, v.len());',
      '}',
    );
  assert.match(fixed(src('std::fmt::Debug'), 'E0382', /^Borrow `v` instead of moving it \(`&v`\)/), /let s = show\(&v\);/);
  assert.ok(!titles(src("std::fmt::Debug + Send + 'static"), 'E0382').some((t) => t.includes('(`&v`)')));
});

test('E0373: `move` closure when what it takes is Copy or not used after it', () => {
  const src = (captured: string, after: string): string =>
    lines(
      'use std::thread;',
      'fn main() {',
      '    let v = vec![1, 2];',
      '    let n = 3;',
      '    let h = thread::spawn(|| {',
      `        println!("{:?}", ${captured});`,
      '    });',
      '    h.join().unwrap();',
      `    println!("{:?}", ${after});`,
      '}',
    );
  assert.match(fixed(src('n', 'n'), 'E0373', /^Make it a `move` closure/), /thread::spawn\(move \|\| \{/);
  assert.match(fixed(src('v', 'n'), 'E0373', /^Make it a `move` closure/), /thread::spawn\(move \|\| \{/);
  assert.ok(!titles(src('v', 'v'), 'E0373').some((t) => t.includes('`move`')));
});
