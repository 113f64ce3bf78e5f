/**
 * `npm run crates`: the CLI on real, compiling Rust code — the sources of popular crates as
 * Debian packages them (librust-*-dev). Every error reported there is a false positive.
 *
 * Steps: `apt-get download` the packages into `.cache/crates` (once), `dpkg -x` them, run
 * `rust-memory check --format json` (dist/cli.js) over every `.rs` file under
 * `usr/share/cargo/registry/` in batches with a per-batch timeout; a batch that crashes or hangs
 * is split in halves, recursively, down to the file that does. Prints files, lines, errors
 * grouped by code with file:line, crashes, hangs, unanalysable files and time; writes
 * test-output/crates.json after every batch (`complete: false` until the end).
 * Exit status 1 on any crash or hang, 0 otherwise (false positives are reported, not fatal).
 *
 * Needs apt-get and dpkg (Debian/Ubuntu); run `apt-get update` first if the download fails.
 * CRATES_BATCH (files per batch, default 40) and CRATES_TIMEOUT (ms per run, default 60000: a
 * single file slower than that counts as a hang).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/fixtures';

const PACKAGES = [
  'librust-regex-dev',
  'librust-serde-dev',
  'librust-clap-dev',
  'librust-syn-dev',
  'librust-tokio-dev',
  'librust-anyhow-dev',
  'librust-itertools-dev',
];
const BATCH = Number(process.env.CRATES_BATCH ?? 40);
const TIMEOUT = Number(process.env.CRATES_TIMEOUT ?? 60_000);

const root = repoRoot();
const cache = path.join(root, '.cache', 'crates');
const extracted = path.join(cache, 'root');
const registry = path.join(extracted, 'usr', 'share', 'cargo', 'registry');
const cli = path.join(root, 'dist', 'cli.js');

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error)).trim()}`);
  }
}

/** Downloads and extracts the packages not already in the cache. */
function fetchPackages(): string[] {
  mkdirSync(extracted, { recursive: true });
  const debs: string[] = [];
  for (const pkg of PACKAGES) {
    let deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) {
      console.log(`downloading ${pkg} ...`);
      run('apt-get', ['download', pkg], cache);
      deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
    }
    const marker = path.join(extracted, `.${deb}.extracted`);
    if (!existsSync(marker)) {
      run('dpkg', ['-x', path.join(cache, deb), extracted], cache);
      writeFileSync(marker, '');
    }
    debs.push(deb);
  }
  return debs;
}

function rustFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.rs')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

interface Results {
  complete: boolean;
  /** Files checked so far. */
  checked: number;
  packages: string[];
  files: number;
  lines: number;
  seconds: number;
  errors: { file: string; line: number; column: number; code: string; message: string }[];
  byCode: Record<string, number>;
  crashes: { file: string; detail: string }[];
  hangs: { file: string }[];
  unanalysable: { detail: string }[];
  /** Functions the engine skipped (`warning: FILE: \`f\` was not analysed: WHY`), by reason. */
  functionFailures: { file: string; detail: string }[];
}

/** Runs `check --format json` on `files`. */
function check(files: string[], timeout: number) {
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...files], {
    encoding: 'utf8',
    timeout,
    maxBuffer: 512 * 1024 * 1024,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function main(): number {
  if (!existsSync(cli)) {
    console.error(`error: ${cli} is missing: run \`npm run build\` first`);
    return 2;
  }
  const packages = fetchPackages();
  const files = rustFiles(registry);
  const rel = (f: string) => path.relative(registry, f);
  const results: Results = {
    complete: false,
    checked: 0,
    packages,
    files: files.length,
    lines: 0,
    seconds: 0,
    errors: [],
    byCode: {},
    crashes: [],
    hangs: [],
    unanalysable: [],
    functionFailures: [],
  };
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    results.lines += text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
  console.log(`checking ${files.length} files (${results.lines} lines) from ${packages.length} packages, ${BATCH} per batch ...`);

  const t0 = performance.now();
  const record = (r: ReturnType<typeof check>, batch: string[]): boolean => {
    if (r.signal || r.status === null || r.status === 3 || (r.status !== 0 && r.status !== 1 && r.status !== 2)) return false;
    let out: JsonDiagnostic[];
    try {
      out = JSON.parse(r.stdout) as JsonDiagnostic[];
    } catch {
      if (r.status === 2 && batch.length === 1) {
        results.unanalysable.push({ detail: r.stderr.trim().replace(registry + '/', '') });
        return true;
      }
      return false;
    }
    for (const d of out) results.errors.push({ file: rel(d.file), line: d.line, column: d.column, code: d.code, message: d.message });
    for (const l of r.stderr.split('\n')) {
      if (l.startsWith('error: ')) results.unanalysable.push({ detail: l.replace(registry + '/', '') });
      const m = /^warning: (.*?): (`.*` was not analysed: .*)$/.exec(l);
      if (m) results.functionFailures.push({ file: rel(m[1]), detail: m[2] });
    }
    return true;
  };
  const outDir = path.join(root, 'test-output');
  mkdirSync(outDir, { recursive: true });
  const save = () => {
    results.seconds = (performance.now() - t0) / 1000;
    writeFileSync(path.join(outDir, 'crates.json'), JSON.stringify(results, null, 2) + '\n');
  };
  /** Checks `batch`; on a crash or hang, halves it until the culprit files are alone. */
  const checkBatch = (batch: string[]): void => {
    const r = check(batch, TIMEOUT);
    if (record(r, batch)) return;
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      checkBatch(batch.slice(0, half));
      checkBatch(batch.slice(half));
      return;
    }
    const f = batch[0];
    if (r.signal === 'SIGTERM') results.hangs.push({ file: rel(f) });
    else
      results.crashes.push({
        file: rel(f),
        detail: (r.stderr || `status ${r.status} signal ${r.signal}`).trim().split('\n').slice(0, 3).join(' | '),
      });
  };
  for (let i = 0; i < files.length; i += BATCH) {
    checkBatch(files.slice(i, i + BATCH));
    results.checked = Math.min(i + BATCH, files.length);
    save();
    process.stdout.write(`  ${results.checked}/${files.length}\r`);
  }
  results.complete = true;
  results.seconds = (performance.now() - t0) / 1000;
  for (const e of results.errors) results.byCode[e.code] = (results.byCode[e.code] ?? 0) + 1;

  console.log(`\nfiles: ${results.files}`);
  console.log(`lines: ${results.lines}`);
  console.log(
    `time: ${results.seconds.toFixed(1)} s (${(results.lines / results.seconds).toFixed(0)} lines/s, including process start-up per batch)`,
  );
  console.log(`errors reported: ${results.errors.length} (all false positives: these crates compile)`);
  for (const code of Object.keys(results.byCode).sort()) {
    console.log(`  ${code}: ${results.byCode[code]}`);
    for (const e of results.errors.filter((x) => x.code === code)) console.log(`    ${e.file}:${e.line}:${e.column}: ${e.message}`);
  }
  console.log(`crashes: ${results.crashes.length}`);
  for (const c of results.crashes) console.log(`  ${c.file}: ${c.detail}`);
  console.log(`hangs (killed after ${TIMEOUT} ms): ${results.hangs.length}`);
  for (const h of results.hangs) console.log(`  ${h.file}`);
  console.log(`not analysed: ${results.unanalysable.length}`);
  for (const u of results.unanalysable) console.log(`  ${u.detail}`);
  console.log(`functions not analysed (engine failures): ${results.functionFailures.length}`);
  for (const f of results.functionFailures.slice(0, 40)) console.log(`  ${f.file}: ${f.detail}`);

  save();
  console.log(`\nwrote ${path.join('test-output', 'crates.json')}`);
  return results.crashes.length + results.hangs.length + results.functionFailures.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
}
