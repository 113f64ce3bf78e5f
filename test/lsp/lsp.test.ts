// The built language server, driven over stdio as an editor drives it.
// Diagnostics, hover and snapshot assertions state the real behaviour (rustc's E0382, where `x`
// lives, a `main` frame); they fail until the engine provides it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import * as net from 'node:net';
import {
  HoverRequest,
  DidChangeConfigurationNotification,
  InitializeRequest,
  ShutdownRequest,
  ExitNotification,
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  SocketMessageReader,
  SocketMessageWriter,
  type Hover,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { LspClient, serverPath } from '../support/lspClient';
import { snapshotRequest } from '../../shared/protocol';

const USE_AFTER_MOVE = ['fn main() {', '    let x = String::from("a");', '    let y = x;', '    println!("{}", x);', '}', ''].join('\n');

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
    assert.ok(
      snap.frames.some((f) => f.function === 'main'),
      JSON.stringify(snap.frames),
    );
    const main = snap.frames.find((f) => f.function === 'main')!;
    assert.ok(main.slots.some((s) => s.name === 'x' && s.type === 'String'));
  });

  it('answers requests for unknown documents without failing', async () => {
    const other = 'file:///not/open.rs';
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: other },
      position: { line: 0, character: 0 },
    });
    assert.equal(hover, null);
    const snap = await client.connection.sendRequest(snapshotRequest, {
      textDocument: { uri: other },
      position: { line: 0, character: 0 },
    });
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
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: disabledUri },
      position: { line: 1, character: 8 },
    });
    assert.equal(hover, null, 'hover disabled');
    // Re-enabling re-publishes every open document.
    client.settings = null;
    const again = client.waitForDiagnostics(disabledUri, (p) => p.version === 1);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const { diagnostics } = await again;
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['E0382'],
    );
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

describe('rapid edits', { timeout: 180_000 }, () => {
  it('publishes in version order and ends with the last version', async () => {
    const client = new LspClient();
    try {
      await client.initialize();
      const uri = 'file:///work/fixture/rapid.rs';
      await client.open(uri, USE_AFTER_MOVE);
      let version = 1;
      // Type `.clone()` one character at a time, as fast as the pipe takes it.
      for (const [i, ch] of [...'.clone()'].entries()) {
        version = await client.change(uri, [
          { range: { start: { line: 2, character: 13 + i }, end: { line: 2, character: 13 + i } }, text: ch },
        ]);
      }
      const last = await client.waitForDiagnostics(uri, (p) => p.version === version);
      assert.deepEqual(last.diagnostics, []);
      const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
      assert.deepEqual(
        versions,
        [...versions].sort((a, b) => a - b),
        'never an older version after a newer one',
      );
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });
});

describe('transports', { timeout: 120_000 }, () => {
  it('--node-ipc', async () => {
    const child = fork(serverPath, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const init = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        workspaceFolders: null,
      });
      assert.equal(init.serverInfo?.name, 'rust-memory');
      assert.equal(init.capabilities.hoverProvider, true);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });

  it('--socket=PORT', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const child = spawn(process.execPath, [serverPath, `--socket=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Watched from the start, with its stderr: a server that dies early fails the test with why,
    // rather than leaving it waiting for an answer or an exit that never comes.
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const diedEarly = exited.then((code) => {
      throw new Error(`the server exited early (${code}): ${stderr.slice(0, 2000)}`);
    });
    diedEarly.catch(() => undefined);
    try {
      const socket = await Promise.race([accepted, diedEarly]);
      const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
      connection.listen();
      const init = await Promise.race([
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: null,
          capabilities: {},
          workspaceFolders: null,
        }),
        diedEarly,
      ]);
      assert.equal(init.serverInfo?.name, 'rust-memory');
      await Promise.race([connection.sendRequest(ShutdownRequest.type), diedEarly]);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
      connection.dispose();
    } finally {
      if (child.exitCode === null) child.kill();
      server.close();
    }
  });
});
