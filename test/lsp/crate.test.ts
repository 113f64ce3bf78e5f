// The built language server on a Cargo crate (a copy of test/fixtures/crates/shop in a temp
// directory): main.rs is analysed with the crate's other module files, read from the disk; an
// edit in an open module file (inventory/mod.rs) publishes main.rs's diagnostics again, without
// any change to main.rs; the snapshot of main enters util.rs's `take`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lspClient';
import { listCrateFixtures } from '../support/fixtures';
import { snapshotRequest } from '../../shared/protocol';

const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line + 1}`);

describe('language server on a Cargo crate', { timeout: 180_000 }, () => {
  const client = new LspClient();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-crate-'));
  const shop = listCrateFixtures().find((d) => path.basename(d) === 'shop')!;
  fs.cpSync(shop, tmp, { recursive: true });
  const mainUri = pathToFileURL(path.join(tmp, 'src', 'main.rs')).href;
  const modUri = pathToFileURL(path.join(tmp, 'src', 'inventory', 'mod.rs')).href;
  const mainText = fs.readFileSync(path.join(tmp, 'src', 'main.rs'), 'utf8');
  const modText = fs.readFileSync(path.join(tmp, 'src', 'inventory', 'mod.rs'), 'utf8');

  before(async () => {
    await client.initialize();
  });
  after(() => {
    client.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('analyses main.rs with its crate: the moves into other modules and the loan through `Stock::first`', async () => {
    const published = client.waitForDiagnostics(mainUri, (p) => p.version === 1);
    await client.open(mainUri, mainText);
    assert.deepEqual(codes(await published), ['E0382@14', 'E0502@19', 'E0382@32']);
  });

  it('an edit in inventory/mod.rs (`Tag` becomes `Copy`) publishes main.rs again without the use after move of `t`', async () => {
    const modPublished = client.waitForDiagnostics(modUri, (p) => p.version === 1);
    // Opening the module publishes main.rs again (its text now comes from the editor): wait for it,
    // so that the next publish of main.rs is the one after the edit.
    const reopened = client.waitForDiagnostics(mainUri, (p) => p.version === 1);
    await client.open(modUri, modText);
    assert.deepEqual(codes(await modPublished), []);
    await reopened;
    const mainAgain = client.waitForDiagnostics(mainUri, (p) => !codes(p).includes('E0382@32'));
    const lines = modText.split('\n');
    const line = lines.findIndex((l) => l.includes('pub struct Tag')) - 1;
    assert.equal(lines[line], '#[derive(Debug, Clone)]');
    const character = '#[derive(Debug, Clone'.length;
    await client.change(modUri, [{ range: { start: { line, character }, end: { line, character } }, text: ', Copy' }]);
    const p = await mainAgain;
    assert.equal(p.version, 1, 'main.rs did not change');
    assert.deepEqual(codes(p), ['E0382@14', 'E0502@19']);
  });

  it('the snapshot of main after `util::take(s)` shows the String freed by the callee in util.rs', async () => {
    const line = mainText.split('\n').findIndex((l) => l.includes('println!("{}", n);'));
    const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri: mainUri }, position: { line, character: 4 } });
    assert.equal(snap.status, 'ok', snap.message);
    const s = snap.frames.flatMap((f) => f.slots).find((x) => x.name === 's');
    assert.ok(s?.movedTo, 'moved');
    assert.deepEqual(
      snap.heap.filter((b) => b.state === 'live'),
      [],
    );
  });
});
