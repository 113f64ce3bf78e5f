/**
 * Simulation of `BTreeMap<K, V>` and `BTreeSet<T>` (`../btree.ts`): one heap block stands for
 * the tree's nodes and holds the entries in key order (`Ord` of the keys as the simulation knows
 * them: integers, chars, strings, tuples); the first insert allocates a leaf of 11 slots
 * (`LeafNode`, its real size), `new()` and `clear()` leave no allocation, removing entries keeps
 * the leaf. Past 11 entries std splits nodes; the block then stands for several nodes whose
 * number and bytes the simulation does not model (the panel shows the bytes as unknown).
 */
import type { StdHost } from '../../interp/host';
import { type Loc, type Val, unitVal, unknownVal } from '../../interp/memory';
import type { BTREEMAP_IMPL, BTREESET_IMPL } from '../btree';
import { BTREE_CAPACITY } from '../btree';
import { heapElemTy } from '../facts';
import { heapShape } from '../registry';
import type { Sim, SimTable } from './api';
import { clearSim, lenSim } from './buffer';
import { bool, compareVals, container, newEmpty, none, some } from './common';
import { iterOver } from './iterate';
import { entriesSim, entrySim, extendWith, retainEntriesSim } from './maps';

/** The tree behind a receiver. */
function tree(m: StdHost, v: Val | undefined): { loc: Loc; own: Val & { k: 'own' }; elems: Val[]; isSet: boolean } | null {
  const r = container(m, v);
  const shape = r.own ? heapShape(r.own.kind) : undefined;
  if (!r.own || !r.loc || shape?.kind !== 'btree') return null;
  const b = m.block(r.own.block);
  if (b?.unknownContents) return null;
  return { loc: r.loc, own: r.own, elems: b ? b.elems : [], isSet: shape.set === true };
}

const keyOf = (e: Val, isSet: boolean): Val => (isSet ? e : e.k === 'agg' ? (e.fields[0] ?? unknownVal()) : unknownVal());

/** Binary search by key: `{ found, index }` (the insertion point when not found), null when an order is unknown. */
function search(m: StdHost, elems: Val[], key: Val, isSet: boolean): { found: boolean; index: number } | null {
  let lo = 0;
  let hi = elems.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareVals(m, keyOf(elems[mid], isSet), key);
    if (c === null) return null;
    if (c === 0) return { found: true, index: mid };
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return { found: false, index: lo };
}

/** Inserts `entry` at `index`, allocating the root leaf on the first insert. Returns the block id. */
function place(m: StdHost, loc: Loc, own: Val & { k: 'own' }, index: number, entry: Val): number {
  let b = m.block(own.block);
  if (!b) {
    const id = m.alloc(own.kind, heapElemTy(own.ty), [], BTREE_CAPACITY, `${own.kind} leaf node`);
    m.write(loc, { ...own, block: id });
    b = m.block(id)!;
  }
  b.elems.splice(index, 0, entry);
  if (b.elems.length === BTREE_CAPACITY + 1)
    m.note(`${own.kind} with more than ${BTREE_CAPACITY} entries: std splits it into several nodes, which the simulation does not model`);
  b.cap = Math.max(b.cap, b.elems.length);
  return b.id;
}

/** Where a key is, or null: the tree and the search result. */
function lookup(m: StdHost, recv: Val | undefined, key: Val) {
  const t = tree(m, recv);
  if (!t) return null;
  const s = search(m, t.elems, key, t.isSet);
  return s ? { t, s } : null;
}

const insertSim: Sim = (m, c) => {
  const key = c.args[1] ?? unknownVal();
  const l = lookup(m, c.args[0], key);
  if (!l) {
    const t = tree(m, c.args[0]);
    const b = t ? m.block(t.own.block) : undefined;
    if (b) b.unknownContents = true;
    return null;
  }
  const { t, s } = l;
  const keyTy = t.own.ty.kind === 'adt' ? (t.own.ty.args[0] ?? { kind: 'unknown' as const }) : { kind: 'unknown' as const };
  if (s.found) {
    // The key in the tree stays (std: "the key is not updated"); the new one is dropped.
    m.dropVal(key, keyTy, null, 0);
    if (t.isSet) return bool(false);
    const e = t.elems[s.index] as Val & { k: 'agg' };
    const old = e.fields[1] ?? unknownVal();
    t.elems[s.index] = { k: 'agg', fields: [e.fields[0], c.args[2] ?? unknownVal()] };
    return some(old);
  }
  place(m, t.loc, t.own, s.index, t.isSet ? key : { k: 'agg', fields: [key, c.args[2] ?? unknownVal()] });
  return t.isSet ? bool(true) : none();
};

/** `BTreeMap::entry(k).or_insert*(..)`: `&mut` to the value, inserting `make()` when the key is absent. */
export function btreeEntryInsert(m: StdHost, loc: Loc, own: Val & { k: 'own' }, key: Val, make: () => Val): Val {
  const b = m.block(own.block);
  if (b?.unknownContents) return unknownVal();
  const s = search(m, b ? b.elems : [], key, false);
  if (!s) return unknownVal();
  // An occupied entry drops the key it was given.
  if (s.found) m.dropVal(key, own.ty.kind === 'adt' ? (own.ty.args[0] ?? { kind: 'unknown' }) : { kind: 'unknown' }, null, 0);
  const id = s.found ? b!.id : place(m, loc, own, s.index, { k: 'agg', fields: [key, make()] });
  return { k: 'ptr', to: { region: 'heap', block: id, path: [s.index, 1] }, mutable: true };
}

const getSim =
  (mutable: boolean): Sim =>
  (m, c) => {
    const l = lookup(m, c.args[0], c.args[1] ?? unknownVal());
    if (!l) return unknownVal();
    if (!l.s.found || l.t.own.block === null) return none();
    return some({ k: 'ptr', to: { region: 'heap', block: l.t.own.block, path: l.t.isSet ? [l.s.index] : [l.s.index, 1] }, mutable });
  };

const containsSim: Sim = (m, c) => {
  const l = lookup(m, c.args[0], c.args[1] ?? unknownVal());
  return l ? bool(l.s.found) : unknownVal();
};

const removeSim: Sim = (m, c) => {
  const l = lookup(m, c.args[0], c.args[1] ?? unknownVal());
  if (!l) return null;
  const { t, s } = l;
  if (!s.found) return t.isSet ? bool(false) : none();
  const [e] = t.elems.splice(s.index, 1);
  const b = m.block(t.own.block);
  if (t.isSet) {
    if (b) m.dropVal(e, b.elemTy, null, 0);
    return bool(true);
  }
  const ag = e as Val & { k: 'agg' };
  m.dropVal(
    ag.fields[0] ?? unknownVal(),
    t.own.ty.kind === 'adt' ? (t.own.ty.args[0] ?? { kind: 'unknown' }) : { kind: 'unknown' },
    null,
    0,
  );
  return some(ag.fields[1] ?? unknownVal());
};

/** `clear()`: `*self = BTreeMap::new()`: the entries are dropped and the nodes freed. */
const clearTreeSim: Sim = (m, c) => {
  const t = tree(m, c.args[0]);
  if (!t) return null;
  clearSim('clear')(m, c);
  if (t.own.block !== null) {
    m.free(t.own.block);
    m.write(t.loc, { ...t.own, block: null });
  }
  return unitVal();
};

/** `first()`/`last()` (sets), `first_key_value()`/`last_key_value()` (maps): references into the first or last entry. */
const endSim =
  (which: 'first' | 'last'): Sim =>
  (m, c) => {
    const t = tree(m, c.args[0]);
    if (!t) return unknownVal();
    if (!t.elems.length || t.own.block === null) return none();
    const i = which === 'first' ? 0 : t.elems.length - 1;
    const at = (path: number[]): Val => ({ k: 'ptr', to: { region: 'heap', block: t.own.block!, path }, mutable: false });
    return some(t.isSet ? at([i]) : { k: 'agg', fields: [at([i, 0]), at([i, 1])] });
  };

/** `pop_first()` / `pop_last()`: the entry by value. */
const popSim =
  (which: 'first' | 'last'): Sim =>
  (m, c) => {
    const t = tree(m, c.args[0]);
    if (!t) return unknownVal();
    if (!t.elems.length) return none();
    const e = which === 'first' ? t.elems.shift()! : t.elems.pop()!;
    return some(e);
  };

/** Set operations of two BTreeSets, in key order (a merge). */
const setOpSim =
  (op: 'union' | 'intersection' | 'difference'): Sim =>
  (m, c) => {
    const a = tree(m, c.args[0]);
    const b = tree(m, c.args[1]);
    if (!a || !b) return null;
    const ref = (block: number | null, i: number): Val => ({
      k: 'ptr',
      to: block === null ? null : { region: 'heap', block, path: [i] },
      mutable: false,
    });
    const items: Val[] = [];
    let i = 0;
    let j = 0;
    while (i < a.elems.length || j < b.elems.length) {
      const c2 = i >= a.elems.length ? 1 : j >= b.elems.length ? -1 : compareVals(m, a.elems[i], b.elems[j]);
      if (c2 === null) return null;
      if (c2 < 0) {
        if (op !== 'intersection') items.push(ref(a.own.block, i));
        i++;
      } else if (c2 > 0) {
        if (op === 'union') items.push(ref(b.own.block, j));
        j++;
      } else {
        if (op !== 'difference') items.push(ref(a.own.block, i));
        i++;
        j++;
      }
    }
    return { k: 'iter', src: { kind: 'list', items }, pos: 0, end: items.length };
  };

export const BTREEMAP_SIMS: SimTable<typeof BTREEMAP_IMPL> = {
  new: newEmpty('BTreeMap'),
  insert: insertSim,
  get: getSim(false),
  get_mut: getSim(true),
  contains_key: containsSim,
  remove: removeSim,
  entry: entrySim,
  len: lenSim('len'),
  is_empty: lenSim('is_empty'),
  clear: clearTreeSim,
  first_key_value: endSim('first'),
  last_key_value: endSim('last'),
  pop_first: popSim('first'),
  pop_last: popSim('last'),
  iter: entriesSim('pairs'),
  iter_mut: entriesSim('pairs', true),
  keys: entriesSim('keys'),
  values: entriesSim('values'),
  values_mut: entriesSim('values', true),
  into_iter: (m, c) => iterOver(m, c.args[0], 'into'),
  retain: retainEntriesSim,
  extend: extendWith(insertSim),
};

export const BTREESET_SIMS: SimTable<typeof BTREESET_IMPL> = {
  new: newEmpty('BTreeSet'),
  insert: insertSim,
  contains: containsSim,
  remove: removeSim,
  len: lenSim('len'),
  is_empty: lenSim('is_empty'),
  clear: clearTreeSim,
  first: endSim('first'),
  last: endSim('last'),
  pop_first: popSim('first'),
  pop_last: popSim('last'),
  iter: entriesSim('keys'),
  into_iter: (m, c) => iterOver(m, c.args[0], 'into'),
  union: setOpSim('union'),
  intersection: setOpSim('intersection'),
  difference: setOpSim('difference'),
  retain: retainEntriesSim,
  extend: extendWith(insertSim),
};
