// The middle tier between "analysed" and "refused before the parse" (base/text.ts): a file that
// opens more than SIMULATION_DEEP_BRACKETS brackets deeper than DEEP_BRACKET_LEVEL is parsed and
// borrow-checked (diagnostics, hovers) but not simulated; its snapshots say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, simulation, MAX_TEXT_LENGTH } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { DEEP_BRACKET_LEVEL, MAX_DEEP_BRACKETS, SIMULATION_DEEP_BRACKETS, unanalysableReason } from '../../server/src/base/text';

/** A program with a use after move and a value nested `n` levels deep. */
function nested(n: number): string {
  return [
    'fn main() {',
    '    let s = String::from("a");',
    '    let t = s;',
    `    let x = ${'Some('.repeat(n)}1${')'.repeat(n)};`,
    '    println!("{}", s);',
    '}',
    '',
  ].join('\n');
}

test('past SIMULATION_DEEP_BRACKETS deep brackets: diagnostics, no simulation, and the snapshot says why', () => {
  const n = DEEP_BRACKET_LEVEL + SIMULATION_DEEP_BRACKETS + 50;
  const text = nested(n);
  assert.equal(unanalysableReason(text, MAX_TEXT_LENGTH), undefined, 'analysed, not refused');
  assert.ok(n - DEEP_BRACKET_LEVEL < MAX_DEEP_BRACKETS);
  const a = analyze(text);
  assert.deepEqual(
    a.diagnostics.map((d) => d.code),
    ['E0382'],
  );
  const run = simulation(a);
  assert.equal(run.stop.reason, 'unsupported');
  assert.match(run.stop.message, /^not simulated: the file opens \d+ brackets more than 128 levels deep/);
  assert.equal(run.steps.length, 0);
  const snap = snapshotAt(a, { line: 4, character: 4 });
  assert.equal(snap.status, 'stopped');
  assert.match(snap.message, /not simulated/);
  assert.equal(snap.frames.length, 0, 'no memory drawn for a program that did not run');
});

test('below it the same program is simulated', () => {
  const a = analyze(nested(DEEP_BRACKET_LEVEL + 10));
  assert.deepEqual(
    a.diagnostics.map((d) => d.code),
    ['E0382'],
  );
  const run = simulation(a);
  assert.notEqual(run.stop.reason, 'unsupported', run.stop.message);
  assert.ok(run.steps.length > 0);
});
