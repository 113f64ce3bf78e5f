/**
 * `VecDeque<T>`: a ring buffer over a RawVec (`struct VecDeque<T> { head: usize, len: usize,
 * buf: RawVec<T> }`, alloc/src/collections/vec_deque/mod.rs); it grows like Vec
 * (`grow_amortized`) and keeps its elements where they are in the ring (`handle_capacity_increase`
 * moves the shorter wrapped part). Its iterators are the slice iterators' shapes (`Iter<'a, T>`,
 * `IterMut<'a, T>`, `IntoIter<T>`, `Drain<'a, T>`). Sources: doc.rust-lang.org/std/collections/
 * struct.VecDeque.html. Simulation: `sim/vecdeque.ts`.
 */
import { CAP_NICHE } from './string';
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

export const VECDEQUE_TYPES = [
  {
    name: 'VecDeque',
    path: 'std::collections::VecDeque',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    default: 'always',
    heap: { kind: 'buffer', elem: 'T', ring: true },
    // VecDeque { head, len, buf: RawVec }: buf (with the cap niche) is placed first.
    layout: { size: 32, align: 8, niche: CAP_NICHE },
    index: [{ by: 'usize', output: 'T' }],
    intoIter: { value: 'T', ref: '&T', mut: '&mut T' },
    fromIter: 'T',
  },
] as const satisfies readonly StdTypeDef[];

export const VECDEQUE_IMPL = {
  self: 'VecDeque<T>',
  fns: {
    new: 'fn new() -> VecDeque<T>',
    with_capacity: 'fn with_capacity(capacity: usize) -> VecDeque<T>',
    push_back: 'fn push_back(&mut self, value: T)',
    push_front: 'fn push_front(&mut self, value: T)',
    pop_back: 'fn pop_back(&mut self) -> Option<T>',
    pop_front: 'fn pop_front(&mut self) -> Option<T>',
    front: 'fn front(&self) -> Option<&T>',
    back: 'fn back(&self) -> Option<&T>',
    front_mut: 'fn front_mut(&mut self) -> Option<&mut T>',
    back_mut: 'fn back_mut(&mut self) -> Option<&mut T>',
    get: 'fn get(&self, index: usize) -> Option<&T>',
    get_mut: 'fn get_mut(&mut self, index: usize) -> Option<&mut T>',
    len: 'fn len(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    capacity: 'fn capacity(&self) -> usize',
    clear: 'fn clear(&mut self)',
    truncate: 'fn truncate(&mut self, len: usize)',
    contains: 'fn contains(&self, x: &T) -> bool',
    insert: 'fn insert(&mut self, index: usize, value: T)',
    remove: 'fn remove(&mut self, index: usize) -> Option<T>',
    swap: 'fn swap(&mut self, i: usize, j: usize)',
    reserve: 'fn reserve(&mut self, additional: usize)',
    as_slices: 'fn as_slices(&self) -> (&[T], &[T])',
    make_contiguous: 'fn make_contiguous(&mut self) -> &mut [T]',
    iter: "fn iter(&self) -> Iter<'_, T>",
    iter_mut: "fn iter_mut(&mut self) -> IterMut<'_, T>",
    into_iter: 'fn into_iter(self) -> IntoIter<T>',
    drain: "fn drain(&mut self, range: ?) -> Drain<'_, T>",
    retain: 'fn retain(&mut self, f: impl FnMut(&T) -> bool)',
    extend: 'fn extend(&mut self, iter: ?)',
  },
} as const satisfies StdImplDef;

export const VECDEQUE = {
  name: 'vecdeque',
  types: VECDEQUE_TYPES,
  impls: [VECDEQUE_IMPL],
} as const satisfies StdFamily;
