/**
 * `std::mem` and the prelude's `drop`: free functions on any type. Source:
 * doc.rust-lang.org/std/mem. Simulation: `sim/mem.ts`.
 */
import type { StdFamily, StdImplDef } from './types';

export const MEM_IMPL = {
  self: 'mem',
  fns: {
    drop: 'fn drop(x: T)',
    swap: 'fn swap(x: &mut T, y: &mut T)',
    replace: 'fn replace(dest: &mut T, src: T) -> T',
    take: 'fn take(dest: &mut T) -> T where T: Default',
    forget: 'fn forget(t: T)',
    size_of: 'fn size_of() -> usize',
    size_of_val: 'fn size_of_val(val: &T) -> usize',
  },
} as const satisfies StdImplDef;

/** `drop` is `std::mem::drop`, re-exported by the prelude. */
export const MEM = { name: 'mem', types: [], impls: [MEM_IMPL], prelude: ['drop'] } as const satisfies StdFamily;
