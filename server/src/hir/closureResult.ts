/**
 * What a closure's result borrows from: its parameters (what the std method passing them gives
 * it: the receiver's contents), its captures, or neither (`'static` data, no reference at all).
 * rustc answers this with region inference on the closure body (the closure's inferred
 * signature and its region requirements, `rustc_borrowck::type_check::closure_region_requirements`);
 * this reads the body's result expression syntactically, for the shapes that settle it
 * (`|s| s.as_str()`, `|i| &b[*i]`, `|_| "lit"`, `|x| x * 2`) and says `null`, unknown, otherwise.
 *
 * Input: a typed closure expression (after `infer.ts`), the body's locals and its method
 * resolutions. Output: `{ inputs, captures }` (the parameters reached, whether a capture is), or null. Bounded by the size of the
 * expression (each node visited once). Used by the MIR builder to resolve the registry's
 * closure-decided relations (`ReturnBorrow.closure`, `ReturnBorrow.items`).
 */
import { iteratorItemDeciders } from '../std/facts';
import { holdsBorrow, stdMethodBorrowsFor, type StdMethod } from '../std/lookup';
import type { ReturnBorrow } from '../std/types';
import type { Expr, LocalDecl, LocalId, Pat } from './hir';
import type { MethodRes } from './method';
import { containsUnknown, type Ty } from './ty';

/** Where a closure's result may borrow from. */
export interface ClosureResultSources {
  /** From what the closure receives: the indices of its parameters (0-based). */
  inputs: readonly number[];
  /** From what it captured. */
  captures: boolean;
}

const NONE: ClosureResultSources = { inputs: [], captures: false };

function union(a: ClosureResultSources | null, b: ClosureResultSources | null): ClosureResultSources | null {
  return a && b ? { inputs: [...new Set([...a.inputs, ...b.inputs])], captures: a.captures || b.captures } : null;
}

/** The locals a pattern binds. */
function patLocals(p: Pat, out: LocalId[] = []): LocalId[] {
  switch (p.kind) {
    case 'binding':
      out.push(p.local);
      if (p.sub) patLocals(p.sub, out);
      break;
    case 'tuple':
    case 'slice':
    case 'tupleStruct':
    case 'or':
      p.pats.forEach((x) => patLocals(x, out));
      break;
    case 'struct':
      p.fields.forEach((f) => patLocals(f.pat, out));
      break;
    case 'ref':
      patLocals(p.pat, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * The sources of a closure's result (see the header), or null when the engine cannot tell: an
 * early `return` in the body, a result computed by a call of the file's own fns, a local of the
 * body holding a borrow, a nested closure.
 */
export function closureResultSources(
  closure: Extract<Expr, { kind: 'closure' }>,
  locals: readonly LocalDecl[],
  methods: ReadonlyMap<number, MethodRes>,
): ClosureResultSources | null {
  if (hasReturn(closure.body)) return null;
  const paramOf = new Map<LocalId, number>();
  closure.params.forEach((p, i) => patLocals(p.pat).forEach((l) => paramOf.set(l, i)));
  /**
   * A local of the closure's place or value: a parameter gives what `self` gave it; a capture,
   * when `borrowed` (`&b[i]`, `b.first()`) and not itself a reference, the closure's loan of it;
   * a capture read by value (what it holds, not a loan of it: one region per local cannot tell
   * the two apart) and the body's own locals are unknown.
   */
  const ofLocal = (l: LocalId, borrowed: boolean): ClosureResultSources | null => {
    const local = locals[l];
    if (!local) return null;
    const param = paramOf.get(l);
    if (param !== undefined) return { inputs: [param], captures: false };
    if (local.closure !== undefined || !borrowed || local.ty.kind === 'ref') return null;
    return { inputs: [], captures: true };
  };
  /** The local a place expression (`x.f[i]`, `*x`) is rooted at, read or `borrowed`. */
  const root = (e: Expr, depth: number, borrowed: boolean): ClosureResultSources | null => {
    if (depth > 32) return null;
    switch (e.kind) {
      case 'path':
        return e.res.kind === 'local' ? ofLocal(e.res.local, borrowed) : e.res.kind === 'static' || e.res.kind === 'const' ? NONE : null;
      case 'field':
      case 'index':
        return root(e.base, depth + 1, borrowed);
      case 'unary':
        return e.op === 'deref' ? root(e.operand, depth + 1, borrowed) : null;
      default:
        return borrowed ? null : value(e, depth + 1);
    }
  };
  const value = (e: Expr, depth: number): ClosureResultSources | null => {
    if (depth > 32) return null;
    const h = holdsBorrow(e.ty);
    if (h && !h.holds) return NONE;
    switch (e.kind) {
      case 'lit':
        return e.lit.kind === 'str' || e.lit.kind === 'bytestr' ? NONE : null;
      case 'path':
      case 'field':
      case 'index':
      case 'unary':
        return root(e, depth + 1, false);
      case 'ref':
        return root(e.operand, depth + 1, true);
      case 'block':
        return e.block.tail ? value(e.block.tail, depth + 1) : NONE;
      case 'if': {
        const t = e.then.tail ? value(e.then.tail, depth + 1) : NONE;
        return union(t, e.else ? value(e.else, depth + 1) : NONE);
      }
      case 'match':
        return e.arms.reduce<ClosureResultSources | null>((acc, a) => union(acc, value(a.body, depth + 1)), NONE);
      case 'tuple':
      case 'array':
        return e.elems.reduce<ClosureResultSources | null>((acc, x) => union(acc, value(x, depth + 1)), NONE);
      case 'methodCall': {
        const res = methods.get(e.id);
        if (res?.kind !== 'std') return null;
        let acc: ClosureResultSources | null = NONE;
        for (const r of res.method.returnBorrows) {
          if (r.closure) return null;
          const arg = r.from === 'self' ? e.receiver : e.args[r.from];
          if (!arg) return null;
          // `referent`: a borrow of the argument's place (the receiver, auto-referenced).
          acc = union(acc, r.kind === 'referent' ? root(arg, depth + 1, true) : value(arg, depth + 1));
        }
        return acc;
      }
      default:
        return null;
    }
  };
  return value(closure.body, 0);
}

/** Whether a `return` (of this closure: nested closures are not entered) or `?` occurs in `e`. */
function hasReturn(e: Expr): boolean {
  let found = false;
  const stack: unknown[] = [e];
  let budget = 100_000;
  while (stack.length && !found && budget-- > 0) {
    const x = stack.pop();
    if (!x || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
      continue;
    }
    const k = (x as { kind?: unknown }).kind;
    if (k === 'return' || k === 'try') found = true;
    if (k === 'closure' && x !== e) continue;
    for (const [key, v] of Object.entries(x)) if (key !== 'ty' && key !== 'span' && v && typeof v === 'object') stack.push(v);
  }
  return found || budget <= 0;
}

/**
 * A std method's result relations with those a closure decides resolved (`ReturnBorrow.closure`,
 * `ReturnBorrow.items`): `sourcesOf` answers for a closure or fn argument's type (null: unknown).
 * A `closure` relation holds when the closure's result borrows from that source; an `items`
 * relation on an adapter whose items closures return (`Map<I, F>`) holds when they borrow from
 * their inputs only (the adapter's own borrows are then the items'), and is left out when one
 * may borrow from its captures or cannot be told (precision first: a relation the engine is not
 * sure of is not made). `argTys` are the parameters' argument types (indices as `from`); `selfTy`
 * the receiver's type; `resultTy` the call's type: for a method taking a closure, a result type
 * with unknown parts makes no relation at all.
 */
export function resolveClosureBorrows(
  m: StdMethod,
  selfTy: Ty | undefined,
  argTys: readonly (Ty | undefined)[],
  resultTy: Ty,
  sourcesOf: (t: Ty) => ClosureResultSources | null,
): StdMethod {
  // A result built from a closure's whose type inference left partly unknown (`and_then(..)`
  // giving `Result<i32, ?>`, the `?` an error type a conversion left open): what that part
  // holds cannot be told, and no relation is made through it.
  if (m.closureKinds?.some((k) => k) && m.returnBorrows.length) {
    if (containsUnknown(resultTy)) return { ...m, returnBorrows: [] };
    // The relations judged on the receiver's final type (`E` of `Result<T, E>` inferred later).
    const final = selfTy && stdMethodBorrowsFor(m.id, selfTy);
    if (final) m = { ...m, returnBorrows: final };
  }
  if (!m.returnBorrows.some((r) => r.closure || r.items)) return m;
  let self = selfTy;
  for (let i = 0; self?.kind === 'ref' && i < 8; i++) self = self.inner;
  const deciders = self ? iteratorItemDeciders(self) : null;
  let itemsHold = true;
  if (deciders?.length) {
    const srcs = deciders.map(sourcesOf);
    itemsHold = srcs.every((x) => x !== null && !x.captures) && srcs.some((x) => x!.inputs.length > 0);
  }
  const out: ReturnBorrow[] = [];
  for (const r of m.returnBorrows) {
    if (r.closure) {
      const t = argTys[r.closure.arg];
      const s = t ? sourcesOf(t) : null;
      const ps = r.closure.params;
      if (!s || !(r.closure.via === 'inputs' ? s.inputs.some((i) => !ps || ps.includes(i)) : s.captures)) continue;
      const { closure: _c, ...rest } = r;
      void _c;
      if (!out.some((x) => x.from === rest.from && x.kind === rest.kind && !x.built && !x.items && !x.closure)) out.push(rest);
      continue;
    }
    if (r.items && !itemsHold) continue;
    out.push(r);
  }
  return { ...m, returnBorrows: out };
}

/**
 * The sources of a fn item's or pointer's result: a result holding no borrow has none; else
 * unknown (its signature's relations are not read here).
 */
export function fnResultSources(t: Ty & { kind: 'fn' }): ClosureResultSources | null {
  const h = holdsBorrow(t.ret);
  return h && !h.holds ? NONE : null;
}
