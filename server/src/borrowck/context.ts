/**
 * What the borrow checker of one body knows about the rest of the program: the file's ADTs (for
 * Drop impls, unions and lifetime parameters), the edition, and the type questions every part of
 * the checker asks (does a type carry borrows, does dropping it use them).
 */
import type { AdtDef } from '../hir/hir';
import type { Ty } from '../hir/ty';
import { displayTy, substitute } from '../hir/ty';
import type { Body } from '../mir/mir';
import { stdLifetimeCount, stdTypeOf } from '../std/registry';
import { boundedTyQuery } from '../hir/tySize';

import type { Edition } from '../hir/hir';

export type { Edition };

export interface BorrowckCx {
  body: Body;
  adts: ReadonlyMap<string, AdtDef>;
  /** Names of the file's unions (their fields overlap). */
  unions: ReadonlySet<string>;
  edition: Edition;
  /**
   * Drops of values that are certainly moved out or uninitialised do nothing (rustc's drop
   * elaboration): set by the move analysis, read by liveness (such a drop uses no borrow).
   */
  deadDrops?: ReadonlySet<object>;
}

export function makeCx(body: Body, adts: ReadonlyMap<string, AdtDef>, edition: Edition = '2021'): BorrowckCx {
  const unions = new Set<string>();
  for (const a of adts.values()) if (a.kind === 'union') unions.add(a.name);
  return { body, adts, unions, edition };
}

/**
 * Can a value of type `t` hold a borrow (a region in rustc's terms)? References, ADTs with
 * lifetime parameters, std containers of such, closures (their captures may be references),
 * borrowing iterators and guards. Unknown types, generic parameters, raw pointers and fn pointers
 * cannot, as far as the checker is concerned: precision first (a borrow the checker does not see
 * flow can only make it quieter).
 */
export function hasRegions(cx: BorrowckCx, t: Ty, depth = 0): boolean {
  // By the type object, per file's ADTs: the checker asks for every operand, and the types of a
  // body share their parts (`InferCx.zonk`); bounded in depth (`boundedTyQuery`).
  let memo = HAS_REGIONS.get(cx.adts);
  if (!memo) HAS_REGIONS.set(cx.adts, (memo = new WeakMap()));
  return boundedTyQuery(memo, t, depth, 24, false, () => hasRegionsUncached(cx, t, depth));
}

const HAS_REGIONS = new WeakMap<ReadonlyMap<string, AdtDef>, WeakMap<Ty, boolean>>();

function hasRegionsUncached(cx: BorrowckCx, t: Ty, depth: number): boolean {
  switch (t.kind) {
    case 'ref':
      return true;
    case 'closure':
      return true;
    case 'opaque':
      // An `impl Trait` or a `dyn Trait` may capture borrows, unless bounded `'static`
      // (`impl FnOnce() + Send + 'static`: it holds nothing shorter).
      return !/\+\s*'static\b/.test(t.text);
    case 'tuple':
      return t.elems.some((e) => hasRegions(cx, e, depth + 1));
    case 'array':
    case 'slice':
      return hasRegions(cx, t.elem, depth + 1);
    case 'adt': {
      if (t.std) return stdLifetimeCount(t) > 0 || !!t.regions?.length || t.args.some((a) => hasRegions(cx, a, depth + 1));
      const def = cx.adts.get(t.name);
      if (!def) return false;
      return def.lifetimes.length > 0 || t.args.some((a) => hasRegions(cx, a, depth + 1));
    }
    case 'unknown':
      return t.reason === 'iterator';
    default:
      return false;
  }
}

/**
 * Does dropping a value of type `t` use the borrows it holds (rustc's drop-liveness, with
 * `#[may_dangle]` on std's containers)? Only a user type with a `Drop` impl that can hold a
 * borrow (directly or as a field or element of what is dropped), and std's borrow guards
 * (`StdTypeDef.dropUsesBorrow`: `Ref`, `RefMut`, lock guards), whose drop releases the borrow,
 * and trait objects (`Box<dyn Foo + 'a>`: the erased type's drop may use its borrows).
 */
export function dropUsesRegions(cx: BorrowckCx, t: Ty, depth = 0): boolean {
  if (depth > 24) return false;
  switch (t.kind) {
    case 'tuple':
      return t.elems.some((e) => dropUsesRegions(cx, e, depth + 1));
    case 'array':
      return dropUsesRegions(cx, t.elem, depth + 1);
    case 'adt': {
      if (t.std) {
        if (stdTypeOf(t)?.dropUsesBorrow) return true;
        return t.args.some((a) => dropUsesRegions(cx, a, depth + 1));
      }
      const def = cx.adts.get(t.name);
      if (!def) return false;
      if (def.hasDropImpl && hasRegions(cx, t, depth + 1)) return true;
      // Once per instantiation: recursive types (`enum Content { Seq(Vec<Content>), .. }`) would
      // otherwise be walked once per path to them. A type being walked counts as false: its own
      // fields decide.
      const memo = dropMemo(cx);
      const key = displayTy(t);
      const known = memo.get(key);
      if (known !== undefined) return known;
      memo.set(key, false);
      const subst = new Map(def.generics.map((g, i) => [g, t.args[i] ?? ({ kind: 'unknown' } as Ty)]));
      const fields = def.kind === 'enum' ? def.variants.flatMap((v) => v.fields) : def.fields;
      const r = fields.some((f) => f.ty.kind !== 'ref' && dropUsesRegions(cx, substitute(f.ty, subst), depth + 1));
      memo.set(key, r);
      return r;
    }
    case 'opaque':
      // A trait object's drop runs the erased type's drop glue, which may use what it
      // borrows (rustc: `dyn Trait` needs its region live at the drop).
      return !!t.dyn;
    default:
      return false;
  }
}

const DROP_MEMO = new WeakMap<BorrowckCx, Map<string, boolean>>();

function dropMemo(cx: BorrowckCx): Map<string, boolean> {
  let m = DROP_MEMO.get(cx);
  if (!m) DROP_MEMO.set(cx, (m = new Map()));
  return m;
}

/** Does `t` implement Drop itself (a user type with `impl Drop`)? */
export function hasDropImpl(cx: BorrowckCx, t: Ty): boolean {
  return t.kind === 'adt' && !t.std && !!cx.adts.get(t.name)?.hasDropImpl;
}
