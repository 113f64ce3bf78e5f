/**
 * What a Rust program really prints: compiled with the installed `rustc` and run, for tests that
 * compare the simulation's output with the real one. Results are cached per source text for the
 * life of the test process. Without `rustc` the answer says why, so the caller can skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The real run: stdout, stderr, exit status and whether it was 0; or why there is none. */
export type RealRun = { stdout: string; ok: boolean; stderr: string; code: number | null } | { skip: string };

const cache = new Map<string, RealRun>();

/** Compiles `source` (a whole program) with rustc 2021 and runs it with empty stdin (10 s max). */
export function realRun(source: string): RealRun {
  const key = createHash('sha256').update(source).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  let result: RealRun;
  try {
    execFileSync('rustc', ['--version'], { stdio: 'ignore' });
  } catch {
    result = { skip: 'rustc is not installed: the real output cannot be checked' };
    cache.set(key, result);
    return result;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-real-'));
  try {
    const src = path.join(dir, 'main.rs');
    const exe = path.join(dir, 'main');
    fs.writeFileSync(src, source);
    const c = spawnSync('rustc', ['--edition', '2021', '-A', 'warnings', '-o', exe, src], { encoding: 'utf8', timeout: 60_000 });
    if (c.status !== 0) result = { skip: `rustc rejects the program: ${(c.stderr ?? '').split('\n')[0]}` };
    else {
      const env = { ...process.env };
      delete env.RUST_BACKTRACE; // std's default: the one-line note, no backtrace
      const r = spawnSync(exe, [], { encoding: 'utf8', timeout: 10_000, input: '', env });
      result = { stdout: r.stdout ?? '', ok: r.status === 0, stderr: r.stderr ?? '', code: r.status };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  cache.set(key, result);
  return result;
}
