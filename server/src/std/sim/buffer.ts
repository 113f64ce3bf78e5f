/**
 * Simulations shared by the RawVec-backed containers and slices (`String`, `Vec`, `VecDeque`,
 * `[T]`, `str`): lengths and capacities, pushes with RawVec growth, pops, clearing, reserving,
 * element access, sorting. The family tables (`string.ts`, `vec.ts`, `vecdeque.ts`) point at them.
 */
import type { StdHost } from '../../interp/host';
import { type Loc, type Val, byteOf, fromUtf8, heapId, intVal, unitVal, unknownVal, utf8, withPath } from '../../interp/memory';
import type { Sim, SimCall } from './api';
import { bool, compareVals, container, deepClone, deref, ensureCap, intArg, newString, none, some, STRING_TY, unknownOwn } from './common';
import { itemsOf } from './iterate';

/** `len()` (`is_empty()`, `capacity()`): of any container, slice or text. */
export const lenSim =
  (what: 'len' | 'is_empty' | 'capacity'): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    const n = what === 'capacity' ? r.cap : r.len;
    if (n === null) return unknownVal();
    return what === 'is_empty' ? bool(n === 0) : intVal(n, 'usize');
  };

/** `as_ptr()` / `as_mut_ptr()`: a raw pointer to the first element (dangling when nothing is allocated). */
export const asPtrSim =
  (mutable: boolean): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    if (r.block !== undefined)
      return { k: 'ptr', to: r.block === null ? null : { region: 'heap', block: r.block, path: [0] }, mutable, raw: true };
    if (r.ptr) return { k: 'ptr', to: r.ptr.to ? withPath(r.ptr.to, r.ptr.to.path.length ? [] : [0]) : null, mutable: false, raw: true };
    return unknownVal();
  };

/** `push` / `push_str` / `push_back`: appends, growing like RawVec. */
export const pushSim =
  (what: 'push' | 'push_str'): Sim =>
  (m, c) =>
    push(m, what, c.args);

/** `push_str(text)` on the String `dest` refers to (`write!` into a String). */
export function pushText(m: StdHost, dest: Val, text: string): void {
  const r = container(m, dest);
  if (r.own && r.loc && r.own.kind === 'String') pushBytes(m, r.loc, r.own, utf8(text));
}

function push(m: StdHost, what: 'push' | 'push_str', a: Val[]): Val {
  const r = container(m, a[0]);
  if (!r.own || !r.loc) return unitVal();
  const own = r.own;
  if (own.kind === 'String') {
    let bytes: number[] | null = null;
    const arg = deref(m, a[1]);
    if (what === 'push' && arg.k === 'char') bytes = utf8(arg.v);
    else {
      const t = m.asText(a[1] ?? unknownVal());
      if (t !== null) bytes = utf8(t);
    }
    if (bytes === null) {
      const b = m.block(own.block);
      if (b) b.unknownContents = true;
      return unitVal();
    }
    pushBytes(m, r.loc, own, bytes);
    return unitVal();
  }
  const id = ensureCap(m, r.loc, own, 1);
  const b = m.block(id);
  if (!b) return unitVal();
  b.elems.push(a[1] ?? unknownVal());
  m.emit('write', `pushed ${m.short(a[1] ?? unknownVal())} onto heap:${b.id} (len ${b.elems.length}, capacity ${b.cap})`, [heapId(b.id)]);
  return unitVal();
}

function pushBytes(m: StdHost, loc: Loc, own: Val & { k: 'own' }, bytes: number[]): void {
  if (bytes.length === 0) return;
  const id = ensureCap(m, loc, own, bytes.length);
  const b = m.block(id);
  if (!b) return;
  for (const x of bytes) b.elems.push(intVal(x, 'u8'));
  m.emit('write', `pushed ${JSON.stringify(fromUtf8(bytes))} onto heap:${b.id} (len ${b.elems.length}, capacity ${b.cap})`, [heapId(b.id)]);
}

/** `String += &str` (AddAssign): `push_str`. */
export function pushStr(m: StdHost, a: Val[]): Val {
  return push(m, 'push_str', a);
}

/** `pop()`: the last element (a String's last char). */
export const popSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const b = m.block(r.block ?? null);
  if (r.own && !b) return none();
  if (!b || b.unknownContents) return unknownVal();
  if (b.elems.length === 0) return none();
  if (b.kind === 'String') {
    const text = fromUtf8(b.elems.map(byteOf));
    const chars = Array.from(text);
    const last = chars.pop()!;
    b.elems.splice(b.elems.length - utf8(last).length);
    return some({ k: 'char', v: last });
  }
  return some(b.elems.pop()!);
};

/** `clear()` / `truncate(n)`: drops the removed elements (a String's `n` counts bytes). */
export const clearSim =
  (what: 'clear' | 'truncate'): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    const b = m.block(r.block ?? null);
    if (!b || b.unknownContents) return unitVal();
    const keep = what === 'truncate' ? (intArg(m, c.args[1]) ?? b.elems.length) : 0;
    const dropped = b.elems.splice(keep);
    for (const d of dropped) m.dropVal(d, b.elemTy, null, 0);
    return unitVal();
  };

/** `reserve(additional)`: RawVec::reserve. */
export const reserveSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const add = intArg(m, c.args[1]);
  if (add === null || !r.loc || !r.own) return unitVal();
  ensureCap(m, r.loc, r.own, add);
  return unitVal();
};

/** `shrink_to_fit()`: capacity becomes the length (the allocator keeps the block). */
export const shrinkSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const b = m.block(r.block ?? null);
  if (b && !b.unknownContents && b.cap > b.elems.length) {
    const before = b.cap;
    b.cap = b.elems.length;
    m.emit('write', `shrank heap:${b.id} from capacity ${before} to ${b.cap}`, [heapId(b.id)]);
  }
  return unitVal();
};

/** A `Vec`/`VecDeque` receiver's elements, or null (not an owning buffer). */
function vecElems(m: StdHost, c: SimCall): { elems: Val[]; r: ReturnType<typeof container> } | 'unknown' | null {
  const r = container(m, c.args[0]);
  if (!r.own) return null;
  const b = m.block(r.block ?? null);
  if (b?.unknownContents) return 'unknown';
  return { elems: b ? b.elems : [], r };
}

/** `remove(i)` (Vec: panics out of bounds; VecDeque: `Option`). */
export const removeSim =
  (optional: boolean): Sim =>
  (m, c) => {
    const v = vecElems(m, c);
    if (v === 'unknown') return unknownVal();
    const i = intArg(m, c.args[1]);
    if (!v || i === null) return null;
    if (i >= v.elems.length) {
      if (optional) return none();
      m.halt('panic', `panicked: removal index (is ${i}) should be < len (is ${v.elems.length})`);
    }
    const out = v.elems.splice(i, 1)[0];
    return optional ? some(out) : out;
  };

/** `swap_remove(i)`: the last element takes the removed one's place. */
export const swapRemoveSim: Sim = (m, c) => {
  const v = vecElems(m, c);
  if (v === 'unknown') return unknownVal();
  const i = intArg(m, c.args[1]);
  if (!v || i === null) return null;
  if (i >= v.elems.length) m.halt('panic', `panicked: swap_remove index (is ${i}) should be < len (is ${v.elems.length})`);
  const last = v.elems.pop()!;
  if (i === v.elems.length) return last;
  const out = v.elems[i];
  v.elems[i] = last;
  return out;
};

/** `insert(i, x)`: shifts the tail right, growing like RawVec. */
export const insertSim: Sim = (m, c) => {
  const v = vecElems(m, c);
  if (v === 'unknown') return unitVal();
  const i = intArg(m, c.args[1]);
  if (!v || i === null || !v.r.loc || !v.r.own) return null;
  if (i > v.elems.length) m.halt('panic', `panicked: insertion index (is ${i}) should be <= len (is ${v.elems.length})`);
  const id = ensureCap(m, v.r.loc, v.r.own, 1);
  m.block(id)?.elems.splice(i, 0, c.args[2] ?? unknownVal());
  return unitVal();
};

/** `swap(i, j)` on a slice or VecDeque. */
export const swapSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const i = intArg(m, c.args[1]);
  const j = intArg(m, c.args[2]);
  if (!r.elemsLoc || r.len === null || i === null || j === null) return null;
  if (i >= r.len || j >= r.len) m.halt('panic', `panicked: index out of bounds: the len is ${r.len} but the index is ${Math.max(i, j)}`);
  const off = r.offset ?? 0;
  const li = withPath(r.elemsLoc, [off + i]);
  const lj = withPath(r.elemsLoc, [off + j]);
  const vi = m.read(li);
  m.write(li, m.read(lj));
  m.write(lj, vi);
  return unitVal();
};

/** The elements of a slice receiver as values (a copy of the list; write back with `writeSlice`). */
function readSlice(m: StdHost, c: SimCall): { vals: Val[]; write: (vals: Val[]) => void; at: (i: number) => Loc } | null {
  const r = container(m, c.args[0]);
  if (!r.elemsLoc || r.len === null) return null;
  const off = r.offset ?? 0;
  const loc = r.elemsLoc;
  const vals = Array.from({ length: r.len }, (_, i) => m.read(withPath(loc, [off + i])));
  return { vals, write: (vs) => vs.forEach((v, i) => m.write(withPath(loc, [off + i]), v)), at: (i) => withPath(loc, [off + i]) };
}

/**
 * Whether a closure captures something by `&mut`: its calls change the program's state, and the
 * simulation calls a sort's closure neither as often nor in the order std does, so such a sort is
 * not simulated (the caller then makes what the closure captured unknown).
 */
function writesCaptures(f: Val): boolean {
  return f.k !== 'agg' || !f.closure || f.fields.some((x) => x.k === 'ptr' && x.mutable);
}

/** A closure's `Ordering` result as -1 / 0 / 1 (null when unknown). */
function orderingOf(v: Val): number | null {
  if (v.k !== 'agg') return null;
  return v.variant === 'Less' ? -1 : v.variant === 'Equal' ? 0 : v.variant === 'Greater' ? 1 : null;
}

/**
 * `sort_by_key(f)` / `sort_by_cached_key(f)`: a stable sort by `Ord` of the keys `f(&x)`
 * (core/src/slice/mod.rs). The key closure is called once per element, in order, and the keys are
 * dropped after the sort (std's `sort_by_key` calls it at each comparison): not simulated when the
 * closure writes what it captured (`writesCaptures`). Unknown when a key is unknown or not comparable.
 */
export const sortByKeySim: Sim = (m, c) => {
  const s = readSlice(m, c);
  const f = c.args[1];
  if (!s || !f || writesCaptures(f)) return null;
  const keys = s.vals.map((_, i) => m.callValue(f, [{ k: 'ptr', to: s.at(i), mutable: false }]));
  let unknown = false;
  const order = keys
    .map((_, i) => i)
    .sort((a, b) => {
      const r = compareVals(m, keys[a], keys[b]);
      if (r === null) unknown = true;
      return r ?? 0;
    });
  for (const k of keys) m.dropVal(k, { kind: 'unknown' }, null, 0);
  if (unknown) return null;
  s.write(order.map((i) => s.vals[i]));
  return unitVal();
};

/**
 * `sort_by(|a, b| ..)`: a stable sort by the closure's `Ordering` (core/src/slice/mod.rs). The
 * closure is asked about pairs in the order of this sort, not of std's: not simulated when it
 * writes what it captured (`writesCaptures`). Unknown when an answer is unknown.
 */
export const sortBySim: Sim = (m, c) => {
  const s = readSlice(m, c);
  const f = c.args[1];
  if (!s || !f || writesCaptures(f)) return null;
  let unknown = false;
  const order = s.vals
    .map((_, i) => i)
    .sort((a, b) => {
      if (unknown) return 0;
      const r = orderingOf(
        m.callValue(f, [
          { k: 'ptr', to: s.at(a), mutable: false },
          { k: 'ptr', to: s.at(b), mutable: false },
        ]),
      );
      if (r === null) unknown = true;
      return r ?? 0;
    });
  if (unknown) return null;
  s.write(order.map((i) => s.vals[i]));
  return unitVal();
};

/** `reverse()`. */
export const reverseSim: Sim = (m, c) => {
  const s = readSlice(m, c);
  if (!s) return null;
  s.write([...s.vals].reverse());
  return unitVal();
};

/** `sort()` / `sort_unstable()`: by `Ord` of the known elements (stable either way, which is one order sort_unstable may give). */
export const sortSim: Sim = (m, c) => {
  const s = readSlice(m, c);
  if (!s) return null;
  let unknown = false;
  const sorted = [...s.vals].sort((x, y) => {
    const r = compareVals(m, x, y);
    if (r === null) unknown = true;
    return r ?? 0;
  });
  if (unknown) return null;
  s.write(sorted);
  return unitVal();
};

/** `fill(value)`. */
export const fillSim: Sim = (m, c) => {
  const s = readSlice(m, c);
  if (!s) return null;
  s.write(s.vals.map(() => deepClone(m, c.args[1] ?? unknownVal(), 0)));
  return unitVal();
};

/** `extend_from_slice(&other)` / `append(&mut other)` / `extend(iter)`. */
export const extendSim =
  (from: 'slice' | 'iter' | 'append'): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    if (!r.loc || !r.own) return null;
    let items: Val[] | null;
    if (from === 'iter') items = itemsOf(m, c.args[1]);
    else {
      const src = container(m, c.args[1]);
      if (!src.elemsLoc || src.len === null) return null;
      items = Array.from({ length: src.len }, (_, i) => m.read(withPath(src.elemsLoc!, [(src.offset ?? 0) + i])));
      if (from === 'slice') items = items.map((x) => deepClone(m, x, 0));
      else {
        const sb = m.block(src.block ?? null);
        if (sb) sb.elems = [];
      }
    }
    if (items === null) return null;
    if (r.own.kind === 'String') {
      for (const it of items) push(m, deref(m, it).k === 'char' ? 'push' : 'push_str', [c.args[0], it]);
      return unitVal();
    }
    if (items.length === 0) return unitVal();
    const id = ensureCap(m, r.loc, r.own, items.length);
    // One at a time: a spread of 100,000 items or more overflows V8's stack (`v.extend(v.iter())`
    // doubling `v`: "Maximum call stack size exceeded").
    const elems = m.block(id)?.elems;
    if (elems) for (const it of items) elems.push(it);
    return unitVal();
  };

/** `get(i)` / `first()` / `last()` (and the `_mut` forms): a reference to the element, or None. */
export const getSim =
  (which: 'get' | 'first' | 'last', mutable = false): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    if (r.elemsLoc === null || r.len === null) return r.own && r.block === null ? none() : unknownVal();
    const i = which === 'first' ? 0 : which === 'last' ? r.len - 1 : intArg(m, c.args[1]);
    if (i === null) return unknownVal();
    if (i < 0 || i >= r.len) return none();
    return some({ k: 'ptr', to: withPath(r.elemsLoc, [(r.offset ?? 0) + i]), mutable });
  };

/** `contains(&x)`: of a text (char or substring) or of a slice's elements. */
export const containsSim: Sim = (m, c) => {
  const text = m.asText(c.args[0] ?? unknownVal());
  const nd = deref(m, c.args[1]);
  const needle = nd.k === 'char' ? nd.v : m.asText(c.args[1] ?? unknownVal());
  if (text !== null && needle !== null) return bool(text.includes(needle));
  const s = readSlice(m, c);
  if (!s) return unknownVal();
  for (const e of s.vals) {
    const eq = m.valuesEqual(e, c.args[1] ?? unknownVal());
    if (eq === null) return unknownVal();
    if (eq) return bool(true);
  }
  return bool(false);
};

/** `to_vec()`: a new Vec of clones, capacity = length (`<[T]>::to_vec`). */
export const toVecSim: Sim = (m, c) => {
  const s = readSlice(m, c);
  if (!s) return null;
  const elems = s.vals.map((x) => deepClone(m, x, 0));
  const id = elems.length
    ? m.alloc(
        'Vec',
        c.destTy.kind === 'adt' ? (c.destTy.args[0] ?? { kind: 'unknown' }) : { kind: 'unknown' },
        elems,
        elems.length,
        'Vec (to_vec)',
      )
    : null;
  return { k: 'own', kind: 'Vec', block: id, ty: c.destTy };
};

/** `[&str]::join(sep)` / `concat()`: a new String of the exact length. */
export const joinSim =
  (what: 'join' | 'concat'): Sim =>
  (m, c) => {
    const s = readSlice(m, c);
    if (!s) return null;
    const parts: string[] = [];
    for (const v of s.vals) {
      const t = m.asText(v);
      if (t === null) return unknownOwn(m, STRING_TY);
      parts.push(t);
    }
    const sep = what === 'join' ? m.asText(c.args[1] ?? unknownVal()) : '';
    if (sep === null) return unknownOwn(m, STRING_TY);
    return newString(m, parts.join(sep));
  };

/** `retain(f)`: keeps the elements (a String's chars) for which the closure returns true. */
export const retainSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const b = m.block(r.block ?? null);
  const f = c.args[1];
  if (!r.own || !f) return null;
  if (!b) return unitVal();
  if (b.unknownContents) return null;
  if (b.kind === 'String') {
    const kept: string[] = [];
    for (const ch of Array.from(fromUtf8(b.elems.map(byteOf)))) {
      const keep = m.callValue(f, [{ k: 'char', v: ch }]);
      if (keep.k !== 'bool') return null;
      if (keep.v) kept.push(ch);
    }
    b.elems = utf8(kept.join('')).map((x) => intVal(x, 'u8'));
    return unitVal();
  }
  const kept: Val[] = [];
  for (let i = 0; i < b.elems.length; i++) {
    // The predicate takes `&T`, pointing into the buffer.
    const keep = m.callValue(f, [{ k: 'ptr', to: { region: 'heap', block: b.id, path: [i] }, mutable: false }]);
    if (keep.k !== 'bool') return null;
    if (keep.v) kept.push(b.elems[i]);
    else m.dropVal(b.elems[i], b.elemTy, null, 0);
  }
  b.elems = kept;
  return unitVal();
};

/** `dedup()`: removes consecutive equal elements. */
export const dedupSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const b = m.block(r.block ?? null);
  if (!b) return r.own ? unitVal() : null;
  if (b.unknownContents) return null;
  const out: Val[] = [];
  for (const e of b.elems) {
    const eq = out.length ? m.valuesEqual(out[out.length - 1], e) : false;
    if (eq === null) return null;
    if (eq) m.dropVal(e, b.elemTy, null, 0);
    else out.push(e);
  }
  b.elems = out;
  return unitVal();
};

/** `split_off(at)`: the tail moves to a new buffer of exactly its length; the receiver keeps its capacity. */
export const splitOffSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const at = intArg(m, c.args[1]);
  const b = m.block(r.block ?? null);
  if (!r.own || at === null) return null;
  const elems = b ? b.elems : [];
  if (b?.unknownContents) return unknownOwn(m, r.own.ty);
  if (at > elems.length) m.halt('panic', `panicked: \`at\` split index (is ${at}) should be <= len (is ${elems.length})`);
  const tail = elems.splice(at);
  const id = tail.length ? m.alloc(r.own.kind, b!.elemTy, tail, tail.length, `${r.own.kind} (split_off)`) : null;
  return { ...r.own, block: id };
};
