/**
 * The few type facts the interpreter needs: is a type Copy, does it own resources, how many bytes
 * does it take (x86_64), which std container is it. Sizes come from `layout/layout.ts`
 * (`layoutOf`) when that module knows the type; the small fallback here covers scalars, pointers
 * and the std containers so the interpreter never depends on another module's completeness.
 *
 * Rules: Copy follows the Rust reference ("Special types and traits: Copy"): scalars, shared
 * references, raw pointers, fn items, tuples/arrays of Copy, user ADTs that derive or impl Copy.
 * Sizes follow rustc's x86_64 layouts (`String`/`Vec` = 24, `Box`/`Rc`/`&T` = 8, `&str` = 16).
 */
import type { AdtDef } from '../hir/hir';
import type { Ty } from '../hir/ty';
import { layoutOf } from '../layout/layout';

/** Std types whose values own a heap allocation (their handle is an `own` value). */
export type OwnKind = 'String' | 'Vec' | 'Box' | 'Rc' | 'Arc' | 'Weak' | 'HashMap' | 'VecDeque' | 'BTreeMap' | 'HashSet';

const OWN_KINDS: ReadonlySet<string> = new Set(['String', 'Vec', 'Box', 'Rc', 'Arc', 'Weak', 'HashMap', 'VecDeque', 'BTreeMap', 'HashSet']);

/** Last path segment of an ADT name (`std::rc::Rc` → `Rc`). */
export function baseName(name: string): string {
  const i = name.lastIndexOf('::');
  return i >= 0 ? name.slice(i + 2) : name;
}

/** The owning std container a type is, or null (`Rc<RefCell<T>>` → `Rc`). */
export function ownKind(t: Ty): OwnKind | null {
  if (t.kind !== 'adt') return null;
  const n = baseName(t.name);
  if (!OWN_KINDS.has(n)) return null;
  // `rc::Weak` and `sync::Weak` are both modelled as Weak.
  return n as OwnKind;
}

/** True when values of `t` are copied, not moved, by a use. Unknown types: false (moves are tracked). */
export function isCopyTy(t: Ty, adts: ReadonlyMap<string, AdtDef>, depth = 0): boolean {
  if (depth > 32) return false;
  switch (t.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'never':
    case 'rawptr':
    case 'fn':
      return true;
    case 'ref':
      return !t.mutable;
    case 'tuple':
      return t.elems.every((e) => isCopyTy(e, adts, depth + 1));
    case 'array':
      return isCopyTy(t.elem, adts, depth + 1);
    case 'adt': {
      if (t.std) {
        const n = baseName(t.name);
        if (n === 'Option') return t.args.length === 1 && isCopyTy(t.args[0], adts, depth + 1);
        if (n === 'Range' || n === 'RangeInclusive') return false;
        return n === 'Ordering' || n === 'PhantomData' || n === 'Duration';
      }
      const def = adts.get(t.name);
      if (!def) return false;
      return def.derives.includes('Copy') || def.implsCopy;
    }
    default:
      return false;
  }
}

/** Size and alignment in bytes on x86_64, or null when not known. */
export interface SizeAlign {
  size: number;
  align: number;
}

const INT_SIZES: Record<string, number> = { i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, i64: 8, u64: 8, i128: 16, u128: 16, isize: 8, usize: 8 };

type LayoutFn = (ty: Ty, adts: ReadonlyMap<string, AdtDef>) => { size: number; align: number } | null;
let externalLayout: LayoutFn | null = (ty, adts) => layoutOf(ty, adts as Map<string, AdtDef>);

/** Replaces the layout provider (default: `layout/layout.ts`'s `layoutOf`); null = fallback only. */
export function setLayoutProvider(fn: LayoutFn | null): void {
  externalLayout = fn;
}

/** Layout of `t`: `layoutOf` when plugged in and it knows the type, else a small fallback. */
export function sizeAlignOf(t: Ty, adts: ReadonlyMap<string, AdtDef>, depth = 0): SizeAlign | null {
  if (externalLayout) {
    try {
      const l = externalLayout(t, adts);
      if (l) return { size: l.size, align: l.align };
    } catch {
      /* fall back */
    }
  }
  if (depth > 32) return null;
  switch (t.kind) {
    case 'int': {
      const s = INT_SIZES[t.name];
      return { size: s, align: Math.min(s, 16) };
    }
    case 'float':
      return t.name === 'f32' ? { size: 4, align: 4 } : { size: 8, align: 8 };
    case 'bool':
      return { size: 1, align: 1 };
    case 'char':
      return { size: 4, align: 4 };
    case 'never':
      return { size: 0, align: 1 };
    case 'ref':
    case 'rawptr': {
      const inner = t.inner;
      const fat = inner.kind === 'str' || inner.kind === 'slice' || (inner.kind === 'opaque' && inner.dyn);
      return { size: fat ? 16 : 8, align: 8 };
    }
    case 'fn':
      return { size: t.name ? 0 : 8, align: t.name ? 1 : 8 };
    case 'tuple': {
      // rustc may reorder fields; total size is the same as sorting by alignment descending.
      let size = 0;
      let align = 1;
      const parts: SizeAlign[] = [];
      for (const e of t.elems) {
        const l = sizeAlignOf(e, adts, depth + 1);
        if (!l) return null;
        parts.push(l);
      }
      parts.sort((a, b) => b.align - a.align);
      for (const p of parts) {
        size = Math.ceil(size / p.align) * p.align + p.size;
        align = Math.max(align, p.align);
      }
      return { size: Math.ceil(size / align) * align, align };
    }
    case 'array': {
      if (t.len === null) return null;
      const l = sizeAlignOf(t.elem, adts, depth + 1);
      return l ? { size: l.size * t.len, align: l.align } : null;
    }
    case 'adt': {
      const n = baseName(t.name);
      if (t.std) {
        switch (n) {
          case 'String':
          case 'Vec':
            return { size: 24, align: 8 };
          case 'Box':
          case 'Rc':
          case 'Arc':
          case 'Weak': {
            const inner = t.args[0];
            const fat = inner && (inner.kind === 'str' || inner.kind === 'slice' || (inner.kind === 'opaque' && inner.dyn));
            return { size: fat ? 16 : 8, align: 8 };
          }
          case 'Option': {
            const inner = t.args[0];
            if (!inner) return null;
            const k = ownKind(inner);
            if (inner.kind === 'ref' || k === 'Box' || k === 'Rc' || k === 'Arc' || k === 'String' || k === 'Vec') return sizeAlignOf(inner, adts, depth + 1);
            const l = sizeAlignOf(inner, adts, depth + 1);
            if (!l) return null;
            if (inner.kind === 'bool' || inner.kind === 'char') return l;
            const size = Math.ceil((l.size + l.align) / l.align) * l.align;
            return { size, align: l.align };
          }
          case 'Cell':
            return t.args[0] ? sizeAlignOf(t.args[0], adts, depth + 1) : null;
          case 'RefCell': {
            const l = t.args[0] ? sizeAlignOf(t.args[0], adts, depth + 1) : null;
            if (!l) return null;
            const align = Math.max(8, l.align);
            return { size: Math.ceil((8 + l.size) / align) * align, align };
          }
          case 'HashMap':
          case 'HashSet':
            return { size: 48, align: 8 };
          default:
            return null;
        }
      }
      return null;
    }
    default:
      return null;
  }
}

/** Size in bytes or null. */
export function sizeOf(t: Ty, adts: ReadonlyMap<string, AdtDef>): number | null {
  return sizeAlignOf(t, adts)?.size ?? null;
}

/** The element type of a String (`u8`), Vec<T>/VecDeque<T> (`T`), Box/Rc/Arc<T> (`T`). */
export function elemTyOf(t: Ty): Ty {
  if (t.kind === 'adt') {
    if (baseName(t.name) === 'String') return { kind: 'int', name: 'u8' };
    if (t.args[0]) return t.args[0];
  }
  if (t.kind === 'array' || t.kind === 'slice') return t.elem;
  if (t.kind === 'ref' || t.kind === 'rawptr') return t.inner;
  return { kind: 'unknown', reason: 'element type not known' };
}

/** The type a place of type `t` dereferences to (`&T`, `Box<T>`, `Rc<T>` → `T`, `String` → `str`). */
export function derefTy(t: Ty): Ty {
  if (t.kind === 'ref' || t.kind === 'rawptr') return t.inner;
  if (t.kind === 'adt') {
    const n = baseName(t.name);
    if (n === 'String') return { kind: 'str' };
    if (n === 'Vec') return { kind: 'slice', elem: t.args[0] ?? { kind: 'unknown' } };
    if (t.args[0]) return t.args[0];
  }
  return { kind: 'unknown', reason: 'deref of a type the engine does not model' };
}
