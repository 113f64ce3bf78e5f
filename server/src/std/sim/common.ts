/**
 * Helpers the std simulations share: Option/Result values, looking through references and smart
 * pointers to a receiver (`container`), new Strings and Vecs, RawVec growth (`ensureCap`), deep
 * clones, default values, ordering of keys.
 *
 * Capacities follow alloc's rules exactly where they are observable with `capacity()`:
 *   - `String::new`/`Vec::new`: no allocation, capacity 0.
 *   - `String::from(&str)`, `to_string`, `to_owned`, `clone`, `vec![..]`, `with_capacity(n)`:
 *     capacity = the exact length (n).
 *   - growth (`push`, `push_str`, `reserve`): RawVec::grow_amortized: new cap =
 *     max(2 × cap, len + additional, MIN_NON_ZERO_CAP) with MIN_NON_ZERO_CAP = 8 for 1-byte
 *     elements, 4 for elements ≤ 1024 bytes, else 1 (alloc/src/raw_vec.rs).
 * Growth reallocates: a new block is allocated, the elements move, the old block is freed (the
 * allocator may grow in place, but a program cannot rely on it; pointers into the old buffer
 * dangle either way).
 */
import { displayTy, type Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { chargeValues, checkLength } from '../../interp/budget';
import { type ElemRun, type Loc, type Val, cloneVal, elemCount, intVal, unknownVal, utf8, withPath, heapId } from '../../interp/memory';
import { heapElemTy } from '../facts';
import { heapShape, isHeapOwner, stdNameOf, type OwnKind } from '../registry';

export const U8: Ty = { kind: 'int', name: 'u8' };
export const STRING_TY: Ty = { kind: 'adt', name: 'String', args: [], std: true };

export function some(v: Val): Val {
  return { k: 'agg', fields: [v], adt: 'Option', variant: 'Some', vidx: 1 };
}

export function none(): Val {
  return { k: 'agg', fields: [], adt: 'Option', variant: 'None', vidx: 0 };
}

export function ok(v: Val): Val {
  return { k: 'agg', fields: [v], adt: 'Result', variant: 'Ok', vidx: 0 };
}

export function err(v: Val): Val {
  return { k: 'agg', fields: [v], adt: 'Result', variant: 'Err', vidx: 1 };
}

export const bool = (v: boolean): Val => ({ k: 'bool', v });

/** True for Option/Result values. */
export function isOptionLike(v: Val): v is Val & { k: 'agg' } {
  return v.k === 'agg' && (v.variant === 'Some' || v.variant === 'None' || v.variant === 'Ok' || v.variant === 'Err');
}

/** The value behind references (at most 8 levels). */
export function deref(m: StdHost, v: Val | undefined, depth = 0): Val {
  if (!v) return unknownVal();
  if (v.k === 'ptr' && v.to && depth < 8) return deref(m, m.read(v.to), depth + 1);
  return v;
}

/** The value behind references and Box/Rc/Arc owners (at most 8 levels). */
export function derefOwners(m: StdHost, v: Val | undefined): Val {
  let cur = deref(m, v);
  for (let i = 0; i < 8 && cur.k === 'own' && isBoxLike(cur.kind) && cur.block !== null; i++)
    cur = deref(m, m.read({ region: 'heap', block: cur.block, path: [0] }));
  return cur;
}

/** An integer argument behind references, or null. */
export function intArg(m: StdHost, v: Val | undefined): number | null {
  const d = deref(m, v);
  return d.k === 'int' ? Number(d.v) : null;
}

/** The owning std type a type is (`Rc<RefCell<T>>` → `Rc`), or null. */
export function ownKindOf(t: Ty): OwnKind | null {
  if (t.kind !== 'adt') return null;
  const n = stdNameOf(t.name);
  return isHeapOwner(n) ? n : null;
}

/** `Default::default()` of a type, as far as the simulation models it. */
export function defaultOf(m: StdHost, t: Ty): Val {
  if (t.kind === 'int') return intVal(0, t.name);
  if (t.kind === 'bool') return { k: 'bool', v: false };
  if (t.kind === 'float') return { k: 'float', v: 0 };
  if (t.kind === 'char') return { k: 'char', v: '\0' };
  const k = ownKindOf(t);
  const shape = k ? heapShape(k)?.kind : undefined;
  if (k && (shape === 'buffer' || shape === 'table' || shape === 'btree')) return { k: 'own', kind: k, block: null, ty: t };
  if (t.kind === 'adt' && stdNameOf(t.name) === 'Option') return none();
  if (t.kind === 'tuple') return { k: 'agg', fields: t.elems.map((e) => defaultOf(m, e)) };
  // `#[derive(Default)]` on a struct of the file: each field's default (core::default).
  const def = t.kind === 'adt' && !t.std ? m.adts.get(t.name) : undefined;
  if (def && def.kind === 'struct' && def.derives.includes('Default') && def.fields.length <= 64) {
    const fields = def.fields.map((f) => defaultOf(m, f.ty));
    if (fields.some((f) => f.k === 'unknown')) return unknownVal();
    return { k: 'agg', fields, names: def.fields.map((f) => f.name), adt: def.name };
  }
  return unknownVal();
}

/** An owning value whose contents are not known (an allocation of unknown contents). */
export function unknownOwn(m: StdHost, t: Ty): Val {
  const k = ownKindOf(t);
  if (!k) return unknownVal();
  const id = m.alloc(k, heapElemTy(t), [], 0, displayName(t));
  m.block(id)!.unknownContents = true;
  return { k: 'own', kind: k, block: id, ty: t };
}

function displayName(t: Ty): string {
  if (t.kind === 'adt') return t.args.length ? `${stdNameOf(t.name)}<…>` : stdNameOf(t.name);
  return 'a value';
}

/** `new()` of an owning container that allocates nothing until its first element (`Vec`, maps, sets, `VecDeque`). */
export const newEmpty =
  (kind: OwnKind) =>
  (_m: StdHost, c: { destTy: Ty }): Val => ({ k: 'own', kind, block: null, ty: c.destTy });

/** A new String of `text` with capacity `cap` (default: exact). No allocation when the capacity is 0. */
export function newString(m: StdHost, text: string, cap?: number): Val {
  // Checked before the bytes are made: a String of 10 MB is refused, not materialised.
  checkLength(text.length, `a String of ${text.length} characters`);
  const bytes = utf8(text);
  chargeValues(bytes.length);
  const c = cap ?? bytes.length;
  if (c === 0) return { k: 'own', kind: 'String', block: null, ty: STRING_TY };
  const id = m.alloc(
    'String',
    U8,
    bytes.map((b) => intVal(b, 'u8')),
    c,
    'String',
  );
  return { k: 'own', kind: 'String', block: id, ty: STRING_TY };
}

/**
 * A new Vec (of type `ty`, or `Vec<?>`) with `elems` (an array, or a run of one scalar) and
 * capacity `cap`; no allocation for capacity 0 or zero-sized elements.
 */
export function newVec(m: StdHost, ty: Ty, elems: Val[] | ElemRun, cap: number): Val {
  const vty: Ty =
    ty.kind === 'adt' && stdNameOf(ty.name) === 'Vec' ? ty : { kind: 'adt', name: 'Vec', args: [{ kind: 'unknown' }], std: true };
  const elemTy = heapElemTy(vty);
  if (cap === 0 || m.elemSize(elemTy) === 0) return { k: 'own', kind: 'Vec', block: null, ty: vty };
  const id = m.alloc('Vec', elemTy, elems, cap, `Vec<${displayTy(elemTy)}>`);
  return { k: 'own', kind: 'Vec', block: id, ty: vty };
}

/** Receiver: the container (String/Vec/Box/Rc...) behind a value or reference. */
export interface Container {
  loc: Loc | null;
  own?: Val & { k: 'own' };
  /** Block id (null: no allocation); undefined when not an owning container. */
  block?: number | null;
  /** Location of the elements (heap block, static bytes, array slot). */
  elemsLoc: Loc | null;
  /** First element of a sub-slice (`&v[2..]`): element i is at `elemsLoc` + [offset + i]. */
  offset?: number;
  len: number | null;
  cap: number | null;
  ptr?: Val & { k: 'ptr' };
}

/** True for owners whose block holds one value that derefs see (`Box`, `Rc`, `Arc`). */
export function isBoxLike(kind: string): boolean {
  const s = heapShape(kind)?.kind;
  return s === 'box' || s === 'counted';
}

/**
 * The container a receiver value is: through references, and through `Box`/`Rc`/`Arc` (unless
 * the receiver is that pointer itself: `stopAt`), RefCell/Cell contents. Never throws.
 */
export function container(m: StdHost, v: Val | undefined, stopAt?: OwnKind): Container {
  let loc: Loc | null = null;
  let cur: Val = v ?? unknownVal();
  for (let i = 0; i < 12; i++) {
    if (cur.k === 'ptr') {
      // A fat pointer (&str, &[T]) is itself the container.
      const inStackArray = (to: Loc): boolean => {
        if (to.path.length === 0) return false;
        const pv = m.read({ ...to, path: to.path.slice(0, -1) } as Loc);
        return pv.k === 'agg' && pv.array === true;
      };
      if (cur.len !== undefined && cur.to && (cur.to.region !== 'stack' || m.read(cur.to).k === 'agg' || inStackArray(cur.to))) {
        const l = cur.len;
        const target = cur.to;
        const tv = m.read(target);
        if (!(tv.k === 'own')) {
          // A sub-slice of a heap/static buffer points at its first element.
          if (target.region !== 'stack' && target.path.length === 1) {
            return { loc, elemsLoc: { ...target, path: [] } as Loc, offset: target.path[0], len: l, cap: l, ptr: cur };
          }
          if (target.region === 'stack' && target.path.length > 0) {
            const parent = { ...target, path: target.path.slice(0, -1) } as Loc;
            const pv = m.read(parent);
            if (pv.k === 'agg' && pv.array)
              return { loc, elemsLoc: parent, offset: target.path[target.path.length - 1], len: l, cap: l, ptr: cur };
          }
          return { loc, elemsLoc: target, len: l, cap: l, ptr: cur };
        }
      }
      if (!cur.to) return { loc: null, elemsLoc: null, len: null, cap: null };
      loc = cur.to;
      cur = m.read(loc);
      continue;
    }
    if (cur.k === 'own') {
      if (stopAt === cur.kind || !isBoxLike(cur.kind)) {
        const b = m.block(cur.block);
        const known = !b || !b.unknownContents;
        const single = isBoxLike(cur.kind) || heapShape(cur.kind)?.kind === 'weak';
        const len = single ? 1 : b ? elemCount(b) : 0;
        return {
          loc,
          own: cur,
          block: cur.block,
          elemsLoc: cur.block === null ? null : { region: 'heap', block: cur.block, path: [] },
          len: known ? len : null,
          cap: known ? (b ? b.cap : 0) : null,
        };
      }
      if (cur.block === null) break;
      loc = { region: 'heap', block: cur.block, path: [0] };
      cur = m.read(loc);
      continue;
    }
    if (cur.k === 'agg' && cur.variant === undefined && !cur.adt && !cur.closure) {
      // An array in a slot.
      return { loc, elemsLoc: loc, len: cur.fields.length, cap: cur.fields.length };
    }
    if (cur.k === 'agg' && (cur.adt === 'RefCell' || cur.adt === 'Cell' || cur.adt === 'Mutex' || cur.adt === 'RwLock') && loc) {
      loc = withPath(loc, [0]);
      cur = m.read(loc);
      continue;
    }
    break;
  }
  return { loc, elemsLoc: null, len: null, cap: null };
}

/** The location of the `adt` value (`RefCell`, `Cell`, `Mutex`) a receiver refers to, through references and Box/Rc/Arc. */
export function recvLoc(m: StdHost, v: Val | undefined, adt: string): Loc | null {
  let cur = v ?? unknownVal();
  let loc: Loc | null = null;
  for (let i = 0; i < 12; i++) {
    if (cur.k === 'ptr') {
      if (!cur.to) return null;
      loc = cur.to;
      cur = m.read(loc);
    } else if (cur.k === 'own' && isBoxLike(cur.kind) && cur.block !== null) {
      loc = { region: 'heap', block: cur.block, path: [0] };
      cur = m.read(loc);
    } else break;
  }
  if (cur.k === 'agg' && stdNameOf(cur.adt ?? '') === adt) return loc;
  return null;
}

/** A `&[T]` / `&str` of a container receiver (String, Vec, array, slice). */
export function sliceOf(m: StdHost, v: Val | undefined): Val {
  const r = container(m, v);
  if (r.ptr) return r.ptr;
  if (r.block === null) return { k: 'ptr', to: null, mutable: false, len: 0 };
  if (r.elemsLoc) return { k: 'ptr', to: r.elemsLoc, mutable: false, len: r.len };
  return unknownVal();
}

/** The bytes of a String/&str receiver and where they live (buffer + byte offset). */
export function strBytes(m: StdHost, v: Val | undefined): { base: Loc; start: number; bytes: number[] } | null {
  const text = m.asText(v ?? unknownVal());
  if (text === null) return null;
  const r = container(m, v);
  if (r.own && r.own.kind === 'String') {
    if (r.block === null || r.block === undefined) return { base: { region: 'static', id: -1, path: [] }, start: 0, bytes: [] };
    return { base: { region: 'heap', block: r.block, path: [] }, start: 0, bytes: utf8(text) };
  }
  if (r.ptr && r.ptr.to) {
    const to = r.ptr.to;
    if (to.region !== 'stack' && to.path.length <= 1)
      return { base: { ...to, path: [] } as Loc, start: to.path[0] ?? 0, bytes: utf8(text) };
  }
  return null;
}

/** Clone semantics: Copy values copy; String/Vec/Box/maps allocate anew; Rc/Arc bump the strong count. */
export function deepClone(m: StdHost, v: Val, depth: number): Val {
  if (depth > 32) return unknownVal();
  chargeValues(1);
  switch (v.k) {
    case 'own': {
      const b = m.block(v.block);
      const shape = heapShape(v.kind)?.kind;
      if (shape === 'counted') {
        if (b?.rc) {
          b.rc.strong++;
          m.emit('write', `${v.kind} strong count of heap:${b.id}: ${b.rc.strong - 1} → ${b.rc.strong}`, [heapId(b.id)]);
        }
        return { ...v };
      }
      if (shape === 'weak') {
        if (b?.rc) b.rc.weak++;
        return { ...v };
      }
      if (!b) return { ...v };
      if (b.unknownContents) return unknownOwn(m, v.ty);
      // A run of one scalar stays a run: cloning `vec![0u8; 1_000_000]` costs O(1).
      const elems = b.run ? { ...b.run } : b.elems.map((e) => deepClone(m, e, depth + 1));
      const len = Array.isArray(elems) ? elems.length : elems.count;
      const cap = shape === 'box' ? 1 : shape === 'btree' ? b.cap : len;
      if (cap === 0 || (shape === 'btree' && len === 0)) return { ...v, block: null };
      const id = m.alloc(b.kind, b.elemTy, elems, cap, v.kind === 'String' ? 'String (clone)' : `${v.kind} (clone)`);
      if (b.buckets !== undefined) m.block(id)!.buckets = b.buckets;
      return { ...v, block: id };
    }
    case 'agg':
      return { ...v, fields: v.fields.map((f) => deepClone(m, f, depth + 1)) };
    case 'moved':
      return unknownVal();
    default:
      return cloneVal(v);
  }
}

/** A copy of a value: `Clone::clone` (`deep`: Strings and Vecs allocate anew) or a bitwise copy. */
export function cloneOf(m: StdHost, v: Val, deep: boolean): Val {
  return deep ? deepClone(m, v, 0) : cloneVal(v);
}

// --- growth

/** MIN_NON_ZERO_CAP of alloc::raw_vec for an element size. */
export function minNonZeroCap(elemSize: number): number {
  return elemSize === 1 ? 8 : elemSize <= 1024 ? 4 : 1;
}

/**
 * Makes room for `additional` more elements in the String/Vec/VecDeque at `loc` (RawVec::reserve →
 * grow_amortized): reallocates into a new block when the capacity is short. A VecDeque's ring is
 * then straightened as `VecDeque::handle_capacity_increase` does (`head` moves when the wrapped
 * head part is the shorter one). Returns the block id.
 */
export function ensureCap(m: StdHost, loc: Loc, own: Val & { k: 'own' }, additional: number): number | null {
  const b = m.block(own.block);
  if (b?.unknownContents) return null;
  const len = b ? b.elems.length : 0;
  const cap = b ? b.cap : 0;
  if (cap - len >= additional) return own.block;
  const elemTy = heapElemTy(own.ty);
  const es = own.kind === 'String' ? 1 : (m.elemSize(elemTy) ?? 8);
  const newCap = Math.max(cap * 2, len + additional, minNonZeroCap(es));
  const elems = b ? b.elems : [];
  const id = m.alloc(
    own.kind,
    b ? b.elemTy : elemTy,
    elems,
    newCap,
    `${own.kind}${cap ? ` (grown from capacity ${cap} to ${newCap})` : ''}`,
  );
  const nb = m.block(id)!;
  if (heapShape(own.kind)?.kind === 'buffer' && (heapShape(own.kind) as { ring?: boolean }).ring) {
    // VecDeque::handle_capacity_increase (alloc/src/collections/vec_deque/mod.rs).
    let head = b?.head ?? 0;
    if (head > cap - len) {
      const headLen = cap - head;
      const tailLen = len - headLen;
      if (!(headLen > tailLen && newCap - cap >= tailLen)) head = newCap - headLen;
    }
    nb.head = head;
  }
  if (b) {
    b.elems = [...elems];
    m.free(b.id);
  }
  m.write(loc, { ...own, block: id });
  return id;
}

// --- ordering

/**
 * `Ord::cmp` of two values as the simulation knows them: integers, floats, chars, bools,
 * strings (byte order = code point order for UTF-8), tuples and Option lexicographically.
 * Null when unknown.
 */
export function compareVals(m: StdHost, a: Val, b: Val, depth = 0): number | null {
  if (depth > 16) return null;
  // Strings and `&str` compare by their text (a `&str` key against `String`s: `m.remove("k")`).
  const tx = m.asText(a);
  const ty = tx === null ? null : m.asText(b);
  if (tx !== null && ty !== null) return cmpCodePoints(tx, ty);
  const x = derefOwners(m, a);
  const y = derefOwners(m, b);
  if (x !== a || y !== b) {
    // `Box<T>`/`Rc<T>`/`Arc<T>` compare as their contents (their `Ord` impls delegate).
    const tb = m.asText(x);
    const tc = tb === null ? null : m.asText(y);
    if (tb !== null && tc !== null) return cmpCodePoints(tb, tc);
  }
  if (x.k === 'int' && y.k === 'int') return x.v < y.v ? -1 : x.v > y.v ? 1 : 0;
  if (x.k === 'float' && y.k === 'float') return x.v < y.v ? -1 : x.v > y.v ? 1 : 0;
  if (x.k === 'bool' && y.k === 'bool') return Number(x.v) - Number(y.v);
  if (x.k === 'char' && y.k === 'char') return cmpCodePoints(x.v, y.v);
  if (x.k === 'agg' && y.k === 'agg' && !x.adt && !y.adt) {
    for (let i = 0; i < Math.min(x.fields.length, y.fields.length); i++) {
      const c = compareVals(m, x.fields[i], y.fields[i], depth + 1);
      if (c !== 0) return c;
    }
    return x.fields.length - y.fields.length;
  }
  return null;
}

/** An `Ordering` value (`Less` = -1, `Equal` = 0, `Greater` = 1); unknown for null. */
export function ordering(c: number | null): Val {
  if (c === null) return unknownVal();
  const variant = c < 0 ? 'Less' : c > 0 ? 'Greater' : 'Equal';
  return { k: 'agg', fields: [], adt: 'Ordering', variant, vidx: c < 0 ? 0 : c > 0 ? 2 : 1 };
}

/** `Ord::cmp(&self, other: &Self)` of the values `compareVals` knows (integers, chars, strings...). */
export const cmpSim = (m: StdHost, c: { args: Val[] }): Val =>
  ordering(compareVals(m, c.args[0] ?? unknownVal(), c.args[1] ?? unknownVal()));

/** `PartialOrd::partial_cmp`: `Some(cmp)` for the totally ordered values `compareVals` knows. */
export const partialCmpSim = (m: StdHost, c: { args: Val[] }): Val => {
  const o = cmpSim(m, c);
  return o.k === 'unknown' ? o : some(o);
};

function cmpCodePoints(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ca.length - cb.length < 0 ? -1 : ca.length > cb.length ? 1 : 0;
}
