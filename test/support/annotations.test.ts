/**
 * Self-test of the fixture annotation parser (test/support/annotations.ts) and of the oracle's
 * item extraction, so that a harness bug cannot make fixture tests pass or fail for nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAnnotations, splitPairs, matchErrors, missingLabels, sameType } from './annotations';
import { layoutItems } from '../tools/oracle';

const SAMPLE = [
  '//@ rustc: parse-error', //                                             1
  'fn main() {', //                                                        2
  '    let s = String::from("hi");', //                                    3
  '//      ^ hover: name=s type=String size=24 align=8 location=stack targetSize=2 state=owned', // 4
  '//                  ^ hover: name=from type="fn (i32, i32)" len=null', // 5
  '    let t = s;', //                                                     6
  '    println!("{}", s); //~ ERROR E0382 borrow of moved value: `s`', //  7
  '    //~| ENGINE E0505', //                                              8
  '    let u = t;', //                                                     9
  '//~^ ERROR E0382', //                                                  10
  '//~^^^^ ERROR E0499', //                                               11
  '//                 ^ hover: state="moved to `y` at 3:13"', //            12  (caret past the end of line 11)
  '}', //                                                                 13
].join('\n');

test('error annotations: same line, ^ above, | same as previous, message, ENGINE', () => {
  const a = parseAnnotations(SAMPLE);
  const errs = a.errors.map((e) => [e.kind, e.code, e.line, e.message ?? null]);
  assert.deepEqual(errs, [
    ['ERROR', 'E0382', 7, 'borrow of moved value: `s`'],
    ['ENGINE', 'E0505', 7, null],
    ['ERROR', 'E0382', 9, null],
    ['ERROR', 'E0499', 7, null],
  ]);
  assert.equal(a.directives.parseError, true);
});

test('hover annotations: caret column, stacked caret lines, quoted values, numbers and null', () => {
  const a = parseAnnotations(SAMPLE);
  assert.equal(a.hovers.length, 2);
  const [s, from] = a.hovers;
  assert.deepEqual({ line: s.line, character: s.character, word: s.word }, { line: 2, character: 8, word: 's' });
  assert.deepEqual(s.expect, { name: 's', type: 'String', size: 24, align: 8, location: 'stack', targetSize: 2, state: 'owned' });
  // The second caret line still refers to the code line above the first caret line.
  assert.deepEqual({ line: from.line, character: from.character, word: from.word }, { line: 2, character: 20, word: 'from' });
  assert.deepEqual(from.expect, { name: 'from', type: 'fn (i32, i32)', len: null });
  // Line 12's caret sits under a space of line 11 (a `//~^^^^` comment): reported, not dropped.
  assert.equal(a.problems.length, 1);
  assert.equal(a.problems[0].line, 12);
  assert.match(a.problems[0].message, /not under an identifier/);
});

test('malformed annotations are problems, never silently ignored', () => {
  const bad = [
    'fn main() {',
    '    let x = 1; //~ ERROR borrow of moved value',
    '    let y = 2; //~ EROR E0382',
    '//      ^ hover: colour=red',
    '//      ^ hover: name=x',
    '//      ^ hover: size=big type=i32',
    '//      ^ hover: size=4',
    '//      ^ hover: state="unterminated',
    '//@ mystery: yes',
    '//~| ERROR E0382',
    '}',
  ].join('\n');
  const a = parseAnnotations(bad);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(a.hovers, []);
  assert.deepEqual(
    a.problems.map((p) => p.line),
    [2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.match(a.problems[0].message, /expected an error code/);
  assert.match(a.problems[1].message, /malformed/);
  assert.match(a.problems[2].message, /unknown hover key `colour`/);
  assert.match(a.problems[3].message, /caret is under `y`/);
  assert.match(a.problems[4].message, /whole number/);
  assert.match(a.problems[5].message, /must also give type/);
  assert.match(a.problems[6].message, /unterminated/);
  assert.match(a.problems[7].message, /unknown directive/);
  assert.match(a.problems[8].message, /no annotation on a line above/);
});

test('label annotations: secondary spans, checked as a subset', () => {
  const text = [
    'fn main() {',
    '    let s = String::new(); //~ LABEL E0382 move occurs because `s` has type `String`',
    '    let t = s; //~ LABEL E0382 value moved here',
    '    drop(s); //~ ERROR E0382',
    '    //~| LABEL E0382 value used here',
    '}',
    '// stray: //~ LABEL E0382',
  ].join('\n');
  const a = parseAnnotations(text);
  assert.deepEqual(
    a.labels.map((l) => [l.code, l.line, l.message]),
    [
      ['E0382', 2, 'move occurs because `s` has type `String`'],
      ['E0382', 3, 'value moved here'],
      ['E0382', 4, 'value used here'],
    ],
  );
  assert.deepEqual(
    a.errors.map((e) => [e.code, e.line]),
    [['E0382', 4]],
  );
  assert.deepEqual(
    a.problems.map((p) => p.line),
    [7],
    'a LABEL needs its text',
  );
  const found = [
    {
      code: 'E0382',
      line: 4,
      message: 'use of moved value: `s`',
      labels: [
        { line: 3, message: 'value moved here' },
        { line: 2, message: 'move occurs because `s` has type `String`, which ...' },
        { line: 9, message: 'extra' },
      ],
    },
  ];
  assert.deepEqual(
    missingLabels(a.labels, found).map((l) => l.line),
    [4],
  );
  assert.deepEqual(missingLabels(a.labels, [{ ...found[0], code: 'E0505' }]).length, 3, 'labels belong to an error with the same code');
});

test('a `//~|` with nothing before it is a problem', () => {
  const a = parseAnnotations('fn main() {} //~| ERROR E0382');
  assert.deepEqual(a.errors, []);
  assert.equal(a.problems.length, 1);
});

test('splitPairs: bare and quoted values', () => {
  assert.deepEqual(splitPairs('a=1 b="two words" c=`x`'), [
    ['a', '1'],
    ['b', 'two words'],
    ['c', '`x`'],
  ]);
  assert.equal(typeof splitPairs('novalue'), 'string');
  assert.equal(typeof splitPairs('a="x"y'), 'string');
});

test('matchErrors is a multiset match on (code, line) with message substrings', () => {
  const found = [
    { code: 'E0382', line: 7, message: 'borrow of moved value: `first`' },
    { code: 'E0382', line: 7, message: 'borrow of moved value: `second`' },
    { code: 'E0499', line: 9, message: 'cannot borrow' },
  ];
  const r = matchErrors(
    [
      { code: 'E0382', line: 7 },
      { code: 'E0382', line: 7, message: '`second`' },
      { code: 'E0382', line: 8 },
    ],
    found,
  );
  assert.deepEqual(r.missing, [{ code: 'E0382', line: 8 }]);
  assert.deepEqual(r.unexpected, [found[2]]);
  assert.deepEqual(r.messageMismatch, []);
  const once = matchErrors([{ code: 'E0382', line: 7 }], found.slice(0, 2));
  assert.equal(once.unexpected.length, 1, 'a second error on the same line must be annotated too');
  const wrongMsg = matchErrors([{ code: 'E0499', line: 9, message: 'use of moved' }], found.slice(2));
  assert.equal(wrongMsg.messageMismatch.length, 1);
  assert.deepEqual(wrongMsg.unexpected, []);
});

test('sameType ignores whitespace only', () => {
  assert.ok(sameType('(i32, i32)', '(i32,i32)'));
  assert.ok(sameType('[u8; 3]', '[u8;3]'));
  assert.ok(!sameType('&str', '&String'));
});

test('oracle: layoutItems keeps use/struct/enum/type/trait items with attributes, drops fns and impls', () => {
  const src = [
    'use std::rc::Rc;',
    '// a comment with { braces',
    '#[derive(Debug)]',
    '#[repr(C)]',
    "struct A { s: &'static str, c: char }",
    "const BRACE: char = '{';",
    'impl A { fn f(&self) -> &str { "}" } }',
    'enum E { X(u8), Y { z: [u8; 2] } }',
    'fn main() { let r = r#"}"#; }',
    'pub type T = (A, E);',
    'struct Unit;',
    'trait Shape { fn area(&self) -> f64; }',
  ].join('\n');
  const items = layoutItems(src);
  assert.deepEqual(
    items.map((i) =>
      i
        .split('\n')
        .filter((l) => !l.startsWith('//'))
        .join(' '),
    ),
    [
      'use std::rc::Rc;',
      "#[derive(Debug)] #[repr(C)] struct A { s: &'static str, c: char }",
      'enum E { X(u8), Y { z: [u8; 2] } }',
      'pub type T = (A, E);',
      'struct Unit;',
      'trait Shape { fn area(&self) -> f64; }',
    ],
  );
});

test('`//~ MEM` marks a golden memory snapshot after its line (or the line above with ^, a visit with visit=N)', () => {
  const a = parseAnnotations('fn main() {\n    let x = 1; //~ MEM\n    let y = 2;\n//~^ MEM visit=2\n    x; //~ MEM twice\n}\n');
  assert.deepEqual(
    a.mems.map((m) => [m.line, m.visit]),
    [
      [2, 1],
      [3, 2],
    ],
  );
  assert.deepEqual(
    a.problems.map((p) => p.line),
    [5],
  );
});
