import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';

test('the engine parses a file and reports parse time', () => {
  const a = analyze('fn main() { let x = 1; }');
  assert.ok(a.timings.parse >= 0);
  assert.deepEqual(a.failures, []);
});
