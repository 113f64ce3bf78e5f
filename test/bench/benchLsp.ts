/**
 * `npm run bench:lsp`: the built language server (`dist/server.js --stdio`) driven as an editor
 * drives it, on two workloads: a learner program from the fixtures and a generated multi-module
 * file (`generate.ts`, at least 6,000 lines).
 *
 * Per workload it prints:
 * - keystroke → diagnostics, p50/p95/max (ms), for 200 keystrokes sent every 30 ms
 *   ("continuous") and for the same 200 keystrokes sent each after the previous publish
 *   ("waiting"); during continuous typing, the intervals between publishes (p50/max, ms);
 * - hover and snapshot latency p50/p95 (ms), settled and right after an edit;
 * - the server's RSS (MB) after open, after the run, after 5,000 more edits (at the last
 *   publish, and after a second without edits: the server collects its garbage when idle);
 * - tree-sitter's own full and incremental parse of the same text, measured in this process in
 *   the same run, and the ratios of the figures above to them.
 * Numbers only, no assertions (the machine may be shared: run it when it is quiet, and compare
 * ratios rather than milliseconds). Environment: BENCH_LINES (default 6000), BENCH_KEYS (200),
 * BENCH_EDITS (5000), BENCH_ONLY (`learner` or `large`: one workload).
 *
 * One document is open at a time (each phase opens its own copy and closes it), as when one
 * file is edited; RSS is the whole server process (main thread and analysis worker).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HoverRequest, type Range } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lspClient';
import { fixturesDir } from '../support/fixtures';
import { snapshotRequest } from '../../shared/protocol';
import { parseRust } from '../../server/src/syntax/parser';
import { applyChange } from '../../server/src/lsp/textEdits';
import { positionAt } from '../../server/src/base/text';
import { generateModules } from './generate';

const KEYS = Number(process.env.BENCH_KEYS ?? 200);
const EDITS = Number(process.env.BENCH_EDITS ?? 5000);
const LINES = Number(process.env.BENCH_LINES ?? 6000);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}
const fmt = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : '-');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resident set size of a process (MB), from /proc (Linux); NaN elsewhere. */
function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The keystrokes of the workload: typing new statements, character by character with a line
 * break after each, at the start of a line inside a function in the middle of the file.
 */
function keystrokes(text: string, n: number): { range: Range; text: string }[] {
  const anchor = text.indexOf('let copy = text.clone();', Math.floor(text.length / 2));
  const inFn = anchor >= 0 ? anchor : text.indexOf('    let ', Math.floor(text.length / 2));
  let offset = text.lastIndexOf('\n', inFn) + 1;
  let cur = text;
  const out: { range: Range; text: string }[] = [];
  const statement = (k: number): string => `    let typed_${k} = copy.len() + ${k};\n`;
  for (let k = 0; out.length < n; k++) {
    for (const ch of statement(k)) {
      if (out.length >= n) break;
      const pos = positionAt(cur, offset);
      const change = { range: { start: pos, end: pos }, text: ch };
      out.push(change);
      cur = applyChange(cur, change);
      offset++;
    }
  }
  return out;
}

/** Identifier positions to hover: `let` bindings spread over the file. */
function hoverPositions(text: string, n: number): { line: number; character: number }[] {
  const all = [...text.matchAll(/\blet (mut )?([a-z_][a-z0-9_]*)/g)].map((m) => positionAt(text, m.index + m[0].length - 1));
  const step = Math.max(1, Math.floor(all.length / n));
  return all.filter((_, i) => i % step === 0).slice(0, n);
}

interface Figures {
  name: string;
  lines: number;
  parseFull: number;
  parseIncr: number;
  contP50: number;
  contP95: number;
  contMax: number;
  gapP50: number;
  gapMax: number;
  publishes: number;
  waitP50: number;
  waitP95: number;
  waitMax: number;
  hoverSettled: number[];
  hoverAfterEdit: number[];
  snapSettled: number[];
  snapAfterEdit: number[];
  rssOpen: number;
  rssRun: number;
  rssEdits: number;
  rssIdle: number;
}

/** tree-sitter alone on the same text: full parse and one-character incremental reparse (ms, median). */
function parseAnchor(text: string): { full: number; incr: number } {
  const full: number[] = [];
  const incr: number[] = [];
  for (let k = 0; k < 15; k++) {
    let t0 = performance.now();
    const tree = parseRust(text);
    full.push(performance.now() - t0);
    const at = Math.floor(text.length / 2);
    const cur = text.slice(0, at) + 'x' + text.slice(at);
    const p = positionAt(text, at);
    const startPosition = { row: p.line, column: p.character };
    tree.edit({
      startIndex: at,
      oldEndIndex: at,
      newEndIndex: at + 1,
      startPosition,
      oldEndPosition: startPosition,
      newEndPosition: { row: p.line, column: p.character + 1 },
    });
    t0 = performance.now();
    parseRust(cur, tree);
    incr.push(performance.now() - t0);
  }
  return { full: pct(full, 50), incr: pct(incr, 50) };
}

async function workload(name: string, text: string): Promise<Figures> {
  process.stderr.write(`${name}: `);
  const anchor = parseAnchor(text);
  const client = new LspClient();
  await client.initialize();
  const pid = client.child.pid;
  const versionSent = new Map<string, Map<number, number>>();
  const sent = (uri: string, version: number): void => {
    if (!versionSent.has(uri)) versionSent.set(uri, new Map());
    versionSent.get(uri)!.set(version, performance.now());
  };
  /** Latencies (ms) from sending a version to the publish of that version. */
  const latencies = (uri: string): { lat: number[]; at: number[] } => {
    const lat: number[] = [];
    const at: number[] = [];
    client.published.forEach((p, i) => {
      if (p.uri !== uri) return;
      const t = versionSent.get(uri)?.get(p.version ?? -1);
      at.push(client.publishedAt[i]);
      if (t !== undefined) lat.push(client.publishedAt[i] - t);
    });
    return { lat, at };
  };
  const open = async (uri: string): Promise<void> => {
    const first = client.waitForDiagnostics(uri, (p) => p.version === 1, 600_000);
    await client.open(uri, text);
    await first;
  };
  const keys = keystrokes(text, KEYS);

  // --- continuous typing
  const uriA = `file:///bench/${name}-continuous.rs`;
  await open(uriA);
  const rssOpen = rssMb(pid);
  const typingStart = performance.now();
  let last = 1;
  for (const k of keys) {
    last = await client.change(uriA, [k]);
    sent(uriA, last);
    await sleep(30);
  }
  const typingEnd = performance.now();
  if (!client.published.some((p) => p.uri === uriA && p.version === last))
    await client.waitForDiagnostics(uriA, (p) => p.version === last, 600_000);
  const cont = latencies(uriA);
  await client.close(uriA);
  const during = cont.at.filter((t) => t >= typingStart && t <= typingEnd);
  const gaps = [
    during[0] - typingStart,
    ...during.slice(1).map((t, i) => t - during[i]),
    typingEnd - (during[during.length - 1] ?? typingStart),
  ];
  process.stderr.write('continuous ');

  // --- the same keystrokes, each after the previous publish
  const uriB = `file:///bench/${name}-waiting.rs`;
  await open(uriB);
  const waited: number[] = [];
  for (const k of keys) {
    const version = await client.change(uriB, [k]);
    const t0 = performance.now();
    await client.waitForDiagnostics(uriB, (p) => p.version === version, 600_000);
    waited.push(performance.now() - t0);
  }
  await client.close(uriB);
  process.stderr.write('waiting ');

  // --- hovers and snapshots, settled and right after an edit
  const uriC = `file:///bench/${name}-queries.rs`;
  await open(uriC);
  const positions = hoverPositions(text, 40);
  // The first query of a version runs the simulation: warm up once, then measure.
  await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriC }, position: positions[0] });
  const hover = async (position: { line: number; character: number }): Promise<number> => {
    const t0 = performance.now();
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriC }, position });
    return performance.now() - t0;
  };
  const snapshot = async (position: { line: number; character: number }): Promise<number> => {
    const t0 = performance.now();
    await client.connection.sendRequest(snapshotRequest, { textDocument: { uri: uriC }, position });
    return performance.now() - t0;
  };
  const hoverSettled: number[] = [];
  const snapSettled: number[] = [];
  for (const p of positions) hoverSettled.push(await hover(p));
  for (const p of positions.slice(0, 20)) snapSettled.push(await snapshot(p));
  const hoverAfterEdit: number[] = [];
  const snapAfterEdit: number[] = [];
  let cText = text;
  const endPos = (): { line: number; character: number } => positionAt(cText, cText.length);
  for (let i = 0; i < 20; i++) {
    // An edit at the end of the file (a comment), then at once a query elsewhere.
    const change = { range: { start: endPos(), end: endPos() }, text: i === 0 ? '\n// ' : 'x' };
    cText = applyChange(cText, change);
    await client.change(uriC, [change]);
    if (i % 2 === 0) hoverAfterEdit.push(await hover(positions[i % positions.length]));
    else snapAfterEdit.push(await snapshot(positions[i % positions.length]));
  }
  const rssRun = rssMb(pid);
  process.stderr.write('queries ');

  // --- many more edits (on the queries' document): memory must stay flat
  await client.close(uriC);
  const uriD = `file:///bench/${name}-edits.rs`;
  await open(uriD);
  let version = 1;
  for (let i = 0; i < EDITS; i++) {
    const k = keys[i % keys.length];
    // Type the keystrokes, then delete them again, so the text keeps its size.
    const typing = Math.floor(i / keys.length) % 2 === 0;
    if (typing) version = await client.change(uriD, [k]);
    else {
      const back = keys[keys.length - 1 - (i % keys.length)].range.start;
      version = await client.change(uriD, [{ range: { start: back, end: { line: back.line, character: back.character + 1 } }, text: '' }]);
    }
    if (i % 100 === 99) await client.waitForDiagnostics(uriD, (p) => p.version === version, 600_000);
  }
  if (!client.published.some((p) => p.uri === uriD && p.version === version))
    await client.waitForDiagnostics(uriD, (p) => p.version === version, 600_000);
  const rssEdits = rssMb(pid);
  await sleep(1_500);
  const rssIdle = rssMb(pid);
  process.stderr.write('edits\n');
  await client.stop();
  return {
    name,
    lines: text.split('\n').length,
    parseFull: anchor.full,
    parseIncr: anchor.incr,
    contP50: pct(cont.lat, 50),
    contP95: pct(cont.lat, 95),
    contMax: Math.max(...cont.lat),
    gapP50: pct(gaps, 50),
    gapMax: Math.max(...gaps),
    publishes: during.length,
    waitP50: pct(waited, 50),
    waitP95: pct(waited, 95),
    waitMax: Math.max(...waited),
    hoverSettled,
    hoverAfterEdit,
    snapSettled,
    snapAfterEdit,
    rssOpen,
    rssRun,
    rssEdits,
    rssIdle,
  };
}

function table(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const learner = readFileSync(path.join(fixturesDir(), 'programs', 'tokenizer.rs'), 'utf8');
  const only = process.env.BENCH_ONLY;
  const results: Figures[] = [];
  if (only !== 'large') results.push(await workload('learner (programs/tokenizer.rs)', learner));
  if (only !== 'learner') results.push(await workload(`generated ${LINES}-line modules`, generateModules(LINES)));
  console.log(`\nRust Memory language server over stdio — ${KEYS} keystrokes, times in ms (p50/p95/max)\n`);
  table(
    [
      'workload',
      'lines',
      'continuous typing: key→diag',
      'publish gap p50/max',
      'publishes',
      'waiting each: key→diag',
      'ts parse full',
      'ts reparse',
    ],
    results.map((r) => [
      r.name,
      String(r.lines),
      `${fmt(r.contP50)} / ${fmt(r.contP95)} / ${fmt(r.contMax)}`,
      `${fmt(r.gapP50)} / ${fmt(r.gapMax)}`,
      String(r.publishes),
      `${fmt(r.waitP50)} / ${fmt(r.waitP95)} / ${fmt(r.waitMax)}`,
      fmt(r.parseFull, 2),
      fmt(r.parseIncr, 3),
    ]),
  );
  console.log('');
  table(
    ['workload', 'hover settled p50/p95', 'hover after edit p50/p95', 'snapshot settled p50/p95', 'snapshot after edit p50/p95'],
    results.map((r) => [
      r.name,
      `${fmt(pct(r.hoverSettled, 50), 2)} / ${fmt(pct(r.hoverSettled, 95), 2)}`,
      `${fmt(pct(r.hoverAfterEdit, 50), 2)} / ${fmt(pct(r.hoverAfterEdit, 95), 2)}`,
      `${fmt(pct(r.snapSettled, 50), 2)} / ${fmt(pct(r.snapSettled, 95), 2)}`,
      `${fmt(pct(r.snapAfterEdit, 50), 2)} / ${fmt(pct(r.snapAfterEdit, 95), 2)}`,
    ]),
  );
  console.log('');
  table(
    [
      'workload',
      'RSS after open',
      'after the run',
      `after ${EDITS} edits`,
      '+1.5 s idle',
      'waiting p50 / ts reparse',
      'waiting p50 / ts full parse',
    ],
    results.map((r) => [
      r.name,
      `${fmt(r.rssOpen)} MB`,
      `${fmt(r.rssRun)} MB`,
      `${fmt(r.rssEdits)} MB`,
      `${fmt(r.rssIdle)} MB`,
      `${fmt(r.waitP50 / r.parseIncr, 0)}x`,
      `${fmt(r.waitP50 / r.parseFull, 2)}x`,
    ]),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
