// The editor features over the built language server, as an editor drives them: quick fixes
// (`textDocument/codeAction`, applied, then the squiggle is gone), lifetime highlights
// (`textDocument/documentHighlight` and `rustMemory/lifetime`, agreeing with the borrow
// checker's own loans) and the lifetime lines of the hover.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  InlayHintRequest,
  type InlayHint,
  DocumentHighlightKind,
  DocumentHighlightRequest,
  HoverRequest,
  type CodeAction,
  type DocumentHighlight,
  type MarkupContent,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lspClient';
import { lifetimeRequest } from '../../shared/protocol';
import { analyze } from '../../server/src/engine/engine';

const MOVE = ['fn main() {', '    let s = String::from("a");', '    let t = s;', '    println!("{} {}", s, t);', '}', ''].join('\n');
const BORROWS = [
  'fn main() {',
  '    let mut v = vec![1, 2, 3];',
  '    let first = &v[0];',
  '    println!("{}", first);',
  '    let r = &mut v;',
  '    r.push(4);',
  '    let s = String::from("hi");',
  '    let t = s;',
  '    println!("{:?} {}", v, t);',
  '}',
  '',
].join('\n');

describe('editor features over stdio', { timeout: 180_000 }, () => {
  const client = new LspClient();
  before(async () => {
    await client.initialize();
  });
  after(() => client.kill());

  it('offers the clone quick fix for E0382; applying it clears the squiggle', async () => {
    const uri = 'file:///work/fixture/fix_move.rs';
    const published = client.waitForDiagnostics(uri, (p) => p.version === 1);
    await client.open(uri, MOVE);
    const { diagnostics } = await published;
    assert.equal(diagnostics.length, 1);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.kind, 'quickfix');
    assert.match(fix.title, /^Clone `s`/);
    assert.deepEqual(fix.diagnostics, [diagnostics[0]]);
    const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    assert.deepEqual(change.edits, [
      { range: { start: { line: 2, character: 13 }, end: { line: 2, character: 13 } }, newText: '.clone()' },
    ]);
    const cleared = client.waitForDiagnostics(uri, (p) => p.version === 2);
    await client.change(
      uri,
      change.edits.map((e) => ({ range: e.range, text: e.newText })),
    );
    assert.deepEqual((await cleared).diagnostics, []);
    const none = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.deepEqual(none, []);
  });

  it('highlights the lifetime of `v`: its loans as the borrow checker has them, live range, drop', async () => {
    const uri = 'file:///work/fixture/lifetimes.rs';
    const published = client.waitForDiagnostics(uri, (p) => p.version === 1);
    await client.open(uri, BORROWS);
    assert.deepEqual((await published).diagnostics, []);
    const at = { textDocument: { uri }, position: { line: 1, character: 12 } };
    const highlights = (await client.connection.sendRequest(DocumentHighlightRequest.type, at)) as DocumentHighlight[];
    assert.ok(highlights && highlights.length > 0);
    // The checker's own loans of `v` held by a binding: each starts a Read (shared) or Write (mut) highlight.
    const bc = analyze(BORROWS).borrowcks.get('main')!;
    const v = bc.cx.body.locals.findIndex((l) => l.name === 'v');
    const loans = bc.allLoans().filter((l) => l.loan.place.local === v && l.holders.length > 0);
    assert.equal(loans.length, 2);
    for (const l of loans) {
      const kind = l.loan.kind === 'shared' ? DocumentHighlightKind.Read : DocumentHighlightKind.Write;
      assert.ok(
        highlights.some(
          (h) =>
            h.kind === kind && h.range.start.line === l.loan.span.start.line && h.range.start.character === l.loan.span.start.character,
        ),
        `a highlight at the loan ${JSON.stringify(l.loan.span)} held by ${l.holders.join(',')}: ${JSON.stringify(highlights)}`,
      );
    }
    // `&v[0]` held by `first` until its last use on line 4; `&mut v` by `r` until `r.push(4)`.
    assert.ok(highlights.some((h) => h.kind === DocumentHighlightKind.Read && h.range.start.line === 3));
    assert.ok(highlights.some((h) => h.kind === DocumentHighlightKind.Write && h.range.start.line === 5));
    // Dropped at the closing brace.
    assert.ok(highlights.some((h) => h.kind === DocumentHighlightKind.Text && h.range.start.line === 9));

    const lt = await client.connection.sendRequest(lifetimeRequest, at);
    assert.ok(lt);
    assert.equal(lt.name, 'v');
    const messages = lt.segments.map((s) => s.message);
    assert.ok(messages.includes('borrowed mutably by `r` from 5:13 to 6:14'), messages.join(' | '));
    assert.ok(messages.includes('borrowed (shared) by `first` from 3:17 to 4:26'), messages.join(' | '));
    assert.ok(messages.includes('`v` dropped at 10:1'), messages.join(' | '));

    const moved = await client.connection.sendRequest(lifetimeRequest, { textDocument: { uri }, position: { line: 6, character: 8 } });
    assert.ok(
      moved?.segments.some((s) => s.kind === 'move' && s.message === '`s` moved to `t` at 8:13'),
      JSON.stringify(moved),
    );
    assert.ok(!moved?.segments.some((s) => s.kind === 'drop'), 'a moved-out String is not dropped by `s`');
  });

  it('inlay hints: none by default; with rustMemory.inlayHints.enable, size and place of each let and "moved"', async () => {
    const uri = 'file:///work/fixture/lifetimes.rs';
    const range = { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } };
    assert.deepEqual(await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range }), []);
    client.settings = { inlayHints: { enable: true } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const hints = (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) as InlayHint[];
    const labels = hints.map((h) => `${h.position.line + 1}:${String(h.label)}`);
    assert.ok(labels.includes('2:: 24 B · heap'), labels.join(' | '));
    assert.ok(labels.includes('7:: 24 B · heap'), labels.join(' | '));
    assert.ok(labels.includes('8:moved'), labels.join(' | '));
    // And the lifetimes can be turned off.
    client.settings = { lifetimes: { enable: false } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const off = await client.connection.sendRequest(DocumentHighlightRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 12 },
    });
    assert.equal(off, null);
    client.settings = null;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  });

  it('hover adds the permissions and the lifetime legend', async () => {
    const uri = 'file:///work/fixture/lifetimes.rs';
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 12 } });
    const md = (hover!.contents as MarkupContent).value;
    assert.match(md, /\*\*permissions\*\* `RWO` \(read, write, own\)/);
    assert.match(md, /borrowed mutably by `r` from 5:13 to 6:14/);
  });
});
