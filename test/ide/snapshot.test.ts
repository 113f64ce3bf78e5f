/**
 * The snapshot the panel draws (server/src/ide/snapshot.ts), built by the real engine from small
 * programs: scopes, the output printed so far, errors on the picture, before/after the cursor's
 * line, stepping by absolute step, and the Rust names of blocks, pointers and events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import type { Position, Snapshot } from '../../shared/protocol';

/** The 0-based position at the end of the first line containing `text` (or at its start). */
function at(src: string, text: string, where: 'end' | 'start' = 'end'): Position {
  const lines = src.split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `no line contains ${text}`);
  return { line, character: where === 'end' ? lines[line].length : lines[line].length - lines[line].trimStart().length };
}

function snap(src: string, text: string, opts: { where?: 'end' | 'start'; visit?: number; offset?: number } = {}): Snapshot {
  return snapshotAt(analyze(src), at(src, text, opts.where), opts.visit ?? 1, opts.offset ?? 0);
}

const names = (s: Snapshot): string[] => s.frames.flatMap((f) => f.slots.map((sl) => sl.name));

test('a `while let` binding is out of scope after the loop (no lingering uninit slot)', () => {
  const src = [
    'fn main() {',
    '    let mut stack = vec![1, 2, 3];',
    '    while let Some(top) = stack.pop() {',
    '        println!("{}", top);',
    '    }',
    '    let done = stack.len();',
    '    println!("{}", done);',
    '}',
  ].join('\n');
  const inLoop = snap(src, 'println!("{}", top);');
  assert.equal(inLoop.status, 'ok');
  assert.ok(names(inLoop).includes('top'), 'top is in scope inside the loop');
  const after = snap(src, 'let done');
  assert.equal(after.status, 'ok');
  assert.deepEqual(names(after), ['stack', 'done']);
});
