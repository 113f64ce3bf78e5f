/**
 * What the extension contributes for highlighting (syntaxes/): only the grammar of its own
 * read-only memory text view, never anything for `source.rust` (rust-analyzer owns Rust's
 * grammar and semantic tokens). The grammar is run with vscode-textmate + Oniguruma, VS Code's
 * own engine, on the CLI's text rendering of snapshots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { renderSnapshotText } from '../../shared/render/text';
import { handBuiltFreedAndDangling, handBuiltStringMove } from '../support/handBuiltSnapshots';
import { repoRoot } from '../support/fixtures';

const root = repoRoot();
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const grammarPath = path.join(root, 'syntaxes', 'rust-memory-snapshot.tmLanguage.json');

test('contributes no Rust grammar and no semantic tokens', () => {
  const c = pkg.contributes ?? {};
  for (const g of c.grammars ?? []) {
    assert.notEqual(g.scopeName, 'source.rust');
    assert.notEqual(g.language, 'rust');
    assert.ok(!g.injectTo, 'no injection into other grammars');
  }
  assert.equal(c.semanticTokenTypes, undefined);
  assert.equal(c.semanticTokenModifiers, undefined);
  assert.equal(c.semanticTokenScopes, undefined);
  for (const l of c.languages ?? []) assert.notEqual(l.id, 'rust', 'does not redefine the rust language');
  for (const f of fs.readdirSync(path.join(root, 'syntaxes'))) {
    const g = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes', f), 'utf8'));
    assert.notEqual(g.scopeName, 'source.rust', `${f} must not be a Rust grammar`);
  }
});

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'text.rust-memory-snapshot' ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const g = await registry.loadGrammar('text.rust-memory-snapshot');
  assert.ok(g, 'the grammar loads');
  return g!;
}

/** Every token of `text` as [its text, its scopes joined]. */
function tokenize(g: textmate.IGrammar, text: string): [string, string][] {
  let stack = textmate.INITIAL;
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push([line.slice(t.startIndex, t.endIndex), t.scopes.join(' ')]);
    stack = r.ruleStack;
  }
  return out;
}

function scopeOf(tokens: [string, string][], text: string): string {
  const t = tokens.find(([s]) => s === text);
  assert.ok(
    t,
    `a token is exactly ${JSON.stringify(text)}; tokens: ${JSON.stringify(
      tokens
        .map(([s]) => s)
        .filter((s) => s.trim())
        .slice(0, 80),
    )}`,
  );
  return t![1];
}

test('the memory text view is highlighted: status, frames, ids, strings, moved and freed states', async () => {
  const g = await loadGrammar();
  const moved = tokenize(g, renderSnapshotText(handBuiltStringMove()));
  assert.match(scopeOf(moved, 'after line '), /markup\.heading\.status/);
  assert.match(scopeOf(moved, 'step 4 of 6'), /comment\.line\.step/);
  assert.match(scopeOf(moved, '`main`'), /markup\.inline\.raw/);
  assert.match(scopeOf(moved, 'moved to y at 6:13'), /markup\.deleted\.moved/);
  assert.match(scopeOf(moved, '→'), /keyword\.operator\.points-to/);
  assert.match(scopeOf(moved, '"wilspi"'), /string\.quoted\.double/);
  assert.match(scopeOf(moved, 'Stack (newest frame on top)'), /markup\.heading\.section/);
  assert.match(scopeOf(moved, 'main'), /entity\.name\.function/);
  assert.match(scopeOf(moved, 'move'), /keyword\.other\.event/);
  assert.ok(
    moved.some(([s, sc]) => s.includes('│') && /punctuation\.separator\.table/.test(sc)),
    'table borders are punctuation',
  );

  const freed = tokenize(g, renderSnapshotText(handBuiltFreedAndDangling()));
  assert.match(scopeOf(freed, 'freed'), /invalid\.illegal\.heap-state/);
  assert.match(scopeOf(freed, 'dropped'), /markup\.deleted\.state/);
  assert.match(scopeOf(freed, '(dangling)'), /invalid\.illegal\.dangling/);

  // Errors and the output so far.
  const withError = {
    ...handBuiltStringMove(),
    errors: [
      {
        code: 'E0382',
        message: 'borrow of moved value: `x`',
        range: { start: { line: 6, character: 20 }, end: { line: 6, character: 21 } },
        here: true,
      },
    ],
    output: [{ stream: 'stdout' as const, text: 'wilspi\n', step: 2, notReal: true }],
  };
  const err = tokenize(g, renderSnapshotText(withError));
  assert.match(scopeOf(err, 'error[E0382]: borrow of moved value: `x`'), /invalid\.illegal\.error/);
  assert.match(scopeOf(err, 'Output'), /markup\.heading\.section/);
  assert.match(scopeOf(err, '(not a real run)'), /invalid\.illegal\.not-real/);
});
