/**
 * Trait methods std provides for (almost) any type: `Clone::clone`, `ToOwned::to_owned`,
 * `ToString::to_string` (via `Display`), `PartialEq::eq`/`ne`, `Into::into`, and
 * `IntoIterator::into_iter` on references to collections (`for x in &v`, which does not move `v`).
 * Whether a type has them is decided by the trait queries of `facts.ts`; the compound
 * assignment operators on non-primitive types (`s += "x"` on a String is `AddAssign::add_assign`)
 * are builtins. Simulation: `sim/any.ts`.
 */
import type { StdFamily, StdImplDef } from './types';

export const CLONE_IMPL = { self: 'any', trait: 'Clone', fns: { clone: 'fn clone(&self) -> Self' } } as const satisfies StdImplDef;
export const TO_OWNED_IMPL = { self: 'any', trait: 'ToOwned', fns: { to_owned: 'fn to_owned(&self) -> ?' } } as const satisfies StdImplDef;
export const TO_STRING_IMPL = {
  self: 'any',
  trait: 'ToString',
  fns: { to_string: 'fn to_string(&self) -> String' },
} as const satisfies StdImplDef;
export const PARTIAL_EQ_IMPL = {
  self: 'any',
  trait: 'PartialEq',
  fns: { eq: 'fn eq(&self, other: &Self) -> bool', ne: 'fn ne(&self, other: &Self) -> bool' },
} as const satisfies StdImplDef;
export const INTO_IMPL = { self: 'any', trait: 'Into', fns: { into: 'fn into<T>(self) -> T' } } as const satisfies StdImplDef;
/** `IntoIterator::into_iter`: also the call a `for` loop makes on its iterated value. */
export const INTO_ITER_IMPL = {
  self: 'any',
  trait: 'IntoIterator',
  fns: { into_iter: 'fn into_iter(self) -> ?' },
} as const satisfies StdImplDef;

/** Compound assignment on non-primitive types, by operator (ids `AddAssign::add_assign`...). */
export const COMPOUND_ASSIGN = {
  '+': 'AddAssign::add_assign',
  '-': 'SubAssign::sub_assign',
  '*': 'MulAssign::mul_assign',
  '/': 'DivAssign::div_assign',
  '%': 'RemAssign::rem_assign',
  '&': 'BitAndAssign::bitand_assign',
  '|': 'BitOrAssign::bitor_assign',
  '^': 'BitXorAssign::bitxor_assign',
  '<<': 'ShlAssign::shl_assign',
  '>>': 'ShrAssign::shr_assign',
} as const;

export const ANY = {
  name: 'any',
  types: [],
  impls: [CLONE_IMPL, TO_OWNED_IMPL, TO_STRING_IMPL, PARTIAL_EQ_IMPL, INTO_IMPL, INTO_ITER_IMPL],
  builtins: Object.values(COMPOUND_ASSIGN),
} as const satisfies StdFamily;
