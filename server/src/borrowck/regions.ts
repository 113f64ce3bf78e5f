/**
 * Regions, NLL-style (rustc_borrowck `region_infer` + `type_check`): which locals each loan can
 * flow into, and so at which points the loan's region contains a point.
 *
 * Every local has one region set (we do not separate the regions inside one type). Assigning a
 * value that can hold borrows makes the destination's region contain the source's (a subset
 * constraint, location-insensitive as in NLL): `r = &x` puts the loan in `r`; `y = r`, a struct
 * or closure built from `r`, a call whose signature ties its result to `r` (`hir/lifetimes.ts`)
 * receive it too; `v.push(&x)` puts it in `v`. A reborrow `&*r` or `&r.f` also keeps what `r`
 * holds (rustc's reborrow constraints, and the well-formedness of `&'a T` needing `T: 'a`).
 *
 * A loan's region contains a point when a local it flows into is live there (`Liveness`), or
 * everywhere when it flows into a region that outlives the body: an argument that can hold
 * borrows (the caller's regions), or the return place. Together with the borrows dataflow (a loan
 * leaves scope at the first point outside its region), this is NLL's answer.
 */
import type { AggregateKind, Body, Operand, Place, Statement, Terminator } from '../mir/mir';
import { storedThroughMutFields } from '../hir/lifetimes';
import { containsUnknown, isUnknown, type Ty } from '../hir/ty';
import { forEachLocation, statementOperands, terminatorOperands } from '../mir/visit';
import { BitSet } from './bitset';
import type { BorrowSet } from './borrowSet';
import { hasRegions, type BorrowckCx } from './context';
import { stdLifetimeCount } from '../std/registry';
import { inIntervals, unionIntervals, type Liveness } from './impls/liveness';
import { placeTy } from './places';
import type { Location } from '../mir/visit';
import type { Span } from '../base/span';

/** Why a loan's region outlives the body. */
export type Escape = { kind: 'return' } | { kind: 'argument'; local: number } | { kind: 'static' };

export class Regions {
  /** Subset edges: `edges[a]` holds the locals whose region contains `a`'s. */
  private readonly edges: Set<number>[];
  /** For locals holding a reference made by `&p`: the locals `p` is rooted at. */
  readonly referents: Map<number, Set<number>>;
  /** Locals whose regions outlive the body (arguments that can hold borrows, and `_0` when the result can). */
  readonly universal: BitSet;
  private readonly loanLocals: (BitSet | undefined)[] = [];
  /** The strongly connected components of the subset edges, and each one's region once computed (`regionOf`). */
  private sccs?: Sccs;
  /** Region values by content (`universal`, or the points), so that equal regions are one object. */
  private readonly interned = new Map<string, RegionValue>();
  /** Locals passed where a `'static` value is required (`thread::spawn(f)`). */
  readonly staticSinks: BitSet;
  /** The locals passed to a call whose bound needs them `'static` (`thread::spawn(f)`), with the call's span. */
  readonly staticArgs = new Map<number, Span>();

  constructor(
    readonly cx: BorrowckCx,
    readonly borrows: BorrowSet,
    readonly liveness: Liveness,
  ) {
    const body = cx.body;
    const n = body.locals.length;
    this.edges = Array.from({ length: n }, () => new Set<number>());
    this.referents = computeReferents(body);
    this.universal = new BitSet(n);
    this.staticSinks = new BitSet(n);
    for (let l = 1; l <= body.argCount && l < n; l++) if (hasRegions(cx, body.locals[l].ty)) this.universal.add(l);
    // A `let` annotation whose every region is `'static` or a lifetime parameter of the fn
    // (`let (y, _): (&'static u32, u32) = (&x, 44)`, `let y: &'a u32 = &c`): what the value
    // holds must outlive the body (rustc's user type annotations; a named lifetime in scope of a
    // body is one of its universal regions).
    for (const a of body.ascriptions ?? []) {
      if (a.local > body.argCount && a.local < n && onlyUniversalRegions(cx, a.ty, body.locals[a.local].ty)) {
        this.universal.add(a.local);
        this.staticSinks.add(a.local);
      }
    }
    // A copy of a value whose type is `Copy` only for `'static` lifetimes (`impl Copy for
    // Foo<'static>`): what it holds must be `'static` (the `Copy` bound's region requirement).
    forEachLocation(body, (x, _loc, isTerminator) => {
      const ops = isTerminator ? terminatorOperands(x as Terminator) : statementOperands(x as Statement);
      for (const o of ops)
        if (o.kind === 'copy' && o.place.projection.length === 0 && this.copyNeedsStatic(o.place.local)) {
          this.universal.add(o.place.local);
          this.staticSinks.add(o.place.local);
        }
    });
    // The return place outlives the body when its type can hold a borrow, or may (an associated
    // type, `impl Trait`): only borrows that really reach it make a difference.
    const ret = body.locals[0]?.ty;
    if (ret && (hasRegions(cx, ret) || ret.kind === 'unknown' || ret.kind === 'opaque')) this.universal.add(0);
    this.collectEdges();
  }

  /** Whether a local's type is a struct or enum of the file that is `Copy` only with `'static` lifetimes. */
  private copyNeedsStatic(local: number): boolean {
    const t = this.cx.body.locals[local]?.ty;
    const def = t?.kind === 'adt' && !t.std ? this.cx.adts.get(t.name) : undefined;
    const rs = def?.copyImplRegions;
    return !!def && !!rs && rs.length === def.lifetimes.length && rs.every((r) => r === "'static");
  }

  private edge(from: number, to: number): void {
    if (from !== to && from >= 0 && to >= 0 && from < this.edges.length && to < this.edges.length) this.edges[from].add(to);
  }

  /** `src`'s region flows into the destination place's local (and, through a deref, into what it points to). */
  private flowInto(src: number, dest: Place): void {
    this.edge(src, dest.local);
    if (dest.projection.some((e) => e.kind === 'deref')) for (const r of this.referents.get(dest.local) ?? []) this.edge(src, r);
  }

  private operandFlows(o: Operand, dest: Place, destTy?: Ty): void {
    if (o.kind === 'constant') return;
    // Into a value that cannot hold a borrow (a raw pointer, an integer) nothing flows.
    const dt = destTy ?? placeTy(this.cx.body, dest);
    if (!isVague(dt) && !hasRegions(this.cx, dt)) return;
    // A whole local copied or moved is the same value: it keeps its borrows even when its type
    // is not known (an iterator whose type the inference lost still borrows its collection). A
    // part of it (`*r`, `s.f`) carries borrows only when its type can hold one.
    const st = placeTy(this.cx.body, o.place);
    if (!hasRegions(this.cx, st) && !(o.place.projection.length === 0 && isVague(st))) return;
    // A value read through a reference (`copy (*r).next`) holds what the referent holds, not the
    // reference's own loan: its type names the referent's regions (`Option<&'a T>` out of
    // `&'r mut St<'a>`), not `'r`.
    const local = o.place.local;
    const refs = this.referents.get(local);
    if (o.place.projection[0]?.kind === 'deref' && this.cx.body.locals[local]?.ty.kind === 'ref' && refs?.size)
      for (const r of refs) this.flowInto(r, dest);
    else this.flowInto(local, dest);
  }

  /**
   * A struct built with a `&mut` field and a field sharing the lifetime behind it
   * (`S { p: &mut p, y: &y }` with `p: &'a mut &'b i32, y: &'b i32`): what the other field
   * holds may be stored where the `&mut` points (`hir/lifetimes.ts` `storedThroughMutFields`).
   */
  private storesThroughMutFields(agg: AggregateKind, operands: Operand[]): void {
    if (agg.kind !== 'adt') return;
    const adt = this.cx.adts.get(agg.adt);
    const fields = agg.variant ? adt?.variants.find((v) => v.name === agg.variant)?.fields : adt?.fields;
    if (!adt || !fields || !adt.lifetimes.length) return;
    const tys = agg.fieldNames.map((n) => fields.find((f) => f.name === n)?.ty ?? ({ kind: 'unknown', reason: 'field' } as Ty));
    const lifetimes = (name: string): number => this.cx.adts.get(name)?.lifetimes.length ?? 0;
    for (const r of storedThroughMutFields(tys, lifetimes)) {
      const from = operands[r.from];
      const into = operands[r.into];
      if (!from || !into || from.kind === 'constant' || into.kind === 'constant' || into.place.projection.length) continue;
      const refs = this.referents.get(into.place.local);
      if (!refs?.size) continue;
      const sources = r.via === 'value' ? [from.place.local] : [...(this.referents.get(from.place.local) ?? [])];
      for (const src of sources) for (const t of refs) this.edge(src, t);
    }
  }

  private collectEdges(): void {
    const body = this.cx.body;
    forEachLocation(body, (x) => {
      if (x.kind === 'assign') {
        const rv = x.rvalue;
        switch (rv.kind) {
          case 'ref':
          case 'addressOf':
            if (rv.kind === 'ref') {
              this.flowInto(rv.place.local, x.place);
              // `let ref z: &'static T = y`: the borrowed value itself must be `'static`.
              const dt = body.locals[x.place.local]?.ty;
              if (
                x.place.projection.length === 0 &&
                body.locals[x.place.local]?.kind === 'user' &&
                dt?.kind === 'ref' &&
                mentionsStatic(dt.inner)
              ) {
                this.universal.add(rv.place.local);
                this.staticSinks.add(rv.place.local);
              }
            }
            return;
          case 'use':
          case 'repeat':
            this.operandFlows(rv.operand, x.place);
            return;
          case 'cast':
            this.operandFlows(rv.operand, x.place, rv.ty);
            return;
          case 'aggregate':
            for (const o of rv.operands) this.operandFlows(o, x.place);
            this.storesThroughMutFields(rv.agg, rv.operands);
            return;
          default:
            return;
        }
      }
      if (x.kind === 'call' && x.borrows) {
        const argLocal = (i: number): number | undefined => {
          const o = x.args[i];
          return o && o.kind !== 'constant' ? o.place.local : undefined;
        };
        for (const r of x.borrows.result) {
          const a = argLocal(r.arg);
          if (a === undefined) continue;
          // A result built from the argument's items holds their borrows only when its type,
          // fully known, can (`Vec<&str>`); an unknown one is not guessed at.
          if (r.built) {
            const dt = placeTy(body, x.dest);
            if (isUnknown(dt) || containsUnknown(dt) || !hasRegions(this.cx, dt)) continue;
          }
          if (r.via === 'value') this.flowInto(a, x.dest);
          else {
            const refs = this.referents.get(a);
            if (refs?.size) for (const t of refs) this.flowInto(t, x.dest);
            else this.flowInto(a, x.dest);
          }
        }
        for (const i of x.borrows.static ?? []) {
          // Only a whole local passed as it is: a field read (`self.name`) is a part whose
          // regions the local's one region cannot tell apart, and a `&&'static str` passed to a
          // `&'static str` is dereferenced by a coercion the MIR does not show.
          const o = x.args[i];
          const ot = o && o.kind !== 'constant' ? placeTy(body, o.place) : undefined;
          if (!o || o.kind === 'constant' || o.place.projection.length || (ot?.kind === 'ref' && ot.inner.kind === 'ref')) continue;
          const a = argLocal(i);
          if (a !== undefined) {
            this.universal.add(a);
            this.staticSinks.add(a);
            if (!this.staticArgs.has(a)) this.staticArgs.set(a, x.span);
          }
        }
        // An argument that must outlive the body (a fn pointer's parameter naming a lifetime of
        // the caller): a whole local passed as it is (a reborrow temporary) gets a universal region.
        for (const i of x.borrows.outlive ?? []) {
          const o = x.args[i];
          if (o && o.kind !== 'constant' && o.place.projection.length === 0) this.universal.add(o.place.local);
        }
        for (const r of x.borrows.into) {
          const from = argLocal(r.from);
          const into = argLocal(r.into);
          if (from === undefined || into === undefined) continue;
          const o = x.args[r.from];
          if (o.kind !== 'constant' && !hasRegions(this.cx, placeTy(body, o.place))) continue;
          // What flows: the argument itself, or (for a reference argument) only what it points to.
          const sources = r.via === 'value' ? [from] : [...(this.referents.get(from) ?? [])];
          const refs = this.referents.get(into);
          for (const src of sources) {
            if (r.via === 'referent') {
              const st = body.locals[src]?.ty;
              if (!st || !hasRegions(this.cx, st)) continue;
            }
            if (refs?.size) for (const t of refs) this.edge(src, t);
            else this.edge(src, into);
          }
        }
      }
    });
  }

  /** The locals whose regions contain `local`'s (it and every local its value flows into). */
  reach(local: number): BitSet {
    const set = new BitSet(this.edges.length);
    const stack = [local];
    set.add(local);
    while (stack.length) {
      const a = stack.pop()!;
      for (const b of this.edges[a]) {
        if (!set.has(b)) {
          set.add(b);
          stack.push(b);
        }
      }
    }
    return set;
  }

  /** The locals loan `id` flows into (its holder and every local whose region contains the holder's). */
  localsOf(id: number): BitSet {
    let set = this.loanLocals[id];
    if (!set) this.loanLocals[id] = set = this.reach(this.borrows.loans[id].holder);
    return set;
  }

  /**
   * The locals loan `id` flows into that are live just before `loc` and nearest to its holder
   * along the subset edges (all at the least distance): rustc's `find_sub_region_live_at`, the
   * shortest constraint path from the borrow's region to a region live at the point. Their
   * next use is what "borrow later used here" points at. Empty when none is live there.
   */
  nearestLive(id: number, loc: Location): number[] {
    let frontier = [this.borrows.loans[id].holder];
    const seen = new Set(frontier);
    for (let depth = 0; frontier.length && depth < this.edges.length; depth++) {
      const hits = frontier.filter((l) => this.liveness.isLive(l, loc));
      if (hits.length) return hits;
      const next: number[] = [];
      for (const a of frontier)
        for (const b of this.edges[a])
          if (!seen.has(b)) {
            seen.add(b);
            next.push(b);
          }
      frontier = next;
    }
    return [];
  }

  private readonly escapes = new Map<number, Escape | undefined>();

  /** How loan `id` outlives the body, if it does: it reaches the return place or an argument (computed once a loan). */
  escape(id: number): Escape | undefined {
    if (this.escapes.has(id)) return this.escapes.get(id);
    const e = this.computeEscape(id);
    this.escapes.set(id, e);
    return e;
  }

  private computeEscape(id: number): Escape | undefined {
    const locals = this.localsOf(id);
    if (!locals.intersects(this.universal)) return undefined;
    if (locals.intersects(this.staticSinks)) return { kind: 'static' };
    if (locals.has(0) && this.universal.has(0)) return { kind: 'return' };
    for (const l of locals.values()) if (this.universal.has(l)) return { kind: 'argument', local: l };
    return undefined;
  }

  /** Whether loan `id`'s region contains the point just before `loc`. */
  contains(id: number, loc: Location): boolean {
    const r = this.loanRegion(id);
    if (r.universal) return true;
    const p = this.liveness.point(loc);
    return p >= 0 && inIntervals(r.points, p);
  }

  /**
   * Loan `id`'s region: the region of the local that receives it, which contains the region of
   * every local whose region contains the holder's (`localsOf`). Loans with equal regions share
   * one object (the borrows dataflow computes where each region ends once).
   */
  loanRegion(id: number): RegionValue {
    return this.regionOf(this.borrows.loans[id].holder);
  }

  /**
   * The region of `local`: universal when a local it flows into outlives the body, else the
   * points where one of the locals it flows into is live. As rustc's region inference over the
   * SCCs of the outlives constraints, each strongly connected component of the subset edges is
   * computed once, from its own locals' liveness and its successors' regions (so a loan's region
   * costs the intervals it has, not the locals it reaches); made on first use, iteratively.
   */
  regionOf(local: number): RegionValue {
    const g = (this.sccs ??= new Sccs(this.edges));
    const root = g.of(local);
    if (g.values[root]) return g.values[root];
    // Post-order over the component graph from `root`, computing each component after its successors.
    const stack: { c: number; i: number }[] = [{ c: root, i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const succ = g.succs[top.c];
      if (top.i < succ.length) {
        const n = succ[top.i++];
        if (!g.values[n]) stack.push({ c: n, i: 0 });
        continue;
      }
      stack.pop();
      if (g.values[top.c]) continue;
      const universal = g.members[top.c].some((l) => this.universal.has(l)) || succ.some((n) => g.values[n]!.universal);
      g.values[top.c] = universal
        ? this.intern(true, EMPTY_POINTS)
        : this.intern(
            false,
            unionIntervals([...g.members[top.c].map((l) => this.liveness.intervals(l)), ...succ.map((n) => g.values[n]!.points)]),
          );
    }
    return g.values[root]!;
  }

  private intern(universal: boolean, points: Int32Array): RegionValue {
    const key = universal ? 'U' : points.join(',');
    let v = this.interned.get(key);
    if (!v) this.interned.set(key, (v = { id: this.interned.size, universal, points }));
    return v;
  }
}

/**
 * A region's value: every point (`universal`: it outlives the body), or the points it contains
 * as sorted disjoint `[start, end]` pairs of `Liveness` points. `id` numbers the distinct values
 * of one `Regions` from 0.
 */
export interface RegionValue {
  id: number;
  universal: boolean;
  points: Int32Array;
}

const EMPTY_POINTS = new Int32Array(0);

/**
 * The strongly connected components of a graph given by successor sets (Tarjan's algorithm,
 * iterative), found on demand: `of(v)` runs the search from `v` when it has not reached `v` yet,
 * so only the part of the graph reachable from the nodes asked about is visited (O(nodes + edges)
 * in all). Each component has its nodes, the components it has an edge to (itself excluded, all
 * found before it) and, once computed, its region.
 */
class Sccs {
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly sccOf: Int32Array;
  readonly members: number[][] = [];
  readonly succs: number[][] = [];
  readonly values: (RegionValue | undefined)[] = [];
  private next = 0;

  constructor(private readonly edges: readonly Set<number>[]) {
    const n = edges.length;
    this.index = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.sccOf = new Int32Array(n).fill(-1);
  }

  /** The component of node `v` (a node of the graph). */
  of(v: number): number {
    if (this.sccOf[v] < 0) this.search(v);
    return this.sccOf[v];
  }

  private search(root: number): void {
    const { index, low, onStack, sccOf } = this;
    const nodes: number[] = [];
    const enter = (v: number): void => {
      index[v] = low[v] = this.next++;
      nodes.push(v);
      onStack[v] = 1;
      work.push({ v, out: [...this.edges[v]], i: 0 });
    };
    const work: { v: number; out: number[]; i: number }[] = [];
    enter(root);
    while (work.length) {
      const top = work[work.length - 1];
      if (top.i < top.out.length) {
        const w = top.out[top.i++];
        if (index[w] < 0) enter(w);
        else if (onStack[w]) low[top.v] = Math.min(low[top.v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1].v] = Math.min(low[work[work.length - 1].v], low[top.v]);
      if (low[top.v] !== index[top.v]) continue;
      const c = this.members.length;
      const comp: number[] = [];
      let w: number;
      do {
        w = nodes.pop()!;
        onStack[w] = 0;
        sccOf[w] = c;
        comp.push(w);
      } while (w !== top.v);
      const out = new Set<number>();
      for (const v of comp) for (const x of this.edges[v]) if (sccOf[x] !== c) out.add(sccOf[x]);
      this.members.push(comp);
      this.succs.push([...out]);
    }
  }
}

/**
 * For each local that holds a reference made by `&p` (directly, or copied from such a local,
 * or reborrowed through it), the locals `p` is rooted at. Location-insensitive; a few rounds
 * reach a fixpoint for copy chains.
 */
function computeReferents(body: Body): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const add = (l: number, r: Iterable<number>): boolean => {
    let s = out.get(l);
    if (!s) out.set(l, (s = new Set()));
    let changed = false;
    for (const x of r) {
      if (!s.has(x)) {
        s.add(x);
        changed = true;
      }
    }
    return changed;
  };
  for (let round = 0; round < 8; round++) {
    let changed = false;
    forEachLocation(body, (x) => {
      if (x.kind !== 'assign' || x.place.projection.length !== 0) return;
      const rv = x.rvalue;
      if (rv.kind === 'ref') {
        const p = rv.place;
        const throughDeref = p.projection.some((e) => e.kind === 'deref');
        const targets = throughDeref ? (out.get(p.local) ?? new Set([p.local])) : [p.local];
        changed = add(x.place.local, targets) || changed;
      } else if (rv.kind === 'use' && rv.operand.kind !== 'constant' && rv.operand.place.projection.length === 0) {
        const r = out.get(rv.operand.place.local);
        if (r) changed = add(x.place.local, r) || changed;
      }
    });
    if (!changed) break;
  }
  return out;
}

/** Whether a type names the `'static` lifetime (`&'static str`, `Foo<'static>`). */
function mentionsStatic(t: Ty, depth = 0): boolean {
  if (depth > 24) return false;
  switch (t.kind) {
    case 'ref':
      // Only the value's own references count: in `&&'static T` the outer borrow may be short.
      return t.region === "'static";
    case 'adt':
      // `Foo<'static>` holds only `'static` borrows; `Vec<&'static str>` says nothing about
      // other borrows the value may hold (the collapsed region of a local could not tell them apart).
      return !!t.regions?.includes("'static");
    case 'tuple': {
      // One region per local cannot tell `(&'static T, &'a T)`'s parts apart: the tuple holds
      // only `'static` borrows when each of its parts that may borrow does.
      const parts = t.elems.filter(
        (e) => !['int', 'float', 'bool', 'char', 'never'].includes(e.kind) && !(e.kind === 'tuple' && !e.elems.length),
      );
      return parts.length > 0 && parts.every((e) => mentionsStatic(e, depth + 1));
    }
    case 'array':
    case 'slice':
      return mentionsStatic(t.elem, depth + 1);
    default:
      return false;
  }
}

/**
 * Whether every region a value of type `t` can hold is named `'static` or a lifetime parameter
 * (`'a`: inside a body, a named lifetime is one of the fn's or impl's), and there is at least
 * one. An elided or `'_` region, a closure or an unknown type may hold shorter borrows: false. A
 * type parameter of the body's own holds only the caller's regions: no constraint.
 */
function onlyUniversalRegions(cx: BorrowckCx, t: Ty, actual: Ty | undefined): boolean {
  let found = false;
  const named = (r: string | undefined): boolean => !!r && r !== "'_" && r.startsWith("'");
  // `actual`: the value's type where the engine knows it, for the parts written `_`.
  const walk = (t: Ty, actual: Ty | undefined, depth: number): boolean => {
    if (depth > 24) return false;
    switch (t.kind) {
      case 'ref':
        if (!named(t.region)) return false;
        found = true;
        return walk(t.inner, actual?.kind === 'ref' ? actual.inner : undefined, depth + 1);
      case 'tuple':
        return t.elems.every((e, i) => walk(e, actual?.kind === 'tuple' ? actual.elems[i] : undefined, depth + 1));
      case 'array':
      case 'slice':
        return walk(t.elem, actual?.kind === t.kind ? actual.elem : undefined, depth + 1);
      case 'adt': {
        const own = t.std ? stdLifetimeCount(t) : (cx.adts.get(t.name)?.lifetimes.length ?? -1);
        if (own < 0) return false;
        const regions = t.regions ?? [];
        if (regions.length < own || !regions.every(named)) return false;
        if (regions.length) found = true;
        const same = actual?.kind === 'adt' && actual.name === t.name ? actual : undefined;
        return t.args.every((a, i) => walk(a, same?.args[i], depth + 1));
      }
      case 'infer':
      case 'unknown':
        if (t.kind === 'unknown' && t.reason !== '_') return false;
        // `_`: no constraint, when the value there cannot hold a borrow (`(Vec<&'static T>, _)`
        // over `(vec![..], 44)`): one region per local cannot tell its borrows from the others.
        return !!actual && !isVague(actual) && !containsUnknown(actual) && !hasRegions(cx, actual);
      case 'param':
        // A value of a generic type holds only what the caller passed in: the caller's regions,
        // which outlive the body (`let _: &'a A = &x` with `x: A` needs `x` for `'a`).
        return true;
      case 'closure':
      case 'opaque':
        return false;
      default:
        return true;
    }
  };
  return walk(t, actual, 0) && found;
}

/** A type the engine does not know (unknown or not yet inferred). */
function isVague(t: Ty): boolean {
  return t.kind === 'unknown' || t.kind === 'infer';
}
