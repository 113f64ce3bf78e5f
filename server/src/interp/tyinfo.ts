/**
 * The few type facts the interpreter needs, each from its one source: Copy from the std facts
 * (`std/facts.ts` `isCopy`), sizes from `layout/layout.ts`, which std types own a heap block and
 * of what (`OwnKind`, `ownKind`, `elemTyOf`) from the std registry.
 */
import type { AdtDef } from '../hir/hir';
import type { Ty } from '../hir/ty';
import type { Val } from './memory';
import { layoutOf, type ClosureCaptures } from '../layout/layout';
import { derefTy as stdDerefTy, heapElemTy, isCopy } from '../std/facts';
import { isHeapOwner, stdNameOf, type OwnKind } from '../std/registry';

export type { OwnKind } from '../std/registry';

/** Last path segment of an ADT name (`std::rc::Rc` → `Rc`; registry names such as `sync::Weak` stay whole). */
export function baseName(name: string): string {
  return stdNameOf(name);
}

/** The owning std container a type is, or null (`Rc<RefCell<T>>` → `Rc`). */
export function ownKind(t: Ty): OwnKind | null {
  if (t.kind !== 'adt') return null;
  const n = baseName(t.name);
  return isHeapOwner(n) ? n : null;
}

/**
 * True when values of `t` are copied, not moved, by a use: the engine's one Copy rule
 * (`std/facts.ts` `isCopy`). Unknown Copy-ness counts as not Copy here, so the simulation still
 * tracks the value's ownership (borrowck, by contrast, stays silent on unknown types).
 */
export function isCopyTy(t: Ty, adts: ReadonlyMap<string, AdtDef>): boolean {
  return isCopy(t, adts) === true;
}

/** Size and alignment in bytes on x86_64, or null when not known. */
export interface SizeAlign {
  size: number;
  align: number;
}

/**
 * Sizes already asked, by the file's ADTs, the closures' captures and the type object (the
 * simulation runs on finished MIR, whose types no longer change): each replay of a run asks again
 * for every frame's locals, and a type nested 500 deep (`Some(Some(…))`) costs its depth squared
 * to lay out.
 */
const sizeCache = new WeakMap<ReadonlyMap<string, AdtDef>, WeakMap<object, WeakMap<Ty, SizeAlign | null>>>();
const noClosures = {};

/** Layout of `t` from the engine's one layout implementation (`layout/layout.ts`), or null; `closures` gives closures' capture types. */
export function sizeAlignOf(t: Ty, adts: ReadonlyMap<string, AdtDef>, closures?: ClosureCaptures): SizeAlign | null {
  let byClosures = sizeCache.get(adts);
  if (!byClosures) sizeCache.set(adts, (byClosures = new WeakMap()));
  const ck = closures ?? noClosures;
  let byTy = byClosures.get(ck);
  if (!byTy) byClosures.set(ck, (byTy = new WeakMap()));
  const hit = byTy.get(t);
  if (hit !== undefined) return hit && { ...hit };
  const l = layoutOf(t, adts as Map<string, AdtDef>, closures);
  const sa = l ? { size: l.size, align: l.align } : null;
  byTy.set(t, sa);
  return sa && { ...sa };
}

/** Size in bytes or null. */
export function sizeOf(t: Ty, adts: ReadonlyMap<string, AdtDef>): number | null {
  return sizeAlignOf(t, adts)?.size ?? null;
}

/** The element type of an owning std value's block (`String` → `u8`, `Vec<T>`/`Rc<T>` → `T`), of an array or slice, or a pointer's pointee. */
export function elemTyOf(t: Ty): Ty {
  if (t.kind === 'adt' && ownKind(t)) return heapElemTy(t);
  if (t.kind === 'adt' && t.args[0]) return t.args[0];
  if (t.kind === 'array' || t.kind === 'slice') return t.elem;
  if (t.kind === 'ref' || t.kind === 'rawptr') return t.inner;
  return { kind: 'unknown', reason: 'element type not known' };
}

/** The type a place of type `t` dereferences to (`&T`, `Box<T>`, `Rc<T>` → `T`, `String` → `str`). */
export function derefTy(t: Ty): Ty {
  return stdDerefTy(t) ?? { kind: 'unknown', reason: 'deref of a type the engine does not model' };
}

/**
 * The type of the value a value's own bytes hold, read from the value when its declared type
 * does not say it: the concrete type behind a `dyn Trait` (`Box<dyn Debug>` holding a `u8`:
 * `u8`), `[T; n]` for the `n` elements behind a `[T]` or `str` (`Rc<str>` of 3 bytes: `[u8; 3]`).
 * The declared type otherwise, and `unknown` when the value does not tell (a float behind a
 * `dyn`: f32 or f64; a generic struct: its arguments).
 */
export function valueTyOf(v: Val | undefined, declared: Ty, depth = 0): Ty {
  if (declared.kind === 'slice' || declared.kind === 'str') {
    const elem: Ty = declared.kind === 'str' ? { kind: 'int', name: 'u8' } : declared.elem;
    return v && v.k === 'agg' && v.variant === undefined ? { kind: 'array', elem, len: v.fields.length } : unknownTy;
  }
  if (declared.kind !== 'opaque' || !declared.dyn) return declared;
  return concreteTyOf(v, depth);
}

const unknownTy: Ty = { kind: 'unknown', reason: 'the concrete type behind the pointer is not known' };

function concreteTyOf(v: Val | undefined, depth: number): Ty {
  if (!v || depth > 8) return unknownTy;
  switch (v.k) {
    case 'int':
      return v.ty ? { kind: 'int', name: v.ty } : unknownTy;
    case 'bool':
      return { kind: 'bool' };
    case 'char':
      return { kind: 'char' };
    case 'agg':
      if (v.closure) return unknownTy;
      if (v.adt) return { kind: 'adt', name: v.adt, args: [] };
      if (v.variant !== undefined) return unknownTy;
      if (v.array) return v.fields.length ? { kind: 'array', elem: concreteTyOf(v.fields[0], depth + 1), len: v.fields.length } : unknownTy;
      return { kind: 'tuple', elems: v.fields.map((f) => concreteTyOf(f, depth + 1)) };
    default:
      return unknownTy;
  }
}
