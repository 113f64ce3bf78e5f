/**
 * What std calls do to memory, for the interpreter. Calls arrive by canonical path
 * (`String::from`, `Vec::push`, `slice::iter`, `Rc::clone`, `clone`, `println!`, `vec!`; see
 * `hir/std.ts` `StdMethod.path`) with their argument values; receivers come as references
 * (`&self`/`&mut self`) or values (`self`), possibly to a smart pointer that must be
 * dereferenced (`Rc<RefCell<T>>` → `RefCell::borrow_mut`).
 *
 * Capacities follow alloc's rules exactly where they are observable with `capacity()`:
 *   - `String::new`/`Vec::new`: no allocation, capacity 0.
 *   - `String::from(&str)`, `to_string`, `to_owned`, `clone`, `vec![..]`, `with_capacity(n)`:
 *     capacity = the exact length (n).
 *   - growth (`push`, `push_str`, `reserve`): RawVec::grow_amortized: new cap =
 *     max(2 × cap, len + additional, MIN_NON_ZERO_CAP) with MIN_NON_ZERO_CAP = 8 for 1-byte
 *     elements, 4 for elements ≤ 1024 bytes, else 1 (alloc/src/raw_vec.rs).
 *   - `format!`: `String::with_capacity(Arguments::estimated_capacity())` then writes
 *     (core/src/fmt/mod.rs): literal length, doubled when there are arguments (0 if the
 *     first piece is empty and the literals are < 16 bytes).
 * Growth reallocates: a new block is allocated, the elements move, the old block is freed (the
 * allocator may grow in place, but a program cannot rely on it; pointers into the old buffer
 * dangle either way).
 *
 * Returns null for calls it does not model; the interpreter then yields an unknown value.
 */
import type { FormatPiece, Span } from '../hir/hir';
import { type IntName, type Ty, displayTy } from '../hir/ty';
import type { Operand } from '../mir/mir';
import {
  type Activation,
  type Loc,
  type Val,
  byteOf,
  cloneVal,
  floatText,
  fromUtf8,
  heapId,
  intVal,
  unitVal,
  unknownVal,
  utf8,
  withPath,
} from './memory';
import type { StdHost as Machine } from './host';
import { type OwnKind, baseName, elemTyOf, ownKind } from './tyinfo';

export interface StdCallInput {
  path: string;
  selfTy?: Ty;
  args: Val[];
  argOps: Operand[];
  destTy: Ty;
  macro?: string;
  format?: FormatPiece[];
  span: Span;
}

const U8: Ty = { kind: 'int', name: 'u8' };
const OPTION_METHODS: ReadonlySet<string> = new Set(['take', 'replace', 'as_ref', 'as_mut', 'as_deref', 'as_deref_mut']);
const ITER_CONSUMERS: ReadonlySet<string> = new Set(['sum', 'product', 'count', 'max', 'min', 'last', 'for_each', 'any', 'all']);
const STRING_TY: Ty = { kind: 'adt', name: 'String', args: [], std: true };

const parsedPaths = new Map<string, { path: string; method: string; typeSeg?: string }>();

/** `std::vec::Vec::<T>::push` → path `vec::Vec::push`, method `push`, type segment `Vec` (memoised). */
function parsePath(raw: string): { path: string; method: string; typeSeg?: string } {
  let p = parsedPaths.get(raw);
  if (!p) {
    const path = raw.replace(/<[^<>]*>/g, '').replace(/^(std|core|alloc)::/, '');
    const segs = path.split('::');
    p = { path, method: segs[segs.length - 1], typeSeg: segs.length >= 2 ? segs[segs.length - 2] : undefined };
    if (parsedPaths.size < 10_000) parsedPaths.set(raw, p);
  }
  return p;
}

/** Models one std call. Returns the call's value, 'diverged' (panic), or null (not modelled). */
export function callStd(m: Machine, act: Activation, c: StdCallInput): Val | 'diverged' | null {
  const { path, method, typeSeg } = parsePath(c.path);
  const a = c.args;

  // --- macros
  if (c.macro || method.endsWith('!')) {
    const mac = (c.macro ?? method).replace(/!$/, '');
    return macroCall(m, mac, c);
  }

  // --- free functions
  if (method === 'drop' && (typeSeg === undefined || typeSeg === 'mem')) {
    if (a[0]) {
      const op = c.argOps[0];
      const name = op && op.kind !== 'constant' ? m.placeName(act, op.place) : undefined;
      m.emit('drop', `dropped ${name ? `\`${name}\`` : 'the value'} (\`drop\` takes ownership)`, []);
      // The moved-out value is still in its old place: a user Drop impl gets `&mut` to it there.
      const loc = op && op.kind !== 'constant' ? m.placeLoc(act, op.place) : null;
      m.dropVal(a[0], op ? m.operandTy(act, op) : { kind: 'unknown' }, loc, 0);
    }
    return unitVal();
  }
  if (typeSeg === 'mem' && (method === 'swap' || method === 'replace' || method === 'take')) {
    const l0 = a[0]?.k === 'ptr' ? a[0].to : null;
    if (!l0) return method === 'swap' ? unitVal() : unknownVal();
    const old = cloneVal(m.read(l0));
    if (method === 'swap') {
      const l1 = a[1]?.k === 'ptr' ? a[1].to : null;
      if (!l1) return unitVal();
      const o1 = cloneVal(m.read(l1));
      m.write(l0, o1);
      m.write(l1, old);
      return unitVal();
    }
    if (method === 'replace') m.write(l0, a[1] ?? unknownVal());
    else m.write(l0, defaultOf(m, c.destTy));
    return old;
  }
  if (method === 'forget' && typeSeg === 'mem') {
    m.escape(a.slice(0, 1));
    return unitVal();
  }

  // --- constructors by type
  const tyName = typeSeg ?? (c.selfTy ? tyBase(c.selfTy) : undefined);
  if (typeSeg && (method === 'new' || method === 'with_capacity' || method === 'from' || method === 'default')) {
    const r = construct(m, act, typeSeg, method, c);
    if (r !== null) return r;
  }
  if (method === 'from_elem' && typeSeg === 'vec') {
    const n = a[1]?.k === 'int' ? Number(a[1].v) : null;
    if (n === null || n > 1_000_000) return unknownOwn(m, c.destTy);
    const elems = Array.from({ length: n }, () => cloneVal(a[0] ?? unknownVal()));
    return newVec(m, c.destTy, elems, n);
  }

  // --- HashMap / HashSet
  {
    const mr = container(m, a[0]);
    if (mr.own && (mr.own.kind === 'HashMap' || mr.own.kind === 'HashSet')) {
      const r = mapCall(m, method, mr, a, c);
      if (r !== undefined) return r;
    }
    const e = deref(m, a[0]);
    if (e.k === 'agg' && e.adt === 'Entry') return entryCall(m, method, e, a);
  }

  // --- Option / Result through their location (before the slice methods of the same names)
  if (OPTION_METHODS.has(method)) {
    const loc = a[0]?.k === 'ptr' ? a[0].to : null;
    const o = loc ? m.read(loc) : deref(m, a[0]);
    if (o.k === 'agg' && (o.variant === 'Some' || o.variant === 'None' || o.variant === 'Ok' || o.variant === 'Err'))
      return optionCall(m, method, a);
  }

  // --- iterator consumers (before the slice/int methods of the same names)
  if (ITER_CONSUMERS.has(method) && deref(m, a[0]).k === 'iter') {
    const items = drain(m, act, c);
    if (items === null) return method === 'for_each' ? unitVal() : unknownVal();
    return consume(m, method, items, a[1]);
  }

  // --- receivers
  switch (method) {
    case 'clone':
    case 'to_owned':
    case 'to_string':
    case 'into':
    case 'to_vec':
      return cloneLike(m, method, tyName, c);
    case 'len':
    case 'capacity':
    case 'is_empty': {
      const r = container(m, a[0]);
      const n = method === 'capacity' ? r.cap : r.len;
      if (n === null) return unknownVal();
      return method === 'is_empty' ? { k: 'bool', v: n === 0 } : intVal(n, 'usize');
    }
    case 'as_ptr':
    case 'as_mut_ptr': {
      const r = container(m, a[0]);
      if (r.block !== undefined)
        return {
          k: 'ptr',
          to: r.block === null ? null : { region: 'heap', block: r.block, path: [0] },
          mutable: method === 'as_mut_ptr',
          raw: true,
        };
      if (r.ptr) return { k: 'ptr', to: r.ptr.to ? withPath(r.ptr.to, r.ptr.to.path.length ? [] : [0]) : null, mutable: false, raw: true };
      return unknownVal();
    }
    case 'as_str':
    case 'as_slice':
    case 'as_bytes':
    case 'as_ref':
    case 'deref':
    case 'borrow':
      if (method === 'borrow' && (tyName === 'RefCell' || isRefCellRecv(m, a[0]))) return refCellBorrow(m, a[0], false);
      return sliceOf(m, a[0]);
    case 'borrow_mut':
      return refCellBorrow(m, a[0], true);
    case 'push_str':
    case 'push':
      return pushCall(m, method, a);
    case 'pop':
      return popCall(m, a[0]);
    case 'remove':
    case 'insert':
    case 'swap':
    case 'reverse':
    case 'sort':
    case 'sort_unstable':
    case 'extend_from_slice': {
      const r = container(m, a[0]);
      if (!r.own || (r.own.kind !== 'Vec' && r.own.kind !== 'VecDeque')) return null;
      const b = m.block(r.block ?? null);
      if (b?.unknownContents) return method === 'remove' ? unknownVal() : unitVal();
      const elems = b ? b.elems : [];
      const idx = (v: Val | undefined): number | null => {
        const d = deref(m, v);
        return d.k === 'int' ? Number(d.v) : null;
      };
      switch (method) {
        case 'remove': {
          const i = idx(a[1]);
          if (i === null) return null;
          if (i >= elems.length) m.halt('panic', `panicked: removal index (is ${i}) should be < len (is ${elems.length})`);
          return elems.splice(i, 1)[0];
        }
        case 'insert': {
          const i = idx(a[1]);
          if (i === null || !r.loc) return null;
          if (i > elems.length) m.halt('panic', `panicked: insertion index (is ${i}) should be <= len (is ${elems.length})`);
          const id = ensureCap(m, r.loc, r.own, 1);
          const nb = m.block(id);
          if (nb) nb.elems.splice(i, 0, a[2] ?? unknownVal());
          return unitVal();
        }
        case 'swap': {
          const i = idx(a[1]);
          const j = idx(a[2]);
          if (i === null || j === null) return null;
          if (i >= elems.length || j >= elems.length)
            m.halt('panic', `panicked: index out of bounds: the len is ${elems.length} but the index is ${Math.max(i, j)}`);
          [elems[i], elems[j]] = [elems[j], elems[i]];
          return unitVal();
        }
        case 'reverse':
          elems.reverse();
          return unitVal();
        case 'sort':
        case 'sort_unstable': {
          const keys = elems.map((e) => deref(m, e));
          if (keys.every((k) => k.k === 'int')) {
            const order = elems.map((e, i) => ({ e, k: (keys[i] as { v: bigint }).v }));
            order.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
            order.forEach((o, i) => (elems[i] = o.e));
            return unitVal();
          }
          const texts = elems.map((e) => m.asText(e));
          if (texts.every((t) => t !== null)) {
            const order = elems.map((e, i) => ({ e, k: texts[i] as string }));
            // str's Ord compares bytes, which for UTF-8 is the order of code points.
            order.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
            order.forEach((o, i) => (elems[i] = o.e));
            return unitVal();
          }
          return null;
        }
        case 'extend_from_slice': {
          const src = container(m, a[1]);
          if (!src.elemsLoc || src.len === null || !r.loc) return null;
          const items = Array.from({ length: src.len }, (_, i) =>
            deepClone(m, m.read(withPath(src.elemsLoc!, [(src.offset ?? 0) + i])), 0),
          );
          const id = ensureCap(m, r.loc, r.own, items.length);
          const nb = m.block(id);
          if (nb) nb.elems.push(...items);
          return unitVal();
        }
      }
      return null;
    }
    case 'clear':
    case 'truncate': {
      const r = container(m, a[0]);
      const b = m.block(r.block ?? null);
      if (!b || b.unknownContents) return unitVal();
      const keep = method === 'truncate' && a[1]?.k === 'int' ? Number(a[1].v) : 0;
      const dropped = b.elems.splice(keep);
      for (const d of dropped) m.dropVal(d, b.elemTy, null, 0);
      return unitVal();
    }
    case 'reserve': {
      const r = container(m, a[0]);
      const add = a[1]?.k === 'int' ? Number(a[1].v) : null;
      if (add === null || !r.loc) return unitVal();
      ensureCap(m, r.loc, r.own!, add);
      return unitVal();
    }
    case 'shrink_to_fit': {
      const r = container(m, a[0]);
      const b = m.block(r.block ?? null);
      if (b && !b.unknownContents && b.cap > b.elems.length) {
        const before = b.cap;
        b.cap = b.elems.length;
        m.emit('write', `shrank heap:${b.id} from capacity ${before} to ${b.cap}`, [heapId(b.id)]);
      }
      return unitVal();
    }
    case 'get':
    case 'first':
    case 'last': {
      if (tyName === 'Cell' || isCellRecv(m, a[0])) return cellGet(m, a[0]);
      const r = container(m, a[0]);
      if (r.elemsLoc === null || r.len === null) return unknownVal();
      const i: number | null = method === 'first' ? 0 : method === 'last' ? r.len - 1 : a[1]?.k === 'int' ? Number(a[1].v) : null;
      if (i === null) return unknownVal();
      if (i < 0 || i >= r.len) return none();
      return some({ k: 'ptr', to: withPath(r.elemsLoc, [(r.offset ?? 0) + i]), mutable: false });
    }
    case 'set': {
      if (tyName === 'Cell' || isCellRecv(m, a[0])) {
        const l = recvLoc(m, a[0], 'Cell');
        if (l) m.write(withPath(l, [0]), a[1] ?? unknownVal());
        return unitVal();
      }
      return null;
    }
    case 'unwrap':
    case 'expect':
    case 'unwrap_or':
    case 'unwrap_or_default':
    case 'unwrap_or_else': {
      let v = a[0] ?? unknownVal();
      if (v.k === 'ptr' && v.to) v = m.read(v.to);
      if (v.k !== 'agg' || v.variant === undefined) return unknownVal();
      const ok = v.variant === 'Some' || v.variant === 'Ok';
      if (ok) return v.fields[0] ? v.fields[0] : unknownVal();
      if (method === 'unwrap_or') return a[1] ?? unknownVal();
      if (method === 'unwrap_or_default') return defaultOf(m, c.destTy);
      if (method === 'unwrap_or_else')
        return a[1] ? m.callValue(a[1], v.variant === 'Err' ? [v.fields[0] ?? unknownVal()] : []) : unknownVal();
      const msg =
        method === 'expect'
          ? (m.asText(a[1] ?? unknownVal()) ?? 'expect failed')
          : v.variant === 'None'
            ? 'called `Option::unwrap()` on a `None` value'
            : 'called `Result::unwrap()` on an `Err` value';
      m.halt('panic', `panicked: ${msg}`);
      break;
    }
    case 'is_some':
    case 'is_none':
    case 'is_ok':
    case 'is_err': {
      let v = a[0] ?? unknownVal();
      if (v.k === 'ptr' && v.to) v = m.read(v.to);
      if (v.k !== 'agg' || v.variant === undefined) return unknownVal();
      const yes =
        method === 'is_some'
          ? v.variant === 'Some'
          : method === 'is_none'
            ? v.variant === 'None'
            : method === 'is_ok'
              ? v.variant === 'Ok'
              : v.variant === 'Err';
      return { k: 'bool', v: yes };
    }
    case 'strong_count':
    case 'weak_count': {
      const r = rcContainer(m, a[0]);
      const b = m.block(r.block ?? null);
      if (!b?.rc) return unknownVal();
      return intVal(method === 'strong_count' ? b.rc.strong : b.rc.weak - (b.rc.strong > 0 ? 1 : 0), 'usize');
    }
    case 'downgrade': {
      const r = rcContainer(m, a[0]);
      const b = m.block(r.block ?? null);
      if (!b?.rc) return unknownVal();
      b.rc.weak++;
      m.emit('write', `Rc weak count of heap:${b.id}: ${b.rc.weak - 2} → ${b.rc.weak - 1}`, [heapId(b.id)]);
      return { k: 'own', kind: 'Weak', block: b.id, ty: c.destTy };
    }
    case 'upgrade': {
      const r = container(m, a[0], 'Weak');
      const b = m.block(r.block ?? null);
      if (!b?.rc) return unknownVal();
      if (b.rc.strong === 0) return none();
      b.rc.strong++;
      m.emit('write', `Rc strong count of heap:${b.id}: ${b.rc.strong - 1} → ${b.rc.strong}`, [heapId(b.id)]);
      const inner =
        c.destTy.kind === 'adt' && c.destTy.args[0] ? c.destTy.args[0] : { kind: 'adt' as const, name: 'Rc', args: [b.elemTy], std: true };
      return some({ k: 'own', kind: 'Rc', block: b.id, ty: inner });
    }
    case 'into_iter':
    case 'iter':
    case 'iter_mut':
    case 'chars':
    case 'bytes':
      return iterOf(m, method, a[0]);
    case 'next':
      return iterNext(m, a[0]);
    case 'collect':
      return collectCall(m, act, c, c.destTy);
    case 'split_whitespace':
    case 'split':
    case 'lines':
    case 'trim':
    case 'trim_start':
    case 'trim_end': {
      const p = strBytes(m, a[0]);
      if (!p) return null;
      const text = fromUtf8(p.bytes);
      const parts: [number, number][] = [];
      const byteLen = (t: string): number => utf8(t).length;
      if (method.startsWith('trim')) {
        const lead = method === 'trim_end' ? 0 : byteLen(text) - byteLen(text.replace(/^\s+/u, ''));
        const rest = method === 'trim_start' ? text.slice(text.length - text.replace(/^\s+/u, '').length) : text.replace(/^\s+/u, '');
        const kept = method === 'trim_start' ? rest : (method === 'trim_end' ? text : rest).replace(/\s+$/u, '');
        return { k: 'ptr', to: withPath(p.base, [p.start + lead]), mutable: false, len: byteLen(kept) };
      }
      if (method === 'split') {
        const sep = deref(m, a[1]);
        const needle = sep.k === 'char' ? sep.v : m.asText(a[1] ?? unknownVal());
        if (needle === null || needle === '') return null;
        let pos = 0;
        for (const piece of text.split(needle)) {
          parts.push([byteLen(text.slice(0, pos)), byteLen(piece)]);
          pos += piece.length + needle.length;
        }
      } else {
        const re = method === 'lines' ? /[^\n]*(?:\n|$)/gu : /\S+/gu;
        for (const mm of text.matchAll(re)) {
          let piece = mm[0];
          if (method === 'lines') {
            if (piece === '' && mm.index === text.length) break;
            piece = piece.replace(/\r?\n$/, '');
          }
          parts.push([byteLen(text.slice(0, mm.index)), byteLen(piece)]);
        }
      }
      return { k: 'iter', src: { kind: 'slices', base: withPath(p.base, [p.start]), parts }, pos: 0, end: parts.length };
    }
    case 'join':
    case 'concat': {
      // `[&str]::join(sep)` / `concat()`: a new String of the exact length.
      const r = container(m, a[0]);
      if (!r.elemsLoc || r.len === null) return null;
      const parts: string[] = [];
      for (let i = 0; i < r.len; i++) {
        const t = m.asText(m.read(withPath(r.elemsLoc, [(r.offset ?? 0) + i])));
        if (t === null) return unknownOwn(m, STRING_TY);
        parts.push(t);
      }
      const sep = method === 'join' ? m.asText(a[1] ?? unknownVal()) : '';
      if (sep === null) return unknownOwn(m, STRING_TY);
      return newString(m, parts.join(sep));
    }
    case 'to_lowercase':
    case 'to_uppercase': {
      const t = m.asText(a[0] ?? unknownVal());
      if (t === null) return method === 'to_lowercase' || method === 'to_uppercase' ? unknownOwn(m, STRING_TY) : null;
      return newString(m, method === 'to_lowercase' ? t.toLowerCase() : t.toUpperCase());
    }
    case 'map':
    case 'filter': {
      const inner = deref(m, a[0]);
      if (
        method === 'map' &&
        inner.k === 'agg' &&
        (inner.variant === 'Some' || inner.variant === 'None' || inner.variant === 'Ok' || inner.variant === 'Err') &&
        a[1]
      ) {
        // Option::map / Result::map: call the closure on the payload.
        if (inner.variant === 'None' || inner.variant === 'Err') return inner;
        const r = m.callValue(a[1], [inner.fields[0] ?? unknownVal()]);
        return { ...inner, fields: [r] };
      }
      if (inner.k !== 'iter' || !a[1]) return null;
      return { k: 'iter', src: { kind: method, inner, f: a[1] }, pos: 0, end: null };
    }
    case 'find':
    case 'position': {
      const it = deref(m, a[0]);
      if (it.k !== 'iter' || !a[1]) return null;
      const loc = iterLoc(m, act, c);
      if (!loc) return unknownVal();
      for (let i = 0; i < 1_000_000; i++) {
        const r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
        if (r.k !== 'agg' || r.variant === undefined) return unknownVal();
        if (r.variant === 'None') return none();
        const item = r.fields[0] ?? unknownVal();
        // find's predicate takes `&Item`, position's takes `Item`.
        const keep = m.callValue(a[1], [method === 'find' ? m.scratchRef(item) : item]);
        if (keep.k !== 'bool') return unknownVal();
        if (keep.v) return some(method === 'find' ? item : intVal(i, 'usize'));
      }
      return unknownVal();
    }
    case 'copied':
    case 'cloned': {
      const o = deref(m, a[0]);
      if (o.k === 'agg' && o.variant === 'None') return o;
      if (o.k === 'agg' && o.variant === 'Some') {
        const inner = o.fields[0];
        const target = inner && inner.k === 'ptr' && inner.to ? m.read(inner.to) : unknownVal();
        return some(method === 'cloned' ? deepClone(m, target, 0) : cloneVal(target));
      }
      return null;
    }
    case 'ok_or':
    case 'ok_or_else': {
      const o = deref(m, a[0]);
      if (o.k !== 'agg' || (o.variant !== 'Some' && o.variant !== 'None')) return unknownVal();
      if (o.variant === 'Some') return { k: 'agg', fields: [o.fields[0] ?? unknownVal()], adt: 'Result', variant: 'Ok', vidx: 0 };
      const e = method === 'ok_or' ? (a[1] ?? unknownVal()) : a[1] ? m.callValue(a[1], []) : unknownVal();
      return { k: 'agg', fields: [e], adt: 'Result', variant: 'Err', vidx: 1 };
    }

    case 'is_whitespace':
    case 'is_ascii_digit':
    case 'is_alphabetic':
    case 'is_alphanumeric':
    case 'is_numeric':
    case 'is_ascii_alphabetic':
    case 'is_ascii_alphanumeric':
    case 'is_uppercase':
    case 'is_lowercase':
    case 'is_ascii_punctuation':
    case 'to_digit':
    case 'to_ascii_uppercase':
    case 'to_ascii_lowercase': {
      const ch = deref(m, a[0]);
      if (ch.k !== 'char') return method.startsWith('to_') ? null : unknownVal();
      return charMethod(method, ch.v, a[1] ? deref(m, a[1]) : undefined);
    }
    case 'enumerate': {
      const inner = deref(m, a[0]);
      if (inner.k !== 'iter') return null;
      return { k: 'iter', src: { kind: 'enumerate', inner }, pos: 0, end: null };
    }
    case 'eq':
    case 'ne': {
      const e = m.valuesEqual(a[0] ?? unknownVal(), a[1] ?? unknownVal());
      return e === null ? unknownVal() : { k: 'bool', v: method === 'eq' ? e : !e };
    }
    case 'contains': {
      const r = container(m, a[0]);
      const text = m.asText(a[0] ?? unknownVal());
      const nd = deref(m, a[1]);
      const needle = nd.k === 'char' ? nd.v : m.asText(a[1] ?? unknownVal());
      if (text !== null && needle !== null) return { k: 'bool', v: text.includes(needle) };
      const b = m.block(r.block ?? null);
      if (b && !b.unknownContents) {
        for (const e of b.elems) if (m.valuesEqual(e, a[1] ?? unknownVal()) === true) return { k: 'bool', v: true };
        return { k: 'bool', v: false };
      }
      return unknownVal();
    }
    case 'abs':
    case 'pow':
    case 'min':
    case 'max': {
      const x = deref(m, a[0]);
      const y = deref(m, a[1]);
      if (x.k === 'int') {
        if (method === 'abs') return m.wrapInt(x.v < 0n ? -x.v : x.v, x.ty, false);
        if (y.k === 'int') {
          if (method === 'pow') return m.wrapInt(x.v ** y.v, x.ty, false);
          return intVal(method === 'min' ? (x.v < y.v ? x.v : y.v) : x.v > y.v ? x.v : y.v, x.ty);
        }
      }
      return unknownVal();
    }
    default:
      break;
  }
  if (/^(\+|-|\*|\/|%|&|\||\^|<<|>>)=$/.test(path)) {
    // Compound assignment the builder could not type (`x += y` through an unknown type):
    // numbers are updated in place; `String += &str` is push_str.
    const target = a[0]?.k === 'ptr' ? a[0].to : null;
    const cur = target ? m.read(target) : unknownVal();
    if (target && (cur.k === 'int' || cur.k === 'float' || cur.k === 'bool')) {
      m.write(target, m.binary(path.slice(0, -1), cur, a[1] ?? unknownVal(), { kind: 'unknown' }));
      return unitVal();
    }
    if (path === '+=' && cur.k === 'own' && cur.kind === 'String') return pushCall(m, 'push_str', a);
    if (target) m.havoc([a[0]]);
    return unitVal();
  }
  return null;
}

// --- helpers: values

function tyBase(t: Ty): string | undefined {
  if (t.kind === 'adt') return baseName(t.name);
  if (t.kind === 'ref') return tyBase(t.inner);
  if (t.kind === 'str') return 'str';
  if (t.kind === 'slice' || t.kind === 'array') return 'slice';
  return undefined;
}

function some(v: Val): Val {
  return { k: 'agg', fields: [v], adt: 'Option', variant: 'Some', vidx: 1 };
}

function none(): Val {
  return { k: 'agg', fields: [], adt: 'Option', variant: 'None', vidx: 0 };
}

function deref(m: Machine, v: Val | undefined, depth = 0): Val {
  if (!v) return unknownVal();
  if (v.k === 'ptr' && v.to && depth < 8) return deref(m, m.read(v.to), depth + 1);
  return v;
}

function defaultOf(m: Machine, t: Ty): Val {
  if (t.kind === 'int') return intVal(0, t.name);
  if (t.kind === 'bool') return { k: 'bool', v: false };
  const k = ownKind(t);
  if (k === 'String' || k === 'Vec' || k === 'HashMap') return { k: 'own', kind: k, block: null, ty: t };
  if (t.kind === 'adt' && baseName(t.name) === 'Option') return none();
  void m;
  return unknownVal();
}

function unknownOwn(m: Machine, t: Ty): Val {
  const k = ownKind(t);
  if (!k) return unknownVal();
  const id = m.alloc(k, elemTyOf(t), [], 0, displayName(t));
  m.block(id)!.unknownContents = true;
  return { k: 'own', kind: k, block: id, ty: t };
}

function displayName(t: Ty): string {
  if (t.kind === 'adt') return t.args.length ? `${baseName(t.name)}<…>` : baseName(t.name);
  return 'a value';
}

function newString(m: Machine, text: string, cap?: number): Val {
  const bytes = utf8(text);
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

function newVec(m: Machine, ty: Ty, elems: Val[], cap: number): Val {
  const vty: Ty =
    ty.kind === 'adt' && baseName(ty.name) === 'Vec' ? ty : { kind: 'adt', name: 'Vec', args: [{ kind: 'unknown' }], std: true };
  const elemTy = elemTyOf(vty);
  if (cap === 0 || m.elemSize(elemTy) === 0) return { k: 'own', kind: 'Vec', block: null, ty: vty };
  const id = m.alloc('Vec', elemTy, elems, cap, `Vec<${displayTy(elemTy)}>`);
  return { k: 'own', kind: 'Vec', block: id, ty: vty };
}

/** Receiver: the container (String/Vec/Box/Rc...) behind a value or reference. */
interface Container {
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

function container(m: Machine, v: Val | undefined, stopAt?: OwnKind): Container {
  let loc: Loc | null = null;
  let cur: Val = v ?? unknownVal();
  for (let i = 0; i < 12; i++) {
    if (cur.k === 'ptr') {
      // A fat pointer (&str, &[T]) is itself the container.
      if (cur.len !== undefined && cur.to && (cur.to.region !== 'stack' || m.read(cur.to).k === 'agg')) {
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
      if (stopAt === cur.kind || !(cur.kind === 'Box' || cur.kind === 'Rc' || cur.kind === 'Arc')) {
        const b = m.block(cur.block);
        const known = !b || !b.unknownContents;
        const len = cur.kind === 'Box' || cur.kind === 'Rc' || cur.kind === 'Arc' || cur.kind === 'Weak' ? 1 : b ? b.elems.length : 0;
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
    if (cur.k === 'agg' && (cur.adt === 'RefCell' || cur.adt === 'Cell') && loc) {
      loc = withPath(loc, [0]);
      cur = m.read(loc);
      continue;
    }
    break;
  }
  return { loc, elemsLoc: null, len: null, cap: null };
}

/** The bytes of a String/&str receiver and where they live (buffer + byte offset). */
function strBytes(m: Machine, v: Val | undefined): { base: Loc; start: number; bytes: number[] } | null {
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

function rcContainer(m: Machine, v: Val | undefined): Container {
  const r = container(m, v, 'Rc');
  if (r.own?.kind === 'Rc') return r;
  const r2 = container(m, v, 'Arc');
  if (r2.own?.kind === 'Arc') return r2;
  return { loc: null, elemsLoc: null, len: null, cap: null };
}

function recvLoc(m: Machine, v: Val | undefined, adt: string): Loc | null {
  let cur = v ?? unknownVal();
  let loc: Loc | null = null;
  for (let i = 0; i < 12; i++) {
    if (cur.k === 'ptr') {
      if (!cur.to) return null;
      loc = cur.to;
      cur = m.read(loc);
    } else if (cur.k === 'own' && (cur.kind === 'Box' || cur.kind === 'Rc' || cur.kind === 'Arc') && cur.block !== null) {
      loc = { region: 'heap', block: cur.block, path: [0] };
      cur = m.read(loc);
    } else break;
  }
  if (cur.k === 'agg' && baseName(cur.adt ?? '') === adt) return loc;
  return null;
}

function isRefCellRecv(m: Machine, v: Val | undefined): boolean {
  return recvLoc(m, v, 'RefCell') !== null;
}

function isCellRecv(m: Machine, v: Val | undefined): boolean {
  return recvLoc(m, v, 'Cell') !== null;
}

/** `RefCell::borrow(_mut)`: a guard modelled as a reference to the cell's value. */
function refCellBorrow(m: Machine, v: Val | undefined, mutable: boolean): Val {
  const l = recvLoc(m, v, 'RefCell');
  if (!l) return unknownVal();
  return { k: 'ptr', to: withPath(l, [0]), mutable };
}

function cellGet(m: Machine, v: Val | undefined): Val {
  const l = recvLoc(m, v, 'Cell');
  return l ? cloneVal(m.read(withPath(l, [0]))) : unknownVal();
}

function sliceOf(m: Machine, v: Val | undefined): Val {
  const r = container(m, v);
  if (r.ptr) return r.ptr;
  if (r.block === null) return { k: 'ptr', to: null, mutable: false, len: 0 };
  if (r.elemsLoc) return { k: 'ptr', to: r.elemsLoc, mutable: false, len: r.len };
  return unknownVal();
}

// --- constructors

function construct(m: Machine, act: Activation, typeName: string, fn: string, c: StdCallInput): Val | null {
  const a = c.args;
  switch (typeName) {
    case 'String': {
      if (fn === 'new' || fn === 'default') return newString(m, '');
      if (fn === 'with_capacity') {
        const n = a[0]?.k === 'int' ? Number(a[0].v) : null;
        if (n === null) return unknownOwn(m, STRING_TY);
        if (n === 0) return newString(m, '');
        const id = m.alloc('String', U8, [], n, 'String');
        return { k: 'own', kind: 'String', block: id, ty: STRING_TY };
      }
      if (fn === 'from') {
        const text = m.asText(a[0] ?? unknownVal());
        if (text === null) {
          const ch = deref(m, a[0]);
          if (ch.k === 'char') return newString(m, ch.v);
          return unknownOwn(m, STRING_TY);
        }
        return newString(m, text);
      }
      return null;
    }
    case 'Vec': {
      const ty = c.destTy.kind === 'adt' ? c.destTy : { kind: 'adt' as const, name: 'Vec', args: [], std: true };
      if (fn === 'new' || fn === 'default') return newVec(m, ty, [], 0);
      if (fn === 'with_capacity') {
        const n = a[0]?.k === 'int' ? Number(a[0].v) : null;
        if (n === null || n > 10_000_000) return unknownOwn(m, ty);
        return newVec(m, ty, [], n);
      }
      if (fn === 'from') {
        const r = container(m, a[0]);
        const src = deref(m, a[0]);
        if (src.k === 'agg' && !src.adt) return newVec(m, ty, src.fields.map(cloneVal), src.fields.length);
        if (r.elemsLoc && r.len !== null) {
          const elems = Array.from({ length: r.len }, (_, i) => cloneVal(m.read(withPath(r.elemsLoc!, [(r.offset ?? 0) + i]))));
          return newVec(m, ty, elems, r.len);
        }
        return unknownOwn(m, ty);
      }
      return null;
    }
    case 'Box':
    case 'Rc':
    case 'Arc': {
      if (fn !== 'new' && fn !== 'from') return null;
      const inner = a[0] ?? unknownVal();
      const ty: Ty =
        c.destTy.kind === 'adt'
          ? c.destTy
          : { kind: 'adt', name: typeName, args: [c.argOps[0] ? m.operandTy(act, c.argOps[0]) : { kind: 'unknown' }], std: true };
      const elemTy =
        ty.kind === 'adt' && ty.args[0] ? ty.args[0] : c.argOps[0] ? m.operandTy(act, c.argOps[0]) : { kind: 'unknown' as const };
      const id = m.alloc(typeName as OwnKind, elemTy, [inner], 1, `${typeName}<${displayTy(elemTy)}>`);
      return { k: 'own', kind: typeName as OwnKind, block: id, ty };
    }
    case 'RefCell':
    case 'Cell':
    case 'Mutex':
      if (fn !== 'new') return null;
      return { k: 'agg', fields: [a[0] ?? unknownVal()], names: ['value'], adt: typeName };
    case 'HashMap':
    case 'HashSet':
    case 'BTreeMap':
    case 'VecDeque':
      if (fn === 'new' || fn === 'default') return { k: 'own', kind: typeName as OwnKind, block: null, ty: c.destTy };
      return null;
    default:
      return null;
  }
}

function cloneLike(m: Machine, method: string, tyName: string | undefined, c: StdCallInput): Val | null {
  const a = c.args;
  const recv = a[0] ?? unknownVal();
  // Rc::clone / Arc::clone: a new handle to the same block.
  const rc = container(m, recv, 'Rc');
  const arc = rc.own ? rc : container(m, recv, 'Arc');
  const r0 =
    arc.own && (arc.own.kind === 'Rc' || arc.own.kind === 'Arc') && (method === 'clone' || tyName === 'Rc' || tyName === 'Arc')
      ? arc
      : null;
  const destK = ownKind(c.destTy);
  if (r0 && r0.own && (destK === 'Rc' || destK === 'Arc' || tyName === 'Rc' || tyName === 'Arc' || destK === null)) {
    const b = m.block(r0.own.block);
    if (b?.rc) {
      b.rc.strong++;
      m.emit('write', `${r0.own.kind} strong count of heap:${b.id}: ${b.rc.strong - 1} → ${b.rc.strong}`, [heapId(b.id)]);
    }
    return { ...r0.own };
  }
  // String from &str / String / char; to_string of Display values.
  const destIsString = destK === 'String' || method === 'to_string' || (method === 'to_owned' && tyName === 'str');
  if (destIsString) {
    const text = m.asText(recv);
    if (text !== null) return newString(m, text);
    const v = deref(m, recv);
    if (method === 'to_string' && v.k !== 'unknown' && v.k !== 'own' && v.k !== 'agg') return newString(m, display(m, v, ''));
    return unknownOwn(m, STRING_TY);
  }
  // Deep clone of owned containers (exact capacity = len, as `<[T]>::to_vec` does).
  const v = deref(m, recv);
  return deepClone(m, v, 0);
}

/** Clone semantics: Copy values copy; String/Vec/Box allocate anew; Rc bumps the count. */
function deepClone(m: Machine, v: Val, depth: number): Val {
  if (depth > 32) return unknownVal();
  switch (v.k) {
    case 'own': {
      const b = m.block(v.block);
      if (v.kind === 'Rc' || v.kind === 'Arc') {
        if (b?.rc) {
          b.rc.strong++;
          m.emit('write', `${v.kind} strong count of heap:${b.id}: ${b.rc.strong - 1} → ${b.rc.strong}`, [heapId(b.id)]);
        }
        return { ...v };
      }
      if (!b) return { ...v };
      if (b.unknownContents) return unknownOwn(m, v.ty);
      const elems = b.elems.map((e) => deepClone(m, e, depth + 1));
      const cap = v.kind === 'Box' ? 1 : elems.length;
      if (cap === 0) return { ...v, block: null };
      const id = m.alloc(b.kind, b.elemTy, elems, cap, v.kind === 'String' ? 'String (clone)' : `${v.kind} (clone)`);
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

// --- growth

/** MIN_NON_ZERO_CAP of alloc::raw_vec for an element size. */
function minNonZeroCap(elemSize: number): number {
  return elemSize === 1 ? 8 : elemSize <= 1024 ? 4 : 1;
}

/**
 * Makes room for `additional` more elements in the String/Vec at `loc` (RawVec::reserve →
 * grow_amortized): reallocates into a new block when the capacity is short.
 */
function ensureCap(m: Machine, loc: Loc, own: Val & { k: 'own' }, additional: number): number | null {
  const b = m.block(own.block);
  if (b?.unknownContents) return null;
  const len = b ? b.elems.length : 0;
  const cap = b ? b.cap : 0;
  if (cap - len >= additional) return own.block;
  const elemTy = own.kind === 'String' ? U8 : elemTyOf(own.ty);
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
  if (b) {
    b.elems = [...elems];
    m.free(b.id);
  }
  const nv: Val = { ...own, block: id };
  m.write(loc, nv);
  return id;
}

function pushCall(m: Machine, method: string, a: Val[]): Val {
  const r = container(m, a[0]);
  if (!r.own || !r.loc) return unitVal();
  const own = r.own;
  if (own.kind === 'String') {
    let bytes: number[] | null = null;
    const arg = deref(m, a[1]);
    if (method === 'push' && arg.k === 'char') bytes = utf8(arg.v);
    else {
      const t = m.asText(a[1] ?? unknownVal());
      if (t !== null) bytes = utf8(t);
    }
    if (bytes === null) {
      const b = m.block(own.block);
      if (b) b.unknownContents = true;
      return unitVal();
    }
    if (bytes.length === 0) return unitVal();
    const id = ensureCap(m, r.loc, own, bytes.length);
    const b = m.block(id);
    if (!b) return unitVal();
    for (const x of bytes) b.elems.push(intVal(x, 'u8'));
    m.emit('write', `pushed ${JSON.stringify(fromUtf8(bytes))} onto heap:${b.id} (len ${b.elems.length}, capacity ${b.cap})`, [
      heapId(b.id),
    ]);
    return unitVal();
  }
  if (own.kind === 'Vec' || own.kind === 'VecDeque') {
    const id = ensureCap(m, r.loc, own, 1);
    const b = m.block(id);
    if (!b) return unitVal();
    b.elems.push(a[1] ?? unknownVal());
    m.emit('write', `pushed ${m.short(a[1] ?? unknownVal())} onto heap:${b.id} (len ${b.elems.length}, capacity ${b.cap})`, [heapId(b.id)]);
    return unitVal();
  }
  return unitVal();
}

function popCall(m: Machine, recv: Val | undefined): Val {
  const r = container(m, recv);
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
  const v = b.elems.pop()!;
  return some(v);
}

/** Option/Result methods that work on the option's own location (`take`, `as_ref`, `as_deref`...). */
function optionCall(m: Machine, method: string, a: Val[]): Val | null {
  // Through `&self` / `&mut self`: the option's own location.
  const loc = a[0]?.k === 'ptr' ? a[0].to : null;
  const o = loc ? m.read(loc) : deref(m, a[0]);
  if (o.k !== 'agg' || (o.variant !== 'Some' && o.variant !== 'None' && o.variant !== 'Ok' && o.variant !== 'Err')) {
    if (method === 'take' && loc && o.k !== 'unknown') {
      // mem::take-like `take` on a Cell/Vec is not Option::take.
      return null;
    }
    return method === 'take' || method === 'replace' ? null : unknownVal();
  }
  if (method === 'take' || method === 'replace') {
    if (!loc) return null;
    m.write(loc, method === 'take' ? none() : some(a[1] ?? unknownVal()));
    return o;
  }
  if (o.variant === 'None' || o.variant === 'Err')
    return method.startsWith('as_deref') || method.startsWith('as_') ? (o.variant === 'None' ? none() : o) : o;
  if (!loc) return unknownVal();
  const inner: Loc = withPath(loc, [0]);
  if (method === 'as_deref' || method === 'as_deref_mut') {
    const target = m.derefLoc(inner);
    const iv = m.read(inner);
    if (iv.k === 'own' && (iv.kind === 'String' || iv.kind === 'Vec')) return some(sliceOf(m, { k: 'ptr', to: inner, mutable: false }));
    return some({ k: 'ptr', to: target, mutable: method === 'as_deref_mut' });
  }
  return some({ k: 'ptr', to: inner, mutable: method === 'as_mut' });
}

// --- HashMap (hashbrown's growth; entries kept in insertion order)

/** hashbrown `capacity_to_buckets`. */
function bucketsFor(n: number): number {
  if (n < 8) return n < 4 ? 4 : 8;
  let b = 1;
  const adjusted = Math.floor((n * 8) / 7);
  while (b < adjusted) b *= 2;
  return b;
}

/** hashbrown `bucket_mask_to_capacity`. */
function capacityOf(buckets: number): number {
  return buckets < 8 ? buckets - 1 : (buckets / 8) * 7;
}

function mapFind(m: Machine, elems: Val[], key: Val, isSet: boolean): number {
  for (let i = 0; i < elems.length; i++) {
    const e = elems[i];
    const k = isSet ? e : e.k === 'agg' ? (e.fields[0] ?? unknownVal()) : unknownVal();
    if (m.valuesEqual(k, key) === true) return i;
  }
  return -1;
}

/** Inserts a new entry, growing the table like hashbrown's `reserve_rehash(1)`. Returns its index. */
function mapPush(m: Machine, loc: Loc, own: Val & { k: 'own' }, entry: Val): number {
  const b = m.block(own.block);
  const len = b ? b.elems.length : 0;
  const cap = b ? b.cap : 0;
  let target = b;
  if (len + 1 > cap) {
    const buckets = bucketsFor(Math.max(len + 1, cap + 1));
    const elemTy: Ty =
      own.kind === 'HashSet'
        ? own.ty.kind === 'adt' && own.ty.args[0]
          ? own.ty.args[0]
          : { kind: 'unknown' }
        : {
            kind: 'tuple',
            elems: own.ty.kind === 'adt' && own.ty.args.length >= 2 ? own.ty.args.slice(0, 2) : [{ kind: 'unknown' }, { kind: 'unknown' }],
          };
    const id = m.alloc(
      own.kind,
      b ? b.elemTy : elemTy,
      b ? [...b.elems] : [],
      capacityOf(buckets),
      `${own.kind}${cap ? ` (grown from capacity ${cap} to ${capacityOf(buckets)})` : ''}`,
    );
    target = m.block(id)!;
    target.buckets = buckets;
    if (b) m.free(b.id);
    m.write(loc, { ...own, block: id });
  }
  target!.elems.push(entry);
  return target!.elems.length - 1;
}

function mapCall(m: Machine, method: string, r: Container, a: Val[], c: StdCallInput): Val | null | undefined {
  const own = r.own!;
  const isSet = own.kind === 'HashSet';
  const b = m.block(own.block);
  if (b?.unknownContents) return undefined;
  const elems = b ? b.elems : [];
  // Keys come by value (insert, entry) or by reference (get, contains_key, remove: `&Q`);
  // valuesEqual looks through references, and a `&str` is compared as text.
  const key = a[1] ?? unknownVal();
  switch (method) {
    case 'insert': {
      if (!r.loc) return null;
      m.note('HashMap/HashSet iteration order is arbitrary in Rust; the simulation keeps insertion order');
      const i = mapFind(m, elems, key, isSet);
      if (i >= 0) {
        if (isSet) return { k: 'bool', v: false };
        const old = (elems[i] as Val & { k: 'agg' }).fields[1];
        elems[i] = { k: 'agg', fields: [(elems[i] as Val & { k: 'agg' }).fields[0], a[2] ?? unknownVal()] };
        return some(old ?? unknownVal());
      }
      mapPush(m, r.loc, own, isSet ? key : { k: 'agg', fields: [key, a[2] ?? unknownVal()] });
      return isSet ? { k: 'bool', v: true } : none();
    }
    case 'get':
    case 'get_mut': {
      const i = mapFind(m, elems, key, isSet);
      if (i < 0 || !own.block) return none();
      return some({ k: 'ptr', to: { region: 'heap', block: own.block, path: isSet ? [i] : [i, 1] }, mutable: method === 'get_mut' });
    }
    case 'contains_key':
    case 'contains':
      return { k: 'bool', v: mapFind(m, elems, key, isSet) >= 0 };
    case 'remove': {
      const i = mapFind(m, elems, key, isSet);
      if (i < 0) return isSet ? { k: 'bool', v: false } : none();
      const [e] = elems.splice(i, 1);
      if (isSet) return { k: 'bool', v: true };
      return some((e as Val & { k: 'agg' }).fields[1] ?? unknownVal());
    }
    case 'entry': {
      if (!r.loc) return null;
      return { k: 'agg', fields: [{ k: 'ptr', to: r.loc, mutable: true }, key], names: ['map', 'key'], adt: 'Entry' };
    }
    case 'iter':
    case 'keys':
    case 'values':
    case 'values_mut':
    case 'iter_mut':
    case 'into_iter':
    case 'drain': {
      const mode =
        method === 'keys' || isSet
          ? method === 'into_iter' || method === 'drain'
            ? 'owned'
            : 'keys'
          : method === 'values' || method === 'values_mut'
            ? 'values'
            : method === 'into_iter' || method === 'drain'
              ? 'owned'
              : 'pairs';
      // `for (k, v) in &map` calls into_iter on a reference: borrowed pairs.
      const byRef = method === 'into_iter' && a[0]?.k === 'ptr';
      m.note('HashMap/HashSet iteration order is arbitrary in Rust; the simulation keeps insertion order');
      return {
        k: 'iter',
        src: { kind: 'entries', block: own.block, mode: byRef ? (isSet ? 'keys' : 'pairs') : mode },
        pos: 0,
        end: elems.length,
      };
    }
    default:
      void c;
      return undefined;
  }
}

function entryCall(m: Machine, method: string, e: Val & { k: 'agg' }, a: Val[]): Val | null {
  const mapPtr = e.fields[0];
  const key = e.fields[1] ?? unknownVal();
  const r = container(m, mapPtr);
  if (!r.own || !r.loc || r.own.kind !== 'HashMap') return null;
  const b = m.block(r.own.block);
  if (b?.unknownContents) return unknownVal();
  let i = mapFind(m, b ? b.elems : [], key, false);
  if (method === 'or_insert' || method === 'or_insert_with' || method === 'or_default') {
    if (i < 0) {
      const v =
        method === 'or_insert'
          ? (a[1] ?? unknownVal())
          : method === 'or_insert_with' && a[1]
            ? m.callValue(a[1], [])
            : defaultOf(m, r.own.ty.kind === 'adt' && r.own.ty.args[1] ? r.own.ty.args[1] : { kind: 'unknown' });
      i = mapPush(m, r.loc, r.own, { k: 'agg', fields: [key, v] });
    }
    const own2 = m.read(r.loc);
    const block = own2.k === 'own' ? own2.block : null;
    return block === null ? unknownVal() : { k: 'ptr', to: { region: 'heap', block, path: [i, 1] }, mutable: true };
  }
  return null;
}

// --- iterators

/**
 * Steps an adapter's inner iterator at the adapter's own location: writes the inner iterator
 * there, steps it, then writes the adapter back (with the advanced inner). Returns the item, or
 * `done` (None / unknown) when the inner iterator has no known next item.
 */
function stepInner(
  m: Machine,
  loc: Loc,
  outer: Val & { k: 'iter' },
  inner: Val & { k: 'iter' },
  rewrap: (inner: Val & { k: 'iter' }) => Val,
): { item?: Val; done?: Val } {
  m.write(loc, inner);
  const r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
  const after = m.read(loc);
  m.write(loc, rewrap(after.k === 'iter' ? after : inner));
  void outer;
  if (r.k !== 'agg' || r.variant !== 'Some') return { done: r };
  return { item: r.fields[0] ?? unknownVal() };
}

function charMethod(method: string, c: string, arg: Val | undefined): Val {
  const b = (v: boolean): Val => ({ k: 'bool', v });
  switch (method) {
    case 'is_whitespace':
      return b(/^\s$/u.test(c));
    case 'is_ascii_digit':
      return b(/^[0-9]$/.test(c));
    case 'is_numeric':
      return b(/^\p{N}$/u.test(c));
    case 'is_alphabetic':
      return b(/^\p{Alphabetic}$/u.test(c));
    case 'is_alphanumeric':
      return b(/^[\p{Alphabetic}\p{N}]$/u.test(c));
    case 'is_ascii_alphabetic':
      return b(/^[A-Za-z]$/.test(c));
    case 'is_ascii_alphanumeric':
      return b(/^[A-Za-z0-9]$/.test(c));
    case 'is_uppercase':
      return b(/^\p{Uppercase}$/u.test(c));
    case 'is_lowercase':
      return b(/^\p{Lowercase}$/u.test(c));
    case 'is_ascii_punctuation':
      return b(/^[!-/:-@[-`{-~]$/.test(c));
    case 'to_ascii_uppercase':
      return { k: 'char', v: /^[a-z]$/.test(c) ? c.toUpperCase() : c };
    case 'to_ascii_lowercase':
      return { k: 'char', v: /^[A-Z]$/.test(c) ? c.toLowerCase() : c };
    case 'to_digit': {
      const radix = arg && arg.k === 'int' ? Number(arg.v) : 10;
      const d = parseInt(c, radix);
      return Number.isNaN(d) || c.length !== 1 ? none() : some(intVal(d, 'u32'));
    }
  }
  return unknownVal();
}

/**
 * Runs the receiver iterator to its end (`collect`, `sum`, `count`...): it is stepped in place,
 * in the receiver's own slot (a temporary the call consumes), so `map`/`filter` closures run
 * as calls. Null when an item or the end is unknown.
 */
/** Where the receiver iterator can be stepped: behind its `&mut`, or its own (consumed) slot. */
function iterLoc(m: Machine, act: Activation, c: StdCallInput): Loc | null {
  const recv = c.args[0];
  let loc: Loc | null;
  if (recv && recv.k === 'ptr' && recv.to) loc = recv.to;
  else {
    const op = c.argOps[0];
    loc = op && op.kind !== 'constant' ? m.placeLoc(act, op.place) : null;
    if (loc && recv) m.write(loc, recv);
  }
  return loc && m.read(loc).k === 'iter' ? loc : null;
}

function drain(m: Machine, act: Activation, c: StdCallInput): Val[] | null {
  const loc = iterLoc(m, act, c);
  if (!loc) return null;
  const items: Val[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const r = iterNext(m, { k: 'ptr', to: loc, mutable: true });
    if (r.k !== 'agg' || r.variant === undefined) return null;
    if (r.variant === 'None') return items;
    items.push(r.fields[0] ?? unknownVal());
  }
  return null;
}

function consume(m: Machine, method: string, items: Val[], f: Val | undefined): Val {
  const nums = items.map((x) => deref(m, x));
  switch (method) {
    case 'count':
      return intVal(items.length, 'usize');
    case 'for_each':
      if (f) for (const x of items) m.callValue(f, [x]);
      return unitVal();
    case 'any':
    case 'all': {
      if (!f) return unknownVal();
      for (const x of items) {
        const r = m.callValue(f, [x]);
        if (r.k !== 'bool') return unknownVal();
        if (method === 'any' && r.v) return { k: 'bool', v: true };
        if (method === 'all' && !r.v) return { k: 'bool', v: false };
      }
      return { k: 'bool', v: method === 'all' };
    }
    case 'last':
      return items.length ? some(items[items.length - 1]) : none();
    case 'sum':
    case 'product': {
      if (nums.some((x) => x.k !== 'int' && x.k !== 'float')) return unknownVal();
      if (nums.every((x) => x.k === 'int')) {
        const ty = (nums[0] as { ty?: IntName } | undefined)?.ty;
        let acc = method === 'sum' ? 0n : 1n;
        for (const x of nums) acc = method === 'sum' ? acc + (x as { v: bigint }).v : acc * (x as { v: bigint }).v;
        return m.wrapInt(acc, ty, false);
      }
      let acc = method === 'sum' ? 0 : 1;
      for (const x of nums)
        acc = method === 'sum' ? acc + Number((x as { v: number | bigint }).v) : acc * Number((x as { v: number | bigint }).v);
      return { k: 'float', v: acc };
    }
    case 'max':
    case 'min': {
      if (!items.length) return none();
      if (nums.some((x) => x.k !== 'int')) return unknownVal();
      let best = 0;
      for (let i = 1; i < nums.length; i++) {
        const a = (nums[i] as { v: bigint }).v;
        const b = (nums[best] as { v: bigint }).v;
        // max returns the last maximum, min the first minimum (Iterator::max/min).
        if (method === 'max' ? a >= b : a < b) best = i;
      }
      return some(items[best]);
    }
  }
  return unknownVal();
}

/** `Iterator::collect` into a Vec or String, for iterators whose items are all known. */
function collectCall(m: Machine, act: Activation, c: StdCallInput, destTy: Ty): Val | null {
  const it = deref(m, c.args[0]);
  if (it.k !== 'iter') return null;
  const items = drain(m, act, c);
  if (items === null) return null;
  const k = ownKind(destTy);
  if (k === 'String') {
    const text = items.map((x) => {
      const d = deref(m, x);
      return d.k === 'char' ? d.v : (m.asText(x) ?? '\u0000');
    });
    if (text.includes('\u0000')) return unknownOwn(m, destTy);
    return newString(m, text.join(''));
  }
  if (k === 'Vec' || k === null)
    return newVec(m, k === 'Vec' ? destTy : { kind: 'adt', name: 'Vec', args: [{ kind: 'unknown' }], std: true }, items, items.length);
  return null;
}

function iterOf(m: Machine, method: string, recv: Val | undefined): Val {
  const v = recv ?? unknownVal();
  // A range is its own iterator.
  const dv = deref(m, v);
  if (dv.k === 'agg' && (dv.adt === 'Range' || dv.adt === 'RangeInclusive')) {
    const s = dv.fields[0];
    const e = dv.fields[1];
    if (s?.k === 'int') {
      const end = e?.k === 'int' ? (dv.adt === 'RangeInclusive' ? e.v + 1n : e.v) : null;
      return { k: 'iter', src: { kind: 'range', start: s.v, end, ty: s.ty }, pos: 0, end: null };
    }
    return { k: 'iter', src: { kind: 'unknown' }, pos: 0, end: null };
  }
  if (dv.k === 'iter') return dv;
  if (method === 'chars' || method === 'bytes') {
    const t = m.asText(v);
    if (t === null) return { k: 'iter', src: { kind: 'unknown' }, pos: 0, end: null };
    if (method === 'bytes') return { k: 'iter', src: { kind: 'chars', text: String.fromCharCode(...utf8(t)) }, pos: 0, end: null };
    return { k: 'iter', src: { kind: 'chars', text: t }, pos: 0, end: null };
  }
  if (method === 'into_iter' && v.k === 'own' && (v.kind === 'Vec' || v.kind === 'VecDeque')) {
    const b = m.block(v.block);
    return { k: 'iter', src: { kind: 'owned', block: v.block }, pos: 0, end: b && !b.unknownContents ? b.elems.length : null };
  }
  const r = container(m, v);
  if (r.elemsLoc && r.len !== null) {
    const mutable = method === 'iter_mut' || (v.k === 'ptr' && v.mutable);
    const off = r.offset ?? 0;
    return { k: 'iter', src: { kind: 'slice', loc: r.elemsLoc, mutable }, pos: off, end: off + r.len };
  }
  if (r.own && r.block === null) return { k: 'iter', src: { kind: 'slice', loc: null, mutable: false }, pos: 0, end: 0 };
  return { k: 'iter', src: { kind: 'unknown' }, pos: 0, end: null };
}

function iterNext(m: Machine, recv: Val | undefined): Val {
  const loc = recv?.k === 'ptr' ? recv.to : null;
  if (!loc) return unknownVal();
  const it = m.read(loc);
  if (it.k !== 'iter') return unknownVal();
  const src = it.src;
  switch (src.kind) {
    case 'range': {
      const cur = src.start + BigInt(it.pos);
      // An unknown end: whether there is a next item is unknown (the loop runs once, symbolically).
      if (src.end === null) return unknownVal();
      if (cur >= src.end) return none();
      m.write(loc, { ...it, pos: it.pos + 1 });
      return some(intVal(cur, src.ty));
    }
    case 'slice': {
      if (it.end === null || it.pos >= it.end || !src.loc) return it.end === null ? unknownVal() : none();
      m.write(loc, { ...it, pos: it.pos + 1 });
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
      m.write(loc, { ...it, pos: it.pos + 1 });
      return some(v);
    }
    case 'map':
    case 'filter': {
      for (let guard = 0; guard < 1_000_000; guard++) {
        // Re-read the adapter: its inner iterator advanced on the previous round.
        const cur = m.read(loc);
        if (cur.k !== 'iter' || (cur.src.kind !== 'map' && cur.src.kind !== 'filter')) return unknownVal();
        const csrc = cur.src;
        const { item, done } = stepInner(m, loc, cur, csrc.inner, (inner) => ({ ...cur, src: { ...csrc, inner } }));
        if (done) return done;
        if (csrc.kind === 'map') return some(m.callValue(csrc.f, [item!]));
        // filter's predicate takes `&Item`: a reference to the item, kept in a scratch cell.
        const keep = m.callValue(csrc.f, [m.scratchRef(item!)]);
        if (keep.k !== 'bool') return unknownVal();
        if (keep.v) return some(item!);
      }
      return unknownVal();
    }
    case 'entries': {
      const b = m.block(src.block);
      if (!b || it.pos >= b.elems.length) {
        if (src.mode === 'owned' && b && b.state === 'live') m.free(b.id);
        return none();
      }
      const i = it.pos;
      m.write(loc, { ...it, pos: i + 1 });
      const e = b.elems[i];
      const isSet = b.kind === 'HashSet';
      const at = (path: number[]): Val => ({ k: 'ptr', to: { region: 'heap', block: b.id, path }, mutable: false });
      switch (src.mode) {
        case 'owned':
          return some(cloneVal(e));
        case 'keys':
          return some(at(isSet ? [i] : [i, 0]));
        case 'values':
          return some(at([i, 1]));
        default:
          return some({ k: 'agg', fields: [at([i, 0]), at([i, 1])] });
      }
    }
    case 'slices': {
      if (it.pos >= src.parts.length) return none();
      m.write(loc, { ...it, pos: it.pos + 1 });
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
      const holder: Val = { k: 'ptr', to: null, mutable: true };
      void holder;
      const inner = src.inner;
      const scratch = { k: 'iter' as const, src: inner.src, pos: inner.pos, end: inner.end };
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
      const chars = Array.from(src.text);
      if (it.pos >= chars.length) return none();
      m.write(loc, { ...it, pos: it.pos + 1 });
      return some({ k: 'char', v: chars[it.pos] });
    }
    default:
      return unknownVal();
  }
}

// --- macros

function macroCall(m: Machine, mac: string, c: StdCallInput): Val | 'diverged' | null {
  const a = c.args;
  switch (mac) {
    case 'println':
    case 'print':
    case 'eprintln':
    case 'eprint': {
      const text = formatText(m, c.format, a);
      if (mac === 'println' || mac === 'print') m.print(text.text, mac === 'println');
      const shown = text.text.length > 60 ? `${text.text.slice(0, 57)}…` : text.text;
      m.emit('call', `${mac}! printed ${JSON.stringify(shown)}`, []);
      return unitVal();
    }
    case 'format': {
      const t = formatText(m, c.format, a);
      if (!t.known) return unknownOwn(m, STRING_TY);
      return newString(m, t.text, formatCapacity(c.format, t.pieces));
    }
    case 'panic':
    case 'unreachable':
    case 'todo':
    case 'unimplemented': {
      const t = formatText(m, c.format, a);
      m.halt(
        'panic',
        `panicked: ${t.text || (mac === 'panic' ? 'explicit panic' : mac === 'todo' ? 'not yet implemented' : mac === 'unimplemented' ? 'not implemented' : 'internal error: entered unreachable code')}`,
      );
      break;
    }
    case 'vec': {
      if (c.path.includes('from_elem')) {
        const n = a[1]?.k === 'int' ? Number(a[1].v) : null;
        if (n === null || n > 1_000_000) return unknownOwn(m, c.destTy);
        return newVec(
          m,
          c.destTy,
          Array.from({ length: n }, () => cloneVal(a[0] ?? unknownVal())),
          n,
        );
      }
      return newVec(m, c.destTy, a.map(cloneVal), a.length);
    }
    case 'assert':
    case 'debug_assert': {
      const v = deref(m, a[0]);
      if (v.k === 'bool' && !v.v) m.halt('panic', 'panicked: assertion failed');
      return unitVal();
    }
    case 'assert_eq':
    case 'assert_ne':
    case 'debug_assert_eq':
    case 'debug_assert_ne': {
      const e = m.valuesEqual(a[0] ?? unknownVal(), a[1] ?? unknownVal());
      const want = !mac.endsWith('ne');
      if (e !== null && e !== want) {
        m.halt(
          'panic',
          `panicked: assertion \`left ${want ? '==' : '!='} right\` failed: left: ${display(m, deref(m, a[0]), '?')}, right: ${display(m, deref(m, a[1]), '?')}`,
        );
      }
      return unitVal();
    }
    case 'dbg':
      return a[0] ?? unitVal();
    case 'write':
    case 'writeln':
      return unknownVal();
    default:
      return null;
  }
}

/**
 * Format pieces as the program sees them. `syntax/lower.ts` keeps the literal's source text
 * (quotes, escapes, `{{`); this strips the quotes of the first/last piece and decodes escapes,
 * and leaves already-decoded pieces as they are.
 */
export function decodePieces(pieces: FormatPiece[] | undefined): FormatPiece[] | undefined {
  if (!pieces || !pieces.length) return pieces;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.kind !== 'text' || last.kind !== 'text') return pieces;
  const open = /^(b?r#*)?"/.exec(first.text);
  if (!open) return pieces;
  const raw = open[1] !== undefined && open[1].includes('r');
  const hashes = raw ? open[1].replace(/^b?r/, '').length : 0;
  const close = '"' + '#'.repeat(hashes);
  if (!last.text.endsWith(close)) return pieces;
  const out = pieces.map((p) => ({ ...p }));
  const f = out[0] as { kind: 'text'; text: string };
  f.text = f.text.slice(open[0].length);
  const l = out[out.length - 1] as { kind: 'text'; text: string };
  l.text = l.text.slice(0, l.text.length - close.length);
  for (const p of out) {
    if (p.kind !== 'text') continue;
    let t = p.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    if (!raw) t = unescapeRust(t);
    p.text = t;
  }
  return out;
}

function unescapeRust(t: string): string {
  return t.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]+\}|\n\s*|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return e.length > 1 ? '' : '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'u':
        return String.fromCodePoint(parseInt(e.slice(2, -1).replace(/_/g, ''), 16));
      case '\n':
        return '';
      default:
        return e;
    }
  });
}

/** `Arguments::estimated_capacity` (core::fmt), then the growth of each write. */
function formatCapacity(rawPieces: FormatPiece[] | undefined, written: string[]): number {
  const pieces = decodePieces(rawPieces);
  if (!pieces) return utf8(written.join('')).length;
  const lits = pieces.filter((p) => p.kind === 'text').map((p) => utf8((p as { text: string }).text).length);
  const litLen = lits.reduce((x, y) => x + y, 0);
  const hasArgs = pieces.some((p) => p.kind === 'arg');
  let cap: number;
  if (!hasArgs) cap = litLen;
  else if (pieces[0]?.kind === 'text' && pieces[0].text === '' && litLen < 16) cap = 0;
  else if (pieces[0]?.kind === 'arg' && litLen < 16) cap = 0;
  else cap = litLen * 2;
  let len = 0;
  for (const w of written) {
    const n = utf8(w).length;
    if (n === 0) continue;
    if (cap - len < n) cap = Math.max(cap * 2, len + n, 8);
    len += n;
  }
  return cap;
}

/** Renders a formatting macro's output; `known` false when an argument is unknown. */
function formatText(m: Machine, rawPieces: FormatPiece[] | undefined, args: Val[]): { text: string; known: boolean; pieces: string[] } {
  const pieces = decodePieces(rawPieces);
  const out: string[] = [];
  let known = true;
  const arg = (i: number, spec: string): string => {
    const v = deref(m, args[i]);
    if (v.k === 'unknown' || v.k === 'uninit') known = false;
    // format_args! receives `&arg`: display the argument itself (a `&str` stays a string).
    const a = args[i];
    const shown = a && a.k === 'ptr' && a.to && !a.raw ? m.read(a.to) : (a ?? unknownVal());
    return spec.includes('p') ? display(m, shown, spec, shown) : formatWithSpec(m, shown, spec, shown);
  };
  if (!pieces) {
    args.forEach((_, i) => out.push(arg(i, '')));
    return { text: out.join(' '), known, pieces: out };
  }
  for (const p of pieces) {
    if (p.kind === 'text') out.push(p.text);
    else out.push(arg(p.index, p.spec));
  }
  return { text: out.join(''), known, pieces: out };
}

/**
 * A format spec (`<6`, `>8.2`, `08`, `#?`, `x`), applied as core::fmt does for the common cases:
 * `[[fill]align][+][#][0][width][.precision][type]`. Width and precision given as arguments
 * (`width$`, `*`) are not supported (the value is shown unpadded).
 */
export function formatWithSpec(m: Machine, v: Val, spec: string, orig?: Val): string {
  const re = /^(?:(.)?([<>^]))?(\+)?(#)?(0)?(\d+)?(?:\.(\d+))?([?xXbeo]|x\?|X\?)?$/u;
  const mm = re.exec(spec);
  if (!mm || spec.includes('p')) return display(m, v, spec, orig);
  const [, fill = ' ', align, plus, alt, zero, width, prec, ty = ''] = mm;
  const num = v.k === 'int' || v.k === 'float';
  let body: string;
  if (v.k === 'int' && (ty === 'x' || ty === 'X' || ty === 'b' || ty === 'o')) {
    const base = ty === 'b' ? 2 : ty === 'o' ? 8 : 16;
    body = (v.v < 0n ? -v.v : v.v).toString(base);
    if (ty === 'X') body = body.toUpperCase();
    if (alt) body = (ty === 'b' ? '0b' : ty === 'o' ? '0o' : '0x') + body;
    if (v.v < 0n) body = '-' + body;
  } else if (v.k === 'float' && prec !== undefined) {
    body = v.v.toFixed(Number(prec));
  } else {
    body = display(m, v, ty.includes('?') ? (alt ? '#?' : '?') : '', orig);
    if (prec !== undefined && !num) body = Array.from(body).slice(0, Number(prec)).join('');
  }
  if (plus && num && !body.startsWith('-')) body = '+' + body;
  const w = width ? Number(width) : 0;
  const len = Array.from(body).length;
  if (len >= w) return body;
  if (zero && num && !align) {
    const sign = /^[+-]/.test(body) ? body[0] : '';
    return sign + '0'.repeat(w - len) + body.slice(sign.length);
  }
  const pad = w - len;
  const a = align ?? (num ? '>' : '<');
  if (a === '<') return body + fill.repeat(pad);
  if (a === '>') return fill.repeat(pad) + body;
  const left = Math.floor(pad / 2);
  return fill.repeat(left) + body + fill.repeat(pad - left);
}

/** Display (`{}`) or Debug (`{:?}`) of a value, best effort; `?` for unknown parts. */
export function display(m: Machine, v: Val, spec: string, orig?: Val, depth = 0): string {
  const debug = spec.includes('?');
  if (spec.includes('p')) {
    const p = orig?.k === 'ptr' ? orig : undefined;
    return p?.to ? `0x${(0x1000 + hashLoc(p.to)).toString(16)}` : '0x?';
  }
  if (depth > 8) return '…';
  switch (v.k) {
    case 'int':
      return v.v.toString();
    case 'float':
      return debug ? floatText(v.v) : Number.isInteger(v.v) ? String(v.v) : String(v.v);
    case 'bool':
      return String(v.v);
    case 'char':
      return debug ? `'${v.v}'` : v.v;
    case 'own': {
      const t = m.asText(v);
      if (t !== null) return debug ? JSON.stringify(t) : t;
      const b = m.block(v.block);
      if (v.kind === 'Box' || v.kind === 'Rc' || v.kind === 'Arc')
        return b ? display(m, b.elems[0] ?? unknownVal(), spec, undefined, depth + 1) : '?';
      if (v.kind === 'Vec')
        return b && !b.unknownContents ? `[${b.elems.map((e) => display(m, e, '?', undefined, depth + 1)).join(', ')}]` : b ? '?' : '[]';
      return '?';
    }
    case 'ptr': {
      const t = m.asText(v);
      if (t !== null) return debug ? JSON.stringify(t) : t;
      if (typeof v.len === 'number' && v.to) {
        // A slice: its elements.
        const parts: string[] = [];
        for (let i = 0; i < Math.min(v.len, 1000); i++) {
          const l = v.to.path.length
            ? { ...v.to, path: [...v.to.path.slice(0, -1), v.to.path[v.to.path.length - 1] + i] }
            : withPath(v.to, [i]);
          parts.push(display(m, m.read(l as Loc), '?', undefined, depth + 1));
        }
        return `[${parts.join(', ')}]`;
      }
      return v.to ? display(m, m.read(v.to), spec, undefined, depth + 1) : '?';
    }
    case 'agg': {
      if (v.adt === 'RefCell') return `RefCell { value: ${display(m, v.fields[0] ?? unknownVal(), '?', undefined, depth + 1)} }`;
      const inner = v.fields.map((f) => display(m, f, '?', undefined, depth + 1));
      if (v.variant) return inner.length ? `${v.variant}(${inner.join(', ')})` : v.variant;
      if (v.adt && v.names && v.names.length && !/^\d+$/.test(v.names[0]))
        return `${v.adt} { ${v.names.map((n, i) => `${n}: ${inner[i]}`).join(', ')} }`;
      if (v.adt) return `${v.adt}(${inner.join(', ')})`;
      if (v.array) return `[${inner.join(', ')}]`;
      return inner.length === 0 ? '()' : inner.length === 1 ? `(${inner[0]},)` : `(${inner.join(', ')})`;
    }
    default:
      return '?';
  }
}

function hashLoc(l: Loc): number {
  const base =
    l.region === 'stack'
      ? 0x7ff0_0000 + l.act * 0x100 + l.local * 8
      : l.region === 'heap'
        ? 0x5000_0000 + l.block * 0x40
        : 0x4000 + l.id * 0x20;
  return base + (l.path[0] ?? 0);
}
