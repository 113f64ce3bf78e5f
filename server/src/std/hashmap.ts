/**
 * Hash tables: `HashMap<K, V>` and `HashSet<T>` (`HashMap<T, ()>`), hashbrown's SwissTable with
 * `RandomState` (48 bytes on the stack: ctrl pointer, bucket mask, growth left, items, two keys),
 * growing like hashbrown's `reserve_rehash` (buckets a power of two, capacity 7/8 of them).
 * Iteration order in Rust is arbitrary; the simulation keeps insertion order and says so.
 * The map iterators (`Iter<'a, K, V>`, `Keys`, `Values`, ...) and `Entry<'a, K, V>` are shared
 * with `BTreeMap` (same shapes). Sources: doc.rust-lang.org/std/collections/struct.HashMap.html,
 * hashbrown/src/raw/mod.rs. Simulation: `sim/hashmap.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

const TABLE_LAYOUT = { size: 48, align: 8, niche: { offset: 0, size: 8, available: 1n } } as const;

const mapIter = (name: string, item: string, path: string, extra: Partial<StdTypeDef> = {}): StdTypeDef => ({
  name,
  path,
  params: ['K', 'V'],
  lifetimes: ["'a"],
  copy: 'never',
  clone: 'always',
  needsDrop: 'never',
  layout: null,
  iterator: { item },
  ...extra,
});

const setIter = (name: string, path: string): StdTypeDef => ({
  name,
  path,
  alsoAt: [path.replace('hash_set', 'btree_set')],
  params: ['T'],
  lifetimes: ["'a"],
  copy: 'never',
  clone: 'always',
  needsDrop: 'never',
  layout: null,
  iterator: { item: "&'a T" },
});

export const HASHMAP_TYPES = [
  {
    name: 'HashMap',
    path: 'std::collections::HashMap',
    params: ['K', 'V'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    default: 'always',
    heap: { kind: 'table', elem: '(K, V)' },
    layout: TABLE_LAYOUT,
    index: [{ by: 'key', output: 'V' }],
    intoIter: { value: '(K, V)', ref: '(&K, &V)', mut: '(&K, &mut V)' },
    fromIter: '(K, V)',
  },
  {
    name: 'HashSet',
    path: 'std::collections::HashSet',
    params: ['T'],
    copy: 'never',
    clone: 'if-args',
    needsDrop: 'always',
    default: 'always',
    heap: { kind: 'table', elem: 'T', set: true },
    layout: TABLE_LAYOUT,
    intoIter: { value: 'T', ref: '&T' },
    fromIter: 'T',
  },
  /** `hash_map::Entry<'a, K, V>` (and `btree_map::Entry`): holds the map's `&'a mut` borrow. */
  {
    name: 'Entry',
    path: 'std::collections::hash_map::Entry',
    alsoAt: ['std::collections::btree_map::Entry'],
    params: ['K', 'V'],
    lifetimes: ["'a"],
    mutBorrow: true,
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    layout: null,
  },
  mapIter('Iter', "(&'a K, &'a V)", 'std::collections::hash_map::Iter', { alsoAt: ['std::collections::btree_map::Iter'] }),
  mapIter('IterMut', "(&'a K, &'a mut V)", 'std::collections::hash_map::IterMut', {
    clone: 'never',
    mutBorrow: true,
    alsoAt: ['std::collections::btree_map::IterMut'],
  }),
  mapIter('Keys', "&'a K", 'std::collections::hash_map::Keys', { alsoAt: ['std::collections::btree_map::Keys'] }),
  mapIter('Values', "&'a V", 'std::collections::hash_map::Values', { alsoAt: ['std::collections::btree_map::Values'] }),
  mapIter('ValuesMut', "&'a mut V", 'std::collections::hash_map::ValuesMut', {
    clone: 'never',
    mutBorrow: true,
    alsoAt: ['std::collections::btree_map::ValuesMut'],
  }),
  mapIter('IntoIter', '(K, V)', 'std::collections::hash_map::IntoIter', {
    lifetimes: [],
    clone: 'if-args',
    needsDrop: 'always',
    alsoAt: ['std::collections::btree_map::IntoIter'],
  }),
  mapIter('Drain', '(K, V)', 'std::collections::hash_map::Drain', { clone: 'never', needsDrop: 'always', mutBorrow: true }),
  setIter('Union', 'std::collections::hash_set::Union'),
  setIter('Intersection', 'std::collections::hash_set::Intersection'),
  setIter('Difference', 'std::collections::hash_set::Difference'),
] as const satisfies readonly StdTypeDef[];

export const HASHMAP_IMPL = {
  self: 'HashMap<K, V>',
  fns: {
    new: 'fn new() -> HashMap<K, V>',
    with_capacity: 'fn with_capacity(capacity: usize) -> HashMap<K, V>',
    insert: 'fn insert(&mut self, k: K, v: V) -> Option<V>',
    get: 'fn get(&self, k: &?) -> Option<&V>',
    get_mut: 'fn get_mut(&mut self, k: &?) -> Option<&mut V>',
    contains_key: 'fn contains_key(&self, k: &?) -> bool',
    remove: 'fn remove(&mut self, k: &?) -> Option<V>',
    entry: "fn entry(&mut self, key: K) -> Entry<'_, K, V>",
    len: 'fn len(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    capacity: 'fn capacity(&self) -> usize',
    clear: 'fn clear(&mut self)',
    iter: "fn iter(&self) -> Iter<'_, K, V>",
    iter_mut: "fn iter_mut(&mut self) -> IterMut<'_, K, V>",
    keys: "fn keys(&self) -> Keys<'_, K, V>",
    values: "fn values(&self) -> Values<'_, K, V>",
    values_mut: "fn values_mut(&mut self) -> ValuesMut<'_, K, V>",
    into_iter: 'fn into_iter(self) -> IntoIter<K, V>',
    drain: "fn drain(&mut self) -> Drain<'_, K, V>",
    retain: 'fn retain(&mut self, f: impl FnMut(&K, &mut V) -> bool)',
    extend: 'fn extend(&mut self, iter: ?)',
  },
} as const satisfies StdImplDef;

export const ENTRY_IMPL = {
  self: "Entry<'a, K, V>",
  fns: {
    or_insert: "fn or_insert(self, default: V) -> &'a mut V",
    or_insert_with: "fn or_insert_with(self, default: impl FnOnce() -> V) -> &'a mut V",
    or_default: "fn or_default(self) -> &'a mut V where V: Default",
    and_modify: "fn and_modify(self, f: ?) -> Entry<'a, K, V>",
    key: 'fn key(&self) -> &K',
  },
} as const satisfies StdImplDef;

export const HASHSET_IMPL = {
  self: 'HashSet<T>',
  fns: {
    new: 'fn new() -> HashSet<T>',
    with_capacity: 'fn with_capacity(capacity: usize) -> HashSet<T>',
    insert: 'fn insert(&mut self, value: T) -> bool',
    contains: 'fn contains(&self, value: &?) -> bool',
    remove: 'fn remove(&mut self, value: &?) -> bool',
    len: 'fn len(&self) -> usize',
    is_empty: 'fn is_empty(&self) -> bool',
    capacity: 'fn capacity(&self) -> usize',
    clear: 'fn clear(&mut self)',
    iter: "fn iter(&self) -> Iter<'_, T>",
    into_iter: 'fn into_iter(self) -> IntoIter<T>',
    drain: "fn drain(&mut self) -> Drain<'_, T>",
    union: "fn union<'a>(&'a self, other: &'a HashSet<T>) -> Union<'a, T>",
    intersection: "fn intersection<'a>(&'a self, other: &'a HashSet<T>) -> Intersection<'a, T>",
    difference: "fn difference<'a>(&'a self, other: &'a HashSet<T>) -> Difference<'a, T>",
    retain: 'fn retain(&mut self, f: impl FnMut(&T) -> bool)',
    extend: 'fn extend(&mut self, iter: ?)',
  },
} as const satisfies StdImplDef;

export const HASHMAP = {
  name: 'hashmap',
  types: HASHMAP_TYPES,
  impls: [HASHMAP_IMPL, ENTRY_IMPL, HASHSET_IMPL],
} as const satisfies StdFamily;
