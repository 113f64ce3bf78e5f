/**
 * Ordered maps: `BTreeMap<K, V>` and `BTreeSet<T>` (`BTreeMap<T, SetValZST>`): a root pointer
 * and a length on the stack (24 bytes), nodes on the heap. A node holds up to 11 keys and values
 * (`B = 6`, `CAPACITY = 2 * B - 1`); the first insert allocates a leaf, `new()` allocates nothing
 * (alloc/src/collections/btree/{map,node}.rs). Entries are kept in key order; maps with more than
 * 11 entries split into several nodes, whose count the simulation does not model (their bytes
 * are then unknown). Iterators and `Entry` share the hash map's shapes. Sources:
 * doc.rust-lang.org/std/collections/struct.BTreeMap.html. Simulation: `sim/btree.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

/** Keys and values per node: `CAPACITY` in alloc's btree/node.rs. */
export const BTREE_CAPACITY = 11;

export const BTREE_TYPES = [
  {
    name: 'BTreeMap',
    path: 'std::collections::BTreeMap',
    params: ['K', 'V'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    default: 'always',
    heap: { kind: 'btree', elem: '(K, V)', node: 'LeafNode<K, V>' },
    // BTreeMap { root: Option<Root>, length, alloc }: the root's niche is used by its own Option.
    layout: { size: 24, align: 8 },
    index: [{ by: 'key', output: 'V' }],
    intoIter: { value: '(K, V)', ref: '(&K, &V)', mut: '(&K, &mut V)' },
    fromIter: '(K, V)',
  },
  {
    name: 'BTreeSet',
    path: 'std::collections::BTreeSet',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    default: 'always',
    heap: { kind: 'btree', elem: 'T', node: 'LeafNode<T, ()>', set: true },
    layout: { size: 24, align: 8 },
    intoIter: { value: 'T', ref: '&T' },
    fromIter: 'T',
  },
  /**
   * A leaf node (alloc/src/collections/btree/node.rs; the arrays hold `MaybeUninit`s, which keep
   * size and alignment and have no niche, like `UnsafeCell`): 320 bytes for `<String, i32>`.
   */
  {
    name: 'LeafNode',
    path: 'alloc::collections::btree::node::LeafNode',
    params: ['K', 'V'],
    internal: true,
    copy: 'never',
    clone: 'never',
    needsDrop: 'never',
    def: 'struct LeafNode<K, V> { parent: Option<NonNull<u8>>, parent_idx: UnsafeCell<u16>, len: u16, keys: [UnsafeCell<K>; 11], vals: [UnsafeCell<V>; 11] }',
    layout: 'def',
  },
] as const satisfies readonly StdTypeDef[];

export const BTREEMAP_IMPL = {
  self: 'BTreeMap<K, V>',
  fns: {
    new: 'fn new() -> BTreeMap<K, V>',
    insert: 'fn insert(&mut self, key: K, value: V) -> Option<V>',
    get: 'fn get(&self, key: &?) -> Option<&V>',
    get_mut: 'fn get_mut(&mut self, key: &?) -> Option<&mut V>',
    contains_key: 'fn contains_key(&self, key: &?) -> bool',
    remove: 'fn remove(&mut self, key: &?) -> Option<V>',
    entry: "fn entry(&mut self, key: K) -> Entry<'_, K, V>",
    len: 'fn len(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    clear: 'fn clear(&mut self)',
    first_key_value: 'fn first_key_value(&self) -> Option<(&K, &V)>',
    last_key_value: 'fn last_key_value(&self) -> Option<(&K, &V)>',
    pop_first: 'fn pop_first(&mut self) -> Option<(K, V)>',
    pop_last: 'fn pop_last(&mut self) -> Option<(K, V)>',
    iter: "fn iter(&self) -> Iter<'_, K, V>",
    iter_mut: "fn iter_mut(&mut self) -> IterMut<'_, K, V>",
    keys: "fn keys(&self) -> Keys<'_, K, V>",
    values: "fn values(&self) -> Values<'_, K, V>",
    values_mut: "fn values_mut(&mut self) -> ValuesMut<'_, K, V>",
    into_iter: 'fn into_iter(self) -> IntoIter<K, V>',
    retain: 'fn retain(&mut self, f: impl FnMut(&K, &mut V) -> bool)',
    extend: 'fn extend(&mut self, iter: ?)',
  },
} as const satisfies StdImplDef;

export const BTREESET_IMPL = {
  self: 'BTreeSet<T>',
  fns: {
    new: 'fn new() -> BTreeSet<T>',
    insert: 'fn insert(&mut self, value: T) -> bool',
    contains: 'fn contains(&self, value: &?) -> bool',
    remove: 'fn remove(&mut self, value: &?) -> bool',
    len: 'fn len(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    clear: 'fn clear(&mut self)',
    first: 'fn first(&self) -> Option<&T>',
    last: 'fn last(&self) -> Option<&T>',
    pop_first: 'fn pop_first(&mut self) -> Option<T>',
    pop_last: 'fn pop_last(&mut self) -> Option<T>',
    iter: "fn iter(&self) -> Iter<'_, T>",
    into_iter: 'fn into_iter(self) -> IntoIter<T>',
    union: "fn union<'a>(&'a self, other: &'a BTreeSet<T>) -> Union<'a, T>",
    intersection: "fn intersection<'a>(&'a self, other: &'a BTreeSet<T>) -> Intersection<'a, T>",
    difference: "fn difference<'a>(&'a self, other: &'a BTreeSet<T>) -> Difference<'a, T>",
    retain: 'fn retain(&mut self, f: impl FnMut(&T) -> bool)',
    extend: 'fn extend(&mut self, iter: ?)',
  },
} as const satisfies StdImplDef;

export const BTREE = { name: 'btree', types: BTREE_TYPES, impls: [BTREEMAP_IMPL, BTREESET_IMPL] } as const satisfies StdFamily;
