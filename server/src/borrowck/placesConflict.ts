/**
 * Whether a borrow of one place and an access to another may touch the same memory: rustc_borrowck
 * `places_conflict.rs` (`borrow_conflicts_with_place`), over our MIR's projections.
 *
 * The two places are compared projection by projection from their common local: different fields
 * of a struct (or different variants, or different constant indices) are disjoint; two indices
 * may overlap; a deref continues. When the borrow is longer than the access, the access's depth
 * decides: a shallow access (assignment, StorageDead) does not reach behind a deref of the
 * borrowed path, a drop does not reach behind a `&mut`, a deep access reaches everything.
 */
import type { Body, Place, ProjectionElem } from '../mir/mir';
import type { Ty } from '../hir/ty';
import { derefKindAt, prefixTys } from './places';

/** How deep an access reaches (rustc `AccessDepth`). */
export type AccessDepth = 'shallow' | 'deep' | 'drop';

/**
 * Whether two indices may denote the same element: `overlap` for checking accesses (be
 * conservative: an unknown index may be any), `noOverlap` for killing loans (only a definite
 * conflict kills).
 */
export type ConflictBias = 'overlap' | 'noOverlap';

type Overlap = 'disjoint' | 'equalOrDisjoint' | 'arbitrary';

const NO_UNIONS: ReadonlySet<string> = new Set();

function elemConflict(a: ProjectionElem, b: ProjectionElem, baseIsUnion: boolean, bias: ConflictBias): Overlap {
  if (a.kind === 'deref' && b.kind === 'deref') return 'equalOrDisjoint';
  if (a.kind === 'field' && b.kind === 'field') return a.index === b.index ? 'equalOrDisjoint' : baseIsUnion ? 'arbitrary' : 'disjoint';
  if (a.kind === 'downcast' && b.kind === 'downcast') return a.index === b.index ? 'equalOrDisjoint' : 'disjoint';
  // rustc `place_projection_conflict`: an `Index` (our index expressions, constant or not)
  // against any index or subslice is the same element or another when checking (the rest of the
  // places decides), and no definite conflict when killing loans (issue-62007: `list[0] = n`
  // does not kill a loan of `list[0].value`).
  const anyIndex = (e: ProjectionElem) => e.kind === 'index' || (e.kind === 'constantIndex' && e.expr);
  const indexLike = (e: ProjectionElem) => e.kind === 'index' || e.kind === 'constantIndex' || e.kind === 'subslice';
  if ((anyIndex(a) && indexLike(b)) || (anyIndex(b) && indexLike(a))) return bias === 'overlap' ? 'equalOrDisjoint' : 'disjoint';
  if (a.kind === 'constantIndex' && b.kind === 'constantIndex') {
    if (!!a.fromEnd === !!b.fromEnd) return a.offset === b.offset ? 'equalOrDisjoint' : 'disjoint';
    // One from the start, one from the end, in a slice at least as long as both patterns need.
    const [start, end] = a.fromEnd ? [b, a] : [a, b];
    const min = Math.max(a.minLength ?? 0, b.minLength ?? 0);
    if (min === 0) return 'arbitrary';
    return start.offset >= min - end.offset ? 'equalOrDisjoint' : 'disjoint';
  }
  if (a.kind === 'subslice' || b.kind === 'subslice') {
    // rustc: a constant index and a subslice (or two subslices) overlap unless the index is
    // outside the subslice's range.
    const [sub, other] = a.kind === 'subslice' ? [a, b] : [b, a];
    if (sub.kind !== 'subslice') return 'arbitrary';
    if (other.kind === 'constantIndex') {
      if (!other.fromEnd && !sub.fromEnd) return other.offset >= sub.from && other.offset < sub.to ? 'equalOrDisjoint' : 'disjoint';
      if (!other.fromEnd) return other.offset >= sub.from ? 'equalOrDisjoint' : 'disjoint';
      if (sub.fromEnd) return other.offset > sub.to ? 'equalOrDisjoint' : 'disjoint';
      return 'arbitrary';
    }
    if (other.kind === 'subslice' && !other.fromEnd && !sub.fromEnd)
      return other.from >= sub.to || sub.from >= other.to ? 'disjoint' : 'equalOrDisjoint';
    return 'equalOrDisjoint';
  }
  if ((a.kind === 'index' || a.kind === 'constantIndex') && (b.kind === 'index' || b.kind === 'constantIndex'))
    return bias === 'overlap' ? 'arbitrary' : 'disjoint';
  // Mismatched projections (our MIR is not always as uniform as rustc's): they cannot be told
  // apart, so they may overlap when checking and are not a definite conflict when killing.
  return bias === 'overlap' ? 'arbitrary' : 'disjoint';
}

/** The projection without `downcast` steps, which our MIR does not always write on both sides. */
function withoutDowncasts(p: Place): { local: number; projection: ProjectionElem[]; origIndex: number[] } {
  const projection: ProjectionElem[] = [];
  const origIndex: number[] = [];
  p.projection.forEach((e, i) => {
    if (e.kind !== 'downcast') {
      projection.push(e);
      origIndex.push(i);
    }
  });
  return { local: p.local, projection, origIndex };
}

/**
 * Does an access of `access` (at `depth`) touch memory that the borrow of `borrowed` covers?
 * (rustc `place_components_conflict`.) `unions`: names of the file's unions, whose fields overlap.
 */
export function placesConflict(
  body: Body,
  borrowed: Place,
  access: Place,
  depth: AccessDepth,
  bias: ConflictBias = 'overlap',
  unions: ReadonlySet<string> = NO_UNIONS,
  /** Whether a type has a `Drop` impl of the file's (for drops: its destructor reaches every field). */
  hasDtor: (t: Ty) => boolean = () => false,
): boolean {
  if (borrowed.local !== access.local) return false;
  const b = withoutDowncasts(borrowed);
  const a = withoutDowncasts(access);
  const btys = prefixTys(body, borrowed);
  for (let i = 0; i < a.projection.length; i++) {
    if (i >= b.projection.length) return true; // the access is inside the borrowed place
    const baseTy = btys[b.origIndex[i]];
    const isUnion = baseTy.kind === 'adt' && !baseTy.std && unions.has(baseTy.name);
    const o = elemConflict(b.projection[i], a.projection[i], isUnion, bias);
    if (o === 'disjoint') return false;
    if (o === 'arbitrary') return true;
  }
  // The borrow is longer than (or equal to) the access: it covers a part of the accessed place.
  for (let i = a.projection.length; i < b.projection.length; i++) {
    const e = b.projection[i];
    // A destructor can read and write any field, behind references too (rustc: a `Field` of an
    // ADT with a destructor conflicts with a drop "regardless of further projections").
    if (depth === 'drop' && e.kind === 'field' && hasDtor(btys[b.origIndex[i]])) return true;
    if (e.kind !== 'deref') continue;
    if (depth === 'shallow') return false; // a shallow access does not reach behind the pointer
    if (depth === 'drop' && derefKindAt(btys, b.origIndex[i]) === 'mut') return false; // dropping a `&mut` does not touch its target
  }
  return true;
}
