// The panel's "borrowed by" marks come from the borrow checker's loans (NLL), like the hover's
// state and the squiggles: a slot is borrowed while a reference to it is still going to be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { hoverAt } from '../../server/src/ide/hover';

const src = `fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    println!("{}", first);
    v.push(4);
    let s = String::from("hi");
    let r = &s;
    let n = r.len();
    println!("{} {}", n, s);
}
`;

/** `borrowedBy` of slot `name` in the executing frame, with the cursor at the start of 0-based `line`. */
function borrowedBy(line: number, name: string): string[] | undefined {
  const a = analyze(src);
  const snap = snapshotAt(a, { line, character: 4 });
  const frame = snap.frames[snap.frames.length - 1];
  const slot = frame?.slots.find((s) => s.name === name);
  assert.ok(slot, `slot ${name} at line ${line + 1}`);
  return slot.borrowedBy;
}

test('a slot is borrowed until the reference`s last use, as the borrow checker says', () => {
  assert.deepEqual(borrowedBy(3, 'v'), ['first'], 'before `println!("{}", first)`: `first` is still used');
  assert.equal(borrowedBy(4, 'v'), undefined, 'before `v.push(4)`: `first` is dead, no loan (NLL)');
  assert.deepEqual(borrowedBy(7, 's'), ['r'], 'before `r.len()`');
  assert.equal(borrowedBy(8, 's'), undefined, 'after `r`’s last use');
});

test('the hover tells the same story as the panel', () => {
  const a = analyze(src);
  const onV = hoverAt(a, { line: 4, character: 4 });
  assert.ok(onV && !/borrowed by/.test(onV.state ?? ''), `v at \`v.push\` is not borrowed: ${onV?.state}`);
  const onS = hoverAt(a, { line: 8, character: 4 + 'println!("{} {}", n, '.length });
  assert.ok(onS && !/borrowed by/.test(onS.state ?? ''), `s at the last line is not borrowed: ${onS?.state}`);
});
