/**
 * Simulation of `Rc<T>` / `Arc<T>` and their weak handles (`../rc.ts`): handles share one
 * counted block (`HeapBlockRec.rc`: `strong`, and `weak` including the implicit weak reference
 * the strong ones hold together, as std counts); the value is dropped at strong 0, the block
 * freed at weak 0 (`interp.ts` `dropOwn`).
 */
import type { StdHost } from '../../interp/host';
import { type Val, heapId, intVal, unknownVal } from '../../interp/memory';
import type { ARC_IMPL, RC_IMPL, SYNC_WEAK_IMPL, WEAK_IMPL } from '../rc';
import { heapShape } from '../registry';
import { notSimulated, type Sim, type SimTable } from './api';
import { allocOne, asRefSim } from './boxed';
import { bool, cmpSim, none, partialCmpSim, some, strBytes } from './common';
import { displayTy } from '../../hir/ty';

/** The counted (or weak) handle a receiver is, through references. */
function handle(m: StdHost, v: Val | undefined): (Val & { k: 'own' }) | null {
  let cur = v ?? unknownVal();
  for (let i = 0; i < 8 && cur.k === 'ptr' && cur.to; i++) cur = m.read(cur.to);
  if (cur.k !== 'own') return null;
  const s = heapShape(cur.kind)?.kind;
  return s === 'counted' || s === 'weak' ? cur : null;
}

/** `Rc::clone(&a)` / `a.clone()`: a new handle to the same block, strong + 1. */
const cloneSim: Sim = (m, c) => {
  const h = handle(m, c.args[0]);
  if (!h) return null;
  const b = m.block(h.block);
  if (b?.rc) {
    if (heapShape(h.kind)?.kind === 'weak') b.rc.weak++;
    else {
      b.rc.strong++;
      m.emit('write', `${h.kind} strong count of heap:${b.id}: ${b.rc.strong - 1} → ${b.rc.strong}`, [heapId(b.id)]);
    }
  }
  return { ...h };
};

/** `strong_count` / `weak_count` (std's weak count leaves out the implicit weak of the strong references). */
const countSim =
  (which: 'strong' | 'weak'): Sim =>
  (m, c) => {
    const h = handle(m, c.args[0]);
    if (h && h.block === null) return intVal(0, 'usize'); // Weak::new()
    const b = h ? m.block(h.block) : undefined;
    if (!b?.rc) return unknownVal();
    if (which === 'strong') return intVal(b.rc.strong, 'usize');
    return intVal(b.rc.strong > 0 ? b.rc.weak - 1 : 0, 'usize');
  };

/** `Rc::downgrade(&a)`: a weak handle, weak + 1. */
const downgradeSim =
  (weak: 'Weak' | 'sync::Weak'): Sim =>
  (m, c) => {
    const h = handle(m, c.args[0]);
    const b = h ? m.block(h.block) : undefined;
    if (!b?.rc) return unknownVal();
    b.rc.weak++;
    m.emit('write', `${h!.kind} weak count of heap:${b.id}: ${b.rc.weak - 2} → ${b.rc.weak - 1}`, [heapId(b.id)]);
    return { k: 'own', kind: weak, block: b.id, ty: c.destTy };
  };

/** `Weak::upgrade()`: a strong handle while the value lives (strong > 0), else None. */
const upgradeSim: Sim = (m, c) => {
  const h = handle(m, c.args[0]);
  if (h && h.block === null) return none();
  const b = h ? m.block(h.block) : undefined;
  if (!b?.rc) return unknownVal();
  if (b.rc.strong === 0) return none();
  b.rc.strong++;
  m.emit('write', `${b.kind} strong count of heap:${b.id}: ${b.rc.strong - 1} → ${b.rc.strong}`, [heapId(b.id)]);
  const inner =
    c.destTy.kind === 'adt' && c.destTy.args[0] ? c.destTy.args[0] : { kind: 'adt' as const, name: b.kind, args: [b.elemTy], std: true };
  const kind = b.kind === 'Arc' ? 'Arc' : 'Rc';
  return some({ k: 'own', kind, block: b.id, ty: inner });
};

const ptrEqSim: Sim = (m, c) => {
  const a = handle(m, c.args[0]);
  const b = handle(m, c.args[1]);
  return a && b ? bool(a.block === b.block) : unknownVal();
};

/** `try_unwrap` / `into_inner`: the value when this is the only strong handle. */
const unwrapSim =
  (asResult: boolean): Sim =>
  (m, c) => {
    const h = c.args[0];
    if (!h || h.k !== 'own') return null;
    const b = m.block(h.block);
    if (!b?.rc) return unknownVal();
    if (b.rc.strong !== 1) {
      if (!asResult) {
        m.dropVal(h, c.argTy(0), null, 0);
        return none();
      }
      return { k: 'agg', fields: [h], adt: 'Result', variant: 'Err', vidx: 1 };
    }
    const v = b.elems[0] ?? unknownVal();
    b.elems[0] = { k: 'moved', inner: v, to: 'the caller', at: m.span };
    b.rc.strong = 0;
    b.rc.weak = Math.max(0, b.rc.weak - 1);
    if (b.rc.weak === 0) m.free(b.id);
    return asResult ? { k: 'agg', fields: [v], adt: 'Result', variant: 'Ok', vidx: 0 } : some(v);
  };

/** `Rc::get_mut(&mut a)`: `&mut` to the value when there is one strong and no weak handle. */
const getMutSim: Sim = (m, c) => {
  const h = handle(m, c.args[0]);
  const b = h ? m.block(h.block) : undefined;
  if (!b?.rc) return unknownVal();
  return b.rc.strong === 1 && b.rc.weak === 1 ? some({ k: 'ptr', to: { region: 'heap', block: b.id, path: [0] }, mutable: true }) : none();
};

/**
 * `Rc::from(x)` / `Arc::from(x)` into `Rc<str>` from a `&str` or a `String`, or into `Rc<[T]>`
 * from a `Vec<T>` (alloc/src/rc.rs `impl From<&str>`, `From<String>`, `From<Vec<T>>`): one new
 * counted block holding the bytes or the elements; a String's or Vec's buffer is moved out and
 * freed. The other conversions (`From<T>`, `From<Box<T>>`, `From<&[T]>`) are not simulated: unknown.
 */
const fromSim =
  (kind: 'Rc' | 'Arc'): Sim =>
  (m, c) => {
    const dest = c.destTy;
    const pointee = dest.kind === 'adt' && dest.args[0] ? dest.args[0] : undefined;
    const v = c.args[0];
    if (!pointee || !v) return unknownVal();
    let elems: Val[] | null = null;
    if (pointee.kind === 'str') {
      const s = strBytes(m, v);
      if (s) elems = s.bytes.map((b) => intVal(b, 'u8'));
    } else if (pointee.kind === 'slice' && v.k === 'own' && v.kind === 'Vec') {
      const b = v.block === null ? undefined : m.block(v.block);
      if (v.block === null) elems = [];
      else if (b && !b.unknownContents && b.state === 'live') elems = b.elems;
    }
    if (!elems) return unknownVal();
    const id = m.alloc(kind, pointee, [{ k: 'agg', fields: elems, array: true }], 1, `${kind}<${displayTy(pointee)}>`);
    if (v.k === 'own' && v.block !== null) m.free(v.block);
    return { k: 'own', kind, block: id, ty: dest };
  };

const countedSims = (kind: 'Rc' | 'Arc', weak: 'Weak' | 'sync::Weak') => ({
  new: ((m, c) => allocOne(m, c, kind)) as Sim,
  from: fromSim(kind),
  clone: cloneSim,
  strong_count: countSim('strong'),
  weak_count: countSim('weak'),
  downgrade: downgradeSim(weak),
  ptr_eq: ptrEqSim,
  try_unwrap: unwrapSim(true),
  into_inner: unwrapSim(false),
  get_mut: getMutSim,
  make_mut: notSimulated('clones the value into a new block when it is shared; not modelled'),
  as_ref: asRefSim(false),
  cmp: cmpSim as Sim,
  partial_cmp: partialCmpSim as Sim,
});

export const RC_SIMS: SimTable<typeof RC_IMPL> = countedSims('Rc', 'Weak');
export const ARC_SIMS: SimTable<typeof ARC_IMPL> = countedSims('Arc', 'sync::Weak');

const weakSims = (kind: 'Weak' | 'sync::Weak') => ({
  // `Weak::new()` allocates nothing: a dangling handle that never upgrades.
  new: ((_m, c) => ({ k: 'own', kind, block: null, ty: c.destTy })) as Sim,
  upgrade: upgradeSim,
  clone: cloneSim,
  strong_count: countSim('strong'),
  weak_count: countSim('weak'),
  ptr_eq: ptrEqSim,
});

export const WEAK_SIMS: SimTable<typeof WEAK_IMPL> = weakSims('Weak');
export const SYNC_WEAK_SIMS: SimTable<typeof SYNC_WEAK_IMPL> = weakSims('sync::Weak');
