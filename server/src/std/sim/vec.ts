/**
 * Simulation of `Vec<T>`, `[T]`, `[T; N]` and `vec!` (`../vec.ts`). A Vec's block holds its
 * elements (capacity in elements); slices are fat pointers into a block, a static or an array slot.
 */
import type { Ty } from '../../hir/ty';
import { type Val, cloneVal, isRunScalar, unknownVal, withPath } from '../../interp/memory';
import { chargeValues, checkLength } from '../../interp/budget';
import type { ARRAY_IMPL, SLICE_IMPL, VEC_IMPL } from '../vec';
import { type BuiltinSims, notSimulated, type Sim, type SimTable } from './api';
import {
  asPtrSim,
  clearSim,
  containsSim,
  dedupSim,
  extendSim,
  fillSim,
  getSim,
  insertSim,
  joinSim,
  lenSim,
  popSim,
  pushSim,
  removeSim,
  reserveSim,
  retainSim,
  reverseSim,
  shrinkSim,
  sortSim,
  sortBySim,
  sortByKeySim,
  splitOffSim,
  swapRemoveSim,
  swapSim,
  toVecSim,
} from './buffer';
import { cloneOf, container, deref, ensureCap, intArg, newVec, sliceOf, unknownOwn } from './common';
import { iterOver } from './iterate';
import { intoBoxedSim } from './boxed';

/** The Vec type a constructor makes: the destination's, else `Vec<?>`. */
const vecTy = (dest: Ty): Ty => (dest.kind === 'adt' ? dest : { kind: 'adt', name: 'Vec', args: [], std: true });

/**
 * `vec![x; n]` and `Vec::from_elem`: `n` clones of `x`, capacity exactly `n`. A scalar `x` makes
 * a run (`ElemRun`: one value and a count, O(1) until the elements differ); the heap budget
 * counts its `n` elements' bytes all the same.
 */
const fromElem: Sim = (m, c) => {
  const n = intArg(m, c.args[1]);
  if (n === null) return unknownOwn(m, c.destTy);
  checkLength(n, `\`vec![_; ${n}]\``);
  const x = c.args[0] ?? unknownVal();
  if (isRunScalar(x)) return newVec(m, c.destTy, { val: x, count: n }, n);
  chargeValues(n);
  // `n - 1` clones (`Clone::clone`: a Vec or String element allocates its own buffer), then `x` itself.
  return newVec(
    m,
    c.destTy,
    Array.from({ length: n }, (_, i) => (i === n - 1 ? x : cloneOf(m, x, true))),
    n,
  );
};

/** `Vec::from(array | slice)`: clones the elements, capacity = length. */
const fromSim: Sim = (m, c) => {
  const ty = vecTy(c.destTy);
  const src = deref(m, c.args[0]);
  if (src.k === 'agg' && !src.adt) return newVec(m, ty, src.fields.map(cloneVal), src.fields.length);
  const r = container(m, c.args[0]);
  if (r.elemsLoc && r.len !== null) {
    const elems = Array.from({ length: r.len }, (_, i) => cloneVal(m.read(withPath(r.elemsLoc!, [(r.offset ?? 0) + i]))));
    return newVec(m, ty, elems, r.len);
  }
  return unknownOwn(m, ty);
};

/** `resize(n, value)`: truncates or appends clones, growing like RawVec. */
const resizeSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const n = intArg(m, c.args[1]);
  if (!r.own || !r.loc || n === null) return null;
  const b = m.block(r.own.block);
  const len = b ? b.elems.length : 0;
  if (n <= len) return clearSim('truncate')(m, c);
  const id = ensureCap(m, r.loc, r.own, n - len);
  const nb = m.block(id);
  for (let i = len; i < n; i++) nb?.elems.push(cloneVal(c.args[2] ?? unknownVal()));
  return { k: 'agg', fields: [] };
};

const asSlice: Sim = (m, c) => sliceOf(m, c.args[0]);

export const VEC_SIMS: SimTable<typeof VEC_IMPL> = {
  new: (m, c) => newVec(m, vecTy(c.destTy), [], 0),
  with_capacity: (m, c) => {
    const n = intArg(m, c.args[0]);
    const ty = vecTy(c.destTy);
    if (n === null || n > 10_000_000) return unknownOwn(m, ty);
    return newVec(m, ty, [], n);
  },
  from: fromSim,
  push: pushSim('push'),
  pop: popSim,
  len: lenSim('len'),
  capacity: lenSim('capacity'),
  is_empty: lenSim('is_empty'),
  insert: insertSim,
  remove: removeSim(false),
  swap_remove: swapRemoveSim,
  clear: clearSim('clear'),
  truncate: clearSim('truncate'),
  reserve: reserveSim,
  shrink_to_fit: shrinkSim,
  resize: resizeSim,
  extend: extendSim('iter'),
  extend_from_slice: extendSim('slice'),
  append: extendSim('append'),
  split_off: splitOffSim,
  as_slice: asSlice,
  as_mut_slice: (m, c) => ({ ...(sliceOf(m, c.args[0]) as Val & { k: 'ptr' }), mutable: true }),
  as_ptr: asPtrSim(false),
  as_mut_ptr: asPtrSim(true),
  drain: notSimulated('range arguments (`..`, `a..b`) are not passed to the simulation as bounds'),
  retain: retainSim,
  dedup: dedupSim,
  into_iter: (m, c) => iterOver(m, c.args[0], 'into'),
  into_boxed_slice: intoBoxedSim,
};

/** `split_at(mid)` / `split_at_mut(mid)` on a slice: two views into the same elements, as mutable as the receiver. */
const splitAtSlice: Sim = (m, c) => {
  const s = sliceOf(m, c.args[0]);
  const mid = intArg(m, c.args[1]);
  if (s.k !== 'ptr' || typeof s.len !== 'number' || !s.to || mid === null) return null;
  if (mid > s.len) m.halt('panic', 'panicked: mid > len');
  const second = s.to.path.length
    ? { ...s.to, path: [...s.to.path.slice(0, -1), s.to.path[s.to.path.length - 1] + mid] }
    : withPath(s.to, [mid]);
  return {
    k: 'agg',
    fields: [
      { ...s, len: mid },
      { ...s, to: second as typeof s.to, len: s.len - mid },
    ],
  };
};

export const SLICE_SIMS: SimTable<typeof SLICE_IMPL> = {
  len: lenSim('len'),
  is_empty: lenSim('is_empty'),
  iter: (m, c) => iterOver(m, c.args[0], 'ref'),
  iter_mut: (m, c) => iterOver(m, c.args[0], 'mut'),
  get: getSim('get'),
  get_mut: getSim('get', true),
  first: getSim('first'),
  last: getSim('last'),
  first_mut: getSim('first', true),
  last_mut: getSim('last', true),
  contains: containsSim,
  starts_with: notSimulated('compares against a slice argument; not modelled'),
  to_vec: toVecSim,
  sort: sortSim,
  sort_unstable: sortSim,
  sort_by: sortBySim,
  sort_by_key: sortByKeySim,
  reverse: reverseSim,
  swap: swapSim,
  fill: fillSim,
  binary_search: notSimulated('its `Err` position depends on `Ord` of values the simulation may not know'),
  split_at: splitAtSlice,
  split_at_mut: splitAtSlice,
  windows: notSimulated('overlapping sub-slice iterators are not modelled'),
  chunks: notSimulated('sub-slice iterators are not modelled'),
  as_ptr: asPtrSim(false),
  join: joinSim('join'),
  concat: joinSim('concat'),
};

export const ARRAY_SIMS: SimTable<typeof ARRAY_IMPL> = {
  into_iter: (m, c) => iterOver(m, c.args[0], 'into'),
  map: notSimulated('returns a new array of closure results; the closure runs per element, not modelled'),
};

/** `vec![a, b]` and `vec![x; n]`. */
export const VEC_BUILTINS: BuiltinSims<'vec!' | 'vec::from_elem'> = {
  'vec!': (m, c) => newVec(m, c.destTy, c.args.map(cloneVal), c.args.length),
  'vec::from_elem': fromElem,
};
