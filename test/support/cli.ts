/**
 * Runs the BUILT CLI (`node dist/cli.js`, what bin/rust-memory loads) for tests, and writes
 * scratch files. `RUST_MEMORY_CLI` may name another build to run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cliPath = process.env.RUST_MEMORY_CLI ?? path.join(repoRoot, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; a run longer than `timeoutMs` is killed (signal set) rather than hanging the test. */
export function runCli(args: string[], timeoutMs = 300_000): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

let dir: string | undefined;

/** Writes `content` to a fresh temporary directory shared by this test file; returns the path. */
export function scratch(name: string, content: string | Buffer): string {
  dir ??= mkdtempSync(path.join(os.tmpdir(), 'rust-memory-test-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
