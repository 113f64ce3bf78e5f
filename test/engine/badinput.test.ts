// Bad input costs nothing: empty, binary, huge, deeply nested, non-terminating and infinitely
// recursive programs are answered by the server (diagnostics published) and by the CLI (it
// exits), without a crash or a hang; then the server still answers a normal request.
// No timed assertions: generous timeouts only turn a hang into a failure.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lspClient';
import { runCli, scratch } from '../support/cli';
import { snapshotRequest } from '../../shared/protocol';

/** ~5 MB of valid Rust: many small functions that move and borrow Strings. */
function fiveMegabytes(): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const f = `fn f${i}(n: usize) -> usize {\n    let s = String::from("item ${i}");\n    let t = s;\n    let r = &t;\n    r.len() + n\n}\n`;
    parts.push(f);
    size += f.length;
  }
  parts.push('fn main() {\n    let total = f0(1) + f1(2);\n    println!("{}", total);\n}\n');
  return parts.join('');
}

const NESTED = `fn main() { ${'{'.repeat(10_000)}${'}'.repeat(10_000)} }\n`;

/** A fuzz finding: 40 lines of 5,000 nested `mod m {` in an expression (tree-sitter's error recovery took over 10 s). */
const DEEP_MODS = `fn main() {\n${` let _deep = ${'mod m { '.repeat(5_000)}${'}'.repeat(5_000)};\n`.repeat(40)}}\n`;

interface Case {
  name: string;
  file: string;
  text: string | Buffer;
  /** The CLI's expected `check` status: these programs all compile with rustc, except binary; binary and nesting past the bracket guard are not analysed (2). */
  checkStatus: number;
}

const BINARY = Buffer.from([
  0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x3e, 0x00, 0xff, 0xfe, 0x10, 0x01, 0x02, 0x03,
]);

const cases: Case[] = [
  { name: 'an empty file', file: 'empty.rs', text: '', checkStatus: 0 },
  { name: 'binary bytes', file: 'binary.rs', text: BINARY, checkStatus: 2 },
  { name: 'a 5 MB generated file', file: 'big.rs', text: fiveMegabytes(), checkStatus: 0 },
  { name: '10,000 nested blocks', file: 'nested.rs', text: NESTED, checkStatus: 2 },
  { name: '40 lines of 5,000 nested modules', file: 'deepmods.rs', text: DEEP_MODS, checkStatus: 2 },
  { name: 'an infinite loop', file: 'loop.rs', text: 'fn main() { loop {} }\n', checkStatus: 0 },
  { name: 'unbounded recursion', file: 'recursion.rs', text: 'fn f() { f() } fn main() { f() }\n', checkStatus: 0 },
];

const PER_CASE = { timeout: 600_000 };

describe('bad input through the CLI', () => {
  for (const c of cases) {
    it(`check: ${c.name}`, PER_CASE, () => {
      const file = scratch(c.file, c.text);
      const r = runCli(['check', '--format', 'json', file]);
      assert.equal(r.signal, null, `killed (${r.signal}): hang or crash`);
      assert.equal(r.code, c.checkStatus, r.stderr.slice(0, 2000));
      if (c.checkStatus === 0) assert.deepEqual(JSON.parse(r.stdout), []);
      if (c.file === 'binary.rs') assert.match(r.stderr, /could not analyse .*binary/);
      if (c.checkStatus === 2 && c.file !== 'binary.rs') assert.match(r.stderr, /could not analyse .*brackets more than 128 levels deep/);
    });
    it(`snapshot: ${c.name}`, PER_CASE, () => {
      const file = scratch(c.file, c.text);
      const r = runCli(['snapshot', `${file}:1:1`, '--format', 'json']);
      assert.equal(r.signal, null, `killed (${r.signal}): hang or crash`);
      assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `status ${r.code}: ${r.stderr.slice(0, 2000)}`);
      if (r.code !== 2) assert.equal(typeof JSON.parse(r.stdout).status, 'string');
    });
  }
});

describe('bad input through the language server', { timeout: 1_200_000 }, () => {
  const client = new LspClient();
  before(async () => {
    await client.initialize();
  });
  after(() => client.kill());

  for (const c of cases) {
    it(`publishes diagnostics for ${c.name}`, PER_CASE, async () => {
      const uri = `file:///bad/${c.file}`;
      const text = typeof c.text === 'string' ? c.text : c.text.toString('latin1');
      const published = client.waitForDiagnostics(uri, (p) => p.version === 1, 600_000);
      await client.open(uri, text);
      const { diagnostics } = await published;
      assert.deepEqual(diagnostics, [], 'these programs compile (or are not Rust at all)');
      // hover and snapshot on the same document answer too
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 3 } });
      assert.ok(hover === null || typeof hover === 'object');
      const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri }, position: { line: 0, character: 0 } });
      assert.equal(typeof snap.status, 'string');
      if (c.file === 'binary.rs')
        assert.ok(
          client.logs.some((l) => /binary/.test(l)),
          client.logs.join('\n'),
        );
      const closed = client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0 && p.version === undefined);
      await client.close(uri);
      await closed;
    });
  }

  it('still answers a normal request afterwards, then exits cleanly', async () => {
    assert.equal(client.child.exitCode, null, 'server still running');
    const uri = 'file:///bad/normal.rs';
    const published = client.waitForDiagnostics(uri, (p) => p.version === 1);
    await client.open(uri, 'fn main() {\n    let x = 5;\n    let y = x;\n}\n');
    assert.deepEqual((await published).diagnostics, []);
    const snap = await client.connection.sendRequest(snapshotRequest, { textDocument: { uri }, position: { line: 2, character: 4 } });
    assert.equal(typeof snap.status, 'string');
    assert.equal(await client.stop(), 0);
  });
});
