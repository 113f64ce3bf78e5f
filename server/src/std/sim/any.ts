/**
 * Simulation of the blanket trait methods (`../any.ts`): `clone` (Rc/Arc: a new handle; owned
 * containers: a deep copy with capacity = length, as `Clone` for Vec/String allocates exactly),
 * `to_owned` / `to_string` / `into` (new Strings from text, deep copies otherwise), `eq` / `ne`,
 * `IntoIterator::into_iter` (also what `for` loops call), and compound assignment on
 * non-primitive types.
 */
import type { Ty } from '../../hir/ty';
import { intVal, unitVal, unknownVal } from '../../interp/memory';
import {
  COMPOUND_ASSIGN,
  type CLONE_IMPL,
  type INTO_IMPL,
  type INTO_ITER_IMPL,
  type PARTIAL_EQ_IMPL,
  type TO_OWNED_IMPL,
  type TO_STRING_IMPL,
} from '../any';
import type { BuiltinSims, Sim, SimTable } from './api';
import { pushStr } from './buffer';
import { bool, deepClone, deref, newString, ownKindOf, STRING_TY, unknownOwn } from './common';
import { display, toStringOf } from './fmt';
import { iterOver } from './iterate';

/** `clone` / `to_owned` / `to_string` / `into`: Strings from text, handles for Rc/Arc, deep copies otherwise. */
const cloneLike =
  (how: 'clone' | 'to_owned' | 'to_string' | 'into'): Sim =>
  (m, c) => {
    const recv = c.args[0] ?? unknownVal();
    let self = c.selfTy;
    while (self?.kind === 'ref') self = self.inner;
    const toString = ownKindOf(c.destTy) === 'String' || how === 'to_string' || (how === 'to_owned' && self?.kind === 'str');
    if (toString) {
      const text = m.asText(recv);
      if (text !== null) return newString(m, text);
      const v = deref(m, recv);
      if (how === 'to_string' && v.k !== 'unknown' && v.k !== 'own' && v.k !== 'agg') return newString(m, display(m, v, ''));
      if (how === 'to_string' && v.k === 'agg') return toStringOf(m, v) ?? unknownOwn(m, STRING_TY);
      return unknownOwn(m, STRING_TY);
    }
    if (how === 'into') {
      // Between numbers std has only the lossless `From` impls (`i64: From<i32>`, `f64: From<u8>`,
      // `u32: From<char>`, ints from `bool`; rustc rejects the others), so the value is kept.
      const d = c.destTy;
      if (d.kind === 'int' && recv.k === 'int') return intVal(recv.v, d.name);
      if (d.kind === 'int' && recv.k === 'bool') return intVal(recv.v ? 1 : 0, d.name);
      if (d.kind === 'int' && recv.k === 'char') return intVal(recv.v.codePointAt(0) ?? 0, d.name);
      if (d.kind === 'float' && (recv.k === 'int' || recv.k === 'float')) return { k: 'float', v: Number(recv.v) };
      // To another type it runs a `From` impl the simulation does not see; to the same type it is the identity.
      return d.kind === 'unknown' || !sameHead(d, c.argTy(0)) ? null : deref(m, recv);
    }
    // A reference receiver (`&self`) clones what it points to; Rc/Arc get a new handle (strong + 1).
    return deepClone(m, deref(m, recv), 0);
  };

/** Same type constructor (`Vec<_>` and `Vec<_>`, `i32` and `i32`): an `into` that is the identity. */
function sameHead(a: Ty, b: Ty): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'adt' && b.kind === 'adt') return a.name === b.name;
  if ((a.kind === 'int' || a.kind === 'float') && (b.kind === 'int' || b.kind === 'float')) return a.name === b.name;
  return a.kind !== 'ref' && a.kind !== 'tuple' && a.kind !== 'unknown';
}

const eqSim =
  (want: boolean): Sim =>
  (m, c) => {
    const e = m.valuesEqual(c.args[0] ?? unknownVal(), c.args[1] ?? unknownVal());
    return e === null ? unknownVal() : bool(e === want);
  };

export const CLONE_SIMS: SimTable<typeof CLONE_IMPL> = { clone: cloneLike('clone') };
export const TO_OWNED_SIMS: SimTable<typeof TO_OWNED_IMPL> = { to_owned: cloneLike('to_owned') };
export const TO_STRING_SIMS: SimTable<typeof TO_STRING_IMPL> = { to_string: cloneLike('to_string') };
export const PARTIAL_EQ_SIMS: SimTable<typeof PARTIAL_EQ_IMPL> = { eq: eqSim(true), ne: eqSim(false) };
export const INTO_SIMS: SimTable<typeof INTO_IMPL> = { into: cloneLike('into') };
export const INTO_ITER_SIMS: SimTable<typeof INTO_ITER_IMPL> = { into_iter: (m, c) => iterOver(m, c.args[0], 'into') };

/**
 * `x op= y` the MIR builder could not type as a primitive operation: numbers behind the
 * reference are updated in place, `String += &str` is `push_str`; anything else becomes unknown.
 */
const compoundAssign =
  (op: string): Sim =>
  (m, c) => {
    const a = c.args;
    const target = a[0]?.k === 'ptr' ? a[0].to : null;
    const cur = target ? m.read(target) : unknownVal();
    if (target && (cur.k === 'int' || cur.k === 'float' || cur.k === 'bool')) {
      m.write(target, m.binary(op, cur, a[1] ?? unknownVal(), { kind: 'unknown' }));
      return unitVal();
    }
    if (op === '+' && cur.k === 'own' && cur.kind === 'String') return pushStr(m, a);
    if (target) m.havoc([a[0]]);
    return unitVal();
  };

type AssignIds = (typeof COMPOUND_ASSIGN)[keyof typeof COMPOUND_ASSIGN];
export const ASSIGN_SIMS = Object.fromEntries(
  Object.entries(COMPOUND_ASSIGN).map(([op, id]) => [id, compoundAssign(op)]),
) as BuiltinSims<AssignIds>;
