/**
 * Simulation of the `Iterator` methods (`../iter.ts`): adapters wrap the receiver iterator
 * (`map`, `filter`, `enumerate`, `skip`, `take`, `zip`, `chain`, `rev`...) and run lazily, so
 * closures are called when items are pulled, as in Rust; consumers (`collect`, `sum`, `count`,
 * `fold`, `for_each`...) step the receiver in its own slot to the end. `collect` builds Vecs,
 * Strings, VecDeques, maps and sets with their collections' own insertion rules.
 */
import type { IntName, Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { type Val, intVal, unitVal, unknownVal } from '../../interp/memory';
import type { ITERATOR_IMPL, PEEKABLE_IMPL } from '../iter';
import { heapShape, stdNameOf } from '../registry';
import { notSimulated, type Sim, type SimCall, type SimTable } from './api';
import { compareVals, deref, newString, newVec, none, ok, ownKindOf, some, unknownOwn } from './common';
import { type IterVal, drainAt, drainItems, iterLoc, iterNext, iterOver, unknownIter, userIter } from './iterate';
import { HASHMAP_SIMS, HASHSET_SIMS } from './hashmap';
import { BTREEMAP_SIMS, BTREESET_SIMS } from './btree';

/** The receiver iterator value (by value or behind a reference). */
function recvIter(m: StdHost, v: Val | undefined): IterVal | null {
  const d = deref(m, v);
  return d.k === 'iter' ? d : v ? (userIter(m, v, d) ?? null) : null;
}

/** An adapter that keeps a closure: `map`, `filter`, `filter_map`, `take_while`, `skip_while`, `inspect`. */
const withClosure = (kind: 'map' | 'filter' | 'filter_map' | 'take_while' | 'skip_while' | 'inspect'): Sim =>
  adapter((inner, _m, c) => (c.args[1] ? { kind, inner, f: c.args[1] } : null));

/**
 * `partition(f)`: the items for which `f(&item)` holds, then the others, each collected into
 * the destination tuple's collection type (as `Extend` on a default collection).
 */
const partitionSim: Sim = (m, c) => {
  const f = c.args[1];
  if (!recvIter(m, c.args[0]) || !f) return null;
  const items = drainItems(m, c);
  if (items === null) return null;
  const yes: Val[] = [];
  const no: Val[] = [];
  for (const x of items) {
    const keep = m.callValue(f, [m.scratchRef(x)]);
    if (keep.k !== 'bool') return null;
    (keep.v ? yes : no).push(x);
  }
  const d = c.destTy;
  const elemTy = (i: number): Ty => (d.kind === 'tuple' ? (d.elems[i] ?? { kind: 'unknown' }) : { kind: 'unknown' });
  const a = collectInto(m, c, yes, elemTy(0));
  const b = collectInto(m, c, no, elemTy(1));
  return a && b ? { k: 'agg', fields: [a, b] } : null;
};

/** An adapter around the receiver: `make(inner)` gives its source. */
const adapter =
  (make: (inner: IterVal, m: StdHost, c: SimCall) => IterVal['src'] | null): Sim =>
  (m, c) => {
    const inner = recvIter(m, c.args[0]);
    if (!inner) return null;
    const src = make(inner, m, c);
    return src ? { k: 'iter', src, pos: 0, end: null } : null;
  };

/** A consumer: runs the receiver to its end, then `f(items)`. */
const consumer =
  (f: (items: Val[], m: StdHost, c: SimCall) => Val | null): Sim =>
  (m, c) => {
    if (!recvIter(m, c.args[0])) return null;
    const items = drainItems(m, c);
    return items === null ? null : f(items, m, c);
  };

/** Numbers of the items (through references), or null. */
function numbers(m: StdHost, items: Val[]): Val[] | null {
  const nums = items.map((x) => deref(m, x));
  return nums.every((x) => x.k === 'int' || x.k === 'float') ? nums : null;
}

const sumProduct =
  (which: 'sum' | 'product') =>
  (items: Val[], m: StdHost): Val | null => {
    const nums = numbers(m, items);
    if (!nums) return null;
    if (nums.every((x) => x.k === 'int')) {
      const ty = (nums[0] as { ty?: IntName } | undefined)?.ty;
      let acc = which === 'sum' ? 0n : 1n;
      for (const x of nums) acc = which === 'sum' ? acc + (x as { v: bigint }).v : acc * (x as { v: bigint }).v;
      return m.wrapInt(acc, ty, false);
    }
    let acc = which === 'sum' ? 0 : 1;
    for (const x of nums)
      acc = which === 'sum' ? acc + Number((x as { v: number | bigint }).v) : acc * Number((x as { v: number | bigint }).v);
    return { k: 'float', v: acc };
  };

/** `max` returns the last maximum, `min` the first minimum (Iterator::max/min). */
const extreme =
  (which: 'max' | 'min') =>
  (items: Val[], m: StdHost): Val | null => {
    if (!items.length) return none();
    let best = 0;
    for (let i = 1; i < items.length; i++) {
      const cmp = compareVals(m, items[i], items[best]);
      if (cmp === null) return null;
      if (which === 'max' ? cmp >= 0 : cmp < 0) best = i;
    }
    return some(items[best]);
  };

/**
 * `max_by(cmp)` / `min_by(cmp)` / `max_by_key(f)` / `min_by_key(f)`: as `max`/`min` (the last
 * maximum, the first minimum), comparing with the closure's `Ordering` (it takes `&Item, &Item`)
 * or the keys `f(&item)` computed once per item, in order (core::iter::Iterator).
 */
const extremeBy =
  (which: 'max' | 'min', by: 'cmp' | 'key'): Sim =>
  (m, c) => {
    const f = c.args[1];
    if (!recvIter(m, c.args[0]) || !f) return null;
    const items = drainItems(m, c);
    if (items === null) return null;
    if (!items.length) return none();
    const keys = by === 'key' ? items.map((x) => m.callValue(f, [m.scratchRef(x)])) : items;
    const order = (a: number, b: number): number | null => {
      if (by === 'key') return compareVals(m, keys[a], keys[b]);
      const o = m.callValue(f, [m.scratchRef(items[a]), m.scratchRef(items[b])]);
      return o.k === 'agg' && o.adt === 'Ordering' ? (o.variant === 'Less' ? -1 : o.variant === 'Greater' ? 1 : 0) : null;
    };
    let best = 0;
    // As core's fold: `compare(&best, &next)`; max keeps `next` unless `Greater`, min only on `Greater`.
    for (let i = 1; i < items.length; i++) {
      const cmp = order(best, i);
      if (cmp === null) return unknownVal();
      if (which === 'max' ? cmp <= 0 : cmp > 0) best = i;
    }
    return some(items[best]);
  };

/** `any` / `all` / `find` / `position`: stop at the first decisive item (the receiver is left there). */
const shortCircuit =
  (which: 'any' | 'all' | 'find' | 'position'): Sim =>
  (m, c) => {
    const f = c.args[1];
    if (!recvIter(m, c.args[0]) || !f) return null;
    const loc = iterLoc(m, c);
    if (!loc) return unknownVal();
    for (let i = 0; i < 1_000_000; i++) {
      const r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
      if (r.k !== 'agg' || r.variant === undefined) return unknownVal();
      if (r.variant === 'None') return which === 'any' ? { k: 'bool', v: false } : which === 'all' ? { k: 'bool', v: true } : none();
      const item = r.fields[0] ?? unknownVal();
      // find's predicate takes `&Item`; the others take the item.
      const v = m.callValue(f, [which === 'find' ? m.scratchRef(item) : item]);
      if (v.k !== 'bool') return unknownVal();
      if (which === 'all' ? !v.v : v.v) {
        if (which === 'any' || which === 'all') return { k: 'bool', v: which === 'any' };
        return some(which === 'find' ? item : intVal(i, 'usize'));
      }
    }
    return unknownVal();
  };

/** `collect()` into the destination type: Vec, String, VecDeque, HashMap/HashSet, BTreeMap/BTreeSet. */
const collectSim: Sim = (m, c) => {
  if (!recvIter(m, c.args[0])) return null;
  const items = drainItems(m, c);
  if (items === null) return null;
  return collectInto(m, c, items, c.destTy);
};

/** Builds the collection of type `dest` from `items` (see `collectSim`). */
function collectInto(m: StdHost, c: SimCall, items: Val[], dest: Ty): Val | null {
  // `Result<C, E>: FromIterator<Result<A, E>>` (and Option): the first `Err`/`None`, else `Ok(C)` of the values.
  if (dest.kind === 'adt' && dest.std && (stdNameOf(dest.name) === 'Result' || stdNameOf(dest.name) === 'Option')) {
    const values: Val[] = [];
    for (const it of items) {
      const d = deref(m, it);
      if (d.k !== 'agg' || !d.variant) return null;
      if (d.variant === 'Err' || d.variant === 'None') return d;
      values.push(d.fields[0] ?? unknownVal());
    }
    const inner = collectInto(m, c, values, dest.args[0] ?? { kind: 'unknown' });
    if (inner === null) return null;
    return stdNameOf(dest.name) === 'Result' ? ok(inner) : some(inner);
  }
  const k = ownKindOf(dest);
  if (k === null && dest.kind !== 'unknown' && !(dest.kind === 'adt' && dest.std && stdNameOf(dest.name) === 'Vec')) return null;
  if (k === null) m.note(`line ${m.span.start.line + 1}: \`collect\` into a type the simulation does not know: a Vec is assumed`);
  if (k === 'String') {
    const parts = items.map((x) => {
      const d = deref(m, x);
      return d.k === 'char' ? d.v : m.asText(x);
    });
    if (parts.some((p) => p === null)) return unknownOwn(m, dest);
    // `String: FromIterator` pushes each piece: the capacity grows as push_str does.
    const text = parts.join('');
    return newString(m, text);
  }
  if (k === 'Vec' || k === null)
    return newVec(m, k === 'Vec' ? dest : { kind: 'adt', name: 'Vec', args: [{ kind: 'unknown' }], std: true }, items, items.length);
  if (k === 'VecDeque') {
    const v = newVec(m, { kind: 'adt', name: 'Vec', args: dest.kind === 'adt' ? dest.args : [], std: true }, items, items.length);
    if (v.k !== 'own') return v;
    const b = m.block(v.block);
    if (b) {
      b.kind = 'VecDeque';
      b.head = 0;
    }
    return { ...v, kind: 'VecDeque', ty: dest };
  }
  const shape = heapShape(k);
  if (shape?.kind === 'table' || shape?.kind === 'btree') {
    const set = 'set' in shape && shape.set === true;
    const insert =
      shape.kind === 'table' ? (set ? HASHSET_SIMS.insert : HASHMAP_SIMS.insert) : set ? BTREESET_SIMS.insert : BTREEMAP_SIMS.insert;
    const cell = m.scratchRef({ k: 'own', kind: k, block: null, ty: dest });
    if (typeof insert !== 'function') return null;
    for (const it of items) {
      const pair = it.k === 'agg' ? it : undefined;
      insert(m, { ...c, args: set ? [cell, it] : [cell, pair?.fields[0] ?? unknownVal(), pair?.fields[1] ?? unknownVal()] });
    }
    return cell.k === 'ptr' && cell.to ? m.read(cell.to) : null;
  }
  return null;
}

/** `rev()`: the remaining items of a finite iterator, in reverse (a double-ended iterator's `next_back`). */
const revSim: Sim = (m, c) => {
  const inner = recvIter(m, c.args[0]);
  if (!inner) return null;
  const cell = m.scratchRef(inner);
  const items = cell.k === 'ptr' && cell.to ? drainAt(m, cell.to) : null;
  if (items === null) return unknownIter();
  return { k: 'iter', src: { kind: 'list', items: items.reverse() }, pos: 0, end: null };
};

/** `fold(init, f)`. */
const foldSim: Sim = (m, c) => {
  const f = c.args[2];
  if (!recvIter(m, c.args[0]) || !f) return null;
  const items = drainItems(m, c);
  if (items === null) return null;
  let acc = c.args[1] ?? unknownVal();
  for (const x of items) acc = m.callValue(f, [acc, x]);
  return acc;
};

/** `nth(n)`: skips `n` items, returns the next. */
const nthSim: Sim = (m, c) => {
  const n = deref(m, c.args[1]);
  const loc = recvIter(m, c.args[0]) ? iterLoc(m, c) : null;
  if (!loc || n.k !== 'int') return unknownVal();
  let r: Val = none();
  for (let i = 0n; i <= n.v; i++) {
    r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
    if (r.k !== 'agg' || r.variant !== 'Some') return r;
  }
  return r;
};

const count = (n: Val | undefined, m: StdHost): number | null => {
  const d = deref(m, n);
  return d.k === 'int' ? Number(d.v) : null;
};

export const ITERATOR_SIMS: SimTable<typeof ITERATOR_IMPL> = {
  next: (m, c) => iterNext(m, c.args[0]),
  map: withClosure('map'),
  filter: withClosure('filter'),
  filter_map: withClosure('filter_map'),
  enumerate: adapter((inner) => ({ kind: 'enumerate', inner })),
  rev: revSim,
  zip: adapter((inner, m, c) => {
    const other = iterOver(m, c.args[1], 'into');
    return other.src.kind === 'unknown' ? null : { kind: 'zip', inner, other };
  }),
  skip: adapter((inner, m, c) => {
    const n = count(c.args[1], m);
    return n === null ? null : { kind: 'skip', inner, n };
  }),
  take: adapter((inner, m, c) => {
    const n = count(c.args[1], m);
    return n === null ? null : { kind: 'take', inner, n };
  }),
  step_by: adapter((inner, m, c) => {
    const n = count(c.args[1], m);
    if (n === 0) m.halt('panic', 'panicked: assertion failed: step != 0');
    return n === null ? null : { kind: 'step_by', inner, n };
  }),
  chain: adapter((inner, m, c) => {
    const other = iterOver(m, c.args[1], 'into');
    return other.src.kind === 'unknown' ? null : { kind: 'chain', inner, other };
  }),
  cloned: adapter((inner) => ({ kind: 'cloned', inner, n: 0 })),
  copied: adapter((inner) => ({ kind: 'copied', inner, n: 0 })),
  peekable: adapter((inner) => ({ kind: 'peekable', inner })),
  flat_map: notSimulated('its closure returns an iterator per item; not modelled'),
  take_while: withClosure('take_while'),
  skip_while: withClosure('skip_while'),
  inspect: withClosure('inspect'),
  partition: partitionSim,
  collect: collectSim,
  count: consumer((items) => intVal(items.length, 'usize')),
  sum: consumer(sumProduct('sum')),
  product: consumer(sumProduct('product')),
  max: consumer(extreme('max')),
  min: consumer(extreme('min')),
  max_by: extremeBy('max', 'cmp'),
  min_by: extremeBy('min', 'cmp'),
  max_by_key: extremeBy('max', 'key'),
  min_by_key: extremeBy('min', 'key'),
  last: consumer((items) => (items.length ? some(items[items.length - 1]) : none())),
  nth: nthSim,
  fold: foldSim,
  for_each: consumer((items, m, c) => {
    if (c.args[1]) for (const x of items) m.callValue(c.args[1], [x]);
    return unitVal();
  }),
  any: shortCircuit('any'),
  all: shortCircuit('all'),
  position: shortCircuit('position'),
  find: shortCircuit('find'),
};

export const PEEKABLE_SIMS: SimTable<typeof PEEKABLE_IMPL> = {
  // `peek()`: the next item, kept in the adapter until `next()` takes it.
  peek: (m, c) => {
    const loc = iterLoc(m, c);
    const it = loc ? m.read(loc) : undefined;
    if (!loc || !it || it.k !== 'iter' || it.src.kind !== 'peekable') return unknownVal();
    if (it.src.peeked === undefined) {
      const inner = it.src.inner;
      m.write(loc, inner);
      const r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
      const after = m.read(loc);
      m.write(loc, { ...it, src: { kind: 'peekable', inner: after.k === 'iter' ? after : inner, peeked: r } });
    }
    const now = m.read(loc);
    const peeked = now.k === 'iter' && now.src.kind === 'peekable' ? now.src.peeked : undefined;
    if (!peeked || peeked.k !== 'agg' || peeked.variant !== 'Some') return peeked ?? unknownVal();
    return some(m.scratchRef(peeked.fields[0] ?? unknownVal()));
  },
};
