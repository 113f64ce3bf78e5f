// The tree mirror (syntax/cst.ts) says what tree-sitter's node API says, for every node of every
// fixture and of a generated multi-module file, built from scratch and reusing the items of an
// earlier version after edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SyntaxNode } from 'tree-sitter';
import { MirrorCache, mirrorTree, type CstNode } from '../../server/src/syntax/cst';
import { parseRust } from '../../server/src/syntax/parser';
import { DocumentStore } from '../../server/src/lsp/documents';
import { positionAt } from '../../server/src/base/text';
import { fixturesDir, listFixtures } from '../support/fixtures';
import { generateModules } from '../bench/generate';

/** Differences between the mirror and tree-sitter's nodes, as `path: what` lines (at most 5). */
function compare(m: CstNode, n: SyntaxNode, where = 'root', out: string[] = []): string[] {
  if (out.length >= 5) return out;
  const facts = (x: CstNode | SyntaxNode) => [
    x.type,
    x.startIndex,
    x.endIndex,
    x.startPosition.row,
    x.startPosition.column,
    x.endPosition.row,
    x.endPosition.column,
    x.text,
  ];
  const a = JSON.stringify(facts(m));
  const b = JSON.stringify(facts(n));
  if (a !== b) out.push(`${where}: mirror ${a} tree-sitter ${b}`);
  if (m.children.length !== n.children.length || m.namedChildren.length !== n.namedChildren.length) {
    out.push(
      `${where}: ${m.children.length}/${m.namedChildren.length} children, tree-sitter ${n.children.length}/${n.namedChildren.length}`,
    );
    return out;
  }
  for (const field of ['name', 'body', 'type', 'value', 'pattern', 'parameters', 'function', 'arguments', 'left', 'right']) {
    const fm = m.childForFieldName(field);
    const fn = n.childForFieldName(field);
    if ((fm === null) !== (fn === null) || (fm && fn && fm.startIndex !== fn.startIndex)) out.push(`${where}: field ${field} differs`);
  }
  m.children.forEach((c, i) => compare(c, n.children[i], `${where}/${i}:${c.type}`, out));
  return out;
}

test('the mirror of every fixture equals tree-sitter`s tree', () => {
  const dir = fixturesDir();
  const texts = listFixtures(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
  texts.push(['generated', generateModules(600)], ['non-ASCII and CRLF', 'fn main() {\r\n    let s = "é€😀";\r\n    let t = s;\r\n}\r\n']);
  for (const [name, text] of texts) {
    const tree = parseRust(text);
    assert.deepEqual(compare(mirrorTree(tree, text), tree.rootNode), [], name);
  }
});

test('a mirror that reuses the unchanged items of the previous version equals tree-sitter`s tree', () => {
  const text = generateModules(600);
  const store = new DocumentStore();
  store.open('file:///m.rs', 'rust', 1, text);
  const cache = new MirrorCache();
  cache.mirror(store.get('file:///m.rs')!.tree, text);
  const edits = ['\n', 'x', '}', 'fn f() {}\n', '\n\n\n', '{'];
  for (let k = 0; k < 30; k++) {
    const cur = store.get('file:///m.rs')!.text;
    const at = Math.floor((((k * 7919) % 997) / 997) * cur.length);
    store.change('file:///m.rs', k + 2, [
      { range: { start: positionAt(cur, at), end: positionAt(cur, at) }, text: edits[k % edits.length] },
    ]);
    const doc = store.get('file:///m.rs')!;
    const m = cache.mirror(doc.tree, doc.text);
    assert.ok(cache.reused > 0, 'items were reused');
    assert.deepEqual(compare(m, doc.tree.rootNode), [], `after edit ${k + 1}`);
  }
});
