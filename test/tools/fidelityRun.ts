/**
 * `npm run fidelity:run`: does the simulation print what the compiled program prints?
 *
 *   npm run fidelity:run                       the Rust by Example corpus (../shared/corpus/rust-by-example)
 *   npm run fidelity:run -- DIR                another directory with the same layout
 *   npm run fidelity:run -- --filter NAME      only programs whose file name contains NAME
 *   npm run fidelity:run -- --diff             also show the first differing line of each miss
 *
 * The corpus holds `NAME.rs` and `NAME.stdout` (the stdout of the program compiled by rustc and
 * run with an empty stdin) and `manifest.json` (`[{ file, edition, exit }]`). Each program goes
 * through `rust-memory run FILE --format json --edition E` (the CLI's own code, in this process)
 * and its stdout is compared exactly with `NAME.stdout`, its exit status with the manifest's.
 *
 * Each program is one of:
 *   exact    the same stdout and exit status;
 *   stopped  the simulation stopped before the program ended (a limit, something not simulated,
 *            a program it thinks does not compile) after printing a prefix of the real output;
 *   unknown  differs, and the simulation said so: output shows `?` or follows a guessed branch;
 *   wrong    differs, and nothing said it might: the simulation printed something false.
 * One line per program, then the summary line. Exit status 0 (figures, not a gate), 2 when the
 * corpus is missing from its place beside the repository (a message says so; nothing is run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run as cli } from '../../server/src/cli/commands';
import { rbePrograms, sharedPath } from '../support/fixtures';

type Verdict = 'exact' | 'stopped' | 'unknown' | 'wrong';

interface RunJson {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  stopped?: { reason: string; message: string; line?: number };
  unknowns: string[];
  steps: number;
  /** Some output shows `?` or follows a guessed branch. */
  uncertain: boolean;
}

/** The verdict of one program's simulated run against the real stdout and exit status. */
export function verdictOf(res: RunJson, uncertain: boolean, want: string, wantExit: number): Verdict {
  if (res.stdout === want && res.exitCode === wantExit) return 'exact';
  if (uncertain) return 'unknown';
  if (res.exitCode === null && want.startsWith(res.stdout)) return 'stopped';
  return 'wrong';
}

function firstDiff(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}: ours ${JSON.stringify(al[i] ?? '<none>')} rustc ${JSON.stringify(bl[i] ?? '<none>')}`;
  }
  return '';
}

function main(): number {
  const args = process.argv.slice(2);
  const fi = args.indexOf('--filter');
  const filter = fi >= 0 ? args[fi + 1] : undefined;
  const diff = args.includes('--diff');
  const dirs = args.filter((a, i) => !a.startsWith('--') && !(fi >= 0 && i === fi + 1));
  const dir = dirs[0] ?? sharedPath('corpus', 'rust-by-example');
  const programs = rbePrograms(dir);
  if (!programs) {
    console.log(
      `fidelity:run: the corpus is not here (${path.join(dir, 'manifest.json')}); it lives beside the repository in the team's checkout. Skipped.`,
    );
    return dirs.length ? 2 : 0;
  }
  const entries = programs.filter((e) => !filter || path.relative(dir, e.file).includes(filter));
  const counts: Record<Verdict, number> = { exact: 0, stopped: 0, unknown: 0, wrong: 0 };
  let printing = 0;
  let printingExact = 0;
  const t0 = performance.now();
  for (const e of entries) {
    const file = e.file;
    const want = fs.readFileSync(file.replace(/\.rs$/, '.stdout'), 'utf8');
    const out = cli(['run', file, '--format', 'json', '--edition', e.edition]);
    let verdict: Verdict;
    let detail = '';
    if (out.code === 2 || out.code === 3) {
      verdict = 'stopped';
      detail = out.stderr.split('\n')[0];
    } else {
      const res = JSON.parse(out.stdout) as RunJson;
      verdict = verdictOf(res, res.uncertain, want, e.exit ?? 0);
      if (verdict !== 'exact') {
        if (res.stopped) detail = `${res.stopped.reason}${res.stopped.line ? ` at line ${res.stopped.line}` : ''}: ${res.stopped.message}`;
        else if (res.exitCode !== (e.exit ?? 0)) detail = `exit ${res.exitCode}: ${res.stderr.split('\n').slice(0, 2).join(' ')}`;
        if (diff || !detail) detail = [detail, firstDiff(res.stdout, want)].filter(Boolean).join('; ');
      }
    }
    counts[verdict]++;
    if (want.length) {
      printing++;
      if (verdict === 'exact') printingExact++;
    }
    console.log(`${verdict.padEnd(8)} ${path.relative(dir, e.file)}${detail ? `  ${detail.slice(0, 300)}` : ''}`);
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `fidelity:run: ${entries.length} programs: exact ${counts.exact}, stopped ${counts.stopped}, unknown ${counts.unknown}, wrong ${counts.wrong}` +
      ` (exact ${printingExact} of the ${printing} that print) in ${secs} s`,
  );
  // A wrong value printed without an unknown mark teaches something false: that fails the run.
  if (counts.wrong) console.log(`fidelity:run: ${counts.wrong} program(s) print a wrong value without marking it unknown`);
  return counts.wrong ? 1 : 0;
}

process.exitCode = main();
