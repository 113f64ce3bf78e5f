/**
 * Size limits on types. A type is a tree whose subtrees may be shared (`fn f<T>(x: T) -> (T, T)`
 * called on its own result doubles the tree at each call, while the shared graph grows by one
 * node): walks that see the tree (printing, layout, substitution) would take exponential time.
 * rustc interns types (`Ty<'tcx>` is a pointer into an arena), so shared subterms cost nothing;
 * here inference keeps the sharing (`InferCx.zonk` memoises) and refuses types whose tree has
 * more than `MAX_TY_PARTS` parts: they become unknown ("too complex"), and the analysis moves on.
 */
import type { Ty } from './ty';

/** Largest type tree (nodes, shared subtrees counted each time they appear) the analysis keeps. */
export const MAX_TY_PARTS = 4096;

/** The children of a type node. */
function children(t: Ty): readonly Ty[] {
  switch (t.kind) {
    case 'ref':
    case 'rawptr':
      return [t.inner];
    case 'tuple':
      return t.elems;
    case 'array':
    case 'slice':
      return [t.elem];
    case 'adt':
      return t.args;
    case 'fn':
      return [...t.params, t.ret];
    default:
      return [];
  }
}

/**
 * The number of nodes of `t` as a tree, or `cap + 1` once it exceeds `cap`. Linear in the size of
 * the shared graph (sizes are memoised by node identity; pass one `memo` to several calls with
 * the same `cap` to share it).
 */
export function tyTreeSize(t: Ty, cap = MAX_TY_PARTS, memo = new Map<Ty, number>()): number {
  const go = (x: Ty, depth: number): number => {
    const m = memo.get(x);
    if (m !== undefined) return m;
    if (depth > 256) return cap + 1;
    let n = 1;
    for (const c of children(x)) {
      n += go(c, depth + 1);
      if (n > cap) break;
    }
    n = Math.min(n, cap + 1);
    memo.set(x, n);
    return n;
  };
  return go(t, 0);
}

/** How many times a `boundedTyQuery` stopped at its depth bound (shared: a cut anywhere below makes an answer depth-dependent). */
let tyQueryCuts = 0;

/**
 * One step of a query on types memoised by the type object (types are never changed once made,
 * and inference shares their parts: `InferCx.zonk`), bounded in depth: past `maxDepth` levels it
 * answers `cut` without looking. An answer that saw such a cut depends on the depth it was asked
 * at, so it is kept only for the type asked about directly (`depth` 0); the others are kept for
 * any depth. `compute` answers for `t`, asking about its parts at `depth + 1`. `memo` is the
 * caller's (per file's ADT table, since user types decide the answers).
 */
export function boundedTyQuery<R>(memo: WeakMap<Ty, R>, t: Ty, depth: number, maxDepth: number, cut: R, compute: () => R): R {
  const known = memo.get(t);
  if (known !== undefined) return known;
  if (depth > maxDepth) {
    tyQueryCuts++;
    return cut;
  }
  const before = tyQueryCuts;
  const r = compute();
  if (depth === 0 || before === tyQueryCuts) memo.set(t, r);
  return r;
}
