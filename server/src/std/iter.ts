/**
 * Iterators: the `Iterator` trait's methods (one table for every iterator type: a type is an
 * iterator when its `StdTypeDef.iterator` gives its `Item`), the adapter types they return and
 * `IntoIterator::into_iter`, which `for` loops call. Items are written as Rust in terms of the
 * adapter's parameters (`Enumerate<I>`: `(usize, I::Item)`; `Cloned<I>`: `I::Item::Target`);
 * a closure decides them by what it returns (`Map<I, F>`: `F::Output`). Source: doc.rust-lang.org/std/iter/trait.Iterator.html.
 * Simulation: `sim/iter.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

const adapter = (name: string, params: string[], item: string, extra: Partial<StdTypeDef> = {}): StdTypeDef => ({
  name,
  path: `std::iter::${name}`,
  params,
  copy: 'never',
  clone: 'if-args',
  needsDrop: 'if-args',
  layout: null,
  iterator: { item },
  ...extra,
});

export const ITER_TYPES = [
  adapter('Map', ['I', 'F'], 'F::Output'),
  adapter('Filter', ['I', 'P'], 'I::Item'),
  adapter('FilterMap', ['I', 'F'], '<F::Output as IntoIterator>::Item'),
  adapter('Enumerate', ['I'], '(usize, I::Item)'),
  adapter('Rev', ['I'], 'I::Item'),
  adapter('Zip', ['A', 'B'], '(A::Item, B::Item)'),
  adapter('Skip', ['I'], 'I::Item'),
  adapter('Take', ['I'], 'I::Item'),
  adapter('StepBy', ['I'], 'I::Item'),
  adapter('Chain', ['A', 'B'], 'A::Item'),
  adapter('Cloned', ['I'], 'I::Item::Target'),
  adapter('Copied', ['I'], 'I::Item::Target'),
  adapter('Peekable', ['I'], 'I::Item'),
  adapter('FlatMap', ['I', 'U', 'F'], '<U as IntoIterator>::Item'),
  adapter('TakeWhile', ['I', 'P'], 'I::Item'),
  adapter('SkipWhile', ['I', 'P'], 'I::Item'),
  adapter('Inspect', ['I', 'F'], 'I::Item'),
] as const satisfies readonly StdTypeDef[];

export const ITERATOR_IMPL = {
  self: 'Iterator',
  trait: 'Iterator',
  fns: {
    next: 'fn next(&mut self) -> Option<Self::Item>',
    map: 'fn map<B, F: FnMut(Self::Item) -> B>(self, f: F) -> Map<Self, F>',
    filter: 'fn filter<P: FnMut(&Self::Item) -> bool>(self, predicate: P) -> Filter<Self, P>',
    filter_map: 'fn filter_map<B, F: FnMut(Self::Item) -> Option<B>>(self, f: F) -> FilterMap<Self, F>',
    enumerate: 'fn enumerate(self) -> Enumerate<Self>',
    rev: 'fn rev(self) -> Rev<Self>',
    zip: 'fn zip(self, other: ?) -> Zip<Self, ?>',
    skip: 'fn skip(self, n: usize) -> Skip<Self>',
    take: 'fn take(self, n: usize) -> Take<Self>',
    step_by: 'fn step_by(self, step: usize) -> StepBy<Self>',
    chain: 'fn chain(self, other: ?) -> Chain<Self, ?>',
    cloned: 'fn cloned(self) -> Cloned<Self>',
    copied: 'fn copied(self) -> Copied<Self>',
    peekable: 'fn peekable(self) -> Peekable<Self>',
    flat_map: 'fn flat_map<U, F: FnMut(Self::Item) -> U>(self, f: F) -> FlatMap<Self, U, F>',
    take_while: 'fn take_while<P: FnMut(&Self::Item) -> bool>(self, predicate: P) -> TakeWhile<Self, P>',
    skip_while: 'fn skip_while<P: FnMut(&Self::Item) -> bool>(self, predicate: P) -> SkipWhile<Self, P>',
    inspect: 'fn inspect<F: FnMut(&Self::Item)>(self, f: F) -> Inspect<Self, F>',
    collect: 'fn collect<B: FromIterator<Self::Item>>(self) -> B',
    partition: 'fn partition<B: Extend<Self::Item>>(self, f: impl FnMut(&Self::Item) -> bool) -> (B, B)',
    count: 'fn count(self) -> usize',
    sum: 'fn sum<S>(self) -> S',
    product: 'fn product<P>(self) -> P',
    max: 'fn max(self) -> Option<Self::Item>',
    min: 'fn min(self) -> Option<Self::Item>',
    max_by: 'fn max_by(self, compare: impl FnMut(&Self::Item, &Self::Item) -> Ordering) -> Option<Self::Item>',
    min_by: 'fn min_by(self, compare: impl FnMut(&Self::Item, &Self::Item) -> Ordering) -> Option<Self::Item>',
    max_by_key: 'fn max_by_key<B>(self, f: impl FnMut(&Self::Item) -> B) -> Option<Self::Item>',
    min_by_key: 'fn min_by_key<B>(self, f: impl FnMut(&Self::Item) -> B) -> Option<Self::Item>',
    last: 'fn last(self) -> Option<Self::Item>',
    nth: 'fn nth(&mut self, n: usize) -> Option<Self::Item>',
    fold: 'fn fold<B>(self, init: B, f: impl FnMut(B, Self::Item) -> B) -> B',
    for_each: 'fn for_each(self, f: impl FnMut(Self::Item))',
    any: 'fn any(&mut self, f: impl FnMut(Self::Item) -> bool) -> bool',
    all: 'fn all(&mut self, f: impl FnMut(Self::Item) -> bool) -> bool',
    position: 'fn position(&mut self, predicate: impl FnMut(Self::Item) -> bool) -> Option<usize>',
    find: 'fn find(&mut self, predicate: impl FnMut(&Self::Item) -> bool) -> Option<Self::Item>',
  },
} as const satisfies StdImplDef;

export const PEEKABLE_IMPL = {
  self: 'Peekable<I>',
  fns: {
    peek: 'fn peek(&mut self) -> Option<&I::Item>',
  },
} as const satisfies StdImplDef;

export const ITER = { name: 'iter', types: ITER_TYPES, impls: [ITERATOR_IMPL, PEEKABLE_IMPL] } as const satisfies StdFamily;
