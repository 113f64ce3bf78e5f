// The integer-key index of hash tables (server/src/std/sim/keyIndex.ts) agrees with a scan of the
// entries through appends, removals, replacements and non-integer keys.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { findIntKey } from '../../server/src/std/sim/keyIndex';
import { intVal, unknownVal, type Val } from '../../server/src/interp/memory';

const entry = (k: number, v = 0): Val => ({ k: 'agg', fields: [intVal(k), intVal(v)] });
const keyOf = (e: Val): Val => (e.k === 'agg' ? (e.fields[0] ?? unknownVal()) : unknownVal());
const scan = (elems: Val[], k: number): number =>
  elems.findIndex((e) => {
    const x = keyOf(e);
    return x.k === 'int' && x.v === BigInt(k);
  });

it('agrees with a scan through appends, removals and replacements', () => {
  const elems: Val[] = [];
  const check = (): void => {
    for (let k = -2; k < 40; k++) {
      const got = findIntKey(elems, BigInt(k), keyOf);
      assert.equal(got ?? scan(elems, k), scan(elems, k), `key ${k} among ${elems.length}`);
    }
  };
  for (let k = 0; k < 30; k++) {
    elems.push(entry(k));
    if (k % 7 === 0) check();
  }
  check();
  elems.splice(3, 1); // remove: positions shift
  check();
  elems.splice(10, 1);
  elems.push(entry(35)); // remove then append: same length, another last entry
  check();
  elems[elems.length - 1] = entry(35, 1); // the last entry replaced in place
  check();
  elems[5] = entry(6, 9); // a value replaced in place (same key)
  check();
});

it('gives up on keys that are not integers', () => {
  const elems: Val[] = [entry(1), { k: 'agg', fields: [unknownVal(), intVal(0)] }];
  assert.equal(findIntKey(elems, 1n, keyOf), undefined);
});
