/**
 * The crate part of `npm run bench`: a real Cargo package (the sources `npm run crates` extracts
 * into `.cache/crates`, regex by default; BENCH_CRATE=DIR for another package) analysed as the
 * CLI and the language server do (`engine/crate.ts`, `checkCrate.ts`). Prints, in ms (median of
 * BENCH_RUNS after a warm-up): the whole-crate check (every file borrow-checked, as
 * `rust-memory check DIR`); the first analysis of one file with its crate (as the server on
 * open: the other files typed and built, not borrow-checked); and after a one-character edit in
 * a body of another module file, the update of that file (focus) and of the crate root that
 * depends on it (what the server does for each open file of the crate), with the units
 * analysed again. Numbers only, no assertion on time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentAnalyzer, type Analysis } from '../../server/src/engine/engine';
import { CrateView, readPackage, type Package } from '../../server/src/engine/crate';
import { checkPackage } from '../../server/src/engine/checkCrate';
import { Vfs, type SourceFile } from '../../server/src/engine/vfs';
import { parseRust } from '../../server/src/syntax/parser';
import { repoRoot } from '../support/fixtures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

const fmt = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : '-');

/** The package to measure: BENCH_CRATE, else regex from the crates cache; undefined when neither is there. */
function benchPackage(): string | undefined {
  if (process.env.BENCH_CRATE) return process.env.BENCH_CRATE;
  const registry = path.join(repoRoot(), '.cache', 'crates', 'root', 'usr', 'share', 'cargo', 'registry');
  const name = fs.existsSync(registry) ? fs.readdirSync(registry).find((n) => /^regex-\d/.test(n)) : undefined;
  return name ? path.join(registry, name) : undefined;
}

/** A one-character edit inside a function body of `text` (a space after the body's first `{` line's end), or undefined. */
function editInBody(text: string): string | undefined {
  const m = /\n(\s+)(pub(\([^)]*\))?\s+)?fn \w+[^{;]*\{\n/.exec(text);
  if (!m) return undefined;
  const at = m.index + m[0].length - 1;
  return text.slice(0, at) + ' ' + text.slice(at);
}

export function benchCrate(): void {
  const dir = benchPackage();
  if (!dir || !fs.existsSync(path.join(dir, 'Cargo.toml'))) {
    console.log('\ncrate benchmark: no package (run `npm run crates` once, or set BENCH_CRATE=DIR); skipped');
    return;
  }
  const vfs = new Vfs();
  const pkg: Package = readPackage(path.join(dir, 'Cargo.toml'), vfs);
  const root = pkg.roots[0];
  if (!root) {
    console.log(`\ncrate benchmark: ${dir} has no crate root; skipped`);
    return;
  }
  // The whole-crate check (every file borrow-checked).
  const checkTimes: number[] = [];
  let files = 0;
  let lines = 0;
  let diagnostics = 0;
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const crates = checkPackage({ ...pkg, roots: [root] }, vfs);
    const ms = performance.now() - t0;
    if (i > 0) checkTimes.push(ms);
    files = crates[0]?.files.length ?? 0;
    lines = crates[0]?.files.reduce((s, f) => s + f.text.split('\n').length, 0) ?? 0;
    diagnostics = crates[0]?.files.reduce((s, f) => s + f.diagnostics.length, 0) ?? 0;
  }
  const moduleFiles = checkPackage({ ...pkg, roots: [root] }, vfs)[0].files.map((f) => f.file);
  // The module file edited: the largest one with a function body to edit.
  const edited = moduleFiles
    .filter((f) => f !== root && editInBody(vfs.file(f)?.text ?? '') !== undefined)
    .sort((a, b) => (vfs.file(b)?.text.length ?? 0) - (vfs.file(a)?.text.length ?? 0))[0];
  const rootSrc = vfs.file(root)!;
  const first: number[] = [];
  const focusUpdate: number[] = [];
  const rootUpdate: number[] = [];
  let focusAnalysed: string[] = [];
  let rootAnalysed: string[] = [];
  let units = 0;
  for (let i = 0; i <= RUNS; i++) {
    vfs.removeOverlay(edited ?? root);
    const rootDoc = new DocumentAnalyzer();
    const rootView = new CrateView(vfs, pkg, root, root);
    let t0 = performance.now();
    const a: Analysis = rootDoc.analyze(rootSrc.text, { tree: rootSrc.tree, crate: rootView, edition: pkg.edition });
    if (i > 0) first.push(performance.now() - t0);
    units = a.stats.units;
    if (!edited) continue;
    const src = vfs.file(edited)!;
    const focusDoc = new DocumentAnalyzer();
    const focusView = new CrateView(vfs, pkg, root, edited);
    focusDoc.analyze(src.text, { tree: src.tree, crate: focusView, edition: pkg.edition });
    // The edit, as the editor sends it: the file is open with the new text.
    const text = editInBody(src.text)!;
    const next: SourceFile = { text, tree: parseRust(text) };
    vfs.setOverlay(edited, () => next);
    t0 = performance.now();
    const f = focusDoc.analyze(next.text, { tree: next.tree, crate: focusView, edition: pkg.edition });
    if (i > 0) focusUpdate.push(performance.now() - t0);
    focusAnalysed = f.stats.analysed;
    t0 = performance.now();
    const r = rootDoc.analyze(rootSrc.text, { tree: rootSrc.tree, crate: rootView, edition: pkg.edition });
    if (i > 0) rootUpdate.push(performance.now() - t0);
    rootAnalysed = r.stats.analysed;
  }
  vfs.removeOverlay(edited ?? root);
  const check = median(checkTimes);
  const open = median(first);
  console.log(
    `\ncrate ${path.basename(dir)} (${path.relative(dir, root)}, edition ${pkg.edition}): ${files} files, ${lines} lines, ${units} units; median of ${RUNS} runs, ms`,
  );
  console.log(
    `  whole-crate check (every file borrow-checked, as \`rust-memory check DIR\`): ${fmt(check)} ms, ${diagnostics} diagnostics`,
  );
  console.log(`  first analysis of ${path.relative(dir, root)} with its crate (as the server on open): ${fmt(open)} ms`);
  if (!edited) return;
  const fu = median(focusUpdate);
  const ru = median(rootUpdate);
  console.log(
    `  one-character edit in a body of ${path.relative(dir, edited)}: update of that file ${fmt(fu)} ms (${fmt(open / fu)}x faster than a first analysis; units analysed again: ${focusAnalysed.join(', ') || 'none'})`,
  );
  console.log(
    `  ... and of ${path.relative(dir, root)}, which depends on it: ${fmt(ru)} ms (${fmt(open / ru)}x faster; units analysed again: ${rootAnalysed.join(', ') || 'none'})`,
  );
}
