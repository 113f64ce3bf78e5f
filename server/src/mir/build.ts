/**
 * MIR building: typed HIR → one `Body` (CFG of places) per function and per closure, in the
 * shape of rustc_mir_build: expressions are evaluated into places, operands are `copy` or `move`
 * by the type's Copy-ness, scopes end with `drop` terminators and `StorageDead` in reverse
 * declaration order, and temporaries are dropped at the end of their statement.
 *
 * When a type is unknown, a use is lowered as `copy` (no move), so borrowck stays silent about
 * it: precision before recall. Everything is bounded by the HIR's own size.
 */
import type { Block, Edition, Expr, FileHir, FnDef, LocalId as HirLocalId, Pat, Res, Span, Stmt, FormatPiece } from '../hir/hir';
import { BOOL, I32, USIZE, isUnknown, type Ty, tyEquals, UNIT, unknown, ref as refTy, substitute } from '../hir/ty';
import { adtSubst, forEachChild, peelRefs, type FileTypeck, type TypeckResults } from '../hir/infer';
import { derefStep, derefTy, indexOutput, isCopy, needsDrop, stdAdtDef, stdUnitVariant } from '../std/facts';
import { promotionOf } from './promote';
import { autoDerefThrough, overloadedPlace, receiverDerefs, type PlaceOpHost } from './placeOps';
import { userDeref, userIndex } from '../hir/overloaded';
import { closureResultSources, fnResultSources, resolveClosureBorrows, type ClosureResultSources } from '../hir/closureResult';
import { stdAssocFn } from '../std/lookup';
import {
  namesRegion,
  fnPointerCallBorrows,
  stdCallBorrows,
  substUser,
  userCallBorrows,
  userSubstForAdt,
  userSubstForFn,
  type CallBorrows,
  type UserSubst,
} from '../hir/lifetimes';
import { COMPOUND_ASSIGN } from '../std/any';
import { stdFn, type StdFnId } from '../std/registry';

/** The registry id of a std builtin or fn (`println!`, `Iterator::next`), undefined when the registry has none. */
const stdId = (id: string): StdFnId | undefined => stdFn(id)?.id;
import type {
  BasicBlock,
  BlockId,
  Body,
  BorrowKind,
  Callee,
  MirLocal,
  MoveNote,
  Operand,
  Place,
  ProjectionElem,
  Rvalue,
  Statement,
  Terminator,
} from './mir';
import { placeText } from './mir';
import { rvalueOperands, rvaluePlace, terminatorOperands } from './visit';

/** All bodies of a file, keyed by path: fns by `FnDef.qualName`, closures by their `name` (`main::{closure#0}`). */
export interface MirProgram {
  bodies: Map<string, Body>;
  /** Closure expression id (Ty `closure.id`) → body name and its captures in order. */
  closures: Map<number, { name: string; captures: CaptureInfo[] }>;
  /** For each fn body: HIR local → MIR local. */
  localMaps: Map<string, Map<HirLocalId, number>>;
  /** The edition the program was built for (closure captures depend on it). */
  edition: Edition;
}

/** A closure capture after capture analysis (rustc: `ty::UpvarCapture`). */
export interface CaptureInfo {
  hirLocal: HirLocalId;
  name: string;
  mode: 'ref' | 'mut' | 'move';
  /** The body moves the captured value out (the closure is then `FnOnce`). */
  consumed?: boolean;
  /** The use inside the closure body that decided the mode. */
  useSpan: Span;
  /**
   * The captured place below the local: field projections (`s.a` captures `a` of `s`), empty
   * for the whole local. Edition 2021 captures such disjoint places (RFC 2229); older editions
   * always capture whole locals.
   */
  fields: { name: string; index: number; ty: Ty }[];
}

/** Builds MIR for every function with a body. A failure costs only that function. */
export function buildProgram(
  file: FileHir,
  typeck: FileTypeck,
  failures: { function: string; message: string }[],
  edition: Edition = '2021',
): MirProgram {
  const prog: MirProgram = { bodies: new Map(), closures: new Map(), localMaps: new Map(), edition };
  for (const fn of file.fns) {
    const tr = typeck.get(fn);
    if (tr) buildFnBodies(file, fn, tr, prog, failures);
  }
  return prog;
}

/**
 * Builds the MIR of one fn with a body (and of its closures) into `prog`. A failure costs only
 * that fn: it is added to `failures`.
 */
export function buildFnBodies(
  file: FileHir,
  fn: FnDef,
  tr: TypeckResults,
  prog: MirProgram,
  failures: { function: string; message: string }[],
): void {
  if (!fn.body) return;
  try {
    const b = new FnBuilder(file, fn, tr, prog);
    prog.bodies.set(fn.qualName, b.buildFn());
    prog.localMaps.set(fn.qualName, b.localMap);
  } catch (e) {
    failures.push({ function: fn.qualName, message: `MIR building failed: ${(e as Error).message}` });
  }
}

interface LoopScope {
  label?: string;
  breakBlock: BlockId;
  continueBlock: BlockId;
  resultPlace: Place | null;
  /** Depth of the drop scope stack when the loop began (breaks drop down to it). */
  scopeDepth: number;
}

interface DropScope {
  /** MIR locals declared in this scope, in declaration order. */
  locals: number[];
  span: Span;
}

const ZERO_SPAN: Span = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

class FnBuilder {
  readonly localMap = new Map<HirLocalId, number>();
  private locals: MirLocal[] = [];
  private blocks: BasicBlock[] = [];
  private current: BlockId | null = 0;
  private scopes: DropScope[] = [];
  private loops: LoopScope[] = [];
  private returnBlock: BlockId = -1;
  private readonly ascriptions: NonNullable<Body['ascriptions']> = [];
  /**
   * While lowering the arms of a match with a guard: the places its patterns test, and the
   * places its bindings read through a deref (rustc `collect_fake_borrows`).
   */
  private fakeBorrowPlaces: { tested: Place[]; bound: Place[] } | null = null;
  /** Closure expressions passed where a parameter's bound says which closure trait they must implement. */
  private readonly expectedClosureKinds = new Map<Expr, 'Fn' | 'FnMut'>();
  /** The closure expressions built so far, by closure id (what a closure-decided relation reads: `hir/closureResult.ts`). */
  private readonly closureExprs = new Map<number, Extract<Expr, { kind: 'closure' }>>();
  /** Per closure, which of its parameters have regions of their own (`Body.closure.ownRegions`). */
  private readonly closureOwnRegions = new Map<Expr, boolean[]>();
  private unsupported: { span: Span; what: string }[] = [];
  private loopSpans: { head: Span; body: Span }[] = [];
  /** Temporaries needing a drop at the end of the current statement. */
  private stmtTemps: number[][] = [];
  /** For closure bodies: captured HIR local → (MIR local, by-ref?) */
  /** Borrow expressions whose operand's temporaries live to the end of the block (see `markExtending`). */
  private readonly extending = new Set<Expr>();
  /** The expression a pattern being bound matches (`match s {..}`, `let P = s`), for move errors. */
  private scrutinee: Span | undefined;
  /** While binding the pattern of a match arm that has a guard (`MoveNote` `guardedArm`). */
  private guardedArm = false;
  /**
   * While testing a `match`'s arms: `match scrutinee` (rustc's `match_start_span`), the span of
   * a scalar constant test's read, and the scrutinee's span for a discriminant read
   * (rustc_mir_build `matches/test.rs` `perform_test`).
   */
  private matchTest: { start: Span; scrutinee: Span } | undefined;
  private upvars = new Map<HirLocalId, { local: number; byRef: boolean; fields: CaptureInfo['fields'] }[]>();
  private budget = 500_000;

  constructor(
    private file: FileHir,
    private fn: FnDef,
    private tr: TypeckResults,
    private prog: MirProgram,
  ) {}

  private get edition(): Edition {
    return this.prog.edition;
  }

  // --- entry points

  buildFn(): Body {
    const fn = this.fn;
    this.newLocal({ ty: fn.ret, mutable: true, span: fn.span, kind: 'return' });
    this.blocks.push(emptyBlock());
    this.current = 0;
    this.returnBlock = this.newBlock();
    this.scopes.push({ locals: [], span: fn.body!.span });
    // arguments: `self` first, then each parameter (pattern parameters go through a temp)
    const selfLocal = fn.locals.find((l) => l.kind === 'self');
    let argCount = 0;
    const argPats: { pat: Pat; local: number }[] = [];
    if (selfLocal) {
      this.mapLocal(selfLocal.id, 'arg');
      argCount++;
    }
    for (const p of fn.params) {
      if (p.pat.kind === 'binding' && !p.pat.sub) {
        this.mapLocal(p.pat.local, 'arg');
      } else {
        const t = this.newLocal({ ty: p.ty, mutable: false, span: p.span, kind: 'arg' });
        argPats.push({ pat: p.pat, local: t });
      }
      argCount++;
    }
    for (const { pat, local } of argPats)
      this.withScrutinee(pat.span, () => this.bindPattern(pat, place(local), this.locals[local].ty, 'move', pat.span));
    this.exprIntoPlace({ kind: 'block', block: fn.body!, id: -1, span: fn.body!.span, ty: fn.ret } as Expr, place(0));
    this.exitScopesTo(0, endSpan(fn.body!.span));
    this.terminate({ kind: 'goto', target: this.returnBlock, span: endSpan(fn.body!.span) });
    this.current = this.returnBlock;
    this.terminate({ kind: 'return', span: endSpan(fn.body!.span) });
    return {
      name: fn.qualName,
      span: fn.span,
      locals: this.locals,
      argCount,
      blocks: this.blocks,
      unsupported: this.unsupported,
      loops: this.loopSpans,
      ...(this.ascriptions.length ? { ascriptions: this.ascriptions } : {}),
    };
  }

  private buildClosure(
    e: Extract<Expr, { kind: 'closure' }>,
    captures: CaptureInfo[],
    name: string,
    kind?: 'Fn' | 'FnMut',
    ownRegions?: boolean[],
  ): Body {
    const sig = this.tr.closures.get(e.ty.kind === 'closure' ? e.ty.id : e.id);
    this.newLocal({ ty: sig?.ret ?? unknown(), mutable: true, span: e.span, kind: 'return' });
    this.blocks.push(emptyBlock());
    this.current = 0;
    this.returnBlock = this.newBlock();
    this.scopes.push({ locals: [], span: e.body.span });
    for (const c of captures) {
      const decl = this.fn.locals[c.hirLocal];
      const placeTy = c.fields.length ? c.fields[c.fields.length - 1].ty : decl.ty;
      const ty = c.mode === 'move' ? placeTy : refTy(placeTy, c.mode === 'mut');
      const name = [c.name, ...c.fields.map((f) => f.name)].join('.');
      const l = this.newLocal({ name, ty, mutable: decl.mutable, span: decl.span, kind: 'arg', hirLocal: c.hirLocal });
      const list = this.upvars.get(c.hirLocal) ?? [];
      list.push({ local: l, byRef: c.mode !== 'move', fields: c.fields });
      this.upvars.set(c.hirLocal, list);
    }
    const argPats: { pat: Pat; local: number }[] = [];
    e.params.forEach((p, i) => {
      const ty = sig?.params[i] ?? p.ty;
      if (p.pat.kind === 'binding' && !p.pat.sub) this.mapLocal(p.pat.local, 'arg');
      else argPats.push({ pat: p.pat, local: this.newLocal({ ty, mutable: false, span: p.span, kind: 'arg' }) });
    });
    for (const { pat, local } of argPats) this.bindPattern(pat, place(local), this.locals[local].ty, 'move', pat.span);
    this.exprIntoPlace(e.body, place(0));
    this.exitScopesTo(0, endSpan(e.body.span));
    this.terminate({ kind: 'goto', target: this.returnBlock, span: endSpan(e.body.span) });
    this.current = this.returnBlock;
    this.terminate({ kind: 'return', span: endSpan(e.body.span) });
    return {
      name,
      closureId: e.ty.kind === 'closure' ? e.ty.id : e.id,
      closure: {
        upvars: captures.length,
        head: closureHeadSpan(e),
        ...(kind ? { kind } : {}),
        ...(ownRegions?.some((x) => x)
          ? { ownRegions: ownRegions.flatMap((x, i) => (x && i < e.params.length ? [captures.length + 1 + i] : [])) }
          : {}),
      },
      span: e.span,
      locals: this.locals,
      argCount: captures.length + e.params.length,
      blocks: this.blocks,
      unsupported: this.unsupported,
      loops: this.loopSpans,
      ...(this.ascriptions.length ? { ascriptions: this.ascriptions } : {}),
    };
  }

  // --- locals, blocks, statements

  private newLocal(l: MirLocal): number {
    this.locals.push(l);
    return this.locals.length - 1;
  }

  private mapLocal(hir: HirLocalId, kind: 'arg' | 'user'): number {
    const decl = this.fn.locals[hir];
    const l = this.newLocal({ name: decl.name, ty: decl.ty, mutable: decl.mutable, span: decl.span, kind, hirLocal: hir });
    this.localMap.set(hir, l);
    if (kind === 'user') this.scopes[this.scopes.length - 1]?.locals.push(l);
    return l;
  }

  private temp(ty: Ty, span: Span): number {
    return this.newLocal({ ty, mutable: true, span, kind: 'temp' });
  }

  private newBlock(): BlockId {
    this.blocks.push(emptyBlock());
    return this.blocks.length - 1;
  }

  private push(s: Statement): void {
    if (this.current === null) return;
    if (--this.budget < 0) throw new Error('function too large');
    this.blocks[this.current].statements.push(s);
  }

  private terminate(t: Terminator): void {
    if (this.current === null) return;
    this.blocks[this.current].terminator = t;
    this.current = null;
  }

  private gotoNew(span: Span): BlockId {
    const b = this.newBlock();
    this.terminate({ kind: 'goto', target: b, span });
    this.current = b;
    return b;
  }

  private assign(p: Place, rv: Rvalue, span: Span): void {
    this.push({ kind: 'assign', place: p, rvalue: rv, span });
  }

  // --- types

  private tyOfPlace(p: Place): Ty {
    let t = this.locals[p.local].ty;
    for (const e of p.projection) {
      if (e.kind === 'deref') t = derefTy(t) ?? unknown();
      else if (e.kind === 'field') t = e.ty;
      else if (e.kind === 'index' || e.kind === 'constantIndex') {
        const seq = t.kind === 'array' || t.kind === 'slice' ? t : derefTy(t);
        t = seq && (seq.kind === 'array' || seq.kind === 'slice') ? seq.elem : unknown();
      }
    }
    return t;
  }

  /**
   * The operand that reads place `p` by value: a move when its type is known not to be Copy,
   * else a copy (unknown Copy-ness is a read: no diagnostic can come from it). A by-value use of
   * a place behind a reference or an index is a move only when `throughBorrows` is set (a plain
   * expression in value position: `let s = *r;`, `f(v[0])`), so that the borrow checker reports
   * E0507/E0508; elsewhere (method receivers, patterns) it stays a read.
   */
  private copyOrMove(p: Place, span: Span, note?: MoveNote, throughBorrows = false, binding = false): Operand {
    const c = isCopy(this.tyOfPlace(p), this.file.adts);
    const indirect = p.projection.some((e) => e.kind === 'deref' || e.kind === 'index' || e.kind === 'constantIndex');
    // A `&mut` read through a reference is reborrowed at coercion sites (returns, annotated lets,
    // arguments), not moved: never reported as a move out of borrowed content. A pattern's
    // by-value binding is no coercion site: it moves (`for &a in v.iter()` on `&&mut T`: E0507).
    const isRef = !binding && this.tyOfPlace(p).kind === 'ref';
    if (c === false && (!indirect || (throughBorrows && !isRef && this.knownAllTheWay(p))))
      return { kind: 'move', place: p, span, ...(note ? { note } : {}) };
    return { kind: 'copy', place: p, span };
  }

  /** Whether every type on the way to `p` is known (so its derefs and indices are what the source says). */
  private knownAllTheWay(p: Place): boolean {
    let t = this.locals[p.local].ty;
    for (const e of p.projection) {
      if (t.kind === 'unknown' || t.kind === 'infer' || t.kind === 'param' || t.kind === 'opaque') return false;
      t = this.tyOfPlace({ local: p.local, projection: p.projection.slice(0, p.projection.indexOf(e) + 1) });
    }
    return t.kind !== 'unknown' && t.kind !== 'infer';
  }

  // --- scopes

  private inScope<T>(span: Span, f: () => T): T {
    this.scopes.push({ locals: [], span });
    const depth = this.scopes.length - 1;
    const r = f();
    this.exitScopesTo(depth, endSpan(span));
    this.scopes.length = depth;
    return r;
  }

  /** Emits drops and StorageDead for scopes deeper than or equal to `depth`, innermost first. */
  private exitScopesTo(depth: number, span: Span): void {
    for (let i = this.scopes.length - 1; i >= depth; i--) {
      const s = this.scopes[i];
      for (let j = s.locals.length - 1; j >= 0; j--) {
        const l = s.locals[j];
        if (this.current === null) return;
        if (needsDrop(this.locals[l].ty, this.file.adts) !== false) {
          const next = this.newBlock();
          this.terminate({ kind: 'drop', place: place(l), target: next, span });
          this.current = next;
        }
        this.push({ kind: 'storageDead', local: l, span });
      }
    }
  }

  private dropStmtTemps(span: Span): void {
    const temps = this.stmtTemps.pop() ?? [];
    for (let j = temps.length - 1; j >= 0; j--) {
      if (this.current === null) return;
      // A temporary that needs no drop still ends its storage here (rustc's `StorageDead`):
      // a borrow of it that outlives the statement is E0716 / E0515.
      // (`()` results of expression statements are left alone: nothing borrows them.)
      const ty = this.locals[temps[j]].ty;
      if (needsDrop(ty, this.file.adts) === false) {
        if (!(ty.kind === 'tuple' && ty.elems.length === 0)) this.push({ kind: 'storageDead', local: temps[j], span });
        continue;
      }
      const next = this.newBlock();
      this.terminate({ kind: 'drop', place: place(temps[j]), target: next, span });
      this.current = next;
    }
  }

  private droppedTemp(ty: Ty, span: Span): number {
    const t = this.temp(ty, span);
    this.scheduleTempDrop(t);
    return t;
  }

  /** Drops temporary `t` at the end of the current statement (or only ends its storage, when its type needs no drop). */
  private scheduleTempDrop(t: number): void {
    if (this.stmtTemps.length) this.stmtTemps[this.stmtTemps.length - 1].push(t);
  }

  /**
   * Evaluates `e` into a fresh temporary and schedules its drop afterwards: temporaries are
   * dropped in the reverse order their values were made (an outer call's result after the
   * temporaries its arguments needed), as rustc schedules them.
   */
  private valueInTemp(e: Expr, extend: boolean): number {
    if (extend) {
      const t = this.extendedTemp(e.ty, e.span);
      this.exprIntoPlace(e, place(t));
      return t;
    }
    const t = this.temp(e.ty, e.span);
    this.exprIntoPlace(e, place(t));
    this.scheduleTempDrop(t);
    return t;
  }

  // --- statements

  private stmt(s: Stmt): void {
    if (this.current === null) return;
    this.stmtTemps.push([]);
    if (s.kind === 'let') {
      this.letStmt(s);
    } else if (s.kind === 'expr') {
      const e = s.expr;
      if (isPlaceExpr(e)) {
        // `x;` moves (or copies) x into a temporary that is dropped at once.
        const p = this.exprAsPlace(e);
        const t = this.droppedTemp(e.ty, e.span);
        this.assign(place(t), { kind: 'use', operand: this.copyOrMove(p, e.span) }, e.span);
      } else {
        // A closure evaluated as a statement has no expected signature either (see `letStmt`).
        if (e.kind === 'closure')
          this.closureOwnRegions.set(
            e,
            e.params.map((p) => elidedRef(p.ty)),
          );
        this.valueInTemp(e, false);
      }
    }
    this.dropStmtTemps(endSpan(s.span));
  }

  private letStmt(s: Extract<Stmt, { kind: 'let' }>): void {
    const pat = s.pat;
    if (s.init) this.markExtending(s.init);
    // A closure with no expected signature: a parameter written with an elided reference
    // (`|el: &str|`) gets a region of its own (rustc: a late-bound region of the closure).
    if (s.init?.kind === 'closure' && !s.tyAnnot)
      this.closureOwnRegions.set(
        s.init,
        s.init.params.map((p) => elidedRef(p.ty)),
      );
    if (pat.kind === 'binding' && !pat.sub && this.fn.locals[pat.local].byRef === null) {
      // The initializer is evaluated first (it cannot see the new binding), then the slot is
      // made live and written.
      if (!s.init) {
        const l = this.mapLocal(pat.local, 'user');
        if (s.tyAnnot) this.ascriptions.push({ local: l, ty: s.tyAnnot, span: s.span });
        this.push({ kind: 'storageLive', local: l, span: pat.span });
        return;
      }
      const hirLocal = pat.local;
      const decl = this.fn.locals[hirLocal];
      if (isPlaceExpr(s.init) || s.init.kind === 'lit') {
        const op = s.tyAnnot?.kind === 'ref' && s.tyAnnot.mutable ? this.argOperand(s.init, s.tyAnnot) : this.exprAsOperand(s.init);
        const l = this.mapLocal(hirLocal, 'user');
        if (s.tyAnnot) this.ascriptions.push({ local: l, ty: s.tyAnnot, span: s.span });
        this.push({ kind: 'storageLive', local: l, span: pat.span });
        this.assign(place(l), { kind: 'use', operand: op }, s.span);
      } else {
        const t = this.temp(decl.ty, s.init.span);
        this.exprIntoPlace(s.init, place(t));
        const l = this.mapLocal(hirLocal, 'user');
        if (s.tyAnnot) this.ascriptions.push({ local: l, ty: s.tyAnnot, span: s.span });
        this.push({ kind: 'storageLive', local: l, span: pat.span });
        this.assign(place(l), { kind: 'use', operand: { kind: 'move', place: place(t), span: s.init.span } }, s.span);
      }
      return;
    }
    if (!s.init) {
      this.declareBindings(pat);
      // Each binding's type is its part of the annotation (there is no initializer to infer from).
      if (s.tyAnnot)
        visitPat(pat, (p) => {
          const l = p.kind === 'binding' ? this.localMap.get(p.local) : undefined;
          if (l !== undefined) this.ascriptions.push({ local: l, ty: this.locals[l].ty, span: s.span });
        });
      return;
    }
    const ty = s.tyAnnot ?? s.init.ty;
    const src = this.exprAsPlaceOrTemp(s.init, false, this.bindsByRefMut([pat]));
    if (s.tyAnnot && src.projection.length === 0) this.ascriptions.push({ local: src.local, ty: s.tyAnnot, span: s.span });
    if (s.elseBlock) {
      const fail = this.newBlock();
      this.declareBindings(pat);
      this.testPattern(pat, src, ty, fail);
      const cont = this.current;
      this.current = fail;
      this.exprIntoPlace(
        { kind: 'block', block: s.elseBlock, id: -1, span: s.elseBlock.span, ty: UNIT } as Expr,
        place(this.temp(UNIT, s.span)),
      );
      this.terminate({ kind: 'unreachable', span: s.elseBlock.span });
      this.current = cont;
      this.withScrutinee(s.init.span, () => this.bindPattern(pat, src, ty, 'move', s.span, true));
      return;
    }
    this.declareBindings(pat);
    this.withScrutinee(s.init.span, () => this.bindPattern(pat, src, ty, 'move', s.span, true));
  }

  private withScrutinee(span: Span, f: () => void): void {
    const saved = this.scrutinee;
    this.scrutinee = span;
    try {
      f();
    } finally {
      this.scrutinee = saved;
    }
  }

  /** Declares the MIR locals of every binding in `pat` in the current scope. */
  private declareBindings(pat: Pat): void {
    visitPat(pat, (p) => {
      if (p.kind === 'binding' && !this.localMap.has(p.local)) {
        const l = this.mapLocal(p.local, 'user');
        this.push({ kind: 'storageLive', local: l, span: p.span });
      }
    });
  }

  // --- places

  /**
   * The place of `e`, or a temporary holding its value. `extend`: the temporary is the operand
   * of an extending borrow (`let r = &temp();`) and lives to the end of the enclosing block
   * (Rust reference, "Temporary lifetime extension") instead of the end of the statement.
   */
  private exprAsPlaceOrTemp(e: Expr, extend = false, mutable = false): Place {
    if (isPlaceExpr(e)) return this.exprAsPlace(e, extend, mutable);
    const t = this.valueInTemp(e, extend);
    // A `static` item read into a temporary: places through it are the item's (mir/promote.ts).
    if (e.kind === 'path' && e.res.kind === 'static' && this.locals[t]?.kind === 'temp')
      this.locals[t].promoted = { kind: 'static', name: e.res.name };
    return place(t);
  }

  /** A temporary dropped at the end of the enclosing block, like a `let` binding (lifetime extension). */
  private extendedTemp(ty: Ty, span: Span): number {
    const t = this.temp(ty, span);
    this.scopes[this.scopes.length - 1]?.locals.push(t);
    this.push({ kind: 'storageLive', local: t, span });
    return t;
  }

  /**
   * Marks the borrow expressions of a `let` initializer whose temporaries are extended: the
   * initializer itself when it is `&expr`, and recursively the operands of extending borrows,
   * tuple, array and struct expressions, casts and block tails (Rust reference, "Extending
   * based on expressions").
   */
  private markExtending(e: Expr, depth = 0): void {
    if (depth > 64) return;
    switch (e.kind) {
      case 'ref':
        this.extending.add(e);
        this.markExtending(e.operand, depth + 1);
        return;
      case 'tuple':
      case 'array':
        for (const x of e.elems) this.markExtending(x, depth + 1);
        return;
      case 'structLit':
        for (const f of e.fields) this.markExtending(f.expr, depth + 1);
        return;
      case 'cast':
        this.markExtending(e.expr, depth + 1);
        return;
      case 'block':
        if (e.block.tail) this.markExtending(e.block.tail, depth + 1);
        return;
      default:
        return;
    }
  }

  /**
   * Lowers a place expression (`x`, `x.f`, `*r`, `v[i]`) to a Place; other expressions go through
   * a temp. `mutable`: the place is used mutably, so the file's overloaded derefs and indexes on
   * the way are `deref_mut` / `index_mut` (`mir/placeOps.ts`).
   */
  private exprAsPlace(e: Expr, extend = false, mutable = false): Place {
    switch (e.kind) {
      case 'path': {
        if (e.res.kind === 'local') {
          const up = this.upvars.get(e.res.local)?.find((u) => u.fields.length === 0);
          if (up) return up.byRef ? place(up.local, [{ kind: 'deref' }]) : place(up.local);
          const l = this.localMap.get(e.res.local);
          if (l !== undefined) return place(l);
          // A binding declared in a scope we did not lower (should not happen): fresh temp.
          return place(this.temp(e.ty, e.span));
        }
        break;
      }
      case 'field': {
        const captured = this.capturedFieldPlace(e);
        if (captured) return captured;
        const base = this.exprAsPlaceOrTemp(e.base, extend, mutable);
        const { place: p, ty } = autoDerefThrough(
          this.placeOpHost,
          base,
          this.tyOfPlace(base),
          mutable,
          (t) => t.kind === 'tuple' || (t.kind === 'adt' && this.fieldIndex(t, e.name) >= 0),
          e.span,
          e.base.span,
        );
        const idx = this.fieldIndex(ty, e.name);
        return place(p.local, [...p.projection, { kind: 'field', index: idx, name: e.name, ty: e.ty }]);
      }
      case 'index': {
        const base = this.exprAsPlaceOrTemp(e.base, extend, mutable);
        const user = this.userIndexPlace(base, e, mutable);
        if (user.done) return user.place;
        const p = user.place;
        const idxOp = this.exprAsOperand(e.index);
        let idxLocal: number | null = null;
        if (idxOp.kind !== 'constant') {
          idxLocal = this.temp(e.index.ty, e.index.span);
          this.assign(place(idxLocal), { kind: 'use', operand: idxOp }, e.index.span);
        }
        // An array's length is a constant, but its bounds check still reads the array (rustc
        // `len_of_slice_or_array`: `FakeRead(ForIndex, a)`): `a[i]` uses `a`, partly moved or not.
        if (this.tyOfPlace(p).kind === 'array') this.push({ kind: 'fakeRead', place: p, span: e.span, use: true });
        if (idxLocal === null && idxOp.kind === 'constant' && idxOp.value.kind === 'lit' && idxOp.value.lit.kind === 'int')
          return place(p.local, [...p.projection, { kind: 'constantIndex', offset: Number(idxOp.value.lit.value), expr: true }]);
        return place(p.local, [...p.projection, { kind: 'index', local: idxLocal }]);
      }
      case 'unary':
        if (e.op === 'deref') {
          const base = this.exprAsPlaceOrTemp(e.operand, extend, mutable);
          const bt = this.tyOfPlace(base);
          const op = derefTy(bt) === undefined ? userDeref(bt, this.file) : undefined;
          if (op) return overloadedPlace(this.placeOpHost, base, bt, op, 'deref', mutable, undefined, e.span, e.operand.span);
          return place(base.local, [...base.projection, { kind: 'deref' }]);
        }
        break;
      default:
        break;
    }
    const t = this.valueInTemp(e, extend);
    // A static's type is written in full and its elided lifetimes are `'static` (Rust reference,
    // "Static items"): what is written into it must live for the whole program.
    if (e.kind === 'path' && e.res.kind === 'static') {
      this.ascriptions.push({ local: t, ty: staticRegions(e.ty), span: e.span });
      // The place is the item's (`HITS += 1` writes the `static mut`), as in exprAsPlaceOrTemp.
      if (this.locals[t]?.kind === 'temp') this.locals[t].promoted = { kind: 'static', name: e.res.name };
    }
    return place(t);
  }

  /**
   * Inside a closure body, a field chain whose prefix is a captured place (`s.a` of a 2021
   * disjoint capture) is read through that capture's upvar: `(*_1).b` for `s.a.b`.
   */
  private capturedFieldPlace(e: Expr): Place | undefined {
    const chain: string[] = [];
    let cur = e;
    while (cur.kind === 'field') {
      chain.unshift(cur.name);
      cur = cur.base;
    }
    if (cur.kind !== 'path' || cur.res.kind !== 'local') return undefined;
    const ups = this.upvars.get(cur.res.local);
    if (!ups?.length || ups.some((u) => u.fields.length === 0)) return undefined;
    const up = ups
      .filter((u) => u.fields.length <= chain.length && u.fields.every((f, i) => f.name === chain[i]))
      .sort((a, b) => b.fields.length - a.fields.length)[0];
    if (!up) return undefined;
    let p = up.byRef ? place(up.local, [{ kind: 'deref' }]) : place(up.local);
    // The remaining fields, typed from the captured place's type.
    let fe: Expr = e;
    const rest: Extract<Expr, { kind: 'field' }>[] = [];
    for (let i = chain.length; i > up.fields.length; i--) {
      rest.unshift(fe as Extract<Expr, { kind: 'field' }>);
      fe = (fe as Extract<Expr, { kind: 'field' }>).base;
    }
    for (const f of rest) {
      const { place: dp, ty } = this.autoDerefPlace(p, this.tyOfPlace(p));
      p = place(dp.local, [...dp.projection, { kind: 'field', index: this.fieldIndex(ty, f.name), name: f.name, ty: f.ty }]);
    }
    return p;
  }

  /** Adds `deref` projections through the derefs built into the language (references, `Box`) until another type is reached. */
  private autoDerefPlace(p: Place, ty: Ty): { place: Place; ty: Ty } {
    let proj = p.projection;
    for (let i = 0; i < 8; i++) {
      const step = derefStep(ty);
      if (!step?.builtin) break;
      proj = [...proj, { kind: 'deref' }];
      ty = step.target;
    }
    return { place: place(p.local, proj), ty };
  }

  /**
   * `a[i]` on a type with the file's `impl Index` (through its own `impl Deref`s first when it has
   * none): the call of `mir/placeOps.ts`, whose `&a` is taken before the index is evaluated (rustc
   * evaluates the call's arguments in order: `&mut v[v.len() - 1]` is E0502). `done: false`: the
   * index is not the file's; `place` is then the base after its derefs (built in, and the file's
   * `Deref` calls before a std container).
   */
  private userIndexPlace(base: Place, e: Extract<Expr, { kind: 'index' }>, mutable: boolean): { place: Place; done: boolean } {
    let { place: p, ty } = this.autoDerefPlace(base, this.tyOfPlace(base));
    for (let i = 0; i < 16; i++) {
      const op = userIndex(ty, e.index.ty, this.file);
      if (op) {
        const idx = (): Operand => this.exprAsOperand(e.index);
        return { place: overloadedPlace(this.placeOpHost, p, ty, op, 'index', mutable, idx, e.span, e.base.span), done: true };
      }
      const d = op === undefined ? userDeref(ty, this.file) : undefined;
      if (!d) break;
      p = overloadedPlace(this.placeOpHost, p, ty, d, 'deref', mutable, undefined, e.span, e.base.span);
      // A std container behind the file's `impl Deref` (`Target = Vec<T>`): its index is a projection.
      ({ place: p, ty } = this.autoDerefPlace(p, d.target));
    }
    return { place: p, done: false };
  }

  /** Some binding of `pats` borrows what it matches mutably (`ref mut x`): the scrutinee place is used mutably. */
  private bindsByRefMut(pats: Pat[]): boolean {
    let found = false;
    for (const pat of pats)
      visitPat(pat, (p) => {
        if (p.kind === 'binding' && (this.tr.bindingModes.get(p.local) === 'mut' || this.fn.locals[p.local]?.byRef === 'ref mut'))
          found = true;
      });
    return found;
  }

  /** What `mir/placeOps.ts` needs of the builder. */
  private get placeOpHost(): PlaceOpHost {
    return {
      file: this.file,
      local: (i) => this.locals[i],
      temp: (ty, span) => this.temp(ty, span),
      assign: (p, rv, span) => this.assign(p, rv, span),
      callFn: (name, args, dest, span, borrows) =>
        this.call({ kind: 'fn', name }, args, dest, span, span, undefined, undefined, false, borrows, true),
      adtLifetimes: this.adtLifetimes,
    };
  }

  private fieldIndex(ty: Ty, name: string): number {
    if (ty.kind === 'tuple') return Number(name);
    if (ty.kind === 'adt') {
      const adt = this.file.adts.get(ty.name);
      const i = adt?.fields.findIndex((f) => f.name === name) ?? -1;
      if (i >= 0) return i;
    }
    return /^\d+$/.test(name) ? Number(name) : -1;
  }

  // --- operands

  private exprAsOperand(e: Expr, note?: MoveNote): Operand {
    if (e.kind === 'lit') return { kind: 'constant', value: { kind: 'lit', lit: e.lit }, ty: e.ty };
    if (e.kind === 'path') {
      if (e.res.kind === 'fn') return { kind: 'constant', value: { kind: 'fn', name: e.res.name }, ty: e.ty };
      if (e.res.kind === 'static') return { kind: 'constant', value: { kind: 'static', name: e.res.name }, ty: e.ty, span: e.span };
      if (e.res.kind === 'const') {
        const c = this.file.consts.get(e.res.name);
        if (c?.init?.kind === 'lit') return { kind: 'constant', value: { kind: 'lit', lit: c.init.lit }, ty: e.ty };
        return { kind: 'constant', value: { kind: 'unknown', text: e.res.name }, ty: e.ty };
      }
      const stdUnit = e.res.kind === 'std' ? stdUnitVariant(e.res.path) : undefined;
      if (e.res.kind === 'ctor' || stdUnit) {
        const t = this.temp(e.ty, e.span);
        const agg = e.res.kind === 'ctor' ? { adt: e.res.adt, variant: e.res.variant } : stdUnit!;
        this.assign(place(t), { kind: 'aggregate', agg: { kind: 'adt', ...agg, fieldNames: [] }, operands: [] }, e.span);
        return { kind: 'move', place: place(t), span: e.span };
      }
      // Any other path (`Ordering::Equal`, `i32::MAX`, a name from another crate) is a value the
      // engine does not model.
      if (e.res.kind !== 'local') return { kind: 'constant', value: { kind: 'unknown', text: e.text }, ty: e.ty };
    }
    if (isPlaceExpr(e)) {
      const op = this.copyOrMove(this.exprAsPlace(e), e.span, note, true);
      // Through the file's `Index::index` / `Deref::deref` (`mir/placeOps.ts`), the value is read
      // into a temporary at once, as rustc's `as_operand` does, so the call's borrow ends here.
      if (op.kind === 'constant' || !this.locals[op.place.local]?.placeOp) return op;
      const t = this.temp(e.ty, e.span);
      this.assign(place(t), { kind: 'use', operand: op }, e.span);
      return { kind: 'move', place: place(t), span: e.span };
    }
    const t = this.temp(e.ty, e.span);
    this.exprIntoPlace(e, place(t));
    return { kind: 'move', place: place(t), span: e.span };
  }

  /**
   * Operands evaluated left to right (call arguments, tuple, array and struct fields), each moved
   * out when it is evaluated, as rustc's `as_operand` does (`as_temp`): in `take(s, s.len())` the
   * move of `s` comes before `s.len()` borrows it (E0382). The builder keeps a place operand
   * unmoved until its use; where a later operand's code mentions the moved local, the move is
   * put back at its evaluation point, into a temporary. Shape: `lower` lowers the i-th item.
   */
  private operandsInOrder<T>(items: readonly T[], lower: (x: T, i: number) => Operand): Operand[] {
    const ops: Operand[] = [];
    const at: { block: number | null; index: number; blocks: number }[] = [];
    items.forEach((x, i) => {
      ops.push(lower(x, i));
      const b = this.current;
      at.push({ block: b, index: b === null ? 0 : this.blocks[b].statements.length, blocks: this.blocks.length });
    });
    for (let i = ops.length - 2; i >= 0; i--) {
      const o = ops[i];
      const pos = at[i];
      if (o.kind !== 'move' || pos.block === null) continue;
      const decl = this.locals[o.place.local];
      if (!decl || decl.kind === 'temp' || !this.mentionedSince(o.place.local, pos)) continue;
      const t = this.temp(this.tyOfPlace(o.place), o.span ?? decl.span);
      const span = o.span ?? decl.span;
      this.blocks[pos.block].statements.splice(pos.index, 0, {
        kind: 'assign',
        place: place(t),
        rvalue: { kind: 'use', operand: o },
        span,
      });
      ops[i] = { kind: 'move', place: place(t), span };
    }
    return ops;
  }

  /** Whether code emitted after `pos` (in its block, or in blocks made since) mentions `local`. */
  private mentionedSince(local: number, pos: { block: number | null; index: number; blocks: number }): boolean {
    const inPlace = (p: Place | undefined): boolean => !!p && p.local === local;
    const inStmt = (x: Statement): boolean =>
      x.kind === 'fakeRead'
        ? inPlace(x.place)
        : x.kind === 'assign' &&
          (inPlace(rvaluePlace(x.rvalue)) || rvalueOperands(x.rvalue).some((o) => o.kind !== 'constant' && inPlace(o.place)));
    const inTerm = (t: Terminator): boolean =>
      terminatorOperands(t).some((o) => o.kind !== 'constant' && inPlace(o.place)) ||
      (t.kind === 'call' && t.func.kind === 'local' && t.func.local === local);
    const scan = (b: number, from: number): boolean => {
      const bb = this.blocks[b];
      return !!bb && (bb.statements.slice(from).some(inStmt) || inTerm(bb.terminator));
    };
    if (pos.block !== null && scan(pos.block, pos.index)) return true;
    for (let b = pos.blocks; b < this.blocks.length; b++) if (scan(b, 0)) return true;
    return false;
  }

  /**
   * A call argument. A `&mut` place passed to a call is implicitly reborrowed (`&mut *r`) at
   * this coercion site instead of moved (rustc: "reborrow" adjustment), so it stays usable.
   */
  private argOperand(a: Expr, expected?: Ty): Operand {
    // A `&mut` place passed where the parameter's type is not known: a copy (no loan), since
    // it may be coerced to `&T` (a shared reborrow) — precision first.
    if (isPlaceExpr(a) && a.ty.kind === 'ref' && a.ty.mutable && (!expected || expected.kind !== 'ref'))
      return { kind: 'copy', place: this.exprAsPlace(a), span: a.span };
    if (isPlaceExpr(a) && a.ty.kind === 'ref' && a.ty.mutable) {
      // Coerced to `&T` where a shared reference is expected: a shared reborrow `&*r`.
      const shared = expected?.kind === 'ref' && !expected.mutable;
      const p = this.exprAsPlace(a);
      const t = this.temp(shared ? refTy(a.ty.inner, false) : a.ty, a.span);
      this.assign(
        place(t),
        { kind: 'ref', borrow: shared ? 'shared' : 'mut', place: place(p.local, [...p.projection, { kind: 'deref' }]) },
        a.span,
      );
      return { kind: 'move', place: place(t), span: a.span };
    }
    return this.exprAsOperand(a);
  }

  /**
   * Values passed where a path's written generic arguments or a declared `'static` name the
   * lifetimes (`f::<&'a u32>(&c)`, `S::<&'static u32> { t: &c }`, `Wrap(&c)` for
   * `struct Wrap(&'static u32)`) must outlive them: rustc's `AscribeUserType` on the operand,
   * recorded as an ascription of the operand's local (a whole local only).
   */
  private ascribeOperands(ops: Operand[], declared: (Ty | undefined)[], subst: UserSubst, span: Span): void {
    ops.forEach((o, i) => {
      const d = declared[i];
      if (!d || o.kind === 'constant' || o.place.projection.length) return;
      // A `&&T` given for a `&T` is dereferenced by a coercion the MIR does not show.
      const ot = this.locals[o.place.local]?.ty;
      if (ot?.kind === 'ref' && ot.inner.kind === 'ref' && !(d.kind === 'ref' && d.inner.kind === 'ref')) return;
      const ty = substUser(d, subst);
      if (namesRegion(ty, this.adtLifetimes)) this.ascriptions.push({ local: o.place.local, ty, span });
    });
  }

  /**
   * `let Foo::<'static>(z) = foo`: the lifetimes written on a tuple-struct pattern's path are a
   * user type annotation on the scrutinee (rustc's `AscribeUserType` of the matched place,
   * `PatKind::AscribeUserType`), recorded for a whole local of the struct's type, when every
   * lifetime parameter is given; type arguments not written are `_`.
   */
  private ascribePattern(p: Extract<Pat, { kind: 'tupleStruct' }>, base: Place, t: Ty): void {
    const ua = p.userArgs;
    if (!ua?.regions.length || base.projection.length || t.kind !== 'adt' || t.std) return;
    const adt = this.file.adts.get(t.name);
    if (!adt || adt.kind !== 'struct' || p.path !== t.name || ua.regions.length !== adt.lifetimes.length) return;
    const args = adt.generics.map((_, i): Ty => ua.types[i] ?? { kind: 'unknown', reason: '_' });
    this.ascriptions.push({ local: base.local, ty: { ...t, args, regions: ua.regions }, span: p.span });
  }

  /** A shared (or mutable) borrow of the expression's place, in a fresh temp; returns an operand of it. */
  private borrowOperand(e: Expr, kind: BorrowKind, span: Span = e.span): Operand {
    const p = this.exprAsPlaceOrTemp(e, false, kind !== 'shared');
    const t = this.temp(refTy(e.ty, kind !== 'shared'), span);
    this.assign(place(t), { kind: 'ref', borrow: kind, place: p }, span);
    return { kind: 'move', place: place(t), span };
  }

  // --- expressions into places

  /** Evaluates `e` and writes its value into `dest` (rustc `expr_into_dest`). */
  exprIntoPlace(e: Expr, dest: Place): void {
    if (this.current === null) return;
    const span = e.span;
    switch (e.kind) {
      case 'lit':
      case 'path':
      case 'field':
      case 'index': {
        if (e.kind === 'path' && e.res.kind === 'ctor') {
          this.assign(
            dest,
            { kind: 'aggregate', agg: { kind: 'adt', adt: e.res.adt, variant: e.res.variant, fieldNames: [] }, operands: [] },
            span,
          );
          return;
        }
        const unit = e.kind === 'path' && e.res.kind === 'std' ? stdUnitVariant(e.res.path) : undefined;
        if (unit) {
          this.assign(dest, { kind: 'aggregate', agg: { kind: 'adt', ...unit, fieldNames: [] }, operands: [] }, span);
          return;
        }
        // The returned value is a coercion site: a `&mut` place returned as `&mut T` is
        // reborrowed (`&mut *s.url`), not moved.
        const ret = this.locals[0]?.ty;
        if (dest.local === 0 && dest.projection.length === 0 && ret?.kind === 'ref' && ret.mutable && e.ty.kind === 'ref' && e.ty.mutable) {
          this.assign(dest, { kind: 'use', operand: this.argOperand(e, ret) }, span);
          return;
        }
        this.assign(dest, { kind: 'use', operand: this.exprAsOperand(e) }, span);
        return;
      }
      case 'unary':
        if (e.op === 'deref') {
          this.assign(dest, { kind: 'use', operand: this.exprAsOperand(e) }, span);
          return;
        }
        this.assign(dest, { kind: 'unary', op: e.op, operand: this.exprAsOperand(e.operand) }, span);
        return;
      case 'ref': {
        let p = this.exprAsPlaceOrTemp(e.operand, this.extending.has(e), e.mutable);
        // `&10`, `&[1, 2]`, `&STATIC`: the temporary lives in static memory (mir/promote.ts).
        if (p.projection.length === 0 && this.locals[p.local]?.kind === 'temp') {
          const promoted = promotionOf(e.operand, e.mutable, this.file.adts, this.file.statics);
          if (promoted) this.locals[p.local].promoted = promoted;
        }
        // Deref coercion: `&a` where `a: &T` and a `&T` is expected reborrows `*a`.
        const want = this.tyOfPlace(dest);
        const have = e.operand.ty;
        if (want.kind === 'ref' && have.kind === 'ref' && !isUnknown(want.inner) && tyEquals(want.inner, have.inner))
          p = place(p.local, [...p.projection, { kind: 'deref' }]);
        this.assign(dest, { kind: 'ref', borrow: e.mutable ? 'mut' : 'shared', place: p }, span);
        return;
      }
      case 'binary':
        return this.binary(e, dest);
      case 'assign': {
        const rhs = this.exprAsOperand(e.rhs);
        const indexMut = this.overloadedIndexMutBorrow(e.lhs);
        const lhs = this.exprAsPlace(e.lhs, false, true);
        // `IndexMut::index_mut(&mut v, i)` uses its `&mut v` after `i` is evaluated.
        if (indexMut) this.push({ kind: 'fakeRead', place: indexMut, span: e.lhs.span });
        if (lhs.projection.length === 0 || needsDrop(this.tyOfPlace(lhs), this.file.adts) !== false) {
          if (needsDrop(this.tyOfPlace(lhs), this.file.adts) !== false) {
            const next = this.newBlock();
            this.terminate({ kind: 'drop', place: lhs, target: next, span, replace: true });
            this.current = next;
          }
        }
        this.assign(lhs, { kind: 'use', operand: rhs }, span);
        this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: [] }, span);
        return;
      }
      case 'compoundAssign': {
        const lt = peelRefs(e.lhs.ty).ty;
        const rhs = this.exprAsOperand(e.rhs);
        if (lt.kind === 'int' || lt.kind === 'float' || lt.kind === 'bool') {
          const lhs = this.exprAsPlace(e.lhs, false, true);
          // The read of `x` in `x += 1` is the whole expression's, as in rustc's MIR.
          this.assign(lhs, { kind: 'binary', op: e.op, lhs: { kind: 'copy', place: lhs, span }, rhs }, span);
        } else {
          const recv = this.borrowOperand(e.lhs, 'twoPhaseMut', e.lhs.span);
          const t = this.temp(UNIT, span);
          const op = e.op as keyof typeof COMPOUND_ASSIGN;
          this.call({ kind: 'std', path: `${e.op}=`, id: stdId(COMPOUND_ASSIGN[op] ?? '') }, [recv, rhs], place(t), span, span);
        }
        this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: [] }, span);
        return;
      }
      case 'block':
        return this.block(e.block, dest);
      case 'if':
        return this.ifExpr(e, dest);
      case 'let': {
        // A bare `let` condition outside `if`: evaluate as a bool test.
        const src = this.exprAsPlaceOrTemp(e.init);
        const fail = this.newBlock();
        const join = this.newBlock();
        this.declareBindings(e.pat);
        this.testPattern(e.pat, src, e.init.ty, fail);
        this.bindPattern(e.pat, src, e.init.ty, 'move', e.span);
        this.assign(dest, { kind: 'use', operand: constBool(true) }, span);
        this.terminate({ kind: 'goto', target: join, span });
        this.current = fail;
        this.assign(dest, { kind: 'use', operand: constBool(false) }, span);
        this.terminate({ kind: 'goto', target: join, span });
        this.current = join;
        return;
      }
      case 'match':
        return this.matchExpr(e, dest);
      case 'loop':
        return this.loopExpr(e, dest);
      case 'while':
        return this.whileExpr(e, dest);
      case 'for':
        return this.forExpr(e, dest);
      case 'break': {
        const target = this.findLoop(e.label);
        if (!target) {
          this.unsupported.push({ span, what: '`break` outside of a loop' });
          this.terminate({ kind: 'unreachable', span });
          return;
        }
        if (e.value && target.resultPlace) this.exprIntoPlace(e.value, target.resultPlace);
        else if (e.value) this.exprAsOperand(e.value);
        this.exitScopesTo(target.scopeDepth, span);
        this.terminate({ kind: 'goto', target: target.breakBlock, span });
        return;
      }
      case 'continue': {
        const target = this.findLoop(e.label);
        if (!target) {
          this.terminate({ kind: 'unreachable', span });
          return;
        }
        this.exitScopesTo(target.scopeDepth, span);
        this.terminate({ kind: 'goto', target: target.continueBlock, span });
        return;
      }
      case 'return': {
        if (e.value) this.exprIntoPlace(e.value, place(0));
        this.exitScopesTo(0, span);
        this.terminate({ kind: 'goto', target: this.returnBlock, span });
        return;
      }
      case 'call':
        return this.callExpr(e, dest);
      case 'methodCall':
        return this.methodCall(e, dest);
      case 'closure':
        return this.closureExpr(e, dest);
      case 'tuple':
        this.assign(
          dest,
          { kind: 'aggregate', agg: { kind: 'tuple' }, operands: this.operandsInOrder(e.elems, (x) => this.exprAsOperand(x)) },
          span,
        );
        return;
      case 'array':
        this.assign(
          dest,
          {
            kind: 'aggregate',
            agg: { kind: 'array', elem: e.ty.kind === 'array' ? e.ty.elem : unknown() },
            operands: this.operandsInOrder(e.elems, (x) => this.exprAsOperand(x)),
          },
          span,
        );
        return;
      case 'arrayRepeat': {
        const op = this.exprAsOperand(e.elem);
        const count = e.count.kind === 'lit' && e.count.lit.kind === 'int' ? Number(e.count.lit.value) : null;
        this.assign(dest, { kind: 'repeat', operand: op, count }, span);
        return;
      }
      case 'structLit':
        return this.structLit(e, dest);
      case 'range': {
        const ops = [e.start, e.end].filter((x): x is Expr => x !== null).map((x) => this.exprAsOperand(x));
        const names = [e.start ? 'start' : null, e.end ? 'end' : null].filter((x): x is string => x !== null);
        this.assign(
          dest,
          { kind: 'aggregate', agg: { kind: 'adt', adt: e.inclusive ? 'RangeInclusive' : 'Range', fieldNames: names }, operands: ops },
          span,
        );
        return;
      }
      case 'cast':
        // `r as *mut T` of a `&mut` place coerces through a reborrow; it does not move `r`.
        this.assign(
          dest,
          { kind: 'cast', operand: e.target.kind === 'rawptr' ? this.argOperand(e.expr) : this.exprAsOperand(e.expr), ty: e.target },
          span,
        );
        return;
      case 'try':
        return this.tryExpr(e, dest);
      case 'format':
        return this.formatMacro(e, dest);
      case 'vec': {
        if (e.repeat) {
          const elem = e.elems[0] ? this.exprAsOperand(e.elems[0]) : constUnknown('elem');
          const n = this.exprAsOperand(e.repeat);
          // The vector holds clones of the element: its borrows.
          const borrows: CallBorrows = { result: [{ arg: 0, via: 'value' }], into: [] };
          this.call(
            { kind: 'std', path: 'vec::from_elem', id: stdId('vec::from_elem') },
            [elem, n],
            dest,
            span,
            span,
            'vec',
            undefined,
            false,
            borrows,
          );
        } else {
          const ops = this.operandsInOrder(e.elems, (x) => this.exprAsOperand(x));
          // The vector holds the elements, and so their borrows (`vec![&x]` borrows `x`).
          const borrows: CallBorrows = { result: ops.map((_, arg) => ({ arg, via: 'value' as const })), into: [] };
          this.call({ kind: 'std', path: 'vec!', id: stdId('vec!') }, ops, dest, span, span, 'vec', undefined, false, borrows);
        }
        return;
      }
      case 'assert': {
        const ops = e.args.map((a) => (e.args.length === 2 ? this.borrowOperand(a, 'shared') : this.exprAsOperand(a)));
        if (e.message && e.message.kind === 'format') for (const a of e.message.args) ops.push(this.borrowOperand(a, 'shared'));
        this.call({ kind: 'std', path: e.macro, id: stdId(`${e.macro}!`) }, ops, dest, span, span, e.macro);
        return;
      }
      case 'dbg': {
        const ops = e.args.map((a) => this.exprAsOperand(a));
        this.call({ kind: 'std', path: 'dbg!', id: stdId('dbg!') }, ops, dest, span, span, 'dbg');
        return;
      }
      case 'unknown': {
        // Children are read (never moved): the engine does not know what the construct does.
        const ops: Operand[] = [];
        for (const c of e.children) {
          if (isPlaceExpr(c)) ops.push({ kind: 'copy', place: this.exprAsPlace(c), span: c.span });
          else {
            const t = this.temp(c.ty, c.span);
            this.exprIntoPlace(c, place(t));
            ops.push({ kind: 'copy', place: place(t), span: c.span });
          }
        }
        this.assign(dest, { kind: 'opaque', text: e.text, operands: ops }, span);
        for (const w of e.writes ?? []) {
          const up = this.upvars.get(w)?.find((u) => u.fields.length === 0);
          const l = up?.local ?? this.localMap.get(w);
          if (l !== undefined && !up?.byRef)
            this.assign(place(l), { kind: 'opaque', text: `written by ${e.text}`, operands: [], writtenByMacro: true }, span);
        }
        return;
      }
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, dest: Place): void {
    const span = e.span;
    if (e.op === '&&' || e.op === '||') {
      // short-circuit: lhs; if it decides, done; else rhs
      const lhs = this.exprAsOperand(e.lhs);
      const rhsBlock = this.newBlock();
      const shortBlock = this.newBlock();
      const join = this.newBlock();
      this.terminate({
        kind: 'switchInt',
        discr: lhs,
        values: [0n],
        targets: [e.op === '&&' ? shortBlock : rhsBlock],
        otherwise: e.op === '&&' ? rhsBlock : shortBlock,
        span,
      });
      this.current = shortBlock;
      this.assign(dest, { kind: 'use', operand: constBool(e.op === '||') }, span);
      this.terminate({ kind: 'goto', target: join, span });
      this.current = rhsBlock;
      this.exprIntoPlace(e.rhs, dest);
      this.terminate({ kind: 'goto', target: join, span });
      this.current = join;
      return;
    }
    const lt = e.lhs.ty;
    const isCmp = ['==', '!=', '<', '<=', '>', '>='].includes(e.op);
    // Comparisons take their operands by reference (PartialEq/PartialOrd): a read, never a move.
    const read = (x: Expr): Operand =>
      isPlaceExpr(x) ? { kind: 'copy', place: this.exprAsPlace(x), span: x.span } : this.exprAsOperand(x);
    const lhs = isCmp ? read(e.lhs) : this.exprAsOperand(e.lhs);
    const rhs = isCmp || (lt.kind === 'adt' && lt.name === 'String') ? read(e.rhs) : this.exprAsOperand(e.rhs);
    this.assign(dest, { kind: 'binary', op: e.op, lhs, rhs }, span);
  }

  /**
   * `v[i] = x` on a std collection is `*IndexMut::index_mut(&mut v, i) = x` in rustc: the
   * `&mut v` (not two-phase) is taken before the index is evaluated, so `v[v.len() - 1] = x`
   * conflicts (E0502). Emits that borrow into a temporary and returns it, when the index is an
   * expression that could read `v` (not a literal or a variable); else undefined.
   */
  private overloadedIndexMutBorrow(lhs: Expr): Place | undefined {
    if (lhs.kind !== 'index' || lhs.index.kind === 'lit' || lhs.index.kind === 'path' || !isPlaceExpr(lhs.base)) return undefined;
    const bt = lhs.base.ty;
    if (bt.kind !== 'adt' || !bt.std || indexOutput(bt, 'usize') === undefined) return undefined;
    const p = this.exprAsPlace(lhs.base);
    const t = this.temp(refTy(bt, true), lhs.base.span);
    this.assign(place(t), { kind: 'ref', borrow: 'mut', place: p }, lhs.base.span);
    return place(t);
  }

  private block(b: Block, dest: Place): void {
    let tailTemps: number[] | undefined;
    this.inScope(b.span, () => {
      for (const s of b.stmts) {
        if (this.current === null) break;
        this.stmt(s);
      }
      if (this.current === null) return;
      if (b.tail) {
        this.stmtTemps.push([]);
        this.exprIntoPlace(b.tail, dest);
        // Edition 2024 drops a tail expression's temporaries at the end of the block, before
        // its locals; earlier editions after the block's locals are gone (Rust reference,
        // "Temporary scopes"; E0597 when such a temporary's destructor can use a borrow of a
        // local: `D(&x).end()` as a tail). rustc keeps them to the end of the enclosing
        // terminating scope (a statement, a loop body, an `if` branch, a match arm); dropping
        // them right after the block's locals is the shortest of those lives: no more errors
        // than rustc's.
        if (this.edition === '2024') this.dropStmtTemps(endSpan(b.span));
        else tailTemps = this.stmtTemps.pop() ?? [];
      } else if (dest.local !== 0 || this.locals[0].ty.kind === 'tuple') {
        this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: [] }, endSpan(b.span));
      }
    });
    if (!tailTemps?.length) return;
    this.stmtTemps.push(tailTemps);
    this.dropStmtTemps(endSpan(b.span));
  }

  private ifExpr(e: Extract<Expr, { kind: 'if' }>, dest: Place): void {
    const span = e.span;
    const elseBlock = this.newBlock();
    const join = this.newBlock();
    this.inScope(e.then.span, () => {
      this.condition(e.cond, elseBlock, { kind: 'if', span: e.cond.span, body: e.then.span });
      this.block(e.then, dest);
    });
    this.terminate({ kind: 'goto', target: join, span: endSpan(e.then.span) });
    this.current = elseBlock;
    if (e.else) this.exprIntoPlace(e.else, dest);
    else this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: [] }, span);
    this.terminate({ kind: 'goto', target: join, span });
    this.current = join;
  }

  /** Lowers a condition (bool expression, `let` pattern, or `&&` chain); falls through on true. */
  private condition(c: Expr, fail: BlockId, source?: { kind: 'if'; span: Span; body: Span }): void {
    if (c.kind === 'let') {
      const src = this.exprAsPlaceOrTemp(c.init, false, this.bindsByRefMut([c.pat]));
      // rustc makes the bindings live only on the matching path: after a failed test (the end
      // of a `while let` loop, the `else` of an `if let`) they are not in scope.
      this.testPattern(c.pat, src, c.init.ty, fail);
      this.declareBindings(c.pat);
      this.withScrutinee(c.init.span, () => this.bindPattern(c.pat, src, c.init.ty, 'move', c.span));
      return;
    }
    if (c.kind === 'binary' && c.op === '&&' && containsLet(c)) {
      this.condition(c.lhs, fail);
      this.condition(c.rhs, fail);
      return;
    }
    const op = this.exprAsOperand(c);
    const cont = this.newBlock();
    this.terminate({
      kind: 'switchInt',
      discr: op,
      values: [0n],
      targets: [fail],
      otherwise: cont,
      span: c.span,
      ...(source ? { source } : {}),
    });
    this.current = cont;
  }

  private matchExpr(e: Extract<Expr, { kind: 'match' }>, dest: Place): void {
    const span = e.span;
    const src = this.exprAsPlaceOrTemp(e.scrutinee, false, this.bindsByRefMut(e.arms.map((a) => a.pat)));
    // rustc's `PlaceMention` of the scrutinee: a use for liveness, no initialisation check (the
    // tests read what they test, so a match on a partly moved value may test the rest).
    if (e.arms.some((a) => this.patTests(a.pat, e.scrutinee.ty))) this.push({ kind: 'placeMention', place: src, span: e.scrutinee.span });
    // With a guard, the places the patterns test are fake-borrowed (shallow) from here to the end
    // of every guard, so that a guard cannot change which arm matches (E0510); the borrows are
    // made once the arms are lowered and their tested places known.
    const guarded = e.arms.some((a) => a.guard);
    const fakeAt = guarded && this.current !== null ? { block: this.current, index: this.blocks[this.current].statements.length } : null;
    const guardEnds: { block: number; index: number; span: Span }[] = [];
    const savedFake = this.fakeBorrowPlaces;
    this.fakeBorrowPlaces = guarded ? { tested: [], bound: [] } : null;
    const collected = this.fakeBorrowPlaces;
    const join = this.newBlock();
    for (const arm of e.arms) {
      if (this.current === null) break;
      const next = this.newBlock();
      this.inScope(arm.span, () => {
        this.declareBindings(arm.pat);
        const savedTest = this.matchTest;
        this.matchTest = { start: { start: e.span.start, end: e.scrutinee.span.end }, scrutinee: e.scrutinee.span };
        try {
          this.testPattern(arm.pat, src, e.scrutinee.ty, next);
        } finally {
          this.matchTest = savedTest;
        }
        // rustc's false edge from a candidate to the next one (`FalseEdge` after the tests): the
        // borrow checker must not rely on which arms' patterns overlap or are exhaustive, so the
        // next arm may be reached without this arm's guard having run (E0381 for a binding only a
        // guard assigns), even after an irrefutable arm (E0510 in a later arm's guard).
        if (this.current !== null && arm !== e.arms[e.arms.length - 1]) {
          const bind = this.newBlock();
          this.terminate({ kind: 'falseEdge', realTarget: bind, imaginaryTarget: next, alternative: true, span: arm.pat.span });
          this.current = bind;
        }
        const bindAt = this.current === null ? null : { block: this.current, index: this.blocks[this.current].statements.length };
        this.guardedArm = !!arm.guard;
        try {
          this.withScrutinee(e.scrutinee.span, () => this.bindPattern(arm.pat, src, e.scrutinee.ty, 'move', arm.pat.span));
        } finally {
          this.guardedArm = false;
        }
        const guardRefs = arm.guard && bindAt ? this.refsForGuard(bindAt) : [];
        if (arm.guard) {
          const saved = this.fakeBorrowPlaces;
          this.fakeBorrowPlaces = null;
          this.condition(arm.guard, next);
          this.fakeBorrowPlaces = saved;
          if (this.current !== null) {
            for (const t of guardRefs) this.push({ kind: 'fakeRead', place: place(t), span: arm.guard.span });
            guardEnds.push({ block: this.current, index: this.blocks[this.current].statements.length, span: arm.guard.span });
          }
        }
        const saved = this.fakeBorrowPlaces;
        this.fakeBorrowPlaces = null;
        this.exprIntoPlace(arm.body, dest);
        this.fakeBorrowPlaces = saved;
      });
      this.terminate({ kind: 'goto', target: join, span: arm.span });
      this.current = next;
    }
    // No arm matched: unreachable for exhaustive matches.
    this.terminate({ kind: 'unreachable', span });
    this.current = join;
    this.fakeBorrowPlaces = savedFake;
    if (fakeAt && collected) this.insertFakeBorrows(collected, fakeAt, guardEnds, e.scrutinee.span);
  }

  /**
   * Inside a guard, a by-value binding is a reference to the matched place (rustc
   * `RefWithinGuard`: the value is bound only once the guard succeeds), so the guard cannot
   * change what it matched: a shared borrow of each place a `Copy` binding copied at `from`,
   * used at the guard's end (E0506 for `t = !t` in `s if ..` on `match t`). Moving bindings are
   * left as they are (the builder moves them before the guard). Returns the borrowing temporaries.
   */
  private refsForGuard(from: { block: number; index: number }): number[] {
    if (this.current !== from.block) return [];
    const out: number[] = [];
    for (const s of this.blocks[from.block].statements.slice(from.index)) {
      if (s.kind !== 'assign' || s.place.projection.length || s.rvalue.kind !== 'use' || s.rvalue.operand.kind !== 'copy') continue;
      if (this.locals[s.place.local]?.kind !== 'user') continue;
      const p = s.rvalue.operand.place;
      const t = this.temp(refTy(this.tyOfPlace(p)), s.span);
      out.push(t);
      this.push({ kind: 'assign', place: place(t), rvalue: { kind: 'ref', borrow: 'shared', place: p }, span: s.span });
    }
    return out;
  }

  /**
   * rustc's fake borrows of a match with guards: a shallow `&fake` of each tested place and of
   * the places before each deref on the way to a tested or bound place, made at `at` (after the
   * scrutinee), and a `FakeRead` of each at every guard's end (`ForMatchGuard`), which keeps
   * them live through the guards (the read's span is the guard's). Statements are inserted after the arms are lowered (from the
   * last position back, so the recorded indices stay right).
   */
  private insertFakeBorrows(
    places: { tested: Place[]; bound: Place[] },
    at: { block: number; index: number },
    guardEnds: { block: number; index: number; span: Span }[],
    span: Span,
  ): void {
    const all = new Map<string, Place>();
    const add = (p: Place): void => {
      const key = placeText(p);
      if (!all.has(key)) all.set(key, p);
    };
    for (const p of [...places.tested, ...places.bound]) {
      p.projection.forEach((e, i) => {
        if (e.kind === 'deref') add({ local: p.local, projection: p.projection.slice(0, i) });
      });
    }
    for (const p of places.tested) add(p);
    if (!all.size || !guardEnds.length) return;
    const temps: number[] = [];
    const borrows: Statement[] = [];
    for (const p of all.values()) {
      const t = this.temp(refTy(this.tyOfPlace(p)), span);
      temps.push(t);
      borrows.push({ kind: 'assign', place: place(t), rvalue: { kind: 'ref', borrow: 'fake', place: p }, span });
    }
    const inserts = [
      { ...at, stmts: borrows },
      ...guardEnds.map((g) => ({ ...g, stmts: temps.map((t): Statement => ({ kind: 'fakeRead', place: place(t), span: g.span })) })),
    ];
    inserts.sort((a, b) => (a.block !== b.block ? a.block - b.block : b.index - a.index));
    for (const ins of inserts) this.blocks[ins.block].statements.splice(ins.index, 0, ...ins.stmts);
  }

  private loopExpr(e: Extract<Expr, { kind: 'loop' }>, dest: Place): void {
    this.loopSpans.push({ head: keywordSpan(e.span, 'loop', e.label), body: e.span });
    const header = this.gotoNew(e.span);
    const exit = this.newBlock();
    this.loops.push({ label: e.label, breakBlock: exit, continueBlock: header, resultPlace: dest, scopeDepth: this.scopes.length });
    const t = this.temp(UNIT, e.span);
    this.block(e.body, place(t));
    this.loops.pop();
    this.terminate({ kind: 'falseEdge', realTarget: header, imaginaryTarget: exit, span: endSpan(e.body.span) });
    this.current = exit;
  }

  private whileExpr(e: Extract<Expr, { kind: 'while' }>, dest: Place): void {
    this.loopSpans.push({ head: keywordSpan(e.span, 'while', e.label), body: e.span });
    const header = this.gotoNew(e.span);
    const exit = this.newBlock();
    this.inScope(e.body.span, () => {
      this.condition(e.cond, exit);
      this.loops.push({ label: e.label, breakBlock: exit, continueBlock: header, resultPlace: null, scopeDepth: this.scopes.length });
      const t = this.temp(UNIT, e.span);
      this.block(e.body, place(t));
      this.loops.pop();
    });
    this.terminate({ kind: 'falseEdge', realTarget: header, imaginaryTarget: exit, span: endSpan(e.body.span) });
    this.current = exit;
    this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: [] }, e.span);
  }

  private forExpr(e: Extract<Expr, { kind: 'for' }>, dest: Place): void {
    this.loopSpans.push({ head: keywordSpan(e.span, 'for', e.label), body: e.span });
    const span = e.span;
    // let mut iter = IntoIterator::into_iter(EXPR);
    const iterSrc = this.exprAsOperand(e.iter, { kind: 'intoIter', span: e.iter.span });
    const iterLocal = this.temp(unknown('iterator'), e.iter.span);
    // The iterator holds what the iterated value holds (`for x in &v` keeps `v` borrowed), and
    // each item what the iterator holds (`IntoIterator::into_iter(self)`, `next(&mut self)`).
    this.call(
      { kind: 'std', path: 'IntoIterator::into_iter', id: stdId('IntoIterator::into_iter'), selfTy: e.iter.ty },
      [iterSrc],
      place(iterLocal),
      e.iter.span,
      e.iter.span,
      undefined,
      undefined,
      false,
      {
        result: [{ arg: 0, via: 'value' }],
        into: [],
      },
      true,
    );
    const header = this.gotoNew(span);
    const exit = this.newBlock();
    const itemTy = patTy(e.pat, this.fn) ?? unknown();
    const optTy: Ty = { kind: 'adt', name: 'Option', args: [itemTy], std: true };
    const next = this.temp(optTy, e.iter.span);
    const iterRef = this.temp(refTy(unknown('iterator'), true), e.iter.span);
    this.assign(place(iterRef), { kind: 'ref', borrow: 'mut', place: place(iterLocal) }, e.iter.span);
    this.call(
      { kind: 'std', path: 'Iterator::next', id: stdId('Iterator::next') },
      [{ kind: 'move', place: place(iterRef) }],
      place(next),
      e.iter.span,
      e.iter.span,
      undefined,
      undefined,
      false,
      {
        result: [{ arg: 0, via: 'referent' }],
        into: [],
      },
      true,
    );
    const disc = this.temp(I32, e.iter.span);
    this.assign(place(disc), { kind: 'discriminant', place: place(next) }, e.iter.span);
    const body = this.newBlock();
    const head: Span = { start: e.span.start, end: e.iter.span.end };
    this.terminate({
      kind: 'switchInt',
      discr: { kind: 'copy', place: place(disc) },
      values: [0n],
      targets: [exit],
      otherwise: body,
      span: e.iter.span,
      source: { kind: 'for', span: head, body: e.span },
    });
    this.current = body;
    this.inScope(e.body.span, () => {
      this.declareBindings(e.pat);
      const somePlace = place(next, [
        { kind: 'downcast', variant: 'Some', index: 1 },
        { kind: 'field', index: 0, name: '0', ty: itemTy },
      ]);
      // What the pattern matches is the iterated expression's item (rustc points a move out of
      // it at `list` in `for &item in list`).
      this.withScrutinee(e.iter.span, () => this.bindPattern(e.pat, somePlace, itemTy, 'move', e.pat.span));
      this.loops.push({ label: e.label, breakBlock: exit, continueBlock: header, resultPlace: null, scopeDepth: this.scopes.length });
      const t = this.temp(UNIT, span);
      this.block(e.body, place(t));
      this.loops.pop();
    });
    this.terminate({ kind: 'falseEdge', realTarget: header, imaginaryTarget: exit, span: endSpan(e.body.span) });
    this.current = exit;
    this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: [] }, span);
  }

  private findLoop(label?: string): LoopScope | undefined {
    for (let i = this.loops.length - 1; i >= 0; i--) if (!label || this.loops[i].label === label) return this.loops[i];
    return undefined;
  }

  private call(
    func: Callee,
    args: Operand[],
    dest: Place,
    span: Span,
    fnSpan: Span,
    macro?: string,
    format?: FormatPiece[],
    diverges = false,
    borrows?: CallBorrows,
    desugared = false,
  ): void {
    const target = diverges ? null : this.newBlock();
    this.terminate({
      kind: 'call',
      func,
      args,
      dest,
      target,
      fnSpan,
      span,
      ...(macro ? { macro } : {}),
      ...(format ? { format } : {}),
      ...(borrows && (borrows.result.length || borrows.into.length || borrows.static?.length || borrows.outlive?.length)
        ? { borrows }
        : {}),
      ...(desugared ? { desugared: true as const } : {}),
    });
    this.current = target;
  }

  private callExpr(e: Extract<Expr, { kind: 'call' }>, dest: Place): void {
    const span = e.span;
    const callee = e.callee;
    const diverges = e.ty.kind === 'never';
    if (callee.kind === 'path') {
      // `Deref::deref(&x)` of the file's own impl: type checking picked its fn (`hir/overloaded.ts`).
      const user = callee.res.kind === 'std' ? this.tr.calls.get(e.id) : undefined;
      const res: Res = user ? { kind: 'fn', name: user.qualName } : callee.res;
      if (res.kind === 'ctor') {
        const adt = this.file.adts.get(res.adt);
        const fields = res.variant ? adt?.variants.find((v) => v.name === res.variant)?.fields : adt?.fields;
        const operands = this.operandsInOrder(e.args, (a) => this.argOperand(a));
        if (adt && fields)
          this.ascribeOperands(
            operands,
            fields.map((f) => f.ty),
            userSubstForAdt(adt, callee.userArgs ?? callee.selfArgs),
            span,
          );
        this.assign(
          dest,
          {
            kind: 'aggregate',
            agg: { kind: 'adt', adt: res.adt, variant: res.variant, fieldNames: (fields ?? []).map((f) => f.name) },
            operands,
          },
          span,
        );
        return;
      }
      if (res.kind === 'std' && (res.path === 'Some' || res.path === 'Ok' || res.path === 'Err')) {
        const adt = res.path === 'Some' ? 'Option' : 'Result';
        this.assign(
          dest,
          {
            kind: 'aggregate',
            agg: { kind: 'adt', adt, variant: res.path, fieldNames: ['0'] },
            operands: this.operandsInOrder(e.args, (a) => this.exprAsOperand(a)),
          },
          span,
        );
        return;
      }
      const paramTys = this.pathCallParams(e, res);
      if (res.kind === 'fn' && paramTys) {
        const fn = this.tr.calls.get(e.id) ?? this.file.fns.find((f) => f.qualName === res.name);
        const off = paramTys.length - e.args.length;
        e.args.forEach((a, i) => this.expectClosureKind(a, paramTys[i + off], fn));
      }
      const args = this.operandsInOrder(e.args, (a, i) => this.argOperand(a, paramTys?.[i]));
      if (res.kind === 'fn' && paramTys && (callee.userArgs || callee.selfArgs || res.selfTy)) {
        const fn = this.tr.calls.get(e.id) ?? this.file.fns.find((f) => f.qualName === res.name);
        const subst = fn && userSubstForFn(fn, callee.userArgs, callee.selfArgs, res.selfTy);
        if (subst) this.ascribeOperands(args, paramTys.slice(paramTys.length - e.args.length), subst, span);
      }
      let func: Callee;
      // A trait method called by path (`Trait::m(&x)`) runs the impl type checking picked.
      if (res.kind === 'fn') func = { kind: 'fn', name: this.tr.calls.get(e.id)?.qualName ?? res.name };
      else if (res.kind === 'std') {
        const id = this.tr.stdCalls.get(e.id)?.id;
        func = { kind: 'std', path: res.path === 'mem::drop' ? 'drop' : res.path, ...(id ? { id } : {}) };
      } else if (res.kind === 'local') {
        const p = this.exprAsPlace(callee);
        const callKind = this.callKindOf(callee.ty);
        func = { kind: 'local', local: p.local, ...(callKind ? { callKind } : {}) };
        // Calling a closure that moves a captured value out of its environment consumes it (FnOnce).
        const ct = callee.ty;
        const info = ct.kind === 'closure' ? this.prog.closures.get(ct.id) : undefined;
        const consumed = info?.captures.find((c) => c.consumed && isCopy(this.fn.locals[c.hirLocal].ty, this.file.adts) === false);
        if ((consumed || (!info && callKind === 'FnOnce')) && p.projection.length === 0) {
          const t = this.temp(ct, callee.span);
          this.assign(
            place(t),
            {
              kind: 'use',
              operand: {
                kind: 'move',
                place: p,
                span: callee.span,
                note: { kind: 'call', span: { start: callee.span.start, end: span.end }, captured: consumed?.name ?? '' },
              },
            },
            callee.span,
          );
        }
      } else func = { kind: 'unknown', text: callee.text };
      this.call(func, args, dest, span, callee.span, undefined, undefined, diverges, this.pathCallBorrows(e, res));
      return;
    }
    // callee is an arbitrary expression (closure in a field, returned fn): evaluate it, then call
    const ptr = this.fnPointerSig(callee.ty, e.args.length);
    const dynCall = ptr ? undefined : this.dynCallee(callee, e.args.length);
    if (!dynCall) this.exprAsOperand(callee);
    const args = this.operandsInOrder(e.args, (a, i) => this.argOperand(a, (ptr ?? dynCall)?.params[i]));
    // The borrow of the callee (`FnMut::call_mut(&mut f.c, ..)`) is taken before the arguments
    // and used by the call.
    if (dynCall) this.push({ kind: 'fakeRead', place: place(dynCall.ref), span: callee.span, use: true });
    const known = ptr && fnPointerCallBorrows(ptr.params, this.fn.lifetimes, this.adtLifetimes);
    const borrows = known && (known.outlive || known.static) ? known : undefined;
    this.call({ kind: 'unknown', text: 'expression' }, args, dest, span, callee.span, undefined, undefined, diverges, borrows);
  }

  private methodCall(e: Extract<Expr, { kind: 'methodCall' }>, dest: Place): void {
    const span = e.span;
    const res = this.tr.methods.get(e.id);
    let recv: Operand;
    let func: Callee;
    const callSpan: Span = { start: e.methodSpan.start, end: e.span.end };
    if (!res) {
      // Unknown method: the receiver is read (not moved), arguments are passed by value.
      const p = this.exprAsPlaceOrTemp(e.receiver);
      recv = { kind: 'copy', place: p, span: e.receiver.span };
      func = { kind: 'unknown', text: e.method, ...(e.turbofish.length ? { turbofish: e.turbofish } : {}) };
    } else {
      const selfKind = res.selfKind;
      func =
        res.kind === 'user'
          ? { kind: 'fn', name: res.fn.qualName }
          : { kind: 'std', path: res.method.path, id: res.method.id, selfTy: e.receiver.ty };
      if (selfKind === 'value') {
        // rustc names a trait method by its trait (`Tr::eat`), an inherent one by its type (`Foo::take`).
        const fnPath = res.kind === 'user' ? (res.fn.traitName ? `${res.fn.traitName}::${res.fn.name}` : res.fn.qualName) : res.method.path;
        const note: MoveNote = { kind: 'method', method: e.method, callSpan, fnPath };
        if (isPlaceExpr(e.receiver)) {
          let p = this.exprAsPlace(e.receiver);
          if (res.derefs > 0)
            p =
              receiverDerefs(this.placeOpHost, p, this.tyOfPlace(p), res.derefs, false, e.receiver.span) ??
              this.autoDerefPlace(p, e.receiver.ty).place;
          // Through the receiver's auto-derefs (`opt.unwrap()` with `opt: &Option<String>`) a
          // by-value `self` moves out of borrowed content: E0507, when every type is known.
          recv = this.copyOrMove(p, e.receiver.span, note, res.derefs > 0);
        } else recv = this.exprAsOperand(e.receiver);
      } else {
        // rustc's receiver adjustments (Rust reference, "Method call expressions"): the probe's
        // `derefs` auto-derefs, then a borrow (autoref) of that place, or, when the place reached
        // is itself the `&`/`&mut self` reference, a reborrow of what it points to. Only built-in
        // derefs are places; through a smart pointer the pointer itself is borrowed.
        let p = this.exprAsPlaceOrTemp(e.receiver, false, selfKind === 'mut');
        let rt = this.tyOfPlace(p);
        let overloadedDeref = false;
        for (let i = 0; i < res.derefs + (res.autoref === 'none' ? 1 : 0); i++) {
          const step = derefStep(rt);
          // The file's own `impl Deref` on the way: `Deref::deref(&p)` (`mir/placeOps.ts`).
          const user = step ? undefined : userDeref(rt, this.file);
          if (user) {
            p = overloadedPlace(this.placeOpHost, p, rt, user, 'deref', selfKind === 'mut', undefined, e.receiver.span, e.receiver.span);
            rt = user.target;
            continue;
          }
          if (!step?.builtin) {
            overloadedDeref = !!step;
            break;
          }
          p = place(p.local, [...p.projection, { kind: 'deref' }]);
          rt = step.target;
        }
        // Two-phase borrows are for autorefs only: the `&mut v` that an overloaded deref takes
        // (`v.swap(..)` on a Vec: `<[T]>::swap(&mut *DerefMut::deref_mut(&mut v), ..)`) is an
        // ordinary mutable borrow (rustc: `AllowTwoPhase::No` for overloaded derefs).
        // A `&mut self` method through a pointer without `DerefMut` (`rc.push_str(..)` on an
        // `Rc<String>`): rustc borrows the pointee mutably (and reports E0596).
        if (overloadedDeref && selfKind === 'mut' && res.mutThroughShared && derefStep(rt)?.mutable === false)
          p = place(p.local, [...p.projection, { kind: 'deref' }]);
        const kind: BorrowKind = selfKind === 'mut' ? (overloadedDeref ? 'mut' : 'twoPhaseMut') : 'shared';
        const t = this.temp(refTy(this.tyOfPlace(p), selfKind === 'mut'), e.receiver.span);
        this.assign(place(t), { kind: 'ref', borrow: kind, place: p }, e.receiver.span);
        recv = { kind: 'move', place: place(t), span: e.receiver.span };
      }
    }
    const params = !res ? undefined : res.kind === 'user' ? res.fn.params.map((p) => p.ty) : res.method.params;
    if (res?.kind === 'user') e.args.forEach((a, i) => this.expectClosureKind(a, params?.[i], res.fn));
    // A std method's closure parameter with its trait written in the registry (`impl FnMut(..)`).
    else if (res?.kind === 'std')
      e.args.forEach((a, i) => {
        const k = res.method.closureKinds?.[i];
        if (a.kind === 'closure' && (k === 'Fn' || k === 'FnMut')) this.expectedClosureKinds.set(a, k);
      });
    const args = this.operandsInOrder([null, ...e.args], (a, i) => (a === null ? recv : this.argOperand(a, params?.[i - 1])));
    // `x.m::<&'a u32>(&c)`: the turbofish annotates the method's own type parameters.
    if (res?.kind === 'user' && e.turbofish.length) {
      const subst = userSubstForFn(res.fn, { types: e.turbofish, regions: [] }, undefined);
      if (subst) this.ascribeOperands(args.slice(1), params ?? [], subst, span);
    }
    const borrows = !res
      ? undefined
      : res.kind === 'user'
        ? userCallBorrows(res.fn, this.adtLifetimes)
        : stdCallBorrows(
            resolveClosureBorrows(
              res.method,
              e.receiver.ty,
              e.args.map((a) => a.ty),
              e.ty,
              (t) => this.closureResultSources(t),
            ),
            true,
          );
    this.call(func, args, dest, span, e.methodSpan, undefined, undefined, e.ty.kind === 'never', borrows);
  }

  /** What the result of a closure (or fn) of type `t` borrows from (`hir/closureResult.ts`); null: unknown. */
  private closureResultSources(t: Ty): ClosureResultSources | null {
    if (t.kind === 'fn') return fnResultSources(t);
    const e = t.kind === 'closure' ? this.closureExprs.get(t.id) : undefined;
    return e ? closureResultSources(e, this.fn.locals, this.tr.methods) : null;
  }

  /**
   * How calling a value of type `t` uses it: a closure is `FnOnce` when its body moves a captured
   * value out, `FnMut` when it mutates a capture, else `Fn`; a generic parameter by its bounds.
   */
  private callKindOf(t: Ty): 'Fn' | 'FnMut' | 'FnOnce' | undefined {
    if (t.kind === 'closure') {
      const info = this.prog.closures.get(t.id);
      if (!info) return undefined;
      if (info.captures.some((c) => c.consumed && isCopy(this.fn.locals[c.hirLocal].ty, this.file.adts) === false)) return 'FnOnce';
      return info.captures.some((c) => c.mode === 'mut') ? 'FnMut' : 'Fn';
    }
    if (t.kind === 'param') {
      const b = this.fn.bounds?.[t.name] ?? [];
      return b.includes('FnOnce') ? 'FnOnce' : b.includes('FnMut') ? 'FnMut' : b.includes('Fn') ? 'Fn' : undefined;
    }
    return undefined;
  }

  /**
   * Records the closure trait a closure argument must implement, from the parameter it is passed
   * to: a generic `F` bounded by `Fn`/`FnMut` in the callee, or `impl Fn(..)`/`impl FnMut(..)`
   * (rustc's closure kind deduced from the expected type). `FnOnce` (or no such bound) leaves the
   * kind to the body.
   */
  private expectClosureKind(arg: Expr, param: Ty | undefined, callee: FnDef | undefined): void {
    if (arg.kind !== 'closure' || !param) return;
    let bounds: string[] = [];
    if (param.kind === 'param') {
      bounds = callee?.bounds?.[param.name] ?? [];
      // `F: Fn(&i32)`: a higher-ranked signature, the closure's parameter has a region of its own.
      const elided = callee?.regionBounds?.fnArgsElided[param.name];
      if (elided) this.closureOwnRegions.set(arg, elided);
    } else if (param.kind === 'opaque' && !param.dyn) {
      const m = /^impl\s+(Fn|FnMut|FnOnce)\s*\(/.exec(param.text);
      if (m) bounds = [m[1]];
    }
    if (bounds.includes('FnOnce')) return;
    const kind = bounds.includes('FnMut') ? 'FnMut' : bounds.includes('Fn') ? 'Fn' : undefined;
    if (kind) this.expectedClosureKinds.set(arg, kind);
  }

  /** Lifetime parameters declared by the file's struct/enum `name` (0 for unknown names). */
  private readonly adtLifetimes = (name: string): number => this.file.adts.get(name)?.lifetimes.length ?? 0;

  /** The declared parameter types of a call by path, when the callee is known. */
  private pathCallParams(e: Extract<Expr, { kind: 'call' }>, res: Extract<Expr, { kind: 'path' }>['res']): Ty[] | undefined {
    if (res.kind === 'fn') {
      const fn = this.tr.calls.get(e.id) ?? this.file.fns.find((f) => f.qualName === res.name);
      if (!fn) return undefined;
      const selfLocal = fn.locals.find((l) => l.kind === 'self');
      return [...(selfLocal ? [selfLocal.ty] : []), ...fn.params.map((p) => p.ty)];
    }
    if (res.kind === 'std') {
      const i = res.path.lastIndexOf('::');
      return (i >= 0 ? stdAssocFn(res.path.slice(0, i), res.path.slice(i + 2)) : stdAssocFn('', res.path))?.params;
    }
    if (res.kind === 'local') return this.fnPointerSig(e.callee.ty, e.args.length)?.params;
    return undefined;
  }

  /**
   * A call of a place holding a `dyn Fn(..)`/`dyn FnMut(..)` (behind a `Box` or a reference:
   * `(f.c)(f, true)` with `c: Box<dyn FnMut(&mut R, bool)>`): borrows the closure (the box, which
   * is `FnMut` itself), mutably for `FnMut` (rustc `FnMut::call_mut(&mut f.c, ..)`), into a temporary `ref`, before the
   * arguments are evaluated; `params` are the signature's argument types. Undefined for other
   * callees (a `FnOnce` moves it, unknown types are not guessed at).
   */
  private dynCallee(callee: Expr, argc: number): { ref: number; params: Ty[] } | undefined {
    if (!isPlaceExpr(callee)) return undefined;
    let t: Ty = callee.ty;
    for (let i = 0; i < 4 && t.kind !== 'opaque'; i++) {
      if (t.kind === 'ref') t = t.inner;
      else if (t.kind === 'adt' && t.std && t.name === 'Box' && t.args[0]) t = t.args[0];
      else return undefined;
    }
    if (t.kind !== 'opaque' || !t.dyn || !t.call || t.call.params.length !== argc) return undefined;
    const kind = /^dyn\s+(FnMut|Fn)\s*\(/.exec(t.text)?.[1];
    if (!kind) return undefined;
    const mutable = kind === 'FnMut';
    // Through references to the `dyn`; a `Box<dyn FnMut>` is itself `FnMut`: the box is borrowed.
    let p = this.exprAsPlace(callee);
    for (let c: Ty = callee.ty; c.kind === 'ref'; c = c.inner) p = place(p.local, [...p.projection, { kind: 'deref' }]);
    const r = this.temp(refTy(t, mutable), callee.span);
    this.assign(place(r), { kind: 'ref', borrow: mutable ? 'mut' : 'shared', place: p }, callee.span);
    return { ref: r, params: t.call.params };
  }

  /**
   * The signature of a call through a fn pointer (`fn(&'a mut T) -> R`, not a fn item) of type
   * `t` taking `argc` arguments; undefined when `t` is not one or its parameters are unknown.
   */
  private fnPointerSig(t: Ty, argc: number): (Ty & { kind: 'fn' }) | undefined {
    return t.kind === 'fn' && !t.name && !t.bound && t.params.length === argc ? t : undefined;
  }

  /** The borrows of a call by path (`first_word(&s)`, `Rc::clone(&a)`), from the callee's signature. */
  private pathCallBorrows(e: Extract<Expr, { kind: 'call' }>, res: Extract<Expr, { kind: 'path' }>['res']): CallBorrows | undefined {
    if (res.kind === 'fn') {
      const fn = this.tr.calls.get(e.id) ?? this.file.fns.find((f) => f.qualName === res.name);
      return fn ? userCallBorrows(fn, this.adtLifetimes) : undefined;
    }
    if (res.kind === 'const' || res.kind === 'static' || res.kind === 'local') {
      // A call through a fn pointer (`FUN(&x)` with `const FUN: fn(&'static ())`).
      let t = res.kind === 'local' ? e.callee.ty : (this.file.consts.get(res.name) ?? this.file.statics.get(res.name))?.ty;
      // A local holding a fn item, or a reference to one (`let f = &shorten; f(a, b)`): the fn's signature.
      if (res.kind === 'local') for (let i = 0; i < 4 && t?.kind === 'ref'; i++) t = t.inner;
      if (t?.kind === 'fn' && t.name) {
        const fn = this.file.fnByPath.get(t.name);
        return fn && fn.selfKind === null ? userCallBorrows(fn, this.adtLifetimes) : undefined;
      }
      return t?.kind === 'fn' && !t.bound ? fnPointerCallBorrows(t.params, this.fn.lifetimes, this.adtLifetimes) : undefined;
    }
    if (res.kind === 'std') {
      const i = res.path.lastIndexOf('::');
      const m = i >= 0 ? stdAssocFn(res.path.slice(0, i), res.path.slice(i + 2)) : stdAssocFn('', res.path);
      return m ? stdCallBorrows(m, false) : undefined;
    }
    return undefined;
  }

  private closureExpr(e: Extract<Expr, { kind: 'closure' }>, dest: Place): void {
    const closureId = e.ty.kind === 'closure' ? e.ty.id : e.id;
    const captures = this.captureAnalysis(e);
    const name = e.name;
    e.captures = captures.map((c) => ({ local: c.hirLocal, mode: c.mode, span: c.useSpan }));
    this.prog.closures.set(closureId, { name, captures });
    this.closureExprs.set(closureId, e);
    const head = closureHeadSpan(e);
    const ops: Operand[] = captures.map((c) => {
      let pathExpr = {
        kind: 'path',
        res: { kind: 'local', local: c.hirLocal },
        text: c.name,
        id: -1,
        span: c.useSpan,
        ty: this.fn.locals[c.hirLocal].ty,
      } as Expr;
      for (const f of c.fields)
        pathExpr = { kind: 'field', base: pathExpr, name: f.name, nameSpan: c.useSpan, id: -1, span: c.useSpan, ty: f.ty } as Expr;
      if (c.mode === 'move') {
        // The move happens where the closure is written (rustc points at `move ||`).
        const p = this.exprAsPlace(pathExpr);
        return this.copyOrMove(p, head, { kind: 'closure', closureSpan: head, useSpan: c.useSpan });
      }
      // Capturing a reference variable for mutation is a unique borrow of `*r` (it needs no `mut r`).
      // The borrow is taken where the closure is written (rustc points at the closure: `||`).
      const declTy = this.fn.locals[c.hirLocal].ty;
      const viaRef = declTy.kind === 'ref' && c.fields.length === 0;
      const kind: BorrowKind =
        c.mode !== 'mut' ? 'shared' : !viaRef ? 'mut' : declTy.kind === 'ref' && declTy.mutable ? 'unique' : 'shared';
      // The operand carries the use in the body that makes the capture (rustc's
      // `capture_kind_span`: "`x` is borrowed here", "value captured here").
      return { ...this.borrowOperand(pathExpr, kind, head), span: c.useSpan };
    });
    this.assign(dest, { kind: 'aggregate', agg: { kind: 'closure', closureId }, operands: ops }, e.span);
    // Build the closure's own body with a fresh builder sharing this function's HIR locals.
    try {
      const b = new FnBuilder(this.file, this.fn, this.tr, this.prog);
      this.prog.bodies.set(name, b.buildClosure(e, captures, name, this.expectedClosureKinds.get(e), this.closureOwnRegions.get(e)));
    } catch (err) {
      this.unsupported.push({ span: e.span, what: `closure body: ${(err as Error).message}` });
    }
  }

  /**
   * Capture analysis (rustc_hir_typeck::upvar): each outer place used in the body is captured
   * by the weakest mode its uses need — shared borrow, mutable borrow, or by value when a use
   * moves it (or when the closure is `move`). Copy values used by value are borrowed. Edition
   * 2021 captures the precise places used (`s.a`, RFC 2229: field projections from a local,
   * truncated before an index, and before a field of a `Drop` type when moved); older editions
   * capture whole locals. A `let` or `match` pattern decides how its scrutinee place is used:
   * only `_` reads nothing, `ref mut` bindings borrow mutably, by-value bindings of non-Copy
   * parts move.
   */
  private captureAnalysis(e: Extract<Expr, { kind: 'closure' }>): CaptureInfo[] {
    const closureId = e.ty.kind === 'closure' ? e.ty.id : e.id;
    const precise = this.edition === '2021' || this.edition === '2024';
    const inner = new Set<number>();
    this.fn.locals.forEach((l) => {
      if (l.closure !== undefined && l.closure >= closureId) inner.add(l.id);
    });
    type Mode = 'ref' | 'mut' | 'move';
    const found: CaptureInfo[] = [];
    const rank = { ref: 0, mut: 1, move: 2 } as const;
    const note = (local: number, fields: CaptureInfo['fields'], mode: Mode, span: Span): void => {
      if (inner.has(local)) return;
      const decl = this.fn.locals[local];
      if (!decl || decl.closure === closureId) return;
      const ty = fields.length ? fields[fields.length - 1].ty : decl.ty;
      if (mode === 'move' && isCopy(ty, this.file.adts) !== false) mode = 'ref';
      // A shared reference used by value is copied: a borrow suffices. (A `&mut` used by value
      // is moved into the closure; at a call it is reborrowed: see the `call` cases below.)
      if (mode === 'move' && ty.kind === 'ref' && !ty.mutable) mode = 'ref';
      // Moving a field out of a `Drop` type is not allowed: capture the whole value instead.
      if (mode === 'move' || e.moveCapture) {
        let t = decl.ty;
        for (let i = 0; i < fields.length; i++) {
          if (t.kind === 'adt' && !t.std && this.file.adts.get(t.name)?.hasDropImpl) {
            fields = fields.slice(0, i);
            break;
          }
          t = fields[i].ty;
        }
      }
      found.push({ hirLocal: local, name: decl.name, mode, useSpan: span, consumed: mode === 'move', fields: precise ? fields : [] });
    };
    /** The place an expression names, as a local and field projections (undefined: not a place). */
    const placeOf = (x: Expr): { local: number; span: Span; fields: CaptureInfo['fields'] } | undefined => {
      const fields: CaptureInfo['fields'] = [];
      let cur = x;
      for (let i = 0; i < 64; i++) {
        if (cur.kind === 'path' && cur.res.kind === 'local') return { local: cur.res.local, span: cur.span, fields };
        if (cur.kind === 'field') {
          const baseTy = cur.base.ty;
          // A by-reference capture goes on through a reference (`self.slot` of `&mut self`
          // captures `(*self).slot`); a `move` closure stops at it and takes the reference
          // itself; a Box or an unknown type stops it too.
          const base = baseTy.kind === 'ref' && precise && !e.moveCapture ? baseTy.inner : baseTy;
          if (base.kind === 'ref' || (base.kind === 'adt' && base.std && base.name === 'Box') || base.kind === 'unknown') fields.length = 0;
          else {
            const fname = cur.name;
            const index =
              base.kind === 'tuple'
                ? Number(fname)
                : (this.file.adts.get(base.kind === 'adt' ? base.name : '')?.fields.findIndex((f) => f.name === fname) ?? -1);
            const isUnion = base.kind === 'adt' && this.file.adts.get(base.name)?.kind === 'union';
            if (index < 0 || isUnion) fields.length = 0;
            else fields.unshift({ name: cur.name, index, ty: cur.ty });
          }
          cur = cur.base;
        } else if (cur.kind === 'index') {
          fields.length = 0;
          cur = cur.base;
        } else return undefined;
      }
      return undefined;
    };
    /** How a pattern uses the place it matches (undefined: not at all, only `_`). */
    const patMode = (p: Pat): Mode | undefined => {
      let m: Mode | undefined;
      const bump = (x: Mode): void => {
        if (!m || rank[x] > rank[m]) m = x;
      };
      visitPat(p, (q) => {
        if (q.kind === 'binding') {
          const decl = this.fn.locals[q.local];
          const bm = decl?.byRef === 'ref mut' ? 'mut' : decl?.byRef === 'ref' ? 'ref' : (this.tr.bindingModes.get(q.local) ?? 'move');
          bump(bm === 'move' && decl && isCopy(decl.ty, this.file.adts) !== false ? 'ref' : bm);
        } else if (
          q.kind !== 'wild' &&
          q.kind !== 'rest' &&
          q.kind !== 'or' &&
          q.kind !== 'tuple' &&
          q.kind !== 'slice' &&
          q.kind !== 'ref'
        )
          bump('ref');
      });
      return m;
    };
    const visitScrutinee = (x: Expr, m: Mode | undefined, depth: number): void => {
      const pl = placeOf(x);
      if (pl) {
        if (m) note(pl.local, pl.fields, m, pl.span);
        if (x.kind === 'index') visit(x.index, 'move', depth + 1);
        return;
      }
      visit(x, m ?? 'ref', depth + 1);
    };
    const visitBlock = (b: Block, depth: number): void => {
      for (const st of b.stmts) {
        if (st.kind === 'let') {
          if (st.init) visitScrutinee(st.init, patMode(st.pat), depth);
          if (st.elseBlock) visitBlock(st.elseBlock, depth + 1);
        } else if (st.kind === 'expr') visit(st.expr, 'move', depth + 1);
      }
      if (b.tail) visit(b.tail, 'move', depth + 1);
    };
    const visit = (x: Expr, mode: Mode, depth: number): void => {
      if (depth > 300) return;
      if (x.kind === 'path' && x.res.kind === 'local') {
        note(x.res.local, [], mode === 'move' && isCopy(x.ty, this.file.adts) !== false ? 'ref' : mode, x.span);
        return;
      }
      switch (x.kind) {
        case 'block':
          visitBlock(x.block, depth);
          return;
        case 'let':
          visitScrutinee(x.init, patMode(x.pat), depth);
          return;
        case 'match': {
          let m: Mode | undefined;
          for (const arm of x.arms) {
            const am = patMode(arm.pat);
            if (am && (!m || rank[am] > rank[m])) m = am;
          }
          // A match on a place that tests a discriminant reads it even when no arm binds.
          visitScrutinee(x.scrutinee, m ?? 'ref', depth);
          for (const arm of x.arms) {
            if (arm.guard) visit(arm.guard, 'move', depth + 1);
            visit(arm.body, 'move', depth + 1);
          }
          return;
        }
        case 'ref': {
          const pl = placeOf(x.operand);
          if (pl) {
            note(pl.local, pl.fields, x.mutable ? 'mut' : 'ref', pl.span);
            if (x.operand.kind === 'index') visit(x.operand.index, 'move', depth + 1);
          } else visit(x.operand, x.mutable ? 'mut' : 'ref', depth + 1);
          return;
        }
        case 'field':
        case 'index': {
          const pl = placeOf(x);
          if (pl) {
            let m: Mode = mode === 'move' && isCopy(x.ty, this.file.adts) !== false ? 'ref' : mode;
            // Through a reference nothing can be moved out: at most a unique borrow.
            if (m === 'move' && this.fn.locals[pl.local]?.ty.kind === 'ref') m = 'mut';
            if (m === 'move' && x.ty.kind === 'ref') m = x.ty.mutable ? 'mut' : 'ref';
            note(pl.local, pl.fields, m, pl.span);
            if (x.kind === 'index') visit(x.index, 'move', depth + 1);
            return;
          }
          break;
        }
        case 'assign':
        case 'compoundAssign': {
          const pl = placeOf(x.lhs);
          if (pl) {
            note(pl.local, pl.fields, 'mut', pl.span);
            if (x.lhs.kind === 'index') visit(x.lhs.index, 'move', depth + 1);
          } else visit(x.lhs, 'mut', depth + 1);
          visit(x.rhs, 'move', depth + 1);
          return;
        }
        case 'methodCall': {
          const res = this.tr.methods.get(x.id);
          const m = !res ? 'ref' : res.selfKind === 'value' ? 'move' : res.selfKind === 'mut' ? 'mut' : 'ref';
          visit(x.receiver, m, depth + 1);
          x.args.forEach((a) => visitArg(a, depth));
          return;
        }
        case 'format':
        case 'assert':
          forEachChild(x, (c) => visit(c, 'ref', depth + 1));
          return;
        case 'binary':
          if (['==', '!=', '<', '<=', '>', '>='].includes(x.op)) {
            visit(x.lhs, 'ref', depth + 1);
            visit(x.rhs, 'ref', depth + 1);
            return;
          }
          break;
        case 'unknown':
          forEachChild(x, (c) => visit(c, 'ref', depth + 1));
          return;
        case 'unary':
          if (x.op === 'deref') {
            // Moving out of a Box's contents captures the Box by value (rustc truncates a
            // by-value capture at the deref of a Box).
            const ot = x.operand.ty;
            if (mode === 'move' && ot.kind === 'adt' && ot.std && ot.name === 'Box' && isCopy(x.ty, this.file.adts) === false) {
              visit(x.operand, 'move', depth + 1);
              return;
            }
            // Writing through `*r` needs unique access to `r` when it is a `&mut`, mutable
            // access to a Box (`&mut *x.f` captures `x` mutably).
            const ownsOrUnique = (ot.kind === 'ref' && ot.mutable) || (ot.kind === 'adt' && ot.std && ot.name === 'Box');
            visit(x.operand, mode === 'mut' && ownsOrUnique ? 'mut' : 'ref', depth + 1);
            return;
          }
          break;
        case 'call':
          visit(x.callee, 'ref', depth + 1);
          x.args.forEach((a) => visitArg(a, depth));
          return;
        default:
          break;
      }
      forEachChild(x, (c) => visit(c, 'move', depth + 1));
    };
    /** A call argument: a `&mut` place is reborrowed there (a unique borrow), not moved. */
    const visitArg = (a: Expr, depth: number): void =>
      visit(a, a.ty.kind === 'ref' && a.ty.mutable && isPlaceExpr(a) ? 'mut' : 'move', depth + 1);
    visit(e.body, 'move', 0);
    return unifyCaptures(found, e.moveCapture);
  }

  private structLit(e: Extract<Expr, { kind: 'structLit' }>, dest: Place): void {
    const adt = this.file.adts.get(e.adt);
    const defs = adt ? (adt.kind === 'enum' ? (adt.variants.find((v) => v.name === e.variant)?.fields ?? []) : adt.fields) : [];
    const given = new Map(e.fields.map((f) => [f.name, f] as const));
    // Field initialisers are evaluated in source order, then placed in declaration order.
    const evaluated = new Map<string, Operand>();
    const fieldOps = this.operandsInOrder(e.fields, (f) => this.argOperand(f.expr));
    e.fields.forEach((f, i) => evaluated.set(f.name, fieldOps[i]));
    if (adt) {
      const named = e.fields.map((f) => defs.find((d) => d.name === f.name)?.ty);
      this.ascribeOperands(
        e.fields.map((f) => evaluated.get(f.name)!),
        named,
        userSubstForAdt(adt, e.userArgs),
        e.span,
      );
    }
    const names = defs.length ? defs.map((d) => d.name) : e.fields.map((f) => f.name);
    let basePlace: Place | undefined;
    if (e.base) basePlace = this.exprAsPlaceOrTemp(e.base);
    const ops = names.map((n, i) => {
      const op = evaluated.get(n);
      if (op) return op;
      if (basePlace && !given.has(n)) {
        const fty = defs[i]?.ty ?? unknown();
        return this.copyOrMove(
          place(basePlace.local, [...basePlace.projection, { kind: 'field', index: i, name: n, ty: fty }]),
          e.base!.span,
        );
      }
      return constUnknown(n);
    });
    this.assign(
      dest,
      { kind: 'aggregate', agg: { kind: 'adt', adt: e.adt, variant: e.variant, fieldNames: names }, operands: ops },
      e.span,
    );
  }

  private tryExpr(e: Extract<Expr, { kind: 'try' }>, dest: Place): void {
    const src = this.exprAsPlaceOrTemp(e.expr);
    const t = peelRefs(e.expr.ty).ty;
    const isOption = t.kind === 'adt' && t.name === 'Option';
    const disc = this.temp(I32, e.span);
    this.assign(place(disc), { kind: 'discriminant', place: src }, e.span);
    const okBlock = this.newBlock();
    const errBlock = this.newBlock();
    // Option: None = 0, Some = 1; Result: Ok = 0, Err = 1.
    this.terminate({
      kind: 'switchInt',
      discr: { kind: 'copy', place: place(disc) },
      values: [isOption ? 1n : 0n],
      targets: [okBlock],
      otherwise: errBlock,
      span: e.span,
    });
    this.current = errBlock;
    this.assign(place(0), { kind: 'opaque', text: '? early return', operands: [] }, e.span);
    this.exitScopesTo(0, e.span);
    this.terminate({ kind: 'goto', target: this.returnBlock, span: e.span });
    this.current = okBlock;
    const variant = isOption ? 'Some' : 'Ok';
    const inner = place(src.local, [
      ...src.projection,
      { kind: 'downcast', variant, index: isOption ? 1 : 0 },
      { kind: 'field', index: 0, name: '0', ty: e.ty },
    ]);
    this.assign(dest, { kind: 'use', operand: this.copyOrMove(inner, e.span) }, e.span);
  }

  private formatMacro(e: Extract<Expr, { kind: 'format' }>, dest: Place): void {
    const span = e.span;
    // format_args! takes every argument by shared reference.
    const ops = e.args.map((a) => this.borrowOperand(a, 'shared', a.span));
    const diverges = ['panic', 'unreachable', 'todo', 'unimplemented'].includes(e.macro);
    this.call({ kind: 'std', path: `${e.macro}!`, id: stdId(`${e.macro}!`) }, ops, dest, span, span, e.macro, e.pieces, diverges);
  }

  // --- patterns

  /** A pattern test: `rv` into a bool temporary; false goes to `fail`, true continues in a new block. */
  private testBool(rv: Rvalue, fail: BlockId, span: Span): void {
    const r = this.temp(BOOL, span);
    this.assign(place(r), rv, span);
    const cont = this.newBlock();
    this.terminate({ kind: 'switchInt', discr: { kind: 'copy', place: place(r) }, values: [0n], targets: [fail], otherwise: cont, span });
    this.current = cont;
  }

  /**
   * Emits the tests of a refutable pattern against `src`: on failure control goes to `fail`,
   * on success it falls through. Irrefutable parts emit nothing.
   */
  private testPattern(p: Pat, src: Place, ty: Ty, fail: BlockId): void {
    if (this.current === null) return;
    const { place: base, ty: t } = needsDerefForPat(p) ? this.autoDerefPlace(src, ty) : { place: src, ty };
    switch (p.kind) {
      case 'binding':
        if (p.sub) this.testPattern(p.sub, src, ty, fail);
        return;
      case 'lit': {
        this.fakeBorrowPlaces?.tested.push(base);
        const lit = this.exprAsOperand(p.expr);
        const eq = this.temp(BOOL, p.span);
        // A bool or integer constant is a `SwitchInt` on the place at `match x` in rustc; other
        // constants (`&str`) call `PartialEq::eq` at the pattern.
        const scalar = t.kind === 'bool' || t.kind === 'int' || t.kind === 'char';
        const readSpan = scalar && this.matchTest ? this.matchTest.start : p.span;
        this.assign(place(eq), { kind: 'binary', op: '==', lhs: { kind: 'copy', place: base, span: readSpan }, rhs: lit }, p.span);
        const cont = this.newBlock();
        this.terminate({
          kind: 'switchInt',
          discr: { kind: 'copy', place: place(eq) },
          values: [0n],
          targets: [fail],
          otherwise: cont,
          span: p.span,
        });
        this.current = cont;
        return;
      }
      case 'range': {
        this.fakeBorrowPlaces?.tested.push(base);
        // rustc tests `lo <= x` and `x <= hi` (`x < hi` for `lo..hi`): two comparisons, each a switch.
        const bounds: [Expr | null, '>=' | '<=' | '<'][] = [
          [p.lo, '>='],
          [p.hi, p.inclusive ? '<=' : '<'],
        ];
        for (const [bound, op] of bounds) {
          if (!bound || this.current === null) continue;
          const rhs = this.exprAsOperand(bound);
          this.testBool({ kind: 'binary', op, lhs: { kind: 'copy', place: base, span: p.span }, rhs }, fail, p.span);
        }
        return;
      }
      case 'path':
      case 'tupleStruct':
      case 'struct': {
        const v = this.variantOf(p.kind === 'path' ? p.path : p.path, t);
        if (v || (p.kind === 'path' && !this.file.adts.has(p.path))) this.fakeBorrowPlaces?.tested.push(base);
        if (v) {
          const disc = this.temp(I32, p.span);
          this.assign(place(disc), { kind: 'discriminant', place: base }, this.matchTest?.scrutinee ?? p.span);
          const cont = this.newBlock();
          this.terminate({
            kind: 'switchInt',
            discr: { kind: 'copy', place: place(disc) },
            values: [BigInt(v.index)],
            targets: [cont],
            otherwise: fail,
            span: p.span,
          });
          this.current = cont;
        } else if (p.kind === 'path' && !this.file.adts.has(p.path)) {
          // a constant or unknown path: an equality test of unknown outcome
          const r = this.temp(BOOL, p.span);
          this.assign(
            place(r),
            { kind: 'opaque', text: `matches ${p.path}`, operands: [{ kind: 'copy', place: base, span: p.span }] },
            p.span,
          );
          const cont = this.newBlock();
          this.terminate({
            kind: 'switchInt',
            discr: { kind: 'copy', place: place(r) },
            values: [0n],
            targets: [fail],
            otherwise: cont,
            span: p.span,
          });
          this.current = cont;
        }
        const fields = this.patFields(p, t);
        const vproj: ProjectionElem[] = v ? [{ kind: 'downcast', variant: v.name, index: v.index }] : [];
        if (p.kind === 'tupleStruct')
          p.pats.forEach((sp, i) =>
            this.testPattern(
              sp,
              place(base.local, [
                ...base.projection,
                ...vproj,
                { kind: 'field', index: i, name: String(i), ty: fields[i]?.ty ?? unknown() },
              ]),
              fields[i]?.ty ?? unknown(),
              fail,
            ),
          );
        if (p.kind === 'struct')
          for (const f of p.fields) {
            const idx = fields.findIndex((x) => x.name === f.name);
            const fty = fields[idx]?.ty ?? unknown();
            this.testPattern(
              f.pat,
              place(base.local, [...base.projection, ...vproj, { kind: 'field', index: idx, name: f.name, ty: fty }]),
              fty,
              fail,
            );
          }
        return;
      }
      case 'tuple': {
        const elems = t.kind === 'tuple' ? t.elems : [];
        p.pats.forEach((sp, i) =>
          this.testPattern(
            sp,
            place(base.local, [...base.projection, { kind: 'field', index: i, name: String(i), ty: elems[i] ?? unknown() }]),
            elems[i] ?? unknown(),
            fail,
          ),
        );
        return;
      }
      case 'ref':
        this.testPattern(p.pat, place(src.local, [...src.projection, { kind: 'deref' }]), ty.kind === 'ref' ? ty.inner : unknown(), fail);
        return;
      case 'or': {
        // Any alternative matching is success: test each in turn.
        const success = this.newBlock();
        for (const alt of p.pats) {
          const nextAlt = this.newBlock();
          this.testPattern(alt, src, ty, nextAlt);
          this.terminate({ kind: 'goto', target: success, span: alt.span });
          this.current = nextAlt;
        }
        this.terminate({ kind: 'goto', target: fail, span: p.span });
        this.current = success;
        return;
      }
      case 'slice': {
        this.fakeBorrowPlaces?.tested.push(base);
        const { restAt, minLength, exactLen, proj } = slicePatShape(p.pats, t);
        const test = (rv: Rvalue): void => this.testBool(rv, fail, p.span);
        if (t.kind !== 'array' && t.kind !== 'slice') {
          // Matched against a value of unknown type: whether it matches is unknown.
          test({ kind: 'opaque', text: 'slice pattern test', operands: [{ kind: 'copy', place: base, span: p.span }] });
          return;
        }
        // A slice's length is tested first (rustc: `Len` then `==` / `>=`); an array's is known.
        if (exactLen === null) {
          const n = this.temp(USIZE, p.span);
          this.assign(place(n), { kind: 'len', place: base }, p.span);
          const min: Operand = {
            kind: 'constant',
            value: { kind: 'lit', lit: { kind: 'int', value: BigInt(minLength), suffix: 'usize' } },
            ty: USIZE,
          };
          test({ kind: 'binary', op: restAt >= 0 ? '>=' : '==', lhs: { kind: 'copy', place: place(n) }, rhs: min });
        }
        p.pats.forEach((sp, i) => {
          if (sp.kind === 'rest' || (restAt >= 0 && i === restAt) || this.current === null) return;
          this.testPattern(sp, place(base.local, [...base.projection, proj(i)]), t.elem, fail);
        });
        return;
      }
      default:
        return;
    }
  }

  /** Whether matching `p` against a `t` tests the value (a variant, a literal, a range), rather than only binding parts of it. */
  private patTests(p: Pat, t: Ty, depth = 0): boolean {
    if (depth > 32) return true;
    const inner = t.kind === 'ref' ? t.inner : t;
    switch (p.kind) {
      case 'wild':
      case 'rest':
        return false;
      case 'binding':
        return !!p.sub && this.patTests(p.sub, t, depth + 1);
      case 'ref':
        return this.patTests(p.pat, inner, depth + 1);
      case 'tuple':
        return p.pats.some((q, i) => this.patTests(q, inner.kind === 'tuple' ? (inner.elems[i] ?? unknown()) : unknown(), depth + 1));
      case 'slice':
        return inner.kind !== 'array' || p.pats.some((q) => this.patTests(q, inner.elem, depth + 1));
      case 'struct':
      case 'tupleStruct': {
        const adt = inner.kind === 'adt' && !inner.std ? this.file.adts.get(inner.name) : undefined;
        if (!adt || adt.kind === 'enum') return true;
        return p.kind === 'struct'
          ? p.fields.some((f) => this.patTests(f.pat, unknown(), depth + 1))
          : p.pats.some((q) => this.patTests(q, unknown(), depth + 1));
      }
      default:
        return true;
    }
  }

  /** The variant (name, index in declaration order) a path names, for enum types. */
  private variantOf(path: string, t: Ty): { name: string; index: number } | undefined {
    const last = path.split('::').pop() ?? path;
    if (t.kind === 'adt') {
      const adt = t.std ? stdAdtDef(t.name) : this.file.adts.get(t.name);
      if (adt?.kind !== 'enum') return undefined;
      const i = adt.variants.findIndex((v) => v.name === last);
      return i >= 0 ? { name: last, index: i } : undefined;
    }
    // A scrutinee of unknown type (a type alias): the prelude's variants (`Some`, `None`, `Ok`, `Err`).
    for (const adt of ['Option', 'Result']) {
      const i = stdAdtDef(adt)?.variants.findIndex((v) => v.name === last) ?? -1;
      if (i >= 0) return { name: last, index: i };
    }
    return undefined;
  }

  private patFields(p: Pat, t: Ty): { name: string; ty: Ty }[] {
    const path = p.kind === 'tupleStruct' || p.kind === 'struct' ? p.path : '';
    const last = path.split('::').pop() ?? path;
    if (t.kind === 'adt') {
      const adt = t.std ? stdAdtDef(t.name) : this.file.adts.get(t.name);
      if (!adt) return [];
      const subst = adtSubst(adt, t.args);
      const fields = adt.kind === 'enum' ? (adt.variants.find((v) => v.name === last)?.fields ?? []) : adt.fields;
      return fields.map((f) => ({ name: f.name, ty: substitute(f.ty, subst) }));
    }
    return [];
  }

  /**
   * Binds the pattern's variables from `src` (after its tests passed). By-value bindings move
   * or copy the matched part; `ref`/match-ergonomics bindings borrow it.
   */
  private bindPattern(p: Pat, src: Place, ty: Ty, mode: 'move' | 'ref' | 'mut', span: Span, isLet = false): void {
    if (this.current === null) return;
    let base = src;
    let t = ty;
    if (needsDerefForPat(p) && t.kind === 'ref') {
      const m = mode === 'ref' || !t.mutable ? 'ref' : 'mut';
      const d = this.autoDerefPlace(src, t);
      base = d.place;
      t = d.ty;
      mode = m;
    }
    switch (p.kind) {
      case 'binding': {
        const l = this.localMap.get(p.local) ?? this.mapLocal(p.local, 'user');
        const bm = this.tr.bindingModes.get(p.local) ?? mode;
        if (base.projection.some((e) => e.kind === 'deref')) this.fakeBorrowPlaces?.bound.push(base);
        if (bm === 'move') {
          const name = this.fn.locals[p.local]?.name;
          const note: MoveNote | undefined = this.scrutinee
            ? {
                kind: 'pattern',
                scrutinee: this.scrutinee,
                ...(name ? { binding: name } : {}),
                ...(this.guardedArm ? { guardedArm: true as const } : {}),
              }
            : undefined;
          this.assign(place(l), { kind: 'use', operand: this.copyOrMove(base, p.span, note, base.projection.length > 0, true) }, p.span);
        } else this.assign(place(l), { kind: 'ref', borrow: bm === 'mut' ? 'mut' : 'shared', place: base }, p.span);
        if (p.sub) this.bindPattern(p.sub, src, ty, mode, span);
        return;
      }
      case 'tuple': {
        const elems = t.kind === 'tuple' ? t.elems : [];
        const restIdx = p.pats.findIndex((x) => x.kind === 'rest');
        p.pats.forEach((sp, i) => {
          if (sp.kind === 'rest') return;
          const idx = restIdx >= 0 && i > restIdx ? elems.length - (p.pats.length - i) : i;
          this.bindPattern(
            sp,
            place(base.local, [...base.projection, { kind: 'field', index: idx, name: String(idx), ty: elems[idx] ?? unknown() }]),
            elems[idx] ?? unknown(),
            mode,
            span,
          );
        });
        return;
      }
      case 'tupleStruct':
      case 'struct': {
        const v = this.variantOf(p.path, t);
        const vproj: ProjectionElem[] = v ? [{ kind: 'downcast', variant: v.name, index: v.index }] : [];
        const fields = this.patFields(p, t);
        if (p.kind === 'tupleStruct') this.ascribePattern(p, base, t);
        if (p.kind === 'tupleStruct') {
          p.pats.forEach((sp, i) => {
            if (sp.kind === 'rest') return;
            const fty = fields[i]?.ty ?? unknown();
            this.bindPattern(
              sp,
              place(base.local, [...base.projection, ...vproj, { kind: 'field', index: i, name: String(i), ty: fty }]),
              fty,
              mode,
              span,
            );
          });
        } else {
          for (const f of p.fields) {
            const idx = fields.findIndex((x) => x.name === f.name);
            const fty = fields[idx]?.ty ?? unknown();
            this.bindPattern(
              f.pat,
              place(base.local, [...base.projection, ...vproj, { kind: 'field', index: idx, name: f.name, ty: fty }]),
              fty,
              mode,
              span,
            );
          }
        }
        return;
      }
      case 'ref':
        this.bindPattern(
          p.pat,
          place(src.local, [...src.projection, { kind: 'deref' }]),
          ty.kind === 'ref' ? ty.inner : unknown(),
          'move',
          span,
        );
        return;
      case 'or': {
        // Each alternative binds from what it matched (the bindings are the same in all). rustc
        // tests the alternatives in turn and binds in the one that matched, and its false edges
        // make the borrow checker see every alternative's moves and borrows, even one an earlier
        // irrefutable alternative hides (`(y, _) | (_, y)` moves both fields; rustc
        // `mir_build` `test_or_pattern` / `FalseEdge`). The simulation takes the real edge.
        const alts = p.pats;
        if (alts.length <= 1 || !alts.some(patHasBinding)) {
          if (alts[0]) this.bindPattern(alts[0], src, ty, mode, span);
          return;
        }
        const join = this.newBlock();
        alts.forEach((alt, i) => {
          if (this.current === null) return;
          if (i === alts.length - 1) {
            this.bindPattern(alt, src, ty, mode, span);
            this.terminate({ kind: 'goto', target: join, span: alt.span });
            return;
          }
          const nextAlt = this.newBlock();
          this.testPattern(alt, src, ty, nextAlt);
          if (this.current !== null) {
            const bind = this.newBlock();
            this.terminate({ kind: 'falseEdge', realTarget: bind, imaginaryTarget: nextAlt, alternative: true, span: alt.span });
            this.current = bind;
            this.bindPattern(alt, src, ty, mode, span);
            this.terminate({ kind: 'goto', target: join, span: alt.span });
          }
          this.current = nextAlt;
        });
        this.current = join;
        return;
      }
      case 'slice': {
        const elem = t.kind === 'array' || t.kind === 'slice' ? t.elem : unknown();
        const { exactLen, proj } = slicePatShape(p.pats, t);
        p.pats.forEach((sp, i) => {
          if (sp.kind === 'rest') return;
          const elemProj = proj(i);
          if (elemProj.kind === 'subslice' && sp.kind === 'binding') {
            // `rest @ ..` binds the middle of the slice (by reference under match ergonomics).
            const l = this.localMap.get(sp.local) ?? this.mapLocal(sp.local, 'user');
            const bm = this.tr.bindingModes.get(sp.local) ?? (mode === 'move' ? 'ref' : mode);
            const restPlace = place(base.local, [...base.projection, elemProj]);
            // By value (`[a, rest @ ..]` on an array): the subarray is moved or copied.
            if (bm === 'move' && exactLen !== null) {
              const note: MoveNote | undefined = this.scrutinee
                ? { kind: 'pattern', scrutinee: this.scrutinee, ...(this.guardedArm ? { guardedArm: true as const } : {}) }
                : undefined;
              this.assign(place(l), { kind: 'use', operand: this.copyOrMove(restPlace, sp.span, note, true) }, sp.span);
              return;
            }
            this.assign(place(l), { kind: 'ref', borrow: bm === 'mut' ? 'mut' : 'shared', place: restPlace }, sp.span);
            return;
          }
          this.bindPattern(sp, place(base.local, [...base.projection, elemProj]), elem, mode === 'move' ? 'ref' : mode, span);
        });
        return;
      }
      case 'wild':
        // `let _ = x;` neither moves nor reads x (rustc `PlaceMention`, `thir/cx/block.rs`).
        if (isLet) this.push({ kind: 'placeMention', place: src, span });
        return;
      default:
        return;
    }
  }
}

// --- helpers

function place(local: number, projection: ProjectionElem[] = []): Place {
  return { local, projection };
}

function emptyBlock(): BasicBlock {
  return { statements: [], terminator: { kind: 'unreachable', span: ZERO_SPAN } };
}

function endSpan(s: Span): Span {
  const e = s.end.character > 0 ? { line: s.end.line, character: s.end.character - 1 } : s.end;
  return { start: e, end: s.end };
}

function closureHeadSpan(e: Extract<Expr, { kind: 'closure' }>): Span {
  if (e.head) return e.head;
  return { start: e.span.start, end: e.body.span.start.line === e.span.start.line ? e.body.span.start : e.span.end };
}

/** The span of a loop's keyword, after an optional `'label: `. */
function keywordSpan(s: Span, kw: string, label?: string): Span {
  const skip = label ? label.length + 3 : 0;
  const start = { line: s.start.line, character: s.start.character + skip };
  return { start, end: { line: start.line, character: start.character + kw.length } };
}

function constBool(v: boolean): Operand {
  return { kind: 'constant', value: { kind: 'lit', lit: { kind: 'bool', value: v } }, ty: BOOL };
}

function constUnknown(text: string): Operand {
  return { kind: 'constant', value: { kind: 'unknown', text }, ty: unknown() };
}

/** Place expressions (Rust reference, "Place expressions and value expressions"). */
export function isPlaceExpr(e: Expr): boolean {
  if (e.kind === 'path') return e.res.kind === 'local';
  if (e.kind === 'field') return true;
  if (e.kind === 'index') return true;
  if (e.kind === 'unary') return e.op === 'deref';
  return false;
}

/**
 * Where each sub-pattern of a slice pattern `[a, b, rest @ .., z]` matched against `t` reads:
 * a `constantIndex` from the start (or from the end after the rest), the rest a `subslice`; an
 * array's length is known, so everything counts from the start, as rustc does (`exact_size`).
 * `restAt` is the index of `..` (-1 when none), `minLength` the elements the pattern needs.
 */
function slicePatShape(
  pats: Pat[],
  t: Ty,
): { restAt: number; minLength: number; exactLen: number | null; proj: (i: number) => ProjectionElem } {
  const isRest = (x: Pat): boolean => x.kind === 'rest' || (x.kind === 'binding' && x.sub?.kind === 'rest');
  const restAt = pats.findIndex(isRest);
  const minLength = pats.length - (restAt >= 0 ? 1 : 0);
  const exactLen = t.kind === 'array' ? t.len : null;
  const proj = (i: number): ProjectionElem =>
    restAt >= 0 && i === restAt
      ? exactLen !== null
        ? { kind: 'subslice', from: restAt, to: exactLen - (pats.length - restAt - 1), fromEnd: false }
        : { kind: 'subslice', from: restAt, to: pats.length - restAt - 1, fromEnd: true }
      : restAt >= 0 && i > restAt
        ? exactLen !== null
          ? { kind: 'constantIndex', offset: exactLen - (pats.length - i), minLength: exactLen }
          : { kind: 'constantIndex', offset: pats.length - i, fromEnd: true, minLength }
        : { kind: 'constantIndex', offset: i, minLength: exactLen ?? minLength };
  return { restAt, minLength, exactLen, proj };
}

/** Whether a pattern binds a variable. */
function patHasBinding(p: Pat): boolean {
  let found = false;
  visitPat(p, (q) => {
    if (q.kind === 'binding') found = true;
  });
  return found;
}

function needsDerefForPat(p: Pat): boolean {
  return (
    p.kind === 'tuple' ||
    p.kind === 'tupleStruct' ||
    p.kind === 'struct' ||
    p.kind === 'slice' ||
    p.kind === 'path' ||
    p.kind === 'lit' ||
    p.kind === 'range'
  );
}

function containsLet(e: Expr): boolean {
  if (e.kind === 'let') return true;
  if (e.kind === 'binary' && e.op === '&&') return containsLet(e.lhs) || containsLet(e.rhs);
  return false;
}

function visitPat(p: Pat, f: (p: Pat) => void): void {
  f(p);
  switch (p.kind) {
    case 'binding':
      if (p.sub) visitPat(p.sub, f);
      return;
    case 'tuple':
    case 'slice':
    case 'tupleStruct':
      p.pats.forEach((x) => visitPat(x, f));
      return;
    case 'or':
      if (p.pats[0]) visitPat(p.pats[0], f);
      return;
    case 'struct':
      p.fields.forEach((x) => visitPat(x.pat, f));
      return;
    case 'ref':
      visitPat(p.pat, f);
      return;
    default:
      return;
  }
}

function patTy(p: Pat, fn: FnDef): Ty | undefined {
  if (p.kind === 'binding') return fn.locals[p.local].ty;
  // `&item` matches a reference to the by-value binding's type (`for &item in list`, `list: &[T]`).
  if (p.kind === 'ref' && p.pat.kind === 'binding' && !p.pat.sub && fn.locals[p.pat.local].byRef === null) {
    const inner = fn.locals[p.pat.local].ty;
    if (inner.kind !== 'unknown' && inner.kind !== 'infer') return { kind: 'ref', mutable: p.mutable, inner };
  }
  return undefined;
}

/**
 * Merges the captures of one closure (rustc `compute_min_captures`): one per place, with the
 * strongest mode its uses need (`move` closures capture everything by value); a place below an
 * already captured one is folded into it. Sorted by local, then by path.
 */
function unifyCaptures(found: CaptureInfo[], moveClosure: boolean): CaptureInfo[] {
  const rank = { ref: 0, mut: 1, move: 2 } as const;
  const key = (c: CaptureInfo): string => [c.hirLocal, ...c.fields.map((f) => f.index)].join('.');
  const isPrefix = (a: CaptureInfo, b: CaptureInfo): boolean =>
    a.hirLocal === b.hirLocal && a.fields.length <= b.fields.length && a.fields.every((f, i) => f.index === b.fields[i].index);
  const out: CaptureInfo[] = [];
  // Shorter places first, so that longer ones fold into them.
  const sorted = [...found].sort((a, b) => a.fields.length - b.fields.length);
  for (const c of sorted) {
    const into = out.find((o) => isPrefix(o, c));
    if (into) {
      if (rank[c.mode] > rank[into.mode]) {
        into.mode = c.mode;
        into.useSpan = c.useSpan;
      }
      into.consumed = !!into.consumed || !!c.consumed;
      continue;
    }
    // A new, shorter place absorbs the longer ones already there.
    for (let i = out.length - 1; i >= 0; i--) {
      if (isPrefix(c, out[i])) {
        const o = out[i];
        if (rank[o.mode] > rank[c.mode]) {
          c.mode = o.mode;
          c.useSpan = o.useSpan;
        }
        c.consumed = !!c.consumed || !!o.consumed;
        out.splice(i, 1);
      }
    }
    out.push({ ...c });
  }
  if (moveClosure) for (const c of out) c.mode = 'move';
  void key;
  return out.sort((a, b) => a.hirLocal - b.hirLocal || a.fields.length - b.fields.length || key(a).localeCompare(key(b)));
}

/** `t` with its elided reference lifetimes made `'static` (the type of a `static` item). */
/** Whether a written type holds an elided reference (`&str`, `Option<&'_ T>`). */
function elidedRef(t: Ty, depth = 0): boolean {
  if (depth > 24) return false;
  switch (t.kind) {
    case 'ref':
      return t.region === undefined || t.region === "'_" || elidedRef(t.inner, depth + 1);
    case 'adt':
      return t.args.some((a) => elidedRef(a, depth + 1));
    case 'tuple':
      return t.elems.some((e) => elidedRef(e, depth + 1));
    case 'array':
    case 'slice':
      return elidedRef(t.elem, depth + 1);
    default:
      return false;
  }
}

function staticRegions(t: Ty, depth = 0): Ty {
  if (depth > 24) return t;
  switch (t.kind) {
    case 'ref':
      return { ...t, region: t.region ?? "'static", inner: staticRegions(t.inner, depth + 1) };
    case 'tuple':
      return { ...t, elems: t.elems.map((x) => staticRegions(x, depth + 1)) };
    case 'array':
    case 'slice':
      return { ...t, elem: staticRegions(t.elem, depth + 1) };
    case 'adt':
      return { ...t, args: t.args.map((x) => staticRegions(x, depth + 1)) };
    default:
      return t;
  }
}
