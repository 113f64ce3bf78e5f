// Bounded by work, not by luck: the programs of test/fixtures/robustness/ (minimised fuzz
// findings; the first comment line says why the simulation must stop: `// stop: memory-limit`,
// `panic`, `end`, `any`, or `none` for a file with nothing to simulate) and, when present, the reproductions in ../shared/robustness/ are each
// probed (analyze, hovers, snapshots: test/support/probe.ts) in a child process with a 1 GB heap.
// Each must answer with no exception escaping, positions inside their lines, a reason the
// simulation stopped, and no function lost to an internal exception. The timeout only turns a
// hang into a failure (speed is for `npm run fuzz` to measure, not for an assertion).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot, sharedPath } from '../support/fixtures';
import type { ProbeResult } from '../support/probe';

const child = path.join(repoRoot(), 'out', 'test', 'tools', 'fuzzChild.js');
const HANG = 60_000;

function probeInChild(file: string): ProbeResult {
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', child, file], { encoding: 'utf8', timeout: HANG });
  assert.equal(r.signal, null, `killed by ${r.signal}: a hang (over ${HANG / 1000} s) or a crash`);
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ProbeResult;
}

/** `simulated`: the file has a function to simulate (fixtures whose first line says `// stop: none` have none). */
function checkAnswer(res: ProbeResult, simulated = true): void {
  assert.equal(res.escaped, undefined, `an exception escaped the API: ${res.escaped}`);
  assert.deepEqual(res.badPositions, [], 'positions past the end of their line');
  assert.deepEqual(res.failures, [], 'functions lost to an internal exception');
  if (res.refused) return; // not analysed, with the reason (as the server and the CLI answer)
  if (!simulated) return assert.equal(res.stop, undefined);
  assert.ok(res.stop, 'no simulation');
  assert.ok(res.stop.message.length > 0, 'a stop without a message');
  // An exception inside the simulation is caught and ends the trace, but it is a bug, not an answer.
  assert.doesNotMatch(res.stop.message, /internal error/, 'the simulation stopped on an internal error');
}

describe('robustness fixtures (test/fixtures/robustness)', () => {
  const dir = path.join(fixturesDir(), 'robustness');
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.rs'))
    .sort()) {
    it(name, { timeout: HANG * 2 }, () => {
      const file = path.join(dir, name);
      const expected = /^\/\/ stop: (\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
      assert.ok(expected, 'the fixture says how its simulation stops (`// stop: REASON` on its first line)');
      const res = probeInChild(file);
      checkAnswer(res, expected !== 'none');
      if (expected !== 'any' && expected !== 'none') assert.equal(res.stop!.reason, expected, res.stop!.message);
      if (res.stop?.reason === 'memory-limit') assert.ok(res.snapshots.length > 0, 'snapshots answered');
    });
  }
});

describe('reproductions in ../shared/robustness', () => {
  const dir = sharedPath('robustness');
  if (!existsSync(dir)) {
    it('skipped: ../shared/robustness is absent', () => {});
    return;
  }
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.rs'))
    .sort()) {
    it(name, { timeout: HANG * 2 }, () => checkAnswer(probeInChild(path.join(dir, name))));
  }
});
