// Hover values (lengths, capacities, what a pointer points to) come from the simulation, which
// the analysis worker runs when a hover needs it (lsp/worker/analysisService.ts): a small
// program's run is waited for, so its hovers always have their values; a long one runs in the
// background and the hover says so. No wording blames the program for the worker's scheduling.
// Waits are on answers and publishes; no timed assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { AnalysisService } from '../../server/src/lsp/worker/analysisService';
import type { FromWorker } from '../../server/src/lsp/worker/protocol';
import { positionAt } from '../../server/src/base/text';
import { LspClient } from '../support/lspClient';
import { fixturesDir } from '../support/fixtures';

/** Wording that blames the program for the worker's scheduling (an earlier hover said this on a 7-line seed). */
const BLAMES_THE_PROGRAM = /slow to simulate/;

/** The position of the `nth` (0-based) occurrence of `name` after `after` in `text`. */
function at(text: string, after: string, name: string, nth = 0): { line: number; character: number } {
  let i = text.indexOf(after);
  assert.ok(i >= 0, after);
  for (let k = 0; k <= nth; k++) i = text.indexOf(name, k === 0 ? i : i + 1);
  return positionAt(text, i);
}

test('hovers on a small program show its values every time, from the first hover on (built server over stdio)', async () => {
  const seed = fs.readFileSync(path.join(fixturesDir(), 'seeds', 'seed-000-ex1-string-move.rs'), 'utf8');
  const client = new LspClient();
  client.settings = { lifetimes: { enable: true } };
  const uri = 'file:///hover-values/seed.rs';
  try {
    await client.initialize();
    const opened = client.waitForDiagnostics(uri, (p) => p.version === 1);
    await client.open(uri, seed);
    await opened;
    // The e2e test's order: `x` in the println, then `x` in `let y = x`, then its declaration; twice.
    const positions = [at(seed, '    println!', 'x', 1), at(seed, '    let y = x', 'x'), at(seed, '    let x', 'x')];
    for (const position of [...positions, ...positions]) {
      const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position })) as Hover | null;
      assert.ok(hover, `a hover at ${JSON.stringify(position)}`);
      const md = (hover.contents as MarkupContent).value;
      assert.match(md, /6 bytes on the heap \(len 6, capacity 6\)/, md);
      assert.doesNotMatch(md, /not known/, md);
      assert.doesNotMatch(md, /Lengths and capacities/, md);
      assert.doesNotMatch(md, BLAMES_THE_PROGRAM, md);
    }
  } finally {
    client.kill();
  }
});

test('a hover does not wait for a long simulation: it says that the simulation is not finished yet, then shows values', async () => {
  // A loop that runs until the interpreter's step budget: far longer than a hover waits.
  const text = [
    'fn main() {',
    '    let greeting = String::from("hello");',
    '    let mut v = Vec::new();',
    '    for i in 0..1_000_000u64 {',
    '        v.push(i);',
    '    }',
    '    let done = String::from("done");',
    '    println!("{} {} {}", greeting, v.len(), done);',
    '}',
    '',
  ].join('\n');
  const out: FromWorker[] = [];
  const simulated: number[] = [];
  let wake: (() => void) | undefined;
  const svc = new AnalysisService(
    (m) => {
      out.push(m);
      wake?.();
    },
    { changes: () => 0, queries: () => 0 },
    (event, _uri, version) => {
      if (event === 'simulated') simulated.push(version);
      wake?.();
    },
  );
  const until = async (pred: () => boolean): Promise<void> => {
    while (!pred()) await new Promise<void>((r) => (wake = r));
  };
  const hover = async (id: number, position: { line: number; character: number }): Promise<string> => {
    svc.handle({ kind: 'hover', id, uri, position });
    await until(() => out.some((m) => m.kind === 'hover' && m.id === id));
    const h = out.find((m) => m.kind === 'hover' && m.id === id);
    assert.ok(h && h.kind === 'hover' && h.result, JSON.stringify(h));
    return h.result.markdown;
  };
  const uri = 'file:///hover-values/long.rs';
  svc.handle({ kind: 'open', uri, languageId: 'rust', version: 1, text });
  await until(() => out.some((m) => m.kind === 'diagnostics' && m.version === 1));
  const greeting = at(text, 'let greeting', 'greeting');
  const first = await hover(1, greeting);
  assert.match(first, /greeting/);
  assert.match(first, /the simulation is not finished yet; hover again in a moment/, first);
  assert.doesNotMatch(first, BLAMES_THE_PROGRAM, first);
  // The simulation then runs in the background (once hovers pause): the next hovers have it.
  await until(() => simulated.length > 0);
  const second = await hover(2, greeting);
  assert.match(second, /5 bytes on the heap \(len 5, capacity 5\)/, second);
  assert.doesNotMatch(second, /Lengths and capacities/, second);
  // The run stops in the loop (the loop limit): the hover after it says why it has no values.
  const third = await hover(3, at(text, 'let done', 'done'));
  assert.match(
    third,
    /its value here \(the simulation stopped before line 7: |not shown here \(looking them up in the simulation took \d+ ms, over the \d+ ms a hover takes\)/,
    third,
  );
  assert.doesNotMatch(third, BLAMES_THE_PROGRAM, third);
  svc.handle({ kind: 'close', uri });
});
