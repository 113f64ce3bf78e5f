// The document store: incremental LSP edits applied in order give the same text as
// vscode-languageserver-textdocument (an independent implementation) and the same tree as a
// fresh parse, node by node, positions included (UTF-16 columns; emoji are surrogate pairs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type Parser from 'tree-sitter';
import { DocumentStore, type ContentChange } from '../../server/src/lsp/documents';
import { lineOffsets, offsetAt, positionAt, looksBinary } from '../../server/src/base/text';
import { parseRust } from '../../server/src/syntax/parser';

/** Every node's type, indices and points, in document order. */
function shape(tree: Parser.Tree): string[] {
  const out: string[] = [];
  const cursor = tree.walk();
  let done = false;
  while (!done) {
    const n = cursor.currentNode;
    out.push(
      `${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}`,
    );
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
    }
  }
  return out;
}

function assertSameAsFresh(store: DocumentStore, uri: string, oracle: TextDocument): void {
  const doc = store.get(uri)!;
  assert.equal(doc.text, oracle.getText());
  const fresh = parseRust(doc.text);
  assert.equal(doc.tree.rootNode.toString(), fresh.rootNode.toString());
  assert.deepEqual(shape(doc.tree), shape(fresh));
}

const START = ['fn main() {', '    let s = String::from("வணக்கம் 🦀");', '    let t = s;', '    println!("{}", s);', '}', ''].join('\n');

/** One change per code point of `typed`, appended on `line` starting at column 0. */
function typing(line: number, typed: string): ContentChange[][] {
  const out: ContentChange[][] = [];
  let col = 0;
  for (const ch of typed) {
    out.push([{ range: r(line, col, line, col), text: ch }]);
    col += ch.length;
  }
  return out;
}

function r(sl: number, sc: number, el: number, ec: number) {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

test('incremental edits (ASCII, Tamil, emoji, line breaks) match the text oracle and a fresh parse', () => {
  const store = new DocumentStore();
  const uri = 'file:///a.rs';
  let oracle = TextDocument.create(uri, 'rust', 1, START);
  store.open(uri, 'rust', 1, START);
  assertSameAsFresh(store, uri, oracle);

  // Each batch is one didChange: the changes inside apply in order.
  const batches: ContentChange[][] = [
    // `let t = s;` → `let t = s.clone();` (after the emoji line: columns are UTF-16)
    [{ range: r(2, 13, 2, 13), text: '.clone()' }],
    // replace the crab (a surrogate pair, 2 UTF-16 units) with Tamil text
    [{ range: r(1, 37, 1, 39), text: 'உலகம்' }],
    // two changes in one event: insert a line, then edit the line that moved down
    [
      { range: r(1, 0, 1, 0), text: '    let e = "😀😀";\n' },
      { range: r(3, 8, 3, 9), text: 'tt' },
    ],
    // delete across lines, insert an emoji mid-identifier (a syntax error), then remove it
    [{ range: r(0, 11, 2, 0), text: '\n' }],
    [{ range: r(1, 7, 1, 7), text: '🦀' }],
    [{ range: r(1, 7, 1, 9), text: '' }],
    // CRLF inserted, then edits on the lines after it
    [{ range: r(0, 11, 0, 11), text: '\r\n    let n = 1;' }],
    [{ range: r(1, 12, 1, 13), text: '42' }],
    // typing a whole new function one character at a time (code points, so 🦀-safe)
    ...typing(6, 'fn f(x: &str) -> usize { x.len() } // ✓'),
  ];
  let version = 1;
  for (const batch of batches) {
    version++;
    store.change(uri, version, batch);
    oracle = TextDocument.update(oracle, batch, version);
    assertSameAsFresh(store, uri, oracle);
  }
  assert.match(store.get(uri)!.text, /let tt = s\.clone\(\);/);
  assert.match(store.get(uri)!.text, /fn f\(x: &str\) -> usize \{ x\.len\(\) \} \/\/ ✓/);
  assert.equal(store.get(uri)!.version, version);
});

test('pseudo-random edits over non-ASCII text stay equal to a fresh parse', () => {
  const store = new DocumentStore();
  const uri = 'file:///b.rs';
  let oracle = TextDocument.create(uri, 'rust', 1, START);
  store.open(uri, 'rust', 1, START);
  const pieces = ['', 'x', '🦀', 'க்', ' ', '\n', '{', '}', 'let a = "é";\n', ';', '(', '"', '\r\n'];
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let version = 2; version < 200; version++) {
    const text = oracle.getText();
    let a = rand(text.length + 1);
    let b = Math.min(text.length, a + rand(6));
    // never split a surrogate pair or a CRLF: editors do not send such ranges
    const inside = (o: number) =>
      o > 0 &&
      o < text.length &&
      ((text.charCodeAt(o) >= 0xdc00 && text.charCodeAt(o) <= 0xdfff) || (text[o - 1] === '\r' && text[o] === '\n'));
    while (inside(a)) a--;
    while (inside(b)) b++;
    const change: ContentChange = { range: { start: oracle.positionAt(a), end: oracle.positionAt(b) }, text: pieces[rand(pieces.length)] };
    store.change(uri, version, [change]);
    oracle = TextDocument.update(oracle, [change], version);
    assertSameAsFresh(store, uri, oracle);
  }
});

test('a full-text change replaces the document and drops the cached analysis', () => {
  const store = new DocumentStore();
  const uri = 'file:///c.rs';
  store.open(uri, 'rust', 1, START);
  const a1 = store.analysisOf(uri);
  assert.ok(a1);
  assert.equal(store.analysisOf(uri), a1, 'cached for the same version');
  store.change(uri, 2, [{ text: 'fn main() {}\n' }]);
  const a2 = store.analysisOf(uri);
  assert.notEqual(a2, a1);
  assert.equal(a2!.text, 'fn main() {}\n');
  assert.equal(store.get(uri)!.tree.rootNode.toString(), parseRust('fn main() {}\n').rootNode.toString());
  store.close(uri);
  assert.equal(store.get(uri), undefined);
  assert.equal(store.change(uri, 3, [{ text: '' }]), undefined);
});

test('offsetAt/positionAt agree with vscode-languageserver-textdocument on mixed line breaks', () => {
  const text = 'a\r\nβ🦀\rc\n\nd';
  const doc = TextDocument.create('file:///d.rs', 'rust', 1, text);
  const offsets = lineOffsets(text);
  for (let o = 0; o <= text.length; o++) {
    assert.deepEqual(positionAt(text, o, offsets), doc.positionAt(o), `offset ${o}`);
  }
  for (let line = 0; line < 7; line++) {
    for (let character = 0; character < 6; character++) {
      assert.equal(offsetAt(text, { line, character }, offsets), doc.offsetAt({ line, character }), `${line}:${character}`);
    }
  }
});

test('binary detection: NUL bytes or many control characters, not ordinary source', () => {
  assert.equal(looksBinary('fn main() {}\n\tlet x = 1;\r\n'), false);
  assert.equal(looksBinary(''), false);
  assert.equal(looksBinary('fn main() {\0}'), true);
  assert.equal(looksBinary('\x01\x02\x03abcdefg'), true);
});
