/**
 * Reference counting: `Rc<T>` and `Arc<T>` (a pointer to one heap block holding the strong and
 * weak counts and the value: `#[repr(C)] struct RcInner<T> { strong, weak, value }`,
 * alloc/src/rc.rs and alloc/src/sync.rs), and their weak handles `rc::Weak<T>` and
 * `sync::Weak<T>` (`Weak` and `sync::Weak` here: rustc, too, prints `std::rc::Weak` and
 * `std::sync::Weak` in full because the names clash). The block of `Rc<u8>` is
 * `size_of::<RcInner<u8>>()` = 24 bytes. Simulation: `sim/rc.ts`.
 */
import type { HeapShape, StdFamily, StdImplDef, StdTypeDef } from './types';

/** The helpers keep the literal names, from which `OwnKind` is derived. */
type Owner<N extends string> = StdTypeDef & { readonly name: N; readonly heap: HeapShape };

const counted = <N extends 'Rc' | 'Arc'>(name: N, path: string, block: string): Owner<N> => ({
  name,
  path,
  params: ['T'],
  copy: 'never',
  clone: 'always',
  needsDrop: 'always',
  default: 'if-args',
  display: 'if-args',
  deref: { target: 'T' },
  heap: { kind: 'counted', elem: 'T', block, ...(name === 'Arc' ? { atomic: true } : {}) },
  layout: 'pointer',
});

const weak = <N extends 'Weak' | 'sync::Weak'>(name: N, path: string, of: 'Rc' | 'Arc'): Owner<N> => ({
  name,
  path,
  params: ['T'],
  copy: 'never',
  clone: 'always',
  needsDrop: 'always',
  default: 'always',
  heap: { kind: 'weak', elem: 'T', of },
  layout: 'pointer',
});

export const RC_TYPES = [
  counted('Rc', 'std::rc::Rc', 'RcInner<T>'),
  counted('Arc', 'std::sync::Arc', 'ArcInner<T>'),
  weak('Weak', 'std::rc::Weak', 'Rc'),
  weak('sync::Weak', 'std::sync::Weak', 'Arc'),
  {
    name: 'RcInner',
    path: 'alloc::rc::RcInner',
    params: ['T'],
    internal: true,
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    def: '#[repr(C)] struct RcInner<T> { strong: Cell<usize>, weak: Cell<usize>, value: T }',
    layout: 'def',
  },
  {
    name: 'ArcInner',
    path: 'alloc::sync::ArcInner',
    params: ['T'],
    internal: true,
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    // AtomicUsize is `#[repr(C, align(8))] struct AtomicUsize { v: UnsafeCell<usize> }`.
    def: '#[repr(C)] struct ArcInner<T> { strong: UnsafeCell<usize>, weak: UnsafeCell<usize>, data: T }',
    layout: 'def',
  },
] as const satisfies readonly StdTypeDef[];

const countedFns = (rc: 'Rc' | 'Arc', weakName: 'Weak' | 'sync::Weak') =>
  ({
    new: `fn new(value: T) -> ${rc}<T>`,
    from: `fn from(value: ?) -> ${rc}<T>`,
    clone: `fn clone(&self) -> ${rc}<T>`,
    strong_count: `fn strong_count(this: &${rc}<T>) -> usize`,
    weak_count: `fn weak_count(this: &${rc}<T>) -> usize`,
    downgrade: `fn downgrade(this: &${rc}<T>) -> ${weakName}<T>`,
    ptr_eq: `fn ptr_eq(this: &${rc}<T>, other: &${rc}<T>) -> bool`,
    try_unwrap: `fn try_unwrap(this: ${rc}<T>) -> Result<T, ${rc}<T>>`,
    into_inner: `fn into_inner(this: ${rc}<T>) -> Option<T>`,
    get_mut: `fn get_mut(this: &mut ${rc}<T>) -> Option<&mut T>`,
    make_mut: `fn make_mut(this: &mut ${rc}<T>) -> &mut T where T: Clone`,
    as_ref: 'fn as_ref(&self) -> &T',
    cmp: 'fn cmp(&self, other: &Self) -> Ordering where T: Ord',
    partial_cmp: 'fn partial_cmp(&self, other: &Self) -> Option<Ordering> where T: PartialOrd',
  }) as const;

export const RC_IMPL = { self: 'Rc<T>', fns: countedFns('Rc', 'Weak') } as const satisfies StdImplDef;
export const ARC_IMPL = { self: 'Arc<T>', fns: countedFns('Arc', 'sync::Weak') } as const satisfies StdImplDef;

const weakFns = (weakName: 'Weak' | 'sync::Weak', rc: 'Rc' | 'Arc') =>
  ({
    new: `fn new() -> ${weakName}<T>`,
    upgrade: `fn upgrade(&self) -> Option<${rc}<T>>`,
    clone: `fn clone(&self) -> ${weakName}<T>`,
    strong_count: 'fn strong_count(&self) -> usize',
    weak_count: 'fn weak_count(&self) -> usize',
    ptr_eq: `fn ptr_eq(&self, other: &${weakName}<T>) -> bool`,
  }) as const;

export const WEAK_IMPL = { self: 'Weak<T>', fns: weakFns('Weak', 'Rc') } as const satisfies StdImplDef;
export const SYNC_WEAK_IMPL = { self: 'sync::Weak<T>', fns: weakFns('sync::Weak', 'Arc') } as const satisfies StdImplDef;

export const RC = { name: 'rc', types: RC_TYPES, impls: [RC_IMPL, ARC_IMPL, WEAK_IMPL, SYNC_WEAK_IMPL] } as const satisfies StdFamily;
