/**
 * Simulation of `Box<T>` (`../boxed.ts`): one heap block holding the value; `*b` is a place in it.
 */
import { displayTy, type Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { unknownVal } from '../../interp/memory';
import type { BOX_IMPL } from '../boxed';
import { type Sim, type SimCall, type SimTable } from './api';
import { container, sliceOf } from './common';

/**
 * `Box::new(x)` / `Rc::new(x)` / `Arc::new(x)`: a block of one value; the counted ones start with
 * strong 1 and weak 1 (the implicit weak of the strong references), as std does.
 */
export function allocOne(m: StdHost, c: SimCall, kind: 'Box' | 'Rc' | 'Arc'): ReturnType<Sim> {
  const inner = c.args[0] ?? unknownVal();
  const ty: Ty = c.destTy.kind === 'adt' ? c.destTy : { kind: 'adt', name: kind, args: [c.argTy(0)], std: true };
  const elemTy = ty.kind === 'adt' && ty.args[0] ? ty.args[0] : c.argTy(0);
  const id = m.alloc(kind, elemTy, [inner], 1, `${kind}<${displayTy(elemTy)}>`);
  return { k: 'own', kind, block: id, ty };
}

/** `as_ref()` / `as_mut()` of a Box, Rc or Arc: a reference to the value in its block. */
export const asRefSim =
  (mutable: boolean): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    if (r.ptr) return r.ptr;
    if (r.loc) return { k: 'ptr', to: r.loc, mutable };
    return sliceOf(m, c.args[0]);
  };

export const BOX_SIMS: SimTable<typeof BOX_IMPL> = {
  new: (m, c) => allocOne(m, c, 'Box'),
  as_ref: asRefSim(false),
  as_mut: asRefSim(true),
  // The block stays allocated for the rest of the program: its owner is gone, nothing frees it.
  leak: (m, c) => {
    const b = c.args[0];
    if (!b || b.k !== 'own' || b.block === null) return unknownVal();
    m.escape([b]);
    return { k: 'ptr', to: { region: 'heap', block: b.block, path: [0] }, mutable: true };
  },
};
