/**
 * `str` indexing by a byte range panics when a bound falls inside a character (core/src/str/mod.rs
 * `slice_error_fail`): the simulation stops with rustc's message where the compiled program
 * panics, and prints what it printed before. Checked against the installed rustc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasRustc } from '../support/rustc';
import { runSource } from '../support/interpSource';

/** stdout lines and the panic message of the compiled program (it must panic: exit 101). */
function rustcPanic(src: string): { stdout: string[]; message: string } | undefined {
  if (!hasRustc()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'rust-memory-str-slice-'));
  try {
    const file = join(dir, 'p.rs');
    writeFileSync(file, src);
    const c = spawnSync('rustc', ['-A', 'warnings', '-o', join(dir, 'p'), file], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    const r = spawnSync(join(dir, 'p'), [], { encoding: 'utf8', env: { ...process.env, RUST_BACKTRACE: '0' } });
    assert.equal(r.status, 101, 'the program panics');
    const lines = r.stderr.split('\n');
    const at = lines.findIndex((l) => / panicked at /.test(l));
    return { stdout: r.stdout.replace(/\n$/, '').split('\n'), message: lines[at + 1] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [name, body] of [
  ['end inside é of a literal', ['let s = "héllo";', 'println!("{}", &s[0..1]);', 'println!("{}", &s[0..2]);']],
  ['start inside ï of a String', ['let s = String::from("naïve café");', 'println!("{}", &s[4..]);', 'println!("{}", &s[3..]);']],
] as const) {
  test(`str slicing: ${name} panics as rustc's program does`, (t) => {
    const src = ['fn main() {', ...body.map((l) => `    ${l}`), '}', ''].join('\n');
    const run = runSource(src);
    assert.equal(run.stop.reason, 'panic', run.stop.message);
    const want = rustcPanic(src);
    if (!want) return t.diagnostic('rustc is not on PATH: not compared');
    assert.deepEqual(run.stdout, want.stdout);
    assert.equal(run.stop.message.replace(/^panicked: /, ''), want.message);
  });
}
