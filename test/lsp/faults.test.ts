// LSP faults against the BUILT server over stdio (dist/server.js): malformed frames, requests
// for unknown or closed documents, impossible positions and ranges, edit and cancel storms,
// snapshot requests with absurd visits, a 10 MB didOpen, requests after shutdown, and the
// reproductions of ../shared/robustness. After each, the server has not exited and a hover on a
// small valid document is answered by the analysis (not by the host's fallback); the time it
// took is printed. Timeouts only turn a hang into a failure.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ErrorCodes,
  HoverRequest,
  ShutdownRequest,
  DidChangeTextDocumentNotification,
  type Hover,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { LspClient, serverPath } from '../support/lspClient';
import { sharedPath } from '../support/fixtures';
import { snapshotRequest } from '../../shared/protocol';

const SMALL = 'file:///faults/small.rs';
const SMALL_TEXT = 'fn main() {\n    let s = String::from("hi");\n    let t = s;\n    println!("{}", t);\n}\n';
const CASE = { timeout: 120_000 };

function hoverText(h: Hover | null): string {
  return h ? (h.contents as MarkupContent).value : '';
}

/** The server is alive and its analysis answers a hover on the small document. */
async function assertServing(client: LspClient, what: string): Promise<void> {
  assert.equal(client.child.exitCode, null, `the server exited after ${what}: ${client.stderr.slice(-2000)}`);
  const t0 = performance.now();
  const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: SMALL }, position: { line: 1, character: 8 } });
  const ms = performance.now() - t0;
  assert.match(hoverText(h), /String/, `no hover from the analysis after ${what}`);
  console.log(`  hover after ${what}: ${ms.toFixed(0)} ms`);
}

describe('LSP faults', { timeout: 1_200_000 }, () => {
  const client = new LspClient();
  before(async () => {
    await client.initialize();
    const published = client.waitForDiagnostics(SMALL);
    await client.open(SMALL, SMALL_TEXT);
    await published;
  });
  after(() => client.kill());

  it('requests for unknown and closed documents', CASE, async () => {
    const h = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: 'file:///faults/never-opened.rs' },
      position: { line: 0, character: 0 },
    });
    assert.equal(h, null);
    const uri = 'file:///faults/closed.rs';
    await client.open(uri, SMALL_TEXT);
    await client.close(uri);
    assert.equal(
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 8 } }),
      null,
    );
    const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri }, position: { line: 1, character: 8 } });
    assert.equal(snap.status, 'unavailable');
    await assertServing(client, 'unknown and closed documents');
  });

  it('positions out of range: negative, past the end, huge', CASE, async () => {
    for (const position of [
      { line: -1, character: -1 },
      { line: 1, character: 10_000 },
      { line: 1_000_000, character: 0 },
      { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
    ]) {
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: SMALL }, position });
      const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri: SMALL }, position });
      assert.equal(typeof snap.status, 'string');
    }
    await assertServing(client, 'out-of-range positions');
  });

  it('rustMemory/snapshot with visit -1, 1e9 and NaN', CASE, async () => {
    for (const visit of [-1, 1e9, NaN, 1.5]) {
      const snap = await client.connection.sendRequest(snapshotRequest, {
        textDocument: { uri: SMALL },
        position: { line: 3, character: 4 },
        visit,
      });
      assert.equal(typeof snap.status, 'string', `visit ${visit}`);
    }
    await assertServing(client, 'absurd visits');
  });

  it('incremental edits with impossible ranges, and a didChange without text, are refused', CASE, async () => {
    const uri = 'file:///faults/edits.rs';
    await client.open(uri, SMALL_TEXT);
    await client.waitForDiagnostics(uri);
    const bad: unknown[] = [
      { range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' },
      { range: { start: { line: -3, character: 0 }, end: { line: 0, character: NaN } }, text: 'x' },
      { range: { start: { line: 0, character: 1.5 }, end: { line: 0, character: 2 } }, text: 'x' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, text: null },
      { text: null },
      {},
    ];
    let version = 1;
    for (const c of bad) {
      version++;
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [c as { text: string }],
      });
    }
    // The text is still the opened one (refused changes are not stored, clamped ones apply): a hover on `s` answers.
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 8 } });
    assert.match(hoverText(h), /String/);
    assert.ok(
      client.logs.some((l) => /refused: a content change has no text/.test(l)),
      client.logs.join('\n'),
    );
    await assertServing(client, 'impossible edits');
  });

  it('1,000 rapid edits then a hover: the answer is about the latest text', CASE, async () => {
    const uri = 'file:///faults/rapid.rs';
    await client.open(uri, 'fn main() {\n    let v0 = 0u8;\n}\n');
    await client.waitForDiagnostics(uri);
    let last = 0;
    for (let i = 1; i <= 1000; i++) {
      last = await client.change(uri, [
        { range: { start: { line: 1, character: 8 }, end: { line: 1, character: 8 + String(i - 1).length + 1 } }, text: `v${i}` },
      ]);
    }
    await client.waitForDiagnostics(uri, (p) => p.version === last).catch(() => undefined);
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 9 } });
    assert.match(hoverText(h), /v1000/);
    await assertServing(client, '1,000 rapid edits');
  });

  it('$/cancelRequest storms', CASE, async () => {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      pending.push(
        client.connection
          .sendRequest(HoverRequest.type, { textDocument: { uri: SMALL }, position: { line: 1, character: 8 } })
          .catch(() => undefined),
      );
    }
    for (let id = 0; id < 5000; id++) await client.connection.sendNotification('$/cancelRequest', { id });
    await Promise.all(pending);
    await assertServing(client, 'a cancel storm');
  });

  it('a 10 MB didOpen', CASE, async () => {
    const uri = 'file:///faults/huge.rs';
    const text = `fn main() {\n${'    let x = 1;\n'.repeat(Math.ceil((10 * 1024 * 1024) / 15))}}\n`;
    const published = client.waitForDiagnostics(uri);
    await client.open(uri, text);
    await published;
    const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri }, position: { line: 1, character: 4 } });
    assert.equal(snap.status, 'unavailable');
    await client.close(uri);
    await assertServing(client, 'a 10 MB didOpen');
  });

  const repros = sharedPath('robustness');
  it('the reproductions of ../shared/robustness', CASE, async (t) => {
    if (!existsSync(repros)) return t.skip('../shared/robustness is absent');
    for (const name of readdirSync(repros).filter((f) => f.endsWith('.rs'))) {
      const uri = `file:///faults/repro/${name}`;
      const published = client.waitForDiagnostics(uri);
      await client.open(uri, readFileSync(path.join(repros, name), 'utf8'));
      await published;
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 8 } });
      const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri }, position: { line: 2, character: 4 } });
      assert.equal(typeof snap.status, 'string');
      await client.close(uri);
      await assertServing(client, name);
    }
  });

  it('requests after shutdown get InvalidRequest', CASE, async () => {
    await client.connection.sendRequest(ShutdownRequest.type);
    await assert.rejects(
      client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: SMALL }, position: { line: 1, character: 8 } }),
      (e: { code?: number }) => e.code === ErrorCodes.InvalidRequest,
    );
  });
});

/** Writes raw bytes to a fresh server's stdin; returns what it answered to requests sent after. */
function rawSession(garbage: string): Promise<{ out: string; exited: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const frame = (o: unknown): string => {
      const body = JSON.stringify(o);
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    child.stdin.write(garbage);
    child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
    const timer = setTimeout(() => {
      const exited = child.exitCode !== null;
      child.kill();
      resolve({ out, exited });
    }, 5_000);
    child.stdout.on('data', () => {
      if (out.includes('"id":2')) {
        clearTimeout(timer);
        child.kill();
        resolve({ out, exited: false });
      }
    });
  });
}

describe('malformed JSON-RPC frames', { timeout: 120_000 }, () => {
  it('a frame whose body is not JSON: the next request is answered', async () => {
    const r = await rawSession('Content-Length: 5\r\n\r\n{abc}');
    assert.match(r.out, /"id":2,"result":null/);
  });

  it('a header without Content-Length: the next request is answered', async () => {
    const r = await rawSession('Content-Type: nothing\r\n\r\n');
    assert.ok(!r.exited, 'the server exited');
  });

  it('a wrong Content-Length swallows what follows; the server stays up and a restarted server answers', async () => {
    const r = await rawSession('Content-Length: 100\r\n\r\n{"jsonrpc":"2.0","method":"x"}');
    assert.ok(!r.exited, 'the server exited');
    assert.doesNotMatch(r.out, /"id":2/, 'the reader cannot recover the framing: the next request is part of the bad body');
    const fresh = await rawSession('');
    assert.match(fresh.out, /"id":2,"result":null/);
  });
});
