/**
 * Iterator values (`memory.ts` `IterSrc`) and stepping them: building an iterator over a
 * container, a range, a text or a map's entries (`iterOver`), `next` (`iterNext`), running one to
 * its end in place (`drainItems`). The family simulations build iterators with these; the
 * `Iterator` methods themselves are in `iter.ts`.
 */
import type { StdHost } from '../../interp/host';
import { type Loc, type Val, cloneVal, elemCount, intVal, unknownVal, utf8, withPath } from '../../interp/memory';
import { chargeValues } from '../../interp/budget';
import { heapShape, stdNameOf, stdType } from '../registry';
import type { SimCall } from './api';
import { container, deepClone, deref, none, some } from './common';

export type IterVal = Val & { k: 'iter' };

export const unknownIter = (): IterVal => ({ k: 'iter', src: { kind: 'unknown' }, pos: 0, end: null });

/**
 * An iterator over the receiver `v`: a range is its own iterator; a text's `chars` / `char_indices` /
 * `bytes`; a Vec/VecDeque by value (`into`: moves the elements out, frees the buffer at the end);
 * a map or set's entries; a slice, array or buffer by reference (`ref`) or mutable reference (`mut`).
 */
export function iterOver(m: StdHost, v: Val | undefined, mode: 'ref' | 'mut' | 'into' | 'chars' | 'indices' | 'bytes'): IterVal {
  const recv = v ?? unknownVal();
  const dv = deref(m, recv);
  if (dv.k === 'agg' && (dv.adt === 'Range' || dv.adt === 'RangeInclusive')) {
    const s = dv.fields[0];
    const e = dv.fields[1];
    // `start..` (RangeFrom) has only its start field: it never ends (until overflow).
    const from = dv.names?.length === 1 && dv.names[0] === 'start';
    if (s?.k === 'int') {
      const end = e?.k === 'int' ? (dv.adt === 'RangeInclusive' ? e.v + 1n : e.v) : null;
      return {
        k: 'iter',
        src: { kind: 'range', start: s.v, end, ty: s.ty, ...(from ? { unbounded: true as const } : {}) },
        pos: 0,
        end: null,
      };
    }
    return unknownIter();
  }
  if (dv.k === 'iter') return dv;
  const user = userIter(m, recv, dv);
  if (user) return user;
  // An array by value (`for x in [1, 2]`, edition 2021): its elements move out, in order.
  if (mode === 'into' && recv.k === 'agg' && recv.array)
    return { k: 'iter', src: { kind: 'list', items: recv.fields.map(cloneVal) }, pos: 0, end: null };
  if (mode === 'chars' || mode === 'indices' || mode === 'bytes') {
    const t = m.asText(recv);
    if (t === null) return unknownIter();
    return { k: 'iter', src: { kind: 'chars', text: t, mode }, pos: 0, end: null };
  }
  const own = recv.k === 'own' ? recv : undefined;
  const shape = own ? heapShape(own.kind) : undefined;
  if (mode === 'into' && own && shape?.kind === 'buffer') {
    const b = m.block(own.block);
    return { k: 'iter', src: { kind: 'owned', block: own.block }, pos: 0, end: b && !b.unknownContents ? elemCount(b) : null };
  }
  const r = container(m, recv);
  const rshape = r.own ? heapShape(r.own.kind) : undefined;
  if (r.own && (rshape?.kind === 'table' || rshape?.kind === 'btree')) {
    const b = m.block(r.own.block);
    const isSet = 'set' in rshape && rshape.set === true;
    const owned = mode === 'into' && recv.k === 'own';
    return {
      k: 'iter',
      src: {
        kind: 'entries',
        block: r.own.block,
        mode: owned ? 'owned' : isSet ? 'keys' : 'pairs',
        ...(mode === 'mut' ? { mutable: true } : {}),
      },
      pos: 0,
      end: b && !b.unknownContents ? elemCount(b) : 0,
    };
  }
  if (r.elemsLoc && r.len !== null) {
    const mutable = mode === 'mut' || (recv.k === 'ptr' && recv.mutable && mode !== 'ref');
    const off = r.offset ?? 0;
    return { k: 'iter', src: { kind: 'slice', loc: r.elemsLoc, mutable }, pos: off, end: off + r.len };
  }
  if (r.own && r.block === null) return { k: 'iter', src: { kind: 'slice', loc: null, mutable: false }, pos: 0, end: 0 };
  return unknownIter();
}

/**
 * A value of a user type as an iterator (its own `impl Iterator`, whose `next` the host runs):
 * behind a reference it is stepped where it lives (`(&mut fib).take(2)` advances `fib`); by
 * value it moves into a hidden scratch cell the adapter owns. Undefined for anything else.
 */
export function userIter(m: StdHost, recv: Val, dv: Val): IterVal | undefined {
  if (dv.k !== 'agg' || !dv.adt || dv.closure || dv.array || stdType(stdNameOf(dv.adt))) return undefined;
  let cell: Loc | null = null;
  let v = recv;
  for (let i = 0; i < 8 && v.k === 'ptr' && v.to; i++) {
    cell = v.to;
    v = m.read(v.to);
  }
  if (!cell) {
    const r = m.scratchRef(dv);
    cell = r.k === 'ptr' ? r.to : null;
  }
  return cell ? { k: 'iter', src: { kind: 'user', cell }, pos: 0, end: null } : undefined;
}

/**
 * Steps an adapter's inner iterator at the adapter's own location `loc` (the adapter is written
 * back by the caller): the inner iterator's `next` result and the advanced inner iterator.
 */
function stepAt(m: StdHost, loc: Loc, inner: IterVal): { r: Val; inner: IterVal } {
  m.write(loc, inner);
  const r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
  const after = m.read(loc);
  return { r, inner: after.k === 'iter' ? after : inner };
}

const isSome = (r: Val): r is Val & { k: 'agg' } => r.k === 'agg' && r.variant === 'Some';

/** `Iterator::next` on the iterator `recv` points to (it advances in place): `Some(item)`, `None`, or unknown. */
export function iterNext(m: StdHost, recv: Val | undefined): Val {
  const loc = recv?.k === 'ptr' ? recv.to : null;
  if (!loc) return unknownVal();
  const it = m.read(loc);
  if (it.k !== 'iter') return unknownVal();
  const src = it.src;
  const advance = (): void => m.write(loc, { ...it, pos: it.pos + 1 });
  switch (src.kind) {
    case 'range': {
      const cur = src.start + BigInt(it.pos);
      // An unknown end: whether there is a next item is unknown (the loop runs once, symbolically).
      if (src.end === null && !src.unbounded) return unknownVal();
      if (src.end === null) {
        // `start..` overflows like `Step::forward` in a debug build: a panic past the type's MAX.
        const w = m.wrapInt(cur, src.ty, true);
        if (w.k !== 'int' || w.v !== cur) return unknownVal();
        advance();
        return some(intVal(cur, src.ty));
      }
      if (cur >= src.end) return none();
      advance();
      return some(intVal(cur, src.ty));
    }
    case 'slice': {
      if (it.end === null || it.pos >= it.end || !src.loc) return it.end === null ? unknownVal() : none();
      advance();
      return some({ k: 'ptr', to: withPath(src.loc, [it.pos]), mutable: src.mutable });
    }
    case 'owned': {
      const b = m.block(src.block);
      if (!b) return none();
      if (b.unknownContents) return unknownVal();
      if (it.pos >= b.elems.length) {
        // Exhausted: vec::IntoIter frees its buffer when dropped, right after the loop.
        if (b.state === 'live') m.free(b.id);
        return none();
      }
      const v = b.elems[it.pos];
      b.elems[it.pos] = { k: 'moved', inner: v, to: 'the loop variable', at: m.span };
      advance();
      return some(v);
    }
    case 'map':
    case 'filter':
    case 'filter_map':
    case 'take_while':
    case 'skip_while':
    case 'inspect': {
      if (src.kind === 'take_while' && src.done) return none();
      let inner = src.inner;
      const skipping = src.kind === 'skip_while' && !src.done;
      for (let guard = 0; guard < 1_000_000; guard++) {
        const step = stepAt(m, loc, inner);
        inner = step.inner;
        m.write(loc, { ...it, src: { ...src, inner, ...(skipping ? {} : src.kind === 'skip_while' ? { done: true } : {}) } });
        if (!isSome(step.r)) return step.r;
        const item = step.r.fields[0] ?? unknownVal();
        if (src.kind === 'map') return some(m.callValue(src.f, [item]));
        if (src.kind === 'filter_map') {
          const r = m.callValue(src.f, [item]);
          if (r.k !== 'agg' || r.variant === undefined) return unknownVal();
          if (r.variant === 'Some') return r;
          continue;
        }
        if (src.kind === 'inspect') {
          m.callValue(src.f, [m.scratchRef(item)]);
          return some(item);
        }
        if (src.kind === 'skip_while' && !skipping) return some(item);
        // filter's, take_while's and skip_while's predicates take `&Item`: a reference to the item, kept in a scratch cell.
        const keep = m.callValue(src.f, [m.scratchRef(item)]);
        if (keep.k !== 'bool') return unknownVal();
        if (src.kind === 'take_while') {
          if (keep.v) return some(item);
          m.write(loc, { ...it, src: { ...src, inner, done: true } });
          return none();
        }
        if (src.kind === 'skip_while') {
          if (keep.v) continue;
          m.write(loc, { ...it, src: { ...src, inner, done: true } });
          return some(item);
        }
        if (keep.v) return some(item);
      }
      return unknownVal();
    }
    case 'user': {
      // The type's own `Iterator::next`, run on its value where it lives.
      const r = m.callImpl('Iterator', 'next', { k: 'ptr', to: src.cell, mutable: true }, []);
      return r ?? unknownVal();
    }
    case 'skip':
    case 'step_by':
    case 'take':
    case 'cloned':
    case 'copied': {
      if (src.kind === 'take' && src.n <= 0) return none();
      let inner = src.inner;
      // skip(n) drops n items at its first next(); step_by(n) drops n - 1 before each item after the first.
      let drop = src.kind === 'skip' ? src.n : src.kind === 'step_by' && it.pos > 0 ? src.n - 1 : 0;
      for (let guard = 0; guard < 1_000_000; guard++) {
        const step = stepAt(m, loc, inner);
        inner = step.inner;
        if (!isSome(step.r)) {
          m.write(loc, { ...it, src: { ...src, inner } });
          return step.r;
        }
        if (drop > 0) {
          drop--;
          continue;
        }
        const n = src.kind === 'skip' ? 0 : src.kind === 'take' ? src.n - 1 : src.n;
        m.write(loc, { ...it, pos: it.pos + 1, src: { ...src, inner, n } });
        const item = step.r.fields[0] ?? unknownVal();
        if (src.kind === 'cloned' || src.kind === 'copied') {
          const target = deref(m, item);
          return some(src.kind === 'cloned' ? deepClone(m, target, 0) : cloneVal(target));
        }
        return some(item);
      }
      return unknownVal();
    }
    case 'chain': {
      const a = stepAt(m, loc, src.inner);
      if (a.r.k !== 'agg' || a.r.variant !== 'None') {
        m.write(loc, { ...it, src: { ...src, inner: a.inner } });
        return a.r;
      }
      const b = stepAt(m, loc, src.other);
      m.write(loc, { ...it, src: { ...src, inner: a.inner, other: b.inner } });
      return b.r;
    }
    case 'zip': {
      const a = stepAt(m, loc, src.inner);
      if (!isSome(a.r)) {
        m.write(loc, { ...it, src: { ...src, inner: a.inner } });
        return a.r;
      }
      const b = stepAt(m, loc, src.other);
      m.write(loc, { ...it, src: { ...src, inner: a.inner, other: b.inner } });
      if (!isSome(b.r)) return b.r;
      return some({ k: 'agg', fields: [a.r.fields[0] ?? unknownVal(), b.r.fields[0] ?? unknownVal()] });
    }
    case 'list': {
      if (it.pos >= src.items.length) return none();
      advance();
      return some(src.items[it.pos]);
    }
    case 'peekable': {
      if (src.peeked !== undefined) {
        m.write(loc, { ...it, src: { kind: 'peekable', inner: src.inner } });
        return src.peeked;
      }
      const step = stepAt(m, loc, src.inner);
      m.write(loc, { ...it, src: { kind: 'peekable', inner: step.inner } });
      return step.r;
    }
    case 'entries': {
      const b = m.block(src.block);
      if (!b || it.pos >= b.elems.length) {
        if (src.mode === 'owned' && b && b.state === 'live') m.free(b.id);
        return none();
      }
      const i = it.pos;
      advance();
      const e = b.elems[i];
      const shape = heapShape(b.kind);
      const isSet = shape !== undefined && 'set' in shape && shape.set === true;
      const at = (path: number[], mutable = false): Val => ({ k: 'ptr', to: { region: 'heap', block: b.id, path }, mutable });
      switch (src.mode) {
        case 'owned':
          return some(cloneVal(e));
        case 'keys':
          return some(at(isSet ? [i] : [i, 0]));
        case 'values':
          return some(at([i, 1], src.mutable === true));
        default:
          return some({ k: 'agg', fields: [at([i, 0]), at([i, 1], src.mutable === true)] });
      }
    }
    case 'slices': {
      if (it.pos >= src.parts.length) return none();
      advance();
      const [start, len] = src.parts[it.pos];
      // base points at the string's first byte: the piece starts `start` bytes later.
      const to = src.base.path.length
        ? { ...src.base, path: [...src.base.path.slice(0, -1), src.base.path[src.base.path.length - 1] + start] }
        : withPath(src.base, [start]);
      return some({ k: 'ptr', to: to as Loc, mutable: false, len });
    }
    case 'enumerate': {
      // Step the inner iterator in place (it lives inside this iterator's value).
      const innerLoc = withPath(loc, []);
      const inner = src.inner;
      const scratch: IterVal = { k: 'iter', src: inner.src, pos: inner.pos, end: inner.end };
      m.write(innerLoc, scratch);
      const r = iterNext(m, { k: 'ptr', to: innerLoc, mutable: true });
      const after = m.read(innerLoc);
      m.write(loc, {
        ...it,
        src: { kind: 'enumerate', inner: after.k === 'iter' ? after : scratch },
        pos: it.pos + (r.k === 'agg' && r.variant === 'Some' ? 1 : 0),
      });
      if (r.k !== 'agg' || r.variant !== 'Some') return r;
      return some({ k: 'agg', fields: [intVal(it.pos, 'usize'), r.fields[0] ?? unknownVal()] });
    }
    case 'chars': {
      if (src.mode === 'bytes') {
        const bytes = utf8(src.text);
        if (it.pos >= bytes.length) return none();
        advance();
        return some(intVal(bytes[it.pos], 'u8'));
      }
      const chars = Array.from(src.text);
      if (it.pos >= chars.length) return none();
      advance();
      const ch: Val = { k: 'char', v: chars[it.pos] };
      if (src.mode !== 'indices') return some(ch);
      const offset = utf8(chars.slice(0, it.pos).join('')).length;
      return some({ k: 'agg', fields: [intVal(offset, 'usize'), ch] });
    }
    default:
      return unknownVal();
  }
}

/** Where the receiver iterator can be stepped: behind its `&mut`, or its own (consumed) slot. */
export function iterLoc(m: StdHost, c: SimCall): Loc | null {
  const recv = c.args[0];
  let loc: Loc | null;
  if (recv && recv.k === 'ptr' && recv.to) loc = recv.to;
  else {
    loc = c.argLoc(0);
    if (loc && recv) m.write(loc, recv);
  }
  if (!loc) return null;
  const at = m.read(loc);
  if (at.k === 'iter') return loc;
  // A user type's iterator: stepped through a scratch iterator that runs its `next` where it lives.
  const user = recv ? userIter(m, recv, at) : undefined;
  const cell = user ? m.scratchRef(user) : undefined;
  return cell?.k === 'ptr' ? cell.to : null;
}

/**
 * Runs the receiver iterator to its end (`collect`, `sum`, `count`...): it is stepped in place,
 * in the receiver's own slot (a temporary the call consumes), so `map`/`filter` closures run
 * as calls. Null when an item or the end is unknown.
 */
export function drainItems(m: StdHost, c: SimCall): Val[] | null {
  const loc = iterLoc(m, c);
  if (!loc) return null;
  return drainAt(m, loc);
}

/** Steps the iterator at `loc` to its end; null when an item or the end is unknown. */
export function drainAt(m: StdHost, loc: Loc): Val[] | null {
  const items: Val[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    // Each item costs a `next` call and its Option: charged as several values.
    chargeValues(4);
    const r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
    if (r.k !== 'agg' || r.variant === undefined) return null;
    if (r.variant === 'None') return items;
    items.push(r.fields[0] ?? unknownVal());
  }
  return null;
}

/** The items of an `IntoIterator` argument value (`extend(iter)`, `chain(other)`), stepped in a scratch cell. */
export function itemsOf(m: StdHost, v: Val | undefined): Val[] | null {
  const it = iterOver(m, v, 'into');
  if (it.src.kind === 'unknown') return null;
  const cell = m.scratchRef(it);
  return cell.k === 'ptr' && cell.to ? drainAt(m, cell.to) : null;
}
