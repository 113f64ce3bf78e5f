/**
 * `npm run fidelity`: how well the borrow checker agrees with rustc on rustc's own UI tests.
 *
 *   npm run fidelity                       the development corpus (../shared/corpus/rustc-ui-dev)
 *   npm run fidelity -- DIR...             other directories of `.rs` files
 *   npm run fidelity -- --list             also list every disagreement (file:line code)
 *   npm run fidelity -- --filter borrowck  only files whose path contains the text
 *   npm run fidelity -- --strict           exit 1 on any false positive (CI's precision gate)
 *
 * The truth is what the installed rustc says: each file is compiled with
 * `rustc --edition E --crate-type bin --emit=metadata --error-format=json -A warnings` (E from
 * the test's `// edition:` header, 2015 when absent, as rustc's test suite does), and its errors
 * are cached by (rustc version, edition, file hash) in `~/.cache/rust-memory/fidelity/`. Our
 * answer is the engine's `analyze` on the same text and edition.
 *
 * Scored by (code, primary line), as multisets per file, for the borrow checker's codes (the
 * errors rustc_borrowck reports): per code true positives, false positives, false negatives,
 * precision and recall; the number of our diagnostics on files rustc accepts; one summary line.
 * Errors of other codes (type errors...) are rustc's business and only counted. Exit status 0
 * (scores are figures, not a gate; with `--strict`, 1 when any error is not rustc's: precision
 * first), 2 when rustc is missing.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, type Edition } from '../../server/src/engine/engine';
import { RUSTC_BORROWCK_CODES } from '../../server/src/borrowck';
import { sharedPath } from '../support/fixtures';
import { checkArgs, MAX_PARALLEL, parseRustcErrors, pool, run } from './rustc';

interface Err {
  code: string;
  line: number;
}

interface FileResult {
  rel: string;
  truth: Err[];
  /** Every error rustc reports, with or without a code, any code. */
  truthAll: number;
  ours: Err[];
  accepted: boolean;
}

function listRs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.rs')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The edition a UI test asks for (`// edition:2018`, `//@ edition: 2021`), 2015 by default. */
export function editionOf(text: string): Edition {
  const m = /^\/\/@?\s*edition\s*:\s*(\d{4})/m.exec(text);
  return m && ['2015', '2018', '2021', '2024'].includes(m[1]) ? (m[1] as Edition) : '2015';
}

async function truthOf(
  file: string,
  text: string,
  edition: Edition,
  version: string,
  cache: string,
  tmp: string,
  i: number,
): Promise<{ errors: Err[]; all: number; accepted: boolean }> {
  const key = crypto.createHash('sha256').update(`${version}\0${edition}\0${text}`).digest('hex').slice(0, 32);
  const cached = path.join(cache, `${key}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8'));
  const res = await run('rustc', checkArgs(edition, file, path.join(tmp, `f${i}.rmeta`), 'fidelity'), tmp);
  const { errors } = parseRustcErrors(res.stderr, path.resolve(file));
  const truth = {
    errors: errors.filter((e) => e.code).map((e) => ({ code: e.code!, line: e.line })),
    all: errors.length,
    accepted: res.code === 0,
  };
  if (!res.error) fs.writeFileSync(cached, JSON.stringify(truth));
  return truth;
}

function ourErrors(text: string, edition: Edition): Err[] {
  const a = analyze(text, { edition });
  return a.diagnostics
    .filter((d) => d.severity === 'error' && /^E\d{4}$/.test(d.code))
    .map((d) => ({ code: d.code, line: d.range.start.line + 1 }));
}

/** Multiset matching on (code, line): returns [tp, fp, fn] per code and the unmatched items. */
function score(truth: Err[], ours: Err[]): { tp: Err[]; fp: Err[]; fn: Err[] } {
  const left = [...truth];
  const tp: Err[] = [];
  const fp: Err[] = [];
  for (const o of ours) {
    const i = left.findIndex((t) => t.code === o.code && t.line === o.line);
    if (i >= 0) {
      tp.push(o);
      left.splice(i, 1);
    } else fp.push(o);
  }
  return { tp, fp, fn: left };
}

const pct = (n: number, d: number): string => (d === 0 ? '   -' : (n / d).toFixed(2));

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const list = args.includes('--list');
  const strict = args.includes('--strict');
  const fi = args.indexOf('--filter');
  const filter = fi >= 0 ? args[fi + 1] : undefined;
  const dirs = args.filter((a, i) => !a.startsWith('--') && !(fi >= 0 && i === fi + 1));
  const corpus = sharedPath('corpus', 'rustc-ui-dev');
  if (!dirs.length) {
    if (!fs.existsSync(corpus)) {
      console.log(
        `fidelity: the development corpus is not here (${corpus}); it lives beside the repository in the team's checkout. Skipped.`,
      );
      return 0;
    }
    dirs.push(corpus);
  }
  const version = await run('rustc', ['--version'], process.cwd());
  if (version.error || version.code !== 0) {
    console.error('fidelity: rustc is not installed');
    return 2;
  }
  const cache = path.join(os.homedir(), '.cache', 'rust-memory', 'fidelity');
  fs.mkdirSync(cache, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-fidelity-'));
  const files = dirs.flatMap(listRs).filter((f) => !filter || f.includes(filter));
  console.log(`fidelity: ${version.stdout.trim()}, ${files.length} files from ${dirs.join(', ')}`);
  const t0 = performance.now();
  let ourMs = 0;
  const results: FileResult[] = await pool(files, MAX_PARALLEL, async (file, i) => {
    const text = fs.readFileSync(file, 'utf8');
    const edition = editionOf(text);
    const truth = await truthOf(file, text, edition, version.stdout.trim(), cache, tmp, i);
    const t = performance.now();
    const ours = ourErrors(text, edition);
    ourMs += performance.now() - t;
    const rel = path.relative(dirs.find((d) => file.startsWith(d)) ?? '', file);
    return { rel, truth: truth.errors, truthAll: truth.all, ours, accepted: truth.accepted };
  });
  fs.rmSync(tmp, { recursive: true, force: true });

  const family = new Set(RUSTC_BORROWCK_CODES);
  const perCode = new Map<string, { tp: number; fp: number; fn: number }>();
  const row = (c: string) => perCode.get(c) ?? (perCode.set(c, { tp: 0, fp: 0, fn: 0 }), perCode.get(c)!);
  const disagreements: string[] = [];
  let onAccepted = 0;
  let acceptedFiles = 0;
  let otherCodes = 0;
  for (const r of results) {
    const truth = r.truth.filter((e) => family.has(e.code));
    otherCodes += r.truth.length - truth.length;
    const { tp, fp, fn } = score(truth, r.ours);
    for (const e of tp) row(e.code).tp++;
    for (const e of fp) row(e.code).fp++;
    for (const e of fn) row(e.code).fn++;
    if (r.accepted) {
      acceptedFiles++;
      onAccepted += r.ours.length;
    }
    for (const e of fp) disagreements.push(`${r.rel}:${e.line} ${e.code} false positive${r.accepted ? ' (rustc accepts the file)' : ''}`);
    for (const e of fn) disagreements.push(`${r.rel}:${e.line} ${e.code} missed`);
  }
  const codes = [...perCode.keys()].sort();
  console.log('');
  console.log('code    tp    fp    fn  precision  recall');
  let TP = 0;
  let FP = 0;
  let FN = 0;
  for (const c of codes) {
    const s = perCode.get(c)!;
    TP += s.tp;
    FP += s.fp;
    FN += s.fn;
    console.log(
      `${c.padEnd(6)}${String(s.tp).padStart(5)}${String(s.fp).padStart(6)}${String(s.fn).padStart(6)}${pct(s.tp, s.tp + s.fp).padStart(11)}${pct(s.tp, s.tp + s.fn).padStart(8)}`,
    );
  }
  console.log(
    `${'all'.padEnd(6)}${String(TP).padStart(5)}${String(FP).padStart(6)}${String(FN).padStart(6)}${pct(TP, TP + FP).padStart(11)}${pct(TP, TP + FN).padStart(8)}`,
  );
  if (list) {
    console.log('');
    for (const d of disagreements.sort()) console.log(d);
  }
  console.log('');
  console.log(
    `fidelity: precision ${pct(TP, TP + FP)}, recall ${pct(TP, TP + FN)} (${TP} of ${TP + FN} borrow-check errors; ${FP} not rustc's); ` +
      `${onAccepted} diagnostics on the ${acceptedFiles} files rustc accepts; ${otherCodes} errors of other codes not scored; ` +
      `engine ${Math.round(ourMs)} ms, total ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (strict && FP) console.log(`fidelity: --strict: ${FP} error(s) rustc does not report (see --list)`);
  return strict && FP ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(3);
  },
);
