/**
 * Simulation of `VecDeque<T>` (`../vecdeque.ts`): the block's `elems` are in logical order and
 * `head` is the physical index of element 0 in the ring, moved as alloc's
 * `collections/vec_deque/mod.rs` moves it (push_front, pop_front, insert/remove of the shorter
 * side, `clear`, growth, `make_contiguous`), so `as_slices` and the panel show where elements
 * really are.
 */
import type { StdHost } from '../../interp/host';
import { type Val, unitVal, unknownVal } from '../../interp/memory';
import type { VECDEQUE_IMPL } from '../vecdeque';
import { notSimulated, type Sim, type SimCall, type SimTable } from './api';
import { clearSim, containsSim, extendSim, getSim, lenSim, reserveSim, retainSim, swapSim } from './buffer';
import { container, ensureCap, intArg, newEmpty, none, some, unknownOwn } from './common';
import { iterOver } from './iterate';

/** The deque behind a receiver, with its block (undefined before the first allocation). */
function deque(m: StdHost, c: SimCall) {
  const r = container(m, c.args[0]);
  if (!r.own || !r.loc) return null;
  const b = m.block(r.own.block);
  if (b?.unknownContents) return null;
  return { r, own: r.own, loc: r.loc, b };
}

const push =
  (front: boolean): Sim =>
  (m, c) => {
    const d = deque(m, c);
    if (!d) return null;
    const id = ensureCap(m, d.loc, d.own, 1);
    const b = m.block(id);
    if (!b) return unitVal();
    const v = c.args[1] ?? unknownVal();
    if (front) {
      b.head = ((b.head ?? 0) - 1 + b.cap) % b.cap;
      b.elems.unshift(v);
    } else b.elems.push(v);
    m.emit(
      'write',
      `pushed ${m.short(v)} onto the ${front ? 'front' : 'back'} of heap:${b.id} (len ${b.elems.length}, capacity ${b.cap})`,
      [`heap:${b.id}`],
    );
    return unitVal();
  };

const pop =
  (front: boolean): Sim =>
  (m, c) => {
    const d = deque(m, c);
    if (!d) return unknownVal();
    if (!d.b || d.b.elems.length === 0) return none();
    if (front) {
      d.b.head = ((d.b.head ?? 0) + 1) % d.b.cap;
      return some(d.b.elems.shift()!);
    }
    return some(d.b.elems.pop()!);
  };

/** `insert(i, x)`: the shorter side moves; moving the front part moves `head` back by one. */
const insertSim: Sim = (m, c) => {
  const d = deque(m, c);
  const i = intArg(m, c.args[1]);
  if (!d || i === null) return null;
  const len = d.b ? d.b.elems.length : 0;
  if (i > len) m.halt('panic', 'panicked: index out of bounds');
  const id = ensureCap(m, d.loc, d.own, 1);
  const b = m.block(id);
  if (!b) return unitVal();
  if (!(len - i < i)) b.head = ((b.head ?? 0) - 1 + b.cap) % b.cap;
  b.elems.splice(i, 0, c.args[2] ?? unknownVal());
  return unitVal();
};

/** `remove(i)`: `Option<T>`; the shorter side moves (the front part: `head` forward by one). */
const removeSim: Sim = (m, c) => {
  const d = deque(m, c);
  const i = intArg(m, c.args[1]);
  if (!d || i === null) return null;
  if (!d.b || i >= d.b.elems.length) return none();
  const k = d.b.elems.length - i - 1;
  if (!(k < i)) d.b.head = ((d.b.head ?? 0) + 1) % d.b.cap;
  return some(d.b.elems.splice(i, 1)[0]);
};

/** The two physical runs of the ring, as `(&[T], &[T])` into the block (element i of the block is logical element i). */
const asSlicesSim: Sim = (m, c) => {
  const d = deque(m, c);
  if (!d) return unknownVal();
  const empty = (): Val => ({ k: 'ptr', to: null, mutable: false, len: 0 });
  if (!d.b || d.b.elems.length === 0) return { k: 'agg', fields: [empty(), empty()] };
  const len = d.b.elems.length;
  const first = Math.min(len, d.b.cap - (d.b.head ?? 0));
  const at = (i: number, n: number): Val =>
    n === 0 ? empty() : { k: 'ptr', to: { region: 'heap', block: d.b!.id, path: [i] }, mutable: false, len: n };
  return { k: 'agg', fields: [at(0, first), at(first, len - first)] };
};

/** `make_contiguous()`: alloc's three cases (copy the head part, copy the tail part, rotate). */
const makeContiguousSim: Sim = (m, c) => {
  const d = deque(m, c);
  if (!d) return unknownVal();
  const b = d.b;
  if (b && b.elems.length) {
    const head = b.head ?? 0;
    const len = b.elems.length;
    const cap = b.cap;
    if (head + len > cap) {
      const free = cap - len;
      const headLen = cap - head;
      const tailLen = len - headLen;
      if (free >= headLen) b.head = 0;
      else if (free >= tailLen) b.head = tailLen;
      else b.head = headLen > tailLen ? free : 0;
    }
  }
  return { k: 'ptr', to: b ? { region: 'heap', block: b.id, path: [0] } : null, mutable: true, len: b ? b.elems.length : 0 };
};

export const VECDEQUE_SIMS: SimTable<typeof VECDEQUE_IMPL> = {
  new: newEmpty('VecDeque'),
  with_capacity: (m, c) => {
    const n = intArg(m, c.args[0]);
    if (n === null || n > 10_000_000) return unknownOwn(m, c.destTy);
    if (n === 0) return { k: 'own', kind: 'VecDeque', block: null, ty: c.destTy };
    const elemTy = c.destTy.kind === 'adt' && c.destTy.args[0] ? c.destTy.args[0] : { kind: 'unknown' as const };
    const id = m.alloc('VecDeque', elemTy, [], n, 'VecDeque');
    m.block(id)!.head = 0;
    return { k: 'own', kind: 'VecDeque', block: id, ty: c.destTy };
  },
  push_back: push(false),
  push_front: push(true),
  pop_back: pop(false),
  pop_front: pop(true),
  front: getSim('first'),
  back: getSim('last'),
  front_mut: getSim('first', true),
  back_mut: getSim('last', true),
  get: getSim('get'),
  get_mut: getSim('get', true),
  len: lenSim('len'),
  is_empty: lenSim('is_empty'),
  capacity: lenSim('capacity'),
  clear: (m, c) => {
    const r = clearSim('clear')(m, c);
    const d = deque(m, c);
    if (d?.b) d.b.head = 0;
    return r;
  },
  truncate: clearSim('truncate'),
  contains: containsSim,
  insert: insertSim,
  remove: removeSim,
  swap: swapSim,
  reserve: reserveSim,
  as_slices: asSlicesSim,
  make_contiguous: makeContiguousSim,
  iter: (m, c) => iterOver(m, c.args[0], 'ref'),
  iter_mut: (m, c) => iterOver(m, c.args[0], 'mut'),
  into_iter: (m, c) => iterOver(m, c.args[0], 'into'),
  drain: notSimulated('range arguments (`..`, `a..b`) are not passed to the simulation as bounds'),
  retain: retainSim,
  extend: extendSim('iter'),
};
