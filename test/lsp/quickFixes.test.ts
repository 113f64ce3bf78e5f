// The quick fixes of each error code over the built language server, as an editor applies them:
// `textDocument/codeAction` on the published diagnostic offers the fix (kind `quickfix`, tied to
// that diagnostic), its `WorkspaceEdit` applied to the document gives the expected text, and the
// server then publishes no error. (That rustc accepts the fixed fixtures: `npm run oracle`.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lspClient';

const lines = (...l: string[]): string => l.join('\n') + '\n';

interface Case {
  code: string;
  title: RegExp;
  before: string;
  after: string;
}

const CASES: Case[] = [
  {
    code: 'E0716',
    title: /^Create a longer lived value/,
    before: lines('fn main() {', '    let t = String::from("  a  ").trim();', '    println!("{}", t);', '}'),
    after: lines('fn main() {', '    let binding = String::from("  a  ");', '    let t = binding.trim();', '    println!("{}", t);', '}'),
  },
  {
    code: 'E0597',
    title: /^Save the tail expression in a local `x`/,
    before: lines(
      'use std::cell::RefCell;',
      'fn n() -> usize {',
      '    let c = RefCell::new(vec![1]);',
      '    c.borrow().len()',
      '}',
      'fn main() {',
      '    println!("{}", n());',
      '}',
    ),
    after: lines(
      'use std::cell::RefCell;',
      'fn n() -> usize {',
      '    let c = RefCell::new(vec![1]);',
      '    let x = c.borrow().len(); x',
      '}',
      'fn main() {',
      '    println!("{}", n());',
      '}',
    ),
  },
  {
    code: 'E0597',
    title: /^Move the declaration of `s` out of the block/,
    before: lines(
      'fn main() {',
      '    let r;',
      '    {',
      '        let s = String::from("a");',
      '        r = &s;',
      '    }',
      '    println!("{}", r);',
      '}',
    ),
    after: lines(
      'fn main() {',
      '    let r;',
      '    let s = String::from("a");',
      '    {',
      '        r = &s;',
      '    }',
      '    println!("{}", r);',
      '}',
    ),
  },
  {
    code: 'E0597',
    title: /^Move the declaration of `c` before `n`/,
    before: lines(
      'use std::cell::RefCell;',
      'fn main() {',
      '    let n;',
      '    {',
      '        let c = RefCell::new(5);',
      '        n = c.borrow();',
      '    }',
      '    println!("{}", n);',
      '}',
    ),
    after: lines(
      'use std::cell::RefCell;',
      'fn main() {',
      '    let c = RefCell::new(5);',
      '    let n;',
      '    {',
      '        n = c.borrow();',
      '    }',
      '    println!("{}", n);',
      '}',
    ),
  },
  {
    code: 'E0597',
    title: /^Declare `s` before `l`/,
    before: lines(
      "struct L<'a> { v: Vec<&'a str> }",
      "impl<'a> Drop for L<'a> { fn drop(&mut self) {} }",
      'fn main() {',
      '    let mut l = L { v: Vec::new() };',
      '    let s = String::from("a");',
      '    l.v.push(&s);',
      '}',
    ),
    after: lines(
      "struct L<'a> { v: Vec<&'a str> }",
      "impl<'a> Drop for L<'a> { fn drop(&mut self) {} }",
      'fn main() {',
      '    let s = String::from("a");',
      '    let mut l = L { v: Vec::new() };',
      '    l.v.push(&s);',
      '}',
    ),
  },
  {
    code: 'E0502',
    title: /^Let `first` hold a copy of `v\[0\]`/,
    before: lines('fn main() {', '    let mut v = vec![1];', '    let first = &v[0];', '    v.push(2);', '    println!("{}", first);', '}'),
    after: lines('fn main() {', '    let mut v = vec![1];', '    let first = v[0];', '    v.push(2);', '    println!("{}", first);', '}'),
  },
  {
    code: 'E0502',
    title: /^Let `top` hold a clone/,
    before: lines(
      'fn main() {',
      '    let mut s = vec![String::from("a")];',
      '    let top = s.last().unwrap();',
      '    s.pop();',
      '    println!("{}", top);',
      '}',
    ),
    after: lines(
      'fn main() {',
      '    let mut s = vec![String::from("a")];',
      '    let top = s.last().unwrap().clone();',
      '    s.pop();',
      '    println!("{}", top);',
      '}',
    ),
  },
  {
    code: 'E0502',
    title: /^Store `v\.len\(\)` in a local `len`/,
    before: lines('fn main() {', '    let mut v = vec![3, 2, 1];', '    v.swap(0, v.len() - 1);', '    println!("{:?}", v);', '}'),
    after: lines(
      'fn main() {',
      '    let mut v = vec![3, 2, 1];',
      '    let len = v.len();',
      '    v.swap(0, len - 1);',
      '    println!("{:?}", v);',
      '}',
    ),
  },
  {
    code: 'E0502',
    title: /^Move this use of `first` before the mutable borrow/,
    before: lines(
      'fn main() {',
      '    let mut v = vec![1];',
      '    let first = &v[0];',
      '    v.push(2);',
      '    let n = *first + 1;',
      '    println!("{}", n);',
      '}',
    ),
    after: lines(
      'fn main() {',
      '    let mut v = vec![1];',
      '    let first = &v[0];',
      '    let n = *first + 1;',
      '    v.push(2);',
      '    println!("{}", n);',
      '}',
    ),
  },
  {
    code: 'E0502',
    title: /^Pass a clone of `s`/,
    before: lines('fn main() {', '    let mut s = String::from("a");', '    s.push_str(&s);', '    println!("{}", s);', '}'),
    after: lines('fn main() {', '    let mut s = String::from("a");', '    s.push_str(&s.clone());', '    println!("{}", s);', '}'),
  },
  {
    code: 'E0373',
    title: /^Make it a `move` closure/,
    before: lines(
      'fn adder(step: i32) -> impl Fn(i32) -> i32 {',
      '    |x| x + step',
      '}',
      'fn main() {',
      '    println!("{}", adder(1)(2));',
      '}',
    ),
    after: lines(
      'fn adder(step: i32) -> impl Fn(i32) -> i32 {',
      '    move |x| x + step',
      '}',
      'fn main() {',
      '    println!("{}", adder(1)(2));',
      '}',
    ),
  },
  {
    code: 'E0499',
    title: /^Borrow `t` mutably for `b` after the last use of `a`/,
    before: lines(
      'fn main() {',
      '    let mut t = String::new();',
      '    let a = &mut t;',
      '    let b = &mut t;',
      "    a.push('x');",
      "    b.push('y');",
      '}',
    ),
    after: lines(
      'fn main() {',
      '    let mut t = String::new();',
      '    let a = &mut t;',
      "    a.push('x');",
      '    let b = &mut t;',
      "    b.push('y');",
      '}',
    ),
  },
  {
    code: 'E0499',
    title: /^Borrow both elements at once/,
    before: lines(
      'fn main() {',
      '    let mut v = vec![1, 2];',
      '    let a = v.get_mut(0).unwrap();',
      '    let b = v.get_mut(1).unwrap();',
      '    *a += *b;',
      '}',
    ),
    after: lines(
      'fn main() {',
      '    let mut v = vec![1, 2];',
      '    let [a, b] = v.get_disjoint_mut([0, 1]).unwrap();',
      '    *a += *b;',
      '}',
    ),
  },
  {
    code: 'E0382',
    title: /^Borrow `s` in the pattern \(`ref s`\)/,
    before: lines(
      'fn main() {',
      '    let o = Some(String::from("a"));',
      '    if let Some(s) = o {',
      '        println!("{}", s);',
      '    }',
      '    println!("{:?}", o);',
      '}',
    ),
    after: lines(
      'fn main() {',
      '    let o = Some(String::from("a"));',
      '    if let Some(ref s) = o {',
      '        println!("{}", s);',
      '    }',
      '    println!("{:?}", o);',
      '}',
    ),
  },
  {
    code: 'E0382',
    title: /^Borrow `v` instead of moving it \(`&v`\)/,
    before: lines(
      'fn show<T: std::fmt::Debug>(x: T) -> String {',
      '    format!("{:?}", x)',
      '}',
      'fn main() {',
      '    let v = vec![1];',
      '    let s = show(v);',
      '    println!("{} {:?}", s, v);',
      '}',
    ),
    after: lines(
      'fn show<T: std::fmt::Debug>(x: T) -> String {',
      '    format!("{:?}", x)',
      '}',
      'fn main() {',
      '    let v = vec![1];',
      '    let s = show(&v);',
      '    println!("{} {:?}", s, v);',
      '}',
    ),
  },
];

/** `text` with a `TextEdit[]` of one `WorkspaceEdit` applied (all positions in the original, as LSP says). */
function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number => starts[p.line] + p.character;
  let out = text;
  for (const e of [...edits].sort((x, y) => off(y.range.start) - off(x.range.start) || off(y.range.end) - off(x.range.end)))
    out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

describe('quick fixes of each error code over stdio', { timeout: 180_000 }, () => {
  const client = new LspClient();
  before(async () => {
    await client.initialize();
  });
  after(() => client.kill());

  CASES.forEach((c, i) => {
    it(`${c.code}: ${c.title.source}`, async () => {
      const uri = `file:///work/fixture/quick_fix_${i}.rs`;
      const published = client.waitForDiagnostics(uri, (p) => p.version === 1);
      await client.open(uri, c.before);
      const { diagnostics } = await published;
      const d = diagnostics.find((x) => x.code === c.code);
      assert.ok(d, `a ${c.code} among ${JSON.stringify(diagnostics.map((x) => x.code))}`);
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      })) as CodeAction[];
      const fix = actions.find((a) => c.title.test(a.title));
      assert.ok(fix, `no action like ${c.title} among ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(fix.kind, 'quickfix');
      assert.deepEqual(fix.diagnostics, [d]);
      const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
      assert.deepEqual(change.textDocument, { uri, version: 1 });
      const text = applyTextEdits(c.before, change.edits);
      assert.equal(text, c.after);
      const cleared = client.waitForDiagnostics(uri, (p) => p.version === 2);
      await client.change(uri, [{ text }]);
      assert.deepEqual((await cleared).diagnostics, []);
      await client.close(uri);
    });
  });
});
