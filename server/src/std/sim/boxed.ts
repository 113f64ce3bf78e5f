/**
 * Simulation of `Box<T>` (`../boxed.ts`): one heap block holding the value; `*b` is a place in it.
 */
import { displayTy, type Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { unknownVal } from '../../interp/memory';
import type { BOX_IMPL } from '../boxed';
import { type Sim, type SimCall, type SimTable } from './api';
import { cmpSim, container, partialCmpSim, sliceOf } from './common';

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

/**
 * `Vec::into_boxed_slice` / `String::into_boxed_str`: the buffer shrunk to its length and owned
 * by a `Box<[T]>` / `Box<str>` (a fat pointer: data pointer and length). The box's block holds
 * the elements as one array value, so `*b` is the slice (`interp/tyinfo.ts` `valueTyOf`: its
 * bytes are len × element size). std reallocates the buffer to exactly `len` elements: shown as
 * the box's block allocated and the buffer freed.
 */
export const intoBoxedSim: Sim = (m, c) => {
  const v = c.args[0];
  if (!v || v.k !== 'own') return unknownVal();
  const b = m.block(v.block);
  if (b && (b.unknownContents || b.state !== 'live')) return unknownVal();
  const dest = c.destTy;
  const pointee: Ty | undefined = dest.kind === 'adt' && dest.args[0] ? dest.args[0] : undefined;
  if (!pointee || (pointee.kind !== 'slice' && pointee.kind !== 'str')) return unknownVal();
  const id = m.alloc('Box', pointee, [{ k: 'agg', fields: b ? b.elems : [], array: true }], 1, `Box<${displayTy(pointee)}>`);
  if (b) m.free(b.id);
  return { k: 'own', kind: 'Box', block: id, ty: dest };
};

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
  cmp: cmpSim,
  partial_cmp: partialCmpSim,
  // The block stays allocated for the rest of the program: its owner is gone, nothing frees it.
  leak: (m, c) => {
    const b = c.args[0];
    if (!b || b.k !== 'own' || b.block === null) return unknownVal();
    m.escape([b]);
    return { k: 'ptr', to: { region: 'heap', block: b.block, path: [0] }, mutable: true };
  },
};
