/**
 * `npm run bench`: how the engine's cost compares with tree-sitter's parse (and with rustc when it
 * is on PATH), for every fixture under test/fixtures and a generated ~10k-line file.
 *
 * Prints, per file: parse and full `analyze` times (median of several runs, ms) and their ratio;
 * a one-character edit replayed through the document store (`tree.edit` + reparse) and the
 * re-analysis; mean `hoverAt` latency over the file's identifiers. Then `rustc --emit=metadata`
 * on the large file. Numbers only: no assertions on time (the machine is shared).
 * Environment: BENCH_RUNS (default 5), BENCH_HOVERS (default 200), BENCH_LINES (default 10000).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, type Analysis } from '../../server/src/engine/engine';
import { hoverAt } from '../../server/src/ide/hover';
import { parseRust } from '../../server/src/syntax/parser';
import { DocumentStore } from '../../server/src/lsp/documents';
import { positionAt, lineOffsets } from '../../server/src/base/text';
import { fixturesDir, listFixtures } from '../support/fixtures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HOVERS = Number(process.env.BENCH_HOVERS ?? 200);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** A ~10k-line Rust program that compiles: structs, Strings, Vecs, moves, borrows, loops, calls. */
export function generateLarge(lines = 10_000): string {
  const out = ['#![allow(unused, dead_code)]', '#[derive(Debug, Clone)]', 'struct Point { x: i32, y: i32, name: String }', ''];
  let i = 0;
  while (out.length < lines) {
    out.push(
      `fn work${i}(p: &Point, v: &mut Vec<i32>) -> usize {`,
      `    let s = String::from("value ${i}");`,
      `    let t = s;`,
      `    let r = &t;`,
      `    let mut total = r.len();`,
      `    for k in 0..3 {`,
      `        v.push(k + p.x);`,
      `        total += v.len();`,
      `    }`,
      `    let q = Point { x: p.x + 1, y: p.y, name: t.clone() };`,
      `    let b = Box::new(q);`,
      `    if b.x > 10 { total += 1 } else { total += 2 }`,
      `    total + b.name.len()`,
      `}`,
      '',
    );
    i++;
  }
  out.push(
    'fn main() {',
    '    let p = Point { x: 1, y: 2, name: String::from("p") };',
    '    let mut v = Vec::new();',
    '    let mut sum = 0;',
  );
  for (let k = 0; k < Math.min(i, 50); k++) out.push(`    sum += work${k}(&p, &mut v);`);
  out.push('    println!("{} {}", sum, v.len());', '}', '');
  return out.join('\n');
}

interface Row {
  name: string;
  lines: number;
  parse: number;
  analyze: number;
  edit: number;
  reanalyze: number;
  hover: number;
  hovers: number;
}

/** Fewer repetitions when one analysis is slow, so the benchmark always finishes. */
function runsFor(firstMs: number): number {
  return firstMs > 2000 ? 1 : firstMs > 200 ? Math.min(RUNS, 3) : RUNS;
}

function bench(name: string, text: string): Row {
  process.stderr.write(`  ${name} ...\r`);
  const parse = median(Array.from({ length: RUNS }, () => time(() => parseRust(text))));
  let a: Analysis | undefined;
  const analyses = [time(() => (a = analyze(text)))];
  const runs = runsFor(analyses[0]);
  while (analyses.length < runs) analyses.push(time(() => (a = analyze(text))));
  const full = median(analyses);

  // One-character edits in the middle of the file, alternately inserting and deleting a space.
  const store = new DocumentStore();
  const uri = 'file:///bench.rs';
  store.open(uri, 'rust', 1, text);
  const offs = lineOffsets(text);
  const at = positionAt(text, Math.floor(text.length / 2), offs);
  const line = text.slice(offs[at.line], offs[at.line + 1] ?? text.length);
  const col = line.search(/\S/) >= 0 ? line.search(/\S/) : 0;
  const edits: number[] = [];
  const reanalyses: number[] = [];
  for (let k = 0; k < runs; k++) {
    const pos = { line: at.line, character: col };
    const change =
      k % 2 === 0
        ? { range: { start: pos, end: pos }, text: ' ' }
        : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' };
    edits.push(time(() => store.change(uri, k + 2, [change])));
    reanalyses.push(time(() => store.analysisOf(uri)));
  }

  // Hover latency on identifiers (the first HOVERS of them, in document order).
  const tree = parseRust(text);
  const ids = tree.rootNode.descendantsOfType('identifier').slice(0, HOVERS);
  const hoverTotal = time(() => {
    for (const n of ids) hoverAt(a!, { line: n.startPosition.row, character: n.startPosition.column });
  });
  return {
    name,
    lines: offs.length,
    parse,
    analyze: full,
    edit: median(edits),
    reanalyze: median(reanalyses),
    hover: ids.length ? hoverTotal / ids.length : NaN,
    hovers: ids.length,
  };
}

function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function main(): void {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rust-memory-bench-'));
  const largeFile = path.join(tmp, 'large.rs');
  const large = generateLarge(Number(process.env.BENCH_LINES ?? 10_000));
  writeFileSync(largeFile, large);

  const rows: Row[] = [bench('generated large.rs', large)];
  const dir = fixturesDir();
  for (const f of listFixtures(dir)) rows.push(bench(f, readFileSync(path.join(dir, f), 'utf8')));

  console.log(`Rust Memory benchmark — median of ${RUNS} runs, times in ms (hover in ms per request)\n`);
  printTable(
    ['file', 'lines', 'parse', 'analyze', 'analyze/parse', 'edit+reparse', 're-analyze', 'hover', 'hovers'],
    rows.map((r) => [
      r.name,
      String(r.lines),
      fmt(r.parse),
      fmt(r.analyze),
      fmt(r.analyze / r.parse, 1) + 'x',
      fmt(r.edit),
      fmt(r.reanalyze),
      fmt(r.hover, 4),
      String(r.hovers),
    ]),
  );
  const fixtures = rows.slice(1);
  if (fixtures.length) {
    const sum = (k: keyof Row) => fixtures.reduce((s, r) => s + (r[k] as number), 0);
    console.log(
      `\nall ${fixtures.length} fixtures: parse ${fmt(sum('parse'))} ms, analyze ${fmt(sum('analyze'))} ms (${fmt(sum('analyze') / sum('parse'), 1)}x parse)`,
    );
  }

  const big = rows[0];
  const rustc = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
  if (rustc.status === 0) {
    const runs: number[] = [];
    let ok = true;
    for (let k = 0; k < Math.min(RUNS, 3); k++) {
      const t0 = performance.now();
      const r = spawnSync(
        'rustc',
        ['--edition', '2021', '--crate-type', 'bin', '--emit=metadata', '-o', path.join(tmp, 'large.rmeta'), largeFile],
        { encoding: 'utf8' },
      );
      runs.push(performance.now() - t0);
      if (r.status !== 0) {
        ok = false;
        console.log(`\nrustc failed on the generated file:\n${r.stderr.slice(0, 2000)}`);
        break;
      }
    }
    if (ok) {
      const t = median(runs);
      console.log(
        `\n${rustc.stdout.trim()} --emit=metadata on ${big.lines} lines: ${fmt(t)} ms; rust-memory analyze: ${fmt(big.analyze)} ms (rustc/analyze = ${fmt(t / big.analyze, 1)}x), one-char edit + re-analyze: ${fmt(big.edit + big.reanalyze)} ms`,
      );
    }
  } else {
    console.log('\nrustc not on PATH: no comparison with rustc');
  }
}

main();
