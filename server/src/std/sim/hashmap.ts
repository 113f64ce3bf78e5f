/**
 * Simulation of `HashMap<K, V>`, `HashSet<T>` and map entries (`../hashmap.ts`). The table's
 * block holds the entries (`(K, V)` aggregates, or the set's values) in insertion order — Rust's
 * order is arbitrary, and the simulation says so (a note on the run). Growth follows hashbrown:
 * `capacity_to_buckets` (a power of two; small tables at least 4 buckets, more for tiny slots
 * so the buckets fill a 16-byte group), usable capacity 7/8 of the buckets, `reserve_rehash` to
 * max(len + 1, capacity + 1) when full. Removals do not leave tombstones here (hashbrown may
 * grow a little earlier after many removals).
 */
import type { StdHost } from '../../interp/host';
import { chargeValues } from '../../interp/budget';
import { findIntKey } from './keyIndex';
import { type Loc, type Val, cloneVal, unknownVal } from '../../interp/memory';
import type { Ty } from '../../hir/ty';
import { heapElemTy } from '../facts';
import type { ENTRY_IMPL, HASHMAP_IMPL, HASHSET_IMPL } from '../hashmap';
import { heapShape } from '../registry';
import { notSimulated, type Sim, type SimCall, type SimTable } from './api';
import { clearSim, lenSim } from './buffer';
import { bool, container, defaultOf, intArg, newEmpty, none, some, unknownOwn } from './common';
import { btreeEntryInsert } from './btree';
import { iterOver } from './iterate';
import { entriesSim, entrySim, extendWith, retainEntriesSim } from './maps';

const ORDER_NOTE = 'HashMap/HashSet iteration order is arbitrary in Rust; the simulation keeps insertion order';

/** hashbrown `capacity_to_buckets` for `slotSize`-byte slots (Group::WIDTH = 16 on x86_64). */
export function bucketsFor(cap: number, slotSize: number): number {
  if (cap < 15) {
    const minCap = slotSize <= 1 ? 14 : slotSize <= 3 ? 7 : 3;
    const c = Math.max(minCap, cap);
    return c < 4 ? 4 : c < 8 ? 8 : 16;
  }
  let b = 1;
  const adjusted = Math.floor((cap * 8) / 7);
  while (b < adjusted) b *= 2;
  return b;
}

/** hashbrown `bucket_mask_to_capacity`. */
export function capacityOf(buckets: number): number {
  return buckets < 8 ? buckets - 1 : (buckets / 8) * 7;
}

/** The table behind a receiver, with its entries. */
function table(m: StdHost, v: Val | undefined): { loc: Loc; own: Val & { k: 'own' }; elems: Val[]; isSet: boolean } | null {
  const r = container(m, v);
  const shape = r.own ? heapShape(r.own.kind) : undefined;
  if (!r.own || !r.loc || shape?.kind !== 'table') return null;
  const b = m.block(r.own.block);
  if (b?.unknownContents) return null;
  return { loc: r.loc, own: r.own, elems: b ? b.elems : [], isSet: shape.set === true };
}

function keyOf(e: Val, isSet: boolean): Val {
  return isSet ? e : e.k === 'agg' ? (e.fields[0] ?? unknownVal()) : unknownVal();
}

/** Index of the entry whose key equals `key` (keys by value or by reference: `valuesEqual` looks through references), -1, or null when unknown. */
export function findKey(m: StdHost, elems: Val[], key: Val, isSet: boolean): number | null {
  // Integer keys (the usual case): through the index, else compared without `valuesEqual`'s general walk.
  if (key.k === 'int') {
    const found = findIntKey(elems, key.v, (e) => keyOf(e, isSet));
    if (found !== undefined) {
      chargeValues(1);
      return found;
    }
  }
  chargeValues(elems.length);
  if (key.k === 'int') {
    let all = true;
    for (let i = 0; i < elems.length; i++) {
      const k = keyOf(elems[i], isSet);
      if (k.k !== 'int') {
        all = false;
        break;
      }
      if (k.v === key.v) return i;
    }
    if (all) return -1;
  }
  for (let i = 0; i < elems.length; i++) {
    const eq = m.valuesEqual(keyOf(elems[i], isSet), key);
    if (eq === null) return null;
    if (eq) return i;
  }
  return -1;
}

/** Allocates a table of `buckets` buckets holding `elems`. */
function allocTable(m: StdHost, own: Val & { k: 'own' }, elems: Val[], buckets: number, what: string): number {
  const id = m.alloc(own.kind, heapElemTy(own.ty), elems, capacityOf(buckets), what);
  m.block(id)!.buckets = buckets;
  return id;
}

/** Inserts a new entry, growing the table like hashbrown's `reserve_rehash(1)`. Returns its index. */
export function tablePush(m: StdHost, loc: Loc, own: Val & { k: 'own' }, entry: Val): number {
  const b = m.block(own.block);
  const len = b ? b.elems.length : 0;
  const cap = b ? b.cap : 0;
  let target = b;
  if (len + 1 > cap) {
    const slot = m.elemSize(heapElemTy(own.ty)) ?? 8;
    const buckets = bucketsFor(Math.max(len + 1, cap + 1), slot);
    const id = allocTable(
      m,
      own,
      b ? [...b.elems] : [],
      buckets,
      `${own.kind}${cap ? ` (grown from capacity ${cap} to ${capacityOf(buckets)})` : ''}`,
    );
    target = m.block(id)!;
    if (b) m.free(b.id);
    m.write(loc, { ...own, block: id });
  }
  target!.elems.push(entry);
  return target!.elems.length - 1;
}

const insertSim: Sim = (m, c) => {
  const t = table(m, c.args[0]);
  if (!t) return null;
  m.note(ORDER_NOTE);
  const key = c.args[1] ?? unknownVal();
  const i = findKey(m, t.elems, key, t.isSet);
  if (i === null) return null;
  if (i >= 0) {
    // The key already in the table stays (std: "the key is not updated"); the new one is dropped.
    m.dropVal(key, t.own.ty.kind === 'adt' ? (t.own.ty.args[0] ?? { kind: 'unknown' }) : { kind: 'unknown' }, null, 0);
    if (t.isSet) return bool(false);
    // The value is replaced and the old one returned.
    const e = t.elems[i] as Val & { k: 'agg' };
    const old = e.fields[1];
    t.elems[i] = { k: 'agg', fields: [e.fields[0], c.args[2] ?? unknownVal()] };
    return some(old ?? unknownVal());
  }
  tablePush(m, t.loc, t.own, t.isSet ? key : { k: 'agg', fields: [key, c.args[2] ?? unknownVal()] });
  return t.isSet ? bool(true) : none();
};

const getSim =
  (mutable: boolean): Sim =>
  (m, c) => {
    const t = table(m, c.args[0]);
    if (!t) return null;
    const i = findKey(m, t.elems, c.args[1] ?? unknownVal(), t.isSet);
    if (i === null) return unknownVal();
    if (i < 0 || t.own.block === null) return none();
    return some({ k: 'ptr', to: { region: 'heap', block: t.own.block, path: t.isSet ? [i] : [i, 1] }, mutable });
  };

const containsSim: Sim = (m, c) => {
  const t = table(m, c.args[0]);
  if (!t) return null;
  const i = findKey(m, t.elems, c.args[1] ?? unknownVal(), t.isSet);
  return i === null ? unknownVal() : bool(i >= 0);
};

const removeSim: Sim = (m, c) => {
  const t = table(m, c.args[0]);
  if (!t) return null;
  const i = findKey(m, t.elems, c.args[1] ?? unknownVal(), t.isSet);
  if (i === null) return null;
  if (i < 0) return t.isSet ? bool(false) : none();
  const [e] = t.elems.splice(i, 1);
  if (t.isSet) {
    m.dropVal(e, heapElemTy(t.own.ty), null, 0);
    return bool(true);
  }
  const ag = e as Val & { k: 'agg' };
  const kt = t.own.ty.kind === 'adt' ? t.own.ty.args[0] : undefined;
  m.dropVal(ag.fields[0] ?? unknownVal(), kt ?? { kind: 'unknown' }, null, 0);
  return some(ag.fields[1] ?? unknownVal());
};

/** `with_capacity(n)`: no allocation for 0, else `capacity_to_buckets(n)` buckets. */
const withCapacitySim: Sim = (m, c) => {
  const n = intArg(m, c.args[0]);
  const own: Val & { k: 'own' } = {
    k: 'own',
    kind: c.destTy.kind === 'adt' && c.destTy.name === 'HashSet' ? 'HashSet' : 'HashMap',
    block: null,
    ty: c.destTy,
  };
  if (n === null) return unknownOwn(m, c.destTy);
  if (n === 0) return own;
  const id = allocTable(m, own, [], bucketsFor(n, m.elemSize(heapElemTy(c.destTy)) ?? 8), own.kind);
  return { ...own, block: id };
};

/** `drain()`: the entries by value; the table keeps its allocation. */
export const drainSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const b = m.block(r.block ?? null);
  if (!r.own) return null;
  if (b?.unknownContents) return null;
  const items = b ? b.elems : [];
  if (b) b.elems = [];
  return { k: 'iter', src: { kind: 'list', items }, pos: 0, end: items.length };
};

/** `union` / `intersection` / `difference` of two sets: references to the elements, in the order the simulation keeps. */
export const setOpSim =
  (op: 'union' | 'intersection' | 'difference'): Sim =>
  (m, c) => {
    const a = container(m, c.args[0]);
    const b = container(m, c.args[1]);
    const ba = m.block(a.block ?? null);
    const bb = m.block(b.block ?? null);
    if (!a.own || !b.own || ba?.unknownContents || bb?.unknownContents) return null;
    const ea = ba ? ba.elems : [];
    const eb = bb ? bb.elems : [];
    const ref = (block: number, i: number): Val => ({ k: 'ptr', to: { region: 'heap', block, path: [i] }, mutable: false });
    const items: Val[] = [];
    for (let i = 0; i < ea.length; i++) {
      const inB = findKey(m, eb, ea[i], true);
      if (inB === null) return null;
      if (op === 'union' || (op === 'intersection') === inB >= 0) items.push(ref(ba!.id, i));
    }
    if (op === 'union') {
      for (let i = 0; i < eb.length; i++) {
        const inA = findKey(m, ea, eb[i], true);
        if (inA === null) return null;
        if (inA < 0) items.push(ref(bb!.id, i));
      }
    }
    return { k: 'iter', src: { kind: 'list', items }, pos: 0, end: items.length };
  };

export const HASHMAP_SIMS: SimTable<typeof HASHMAP_IMPL> = {
  new: newEmpty('HashMap'),
  with_capacity: withCapacitySim,
  insert: insertSim,
  get: getSim(false),
  get_mut: getSim(true),
  contains_key: containsSim,
  remove: removeSim,
  entry: entrySim,
  len: lenSim('len'),
  is_empty: lenSim('is_empty'),
  capacity: lenSim('capacity'),
  clear: clearSim('clear'),
  iter: entriesSim('pairs', false, ORDER_NOTE),
  iter_mut: entriesSim('pairs', true, ORDER_NOTE),
  keys: entriesSim('keys', false, ORDER_NOTE),
  values: entriesSim('values', false, ORDER_NOTE),
  values_mut: entriesSim('values', true, ORDER_NOTE),
  into_iter: (m, c) => iterOver(m, c.args[0], 'into'),
  drain: drainSim,
  retain: retainEntriesSim,
  extend: extendWith(insertSim),
};

export const HASHSET_SIMS: SimTable<typeof HASHSET_IMPL> = {
  new: newEmpty('HashSet'),
  with_capacity: withCapacitySim,
  insert: insertSim,
  contains: containsSim,
  remove: removeSim,
  len: lenSim('len'),
  is_empty: lenSim('is_empty'),
  capacity: lenSim('capacity'),
  clear: clearSim('clear'),
  iter: entriesSim('keys', false, ORDER_NOTE),
  into_iter: (m, c) => iterOver(m, c.args[0], 'into'),
  drain: drainSim,
  union: setOpSim('union'),
  intersection: setOpSim('intersection'),
  difference: setOpSim('difference'),
  retain: retainEntriesSim,
  extend: extendWith(insertSim),
};

/** The value type of the map an entry borrows. */
function valueTy(own: Val & { k: 'own' }): Ty {
  return own.ty.kind === 'adt' && own.ty.args[1] ? own.ty.args[1] : { kind: 'unknown' };
}

/** `or_insert(v)` / `or_insert_with(f)` / `or_default()` of a HashMap or BTreeMap entry: `&mut` to the value. */
const orInsertSim =
  (how: 'or_insert' | 'or_insert_with' | 'or_default'): Sim =>
  (m, c: SimCall) => {
    const e = c.args[0];
    if (!e || e.k !== 'agg' || e.adt !== 'Entry') return null;
    const key = e.fields[1] ?? unknownVal();
    const r = container(m, e.fields[0]);
    if (!r.own || !r.loc) return null;
    const make = (): Val =>
      how === 'or_insert'
        ? (c.args[1] ?? unknownVal())
        : how === 'or_insert_with' && c.args[1]
          ? m.callValue(c.args[1], [])
          : defaultOf(m, valueTy(r.own!));
    if (heapShape(r.own.kind)?.kind === 'btree') return btreeEntryInsert(m, r.loc, r.own, key, make);
    const b = m.block(r.own.block);
    if (b?.unknownContents) return unknownVal();
    let i = findKey(m, b ? b.elems : [], key, false);
    if (i === null) return unknownVal();
    if (i < 0) i = tablePush(m, r.loc, r.own, { k: 'agg', fields: [key, make()] });
    // An occupied entry drops the key it was given.
    else m.dropVal(key, r.own.ty.kind === 'adt' ? (r.own.ty.args[0] ?? { kind: 'unknown' }) : { kind: 'unknown' }, null, 0);
    const now = m.read(r.loc);
    const block = now.k === 'own' ? now.block : null;
    return block === null ? unknownVal() : { k: 'ptr', to: { region: 'heap', block, path: [i, 1] }, mutable: true };
  };

export const ENTRY_SIMS: SimTable<typeof ENTRY_IMPL> = {
  or_insert: orInsertSim('or_insert'),
  or_insert_with: orInsertSim('or_insert_with'),
  or_default: orInsertSim('or_default'),
  and_modify: notSimulated('calls the closure on an occupied entry and returns the entry; not modelled'),
  key: (_m, c) => {
    const e = c.args[0];
    const ev = e && e.k === 'ptr' && e.to ? _m.read(e.to) : e;
    return ev && ev.k === 'agg' && ev.adt === 'Entry' ? _m.scratchRef(cloneVal(ev.fields[1] ?? unknownVal())) : unknownVal();
  },
};
