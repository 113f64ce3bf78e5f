/**
 * Test support: the installed rustc as the oracle of program output. `rustcRun` compiles a whole
 * program (edition 2021, warnings off) and returns what it prints, or undefined when rustc is not
 * on PATH (the caller then says the comparison was skipped). A program rustc rejects fails the
 * test with rustc's message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '../../server/src/interp';
import { runSource } from './interpSource';

/** True when `rustc` runs. */
export function hasRustc(): boolean {
  const which = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
  return !which.error && which.status === 0;
}

/** Compiles and runs `src` (edition 2021 unless told); its stdout lines, or undefined without rustc. */
export function rustcRun(name: string, src: string, edition = '2021'): string[] | undefined {
  if (!hasRustc()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), `rust-memory-${name}-`));
  try {
    const file = join(dir, `${name}.rs`);
    const exe = join(dir, name);
    writeFileSync(file, src);
    const c = spawnSync('rustc', ['--edition', edition, '-A', 'warnings', '-o', exe, file], { encoding: 'utf8' });
    assert.equal(c.status, 0, `rustc rejects ${name}:\n${c.stderr}`);
    const r = spawnSync(exe, [], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.replace(/\n$/, '').split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `src` in the simulation and checks that it ran to the end knowing everything it needed
 * and printed what the program compiled by rustc prints (skipped, with a diagnostic, without
 * rustc); returns the run.
 */
export function checkedRun(t: { diagnostic(s: string): void }, name: string, src: string): Run {
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  assert.deepEqual(run.unknowns, [], `${name}: the simulation knew everything it needed`);
  const want = rustcRun(name, src);
  if (want) assert.deepEqual(run.stdout, want, `${name}: output as the compiled program's`);
  else t.diagnostic('rustc is not on PATH: outputs not compared');
  return run;
}
