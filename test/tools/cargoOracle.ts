/**
 * The oracle for the crate fixtures (`test/fixtures/crates/NAME/`, a Cargo package each): a copy
 * of the package in a temp directory (so no `target/` lands in the repository) is checked with
 * `cargo check --offline --message-format=json`; the errors cargo reports in each file (code +
 * 1-based line of the primary span) must be the file's `//~ ERROR` annotations, and what
 * `rust-memory check` reports for the package (`engine/checkCrate.ts`) must be the same.
 * Run by `npm run oracle` (`oracle.ts`); skipped with a message when cargo is missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAnnotations, matchErrors, type FoundError } from '../support/annotations';
import { crateSources, listCrateFixtures } from '../support/fixtures';
import { checkArgs, run, type RunResult } from './rustc';
import { readPackage } from '../../server/src/engine/crate';
import { checkPackage } from '../../server/src/engine/checkCrate';
import { Vfs } from '../../server/src/engine/vfs';

interface CargoSpan {
  file_name: string;
  line_start: number;
  is_primary: boolean;
}

interface CargoMessage {
  reason: string;
  message?: { level: string; message: string; code?: { code: string } | null; spans: CargoSpan[] };
}

/** The errors cargo reports, by file (relative to the package, `/` separators). */
function cargoErrors(stdout: string): Map<string, FoundError[]> {
  const out = new Map<string, FoundError[]>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let m: CargoMessage;
    try {
      m = JSON.parse(line) as CargoMessage;
    } catch {
      continue;
    }
    if (m.reason !== 'compiler-message' || !m.message || m.message.level !== 'error' || !m.message.code) continue;
    const primary = m.message.spans.find((s) => s.is_primary);
    if (!primary) continue;
    const rel = primary.file_name.split(path.sep).join('/');
    out.set(rel, [...(out.get(rel) ?? []), { code: m.message.code.code, line: primary.line_start, message: m.message.message }]);
  }
  return out;
}

/**
 * One `cargo check` of the package at `copy`: its errors by file, and, when cargo did not run or
 * exited with an error before any compiler message (no build at all), what went wrong (the exit
 * code or the failure, and the last lines of its stderr).
 */
async function checkOnce(
  copy: string,
  env: NodeJS.ProcessEnv,
): Promise<{ run: RunResult; errors: Map<string, FoundError[]>; failedToCompile?: string }> {
  const res = await run('cargo', ['check', '--offline', '--message-format=json'], copy, env);
  const errors = cargoErrors(res.stdout);
  const compiled = res.stdout
    .split('\n')
    .some((l) => l.includes('"reason":"compiler-message"') || l.includes('"reason":"compiler-artifact"'));
  if (res.code === 0 || compiled) return { run: res, errors };
  const stderr = res.stderr.trim().split('\n').slice(-8).join(' | ');
  return { run: res, errors, failedToCompile: `${res.error ?? `exit code ${res.code}`}; stderr: ${stderr || '(empty)'}` };
}

/** Whether the package at `dir` declares no dependencies (its `Cargo.toml` has no line under `[dependencies]`). */
function withoutDependencies(dir: string): boolean {
  const toml = fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8');
  const deps = /^\[(?:dev-|build-)?dependencies\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/gm;
  for (const m of toml.matchAll(deps)) if (m[1].split('\n').some((l) => l.trim() && !l.trim().startsWith('#'))) return false;
  return fs.existsSync(path.join(dir, 'src', 'main.rs'));
}

/**
 * The package's bin target (`src/main.rs`, its modules by path) checked by `rustc` alone, in the
 * package's edition: the errors by file as `cargoErrors` gives them (rustc's JSON diagnostics are
 * the `message` of cargo's `compiler-message`s). Undefined when rustc did not run.
 */
async function rustcOnce(copy: string, tmp: string): Promise<{ run: RunResult; errors: Map<string, FoundError[]> } | undefined> {
  const edition = /^edition\s*=\s*"(\d+)"/m.exec(fs.readFileSync(path.join(copy, 'Cargo.toml'), 'utf8'))?.[1] ?? '2015';
  const out = path.join(tmp, `crate-${path.basename(copy)}.rmeta`);
  const res = await run('rustc', checkArgs(edition, 'src/main.rs', out), copy);
  if (res.error) return undefined;
  const wrapped = res.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => `{"reason":"compiler-message","message":${l}}`)
    .join('\n');
  return { run: res, errors: cargoErrors(wrapped) };
}

/** Checks every crate fixture whose path contains one of `filters` (all when none); returns the number that disagree. */
export async function checkCrateFixtures(filters: string[], tmp: string): Promise<{ checked: number; failed: number }> {
  const dirs = listCrateFixtures().filter((d) => !filters.length || filters.some((f) => `crates/${path.basename(d)}/`.includes(f)));
  if (!dirs.length) return { checked: 0, failed: 0 };
  const version = await run('cargo', ['--version'], tmp);
  if (version.code !== 0) {
    console.log(`oracle: cargo not found: ${dirs.length} crate fixtures not checked`);
    return { checked: 0, failed: 0 };
  }
  let failed = 0;
  for (const dir of dirs) {
    const name = path.basename(dir);
    const copy = path.join(tmp, `crate-${name}`);
    fs.cpSync(dir, copy, { recursive: true, filter: (src) => path.basename(src) !== 'target' });
    // The copy is its own workspace, with its own target directory: nothing around the temp
    // directory (a Cargo.toml above it, CARGO_TARGET_DIR, a shared build lock) can change the run.
    fs.appendFileSync(path.join(copy, 'Cargo.toml'), '\n[workspace]\n');
    const env = { ...process.env, CARGO_TARGET_DIR: path.join(copy, 'target'), CARGO_TERM_COLOR: 'never' };
    const problems: string[] = [];
    let res = await checkOnce(copy, env);
    if (res.failedToCompile) {
      // cargo failed before rustc reported anything (seen once in CI, with no stderr kept): say why, and try once more.
      console.log(`oracle: crates/${name}/: cargo check failed without compiler messages (${res.failedToCompile}); retrying once`);
      res = await checkOnce(copy, env);
      if (res.failedToCompile) {
        // cargo itself failed (seen in CI: a `rustc -` it ran read text it should not have). A
        // package without dependencies is one `rustc` run of its bin target: check that instead.
        const direct = withoutDependencies(copy) ? await rustcOnce(copy, tmp) : undefined;
        if (!direct) {
          // Nothing to compare with: the annotations are neither confirmed nor contradicted.
          failed++;
          console.log(`FAIL crates/${name}/\n  cargo check failed twice without compiler messages: ${res.failedToCompile}`);
          continue;
        }
        console.log(`oracle: crates/${name}/: checked with rustc directly instead (the package has no dependencies)`);
        res = direct;
      }
    }
    const cargo = res.errors;
    const engine = new Map<string, FoundError[]>();
    const vfs = new Vfs();
    for (const c of checkPackage(readPackage(path.join(copy, 'Cargo.toml'), vfs), vfs))
      for (const f of c.files) {
        const rel = path.relative(copy, f.file).split(path.sep).join('/');
        const found = f.diagnostics.map((d) => ({ code: d.code, line: d.range.start.line + 1, message: d.message }));
        engine.set(rel, [...(engine.get(rel) ?? []), ...found]);
      }
    for (const rel of crateSources(dir)) {
      const annotations = parseAnnotations(fs.readFileSync(path.join(dir, rel), 'utf8'));
      const expected = annotations.errors.filter((e) => e.kind === 'ERROR');
      const m = matchErrors(expected, cargo.get(rel) ?? []);
      for (const e of m.missing) problems.push(`${rel}:${e.line}: annotated ${e.code}, cargo check does not report it there`);
      for (const { expected: e, found } of m.messageMismatch)
        problems.push(`${rel}:${e.line}: ${e.code} message "${found.message}" does not contain the annotated "${e.message}"`);
      for (const u of m.unexpected) problems.push(`${rel}:${u.line}: cargo check reports ${u.code} "${u.message}", not annotated`);
      const vsEngine = matchErrors(
        (cargo.get(rel) ?? []).map((e) => ({ code: e.code, line: e.line })),
        engine.get(rel) ?? [],
      );
      for (const e of vsEngine.missing) problems.push(`${rel}:${e.line}: cargo check reports ${e.code}, rust-memory check does not`);
      for (const u of vsEngine.unexpected)
        problems.push(`${rel}:${u.line}: rust-memory check reports ${u.code} "${u.message}", cargo check does not`);
    }
    if (
      res.run.code === 0 &&
      [...cargo.values()].every((x) => x.length === 0) &&
      crateSources(dir).some((rel) => /\/\/~ ERROR/.test(fs.readFileSync(path.join(dir, rel), 'utf8')))
    )
      problems.push('cargo check accepts the crate, but errors are annotated');
    if (problems.length) {
      failed++;
      console.log(`FAIL crates/${name}/`);
      for (const p of problems) console.log(`  ${p}`);
    }
  }
  return { checked: dirs.length, failed };
}
