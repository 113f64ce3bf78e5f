/**
 * Local type inference over one file's HIR, in the spirit of rustc's typeck (much smaller):
 * unification with inference variables inside one function body, signatures from the file's
 * items and the std model (`std/`), method calls by the one method resolution (`method.ts`),
 * integer literals defaulting to `i32` and floats to
 * `f64`. Writes `Expr.ty` and `LocalDecl.ty` in place and returns the side tables MIR building
 * needs (method resolutions, closure signatures, binding modes).
 *
 * Anything it cannot tell stays `unknown` (with a reason); mismatched types are not errors here
 * (rustc reports those; we only need types to decide Copy vs move, sizes and hovers).
 */
import type { Block, Expr, FileHir, FnDef, LocalId, Pat, ExprId, AdtDef, Res, Span } from './hir';
import {
  BOOL,
  CHAR,
  F64,
  I32,
  STR_REF,
  STRING,
  type Ty,
  UNIT,
  USIZE,
  unknown,
  ref,
  NEVER,
  substitute,
  containsUnknown,
  displayTy,
  someTyPart,
} from './ty';
import { derefTy, fromIterItem, hasIndexMutByPosition, indexOutput, intoIterItem, stdAdtDef, stdUnitVariant } from '../std/facts';
import { stdAssocFn, stdConstType, type StdMethod } from '../std/lookup';
import { autoderef, fieldTyThroughDeref, probeMethod, soleBlanketMethod, traitMethodFor, type MethodCx, type MethodRes } from './method';
import { MAX_TY_PARTS, tyTreeSize } from './tySize';
import { userBinaryOp, userDeref, userIndex, userPlaceOpFn } from './overloaded';

export type { MethodRes } from './method';

/** Per-function results of type inference (rustc: `TypeckResults`). */
export interface TypeckResults {
  methods: Map<ExprId, MethodRes>;
  /** Call expressions whose callee is a file fn: the FnDef (for `Trait::m(&x)`, the impl's method). */
  calls: Map<ExprId, FnDef>;
  /** Call expressions whose callee is a std function by path (`String::from`, `mem::swap`): the instantiated std fn. */
  stdCalls: Map<ExprId, StdMethod>;
  closures: Map<number, { params: Ty[]; ret: Ty }>;
  /** Binding mode of each pattern binding (match ergonomics, RFC 2005). */
  bindingModes: Map<LocalId, 'move' | 'ref' | 'mut'>;
  /**
   * Type errors the inference is sure of (a `String` where a `usize` is annotated, `&str + &str`):
   * rustc does not borrow-check a body with type errors, so neither do we (see `engine.ts`).
   */
  typeErrors: Span[];
}

/** Results for the whole file, by `FnDef` (and for consts/statics under their names). */
export type FileTypeck = Map<FnDef, TypeckResults>;

/** Infers types for every function body of `file`. Never throws; a failure leaves `unknown`s. */
export function inferFile(file: FileHir): FileTypeck {
  const out: FileTypeck = new Map();
  for (const fn of file.fns) out.set(fn, inferFn(file, fn));
  return out;
}

/** Memo of a zonk pass: results by node and tree sizes by node. */
interface ZonkMemo {
  zonked: Map<Ty, Ty>;
  /** Answers the depth bound cut short, with the depth they were found at. */
  cut: Map<Ty, { ty: Ty; depth: number }>;
  sizes: Map<Ty, number>;
}

/** Infers the types of one function's body (with the file's signatures). Never throws. */
export function inferFn(file: FileHir, fn: FnDef): TypeckResults {
  const cx = new InferCx(file, fn);
  try {
    cx.run();
  } catch {
    /* leave what was inferred; unknowns stay unknown */
  }
  return cx.results;
}

/** Peels references: `&&T` → `T`, with how many were peeled and whether any was `&mut`. */
export function peelRefs(t: Ty): { ty: Ty; count: number; mutable: boolean } {
  let count = 0;
  let mutable = true;
  while (t.kind === 'ref') {
    mutable = mutable && t.mutable;
    t = t.inner;
    count++;
  }
  return { ty: t, count, mutable: count > 0 && mutable };
}

class InferCx {
  results: TypeckResults = {
    methods: new Map(),
    calls: new Map(),
    stdCalls: new Map(),
    closures: new Map(),
    bindingModes: new Map(),
    typeErrors: [],
  };
  private vars: (Ty | undefined)[] = [];
  private varKinds: ('int' | 'float' | undefined)[] = [];
  /**
   * Variables whose type something the engine does not see may decide: unified with an unknown
   * type (the value of an unmodelled call, `let a = black_box(v)`), or number-literal variables
   * (`{integer}`, `{float}`) passed to a call the engine does not model (`from_raw_parts(p, n)`
   * makes `p` a `*const u32`). Such a number is not defaulted to `i32`/`f64` (rustc's fallback
   * applies only when nothing constrains it): it is zonked to unknown. Such a variable of no
   * known kind is not unified with the other operand of an operator (it may be a type of the
   * file with its own `impl Add`). Kept on the root variable (`bindVar` moves it).
   */
  private openVars = new Set<number>();
  private exprs: Expr[] = [];
  /**
   * Arguments inferred ahead of their call to choose the callee (`inferAhead`): the call's own
   * `infer` of them then takes this type instead of walking them again (nested calls
   * `f(f(f(..)))` would otherwise be walked 2^depth times).
   */
  private readonly inferredAhead = new Map<Expr, Ty>();
  private loopStack: Ty[] = [];
  /**
   * `B: FromIterator<Item>` of `collect` calls whose `B` was not known at the call (`let v:
   * Vec<_> = it.collect()`): solved once it is, binding its element (rustc's pending obligations).
   */
  private pendingFromIter: { target: Ty; item: Ty }[] = [];
  private retTy: Ty;
  private steps = 0;

  constructor(
    private file: FileHir,
    private fn: FnDef,
  ) {
    this.retTy = fn.ret;
  }

  run(): void {
    const fn = this.fn;
    // Types written with the wrong number of arguments (rustc E0107) are errors of the signature.
    for (const t of [fn.ret, ...fn.params.map((p) => p.ty)]) if (this.wrongArity(t)) this.results.typeErrors.push(fn.span);
    for (const l of fn.locals) {
      if (l.id === 0) continue;
      if (l.ty.kind === 'unknown' && !l.ty.reason) l.ty = this.fresh();
      else l.ty = this.fillHoles(l.ty);
    }
    // parameters
    for (const p of fn.params) this.bindPat(p.pat, p.ty, 'move');
    if (fn.body) {
      const t = this.inferBlock(fn.body);
      this.unify(t, this.retTy);
      this.solveFromIter();
    }
    // zonk: every variable is final now, so one memo serves the whole body (the types of
    // `Some(Some(…))`'s levels share their parts, as rustc's interned types do).
    const memo: ZonkMemo = { zonked: new Map(), cut: new Map(), sizes: new Map() };
    for (const l of fn.locals) l.ty = this.zonk(l.ty, memo);
    for (const e of this.exprs) e.ty = this.zonk(e.ty, memo);
    for (const [id, sig] of this.results.closures)
      this.results.closures.set(id, { params: sig.params.map((p) => this.zonk(p, memo)), ret: this.zonk(sig.ret, memo) });
  }

  /**
   * Does `t` name a struct or enum of the file with more type arguments than it declares, or
   * with lifetime arguments when their number differs from its lifetime parameters (rustc
   * E0107, "this struct takes N lifetime arguments")? Omitted arguments are not checked.
   */
  private wrongArity(t: Ty, depth = 0): boolean {
    if (depth > 32) return false;
    switch (t.kind) {
      case 'adt': {
        const def = t.std ? undefined : this.file.adts.get(t.name);
        if (def && (t.args.length > def.generics.length || (t.regions?.length && t.regions.length !== def.lifetimes.length))) return true;
        return t.args.some((a) => this.wrongArity(a, depth + 1));
      }
      case 'ref':
      case 'rawptr':
        return this.wrongArity(t.inner, depth + 1);
      case 'tuple':
        return t.elems.some((e) => this.wrongArity(e, depth + 1));
      case 'array':
      case 'slice':
        return this.wrongArity(t.elem, depth + 1);
      default:
        return false;
    }
  }

  // --- inference variables

  /** `t` with each `_` hole (`Box<_>`) replaced by a fresh inference variable. */
  private fillHoles(t: Ty, depth = 0): Ty {
    if (depth > 32) return t;
    switch (t.kind) {
      case 'unknown':
        return t.reason === '_' ? this.fresh() : t;
      case 'ref':
      case 'rawptr':
        return { ...t, inner: this.fillHoles(t.inner, depth + 1) };
      case 'adt':
        return t.args.length ? { ...t, args: t.args.map((a) => this.fillHoles(a, depth + 1)) } : t;
      case 'tuple':
        return { kind: 'tuple', elems: t.elems.map((e) => this.fillHoles(e, depth + 1)) };
      case 'array':
      case 'slice':
        return { ...t, elem: this.fillHoles(t.elem, depth + 1) };
      default:
        return t;
    }
  }

  /**
   * Records a type error when a value of type `actual` can certainly not be used where
   * `expected` is required, even after coercions (rustc E0308). Only fully known types are
   * judged; anything unknown or generic passes.
   */
  private checkCoercible(expected: Ty, actual: Ty, span: Span): void {
    const e = this.zonk(expected);
    const a = this.zonk(actual);
    if (definitelyIncompatible(e, a)) this.results.typeErrors.push(span);
  }

  /** `&str + ..`, `&String + ..` (no `Add` impl, E0369) and `String + x` with `x` not a `&str` (E0308). */
  private checkStringAdd(l: Ty, r: Ty, span: Span): void {
    const isStrLike = (t: Ty): boolean => (t.kind === 'adt' && t.std && t.name === 'String') || t.kind === 'str';
    if (l.kind === 'ref' && isStrLike(this.shallow(l.inner))) this.results.typeErrors.push(span);
    else if (
      l.kind === 'adt' &&
      l.std &&
      l.name === 'String' &&
      !containsUnknown(this.zonk(r)) &&
      !(r.kind === 'ref' && isStrLike(this.shallow(r.inner)))
    )
      this.results.typeErrors.push(span);
  }

  private fresh(kind?: 'int' | 'float'): Ty {
    const id = this.vars.length;
    this.vars.push(undefined);
    this.varKinds.push(kind);
    return { kind: 'infer', id, ...(kind === 'int' ? { integral: true } : kind === 'float' ? { floating: true } : {}) };
  }

  private shallow(t: Ty): Ty {
    let guard = 0;
    while (t.kind === 'infer' && this.vars[t.id] && guard++ < 1000) t = this.vars[t.id]!;
    return t;
  }

  /**
   * `t` with its inference variables replaced by what they were unified with. Shared subtrees
   * stay shared (memoised by node); a type whose tree exceeds `MAX_TY_PARTS` becomes unknown.
   */
  private zonk(t: Ty, memo: ZonkMemo = { zonked: new Map(), cut: new Map(), sizes: new Map() }): Ty {
    const r = this.zonkIn(t, 0, memo);
    return r.kind === 'unknown' || tyTreeSize(r, MAX_TY_PARTS, memo.sizes) <= MAX_TY_PARTS
      ? r
      : unknown(`the type is too complex to analyse (more than ${MAX_TY_PARTS} parts)`);
  }

  /** How many times a zonk was cut short by the depth bound (an answer with a cut inside depends on its depth). */
  private zonkCuts = 0;

  /**
   * A node zonked once is reused, by the node and by what its variable resolves to. An answer
   * that the depth bound cut short depends on the depth it was reached at: it is reused only at
   * that depth or deeper (`cut`). A type cut short from its root (more than 64 levels deep) is
   * unknown as a whole, which no longer depends on where it was reached from, and is kept with
   * the exact answers (so the types around it share it).
   */
  private zonkIn(t0: Ty, depth: number, memo: ZonkMemo): Ty {
    const seen = memo.zonked.get(t0);
    if (seen) return seen;
    const t = this.shallow(t0);
    const resolved = t === t0 ? undefined : memo.zonked.get(t);
    if (resolved) {
      memo.zonked.set(t0, resolved);
      return resolved;
    }
    const short = memo.cut.get(t);
    if (short && short.depth <= depth) {
      // Still an answer cut short: the types around it are too.
      this.zonkCuts++;
      return short.ty;
    }
    const cuts = this.zonkCuts;
    let ty = this.zonkNode(t, depth, memo);
    if (this.zonkCuts !== cuts) {
      if (depth > 0) {
        memo.cut.set(t, { ty, depth });
        return ty;
      }
      ty = unknown('type too deep');
    }
    memo.zonked.set(t0, ty);
    if (t !== t0) memo.zonked.set(t, ty);
    return ty;
  }

  private zonkNode(t: Ty, depth: number, memo: ZonkMemo): Ty {
    if (depth > 64) {
      this.zonkCuts++;
      return unknown('type too deep');
    }
    t = this.shallow(t);
    const z = (x: Ty): Ty => this.zonkIn(x, depth + 1, memo);
    switch (t.kind) {
      case 'infer':
        if (this.varKinds[t.id] && this.openVars.has(t.id))
          return unknown(
            `a number whose type depends on a call the engine does not model ({${this.varKinds[t.id] === 'int' ? 'integer' : 'float'}})`,
          );
        return this.varKinds[t.id] === 'int'
          ? I32
          : this.varKinds[t.id] === 'float'
            ? F64
            : unknown('not enough information to infer the type');
      // A node none of whose parts changed is kept as it is (no copy of a type without variables).
      case 'ref':
      case 'rawptr': {
        const inner = z(t.inner);
        return inner === t.inner ? t : { ...t, inner };
      }
      case 'tuple': {
        const elems = sameOrMapped(t.elems, z);
        return elems === t.elems ? t : { kind: 'tuple', elems };
      }
      case 'array':
      case 'slice': {
        const elem = z(t.elem);
        return elem === t.elem ? t : { ...t, elem };
      }
      case 'adt': {
        const args = sameOrMapped(t.args, z);
        return args === t.args ? t : { ...t, args };
      }
      case 'fn': {
        const params = sameOrMapped(t.params, z);
        const ret = z(t.ret);
        return params === t.params && ret === t.ret ? t : { ...t, params, ret };
      }
      case 'closure': {
        const output = t.output && z(t.output);
        return output === t.output ? t : { ...t, output };
      }
      default:
        return t;
    }
  }

  /** Unifies two types; mismatches are ignored (not our errors to report). */
  private unify(a: Ty, b: Ty, depth = 0): void {
    if (depth > 64) return;
    a = this.shallow(a);
    b = this.shallow(b);
    if (a === b) return;
    if (a.kind === 'infer') return this.bindVar(a.id, b);
    if (b.kind === 'infer') return this.bindVar(b.id, a);
    if (a.kind === 'never' || b.kind === 'never' || a.kind === 'unknown' || b.kind === 'unknown') return;
    if (a.kind !== b.kind) return;
    switch (a.kind) {
      case 'ref':
      case 'rawptr':
        return this.unify(a.inner, (b as typeof a).inner, depth + 1);
      case 'tuple': {
        const bb = b as typeof a;
        if (a.elems.length === bb.elems.length) a.elems.forEach((e, i) => this.unify(e, bb.elems[i], depth + 1));
        return;
      }
      case 'array':
      case 'slice':
        return this.unify(a.elem, (b as typeof a).elem, depth + 1);
      case 'adt': {
        const bb = b as typeof a;
        if (a.name === bb.name && a.args.length === bb.args.length) a.args.forEach((x, i) => this.unify(x, bb.args[i], depth + 1));
        return;
      }
      default:
        return;
    }
  }

  private bindVar(id: number, t: Ty): void {
    if (t.kind === 'infer' && t.id === id) return;
    if (t.kind === 'unknown') {
      this.openVars.add(id);
      return;
    }
    if (t.kind === 'never') return;
    const k = this.varKinds[id];
    if (t.kind === 'infer') {
      // merge kinds
      const tk = this.varKinds[t.id];
      if (k && !tk) this.varKinds[t.id] = k;
      if (this.openVars.has(id)) this.openVars.add(t.id);
      this.vars[id] = t;
      return;
    }
    if (k === 'int' && t.kind !== 'int') return;
    if (k === 'float' && t.kind !== 'float') return;
    this.vars[id] = t;
  }

  private resolved(t: Ty): Ty {
    const s = this.shallow(t);
    if (s.kind === 'infer') return s;
    return s;
  }

  // --- statements and blocks

  private inferBlock(b: Block): Ty {
    let diverges = false;
    for (const s of b.stmts) {
      if (s.kind === 'let') {
        const declared = s.tyAnnot ? this.fillHoles(s.tyAnnot) : null;
        let initTy: Ty | undefined;
        if (s.init) initTy = this.infer(s.init, declared ?? undefined);
        if (declared && initTy && s.init) this.checkCoercible(declared, initTy, s.init.span);
        const t = declared ?? initTy ?? this.fresh();
        if (declared && initTy) this.unify(declared, initTy);
        if (this.pendingFromIter.length) this.solveFromIter();
        this.bindPat(s.pat, t, 'move');
        if (s.elseBlock) this.inferBlock(s.elseBlock);
        if (initTy && this.shallow(initTy).kind === 'never') diverges = true;
      } else if (s.kind === 'expr') {
        const t = this.infer(s.expr);
        if (this.shallow(t).kind === 'never') diverges = true;
      }
    }
    if (b.tail) return this.infer(b.tail);
    return diverges ? NEVER : UNIT;
  }

  // --- patterns

  /**
   * Gives the pattern's bindings their types, given the matched type. Default binding mode
   * follows match ergonomics (RFC 2005): matching a non-reference pattern against `&T` derefs
   * and switches the default mode to `ref` (or `ref mut` for `&mut T`).
   */
  private bindPat(p: Pat, t: Ty, mode: 'move' | 'ref' | 'mut'): void {
    t = this.shallow(t);
    const isRefPat =
      p.kind === 'binding' || p.kind === 'wild' || p.kind === 'ref' || p.kind === 'rest' || p.kind === 'unknown' || p.kind === 'or';
    if (!isRefPat && t.kind === 'ref') {
      const nextMode = mode === 'ref' || !t.mutable ? 'ref' : 'mut';
      return this.bindPat(p, t.inner, nextMode);
    }
    switch (p.kind) {
      case 'binding': {
        const local = this.fn.locals[p.local];
        let bt: Ty;
        let m: 'move' | 'ref' | 'mut' = mode;
        if (local.byRef === 'ref') m = 'ref';
        else if (local.byRef === 'ref mut') m = 'mut';
        // `mut x` resets the default binding mode to move (Rust reference, "Binding modes";
        // an error since edition 2024): `match &mut s { Some(mut x) => .. }` copies or moves.
        else if (local.mutable) m = 'move';
        if (m === 'move') bt = t;
        else bt = ref(t, m === 'mut');
        this.results.bindingModes.set(p.local, m);
        this.unify(local.ty, bt);
        if (p.sub) this.bindPat(p.sub, t, mode);
        return;
      }
      case 'ref':
        if (t.kind === 'ref') this.bindPat(p.pat, t.inner, 'move');
        else this.bindPat(p.pat, unknown(), 'move');
        return;
      case 'tuple': {
        const elems = t.kind === 'tuple' ? t.elems : [];
        const restIdx = p.pats.findIndex((x) => x.kind === 'rest');
        p.pats.forEach((sub, i) => {
          let et: Ty | undefined;
          if (restIdx < 0 || i < restIdx) et = elems[i];
          else if (i > restIdx) et = elems[elems.length - (p.pats.length - i)];
          this.bindPat(sub, et ?? unknown(), mode);
        });
        return;
      }
      case 'slice': {
        const elem = t.kind === 'array' || t.kind === 'slice' ? t.elem : unknown();
        for (const sub of p.pats) {
          // `rest @ ..` binds the middle: `[T; N - k]` of an array, `[T]` of a slice.
          if (sub.kind === 'binding' && sub.sub?.kind === 'rest') {
            const rest: Ty =
              t.kind === 'array'
                ? { kind: 'array', elem, len: t.len === null ? null : Math.max(0, t.len - (p.pats.length - 1)) }
                : t.kind === 'slice'
                  ? { kind: 'slice', elem }
                  : unknown();
            this.bindPat(sub, rest, mode);
          } else this.bindPat(sub, elem, mode);
        }
        return;
      }
      case 'tupleStruct': {
        const fields = this.variantFields(p.path, t);
        p.pats.forEach((sub, i) => this.bindPat(sub, fields?.[i]?.ty ?? unknown(), mode));
        return;
      }
      case 'struct': {
        const fields = this.variantFields(p.path, t);
        for (const f of p.fields) this.bindPat(f.pat, fields?.find((x) => x.name === f.name)?.ty ?? unknown(), mode);
        return;
      }
      case 'or':
        for (const sub of p.pats) this.bindPat(sub, t, mode);
        return;
      case 'lit':
        this.infer(p.expr);
        return;
      case 'range':
        // The bounds have the scrutinee's type (`1..=12` against a `u32`).
        for (const b of [p.lo, p.hi]) if (b) this.unify(t, this.infer(b, t));
        return;
      default:
        return;
    }
  }

  /** Field types of the struct/variant named by `path` when matched against `t`. */
  private variantFields(path: string, t: Ty): { name: string; ty: Ty }[] | undefined {
    const segs = path.split('::');
    const last = segs[segs.length - 1];
    if (t.kind === 'adt') {
      const adt = t.std ? stdAdtDef(t.name) : this.file.adts.get(t.name);
      if (!adt) return undefined;
      const subst = adtSubst(adt, t.args);
      const fields = adt.kind === 'enum' ? adt.variants.find((v) => v.name === last)?.fields : adt.fields;
      return fields?.map((f) => ({ name: f.name, ty: substitute(f.ty, subst) }));
    }
    if (t.kind === 'infer') {
      // Infer the scrutinee type from the pattern: `Some(x)` → Option<_>.
      if (last === 'Some') {
        const inner = this.fresh();
        this.unify(t, { kind: 'adt', name: 'Option', args: [inner], std: true });
        return [{ name: '0', ty: inner }];
      }
      // Lowering writes a pattern's path as `ADT_KEY::Variant` or `ADT_KEY` (keys may hold `::`).
      const adt = this.file.adts.get(path) ?? (segs.length >= 2 ? this.file.adts.get(segs.slice(0, -1).join('::')) : undefined);
      if (adt) {
        const args = adt.generics.map(() => this.fresh());
        this.unify(t, { kind: 'adt', name: adt.name, args });
        return this.variantFields(path, { kind: 'adt', name: adt.name, args });
      }
    }
    return undefined;
  }

  // --- expressions

  private infer(e: Expr, expected?: Ty): Ty {
    const ahead = this.inferredAhead.get(e);
    if (ahead) {
      this.inferredAhead.delete(e);
      return ahead;
    }
    if (++this.steps > 200_000) return (e.ty = unknown('inference budget exhausted'));
    this.exprs.push(e);
    let t: Ty;
    try {
      t = this.inferKind(e, expected);
    } catch {
      t = unknown();
    }
    e.ty = t;
    return t;
  }

  private inferKind(e: Expr, expected?: Ty): Ty {
    switch (e.kind) {
      case 'lit': {
        const l = e.lit;
        switch (l.kind) {
          case 'int':
            if (l.suffix)
              return l.suffix.startsWith('f')
                ? { kind: 'float', name: l.suffix as 'f32' | 'f64' }
                : { kind: 'int', name: l.suffix as 'i32' };
            if (expected && this.shallow(expected).kind === 'float') return this.fresh('float');
            return this.fresh('int');
          case 'float':
            return l.suffix ? { kind: 'float', name: l.suffix as 'f32' | 'f64' } : this.fresh('float');
          case 'bool':
            return BOOL;
          case 'char':
            return CHAR;
          case 'str':
            return STR_REF;
          case 'bytestr':
            // One byte per decoded char: a byte string holds ASCII and `\xNN` escapes only (each
            // `\x82` is one byte, Rust reference "Byte string literals"), not UTF-8.
            return ref({ kind: 'array', elem: { kind: 'int', name: 'u8' }, len: l.value.length });
        }
        return unknown();
      }
      case 'path':
        return this.pathTy(e.res, expected);
      case 'call':
        return this.inferCall(e, expected);
      case 'methodCall':
        return this.inferMethodCall(e);
      case 'field': {
        const bt = this.infer(e.base);
        return this.fieldTy(bt, e.name);
      }
      case 'index': {
        const bt = this.infer(e.base);
        const it = this.infer(e.index);
        return this.indexTy(bt, it);
      }
      case 'unary': {
        const t = this.infer(e.operand);
        if (e.op === 'deref')
          return (
            derefTy(this.shallow(t)) ??
            userDeref(this.zonkShallowDeep(t), this.file)?.target ??
            unknown('cannot tell what this dereferences to')
          );
        return t;
      }
      case 'ref': {
        const exp = expected && this.shallow(expected).kind === 'ref' ? (this.shallow(expected) as { inner: Ty }).inner : undefined;
        const t = this.infer(e.operand, exp);
        return ref(t, e.mutable);
      }
      case 'binary': {
        const lt = this.infer(e.lhs);
        const rt = this.infer(e.rhs, lt);
        if (['==', '!=', '<', '<=', '>', '>=', '&&', '||'].includes(e.op)) {
          if (e.op === '&&' || e.op === '||') return BOOL;
          this.unifyCompared(lt, rt);
          return BOOL;
        }
        const l = this.shallow(lt);
        if (e.op === '+') this.checkStringAdd(l, this.shallow(rt), e.span);
        if (l.kind === 'adt' && l.std && l.name === 'String') return STRING;
        // Built-in operators on numbers and bools (an `{integer}`/`{float}` operand, or a variable
        // not known yet, `|a, b| a + b`, is taken as one), unless the variable stands for a value
        // the engine could not type (`openVars`): that may be a type of the file with its own `impl Add`.
        const builtin =
          l.kind === 'int' ||
          l.kind === 'float' ||
          l.kind === 'bool' ||
          (l.kind === 'infer' && (!!this.varKinds[l.id] || !this.openVars.has(l.id)));
        if (builtin) {
          if (e.op !== '<<' && e.op !== '>>') this.unify(lt, rt);
          return lt;
        }
        const user = userBinaryOp(l, e.op, this.shallow(rt), this.file);
        if (user) return user;
        if (l.kind === 'ref') {
          // `&i32 * 2`, and `&{integer} * 2` (`map(|x| x * 2)` over a `vec![1, 2]`): std's
          // `impl Mul<i32> for &i32` and its siblings give the primitive.
          const inner = this.shallow(l.inner);
          if (isPrimitive(inner)) return inner;
          if (inner.kind === 'infer' && (this.varKinds[inner.id] === 'int' || this.varKinds[inner.id] === 'float')) {
            const r = this.shallow(rt);
            if (e.op !== '<<' && e.op !== '>>') this.unify(inner, r.kind === 'ref' ? r.inner : r);
            return inner;
          }
        }
        return unknown('operator on a type the engine does not model');
      }
      case 'assign': {
        const lt = this.infer(e.lhs);
        this.infer(e.rhs, lt);
        this.unify(lt, e.rhs.ty);
        return UNIT;
      }
      case 'compoundAssign': {
        const lt = this.infer(e.lhs);
        this.infer(e.rhs, lt);
        const l = this.shallow(lt);
        if (l.kind === 'int' || l.kind === 'float' || l.kind === 'infer') this.unify(lt, e.rhs.ty);
        return UNIT;
      }
      case 'block':
        return this.inferBlock(e.block);
      case 'if': {
        this.infer(e.cond, BOOL);
        const tt = this.inferBlock(e.then);
        if (!e.else) return UNIT;
        const et = this.infer(e.else, tt);
        return this.join(tt, et);
      }
      case 'let': {
        const t = this.infer(e.init);
        this.bindPat(e.pat, t, 'move');
        return BOOL;
      }
      case 'match': {
        const st = this.infer(e.scrutinee);
        let result: Ty | undefined;
        for (const arm of e.arms) {
          this.bindPat(arm.pat, st, 'move');
          if (arm.guard) this.infer(arm.guard, BOOL);
          const bt = this.infer(arm.body, result);
          result = result ? this.join(result, bt) : bt;
        }
        return result ?? NEVER;
      }
      case 'loop': {
        const bt = this.fresh();
        this.loopStack.push(bt);
        this.inferBlock(e.body);
        this.loopStack.pop();
        return this.shallow(bt).kind === 'infer' && !this.loopHasBreak(e.body) ? NEVER : bt;
      }
      case 'while': {
        this.loopStack.push(UNIT);
        this.infer(e.cond, BOOL);
        this.inferBlock(e.body);
        this.loopStack.pop();
        return UNIT;
      }
      case 'for': {
        const it = this.infer(e.iter);
        this.bindPat(e.pat, this.itemTy(e.iter, it), 'move');
        this.loopStack.push(UNIT);
        this.inferBlock(e.body);
        this.loopStack.pop();
        return UNIT;
      }
      case 'break': {
        if (e.value) {
          const t = this.infer(e.value);
          const target = this.loopStack[this.loopStack.length - 1];
          if (target) this.unify(target, t);
        } else {
          const target = this.loopStack[this.loopStack.length - 1];
          if (target && this.shallow(target).kind === 'infer') this.unify(target, UNIT);
        }
        return NEVER;
      }
      case 'continue':
        return NEVER;
      case 'return':
        if (e.value) this.unify(this.infer(e.value, this.retTy), this.retTy);
        return NEVER;
      case 'closure': {
        // Passed to a std method: its `impl FnMut(..)` bound says what the closure receives.
        // Expected as a trait object or opaque type of a `Fn*` trait (`Box::new(|n| ..)` for a
        // `Box<dyn FnMut(u32)>`): its call signature.
        const exp = expected ? this.shallow(expected) : undefined;
        // A fn pointer type expected (`let f: fn(&u32) = |n| ..`, a `fn(&i32)` parameter): its
        // parameters and result (rustc deduces the closure's signature from it).
        const fnPointer = exp?.kind === 'fn' && !exp.bound && !exp.name;
        const sig =
          exp?.kind === 'fn' && (exp.bound || fnPointer) && exp.params.length === e.params.length
            ? exp
            : exp?.kind === 'opaque' && exp.call && exp.call.params.length === e.params.length
              ? exp.call
              : undefined;
        const params = e.params.map((p, i) => {
          const t = p.ty.kind === 'unknown' ? (sig ? sig.params[i] : this.fresh()) : p.ty;
          this.bindPat(p.pat, t, 'move');
          return t;
        });
        const savedRet = this.retTy;
        const savedLoops = this.loopStack;
        this.retTy = this.fresh();
        this.loopStack = [];
        const bt = this.infer(e.body);
        this.unify(this.retTy, bt);
        if (sig) this.unify(sig.ret, this.retTy);
        const closureSig = { params, ret: this.retTy };
        this.retTy = savedRet;
        this.loopStack = savedLoops;
        const id = e.ty.kind === 'closure' ? e.ty.id : e.id;
        this.results.closures.set(id, closureSig);
        return { ...(e.ty.kind === 'closure' ? e.ty : { kind: 'closure', id, moveCapture: e.moveCapture }), output: closureSig.ret };
      }
      case 'tuple':
        return { kind: 'tuple', elems: e.elems.map((x) => this.infer(x)) };
      case 'array': {
        const elem = this.fresh();
        for (const x of e.elems) this.unify(elem, this.infer(x, elem));
        return { kind: 'array', elem, len: e.elems.length };
      }
      case 'arrayRepeat': {
        const t = this.infer(e.elem);
        this.infer(e.count, USIZE);
        const len = e.count.kind === 'lit' && e.count.lit.kind === 'int' ? Number(e.count.lit.value) : null;
        return { kind: 'array', elem: t, len };
      }
      case 'structLit': {
        const adt = this.file.adts.get(e.adt);
        if (!adt) {
          for (const f of e.fields) this.infer(f.expr);
          if (e.base) this.infer(e.base);
          return unknown(`type \`${e.path}\` is not defined in this file`);
        }
        const args = adt.generics.map(() => this.fresh());
        const subst = adtSubst(adt, args);
        const defs = adt.kind === 'enum' ? (adt.variants.find((v) => v.name === e.variant)?.fields ?? []) : adt.fields;
        for (const f of e.fields) {
          const def = defs.find((d) => d.name === f.name);
          const ft = def ? substitute(def.ty, subst) : undefined;
          const t = this.infer(f.expr, ft);
          if (ft) this.unify(ft, t);
        }
        const ty: Ty = { kind: 'adt', name: adt.name, args };
        if (e.base) this.unify(this.infer(e.base, ty), ty);
        return ty;
      }
      case 'range': {
        const st = e.start ? this.infer(e.start) : undefined;
        const et = e.end ? this.infer(e.end, st) : undefined;
        if (st && et) this.unify(st, et);
        return unknown('range');
      }
      case 'cast':
        this.infer(e.expr);
        return e.target;
      case 'try': {
        const t = this.shallow(this.infer(e.expr));
        if (t.kind === 'adt' && t.std && (t.name === 'Option' || t.name === 'Result')) return t.args[0] ?? unknown();
        return unknown('`?` on a type the engine does not model');
      }
      case 'format': {
        for (const a of e.args) this.infer(a);
        if (e.macro === 'format') return STRING;
        if (['panic', 'unreachable', 'todo', 'unimplemented'].includes(e.macro)) return NEVER;
        if (e.macro === 'write' || e.macro === 'writeln')
          return { kind: 'adt', name: 'Result', args: [UNIT, unknown('fmt::Error')], std: true };
        if (e.macro === 'format_args') return unknown('fmt::Arguments');
        return UNIT;
      }
      case 'vec': {
        const elem = this.fresh();
        for (const x of e.elems) this.unify(elem, this.infer(x, elem));
        if (e.repeat) this.infer(e.repeat, USIZE);
        return { kind: 'adt', name: 'Vec', args: [elem], std: true };
      }
      case 'assert': {
        for (const a of e.args) this.infer(a);
        if (e.args.length === 2) this.unifyCompared(e.args[0].ty, e.args[1].ty);
        if (e.message) this.infer(e.message);
        return UNIT;
      }
      case 'dbg': {
        const ts = e.args.map((a) => this.infer(a));
        return ts.length === 1 ? ts[0] : { kind: 'tuple', elems: ts };
      }
      case 'unknown':
        this.openNumbers(e.children.map((c) => this.infer(c)));
        return unknown(e.text === 'syntax error' ? 'syntax error' : `\`${e.text}\` is not modelled`);
    }
  }

  private loopHasBreak(b: Block): boolean {
    let found = false;
    const visit = (e: Expr, depth: number): void => {
      if (found || depth > 200) return;
      if (e.kind === 'break') found = true;
      forEachChild(e, (c) => visit(c, depth + 1), false);
    };
    for (const s of b.stmts)
      if (s.kind === 'expr') visit(s.expr, 0);
      else if (s.kind === 'let' && s.init) visit(s.init, 0);
    if (b.tail) visit(b.tail, 0);
    return found;
  }

  private join(a: Ty, b: Ty): Ty {
    const sa = this.shallow(a);
    const sb = this.shallow(b);
    if (sa.kind === 'never') return b;
    if (sb.kind === 'never') return a;
    this.unify(a, b);
    return a;
  }

  private pathTy(res: Res, expected?: Ty): Ty {
    switch (res.kind) {
      case 'local':
        return this.fn.locals[res.local]?.ty ?? unknown();
      case 'fn': {
        const f = this.findFn(res.name);
        return f ? { kind: 'fn', params: f.params.map((p) => p.ty), ret: f.ret, name: f.qualName } : unknown();
      }
      case 'const':
        return this.file.consts.get(res.name)?.ty ?? unknown();
      case 'static':
        return this.file.statics.get(res.name)?.ty ?? unknown();
      case 'ctor': {
        const adt = this.file.adts.get(res.adt);
        if (!adt) return unknown();
        const args = adt.generics.map(() => this.fresh());
        const self: Ty = { kind: 'adt', name: adt.name, args };
        const fields = res.variant ? adt.variants.find((v) => v.name === res.variant)?.fields : adt.fields;
        const isUnit = res.variant ? adt.variants.find((v) => v.name === res.variant)?.shape === 'unit' : adt.fields.length === 0;
        if (isUnit) return self;
        const subst = adtSubst(adt, args);
        return {
          kind: 'fn',
          params: (fields ?? []).map((f) => substitute(f.ty, subst)),
          ret: self,
          name: res.variant ? `${adt.name}::${res.variant}` : adt.name,
        };
      }
      case 'std': {
        if (res.path === 'None') {
          const e = expected ? this.shallow(expected) : undefined;
          if (e?.kind === 'adt' && e.name === 'Option') return e;
          return { kind: 'adt', name: 'Option', args: [this.fresh()], std: true };
        }
        // A unit variant of another std enum (`Ordering::Less`).
        const unit = stdUnitVariant(res.path);
        const def = unit ? stdAdtDef(unit.adt) : undefined;
        if (unit && def) return { kind: 'adt', name: unit.adt, args: def.generics.map(() => this.fresh()), std: true };
        return stdConstType(res.path) ?? unknown(`\`${res.path}\` used as a value`);
      }
      case 'unknown':
        // A std numeric constant (`i32::MAX`, `f64::consts::PI`) has its primitive type.
        return stdConstType(res.text) ?? unknown(`\`${res.text}\` is not defined in this file`);
    }
  }

  /** The method cx of this body: the file's items, inference variables resolved as far as known. */
  private methodCx(): MethodCx {
    const tr = this.fn.traitName ? this.file.traits.get(this.fn.traitName) : undefined;
    const selfTrait = tr?.methods.includes(this.fn) ? tr.name : undefined;
    return { file: this.file, resolve: (t) => this.zonkShallowDeep(t), ...(selfTrait ? { selfTrait } : {}) };
  }

  /**
   * The fn a path call calls: the fn of that name, or for a trait method called by path
   * (`Trait::m(&x)`, `<X as Trait>::m(..)`) the impl's method for the `Self` type (written, or
   * the first argument's), else the trait's default body.
   */
  private calleeFn(res: Extract<Res, { kind: 'fn' }>, args: Expr[]): FnDef | undefined {
    const f = this.findFn(res.name);
    // Several impls of one generic trait for the same type (`impl TryFrom<u32> for Even` and
    // `impl TryFrom<i64> for Even`) define the same path (`#2`, `#3`: hir/defmap.ts): the one
    // whose first parameter takes the first argument's type, as rustc selects the impl; none
    // when that is not one of them (precision first: the call is then unknown).
    if (f && this.findFn(`${res.name}#2`) && args[0]) {
      const cands: FnDef[] = [f];
      for (let n = 2; n < 64; n++) {
        const g = this.findFn(`${res.name}#${n}`);
        if (!g) break;
        cands.push(g);
      }
      const at = this.shallow(this.inferAhead(args[0]));
      const same = (p: Ty | undefined): boolean =>
        !!p &&
        p.kind === at.kind &&
        (p.kind === 'adt' || p.kind === 'int' || p.kind === 'float'
          ? (p as { name: string }).name === (at as { name: string }).name
          : true);
      const fit = cands.filter((g) => same(g.params[0]?.ty));
      return fit.length === 1 ? fit[0] : undefined;
    }
    const traitName = res.name.includes('::') ? res.name.slice(0, res.name.lastIndexOf('::')) : undefined;
    const tr = traitName ? this.file.traits.get(traitName) : undefined;
    if (!f || !tr || !tr.methods.includes(f)) return f;
    const selfTy = res.selfTy ?? (args[0] ? this.inferAhead(args[0]) : undefined);
    const found = selfTy ? traitMethodFor(tr.name, f.name, selfTy, this.methodCx()) : undefined;
    if (found) return found.fn;
    return f.body ? f : undefined;
  }

  /** The file's `deref` / `index` (…`_mut`) a path call of `Deref::deref` & co. names (`hir/overloaded.ts` `userPlaceOpFn`). */
  private userPlaceOpCallee(path: string, args: Expr[]): FnDef | undefined {
    if (!/(^|::)(Deref|DerefMut|Index|IndexMut)::[a-z_]+$/.test(path) || !args[0]) return undefined;
    const self = this.zonkShallowDeep(this.inferAhead(args[0]));
    const idx = args[1] ? this.zonkShallowDeep(this.inferAhead(args[1])) : undefined;
    return userPlaceOpFn(path, self, idx, this.file);
  }

  /** `infer(e)` now, for a call that must look at an argument's type to choose its callee; the call's own `infer(e)` then reuses it. */
  private inferAhead(e: Expr): Ty {
    const t = this.infer(e);
    this.inferredAhead.set(e, t);
    return t;
  }

  /** Marks the number-literal variables in `tys` (through references, tuples, arrays, ADT arguments) open (`openVars`). */
  private openNumbers(tys: readonly Ty[]): void {
    const visit = (t0: Ty, depth: number): void => {
      if (depth > 16) return;
      const t = this.shallow(t0);
      switch (t.kind) {
        case 'infer':
          if (this.varKinds[t.id]) this.openVars.add(t.id);
          return;
        case 'ref':
        case 'rawptr':
          return visit(t.inner, depth + 1);
        case 'tuple':
          return t.elems.forEach((x) => visit(x, depth + 1));
        case 'array':
        case 'slice':
          return visit(t.elem, depth + 1);
        case 'adt':
          return t.args.forEach((x) => visit(x, depth + 1));
        default:
          return;
      }
    };
    for (const t of tys) visit(t, 0);
  }

  /**
   * The two sides of `==`, `<`, `assert_eq!(a, b)`: comparisons of numbers, bools and chars are
   * between one type, so they are unified, and so are a variable not known yet with the other
   * side (`|a, b| a == b`); `PartialEq` between other types may not be (`String == &str`), so a
   * variable standing for a value the engine could not type (`openVars`) is unified only when the
   * left side is a number, bool or char.
   */
  private unifyCompared(lt: Ty, rt: Ty): void {
    const l = this.shallow(lt),
      r = this.shallow(rt);
    const plainVar = (t: Ty): boolean => t.kind === 'infer' && (!!this.varKinds[t.id] || !this.openVars.has(t.id));
    if (plainVar(l) || plainVar(r) || isPrimitive(l)) this.unify(lt, rt);
  }

  /**
   * A call through a fn pointer or fn item type: the arguments take its parameter types (when as
   * many are given), the call has its result type.
   */
  private callFnPointer(ft: Ty & { kind: 'fn' }, argTys: Ty[]): Ty {
    // A generic fn item's parameters (`T`) are not types to unify with.
    const generic = ft.params.some((p) => someTyPart(p, (t) => t.kind === 'param', 16));
    if (argTys.length === ft.params.length && !generic) ft.params.forEach((p, i) => this.unify(p, argTys[i]));
    return ft.ret;
  }

  private findFn(qualName: string): FnDef | undefined {
    return this.file.fnByPath.get(qualName);
  }

  private inferCall(e: Extract<Expr, { kind: 'call' }>, expected?: Ty): Ty {
    const callee = e.callee;
    if (callee.kind === 'path') {
      this.exprs.push(callee);
      const res = callee.res;
      if (res.kind === 'fn' || res.kind === 'std') {
        // `Deref::deref(&x)` / `Index::index(&v, i)` of the file's own impl: that fn.
        const f = res.kind === 'fn' ? this.calleeFn(res, e.args) : this.userPlaceOpCallee(res.path, e.args);
        if (f) {
          this.results.calls.set(e.id, f);
          const subst = new Map<string, Ty>(f.generics.map((g) => [g, this.fresh()]));
          // A method called by path (`Self::foo(self, x)`) takes its receiver first.
          const off = f.selfKind ? 1 : 0;
          // A wrong number of arguments is E0061.
          if (e.args.length !== f.params.length + off) this.results.typeErrors.push(e.span);
          if (off && e.args[0]) this.infer(e.args[0]);
          f.params.forEach((p, i) => {
            const pt = substitute(p.ty, subst);
            const a = e.args[i + off];
            if (!a) return;
            // A closure passed for `F: FnOnce(&S) -> R` receives what the bound says.
            const cb = a.kind === 'closure' && p.ty.kind === 'param' ? f.callBounds?.[p.ty.name] : undefined;
            const closureSig: Ty | undefined = cb && {
              kind: 'fn',
              params: cb.params.map((t) => substitute(t, subst)),
              ret: substitute(cb.ret, subst),
              bound: cb.trait,
            };
            const at = this.infer(a, closureSig ?? pt);
            this.checkCoercible(pt, at, a.span);
            this.unify(pt, at);
            // A closure passed by name or by reference (`call_twice(&add)` for `f: &F`, `F: Fn() -> u8`):
            // its parameters and result are the bound's.
            const boundParam = p.ty.kind === 'param' ? p.ty : p.ty.kind === 'ref' && p.ty.inner.kind === 'param' ? p.ty.inner : undefined;
            const bound = a.kind !== 'closure' && boundParam ? f.callBounds?.[boundParam.name] : undefined;
            if (bound) {
              const held = this.shallow(at);
              const c = held.kind === 'ref' ? this.shallow(held.inner) : held;
              const sig = c.kind === 'closure' ? this.results.closures.get(c.id) : undefined;
              if (sig && sig.params.length === bound.params.length) {
                bound.params.forEach((t, j) => this.unify(sig.params[j], substitute(t, subst)));
                this.unify(sig.ret, substitute(bound.ret, subst));
              }
            }
          });
          for (const a of e.args.slice(f.params.length + off)) this.infer(a);
          callee.ty = { kind: 'fn', params: f.params.map((p) => p.ty), ret: f.ret, name: f.qualName };
          return substitute(f.ret, subst);
        }
      }
      if (res.kind === 'ctor') {
        const ft = this.pathTy(res);
        callee.ty = ft;
        if (ft.kind === 'fn') {
          ft.params.forEach((pt, i) => {
            const a = e.args[i];
            if (a) this.unify(pt, this.infer(a, pt));
          });
          return ft.ret;
        }
      }
      if (res.kind === 'std') {
        callee.ty = unknown(res.path);
        const prelude = ['Some', 'Ok', 'Err', 'drop', 'mem::drop'].includes(res.path);
        const sep = res.path.lastIndexOf('::');
        // Arguments written on the type segment bind the type's parameters (`Vec::<u8>::new()`); `_` binds nothing.
        const selfArgs = (callee.kind === 'path' ? (callee.selfArgs?.types ?? []) : []).map((t) => (t.kind === 'unknown' ? undefined : t));
        const m = !prelude && sep >= 0 ? stdAssocFn(res.path.slice(0, sep), res.path.slice(sep + 2), selfArgs) : undefined;
        if (m) {
          this.results.stdCalls.set(e.id, m);
          return this.applyStdTo(m, e.args, [], expected);
        }
        const argTys = e.args.map((a) => this.infer(a));
        if (res.path === 'Some') return { kind: 'adt', name: 'Option', args: [argTys[0] ?? this.fresh()], std: true };
        if (res.path === 'Ok' || res.path === 'Err') {
          const exp = expected ? this.shallow(expected) : undefined;
          const args = exp?.kind === 'adt' && exp.name === 'Result' ? exp.args : [this.fresh(), this.fresh()];
          if (res.path === 'Ok') this.unify(args[0], argTys[0] ?? UNIT);
          else this.unify(args[1], argTys[0] ?? UNIT);
          return { kind: 'adt', name: 'Result', args, std: true };
        }
        if (res.path === 'drop' || res.path === 'mem::drop') {
          const d = stdAssocFn('', 'drop', []);
          if (d) this.results.stdCalls.set(e.id, d);
          return UNIT;
        }
        this.openNumbers(argTys);
        return unknown(`\`${res.path}\` is not modelled`);
      }
      if (res.kind === 'const' || res.kind === 'static') {
        // A call through a `const`/`static` fn pointer (`const PRINT: fn(&u32) = ..; PRINT(&x)`).
        const ct = (this.file.consts.get(res.name) ?? this.file.statics.get(res.name))?.ty;
        if (ct?.kind === 'fn' && !ct.bound && !ct.name) {
          callee.ty = ct;
          return this.callFnPointer(
            ct,
            e.args.map((a, i) => this.infer(a, ct.params[i])),
          );
        }
      }
      if (res.kind === 'local') {
        const ct = this.shallow(this.fn.locals[res.local]?.ty ?? unknown());
        callee.ty = ct;
        // A closure argument gets the parameter type of the closure or fn pointer called
        // (`run(&2, |n| ..)` where `run` takes a `sink: fn(&i32)`).
        const calleeParams = ct.kind === 'closure' ? this.results.closures.get(ct.id)?.params : ct.kind === 'fn' ? ct.params : undefined;
        const argTys = e.args.map((a, i) => this.infer(a, a.kind === 'closure' ? calleeParams?.[i] : undefined));
        if (ct.kind === 'closure') {
          const sig = this.results.closures.get(ct.id);
          if (sig) {
            sig.params.forEach((p, i) => argTys[i] && this.unify(p, argTys[i]));
            return sig.ret;
          }
        }
        if (ct.kind === 'fn') return this.callFnPointer(ct, argTys);
        // Through `&F`, `Box<F>`, `Rc<F>` to a `dyn Fn(..) -> R` / `impl Fn(..) -> R`. A result
        // holding references stays unknown: its lifetimes are the callee's (higher-ranked).
        let target: Ty = ct;
        for (let i = 0; i < 4; i++) {
          if (target.kind === 'ref') target = this.shallow(target.inner);
          else if (target.kind === 'adt' && target.std && ['Box', 'Rc', 'Arc'].includes(target.name) && target.args[0])
            target = this.shallow(target.args[0]);
          else break;
        }
        if (target.kind === 'opaque' && target.call && target.call.params.length === argTys.length) {
          const sig = target.call;
          sig.params.forEach((p, i) => this.unify(p, argTys[i]));
          if (!mentionsRef(sig.ret)) return sig.ret;
        }
        return unknown('call through a value of unknown type');
      }
    }
    this.infer(callee);
    this.openNumbers(e.args.map((a) => this.infer(a)));
    return unknown(`call to \`${callee.kind === 'path' ? callee.text : 'an expression'}\`, which is not defined in this file`);
  }

  /** Binds the element of each pending `collect` target now known (`pendingFromIter`). */
  private solveFromIter(): void {
    this.pendingFromIter = this.pendingFromIter.filter(({ target, item }) => {
      const t = this.shallow(target);
      if (t.kind === 'infer') return true;
      const elem = fromIterItem(t);
      if (elem) this.unify(elem, item);
      return false;
    });
  }

  /**
   * Instantiates a std signature on argument expressions: generic params become fresh variables
   * bound by the arguments (a turbofish, `parse::<i32>()`, binds the method's own parameters in
   * order; `expected`, the call's expected type, binds its result first); each argument is
   * inferred with its instantiated parameter type expected, so that a closure passed where the std model writes `impl FnMut(&Self::Item) -> B`
   * gets those parameter types (`filter(|x| **x > 1)` on `Iter<i32>`: `x: &&i32`) and binds `B`.
   */
  private applyStdTo(m: StdMethod, args: Expr[], turbofish: Ty[] = [], expected?: Ty): Ty {
    const subst = new Map<string, Ty>();
    // `collect::<Vec<_>>()`: each `_` is a variable to infer.
    (m.generics ?? []).forEach((g, i) => turbofish[i] && turbofish[i].kind !== 'unknown' && subst.set(g, this.fillHoles(turbofish[i])));
    const inst = (t: Ty): Ty => instantiateParams(t, subst, () => this.fresh());
    // The type the call is expected to have binds the signature's parameters first
    // (`Box::new(x)` where a `Box<dyn FnMut(u32)>` is expected: `T` is that trait object).
    if (expected) this.unify(inst(m.ret), expected);
    args.forEach((a, i) => {
      const p = m.params[i];
      if (!p) return void this.infer(a);
      const pt = inst(p);
      // A closure argument gets what its parameter's bound says, or the call signature of the
      // trait object it becomes (`Box::new(|n| ..)` expected as a `Box<dyn FnMut(u32)>`).
      const spt = this.shallow(pt);
      const closureExp = a.kind === 'closure' && spt.kind === 'opaque' && spt.call ? spt : undefined;
      const at = this.infer(a, pt.kind === 'fn' && pt.bound ? pt : closureExp);
      this.unify(pt, at);
      // `f: F` with `F: FnMut(..) -> B`: `F` is the argument's own type (`Map<Self, F>`), and a
      // fn item's or pointer's result is the bound's `B`.
      const name = m.closureNames?.[i];
      if (name && !subst.has(name)) subst.set(name, this.shallow(at));
      const fat = this.shallow(at);
      // (A generic fn's result, `T` of `fn id<T>`, is not instantiated here: left to infer.)
      if (pt.kind === 'fn' && pt.bound && fat.kind === 'fn' && !fat.bound && !someTyPart(fat.ret, (t) => t.kind === 'param', 16))
        this.unify(pt.ret, fat.ret);
      // A closure passed through a variable (`let f = |s: &String| ..; opt.map(f)`): its result.
      if (pt.kind === 'fn' && pt.bound && fat.kind === 'closure' && fat.output && a.kind !== 'closure') this.unify(pt.ret, fat.output);
    });
    const ret = inst(m.ret);
    if (m.fromIter) {
      this.pendingFromIter.push({ target: inst({ kind: 'param', name: m.fromIter.param }), item: inst(m.fromIter.item) });
      this.solveFromIter();
    }
    return ret;
  }

  private inferMethodCall(e: Extract<Expr, { kind: 'methodCall' }>): Ty {
    const rt = this.infer(e.receiver);
    const recvTy = this.zonkShallowDeep(rt);
    const res = probeMethod(recvTy, e.method, this.methodCx()) ?? soleBlanketMethod(recvTy, e.method, this.methodCx());
    if (res?.kind === 'user') {
      this.results.methods.set(e.id, res);
      const subst = new Map(res.subst);
      for (const g of res.fn.generics) if (!subst.has(g)) subst.set(g, this.fresh());
      res.fn.params.forEach((p, i) => {
        const pt = substitute(p.ty, subst);
        const a = e.args[i];
        if (a) this.unify(pt, this.infer(a, pt));
      });
      for (const a of e.args.slice(res.fn.params.length)) this.infer(a);
      return substitute(res.fn.ret, subst);
    }
    if (res) {
      this.results.methods.set(e.id, res);
      return this.applyStdTo(res.method, e.args, e.turbofish);
    }
    this.openNumbers(e.args.map((a) => this.infer(a)));
    const recv = this.shallow(rt);
    if (recv.kind === 'infer' || recv.kind === 'unknown') return unknown(`method \`${e.method}\` on a value of unknown type`);
    return unknown(`method \`${e.method}\` is not modelled`);
  }

  /** Resolves inference variables in `t` as far as known, keeping unresolved ones. */
  private zonkShallowDeep(t: Ty): Ty {
    t = this.shallow(t);
    if (t.kind === 'ref') return { ...t, inner: this.zonkShallowDeep(t.inner) };
    if (t.kind === 'adt')
      return { ...t, args: t.args.map((a) => (this.shallow(a).kind === 'closure' ? this.zonkShallowDeep(a) : this.shallow(a))) };
    // What a closure returns, as far as known (the item of `Map<I, F>` is `F::Output`).
    if (t.kind === 'closure' && t.output) return { ...t, output: this.zonkShallowDeep(t.output) };
    return t;
  }

  private fieldTy(base: Ty, name: string): Ty {
    const found = fieldTyThroughDeref(base, name, this.methodCx());
    if (found) return found.ty;
    const t = this.shallow(base);
    if (t.kind === 'adt' && !t.std && this.file.adts.has(t.name)) return unknown(`no field \`${name}\` known on \`${t.name}\``);
    return unknown(`field \`${name}\` of a value of unknown type`);
  }

  /** `base[index]` through auto-deref: the first type in the chain with an `Index` impl for the index, std's or the file's (Rust reference, "Index expressions"). */
  private indexTy(base: Ty, index: Ty): Ty {
    const it = this.shallow(index);
    const isRange = it.kind === 'unknown' && it.reason === 'range';
    const byInt = it.kind === 'int' || (it.kind === 'infer' && it.integral === true);
    const bys: ('usize' | 'range' | 'key')[] = isRange
      ? ['range']
      : byInt
        ? ['usize']
        : it.kind === 'infer' || it.kind === 'unknown'
          ? ['usize', 'key']
          : ['key'];
    for (const step of autoderef(base, (t) => this.zonkShallowDeep(t), this.file)) {
      if (step.unsize) break;
      for (const by of bys) {
        const out = indexOutput(step.ty, by);
        if (!out) continue;
        // std indexes arrays, slices, `Vec`, `VecDeque` and `str` positions by `usize` only
        // (`impl<T, I: SliceIndex<[T]>> Index<I> for [T]`; for integers `SliceIndex` is implemented
        // for `usize` alone): `let i = 0; v[i]` makes `i` a `usize`, as in rustc.
        // (Not the maps, which `indexOutput` also answers for a `usize` index: they index by `&K`.)
        const byPosition = step.ty.kind === 'array' || step.ty.kind === 'slice' || hasIndexMutByPosition(step.ty) === true;
        if (by === 'usize' && it.kind === 'infer' && byPosition) this.unify(index, USIZE);
        return out;
      }
      // The file's own `impl Index<Idx> for T` (`hir/overloaded.ts`).
      const user = userIndex(step.ty, it, this.file);
      if (user) {
        // The index takes the impl's `Idx` (`v[0]` with `impl Index<usize>`: the literal is a `usize`).
        const idx = user.fn.params[0]?.ty;
        if (idx && !someTyPart(idx, (t) => t.kind === 'param' || t.kind === 'unknown', 16)) this.unify(idx, it);
        return user.target;
      }
      if (user === null) break;
    }
    return unknown('indexing a value of unknown type');
  }

  /** The item type a `for` loop binds, from the iterated expression (`IntoIterator::Item`, from the std model). */
  private itemTy(iter: Expr, t: Ty): Ty {
    if (iter.kind === 'range') {
      const st = iter.start ? this.shallow(iter.start.ty) : iter.end ? this.shallow(iter.end.ty) : undefined;
      return st ?? this.fresh('int');
    }
    return intoIterItem(this.zonkShallowDeep(t)) ?? unknown('iterator item');
  }
}

function isPrimitive(t: Ty): boolean {
  return t.kind === 'int' || t.kind === 'float' || t.kind === 'bool' || t.kind === 'char';
}

/** Generic substitution for an ADT's parameters given its arguments. */
export function adtSubst(adt: AdtDef, args: Ty[]): Map<string, Ty> {
  return new Map(adt.generics.map((g, i) => [g, args[i] ?? unknown()]));
}

function instantiateParams(t: Ty, subst: Map<string, Ty>, fresh: () => Ty): Ty {
  switch (t.kind) {
    case 'param': {
      let v = subst.get(t.name);
      if (!v) subst.set(t.name, (v = fresh()));
      return v;
    }
    case 'ref':
    case 'rawptr':
      return { ...t, inner: instantiateParams(t.inner, subst, fresh) };
    case 'tuple':
      return { kind: 'tuple', elems: t.elems.map((e) => instantiateParams(e, subst, fresh)) };
    case 'array':
    case 'slice':
      return { ...t, elem: instantiateParams(t.elem, subst, fresh) };
    case 'adt':
      return { ...t, args: t.args.map((a) => instantiateParams(a, subst, fresh)) };
    case 'fn':
      return { ...t, params: t.params.map((p) => instantiateParams(p, subst, fresh)), ret: instantiateParams(t.ret, subst, fresh) };
    default:
      return t;
  }
}

/**
 * Calls `f` on each direct subexpression of `e` (in evaluation order). Closure bodies are
 * included only when `intoClosures` is set.
 */
export function forEachChild(e: Expr, f: (c: Expr) => void, intoClosures = true): void {
  const block = (b: Block): void => {
    for (const s of b.stmts) {
      if (s.kind === 'let') {
        if (s.init) f(s.init);
        if (s.elseBlock) block(s.elseBlock);
        if (s.pat.kind === 'lit') f(s.pat.expr);
      } else if (s.kind === 'expr') f(s.expr);
    }
    if (b.tail) f(b.tail);
  };
  switch (e.kind) {
    case 'lit':
    case 'path':
    case 'continue':
      return;
    case 'call':
      f(e.callee);
      e.args.forEach(f);
      return;
    case 'methodCall':
      f(e.receiver);
      e.args.forEach(f);
      return;
    case 'field':
      f(e.base);
      return;
    case 'index':
      f(e.base);
      f(e.index);
      return;
    case 'unary':
      f(e.operand);
      return;
    case 'ref':
      f(e.operand);
      return;
    case 'binary':
      f(e.lhs);
      f(e.rhs);
      return;
    case 'assign':
      f(e.rhs);
      f(e.lhs);
      return;
    case 'compoundAssign':
      f(e.rhs);
      f(e.lhs);
      return;
    case 'block':
      block(e.block);
      return;
    case 'if':
      f(e.cond);
      block(e.then);
      if (e.else) f(e.else);
      return;
    case 'let':
      f(e.init);
      return;
    case 'match':
      f(e.scrutinee);
      for (const a of e.arms) {
        if (a.guard) f(a.guard);
        f(a.body);
      }
      return;
    case 'loop':
      block(e.body);
      return;
    case 'while':
      f(e.cond);
      block(e.body);
      return;
    case 'for':
      f(e.iter);
      block(e.body);
      return;
    case 'break':
      if (e.value) f(e.value);
      return;
    case 'return':
      if (e.value) f(e.value);
      return;
    case 'closure':
      if (intoClosures) f(e.body);
      return;
    case 'tuple':
    case 'array':
      e.elems.forEach(f);
      return;
    case 'arrayRepeat':
      f(e.elem);
      f(e.count);
      return;
    case 'structLit':
      e.fields.forEach((x) => f(x.expr));
      if (e.base) f(e.base);
      return;
    case 'range':
      if (e.start) f(e.start);
      if (e.end) f(e.end);
      return;
    case 'cast':
      f(e.expr);
      return;
    case 'try':
      f(e.expr);
      return;
    case 'format':
      e.args.forEach(f);
      return;
    case 'vec':
      e.elems.forEach(f);
      if (e.repeat) f(e.repeat);
      return;
    case 'assert':
      e.args.forEach(f);
      if (e.message) f(e.message);
      return;
    case 'dbg':
      e.args.forEach(f);
      return;
    case 'unknown':
      e.children.forEach(f);
      return;
  }
}

/**
 * Whether a value of type `actual` can certainly not coerce to `expected` (both fully known):
 * different scalar types, a reference where a value is expected or the reverse, different
 * structs, `&T` where `&mut T` is expected. Deref coercions (`&String` → `&str`, `&Vec<T>` →
 * `&[T]`, `&Box<T>` → `&T`, `&[T; N]` → `&[T]`) and `&mut T` → `&T` are allowed.
 */
export function definitelyIncompatible(expected: Ty, actual: Ty, depth = 0): boolean {
  if (depth > 16) return false;
  const vague = (t: Ty): boolean => containsUnknown(t) || mentionsOpaque(t);
  if (vague(expected) || vague(actual)) return false;
  if (actual.kind === 'never') return false;
  if (expected.kind === 'ref' && actual.kind === 'ref') {
    if (expected.mutable && !actual.mutable) return true;
    let inner: Ty | undefined = actual.inner;
    for (let i = 0; i < 4 && inner; i++) {
      if (displayTy(inner) === displayTy(expected.inner)) return false;
      const next: Ty | undefined =
        inner.kind === 'array'
          ? { kind: 'slice', elem: inner.elem }
          : inner.kind === 'ref'
            ? inner.inner
            : inner.kind === 'adt' && inner.std && inner.name === 'String'
              ? { kind: 'str' }
              : inner.kind === 'adt' && inner.std && inner.name === 'Vec'
                ? { kind: 'slice', elem: inner.args[0] ?? { kind: 'unknown' } }
                : inner.kind === 'adt' && inner.std && (inner.name === 'Box' || inner.name === 'Rc' || inner.name === 'Arc')
                  ? inner.args[0]
                  : undefined;
      inner = next;
    }
    return definitelyIncompatible(expected.inner, actual.inner, depth + 1) && scalarOrAdt(expected.inner) && scalarOrAdt(actual.inner);
  }
  if ((expected.kind === 'ref') !== (actual.kind === 'ref')) return scalarOrAdt(expected.kind === 'ref' ? actual : expected);
  // Integer and float widths are not judged: literal types are inferred from context here, and
  // a wrong guess would hide real borrow errors. A bool or char where a number is needed is.
  if (isScalarTy(expected) && isScalarTy(actual)) return scalarClass(expected) !== scalarClass(actual);
  if (isScalarTy(expected) !== isScalarTy(actual)) return scalarOrAdt(expected) && scalarOrAdt(actual);
  if (expected.kind === 'adt' && actual.kind === 'adt') return expected.name !== actual.name;
  return false;
}

function scalarClass(t: Ty): string {
  return t.kind === 'int' || t.kind === 'float' ? 'number' : t.kind;
}

function isScalarTy(t: Ty): boolean {
  return t.kind === 'int' || t.kind === 'float' || t.kind === 'bool' || t.kind === 'char';
}

function scalarOrAdt(t: Ty): boolean {
  return isScalarTy(t) || t.kind === 'adt' || t.kind === 'str';
}

function mentionsOpaque(t: Ty): boolean {
  return someTyPart(t, (x) => ['opaque', 'param', 'closure', 'fn', 'rawptr'].includes(x.kind), 16);
}

/** True when `t` mentions a reference, a raw pointer or a type whose lifetimes are not written (bounded by its size). */
function mentionsRef(t: Ty): boolean {
  return someTyPart(
    t,
    (x) => ['ref', 'rawptr', 'opaque', 'param', 'fn', 'closure'].includes(x.kind) || (x.kind === 'adt' && (x.regions?.length ?? 0) > 0),
    16,
  );
}

/** `xs` mapped by `f`, or `xs` itself when `f` returns each element unchanged. */
function sameOrMapped(xs: Ty[], f: (x: Ty) => Ty): Ty[] {
  let out: Ty[] | undefined;
  for (let i = 0; i < xs.length; i++) {
    const y = f(xs[i]);
    if (!out && y !== xs[i]) out = xs.slice(0, i);
    out?.push(y);
  }
  return out ?? xs;
}
