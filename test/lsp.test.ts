// The built language server, driven over stdio as an editor drives it.
// Diagnostics, hover and snapshot assertions state the real behaviour (rustc's E0382, where `x`
// lives, a `main` frame); they fail until the engine provides it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, DidChangeConfigurationNotification, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspClient } from './support/lspClient';
import { snapshotRequest } from '../server/src/protocol';

const USE_AFTER_MOVE = [
  'fn main() {',
  '    let x = String::from("a");',
  '    let y = x;',
  '    println!("{}", x);',
  '}',
  '',
].join('\n');

describe('language server over stdio', { timeout: 180_000 }, () => {
  const client = new LspClient();
  const uri = 'file:///work/fixture/use_after_move.rs';

  before(async () => {
    await client.initialize();
  });
  after(async () => {
    client.kill();
  });

  it('publishes E0382 for a use after move, with rustc code, link and related "value moved here"', async () => {
    const published = client.waitForDiagnostics(uri, (p) => p.version === 1);
    await client.open(uri, USE_AFTER_MOVE);
    const { diagnostics } = await published;
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const d = diagnostics[0];
    assert.equal(d.source, 'rust-memory');
    assert.equal(d.code, 'E0382');
    assert.equal(d.codeDescription?.href, 'https://doc.rust-lang.org/error_codes/E0382.html');
    assert.equal(d.severity, 1 /* Error */);
    assert.equal(d.message, 'borrow of moved value: `x`');
    assert.deepEqual(d.range, { start: { line: 3, character: 19 }, end: { line: 3, character: 20 } });
    assert.ok(d.relatedInformation && d.relatedInformation.length > 0, 'relatedInformation present');
    const moved = d.relatedInformation.find((r) => r.message === 'value moved here');
    assert.ok(moved, JSON.stringify(d.relatedInformation));
    assert.equal(moved.location.uri, uri);
    assert.deepEqual(moved.location.range.start, { line: 2, character: 12 });
  });

  it('clears the diagnostic after an incremental edit adds `.clone()`', async () => {
    const published = client.waitForDiagnostics(uri, (p) => p.version === 2);
    await client.change(uri, [{ range: { start: { line: 2, character: 13 }, end: { line: 2, character: 13 } }, text: '.clone()' }]);
    const { diagnostics } = await published;
    assert.deepEqual(diagnostics, []);
  });

  it('hovers `x`: a String whose bytes live in the stack frame of main', async () => {
    const hover = (await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 8 },
    })) as Hover | null;
    assert.ok(hover, 'a hover for `x`');
    const md = hover.contents as MarkupContent;
    assert.equal(md.kind, 'markdown');
    assert.match(md.value, /String/);
    assert.match(md.value, /stack/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } });
  });

  it('answers rustMemory/snapshot with the frame of main', async () => {
    const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri }, position: { line: 3, character: 4 } });
    assert.equal(snap.status, 'ok', snap.message);
    assert.ok(snap.frames.some((f) => f.function === 'main'), JSON.stringify(snap.frames));
    const main = snap.frames.find((f) => f.function === 'main')!;
    assert.ok(main.slots.some((s) => s.name === 'x' && s.type === 'String'));
  });

  it('answers requests for unknown documents without failing', async () => {
    const other = 'file:///not/open.rs';
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: other }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri: other }, position: { line: 0, character: 0 } });
    assert.equal(snap.status, 'unavailable');
    assert.match(snap.message, /not open/);
  });

  it('honours rustMemory.diagnostics.enable and rustMemory.hover.enable', async () => {
    const disabledUri = 'file:///work/fixture/settings.rs';
    client.settings = { diagnostics: { enable: false }, hover: { enable: false } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const first = client.waitForDiagnostics(disabledUri, (p) => p.version === 1);
    await client.open(disabledUri, USE_AFTER_MOVE);
    assert.deepEqual((await first).diagnostics, [], 'disabled: nothing published');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: disabledUri }, position: { line: 1, character: 8 } });
    assert.equal(hover, null, 'hover disabled');
    // Re-enabling re-publishes every open document.
    client.settings = null;
    const again = client.waitForDiagnostics(disabledUri, (p) => p.version === 1);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const { diagnostics } = await again;
    assert.deepEqual(diagnostics.map((d) => d.code), ['E0382']);
    const cleared = client.waitForDiagnostics(disabledUri, (p) => p.diagnostics.length === 0);
    await client.close(disabledUri);
    await cleared;
  });

  it('shuts down and exits with status 0', async () => {
    const code = await client.stop();
    assert.equal(code, 0);
    assert.equal(client.stderr, '');
  });
});
