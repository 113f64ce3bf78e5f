// Scheduling like an editor expects (lsp/worker/analysisService.ts, lsp/analysisHost.ts):
// diagnostics while typing, a newer version abandons the analysis in flight, queries answer at
// once from the freshest finished analysis and say when it is of an earlier version, and a
// crashed worker is replaced. Waits are on events (publishes, traces); no timed assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisService } from '../../server/src/lsp/worker/analysisService';
import type { FromWorker } from '../../server/src/lsp/worker/protocol';
import { AnalysisHost, type PublishedDiagnostics } from '../../server/src/lsp/analysisHost';
import { positionAt } from '../../server/src/base/text';
import { LspClient } from '../support/lspClient';
import { fixturesDir } from '../support/fixtures';
import { generateModules } from '../bench/generate';

const LEARNER = fs.readFileSync(path.join(fixturesDir(), 'programs', 'tokenizer.rs'), 'utf8');

/** An in-process service with its messages and traces recorded, and a way to wait for either. */
function service(): {
  svc: AnalysisService;
  out: FromWorker[];
  traces: string[];
  until: (pred: () => boolean) => Promise<void>;
  changes: { n: number };
} {
  const out: FromWorker[] = [];
  const traces: string[] = [];
  const changes = { n: 0 };
  let wake: (() => void) | undefined;
  const notify = (): void => wake?.();
  const svc = new AnalysisService(
    (m) => {
      out.push(m);
      notify();
    },
    { changes: () => changes.n, queries: () => 0 },
    (event, _uri, version) => {
      traces.push(`${event} ${version}`);
      notify();
    },
  );
  const until = async (pred: () => boolean): Promise<void> => {
    while (!pred()) await new Promise<void>((r) => (wake = r));
  };
  return { svc, out, traces, until, changes };
}

test('continuous typing publishes diagnostics while it goes on, not only when it stops', async () => {
  const client = new LspClient();
  const uri = 'file:///typing/tokenizer.rs';
  try {
    await client.initialize();
    const opened = client.waitForDiagnostics(uri, (p) => p.version === 1);
    await client.open(uri, LEARNER);
    await opened;
    // 40 keystrokes, one every 30 ms, typed at the end of a comment line.
    const line = LEARNER.split('\n').findIndex((l) => l.startsWith('//'));
    let col = LEARNER.split('\n')[line].length;
    let last = 1;
    for (let k = 0; k < 40; k++) {
      last = await client.change(uri, [{ range: { start: { line, character: col }, end: { line, character: col } }, text: 'x' }]);
      col++;
      await new Promise((r) => setTimeout(r, 30));
    }
    const during = client.published.filter((p) => p.uri === uri && (p.version ?? 0) > 1 && (p.version ?? 0) < last).length;
    if (!client.published.some((p) => p.uri === uri && p.version === last)) await client.waitForDiagnostics(uri, (p) => p.version === last);
    assert.ok(during >= 2, `${during} publishes while typing`);
  } finally {
    client.kill();
  }
});

test('a newer version abandons the analysis in flight; only the newest is published', async () => {
  const { svc, out, traces, until, changes } = service();
  const uri = 'file:///big.rs';
  const text = generateModules(3000);
  svc.handle({ kind: 'open', uri, languageId: 'rust', version: 1, text });
  await until(() => out.some((m) => m.kind === 'diagnostics' && m.version === 1));
  // An edit that changes a signature: many units are analysed again, in slices.
  const at = text.indexOf('pub struct Inventory {');
  const edit = (version: number, insert: string) => {
    changes.n++;
    svc.handle({
      kind: 'change',
      uri,
      version,
      changes: [{ range: { start: positionAt(text, at), end: positionAt(text, at) }, text: insert }],
    });
  };
  edit(2, '#[derive(Copy)]\n');
  await until(() => traces.includes('started 2'));
  edit(3, ' ');
  await until(() => out.some((m) => m.kind === 'diagnostics' && m.version === 3));
  assert.ok(traces.includes('abandoned 2'), traces.join(', '));
  assert.ok(!out.some((m) => m.kind === 'diagnostics' && m.version === 2));
});

test('a hover while the newest analysis is not finished answers from the previous one and says so', async () => {
  const { svc, out, until, changes } = service();
  const uri = 'file:///learner.rs';
  svc.handle({ kind: 'open', uri, languageId: 'rust', version: 1, text: LEARNER });
  await until(() => out.some((m) => m.kind === 'diagnostics' && m.version === 1));
  const i = LEARNER.indexOf('let mut tokens');
  const hoverPos = positionAt(LEARNER, i + 'let mut '.length);
  // An edit far below the hovered line, then the hover at once (before the analysis starts).
  const end = positionAt(LEARNER, LEARNER.length);
  changes.n++;
  svc.handle({ kind: 'change', uri, version: 2, changes: [{ range: { start: end, end }, text: '\n// more' }] });
  svc.handle({ kind: 'hover', id: 1, uri, position: hoverPos });
  await until(() => out.some((m) => m.kind === 'hover'));
  const h = out.find((m) => m.kind === 'hover');
  assert.ok(h && h.kind === 'hover' && h.result, JSON.stringify(h));
  assert.match(h.result.markdown, /tokens/);
  assert.match(h.result.markdown, /earlier version/);
  // Once version 2 is analysed, the same hover is fresh.
  await until(() => out.some((m) => m.kind === 'diagnostics' && m.version === 2));
  svc.handle({ kind: 'hover', id: 2, uri, position: hoverPos });
  await until(() => out.some((m) => m.kind === 'hover' && m.id === 2));
  const h2 = out.find((m) => m.kind === 'hover' && m.id === 2);
  assert.ok(h2 && h2.kind === 'hover' && h2.result && !/earlier version/.test(h2.result.markdown));
});

test('a worker that dies is replaced, gets the open documents again, and its queries get their fallback', async () => {
  // A stand-in worker: publishes on open, dies on hover.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-worker-'));
  const script = path.join(dir, 'dying.js');
  fs.writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.kind === 'open') parentPort.postMessage({ kind: 'diagnostics', uri: m.uri, version: m.version, diagnostics: [], failures: [] });
  if (m.kind === 'hover') process.exit(3);
});`,
  );
  const logs: string[] = [];
  const host = new AnalysisHost((_level, message) => logs.push(message), script);
  const published: PublishedDiagnostics[] = [];
  let wake: (() => void) | undefined;
  host.onDiagnostics((d) => {
    published.push(d);
    wake?.();
  });
  const until = async (pred: () => boolean): Promise<void> => {
    while (!pred()) await new Promise<void>((r) => (wake = r));
  };
  try {
    host.open('file:///a.rs', 'rust', 7, 'fn main() {}');
    await until(() => published.length === 1);
    assert.equal(await host.hover('file:///a.rs', { line: 0, character: 3 }), null);
    await until(() => published.length === 2);
    assert.equal(published[1].version, 7);
    assert.ok(
      logs.some((l) => /worker exited/.test(l)),
      logs.join('\n'),
    );
  } finally {
    host.dispose();
  }
});
