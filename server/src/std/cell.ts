/**
 * Interior mutability: `Cell<T>`, `RefCell<T>` (a borrow counter beside the value) and the
 * guards `Ref<'b, T>` / `RefMut<'b, T>` that `borrow()` / `borrow_mut()` return: for the borrow
 * checker they hold a shared borrow of the RefCell (the exclusivity is checked at run time).
 * `UnsafeCell<T>` hides the niches of its contents. Representations from core/src/cell.rs.
 * Simulation: `sim/cell.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

export const CELL_TYPES = [
  {
    name: 'Cell',
    path: 'std::cell::Cell',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    cloneNeedsCopy: true,
    needsDrop: 'if-args',
    default: 'if-args',
    def: 'struct Cell<T> { value: UnsafeCell<T> }',
    layout: 'def',
  },
  {
    name: 'RefCell',
    path: 'std::cell::RefCell',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'if-args',
    default: 'if-args',
    def: 'struct RefCell<T> { borrow: Cell<isize>, value: UnsafeCell<T> }',
    layout: 'def',
  },
  {
    name: 'UnsafeCell',
    path: 'std::cell::UnsafeCell',
    params: ['T'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    layout: 'unsafe-cell',
  },
  {
    name: 'Ref',
    path: 'std::cell::Ref',
    params: ['T'],
    lifetimes: ["'b"],
    dropUsesBorrow: true,
    copy: 'never',
    clone: 'never',
    needsDrop: 'always',
    display: 'if-args',
    deref: { target: 'T' },
    def: "struct Ref<'b, T> { value: NonNull<T>, borrow: &'b Cell<isize> }",
    layout: 'def',
  },
  {
    name: 'RefMut',
    path: 'std::cell::RefMut',
    params: ['T'],
    lifetimes: ["'b"],
    dropUsesBorrow: true,
    copy: 'never',
    clone: 'never',
    needsDrop: 'always',
    display: 'if-args',
    deref: { target: 'T', mutable: true },
    def: "struct RefMut<'b, T> { value: NonNull<T>, borrow: &'b Cell<isize> }",
    layout: 'def',
  },
] as const satisfies readonly StdTypeDef[];

export const REFCELL_IMPL = {
  self: 'RefCell<T>',
  fns: {
    new: 'fn new(value: T) -> RefCell<T>',
    borrow: "fn borrow(&self) -> Ref<'_, T>",
    borrow_mut: "fn borrow_mut(&self) -> RefMut<'_, T>",
    try_borrow: "fn try_borrow(&self) -> Result<Ref<'_, T>, ?>",
    try_borrow_mut: "fn try_borrow_mut(&self) -> Result<RefMut<'_, T>, ?>",
    into_inner: 'fn into_inner(self) -> T',
    replace: 'fn replace(&self, t: T) -> T',
    take: 'fn take(&self) -> T where T: Default',
    get_mut: 'fn get_mut(&mut self) -> &mut T',
    swap: 'fn swap(&self, other: &RefCell<T>)',
  },
} as const satisfies StdImplDef;

export const CELL_IMPL = {
  self: 'Cell<T>',
  fns: {
    new: 'fn new(value: T) -> Cell<T>',
    get: 'fn get(&self) -> T where T: Copy',
    set: 'fn set(&self, val: T)',
    replace: 'fn replace(&self, val: T) -> T',
    take: 'fn take(&self) -> T where T: Default',
    into_inner: 'fn into_inner(self) -> T',
    get_mut: 'fn get_mut(&mut self) -> &mut T',
  },
} as const satisfies StdImplDef;

export const CELL = { name: 'cell', types: CELL_TYPES, impls: [REFCELL_IMPL, CELL_IMPL] } as const satisfies StdFamily;
