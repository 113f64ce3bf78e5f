/**
 * Simulation of `Cell<T>` and `RefCell<T>` (`../cell.ts`): a cell is an aggregate holding its
 * value; `borrow()` / `borrow_mut()` guards are modelled as references to the value (the run-time
 * borrow flag is not tracked, so a `BorrowMutError` panic is not simulated).
 */
import type { Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { type Val, cloneVal, unitVal, unknownVal, withPath } from '../../interp/memory';
import type { CELL_IMPL, REFCELL_IMPL } from '../cell';
import { type Sim, type SimTable } from './api';
import { defaultOf, ok, recvLoc } from './common';

const newCell =
  (adt: 'Cell' | 'RefCell' | 'Mutex' | 'RwLock'): Sim =>
  (_m, c) => ({ k: 'agg', fields: [c.args[0] ?? unknownVal()], names: [adt === 'Cell' || adt === 'RefCell' ? 'value' : 'data'], adt });

export { newCell };

/** A guard (or `&mut` from `get_mut`) modelled as a reference to the cell's value. */
export const guardSim =
  (adt: string, mutable: boolean, wrap?: 'ok'): Sim =>
  (m, c) => {
    const l = recvLoc(m, c.args[0], adt);
    if (!l) return unknownVal();
    const p: Val = { k: 'ptr', to: withPath(l, [0]), mutable };
    return wrap === 'ok' ? ok(p) : p;
  };

/** The cell's value by value (`into_inner(self)`). */
export const intoInnerSim =
  (wrap?: 'ok'): Sim =>
  (m, c) => {
    const v = c.args[0];
    if (!v || v.k !== 'agg') return unknownVal();
    const inner = v.fields[0] ?? unknownVal();
    return wrap === 'ok' ? ok(inner) : inner;
  };

/** `replace(x)` / `take()` / `set(x)`: writes the cell's value, returning the old one (dropped for `set`). */
const writeSim =
  (adt: 'Cell' | 'RefCell', what: 'replace' | 'take' | 'set'): Sim =>
  (m, c) => {
    const l = recvLoc(m, c.args[0], adt);
    if (!l) return unknownVal();
    const at = withPath(l, [0]);
    const old = cloneVal(m.read(at));
    const elemTy = c.selfTy ? cellArg(c.selfTy) : undefined;
    const nv = what === 'take' ? defaultOf(m, elemTy ?? c.destTy) : (c.args[1] ?? unknownVal());
    m.write(at, nv);
    if (what === 'set') {
      m.dropVal(old, elemTy ?? { kind: 'unknown' }, null, 0);
      return unitVal();
    }
    return old;
  };

function cellArg(t: Ty): Ty | undefined {
  let x = t;
  while (x.kind === 'ref') x = x.inner;
  return x.kind === 'adt' ? x.args[0] : undefined;
}

function swapCells(m: StdHost, a: Val | undefined, b: Val | undefined): Val {
  const la = recvLoc(m, a, 'RefCell');
  const lb = recvLoc(m, b, 'RefCell');
  if (!la || !lb) return unknownVal();
  const va = m.read(withPath(la, [0]));
  m.write(withPath(la, [0]), m.read(withPath(lb, [0])));
  m.write(withPath(lb, [0]), va);
  return unitVal();
}

export const REFCELL_SIMS: SimTable<typeof REFCELL_IMPL> = {
  new: newCell('RefCell'),
  borrow: guardSim('RefCell', false),
  borrow_mut: guardSim('RefCell', true),
  try_borrow: guardSim('RefCell', false, 'ok'),
  try_borrow_mut: guardSim('RefCell', true, 'ok'),
  into_inner: intoInnerSim(),
  replace: writeSim('RefCell', 'replace'),
  take: writeSim('RefCell', 'take'),
  get_mut: guardSim('RefCell', true),
  swap: (m, c) => swapCells(m, c.args[0], c.args[1]),
};

export const CELL_SIMS: SimTable<typeof CELL_IMPL> = {
  new: newCell('Cell'),
  get: (m, c) => {
    const l = recvLoc(m, c.args[0], 'Cell');
    return l ? cloneVal(m.read(withPath(l, [0]))) : unknownVal();
  },
  set: writeSim('Cell', 'set'),
  replace: writeSim('Cell', 'replace'),
  take: writeSim('Cell', 'take'),
  into_inner: intoInnerSim(),
  get_mut: guardSim('Cell', true),
};
