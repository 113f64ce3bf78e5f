/**
 * Simulation of `Option<T>` and `Result<T, E>` (`../option.ts`): enum values (`variant` `Some` /
 * `None` / `Ok` / `Err`); methods taking `&self` / `&mut self` work on the enum's own location
 * (`as_ref` points into it, `take` writes `None` there).
 */
import type { StdHost } from '../../interp/host';
import { type Loc, type Val, unknownVal, withPath } from '../../interp/memory';
import type { OPTION_CTORS_IMPL, OPTION_IMPL, RESULT_IMPL } from '../option';
import { type Sim, type SimCall, type SimTable } from './api';
import { bool, cloneOf, defaultOf, deref, err, isOptionLike, none, ok, sliceOf, some } from './common';
import { iterOver } from './iterate';

/** The enum value a receiver is (through references) and its location when it has one. */
function target(m: StdHost, v: Val | undefined): { loc: Loc | null; o: Val } {
  let loc: Loc | null = null;
  let cur = v ?? unknownVal();
  for (let i = 0; i < 8 && cur.k === 'ptr' && cur.to; i++) {
    loc = cur.to;
    cur = m.read(loc);
  }
  return { loc, o: cur };
}

const isSuccess = (o: Val & { k: 'agg' }): boolean => o.variant === 'Some' || o.variant === 'Ok';

/** `unwrap`, `expect`, `unwrap_err`, `expect_err` and the `unwrap_or*` family. */
const unwrapSim =
  (how: 'unwrap' | 'expect' | 'unwrap_err' | 'expect_err' | 'unwrap_or' | 'unwrap_or_default' | 'unwrap_or_else'): Sim =>
  (m, c) => {
    const { o } = target(m, c.args[0]);
    if (!isOptionLike(o)) return unknownVal();
    const wantErr = how === 'unwrap_err' || how === 'expect_err';
    if (isSuccess(o) !== wantErr) return o.fields[0] ?? unknownVal();
    if (how === 'unwrap_or') return c.args[1] ?? unknownVal();
    if (how === 'unwrap_or_default') return defaultOf(m, c.destTy);
    if (how === 'unwrap_or_else')
      return c.args[1] ? m.callValue(c.args[1], o.variant === 'Err' ? [o.fields[0] ?? unknownVal()] : []) : unknownVal();
    const msg =
      how === 'expect' || how === 'expect_err'
        ? (m.asText(c.args[1] ?? unknownVal()) ?? 'expect failed')
        : o.variant === 'None'
          ? 'called `Option::unwrap()` on a `None` value'
          : wantErr
            ? 'called `Result::unwrap_err()` on an `Ok` value'
            : 'called `Result::unwrap()` on an `Err` value';
    return m.halt('panic', `panicked: ${msg}`);
  };

const isSim =
  (variant: 'Some' | 'None' | 'Ok' | 'Err'): Sim =>
  (m, c) => {
    const { o } = target(m, c.args[0]);
    return isOptionLike(o) ? bool(o.variant === variant) : unknownVal();
  };

/** `as_ref` / `as_mut` / `as_deref` / `as_deref_mut`: references into the enum's payload (Result: `Ok(&T)` / `Err(&E)`). */
const asRefSim =
  (mutable: boolean, deref_ = false): Sim =>
  (m, c) => {
    const { loc, o } = target(m, c.args[0]);
    if (!isOptionLike(o)) return unknownVal();
    if (o.variant === 'None') return none();
    if (!loc) return unknownVal();
    const inner: Loc = withPath(loc, [0]);
    let p: Val = { k: 'ptr', to: inner, mutable };
    if (deref_) {
      const iv = m.read(inner);
      p =
        iv.k === 'own' && (iv.kind === 'String' || iv.kind === 'Vec')
          ? sliceOf(m, { k: 'ptr', to: inner, mutable })
          : { k: 'ptr', to: m.derefLoc(inner), mutable };
    }
    return o.variant === 'Some' ? some(p) : o.variant === 'Ok' ? ok(p) : err(p);
  };

/** `take()` / `replace(x)` / `insert(x)` / `get_or_insert(x)`: writes the Option in place. */
const writeSim =
  (how: 'take' | 'replace' | 'insert' | 'get_or_insert' | 'get_or_insert_with'): Sim =>
  (m, c) => {
    const { loc, o } = target(m, c.args[0]);
    if (!loc || !isOptionLike(o)) return null;
    if (how === 'take' || how === 'replace') {
      m.write(loc, how === 'take' ? none() : some(c.args[1] ?? unknownVal()));
      return o;
    }
    if (how === 'insert' || o.variant === 'None') {
      const v = how === 'get_or_insert_with' ? (c.args[1] ? m.callValue(c.args[1], []) : unknownVal()) : (c.args[1] ?? unknownVal());
      if (how === 'insert' && o.variant === 'Some') m.dropVal(o.fields[0] ?? unknownVal(), { kind: 'unknown' }, null, 0);
      m.write(loc, some(v));
    }
    return { k: 'ptr', to: withPath(loc, [0]), mutable: true };
  };

/** `map(f)` / `and_then(f)` / `map_err(f)`: the closure on the payload of the matching variant. */
const mapSim =
  (how: 'map' | 'and_then' | 'map_err'): Sim =>
  (m, c) => {
    const o = deref(m, c.args[0]);
    if (!isOptionLike(o) || !c.args[1]) return unknownVal();
    const onErr = how === 'map_err';
    if (isSuccess(o) === onErr) return o;
    const r = m.callValue(c.args[1], [o.fields[0] ?? unknownVal()]);
    return how === 'and_then' ? r : { ...o, fields: [r] };
  };

/**
 * `map_or(default, f)` / `map_or_else(default_fn, f)`: `f` on the payload of `Some`/`Ok`, else
 * the default (`map_or_else`: the default closure's result; on a `Result` it takes the error).
 */
const mapOrSim =
  (lazy: boolean): Sim =>
  (m, c) => {
    const o = deref(m, c.args[0]);
    const [dflt, f] = [c.args[1], c.args[2]];
    if (!isOptionLike(o) || !dflt || !f) return unknownVal();
    if (isSuccess(o)) return m.callValue(f, [o.fields[0] ?? unknownVal()]);
    return lazy ? m.callValue(dflt, o.variant === 'Err' ? [o.fields[0] ?? unknownVal()] : []) : dflt;
  };

/** `cloned()` / `copied()` of an `Option<&T>`. */
const clonedSim =
  (deep: boolean): Sim =>
  (m, c) => {
    const o = deref(m, c.args[0]);
    if (!isOptionLike(o)) return null;
    if (o.variant === 'None') return o;
    const inner = o.fields[0];
    const v = inner && inner.k === 'ptr' && inner.to ? m.read(inner.to) : unknownVal();
    return some(cloneOf(m, v, deep));
  };

/** `ok_or(e)` / `ok_or_else(f)`. */
const okOrSim =
  (lazy: boolean): Sim =>
  (m, c) => {
    const o = deref(m, c.args[0]);
    if (!isOptionLike(o)) return unknownVal();
    if (o.variant === 'Some') return ok(o.fields[0] ?? unknownVal());
    return err(lazy ? (c.args[1] ? m.callValue(c.args[1], []) : unknownVal()) : (c.args[1] ?? unknownVal()));
  };

/** `ok()` / `err()` of a Result. */
const toOptionSim =
  (which: 'Ok' | 'Err'): Sim =>
  (m, c) => {
    const o = deref(m, c.args[0]);
    if (!isOptionLike(o)) return unknownVal();
    return o.variant === which ? some(o.fields[0] ?? unknownVal()) : none();
  };

/** `filter(p)`: the predicate takes `&T`. */
const filterSim: Sim = (m, c) => {
  const o = deref(m, c.args[0]);
  if (!isOptionLike(o) || !c.args[1]) return unknownVal();
  if (o.variant === 'None') return o;
  const keep = m.callValue(c.args[1], [m.scratchRef(o.fields[0] ?? unknownVal())]);
  return keep.k === 'bool' ? (keep.v ? o : none()) : unknownVal();
};

/** `or(b)` / `or_else(f)`. */
const orSim =
  (lazy: boolean): Sim =>
  (m, c) => {
    const o = deref(m, c.args[0]);
    if (!isOptionLike(o)) return unknownVal();
    if (o.variant === 'Some') return o;
    return lazy ? (c.args[1] ? m.callValue(c.args[1], []) : unknownVal()) : (c.args[1] ?? unknownVal());
  };

/** `is_some_and(f)`. */
const isSomeAndSim: Sim = (m, c) => {
  const o = deref(m, c.args[0]);
  if (!isOptionLike(o) || !c.args[1]) return unknownVal();
  if (o.variant !== 'Some') return bool(false);
  return m.callValue(c.args[1], [o.fields[0] ?? unknownVal()]);
};

const iterSim: Sim = (m: StdHost, c: SimCall) => {
  const { loc, o } = target(m, c.args[0]);
  if (!isOptionLike(o)) return iterOver(m, undefined, 'ref');
  return {
    k: 'iter',
    src: { kind: 'list', items: isSuccess(o) && loc ? [{ k: 'ptr', to: withPath(loc, [0]), mutable: false }] : [] },
    pos: 0,
    end: null,
  };
};

/**
 * `transpose()`: `Option<Result<T, E>>` ↔ `Result<Option<T>, E>` (None ↔ Ok(None), Some(Ok(x)) ↔
 * Ok(Some(x)), Some(Err(e)) ↔ Err(e)). Unknown when a layer's variant is.
 */
const transposeSim: Sim = (m, c) => {
  const { o } = target(m, c.args[0]);
  if (!isOptionLike(o)) return null;
  if (o.variant === 'None') return ok(none());
  if (o.variant === 'Err') return some(err(o.fields[0] ?? unknownVal()));
  const inner = o.fields[0] ?? unknownVal();
  if (!isOptionLike(inner)) return null;
  if (o.variant === 'Some') return inner.variant === 'Ok' ? ok(some(inner.fields[0] ?? unknownVal())) : inner;
  return inner.variant === 'Some' ? some(ok(inner.fields[0] ?? unknownVal())) : none();
};

export const OPTION_SIMS: SimTable<typeof OPTION_IMPL> = {
  unwrap: unwrapSim('unwrap'),
  expect: unwrapSim('expect'),
  unwrap_or: unwrapSim('unwrap_or'),
  unwrap_or_default: unwrapSim('unwrap_or_default'),
  unwrap_or_else: unwrapSim('unwrap_or_else'),
  is_some: isSim('Some'),
  is_none: isSim('None'),
  is_some_and: isSomeAndSim,
  as_ref: asRefSim(false),
  as_mut: asRefSim(true),
  as_deref: asRefSim(false, true),
  as_deref_mut: asRefSim(true, true),
  take: writeSim('take'),
  replace: writeSim('replace'),
  insert: writeSim('insert'),
  get_or_insert: writeSim('get_or_insert'),
  get_or_insert_with: writeSim('get_or_insert_with'),
  map: mapSim('map'),
  and_then: mapSim('and_then'),
  map_or: mapOrSim(false),
  map_or_else: mapOrSim(true),
  filter: filterSim,
  or: orSim(false),
  or_else: orSim(true),
  ok_or: okOrSim(false),
  ok_or_else: okOrSim(true),
  iter: iterSim,
  cloned: clonedSim(true),
  copied: clonedSim(false),
  transpose: transposeSim,
};

export const RESULT_SIMS: SimTable<typeof RESULT_IMPL> = {
  unwrap: unwrapSim('unwrap'),
  expect: unwrapSim('expect'),
  unwrap_err: unwrapSim('unwrap_err'),
  expect_err: unwrapSim('expect_err'),
  unwrap_or: unwrapSim('unwrap_or'),
  unwrap_or_default: unwrapSim('unwrap_or_default'),
  unwrap_or_else: unwrapSim('unwrap_or_else'),
  is_ok: isSim('Ok'),
  is_err: isSim('Err'),
  ok: toOptionSim('Ok'),
  err: toOptionSim('Err'),
  as_ref: asRefSim(false),
  as_mut: asRefSim(true),
  map: mapSim('map'),
  map_err: mapSim('map_err'),
  and_then: mapSim('and_then'),
  map_or: mapOrSim(false),
  map_or_else: mapOrSim(true),
  iter: iterSim,
  transpose: transposeSim,
};

/** The prelude constructors, when called as functions (the MIR builder usually builds the enum directly). */
export const OPTION_CTOR_SIMS: SimTable<typeof OPTION_CTORS_IMPL> = {
  Some: (_m, c) => some(c.args[0] ?? unknownVal()),
  Ok: (_m, c) => ok(c.args[0] ?? unknownVal()),
  Err: (_m, c) => err(c.args[0] ?? unknownVal()),
};
