/**
 * Vectors and slices: `Vec<T>` (a RawVec of `T` plus a length, `Deref<Target = [T]>`), the
 * slice `[T]` and the array `[T; N]` (primitives: their methods only), and the iterators they
 * return. Sources: doc.rust-lang.org/std/vec/struct.Vec.html, std/primitive.slice.html,
 * std/primitive.array.html; layout `alloc/src/vec/mod.rs`. Simulation: `sim/vec.ts`.
 */
import { CAP_NICHE, VEC_FIELDS } from './string';
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

const sliceIter = (name: string, item: string, path: string, extra: Partial<StdTypeDef> = {}): StdTypeDef => ({
  name,
  path,
  params: ['T'],
  lifetimes: ["'a"],
  copy: 'never',
  clone: 'always',
  needsDrop: 'never',
  layout: null,
  iterator: { item },
  ...extra,
});

export const VEC_TYPES = [
  {
    name: 'Vec',
    path: 'std::vec::Vec',
    params: ['T'],
    prelude: true,
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    default: 'always',
    deref: { target: '[T]', mutable: true },
    heap: { kind: 'buffer', elem: 'T' },
    layout: { size: 24, align: 8, fields: VEC_FIELDS, niche: CAP_NICHE },
    index: [
      { by: 'usize', output: 'T' },
      { by: 'range', output: '[T]' },
    ],
    intoIter: { value: 'T', ref: '&T', mut: '&mut T' },
    fromIter: 'T',
  },
  sliceIter('Iter', "&'a T", 'std::slice::Iter', {
    alsoAt: [
      'std::collections::vec_deque::Iter',
      'std::collections::hash_set::Iter',
      'std::collections::btree_set::Iter',
      'std::option::Iter',
      'std::result::Iter',
    ],
  }),
  sliceIter('IterMut', "&'a mut T", 'std::slice::IterMut', {
    clone: 'never',
    mutBorrow: true,
    alsoAt: ['std::collections::vec_deque::IterMut'],
  }),
  sliceIter('Windows', "&'a [T]", 'std::slice::Windows'),
  sliceIter('Chunks', "&'a [T]", 'std::slice::Chunks'),
  /** `vec::IntoIter<T>` owns the Vec's buffer and frees it when dropped. */
  {
    ...sliceIter('IntoIter', 'T', 'std::vec::IntoIter'),
    lifetimes: [],
    clone: 'if-args',
    needsDrop: 'always',
    alsoAt: [
      'std::collections::vec_deque::IntoIter',
      'std::collections::hash_set::IntoIter',
      'std::collections::btree_set::IntoIter',
      'std::array::IntoIter',
    ],
  },
  {
    ...sliceIter('Drain', 'T', 'std::vec::Drain'),
    clone: 'never',
    needsDrop: 'always',
    mutBorrow: true,
    alsoAt: ['std::collections::vec_deque::Drain', 'std::collections::hash_set::Drain'],
  },
] as const satisfies readonly StdTypeDef[];

export const VEC_IMPL = {
  self: 'Vec<T>',
  fns: {
    new: 'fn new() -> Vec<T>',
    with_capacity: 'fn with_capacity(capacity: usize) -> Vec<T>',
    from: 'fn from(value: ?) -> Vec<T>',
    push: 'fn push(&mut self, value: T)',
    pop: 'fn pop(&mut self) -> Option<T>',
    len: 'fn len(&self) -> usize',
    capacity: 'fn capacity(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    insert: 'fn insert(&mut self, index: usize, element: T)',
    remove: 'fn remove(&mut self, index: usize) -> T',
    swap_remove: 'fn swap_remove(&mut self, index: usize) -> T',
    clear: 'fn clear(&mut self)',
    truncate: 'fn truncate(&mut self, len: usize)',
    reserve: 'fn reserve(&mut self, additional: usize)',
    shrink_to_fit: 'fn shrink_to_fit(&mut self)',
    resize: 'fn resize(&mut self, new_len: usize, value: T)',
    extend: 'fn extend(&mut self, iter: ?)',
    extend_from_slice: 'fn extend_from_slice(&mut self, other: &[T])',
    append: 'fn append(&mut self, other: &mut Vec<T>)',
    split_off: 'fn split_off(&mut self, at: usize) -> Vec<T>',
    as_slice: 'fn as_slice(&self) -> &[T]',
    as_mut_slice: 'fn as_mut_slice(&mut self) -> &mut [T]',
    as_ptr: 'fn as_ptr(&self) -> *const T',
    as_mut_ptr: 'fn as_mut_ptr(&mut self) -> *mut T',
    drain: "fn drain(&mut self, range: ?) -> Drain<'_, T>",
    retain: 'fn retain(&mut self, f: impl FnMut(&T) -> bool)',
    dedup: 'fn dedup(&mut self)',
    into_iter: 'fn into_iter(self) -> IntoIter<T>',
    into_boxed_slice: 'fn into_boxed_slice(self) -> Box<[T]>',
  },
} as const satisfies StdImplDef;

export const SLICE_IMPL = {
  self: '[T]',
  fns: {
    len: 'fn len(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    iter: "fn iter(&self) -> Iter<'_, T>",
    iter_mut: "fn iter_mut(&mut self) -> IterMut<'_, T>",
    get: 'fn get(&self, index: usize) -> Option<&T>',
    get_mut: 'fn get_mut(&mut self, index: usize) -> Option<&mut T>',
    first: 'fn first(&self) -> Option<&T>',
    last: 'fn last(&self) -> Option<&T>',
    first_mut: 'fn first_mut(&mut self) -> Option<&mut T>',
    last_mut: 'fn last_mut(&mut self) -> Option<&mut T>',
    contains: 'fn contains(&self, x: &T) -> bool',
    starts_with: 'fn starts_with(&self, needle: &[T]) -> bool',
    to_vec: 'fn to_vec(&self) -> Vec<T> where T: Clone',
    sort: 'fn sort(&mut self)',
    sort_unstable: 'fn sort_unstable(&mut self)',
    sort_by: 'fn sort_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering)',
    sort_by_key: 'fn sort_by_key<K>(&mut self, f: impl FnMut(&T) -> K)',
    reverse: 'fn reverse(&mut self)',
    swap: 'fn swap(&mut self, a: usize, b: usize)',
    fill: 'fn fill(&mut self, value: T)',
    binary_search: 'fn binary_search(&self, x: &T) -> Result<usize, usize>',
    split_at: 'fn split_at(&self, mid: usize) -> (&[T], &[T])',
    split_at_mut: 'fn split_at_mut(&mut self, mid: usize) -> (&mut [T], &mut [T])',
    windows: "fn windows(&self, size: usize) -> Windows<'_, T>",
    chunks: "fn chunks(&self, size: usize) -> Chunks<'_, T>",
    as_ptr: 'fn as_ptr(&self) -> *const T',
    join: 'fn join(&self, sep: &str) -> String where T: StrLike',
    concat: 'fn concat(&self) -> String where T: StrLike',
  },
} as const satisfies StdImplDef;

export const ARRAY_IMPL = {
  self: '[T; N]',
  fns: {
    into_iter: 'fn into_iter(self) -> IntoIter<T>',
    map: 'fn map(self, f: ?) -> ?',
  },
} as const satisfies StdImplDef;

export const VEC = {
  name: 'vec',
  types: VEC_TYPES,
  impls: [VEC_IMPL, SLICE_IMPL, ARRAY_IMPL],
  /** `vec![a, b]` and `vec![x; n]` (alloc's `vec::from_elem`). */
  builtins: ['vec!', 'vec::from_elem'],
} as const satisfies StdFamily;
