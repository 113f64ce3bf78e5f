/**
 * Primitive types' methods (integers, floats, `char`, `bool`, grouped as `int` and `float`
 * tables whose `Self` is the receiver's own type) and the small std types they return:
 * `Ordering` (`#[repr(i8)]`, -1 / 0 / 1), `ParseIntError`, `ParseFloatError`. Sources:
 * doc.rust-lang.org/std/primitive.i32.html (and the other primitives), core/src/num/error.rs.
 * Simulation: `sim/prim.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

export const PRIM_TYPES = [
  {
    name: 'Ordering',
    path: 'std::cmp::Ordering',
    params: [],
    copy: 'always',
    clone: 'always',
    needsDrop: 'never',
    def: '#[repr(i8)] enum Ordering { Less = -1, Equal = 0, Greater = 1 }',
    layout: 'def',
  },
  {
    name: 'ParseIntError',
    path: 'std::num::ParseIntError',
    params: [],
    copy: 'never',
    clone: 'always',
    needsDrop: 'never',
    display: 'always',
    def: 'struct ParseIntError { kind: IntErrorKind }',
    layout: 'def',
  },
  {
    name: 'IntErrorKind',
    path: 'std::num::IntErrorKind',
    params: [],
    copy: 'always',
    clone: 'always',
    needsDrop: 'never',
    def: 'enum IntErrorKind { Empty, InvalidDigit, PosOverflow, NegOverflow, Zero }',
    layout: 'def',
  },
  {
    name: 'ParseFloatError',
    path: 'std::num::ParseFloatError',
    params: [],
    copy: 'never',
    clone: 'always',
    needsDrop: 'never',
    display: 'always',
    def: 'struct ParseFloatError { kind: FloatErrorKind }',
    layout: 'def',
  },
  {
    name: 'FloatErrorKind',
    path: 'core::num::dec2flt::FloatErrorKind',
    params: [],
    internal: true,
    copy: 'always',
    clone: 'always',
    needsDrop: 'never',
    def: 'enum FloatErrorKind { Empty, Invalid }',
    layout: 'def',
  },
] as const satisfies readonly StdTypeDef[];

export const INT_IMPL = {
  self: 'int',
  fns: {
    abs: 'fn abs(self) -> Self where Self: Signed',
    signum: 'fn signum(self) -> Self where Self: Signed',
    is_positive: 'fn is_positive(self) -> bool where Self: Signed',
    is_negative: 'fn is_negative(self) -> bool where Self: Signed',
    pow: 'fn pow(self, exp: u32) -> Self',
    min: 'fn min(self, other: Self) -> Self',
    max: 'fn max(self, other: Self) -> Self',
    clamp: 'fn clamp(self, min: Self, max: Self) -> Self',
    checked_add: 'fn checked_add(self, rhs: Self) -> Option<Self>',
    checked_sub: 'fn checked_sub(self, rhs: Self) -> Option<Self>',
    checked_mul: 'fn checked_mul(self, rhs: Self) -> Option<Self>',
    checked_div: 'fn checked_div(self, rhs: Self) -> Option<Self>',
    wrapping_add: 'fn wrapping_add(self, rhs: Self) -> Self',
    wrapping_sub: 'fn wrapping_sub(self, rhs: Self) -> Self',
    wrapping_mul: 'fn wrapping_mul(self, rhs: Self) -> Self',
    saturating_add: 'fn saturating_add(self, rhs: Self) -> Self',
    saturating_sub: 'fn saturating_sub(self, rhs: Self) -> Self',
    overflowing_add: 'fn overflowing_add(self, rhs: Self) -> (Self, bool)',
    rem_euclid: 'fn rem_euclid(self, rhs: Self) -> Self',
    count_ones: 'fn count_ones(self) -> u32',
    leading_zeros: 'fn leading_zeros(self) -> u32',
    trailing_zeros: 'fn trailing_zeros(self) -> u32',
    is_power_of_two: 'fn is_power_of_two(self) -> bool where Self: Unsigned',
    cmp: 'fn cmp(&self, other: &Self) -> Ordering',
    partial_cmp: 'fn partial_cmp(&self, other: &Self) -> Option<Ordering>',
  },
} as const satisfies StdImplDef;

export const FLOAT_IMPL = {
  self: 'float',
  fns: {
    abs: 'fn abs(self) -> Self',
    sqrt: 'fn sqrt(self) -> Self',
    powi: 'fn powi(self, n: i32) -> Self',
    powf: 'fn powf(self, n: Self) -> Self',
    floor: 'fn floor(self) -> Self',
    ceil: 'fn ceil(self) -> Self',
    round: 'fn round(self) -> Self',
    trunc: 'fn trunc(self) -> Self',
    min: 'fn min(self, other: Self) -> Self',
    max: 'fn max(self, other: Self) -> Self',
    sin: 'fn sin(self) -> Self',
    cos: 'fn cos(self) -> Self',
    is_nan: 'fn is_nan(self) -> bool',
    partial_cmp: 'fn partial_cmp(&self, other: &Self) -> Option<Ordering>',
  },
} as const satisfies StdImplDef;

export const CHAR_IMPL = {
  self: 'char',
  fns: {
    is_alphabetic: 'fn is_alphabetic(self) -> bool',
    is_numeric: 'fn is_numeric(self) -> bool',
    is_alphanumeric: 'fn is_alphanumeric(self) -> bool',
    is_whitespace: 'fn is_whitespace(self) -> bool',
    is_uppercase: 'fn is_uppercase(self) -> bool',
    is_lowercase: 'fn is_lowercase(self) -> bool',
    is_ascii: 'fn is_ascii(&self) -> bool',
    is_ascii_digit: 'fn is_ascii_digit(&self) -> bool',
    is_ascii_alphabetic: 'fn is_ascii_alphabetic(&self) -> bool',
    is_ascii_alphanumeric: 'fn is_ascii_alphanumeric(&self) -> bool',
    is_ascii_punctuation: 'fn is_ascii_punctuation(&self) -> bool',
    is_digit: 'fn is_digit(self, radix: u32) -> bool',
    to_digit: 'fn to_digit(self, radix: u32) -> Option<u32>',
    to_ascii_uppercase: 'fn to_ascii_uppercase(&self) -> char',
    to_ascii_lowercase: 'fn to_ascii_lowercase(&self) -> char',
    to_uppercase: 'fn to_uppercase(self) -> ToUppercase',
    to_lowercase: 'fn to_lowercase(self) -> ToLowercase',
    len_utf8: 'fn len_utf8(self) -> usize',
    eq_ignore_ascii_case: 'fn eq_ignore_ascii_case(&self, other: &char) -> bool',
    cmp: 'fn cmp(&self, other: &Self) -> Ordering',
  },
} as const satisfies StdImplDef;

export const BOOL_IMPL = {
  self: 'bool',
  fns: {
    then: 'fn then<T>(self, f: impl FnOnce() -> T) -> Option<T>',
    then_some: 'fn then_some<T>(self, t: T) -> Option<T>',
  },
} as const satisfies StdImplDef;

export const ORDERING_IMPL = {
  self: 'Ordering',
  fns: {
    is_eq: 'fn is_eq(self) -> bool',
    is_lt: 'fn is_lt(self) -> bool',
    is_gt: 'fn is_gt(self) -> bool',
    reverse: 'fn reverse(self) -> Ordering',
    then: 'fn then(self, other: Ordering) -> Ordering',
  },
} as const satisfies StdImplDef;

/** `std::cmp::min` / `max` (doc.rust-lang.org/std/cmp): the second argument when they compare equal (`max`), the first (`min`). */
export const CMP_IMPL = {
  self: 'cmp',
  fns: {
    min: 'fn min(v1: T, v2: T) -> T where T: Ord',
    max: 'fn max(v1: T, v2: T) -> T where T: Ord',
  },
} as const satisfies StdImplDef;

const charIter = (name: string): StdTypeDef => ({
  name,
  path: `std::char::${name}`,
  params: [],
  copy: 'never',
  clone: 'always',
  needsDrop: 'never',
  layout: null,
  iterator: { item: 'char' },
});

export const PRIM = {
  name: 'prim',
  types: [...PRIM_TYPES, charIter('ToUppercase'), charIter('ToLowercase')],
  impls: [INT_IMPL, FLOAT_IMPL, CHAR_IMPL, BOOL_IMPL, ORDERING_IMPL, CMP_IMPL],
} as const satisfies StdFamily;
