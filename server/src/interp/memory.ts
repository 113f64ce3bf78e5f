/**
 * The interpreter's memory model: activations (frames) with one slot per MIR local, heap blocks,
 * and static memory. Values are abstract (not bytes): scalars, pointers to locations, owning
 * handles of std containers, aggregates, enum variants, unknown (symbolic) and uninit.
 *
 * A location (`Loc`) is a region plus a path of field/element indices:
 *   - stack:  activation id + MIR local + path inside the slot's value
 *   - heap:   block id + path (path[0] is the element index; `[]` is the whole block as a slice)
 *   - static: static id (string literal bytes) + path
 *
 * Owning handles (`own`: String, Vec, Box, Rc, ...) refer to a heap block by id (null = no
 * allocation yet: `String::new()` has a dangling pointer and capacity 0, as in std). Two Rc
 * handles share a block; moving a String copies the handle and marks the source `moved`.
 * Nothing here throws on bad paths: reads of missing paths give `unknown`, writes are ignored.
 */
import type { Span } from '../hir/hir';
import type { IntName, Ty } from '../hir/ty';
import type { Body } from '../mir/mir';
import type { OwnKind } from '../std/registry';
import { chargeValues, checkElems } from './budget';

// --- values

/**
 * `view` marks a sub-slice seen through a fat pointer (`*tail` where `tail = &v[2..]`): the
 * location is the whole sequence, and element i of the view is element `off + i` of it.
 */
export type SliceView = { off: number; len: number };
export type Loc =
  | { region: 'stack'; act: number; local: number; path: number[]; view?: SliceView }
  | { region: 'heap'; block: number; path: number[]; view?: SliceView }
  | { region: 'static'; id: number; path: number[]; view?: SliceView };

export type Val =
  | { k: 'int'; v: bigint; ty?: IntName }
  | { k: 'float'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'char'; v: string }
  /**
   * A reference or raw pointer. `to` null = points nowhere the simulation knows. `len` is the
   * element/byte count of a fat pointer (`&str`, `&[T]`), null when unknown.
   */
  | { k: 'ptr'; to: Loc | null; mutable: boolean; raw?: boolean; len?: number | null }
  /** The handle of an owning std container (its stack part: ptr, len, cap live in the block). */
  | { k: 'own'; kind: OwnKind; block: number | null; ty: Ty }
  /**
   * Struct, tuple, array, closure environment, enum variant (`variant` set), RefCell/Cell (`adt`).
   * `closure` names the closure's MIR body. `partial`: made from an unknown value by a write to
   * a part of it (`setAt`): the parts not written are unknown, and so is its length.
   */
  | {
      k: 'agg';
      fields: Val[];
      names?: string[];
      adt?: string;
      variant?: string;
      vidx?: number;
      closure?: string;
      array?: boolean;
      partial?: boolean;
    }
  | { k: 'fn'; name: string }
  /** An iterator over a range, a slice (by ref / by mut ref) or an owned Vec (into_iter). */
  | { k: 'iter'; src: IterSrc; pos: number; end: number | null }
  /** A field whose value was moved out (partial move); `inner` is the stale value. */
  | { k: 'moved'; inner: Val; to: string; at: Span }
  | { k: 'unknown'; text: string }
  | { k: 'uninit' };

export type IterSrc =
  /** `start..end`; `unbounded`: `start..` (RangeFrom, no end: `end` is null but known to be absent). */
  | { kind: 'range'; start: bigint; end: bigint | null; ty?: IntName; unbounded?: true }
  | { kind: 'slice'; loc: Loc | null; mutable: boolean }
  | { kind: 'owned'; block: number | null }
  /** `chars()` (chars), `char_indices()` (`(byte offset, char)`), `bytes()` (`u8`s) of a text. */
  | { kind: 'chars'; text: string; mode?: 'chars' | 'indices' | 'bytes' }
  | { kind: 'enumerate'; inner: Val & { k: 'iter' } }
  /**
   * A map's or set's entries (HashMap: insertion order; BTreeMap: key order): `(&K, &V)` pairs
   * (`mutable`: `(&K, &mut V)`), keys, values, or owned entries (`into_iter`, `drain`).
   */
  | { kind: 'entries'; block: number | null; mode: 'pairs' | 'keys' | 'values' | 'owned'; mutable?: boolean }
  /** `split_whitespace`, `split`, `lines`: sub-slices (byte start, byte len) of one buffer. */
  | { kind: 'slices'; base: Loc; parts: [number, number][] }
  /**
   * `iter.map(f)` / `filter(f)` / `filter_map(f)` / `take_while(f)` / `skip_while(f)` /
   * `inspect(f)`: `f` is the closure (or fn item) value; `done` when take_while stopped or
   * skip_while stopped skipping.
   */
  | { kind: 'map' | 'filter' | 'filter_map' | 'take_while' | 'skip_while' | 'inspect'; inner: Val & { k: 'iter' }; f: Val; done?: true }
  /** A user type's `impl Iterator` (`fibonacci().take(4)`): its value lives in the scratch cell `cell`; `next` is its own. */
  | { kind: 'user'; cell: Loc }
  /** `skip(n)` / `take(n)` / `step_by(n)` / `cloned()` / `copied()`: `n` items to skip, left, or the step. */
  | { kind: 'skip' | 'take' | 'step_by' | 'cloned' | 'copied'; inner: Val & { k: 'iter' }; n: number }
  /** `chain(other)` / `zip(other)`: the second iterator. */
  | { kind: 'chain' | 'zip'; inner: Val & { k: 'iter' }; other: Val & { k: 'iter' } }
  /** Items already produced (`rev()` of a finite iterator; `peekable()`'s peeked item at `pos`). */
  | { kind: 'list'; items: Val[] }
  | { kind: 'peekable'; inner: Val & { k: 'iter' }; peeked?: Val }
  | { kind: 'unknown' };

export const UNINIT: Val = { k: 'uninit' };
export const unknownVal = (text = '?'): Val => ({ k: 'unknown', text });
export const unitVal = (): Val => ({ k: 'agg', fields: [] });
export const intVal = (v: bigint | number, ty?: IntName): Val => ({ k: 'int', v: BigInt(v), ty });

/**
 * A deep copy (values are trees; handles and pointers are copied as they are). Scalars (int,
 * float, bool, char, fn, unknown, uninit) are never changed in place: they are shared, not copied
 * (a copy of a `[[0u64; 1000]; 255]` allocates its 256 arrays, not 255,000 integers).
 */
export function cloneVal(v: Val): Val {
  chargeValues(1);
  switch (v.k) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'fn':
    case 'unknown':
    case 'uninit':
      return v;
    case 'agg':
      return { ...v, fields: v.fields.map(cloneVal) };
    case 'ptr':
      return { ...v, to: v.to ? ({ ...v.to, path: [...v.to.path] } as Loc) : null };
    case 'moved':
      return { ...v, inner: cloneVal(v.inner) };
    case 'iter':
      return {
        ...v,
        src: v.src.kind === 'slice' && v.src.loc ? { ...v.src, loc: { ...v.src.loc, path: [...v.src.loc.path] } as Loc } : { ...v.src },
      };
    default:
      return { ...v };
  }
}

export function locEquals(a: Loc, b: Loc): boolean {
  if (a.region !== b.region || a.path.length !== b.path.length) return false;
  if (a.region === 'stack' && b.region === 'stack' && (a.act !== b.act || a.local !== b.local)) return false;
  if (a.region === 'heap' && b.region === 'heap' && a.block !== b.block) return false;
  if (a.region === 'static' && b.region === 'static' && a.id !== b.id) return false;
  return a.path.every((p, i) => p === b.path[i]);
}

/** `l` extended by `extra` indices; through a slice view, the first index is shifted by its offset. */
export const withPath = (l: Loc, extra: number[]): Loc => {
  const { view, ...rest } = l;
  if (view && extra.length) return { ...rest, path: [...l.path, view.off + extra[0], ...extra.slice(1)] } as Loc;
  return { ...rest, path: [...l.path, ...extra] } as Loc;
};

// --- slots, activations

/** A slot's lifecycle (protocol `SlotState` minus the derived `partially-moved`). */
export type SlotLife = 'uninit' | 'init' | 'moved' | 'dropped';

export interface SlotRec {
  val: Val;
  life: SlotLife;
  /** StorageLive seen (or assigned) in this activation: the slot is shown. */
  shown: boolean;
  /** After StorageDead: out of scope (kept for display until the frame pops or it is live again). */
  dead: boolean;
  /** Index of the step whose StorageDead ended the slot's scope. */
  deadStep?: number;
  movedTo?: { to: string; at: Span };
}

/** One function activation (a stack frame). */
export interface Activation {
  id: number;
  fn: string;
  body: Body;
  depth: number;
  callSite?: Span;
  slots: SlotRec[];
  /** Visits of each basic block in this activation (loop caps, branch heuristics). */
  blockVisits: Map<number, number>;
  popped: boolean;
  /** Closure bodies: how many leading arguments are captures (owned by the closure value). */
  captures?: number;
  /** The value whose discriminant was read last (for `?`'s early return). */
  lastDiscr?: Val;
}

// --- heap and statics

export interface HeapBlockRec {
  id: number;
  kind: OwnKind | 'other';
  /** Element type: `u8` for String, `T` for Vec<T>/Box<T>/Rc<T>. */
  elemTy: Ty;
  /**
   * Elements (String: one `int` per byte). On a `HeapBlock` holding a run, reading this makes
   * the run's elements (charged to the work meter): code that can, asks `elemCount`/`elemAt`.
   */
  elems: Val[];
  /** Set while the elements are `count` copies of one scalar (`vec![0u8; 1_000_000]`): see `HeapBlock`. */
  run?: ElemRun;
  /** Capacity in elements (Box/Rc: 1; HashMap: usable capacity, see `buckets`). */
  cap: number;
  /** HashMap/HashSet: hashbrown's bucket count (a power of two; capacity = 7/8 of it, or −1 below 8). */
  buckets?: number;
  /** VecDeque: the ring buffer's physical index of element 0 (`elems` are in logical order). */
  head?: number;
  /** True when the contents are not known (e.g. a String read from stdin). */
  unknownContents?: boolean;
  rc?: { strong: number; weak: number };
  state: 'live' | 'freed' | 'leaked';
  allocStep: number;
  allocSpan?: Span;
  freeStep?: number;
  freeSpan?: Span;
  /** Escaped into code the simulation does not see (moved into an unknown call). */
  escaped?: boolean;
}

/**
 * `count` elements that are all `val`, a scalar (int, bool, char, float or unknown: never changed
 * in place, so one value object stands for every element, as `[x; n]` shares it).
 */
export interface ElemRun {
  val: Val;
  count: number;
}

/** Whether `v` may stand for every element of a run (see `ElemRun`). */
export const isRunScalar = (v: Val): boolean => v.k === 'int' || v.k === 'bool' || v.k === 'char' || v.k === 'float' || v.k === 'unknown';

/**
 * A heap block whose elements may be held as a run (`vec![0u8; 1_000_000]`: one value and a
 * count), so a real 1 MB buffer costs O(1) to make, measure, clone, drop and index until its
 * elements differ. The first access to `elems` (a write, a push, a sort...) makes the array of
 * `count` entries and charges them to the work meter (`chargeValues`): from then on it is an
 * ordinary block.
 */
export class HeapBlock implements HeapBlockRec {
  kind: OwnKind | 'other';
  elemTy: Ty;
  cap: number;
  buckets?: number;
  head?: number;
  unknownContents?: boolean;
  rc?: { strong: number; weak: number };
  state: 'live' | 'freed' | 'leaked' = 'live';
  allocSpan?: Span;
  freeStep?: number;
  freeSpan?: Span;
  escaped?: boolean;
  run?: ElemRun;
  private stored: Val[];

  constructor(
    readonly id: number,
    init: { kind: OwnKind | 'other'; elemTy: Ty; elems: Val[] | ElemRun; cap: number },
    public allocStep: number,
    allocSpan: Span | undefined,
  ) {
    this.kind = init.kind;
    this.elemTy = init.elemTy;
    this.cap = init.cap;
    this.allocSpan = allocSpan;
    if (Array.isArray(init.elems)) this.stored = init.elems;
    else {
      this.stored = [];
      if (init.elems.count > 0) this.run = init.elems;
    }
  }

  get elems(): Val[] {
    if (this.run) {
      const { val, count } = this.run;
      this.run = undefined;
      checkElems(count, `the ${count} elements of heap:${this.id}`);
      this.stored = new Array<Val>(count).fill(val);
    }
    return this.stored;
  }

  set elems(v: Val[]) {
    this.run = undefined;
    this.stored = v;
  }
}

/** Number of elements of a block, without making a run's elements. */
export const elemCount = (b: HeapBlockRec): number => (b.run ? b.run.count : b.elems.length);

/** The first `n` elements of a block (fewer when it has fewer), without making a run's elements. */
export const firstElems = (b: HeapBlockRec, n: number): Val[] =>
  b.run ? new Array<Val>(Math.min(n, b.run.count)).fill(b.run.val) : b.elems.slice(0, n);

/** Element `i` of a block (undefined past the end), without making a run's elements. */
export const elemAt = (b: HeapBlockRec, i: number): Val | undefined =>
  b.run ? (i >= 0 && i < b.run.count ? b.run.val : undefined) : b.elems[i];

export interface StaticRec {
  id: number;
  /**
   * `scratch`: a hidden cell for values std code lends by reference (`filter`'s `&item`);
   * `promoted`: a constant rustc promotes to static memory (`&10`; `name` is the constant).
   */
  kind: 'literal' | 'static' | 'scratch' | 'promoted';
  name: string;
  ty: Ty;
  /** Literal: UTF-8 bytes. Static item or promoted constant: its value. */
  bytes?: number[];
  text?: string;
  val?: Val;
  span?: Span;
}

/** UTF-8 bytes of a JS string. */
export function utf8(s: string): number[] {
  // ASCII (a byte per UTF-16 unit, the same bytes) without a Buffer: most literals a step pushes.
  if (s.length <= 256) {
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return Array.from(Buffer.from(s, 'utf8'));
      out.push(c);
    }
    return out;
  }
  return Array.from(Buffer.from(s, 'utf8'));
}

/** Decodes UTF-8 bytes (invalid sequences become U+FFFD). */
export function fromUtf8(bytes: number[]): string {
  // ASCII bytes are their own characters (no Buffer for the short texts of events).
  if (bytes.length <= 256 && bytes.every((b) => b >= 0 && b < 0x80)) return String.fromCharCode(...bytes);
  return Buffer.from(bytes).toString('utf8');
}

/** Reads a value at a path inside a value (enum variants index their own fields). */
export function getAt(v: Val, path: number[], i = 0): Val {
  if (i >= path.length) return v;
  if (v.k === 'moved') return getAt(v.inner, path, i);
  if (v.k !== 'agg') return v.k === 'uninit' ? v : unknownVal();
  const f = v.fields[path[i]];
  return f === undefined ? unknownVal() : getAt(f, path, i + 1);
}

/** Returns `v` with the value at `path` replaced by `nv` (in place for aggregates). */
export function setAt(v: Val, path: number[], nv: Val, i = 0): Val {
  if (i >= path.length) return nv;
  let agg = v;
  if (agg.k === 'moved') agg = agg.inner;
  if (agg.k !== 'agg') {
    // Writing a field of an uninit/unknown aggregate: materialise a partial aggregate (of an
    // unknown one, the other parts and the length stay unknown).
    agg = agg.k === 'unknown' ? { k: 'agg', fields: [], partial: true } : { k: 'agg', fields: [] };
  }
  if (agg.fields.length <= path[i]) checkElems(path[i] + 1 - agg.fields.length, `a write at index ${path[i]}`);
  const hole = agg.partial ? unknownVal() : UNINIT;
  while (agg.fields.length <= path[i]) agg.fields.push(hole);
  agg.fields[path[i]] = setAt(agg.fields[path[i]], path, nv, i + 1);
  return agg;
}

/** True when the value (or a part of it) has been moved out. */
export function hasMovedPart(v: Val, depth = 0): boolean {
  if (depth > 16) return false;
  if (v.k === 'moved') return true;
  if (v.k === 'agg') return v.fields.some((f) => hasMovedPart(f, depth + 1));
  return false;
}

// --- small helpers

/** Heap block id as the protocol writes it: `heap:3`. */
export const heapId = (id: number): string => `heap:${id}`;

/** The byte a value holds (`?` = 0x3f when unknown). */
export function byteOf(v: Val): number {
  return v.k === 'int' ? Number(v.v) & 0xff : 0x3f;
}

/** A float as Rust's `Display` prints it (`1.0`, `0.5`). */
export function floatText(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  return String(x);
}
