/**
 * Type layouts for x86_64-unknown-linux-gnu: size, alignment, field offsets, niches and enum
 * tags, computed the way rustc computes them so hovers can say "24 bytes, align 8"; and the
 * bytes of the heap blocks std types allocate (`heapBlockBytes`, one formula per heap shape).
 *
 * Source of the rules: rustc's layout calculator, `compiler/rustc_abi/src/layout.rs`
 * (`LayoutCalculator::univariant`, `univariant_biased`, `layout_of_struct_or_enum`,
 * `layout_of_enum`, `Niche::reserve`) and `compiler/rustc_ty_utils/src/layout.rs` (which std types
 * have which representation). The algorithm is ported, not approximated: field reordering with
 * the start/end niche bias, niche-filling vs tagged enum layouts (the smaller wins, then the one
 * with the larger niche, else tagged), tag widening to the first field's alignment. Std types
 * come from the std registry (`std/`): most are laid out from their Rust definition
 * (`Option`, `RefCell`, `Mutex`, `RcInner`...) like user types; those whose internals are private
 * (String, Vec, HashMap, ...) carry a fixed layout, checked against rustc 1.95 by
 * `test/layout/layout.test.ts`, which compiles a program of `size_of`/`align_of`/`offset_of!`
 * and compares.
 *
 * Unknown is never guessed: `layoutOf` returns null for unknown/param/opaque types, closures
 * whose captures it is not given (`ClosureCaptures`),
 * unsized types (`str`, `[T]`, `dyn Trait`), std types not in the table, enums with uninhabited
 * variants, and anything nested deeper than a fixed bound (recursive types without indirection).
 *
 * Units: bytes. Offsets are from the start of the value.
 */
import { displayTy, substitute, type Ty, type IntName } from '../hir/ty';
import type { AdtDef } from '../hir/hir';
import { heapShape, stdAdtDef, stdType, stdTypeOf } from '../std/registry';
import { heapElemTy, heapUnitTy } from '../std/facts';
import { BTREE_CAPACITY } from '../std/btree';

// --- public shapes

/** Invalid bit-patterns of one scalar that enclosing enums can use to store their tag. */
export interface Niche {
  /** Byte offset of the scalar inside the value. */
  offset: number;
  /** Size of the scalar in bytes (1 for bool, 4 for char, 8 for pointers). */
  size: number;
  /** How many invalid values are left (rustc `Niche::available`): bool 254, &T 1, char 2^32-0x110000. */
  available: bigint;
}

export interface FieldLayout {
  /** Field name; tuple fields and tuple-struct fields are `0`, `1`, ... */
  name: string;
  /** Byte offset after rustc's field reordering. */
  offset: number;
  size: number;
}

export interface VariantLayout {
  name: string;
  /** Bytes the variant's fields occupy including the tag prefix (before padding to the enum). */
  size: number;
  /** Fields in declaration order with their offsets inside the enum. */
  fields: FieldLayout[];
}

export interface Layout {
  /** Bytes, a multiple of `align` (what `std::mem::size_of` returns). */
  size: number;
  /** Bytes, a power of two (`std::mem::align_of`). */
  align: number;
  /** Struct, tuple and std-container fields, in declaration order, with rustc's offsets. */
  fields?: FieldLayout[];
  /** The largest niche (rustc `largest_niche`), absent when the type has none. */
  niche?: Niche;
  /** Enums (and Option/Result): one entry per variant, declaration order. */
  variants?: VariantLayout[];
  /**
   * Where the enum stores which variant it is: `direct` is a tag integer, `niche` reuses invalid
   * values of a field of the largest variant (so `Option<&T>` stays 8 bytes).
   */
  tag?: { offset: number; size: number; encoding: 'direct' | 'niche' };
  /** True for types with no values (`!`, empty enums). */
  uninhabited?: boolean;
}

// --- primitives

const INT_SIZE: Record<IntName, number> = {
  i8: 1,
  u8: 1,
  i16: 2,
  u16: 2,
  i32: 4,
  u32: 4,
  i64: 8,
  u64: 8,
  i128: 16,
  u128: 16,
  isize: 8,
  usize: 8,
};
/** x86_64 data layout: i128/u128 are 16-aligned since rustc 1.77 (LLVM 18). */
const INT_ALIGN: Record<IntName, number> = { ...INT_SIZE };

const PTR = 8;
const scalar = (size: number, align = size): Layout => ({ size, align });
const pointer = (nonNull: boolean): Layout =>
  nonNull ? { size: PTR, align: PTR, niche: { offset: 0, size: PTR, available: 1n } } : { size: PTR, align: PTR };
/** `&str`, `&[T]`, `&dyn Trait`, `Box<str>`...: data pointer + length/vtable; niche on the data pointer. */
const fatPointer = (nonNull: boolean): Layout => ({
  size: 2 * PTR,
  align: PTR,
  ...(nonNull ? { niche: { offset: 0, size: PTR, available: 1n } } : {}),
});

/** Bound on type nesting; deeper means a recursive type without indirection (E0072) or junk. */
const MAX_DEPTH = 48;

/**
 * The layout of `ty` on x86_64, or null when the engine does not know it exactly.
 * `adts` are the file's structs/enums by name (`FileHir.adts`); std types are modelled here.
 * Never throws.
 */
export function layoutOf(ty: Ty, adts: Map<string, AdtDef>, closures?: ClosureCaptures): Layout | null {
  try {
    return layoutCx(adts, closures).layout(ty, 0);
  } catch {
    return null;
  }
}

/**
 * One layout context per file's ADT table (and closure captures), kept while the table lives:
 * its memo is shared by every `layoutOf` of an analysis, so the locals of a frame with deeply
 * nested types (`Option<Option<..>>` a hundred levels deep) are not laid out from scratch each.
 */
const layoutCxs = new WeakMap<Map<string, AdtDef>, LayoutCx>();
const layoutCxsWithClosures = new WeakMap<ClosureCaptures, LayoutCx>();

function layoutCx(adts: Map<string, AdtDef>, closures?: ClosureCaptures): LayoutCx {
  const kept = closures ? layoutCxsWithClosures.get(closures) : layoutCxs.get(adts);
  if (kept && kept.adts === adts) return kept;
  const cx = new LayoutCx(adts, closures);
  if (closures) layoutCxsWithClosures.set(closures, cx);
  else layoutCxs.set(adts, cx);
  return cx;
}

/**
 * The types a closure stores, by closure id (Ty `closure.id`), or undefined when not known: a
 * closure is laid out as a struct of its captures (rustc `ty::Closure` → its upvars' tuple,
 * reorderable like a tuple struct), so `move || s.len()` with `s: String` is 24 bytes and
 * `|| x + 1` borrowing `x` is 8.
 */
export type ClosureCaptures = (id: number) => Ty[] | undefined;

/** The capture types of the file's closures from their MIR bodies (mir `Body.closure.upvars`: locals `1..=upvars`). */
export function closureCapturesOf(
  bodies: ReadonlyMap<string, { closureId?: number; closure?: { upvars: number }; locals: { ty: Ty }[] }>,
): ClosureCaptures {
  let byId: Map<number, Ty[]> | undefined;
  return (id) => {
    if (!byId) {
      byId = new Map();
      for (const b of bodies.values())
        if (b.closureId !== undefined && b.closure !== undefined)
          byId.set(
            b.closureId,
            b.locals.slice(1, 1 + b.closure.upvars).map((l) => l.ty),
          );
    }
    return byId.get(id);
  };
}

/**
 * What a pointer-like value points to, for hovers and the memory panel, from the std registry's
 * heap shapes (`std/types.ts` `HeapShape`):
 * - buffers (`String`, `Vec<T>`, `VecDeque<T>`): `{ kind: 'elements', elem }` — bytes = capacity × size_of::<elem>().
 * - `Box<T>`: `{ kind: 'single', layout: T }`.
 * - `Rc<T>` / `Arc<T>` / `Weak<T>`: `{ kind: 'single', layout: RcInner<T> }` — strong and weak
 *   counts (8 bytes each) followed by `T` (std's `#[repr(C)] struct RcInner { strong, weak, value }`).
 * - `&T` / `&mut T` / `*const T`: the pointee `T` when sized.
 * Null when the type owns no heap block of a shape known without a simulation (hash tables and
 * B-trees: their size depends on how many entries they hold).
 */
export function layoutOfPointee(
  ty: Ty,
  adts: Map<string, AdtDef>,
): { kind: 'elements'; elem: Ty; elemLayout: Layout } | { kind: 'single'; pointee: Ty; layout: Layout } | null {
  if (ty.kind === 'ref' || ty.kind === 'rawptr') {
    const l = layoutOf(ty.inner, adts);
    return l ? { kind: 'single', pointee: ty.inner, layout: l } : null;
  }
  if (ty.kind !== 'adt' || !isStdAdt(ty, adts)) return null;
  const shape = stdTypeOf(ty)?.heap;
  if (!shape) return null;
  const elem = heapElemTy(ty);
  switch (shape.kind) {
    case 'buffer': {
      const elemLayout = layoutOf(elem, adts);
      return elemLayout ? { kind: 'elements', elem, elemLayout } : null;
    }
    case 'box':
    case 'counted':
    case 'weak': {
      const l = layoutOf(heapUnitTy(ty.name, elem), adts);
      return l ? { kind: 'single', pointee: elem, layout: l } : null;
    }
    default:
      return null;
  }
}

/**
 * Bytes of a heap block allocated by the std owner `kind` (an owning std type's name) with
 * element type `elem` (`std/facts.ts` `heapElemTy`), by its heap shape:
 * - buffer: `cap` × size_of::<elem>() (RawVec);
 * - box: size_of::<elem>(); counted / weak: size_of::<RcInner<elem>>() (24 for `Rc<u8>`);
 * - table (hashbrown `TableLayout::calculate_layout_for`): `buckets` × slot size rounded up to
 *   max(align, 16), plus one control byte per bucket and one 16-byte group (`Group::WIDTH`, SSE2);
 * - btree: one `LeafNode` while `len` ≤ 11 (more nodes are not modelled: null); 0 when empty
 *   and never allocated (`cap` 0).
 * Null when a layout is unknown.
 */
export function heapBlockBytes(
  kind: string,
  elem: Ty,
  n: { cap: number; len: number; buckets?: number },
  adts: Map<string, AdtDef>,
): number | null {
  const shape = heapShape(kind);
  if (!shape) return null;
  const el = layoutOf(elem, adts);
  switch (shape.kind) {
    case 'buffer':
      return el ? el.size * n.cap : null;
    case 'box':
      return el ? el.size : null;
    case 'counted':
    case 'weak':
      return layoutOf(heapUnitTy(kind, elem), adts)?.size ?? null;
    case 'table': {
      if (!el || n.buckets === undefined) return null;
      const groupWidth = 16;
      return alignTo(el.size * n.buckets, Math.max(el.align, groupWidth)) + n.buckets + groupWidth;
    }
    case 'btree': {
      if (n.len > BTREE_CAPACITY) return null;
      return layoutOf(heapUnitTy(kind, elem), adts)?.size ?? null;
    }
  }
}

// --- repr

interface Repr {
  c: boolean;
  /** `#[repr(u8)]` etc. on enums. */
  int: IntName | null;
  pack: number | null;
  align: number | null;
  transparent: boolean;
}
const DEFAULT_REPR: Repr = { c: false, int: null, pack: null, align: null, transparent: false };

function parseRepr(attrs: string[]): Repr | null {
  const r: Repr = { ...DEFAULT_REPR };
  for (const raw of attrs) {
    for (const part of raw.split(',')) {
      const a = part.trim();
      if (!a) continue;
      if (a === 'C') r.c = true;
      else if (a === 'transparent') r.transparent = true;
      else if ((INT_SIZE as Record<string, number>)[a] !== undefined) r.int = a as IntName;
      else if (a === 'packed') r.pack = 1;
      else {
        const m = /^(packed|align)\s*\(\s*(\d+)\s*\)$/.exec(a);
        if (!m) return null; // simd or something we do not model
        const n = Number(m[2]);
        if (!(n > 0) || (n & (n - 1)) !== 0) return null;
        if (m[1] === 'packed') r.pack = n;
        else r.align = Math.max(r.align ?? 1, n);
      }
    }
  }
  return r;
}

// --- the calculator

type NicheBias = 'start' | 'end';
/** rustc `StructKind`: `Prefixed` reserves room for an enum tag before the fields. */
type Prefix = { size: number; align: number } | null;

interface Univariant {
  size: number;
  align: number;
  /** Offsets by field index (declaration order). */
  offsets: number[];
  niche?: Niche;
}

const alignTo = (n: number, a: number): number => Math.ceil(n / a) * a;
const trailingZeros = (n: number): number => {
  let z = 0;
  while (n > 0 && n % 2 === 0 && z < 64) {
    n /= 2;
    z++;
  }
  return z;
};
const is1Zst = (l: Layout): boolean => l.size === 0 && l.align === 1;

function isStdAdt(ty: Ty & { kind: 'adt' }, adts: Map<string, AdtDef>): boolean {
  return ty.std === true || !adts.has(ty.name);
}

class LayoutCx {
  /** Memo by type text: shared sub-types are computed once (no exponential blow-up). */
  private readonly memo = new Map<string, Layout | null>();
  /** Memo by type object, asked first: a type met again costs no type text (which is as long as the type). */
  private readonly byTy = new WeakMap<Ty, Layout | null>();

  constructor(
    readonly adts: Map<string, AdtDef>,
    private readonly closures?: ClosureCaptures,
  ) {}

  layout(ty: Ty, depth: number): Layout | null {
    if (depth > MAX_DEPTH) return null;
    if (ty.kind !== 'adt' && ty.kind !== 'tuple' && ty.kind !== 'array') return this.layoutUncached(ty, depth);
    const seen = this.byTy.get(ty);
    if (seen !== undefined) return seen && cloneLayout(seen);
    const key = displayTy(ty);
    // Two closures print alike (`closure`): a type holding one is not memoised by its text.
    if (key.includes('closure')) return this.layoutUncached(ty, depth);
    const hit = this.memo.get(key);
    if (hit !== undefined) {
      this.byTy.set(ty, hit);
      return hit && cloneLayout(hit);
    }
    const l = this.layoutUncached(ty, depth);
    // A null found only because of the depth bound must not be cached for shallower uses.
    if (l || depth === 0) {
      this.memo.set(key, l);
      this.byTy.set(ty, l);
    }
    return l && cloneLayout(l);
  }

  private layoutUncached(ty: Ty, depth: number): Layout | null {
    switch (ty.kind) {
      case 'int':
        return scalar(INT_SIZE[ty.name], INT_ALIGN[ty.name]);
      case 'float':
        return scalar(ty.name === 'f32' ? 4 : 8);
      case 'bool':
        return { size: 1, align: 1, niche: { offset: 0, size: 1, available: 254n } };
      case 'char':
        return { size: 4, align: 4, niche: { offset: 0, size: 4, available: (1n << 32n) - 0x110000n } };
      case 'never':
        return { size: 0, align: 1, uninhabited: true };
      case 'str':
      case 'slice':
        return null; // unsized
      case 'ref':
      case 'rawptr': {
        const sized = this.isSized(ty.inner, depth + 1);
        if (sized === null) return null;
        return sized ? pointer(ty.kind === 'ref') : fatPointer(ty.kind === 'ref');
      }
      case 'fn':
        // A named fn item is a zero-sized type; a fn pointer is a non-null pointer.
        return ty.name ? { size: 0, align: 1 } : pointer(true);
      case 'tuple': {
        const elems = this.layouts(ty.elems, depth);
        if (!elems) return null;
        // rustc lays tuples out as `StructKind::MaybeUnsized` (the last element may be an
        // unsized tail): the last element is never moved and no end-biased retry is made.
        return this.structLayout(
          elems,
          ty.elems.map((_, i) => String(i)),
          DEFAULT_REPR,
          false,
          ty.elems.length > 0,
        );
      }
      case 'array': {
        if (ty.len === null || !Number.isSafeInteger(ty.len) || ty.len < 0) return null;
        const e = this.layout(ty.elem, depth + 1);
        if (!e) return null;
        const size = e.size * ty.len;
        if (!Number.isSafeInteger(size)) return null;
        const out: Layout = { size, align: e.align };
        if (e.niche && ty.len > 0) out.niche = { ...e.niche };
        if (e.uninhabited && ty.len > 0) out.uninhabited = true;
        return out;
      }
      case 'adt':
        return isStdAdt(ty, this.adts) ? this.stdLayout(ty.name, ty.args, depth) : this.adtLayout(this.adts.get(ty.name)!, ty.args, depth);
      case 'closure': {
        const captures = this.closures?.(ty.id);
        if (!captures) return null;
        const fields = this.layouts(captures, depth);
        if (!fields) return null;
        return this.structLayout(
          fields,
          captures.map((_, i) => String(i)),
          DEFAULT_REPR,
          false,
        );
      }
      default:
        return null; // param, opaque, infer, unknown
    }
  }

  private layouts(tys: Ty[], depth: number): Layout[] | null {
    const out: Layout[] = [];
    for (const t of tys) {
      const l = this.layout(t, depth + 1);
      if (!l) return null;
      out.push(l);
    }
    return out;
  }

  /** Sizedness (rustc `Sized`), null when unknown. */
  isSized(ty: Ty, depth: number): boolean | null {
    if (depth > MAX_DEPTH) return null;
    switch (ty.kind) {
      case 'str':
      case 'slice':
        return false;
      case 'opaque':
        return !ty.dyn;
      case 'param':
        return ty.bounds?.some((b) => b.replace(/\s/g, '') === '?Sized') ? null : true; // implicit `T: Sized`
      case 'unknown':
      case 'infer':
        return null;
      case 'adt': {
        if (isStdAdt(ty, this.adts)) return (stdType(ty.name, ty.args.length) ?? stdType(ty.name))?.layout ? true : null;
        const def = this.adts.get(ty.name)!;
        if (def.kind !== 'struct' || def.fields.length === 0) return true;
        const last = def.fields[def.fields.length - 1].ty;
        return this.isSized(substitute(last, genericMap(def, ty.args)), depth + 1);
      }
      case 'tuple':
        return ty.elems.length === 0 ? true : this.isSized(ty.elems[ty.elems.length - 1], depth + 1);
      default:
        return true;
    }
  }

  // --- user ADTs

  private adtLayout(def: AdtDef, args: Ty[], depth: number): Layout | null {
    const repr = parseRepr(def.repr);
    if (!repr) return null;
    if (args.length !== def.generics.length) return null;
    const map = genericMap(def, args);
    if (def.kind === 'union') {
      const fields = this.layouts(
        def.fields.map((f) => substitute(f.ty, map)),
        depth,
      );
      if (!fields || fields.length === 0) return null;
      let align = repr.pack ? 1 : 1;
      let size = 0;
      for (const f of fields) {
        align = Math.max(align, repr.pack ? Math.min(f.align, repr.pack) : f.align);
        size = Math.max(size, f.size);
      }
      if (repr.align) align = Math.max(align, repr.align);
      size = alignTo(size, align);
      return { size, align, fields: def.fields.map((f, i) => ({ name: f.name, offset: 0, size: fields[i].size })) };
    }
    if (def.kind === 'struct') {
      const fields = this.layouts(
        def.fields.map((f) => substitute(f.ty, map)),
        depth,
      );
      if (!fields) return null;
      return this.structLayout(
        fields,
        def.fields.map((f) => f.name),
        repr,
        false,
      );
    }
    // enum
    const variants: { name: string; fields: Layout[]; names: string[] }[] = [];
    for (const v of def.variants) {
      const fields = this.layouts(
        v.fields.map((f) => substitute(f.ty, map)),
        depth,
      );
      if (!fields) return null;
      variants.push({ name: v.name, fields, names: v.fields.map((f) => f.name) });
    }
    const discrs: bigint[] = [];
    let next = 0n;
    for (const v of def.variants) {
      const d = v.discriminant !== undefined && Number.isSafeInteger(v.discriminant) ? BigInt(v.discriminant) : next;
      discrs.push(d);
      next = d + 1n;
    }
    return this.enumLayout(variants, discrs, repr);
  }

  /** A struct (or tuple, or a variant laid out alone): rustc `layout_of_struct`. */
  private structLayout(fields: Layout[], names: string[], repr: Repr, hideNiche: boolean, maybeUnsized = false): Layout | null {
    const u = this.univariant(fields, repr, null, maybeUnsized);
    const out: Layout = {
      size: u.size,
      align: u.align,
      fields: names.map((name, i) => ({ name, offset: u.offsets[i], size: fields[i].size })),
    };
    if (u.niche && !hideNiche) out.niche = u.niche;
    if (fields.some((f) => f.uninhabited)) out.uninhabited = true;
    return out;
  }

  /** rustc `LayoutCalculator::univariant`: the start-biased layout, or the end-biased one when its niche sits closer to an edge. */
  univariant(fields: Layout[], repr: Repr, prefix: Prefix, maybeUnsized = false): Univariant {
    const layout = this.univariantBiased(fields, repr, prefix, 'start', maybeUnsized);
    if (layout.niche && !maybeUnsized) {
      const head = layout.niche.offset;
      const tail = layout.size - head - layout.niche.size;
      if (fields.length > 1 && head !== 0 && tail > 0) {
        const alt = this.univariantBiased(fields, repr, prefix, 'end', false);
        const altHead = alt.niche!.offset;
        if (altHead > head && altHead > tail) return alt;
      }
    }
    return layout;
  }

  /** rustc `univariant_biased`: sort fields (unless repr(C)/repr(int)), then place them in order. */
  private univariantBiased(fields: Layout[], repr: Repr, prefix: Prefix, bias: NicheBias, maybeUnsized: boolean): Univariant {
    const pack = repr.pack;
    // Only `optimizing` (all fields but an unsizable tail) is sorted.
    const end = maybeUnsized ? fields.length - 1 : fields.length;
    const optimizing = fields.slice(0, end).map((_, i) => i);
    const optimize = !(repr.c || repr.int !== null);
    if (optimize && fields.length > 1) {
      const head = fields.slice(0, end);
      const maxFieldAlign = Math.max(1, ...head.map((f) => f.align));
      const largestNiche = head.reduce((m, f) => (f.niche && f.niche.available > m ? f.niche.available : m), 0n);
      const groupKey = (f: Layout): number => {
        if (pack !== null) return Math.min(f.align, pack);
        const sizeAsAlign = trailingZeros(Math.max(f.align, f.size));
        if (largestNiche > 0n) {
          const nicheSize = f.niche?.available ?? 0n;
          if (bias === 'start') return Math.min(trailingZeros(maxFieldAlign), sizeAsAlign);
          if (nicheSize === largestNiche) return trailingZeros(f.align);
          return sizeAsAlign;
        }
        return sizeAsAlign;
      };
      type Key = [number, bigint, bigint];
      const keyOf = (i: number): Key => {
        const f = fields[i];
        const nicheSize = f.niche?.available ?? 0n;
        // Prefixed (enum variants after the tag): ascending alignment, largest niche last.
        if (prefix) return [groupKey(f), nicheSize, 0n];
        const nicheKey = bias === 'start' ? -nicheSize : nicheSize;
        const innerKey = !f.niche ? 0n : bias === 'start' ? BigInt(f.niche.offset) : -BigInt(f.size - f.niche.size - f.niche.offset) - 1n; // !x as a u64 sorts like -x-1
        // Sorted ascending: Reverse(alignment group) first.
        return [-groupKey(f), nicheKey, innerKey];
      };
      const keys = fields.map((_, i) => keyOf(i));
      optimizing.sort((a, b) => {
        const ka = keys[a];
        const kb = keys[b];
        if (ka[0] !== kb[0]) return ka[0] - kb[0];
        if (ka[1] !== kb[1]) return ka[1] < kb[1] ? -1 : 1;
        if (ka[2] !== kb[2]) return ka[2] < kb[2] ? -1 : 1;
        return 0; // Array.prototype.sort is stable, like Rust's sort_by_key
      });
    }
    const order = maybeUnsized ? [...optimizing, fields.length - 1] : optimizing;
    let align = 1;
    let offset = 0;
    if (prefix) {
      const pa = pack !== null ? Math.min(prefix.align, pack) : prefix.align;
      align = Math.max(align, pa);
      offset = alignTo(prefix.size, pa);
    }
    const offsets = new Array<number>(fields.length).fill(0);
    let niche: Niche | undefined;
    let nicheAvail = 0n;
    for (const i of order) {
      const f = fields[i];
      const fa = pack !== null ? Math.min(f.align, pack) : f.align;
      offset = alignTo(offset, fa);
      align = Math.max(align, fa);
      offsets[i] = offset;
      if (f.niche) {
        const avail = f.niche.available;
        const prefer = bias === 'start' ? avail > nicheAvail : avail >= nicheAvail;
        if (prefer) {
          nicheAvail = avail;
          niche = { offset: f.niche.offset + offset, size: f.niche.size, available: avail };
        }
      }
      offset += f.size;
    }
    if (repr.align !== null) align = Math.max(align, repr.align);
    return { size: alignTo(offset, align), align, offsets, ...(niche ? { niche } : {}) };
  }

  /** rustc `layout_of_struct_or_enum` for enums (and Option/Result). */
  enumLayout(variants: { name: string; fields: Layout[]; names: string[] }[], discrs: bigint[], repr: Repr): Layout | null {
    if (repr.pack !== null) return null;
    // Uninhabited variants change which variants count ("absent"); not modelled.
    if (variants.some((v) => v.fields.some((f) => f.uninhabited))) return null;
    if (variants.length === 0) return { size: 0, align: 1, uninhabited: true, variants: [] };
    const inhibitOpt = repr.c || repr.int !== null;
    if (variants.length === 1 && !inhibitOpt) {
      const v = variants[0];
      const st = this.structLayout(v.fields, v.names, repr, false)!;
      return { ...st, fields: undefined, variants: [{ name: v.name, size: st.size, fields: st.fields! }] };
    }

    // Niche-filling candidate.
    type Tmp = { size: number; align: number; niche?: Niche; variants: VariantLayout[]; tag: Layout['tag'] };
    const nicheFilling = ((): Tmp | null => {
      if (inhibitOpt || variants.length < 2) return null;
      let align = 1;
      const vls = variants.map((v) => {
        const u = this.univariant(v.fields, repr, null);
        align = Math.max(align, u.align);
        return u;
      });
      let largest = 0;
      vls.forEach((u, i) => {
        if (u.size >= vls[largest].size) largest = i; // max_by_key keeps the last maximum
      });
      const needsDisc = variants.map((_, i) => i !== largest);
      const first = needsDisc.indexOf(true);
      const last = needsDisc.lastIndexOf(true);
      const count = BigInt(last - first + 1);
      const niche = vls[largest].niche;
      if (!niche || count > niche.available) return null;
      const size = alignTo(vls[largest].size, align);
      const shifted: number[] = vls.map(() => 0);
      const sizes = vls.map((u) => u.size);
      for (let i = 0; i < vls.length; i++) {
        if (i === largest) continue;
        const u = vls[i];
        if (u.size <= niche.offset) continue;
        const off = alignTo(niche.offset + niche.size, u.align);
        if (off + u.size > size) return null;
        shifted[i] = off;
        sizes[i] = u.size + off;
      }
      return {
        size,
        align,
        niche: { offset: niche.offset, size: niche.size, available: niche.available - count },
        tag: { offset: niche.offset, size: niche.size, encoding: 'niche' },
        variants: variants.map((v, i) => ({
          name: v.name,
          size: sizes[i],
          fields: v.names.map((name, j) => ({ name, offset: vls[i].offsets[j] + shifted[i], size: v.fields[j].size })),
        })),
      };
    })();

    // Tagged candidate.
    let min = discrs[0];
    let max = discrs[0];
    for (const d of discrs) {
      if (d < min) min = d;
      if (d > max) max = d;
    }
    const minIty = discrInteger(min, max, repr);
    if (minIty === null) return null;
    let prefixAlign = minIty;
    if (repr.c) for (const v of variants) for (const f of v.fields) prefixAlign = Math.max(prefixAlign, f.align);
    let startAlign = 256;
    let size = 0;
    let align = 1;
    const tvs = variants.map((v) => {
      const u = this.univariant(v.fields, repr, { size: minIty, align: prefixAlign });
      const byOffset = v.fields.map((_, j) => j).sort((a, b) => u.offsets[a] - u.offsets[b]);
      for (const j of byOffset) {
        if (!is1Zst(v.fields[j])) {
          startAlign = Math.min(startAlign, v.fields[j].align);
          break;
        }
      }
      size = Math.max(size, u.size);
      align = Math.max(align, u.align);
      return u;
    });
    size = alignTo(size, align);
    let ity = repr.c || repr.int !== null ? minIty : startAlign <= 16 ? startAlign : minIty;
    if (ity <= minIty) ity = minIty;
    else {
      for (const u of tvs) {
        u.offsets = u.offsets.map((o) => (o <= minIty ? ity : o));
        if (u.size <= minIty) u.size = ity;
      }
    }
    const tagBits = BigInt(ity * 8);
    const tagged: Tmp = {
      size,
      align,
      niche: { offset: 0, size: ity, available: (1n << tagBits) - (max - min + 1n) },
      tag: { offset: 0, size: ity, encoding: 'direct' },
      variants: variants.map((v, i) => ({
        name: v.name,
        size: tvs[i].size,
        fields: v.names.map((name, j) => ({ name, offset: tvs[i].offsets[j], size: v.fields[j].size })),
      })),
    };
    let best = tagged;
    if (nicheFilling) {
      const tn = tagged.niche?.available ?? 0n;
      const nn = nicheFilling.niche?.available ?? 0n;
      if (tagged.size > nicheFilling.size || (tagged.size === nicheFilling.size && tn < nn)) best = nicheFilling;
    }
    const out: Layout = { size: best.size, align: best.align, variants: best.variants, tag: best.tag };
    if (best.niche && best.niche.available > 0n) out.niche = best.niche;
    return out;
  }

  // --- std

  /** A std type's layout from its registry entry (`std/types.ts` `LayoutSpec`). */
  private stdLayout(name: string, args: Ty[], depth: number): Layout | null {
    const info = stdType(name, args.length) ?? stdType(name);
    const spec = info?.layout;
    if (!info || !spec) return null;
    const arg0 = args[0];
    if (spec === 'pointer') {
      if (!arg0) return null;
      const sized = this.isSized(arg0, depth + 1);
      if (sized === null) return null;
      return sized ? pointer(true) : fatPointer(true);
    }
    if (spec === 'unsafe-cell') {
      // UnsafeCell hides the niches of its contents (rustc `is_special_no_niche`).
      if (!arg0) return null;
      const inner = this.layout(arg0, depth + 1);
      if (!inner) return null;
      return { size: inner.size, align: inner.align, fields: [{ name: 'value', offset: 0, size: inner.size }] };
    }
    if (spec === 'def') {
      const def = stdAdtDef(info.name);
      return def ? this.adtLayout(def, args, depth) : null;
    }
    return {
      size: spec.size,
      align: spec.align,
      ...(spec.fields ? { fields: spec.fields.map((f) => ({ ...f })) } : {}),
      ...(spec.niche ? { niche: { ...spec.niche } } : {}),
    };
  }
}

function genericMap(def: AdtDef, args: Ty[]): Map<string, Ty> {
  const m = new Map<string, Ty>();
  def.generics.forEach((g, i) => {
    if (args[i]) m.set(g, args[i]);
  });
  return m;
}

/**
 * Smallest integer (bytes) holding the discriminant range (rustc `Integer::repr_discr`):
 * at least i32 for `repr(C)` (x86_64 `c_enum_min_size`), exactly the `repr(int)` type when given.
 */
function discrInteger(min: bigint, max: bigint, repr: Repr): number | null {
  if (repr.int) return INT_SIZE[repr.int];
  const fits = (bytes: number): boolean => {
    const bits = BigInt(bytes * 8);
    return min >= 0n ? max < 1n << bits : min >= -(1n << (bits - 1n)) && max < 1n << (bits - 1n);
  };
  const atLeast = repr.c ? 4 : 1;
  for (const b of [1, 2, 4, 8, 16]) if (b >= atLeast && fits(b)) return b;
  return null;
}

function cloneLayout(l: Layout): Layout {
  return {
    ...l,
    ...(l.fields ? { fields: l.fields.map((f) => ({ ...f })) } : {}),
    ...(l.niche ? { niche: { ...l.niche } } : {}),
    ...(l.variants ? { variants: l.variants.map((v) => ({ ...v, fields: v.fields.map((f) => ({ ...f })) })) } : {}),
    ...(l.tag ? { tag: { ...l.tag } } : {}),
  };
}

/**
 * Is `ty` Sized? False for `str`, `[T]`, `dyn Trait` and structs ending in one; true for other
 * known types (generic parameters are implicitly `Sized`); null when unknown. Decides thin (8
 * bytes) vs fat (16 bytes) pointers.
 */
export function isSized(ty: Ty, adts: Map<string, AdtDef>): boolean | null {
  try {
    return new LayoutCx(adts).isSized(ty, 0);
  } catch {
    return null;
  }
}
