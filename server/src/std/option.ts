/**
 * `Option<T>` and `Result<T, E>`: enums in the prelude, their variants written once (the `def`
 * below serves layouts, patterns and constructors). Sources: doc.rust-lang.org/std/option and
 * std/result. Simulation: `sim/option.ts`. A closure parameter says what the closure receives
 * (`impl FnOnce(T) -> U`: inference types an unannotated closure by it) and, by the type parameter
 * it returns (`U`), what the result is; what such a result borrows the closure passed decides
 * (`ReturnBorrow.closure`).
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

export const OPTION_TYPES = [
  {
    name: 'Option',
    path: 'std::option::Option',
    params: ['T'],
    prelude: true,
    copy: 'if-args',
    clone: 'if-args',
    needsDrop: 'if-args',
    default: 'always',
    def: 'enum Option<T> { None, Some(T) }',
    layout: 'def',
    intoIter: { value: 'T', ref: '&T', mut: '&mut T' },
  },
  {
    name: 'Result',
    path: 'std::result::Result',
    params: ['T', 'E'],
    prelude: true,
    copy: 'if-args',
    clone: 'if-args',
    needsDrop: 'if-args',
    def: 'enum Result<T, E> { Ok(T), Err(E) }',
    layout: 'def',
    intoIter: { value: 'T', ref: '&T', mut: '&mut T' },
  },
] as const satisfies readonly StdTypeDef[];

export const OPTION_IMPL = {
  self: 'Option<T>',
  fns: {
    unwrap: 'fn unwrap(self) -> T',
    expect: 'fn expect(self, msg: &str) -> T',
    unwrap_or: 'fn unwrap_or(self, default: T) -> T',
    unwrap_or_default: 'fn unwrap_or_default(self) -> T where T: Default',
    unwrap_or_else: 'fn unwrap_or_else(self, f: impl FnOnce() -> T) -> T',
    is_some: 'fn is_some(&self) -> bool',
    is_none: 'fn is_none(&self) -> bool',
    is_some_and: 'fn is_some_and(self, f: impl FnOnce(T) -> bool) -> bool',
    as_ref: 'fn as_ref(&self) -> Option<&T>',
    as_mut: 'fn as_mut(&mut self) -> Option<&mut T>',
    as_deref: 'fn as_deref(&self) -> Option<&T::Target> where T: Deref',
    as_deref_mut: 'fn as_deref_mut(&mut self) -> Option<&mut T::Target> where T: DerefMut',
    take: 'fn take(&mut self) -> Option<T>',
    replace: 'fn replace(&mut self, value: T) -> Option<T>',
    insert: 'fn insert(&mut self, value: T) -> &mut T',
    get_or_insert: 'fn get_or_insert(&mut self, value: T) -> &mut T',
    get_or_insert_with: 'fn get_or_insert_with(&mut self, f: impl FnOnce() -> T) -> &mut T',
    map: 'fn map<U>(self, f: impl FnOnce(T) -> U) -> Option<U>',
    and_then: 'fn and_then<U>(self, f: impl FnOnce(T) -> Option<U>) -> Option<U>',
    map_or: 'fn map_or<U>(self, default: U, f: impl FnOnce(T) -> U) -> U',
    map_or_else: 'fn map_or_else<U>(self, default: impl FnOnce() -> U, f: impl FnOnce(T) -> U) -> U',
    filter: 'fn filter(self, predicate: impl FnOnce(&T) -> bool) -> Option<T>',
    or: 'fn or(self, optb: Option<T>) -> Option<T>',
    or_else: 'fn or_else(self, f: impl FnOnce() -> Option<T>) -> Option<T>',
    ok_or: 'fn ok_or(self, err: E) -> Result<T, E>',
    ok_or_else: 'fn ok_or_else<E>(self, err: impl FnOnce() -> E) -> Result<T, E>',
    iter: "fn iter(&self) -> Iter<'_, T>",
    cloned: 'fn cloned(self) -> Option<U> where T = &U, U: Clone',
    copied: 'fn copied(self) -> Option<U> where T = &U, U: Copy',
    transpose: 'fn transpose(self) -> ? where T: IsResult',
  },
} as const satisfies StdImplDef;

export const RESULT_IMPL = {
  self: 'Result<T, E>',
  fns: {
    unwrap: 'fn unwrap(self) -> T',
    expect: 'fn expect(self, msg: &str) -> T',
    unwrap_err: 'fn unwrap_err(self) -> E',
    expect_err: 'fn expect_err(self, msg: &str) -> E',
    unwrap_or: 'fn unwrap_or(self, default: T) -> T',
    unwrap_or_default: 'fn unwrap_or_default(self) -> T where T: Default',
    unwrap_or_else: 'fn unwrap_or_else(self, op: impl FnOnce(E) -> T) -> T',
    is_ok: 'fn is_ok(&self) -> bool',
    is_err: 'fn is_err(&self) -> bool',
    ok: 'fn ok(self) -> Option<T>',
    err: 'fn err(self) -> Option<E>',
    as_ref: 'fn as_ref(&self) -> Result<&T, &E>',
    as_mut: 'fn as_mut(&mut self) -> Result<&mut T, &mut E>',
    map: 'fn map<U>(self, op: impl FnOnce(T) -> U) -> Result<U, E>',
    map_err: 'fn map_err<F>(self, op: impl FnOnce(E) -> F) -> Result<T, F>',
    and_then: 'fn and_then<U>(self, op: impl FnOnce(T) -> Result<U, E>) -> Result<U, E>',
    map_or: 'fn map_or<U>(self, default: U, f: impl FnOnce(T) -> U) -> U',
    map_or_else: 'fn map_or_else<U>(self, default: impl FnOnce(E) -> U, f: impl FnOnce(T) -> U) -> U',
    iter: "fn iter(&self) -> Iter<'_, T>",
    transpose: 'fn transpose(self) -> ? where T: IsOption',
  },
} as const satisfies StdImplDef;

/** The prelude's variant constructors, called like functions: `Some(x)`, `Ok(v)`, `Err(e)`. */
export const OPTION_CTORS_IMPL = {
  self: 'prelude',
  fns: {
    Some: 'fn Some(value: T) -> Option<T>',
    Ok: 'fn Ok(value: T) -> Result<T, E>',
    Err: 'fn Err(value: E) -> Result<T, E>',
  },
} as const satisfies StdImplDef;

export const OPTION = {
  name: 'option',
  types: OPTION_TYPES,
  impls: [OPTION_IMPL, RESULT_IMPL, OPTION_CTORS_IMPL],
} as const satisfies StdFamily;
