/**
 * `Box<T>` (one heap value; its deref is built into the language: `*b` is a place, not a
 * `Deref::deref` call) and `NonNull<T>` (the non-null pointer inside Box, Rc and the B-tree
 * nodes). Sources: doc.rust-lang.org/std/boxed/struct.Box.html. Simulation: `sim/boxed.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

export const BOXED_TYPES = [
  {
    name: 'Box',
    path: 'std::boxed::Box',
    params: ['T'],
    prelude: true,
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    default: 'if-args',
    display: 'if-args',
    deref: { target: 'T', builtin: true, mutable: true },
    heap: { kind: 'box', elem: 'T' },
    layout: 'pointer',
  },
  { name: 'NonNull', path: 'std::ptr::NonNull', params: ['T'], copy: 'always', clone: 'always', needsDrop: 'never', layout: 'pointer' },
] as const satisfies readonly StdTypeDef[];

export const BOX_IMPL = {
  self: 'Box<T>',
  fns: {
    new: 'fn new(x: T) -> Box<T>',
    as_ref: 'fn as_ref(&self) -> &T',
    as_mut: 'fn as_mut(&mut self) -> &mut T',
    leak: "fn leak<'a>(b: Box<T>) -> &'a mut T",
    cmp: 'fn cmp(&self, other: &Self) -> Ordering where T: Ord',
    partial_cmp: 'fn partial_cmp(&self, other: &Self) -> Option<Ordering> where T: PartialOrd',
  },
} as const satisfies StdImplDef;

export const BOXED = { name: 'boxed', types: BOXED_TYPES, impls: [BOX_IMPL] } as const satisfies StdFamily;
