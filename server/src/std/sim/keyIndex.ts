/**
 * An index of a hash table's integer keys, so that a lookup is not a scan: inserting n integer
 * keys is O(n), not O(n²) (a `HashMap` filled in a loop). It sits beside the table's entries
 * (`HeapBlockRec.elems`, weakly keyed by that array) and is checked, not trusted: appended
 * entries are indexed on the next lookup; a removal or a replaced last entry (the length went
 * down, or the last entry is another object) rebuilds it; a hit whose entry has another key
 * gives up (the caller scans). Map keys cannot change in place in Rust, so an entry keeps its key.
 */
import type { Val } from '../../interp/memory';

interface IntIndex {
  pos: Map<bigint, number>;
  /** Entries indexed: `elems[0..len]`, the last of them `last`. */
  len: number;
  last: Val | undefined;
}

const indexes = new WeakMap<Val[], IntIndex>();

/**
 * The position of the entry whose key (`keyOf`) is the integer `key`, -1 when there is none,
 * undefined when the index cannot say (a key that is not a known integer): then scan.
 */
export function findIntKey(elems: Val[], key: bigint, keyOf: (e: Val) => Val): number | undefined {
  let ix = indexes.get(elems);
  if (!ix || ix.len > elems.length || (ix.len > 0 && elems[ix.len - 1] !== ix.last)) {
    ix = { pos: new Map(), len: 0, last: undefined };
    indexes.set(elems, ix);
  }
  for (let i = ix.len; i < elems.length; i++) {
    const k = keyOf(elems[i]);
    if (k.k !== 'int') {
      indexes.delete(elems);
      return undefined;
    }
    if (!ix.pos.has(k.v)) ix.pos.set(k.v, i);
  }
  ix.len = elems.length;
  ix.last = elems[elems.length - 1];
  const i = ix.pos.get(key);
  if (i === undefined) return -1;
  const k = keyOf(elems[i]);
  if (k.k === 'int' && k.v === key) return i;
  indexes.delete(elems);
  return undefined;
}
