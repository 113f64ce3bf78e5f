/**
 * The quick fixes checked against rustc (part of `npm run oracle`): for every fixture, every fix
 * the engine offers (`server/src/ide/quickFixes.ts`) is applied alone to the fixture, and rustc
 * must then accept the result as far as that error goes: the error the fix is for (its code, at
 * its line) is gone and no error appears that rustc did not report before (a multiset of codes).
 * A fixture with a single error therefore compiles once its fix is applied. Fixes of errors rustc
 * does not report on the fixture (it stops at a syntax or type error first) are not checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { applyEdits, quickFixesAt } from '../../server/src/ide/quickFixes';
import { checkArgs, parseRustcErrors, run, type RustcError } from './rustc';

export interface FixReport {
  rel: string;
  /** Fixes applied and checked. */
  checked: { code: string; title: string; ok: boolean; compiles: boolean }[];
  problems: string[];
}

/** Checks the fixes of the fixture `rel` (rustc's errors on it as given: `before`). */
export async function checkFixes(
  dir: string,
  rel: string,
  tmp: string,
  index: number,
  edition: string,
  before: readonly RustcError[],
): Promise<FixReport> {
  const text = fs.readFileSync(path.resolve(dir, rel), 'utf8');
  const report: FixReport = { rel, checked: [], problems: [] };
  const fixes = quickFixesAt(analyze(text, { edition: edition as '2021' }));
  let k = 0;
  for (const f of fixes) {
    const line = f.diagnostic.range.start.line + 1;
    const at = (errs: readonly RustcError[]): number => errs.filter((e) => e.code === f.diagnostic.code && e.line === line).length;
    // An error rustc does not reach (a fixture's `//~ ENGINE` line: rustc stops at a syntax or
    // type error first) cannot be checked with rustc: skipped.
    if (at(before) === 0) continue;
    const fixed = applyEdits(text, f.edits);
    const file = path.join(tmp, `fix-${index}-${k++}.rs`);
    fs.writeFileSync(file, fixed);
    const res = await run('rustc', checkArgs(edition, file, `${file}.rmeta`, 'fixed'), tmp);
    const after = parseRustcErrors(res.stderr, file).errors;
    const still = at(after) >= at(before);
    const remaining = new Map<string, number>();
    for (const e of before) remaining.set(e.code ?? 'syntax', (remaining.get(e.code ?? 'syntax') ?? 0) + 1);
    remaining.set(f.diagnostic.code, (remaining.get(f.diagnostic.code) ?? 0) - 1);
    const added: RustcError[] = [];
    for (const e of after) {
      const n = remaining.get(e.code ?? 'syntax') ?? 0;
      if (n > 0) remaining.set(e.code ?? 'syntax', n - 1);
      else added.push(e);
    }
    const ok = !still && added.length === 0 && !res.error;
    report.checked.push({ code: f.diagnostic.code, title: f.title, ok, compiles: res.code === 0 });
    if (!ok) {
      const why = res.error
        ? `rustc failed to run: ${res.error}`
        : still
          ? `rustc still reports ${f.diagnostic.code} at line ${line}`
          : `rustc now reports ${added.map((e) => `${e.code ?? 'a syntax error'}@${e.line} "${e.message}"`).join(', ')}`;
      report.problems.push(`line ${line}: fix "${f.title}" of ${f.diagnostic.code}: ${why}\n      ${diffLines(text, fixed)}`);
    }
  }
  return report;
}

/** The changed lines, for the report. */
function diffLines(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) out.push(`- ${x[i] ?? ''}\n      + ${y[i] ?? ''}`);
  return out.join('\n      ');
}
