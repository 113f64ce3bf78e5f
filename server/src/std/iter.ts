/**
 * Iterators: the `Iterator` trait's methods (one table for every iterator type: a type is an
 * iterator when its `StdTypeDef.iterator` gives its `Item`), the adapter types they return and
 * `IntoIterator::into_iter`, which `for` loops call. Items are written as Rust in terms of the
 * adapter's parameters (`Enumerate<I>`: `(usize, I::Item)`; `Cloned<I>`: `I::Item::Target`);
 * `?` when a closure decides them. Source: doc.rust-lang.org/std/iter/trait.Iterator.html.
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
  adapter('Map', ['I', 'F'], '?'),
  adapter('Filter', ['I', 'P'], 'I::Item'),
  adapter('FilterMap', ['I', 'F'], '?'),
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
  adapter('FlatMap', ['I', 'U', 'F'], '?'),
  adapter('TakeWhile', ['I', 'P'], 'I::Item'),
  adapter('SkipWhile', ['I', 'P'], 'I::Item'),
  adapter('Inspect', ['I', 'F'], 'I::Item'),
] as const satisfies readonly StdTypeDef[];

export const ITERATOR_IMPL = {
  self: 'Iterator',
  trait: 'Iterator',
  fns: {
    next: 'fn next(&mut self) -> Option<Self::Item>',
    map: 'fn map(self, f: ?FnMut) -> Map<Self, ?>',
    filter: 'fn filter(self, predicate: ?FnMut) -> Filter<Self, ?>',
    filter_map: 'fn filter_map(self, f: ?FnMut) -> FilterMap<Self, ?>',
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
    flat_map: 'fn flat_map(self, f: ?FnMut) -> FlatMap<Self, ?, ?>',
    take_while: 'fn take_while(self, predicate: ?FnMut) -> TakeWhile<Self, ?>',
    skip_while: 'fn skip_while(self, predicate: ?FnMut) -> SkipWhile<Self, ?>',
    inspect: 'fn inspect(self, f: ?FnMut) -> Inspect<Self, ?>',
    collect: 'fn collect<B>(self) -> B',
    partition: 'fn partition<B>(self, f: ?) -> (B, B)',
    count: 'fn count(self) -> usize',
    sum: 'fn sum<S>(self) -> S',
    product: 'fn product<P>(self) -> P',
    max: 'fn max(self) -> Option<Self::Item>',
    min: 'fn min(self) -> Option<Self::Item>',
    last: 'fn last(self) -> Option<Self::Item>',
    nth: 'fn nth(&mut self, n: usize) -> Option<Self::Item>',
    fold: 'fn fold(self, init: ?, f: ?FnMut) -> ?',
    for_each: 'fn for_each(self, f: ?FnMut)',
    any: 'fn any(&mut self, f: ?FnMut) -> bool',
    all: 'fn all(&mut self, f: ?FnMut) -> bool',
    position: 'fn position(&mut self, predicate: ?FnMut) -> Option<usize>',
    find: 'fn find(&mut self, predicate: ?FnMut) -> Option<Self::Item>',
  },
} as const satisfies StdImplDef;

export const PEEKABLE_IMPL = {
  self: 'Peekable<I>',
  fns: {
    peek: 'fn peek(&mut self) -> Option<&I::Item>',
  },
} as const satisfies StdImplDef;

export const ITER = { name: 'iter', types: ITER_TYPES, impls: [ITERATOR_IMPL, PEEKABLE_IMPL] } as const satisfies StdFamily;
