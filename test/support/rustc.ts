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

/** True when `rustc` runs. */
export function hasRustc(): boolean {
  const which = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
  return !which.error && which.status === 0;
}

/** Compiles and runs `src`; its stdout lines, or undefined without rustc. */
export function rustcRun(name: string, src: string): string[] | undefined {
  if (!hasRustc()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), `rust-memory-${name}-`));
  try {
    const file = join(dir, `${name}.rs`);
    const exe = join(dir, name);
    writeFileSync(file, src);
    const c = spawnSync('rustc', ['--edition', '2021', '-A', 'warnings', '-o', exe, file], { encoding: 'utf8' });
    assert.equal(c.status, 0, `rustc rejects ${name}:\n${c.stderr}`);
    const r = spawnSync(exe, [], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.replace(/\n$/, '').split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
