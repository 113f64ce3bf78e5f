/**
 * The few type facts the interpreter needs: is a type Copy, does it own resources, how many bytes
 * does it take (x86_64), which std container is it. Copy comes from `hir/std.ts` and sizes from
 * `layout/layout.ts`: one rule each for the whole engine.
 */
import type { AdtDef } from '../hir/hir';
import type { Ty } from '../hir/ty';
import { layoutOf } from '../layout/layout';
import { derefTy as stdDerefTy, isCopy } from '../std/facts';

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

/**
 * True when values of `t` are copied, not moved, by a use: the engine's one Copy rule
 * (`hir/std.ts` `isCopy`). Unknown Copy-ness counts as not Copy here, so the simulation still
 * tracks the value's ownership (borrowck, by contrast, stays silent on unknown types).
 */
export function isCopyTy(t: Ty, adts: ReadonlyMap<string, AdtDef>): boolean {
  return isCopy(t, adts as Map<string, AdtDef>) === true;
}

/** Size and alignment in bytes on x86_64, or null when not known. */
export interface SizeAlign {
  size: number;
  align: number;
}

/** Layout of `t` from the engine's one layout implementation (`layout/layout.ts`), or null. */
export function sizeAlignOf(t: Ty, adts: ReadonlyMap<string, AdtDef>): SizeAlign | null {
  const l = layoutOf(t, adts as Map<string, AdtDef>);
  return l ? { size: l.size, align: l.align } : null;
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
  return stdDerefTy(t) ?? { kind: 'unknown', reason: 'deref of a type the engine does not model' };
}
