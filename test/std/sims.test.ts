/**
 * The simulations of std methods print what the compiled programs print: the `std-*.rs`
 * programs of `test/fixtures/programs/` exercise integers, floats, chars, Ordering, strings,
 * vectors and slices, iterator adapters and consumers, Option/Result, cells and `std::mem`, one
 * result per `println!`; each runs in the simulation and, compiled by rustc, natively.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../support/fixtures';
import { runSource } from '../support/interpSource';
import { rustcRun } from '../support/rustc';

const dir = join(fixturesDir(), 'programs');
const programs = readdirSync(dir).filter((f) => f.startsWith('std-') && f.endsWith('.rs'));

test('there are std simulation programs to check', () => {
  assert.ok(programs.length >= 5, programs.join());
});

for (const f of programs) {
  test(`${f}: the simulation prints what the compiled program prints`, (t) => {
    const src = readFileSync(join(dir, f), 'utf8');
    const run = runSource(src);
    assert.equal(run.stop.reason, 'end', run.stop.message);
    assert.deepEqual(run.unknowns, [], 'nothing the simulation did not know');
    const want = rustcRun(f.replace(/\W/g, '_'), src);
    if (!want) return t.skip('rustc is not on PATH');
    assert.deepEqual(run.stdout, want);
  });
}
