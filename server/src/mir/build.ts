/**
 * MIR building: typed HIR → one `Body` (CFG of places) per function and per closure, in the
 * shape of rustc_mir_build: expressions are evaluated into places, operands are `copy` or `move`
 * by the type's Copy-ness, scopes end with `drop` terminators and `StorageDead` in reverse
 * declaration order, and temporaries are dropped at the end of their statement.
 *
 * When a type is unknown, a use is lowered as `copy` (no move), so borrowck stays silent about
 * it: precision before recall. Everything is bounded by the HIR's own size.
 */
import type { Block, Expr, FileHir, FnDef, LocalId as HirLocalId, Pat, Span, Stmt, FormatPiece } from '../hir/hir';
import { BOOL, I32, type Ty, UNIT, unknown, ref as refTy } from '../hir/ty';
import { adtSubst, forEachChild, peelRefs, type FileTypeck, type TypeckResults } from '../hir/infer';
import { derefTy, isCopy, needsDrop, substitute } from '../hir/std';
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

/** All bodies of a file, keyed by path: fns by `FnDef.qualName`, closures by their `name` (`main::{closure#0}`). */
export interface MirProgram {
  bodies: Map<string, Body>;
  /** Closure expression id (Ty `closure.id`) → body name and its captures in order. */
  closures: Map<number, { name: string; captures: CaptureInfo[] }>;
  /** For each fn body: HIR local → MIR local. */
  localMaps: Map<string, Map<HirLocalId, number>>;
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
}

/** Builds MIR for every function with a body. A failure costs only that function. */
export function buildProgram(file: FileHir, typeck: FileTypeck, failures: { function: string; message: string }[]): MirProgram {
  const prog: MirProgram = { bodies: new Map(), closures: new Map(), localMaps: new Map() };
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
  private unsupported: { span: Span; what: string }[] = [];
  private loopSpans: { head: Span; body: Span }[] = [];
  /** Temporaries needing a drop at the end of the current statement. */
  private stmtTemps: number[][] = [];
  /** For closure bodies: captured HIR local → (MIR local, by-ref?) */
  private upvars = new Map<HirLocalId, { local: number; byRef: boolean }>();
  private budget = 500_000;

  constructor(
    private file: FileHir,
    private fn: FnDef,
    private tr: TypeckResults,
    private prog: MirProgram,
  ) {}

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
    for (const { pat, local } of argPats) this.bindPattern(pat, place(local), this.locals[local].ty, 'move', pat.span);
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
    };
  }

  private buildClosure(e: Extract<Expr, { kind: 'closure' }>, captures: CaptureInfo[], name: string): Body {
    const sig = this.tr.closures.get(e.ty.kind === 'closure' ? e.ty.id : e.id);
    this.newLocal({ ty: sig?.ret ?? unknown(), mutable: true, span: e.span, kind: 'return' });
    this.blocks.push(emptyBlock());
    this.current = 0;
    this.returnBlock = this.newBlock();
    this.scopes.push({ locals: [], span: e.body.span });
    for (const c of captures) {
      const decl = this.fn.locals[c.hirLocal];
      const ty = c.mode === 'move' ? decl.ty : refTy(decl.ty, c.mode === 'mut');
      const l = this.newLocal({ name: c.name, ty, mutable: decl.mutable, span: decl.span, kind: 'arg', hirLocal: c.hirLocal });
      this.upvars.set(c.hirLocal, { local: l, byRef: c.mode !== 'move' });
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
      span: e.span,
      locals: this.locals,
      argCount: captures.length + e.params.length,
      blocks: this.blocks,
      unsupported: this.unsupported,
      loops: this.loopSpans,
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

  private copyOrMove(p: Place, span: Span, note?: MoveNote): Operand {
    const c = isCopy(this.tyOfPlace(p), this.file.adts);
    // Unknown Copy-ness: treat as a read, never as a move (no diagnostic can come from it).
    if (c === false && !p.projection.some((e) => e.kind === 'deref' || e.kind === 'index'))
      return { kind: 'move', place: p, span, ...(note ? { note } : {}) };
    return { kind: 'copy', place: p, span };
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
      const next = this.newBlock();
      this.terminate({ kind: 'drop', place: place(temps[j]), target: next, span });
      this.current = next;
    }
  }

  private droppedTemp(ty: Ty, span: Span): number {
    const t = this.temp(ty, span);
    if (needsDrop(ty, this.file.adts) !== false && this.stmtTemps.length) this.stmtTemps[this.stmtTemps.length - 1].push(t);
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
        const t = this.droppedTemp(e.ty, e.span);
        this.exprIntoPlace(e, place(t));
      }
    }
    this.dropStmtTemps(endSpan(s.span));
  }

  private letStmt(s: Extract<Stmt, { kind: 'let' }>): void {
    const pat = s.pat;
    if (pat.kind === 'binding' && !pat.sub && this.fn.locals[pat.local].byRef === null) {
      // The initializer is evaluated first (it cannot see the new binding), then the slot is
      // made live and written.
      if (!s.init) {
        const l = this.mapLocal(pat.local, 'user');
        this.push({ kind: 'storageLive', local: l, span: pat.span });
        return;
      }
      const hirLocal = pat.local;
      const decl = this.fn.locals[hirLocal];
      if (isPlaceExpr(s.init) || s.init.kind === 'lit') {
        const op = s.tyAnnot?.kind === 'ref' && s.tyAnnot.mutable ? this.argOperand(s.init) : this.exprAsOperand(s.init);
        const l = this.mapLocal(hirLocal, 'user');
        this.push({ kind: 'storageLive', local: l, span: pat.span });
        this.assign(place(l), { kind: 'use', operand: op }, s.span);
      } else {
        const t = this.temp(decl.ty, s.init.span);
        this.exprIntoPlace(s.init, place(t));
        const l = this.mapLocal(hirLocal, 'user');
        this.push({ kind: 'storageLive', local: l, span: pat.span });
        this.assign(place(l), { kind: 'use', operand: { kind: 'move', place: place(t), span: s.init.span } }, s.span);
      }
      return;
    }
    if (!s.init) {
      this.declareBindings(pat);
      return;
    }
    const ty = s.tyAnnot ?? s.init.ty;
    const src = this.exprAsPlaceOrTemp(s.init);
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
      this.bindPattern(pat, src, ty, 'move', s.span, true);
      return;
    }
    this.declareBindings(pat);
    this.bindPattern(pat, src, ty, 'move', s.span, true);
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

  private exprAsPlaceOrTemp(e: Expr): Place {
    if (isPlaceExpr(e)) return this.exprAsPlace(e);
    const t = this.droppedTemp(e.ty, e.span);
    this.exprIntoPlace(e, place(t));
    return place(t);
  }

  /** Lowers a place expression (`x`, `x.f`, `*r`, `v[i]`) to a Place; other expressions go through a temp. */
  private exprAsPlace(e: Expr): Place {
    switch (e.kind) {
      case 'path': {
        if (e.res.kind === 'local') {
          const up = this.upvars.get(e.res.local);
          if (up) return up.byRef ? place(up.local, [{ kind: 'deref' }]) : place(up.local);
          const l = this.localMap.get(e.res.local);
          if (l !== undefined) return place(l);
          // A binding declared in a scope we did not lower (should not happen): fresh temp.
          return place(this.temp(e.ty, e.span));
        }
        break;
      }
      case 'field': {
        const base = this.exprAsPlaceOrTemp(e.base);
        const { place: p, ty } = this.autoDerefPlace(base, this.tyOfPlace(base));
        const idx = this.fieldIndex(ty, e.name);
        return place(p.local, [...p.projection, { kind: 'field', index: idx, name: e.name, ty: e.ty }]);
      }
      case 'index': {
        const base = this.exprAsPlaceOrTemp(e.base);
        const idxOp = this.exprAsOperand(e.index);
        let idxLocal: number | null = null;
        if (idxOp.kind !== 'constant') {
          idxLocal = this.temp(e.index.ty, e.index.span);
          this.assign(place(idxLocal), { kind: 'use', operand: idxOp }, e.index.span);
        } else if (idxOp.value.kind === 'lit' && idxOp.value.lit.kind === 'int') {
          const { place: p } = this.autoDerefPlace(base, this.tyOfPlace(base));
          return place(p.local, [...p.projection, { kind: 'constantIndex', offset: Number(idxOp.value.lit.value) }]);
        }
        const { place: p } = this.autoDerefPlace(base, this.tyOfPlace(base));
        return place(p.local, [...p.projection, { kind: 'index', local: idxLocal }]);
      }
      case 'unary':
        if (e.op === 'deref') {
          const base = this.exprAsPlaceOrTemp(e.operand);
          return place(base.local, [...base.projection, { kind: 'deref' }]);
        }
        break;
      default:
        break;
    }
    const t = this.droppedTemp(e.ty, e.span);
    this.exprIntoPlace(e, place(t));
    return place(t);
  }

  /** Adds `deref` projections through references and Box until a non-pointer type is reached. */
  private autoDerefPlace(p: Place, ty: Ty): { place: Place; ty: Ty } {
    let proj = p.projection;
    for (let i = 0; i < 8; i++) {
      if (ty.kind === 'ref') {
        proj = [...proj, { kind: 'deref' }];
        ty = ty.inner;
      } else if (ty.kind === 'adt' && ty.std && ty.name === 'Box') {
        proj = [...proj, { kind: 'deref' }];
        ty = ty.args[0] ?? unknown();
      } else break;
    }
    return { place: place(p.local, proj), ty };
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
      if (e.res.kind === 'static') return { kind: 'constant', value: { kind: 'static', name: e.res.name }, ty: e.ty };
      if (e.res.kind === 'const') {
        const c = this.file.consts.get(e.res.name);
        if (c?.init?.kind === 'lit') return { kind: 'constant', value: { kind: 'lit', lit: c.init.lit }, ty: e.ty };
        return { kind: 'constant', value: { kind: 'unknown', text: e.res.name }, ty: e.ty };
      }
      if (e.res.kind === 'ctor' || (e.res.kind === 'std' && e.res.path === 'None')) {
        const t = this.temp(e.ty, e.span);
        const agg = e.res.kind === 'ctor' ? { adt: e.res.adt, variant: e.res.variant } : { adt: 'Option', variant: 'None' };
        this.assign(place(t), { kind: 'aggregate', agg: { kind: 'adt', ...agg, fieldNames: [] }, operands: [] }, e.span);
        return { kind: 'move', place: place(t), span: e.span };
      }
      // Any other path (`Ordering::Equal`, `i32::MAX`, a name from another crate) is a value the
      // engine does not model.
      if (e.res.kind !== 'local') return { kind: 'constant', value: { kind: 'unknown', text: e.text }, ty: e.ty };
    }
    if (isPlaceExpr(e)) return this.copyOrMove(this.exprAsPlace(e), e.span, note);
    const t = this.temp(e.ty, e.span);
    this.exprIntoPlace(e, place(t));
    return { kind: 'move', place: place(t), span: e.span };
  }

  /**
   * A call argument. A `&mut` place passed to a call is implicitly reborrowed (`&mut *r`) at
   * this coercion site instead of moved (rustc: "reborrow" adjustment), so it stays usable.
   */
  private argOperand(a: Expr): Operand {
    if (isPlaceExpr(a) && a.ty.kind === 'ref' && a.ty.mutable) return { kind: 'copy', place: this.exprAsPlace(a), span: a.span };
    return this.exprAsOperand(a);
  }

  /** A shared (or mutable) borrow of the expression's place, in a fresh temp; returns an operand of it. */
  private borrowOperand(e: Expr, kind: BorrowKind, span: Span = e.span): Operand {
    const p = this.exprAsPlaceOrTemp(e);
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
      case 'index':
        if (e.kind === 'path' && e.res.kind === 'ctor') {
          this.assign(
            dest,
            { kind: 'aggregate', agg: { kind: 'adt', adt: e.res.adt, variant: e.res.variant, fieldNames: [] }, operands: [] },
            span,
          );
          return;
        }
        if (e.kind === 'path' && e.res.kind === 'std' && e.res.path === 'None') {
          this.assign(
            dest,
            { kind: 'aggregate', agg: { kind: 'adt', adt: 'Option', variant: 'None', fieldNames: [] }, operands: [] },
            span,
          );
          return;
        }
        this.assign(dest, { kind: 'use', operand: this.exprAsOperand(e) }, span);
        return;
      case 'unary':
        if (e.op === 'deref') {
          this.assign(dest, { kind: 'use', operand: this.exprAsOperand(e) }, span);
          return;
        }
        this.assign(dest, { kind: 'unary', op: e.op, operand: this.exprAsOperand(e.operand) }, span);
        return;
      case 'ref': {
        const p = this.exprAsPlaceOrTemp(e.operand);
        this.assign(dest, { kind: 'ref', borrow: e.mutable ? 'mut' : 'shared', place: p }, span);
        return;
      }
      case 'binary':
        return this.binary(e, dest);
      case 'assign': {
        const rhs = this.exprAsOperand(e.rhs);
        const lhs = this.exprAsPlace(e.lhs);
        if (lhs.projection.length === 0 || needsDrop(this.tyOfPlace(lhs), this.file.adts) !== false) {
          if (needsDrop(this.tyOfPlace(lhs), this.file.adts) !== false) {
            const next = this.newBlock();
            this.terminate({ kind: 'drop', place: lhs, target: next, span });
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
          const lhs = this.exprAsPlace(e.lhs);
          this.assign(lhs, { kind: 'binary', op: e.op, lhs: { kind: 'copy', place: lhs, span: e.lhs.span }, rhs }, span);
        } else {
          const recv = this.borrowOperand(e.lhs, 'twoPhaseMut', e.lhs.span);
          const t = this.temp(UNIT, span);
          this.call({ kind: 'std', path: `${e.op}=` }, [recv, rhs], place(t), span, span);
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
        this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: e.elems.map((x) => this.exprAsOperand(x)) }, span);
        return;
      case 'array':
        this.assign(
          dest,
          {
            kind: 'aggregate',
            agg: { kind: 'array', elem: e.ty.kind === 'array' ? e.ty.elem : unknown() },
            operands: e.elems.map((x) => this.exprAsOperand(x)),
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
        this.assign(dest, { kind: 'cast', operand: this.exprAsOperand(e.expr), ty: e.target }, span);
        return;
      case 'try':
        return this.tryExpr(e, dest);
      case 'format':
        return this.formatMacro(e, dest);
      case 'vec': {
        if (e.repeat) {
          const elem = e.elems[0] ? this.exprAsOperand(e.elems[0]) : constUnknown('elem');
          const n = this.exprAsOperand(e.repeat);
          this.call({ kind: 'std', path: 'vec::from_elem' }, [elem, n], dest, span, span, 'vec');
        } else {
          const ops = e.elems.map((x) => this.exprAsOperand(x));
          this.call({ kind: 'std', path: 'vec!' }, ops, dest, span, span, 'vec');
        }
        return;
      }
      case 'assert': {
        const ops = e.args.map((a) => (e.args.length === 2 ? this.borrowOperand(a, 'shared') : this.exprAsOperand(a)));
        if (e.message && e.message.kind === 'format') for (const a of e.message.args) ops.push(this.borrowOperand(a, 'shared'));
        this.call({ kind: 'std', path: e.macro }, ops, dest, span, span, e.macro);
        return;
      }
      case 'dbg': {
        const ops = e.args.map((a) => this.exprAsOperand(a));
        this.call({ kind: 'std', path: 'dbg!' }, ops, dest, span, span, 'dbg');
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
          const l = this.upvars.get(w)?.local ?? this.localMap.get(w);
          if (l !== undefined && !this.upvars.get(w)?.byRef)
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

  private block(b: Block, dest: Place): void {
    this.inScope(b.span, () => {
      for (const s of b.stmts) {
        if (this.current === null) break;
        this.stmt(s);
      }
      if (this.current === null) return;
      if (b.tail) {
        this.stmtTemps.push([]);
        this.exprIntoPlace(b.tail, dest);
        // Temporaries of a tail expression live until the end of the block (Rust 2021).
        this.dropStmtTemps(endSpan(b.span));
      } else if (dest.local !== 0 || this.locals[0].ty.kind === 'tuple') {
        this.assign(dest, { kind: 'aggregate', agg: { kind: 'tuple' }, operands: [] }, endSpan(b.span));
      }
    });
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
      const src = this.exprAsPlaceOrTemp(c.init);
      this.declareBindings(c.pat);
      this.testPattern(c.pat, src, c.init.ty, fail);
      this.bindPattern(c.pat, src, c.init.ty, 'move', c.span);
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
    const src = this.exprAsPlaceOrTemp(e.scrutinee);
    this.push({ kind: 'fakeRead', place: src, span: e.scrutinee.span });
    const join = this.newBlock();
    for (const arm of e.arms) {
      if (this.current === null) break;
      const next = this.newBlock();
      this.inScope(arm.span, () => {
        this.declareBindings(arm.pat);
        this.testPattern(arm.pat, src, e.scrutinee.ty, next);
        this.bindPattern(arm.pat, src, e.scrutinee.ty, 'move', arm.pat.span);
        if (arm.guard) this.condition(arm.guard, next);
        this.exprIntoPlace(arm.body, dest);
      });
      this.terminate({ kind: 'goto', target: join, span: arm.span });
      this.current = next;
    }
    // No arm matched: unreachable for exhaustive matches.
    this.terminate({ kind: 'unreachable', span });
    this.current = join;
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
    this.call({ kind: 'std', path: 'IntoIterator::into_iter', selfTy: e.iter.ty }, [iterSrc], place(iterLocal), e.iter.span, e.iter.span);
    const header = this.gotoNew(span);
    const exit = this.newBlock();
    const itemTy = patTy(e.pat, this.fn) ?? unknown();
    const optTy: Ty = { kind: 'adt', name: 'Option', args: [itemTy], std: true };
    const next = this.temp(optTy, e.iter.span);
    const iterRef = this.temp(refTy(unknown('iterator'), true), e.iter.span);
    this.assign(place(iterRef), { kind: 'ref', borrow: 'mut', place: place(iterLocal) }, e.iter.span);
    this.call({ kind: 'std', path: 'Iterator::next' }, [{ kind: 'move', place: place(iterRef) }], place(next), e.iter.span, e.iter.span);
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
      this.bindPattern(e.pat, somePlace, itemTy, 'move', e.pat.span);
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
  ): void {
    const target = diverges ? null : this.newBlock();
    this.terminate({ kind: 'call', func, args, dest, target, fnSpan, span, ...(macro ? { macro } : {}), ...(format ? { format } : {}) });
    this.current = target;
  }

  private callExpr(e: Extract<Expr, { kind: 'call' }>, dest: Place): void {
    const span = e.span;
    const callee = e.callee;
    const diverges = e.ty.kind === 'never';
    if (callee.kind === 'path') {
      const res = callee.res;
      if (res.kind === 'ctor') {
        const adt = this.file.adts.get(res.adt);
        const fields = res.variant ? adt?.variants.find((v) => v.name === res.variant)?.fields : adt?.fields;
        this.assign(
          dest,
          {
            kind: 'aggregate',
            agg: { kind: 'adt', adt: res.adt, variant: res.variant, fieldNames: (fields ?? []).map((f) => f.name) },
            operands: e.args.map((a) => this.argOperand(a)),
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
            operands: e.args.map((a) => this.exprAsOperand(a)),
          },
          span,
        );
        return;
      }
      const args = e.args.map((a) => this.argOperand(a));
      let func: Callee;
      if (res.kind === 'fn') func = { kind: 'fn', name: res.name };
      else if (res.kind === 'std') func = { kind: 'std', path: res.path === 'mem::drop' ? 'drop' : res.path };
      else if (res.kind === 'local') {
        const p = this.exprAsPlace(callee);
        func = { kind: 'local', local: p.local };
        // Calling a closure that moves a captured value out of its environment consumes it (FnOnce).
        const ct = callee.ty;
        const info = ct.kind === 'closure' ? this.prog.closures.get(ct.id) : undefined;
        const consumed = info?.captures.find((c) => c.consumed && isCopy(this.fn.locals[c.hirLocal].ty, this.file.adts) === false);
        if (consumed && p.projection.length === 0) {
          const t = this.temp(ct, callee.span);
          this.assign(
            place(t),
            {
              kind: 'use',
              operand: {
                kind: 'move',
                place: p,
                span: callee.span,
                note: { kind: 'call', span: { start: callee.span.start, end: span.end }, captured: consumed.name },
              },
            },
            callee.span,
          );
        }
      } else func = { kind: 'unknown', text: callee.text };
      this.call(func, args, dest, span, callee.span, undefined, undefined, diverges);
      return;
    }
    // callee is an arbitrary expression (closure in a field, returned fn): evaluate it, then call
    this.exprAsOperand(callee);
    const args = e.args.map((a) => this.exprAsOperand(a));
    this.call({ kind: 'unknown', text: 'expression' }, args, dest, span, callee.span, undefined, undefined, diverges);
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
      func = { kind: 'unknown', text: e.method };
    } else {
      const selfKind = res.selfKind;
      func = res.kind === 'user' ? { kind: 'fn', name: res.fn.qualName } : { kind: 'std', path: res.method.path, selfTy: e.receiver.ty };
      if (selfKind === 'value') {
        const fnPath = res.kind === 'user' ? res.fn.qualName : res.method.path;
        const note: MoveNote = { kind: 'method', method: e.method, callSpan, fnPath };
        if (isPlaceExpr(e.receiver)) {
          let p = this.exprAsPlace(e.receiver);
          if (res.derefs > 0) p = this.autoDerefPlace(p, e.receiver.ty).place;
          recv = this.copyOrMove(p, e.receiver.span, note);
        } else recv = this.exprAsOperand(e.receiver);
      } else {
        let p = this.exprAsPlaceOrTemp(e.receiver);
        const rt = this.tyOfPlace(p);
        // Auto-deref through references (built-in derefs); smart pointers are borrowed as a whole.
        if (rt.kind === 'ref') p = this.autoDerefPlace(p, rt).place;
        const kind: BorrowKind = selfKind === 'mut' ? 'twoPhaseMut' : 'shared';
        const t = this.temp(refTy(this.tyOfPlace(p), selfKind === 'mut'), e.receiver.span);
        this.assign(place(t), { kind: 'ref', borrow: kind, place: p }, e.receiver.span);
        recv = { kind: 'move', place: place(t), span: e.receiver.span };
      }
    }
    const args = [recv, ...e.args.map((a) => this.argOperand(a))];
    this.call(func, args, dest, span, e.methodSpan, undefined, undefined, e.ty.kind === 'never');
  }

  private closureExpr(e: Extract<Expr, { kind: 'closure' }>, dest: Place): void {
    const closureId = e.ty.kind === 'closure' ? e.ty.id : e.id;
    const captures = this.captureAnalysis(e);
    const name = e.name;
    e.captures = captures.map((c) => ({ local: c.hirLocal, mode: c.mode, span: c.useSpan }));
    this.prog.closures.set(closureId, { name, captures });
    const ops: Operand[] = captures.map((c) => {
      const pathExpr = {
        kind: 'path',
        res: { kind: 'local', local: c.hirLocal },
        text: c.name,
        id: -1,
        span: c.useSpan,
        ty: this.fn.locals[c.hirLocal].ty,
      } as Expr;
      if (c.mode === 'move') {
        const p = this.exprAsPlace(pathExpr);
        return this.copyOrMove(p, c.useSpan, { kind: 'closure', closureSpan: closureHeadSpan(e), useSpan: c.useSpan });
      }
      // Capturing a reference variable for mutation is a unique borrow of `*r` (it needs no `mut r`).
      const viaRef = this.fn.locals[c.hirLocal].ty.kind === 'ref';
      return this.borrowOperand(pathExpr, c.mode === 'mut' && !viaRef ? 'mut' : 'shared', c.useSpan);
    });
    this.assign(dest, { kind: 'aggregate', agg: { kind: 'closure', closureId }, operands: ops }, e.span);
    // Build the closure's own body with a fresh builder sharing this function's HIR locals.
    try {
      const b = new FnBuilder(this.file, this.fn, this.tr, this.prog);
      this.prog.bodies.set(name, b.buildClosure(e, captures, name));
    } catch (err) {
      this.unsupported.push({ span: e.span, what: `closure body: ${(err as Error).message}` });
    }
  }

  /**
   * Capture analysis (rustc_hir_typeck::upvar): each outer local used in the body is captured
   * by the weakest mode its uses need — shared borrow, mutable borrow, or by value when a use
   * moves it (or when the closure is `move`). Copy values used by value are borrowed.
   */
  private captureAnalysis(e: Extract<Expr, { kind: 'closure' }>): CaptureInfo[] {
    const closureId = e.ty.kind === 'closure' ? e.ty.id : e.id;
    const inner = new Set<number>();
    this.fn.locals.forEach((l) => {
      if (l.closure !== undefined && l.closure >= closureId) inner.add(l.id);
    });
    const found = new Map<number, CaptureInfo>();
    const rank = { ref: 0, mut: 1, move: 2 } as const;
    const note = (local: number, mode: 'ref' | 'mut' | 'move', span: Span): void => {
      if (inner.has(local)) return;
      const decl = this.fn.locals[local];
      if (!decl || decl.closure === closureId) return;
      // locals of enclosing closures are still outer to this one
      if (mode === 'move' && isCopy(decl.ty, this.file.adts) !== false) mode = 'ref';
      // A reference variable used by value (or through) is reborrowed: a unique borrow, not a move.
      if (mode === 'move' && decl.ty.kind === 'ref') mode = decl.ty.mutable ? 'mut' : 'ref';
      const prev = found.get(local);
      const consumed = mode === 'move' || !!prev?.consumed;
      if (!prev || rank[mode] > rank[prev.mode] || consumed !== !!prev.consumed)
        found.set(local, {
          hirLocal: local,
          name: decl.name,
          mode: e.moveCapture ? 'move' : prev && rank[prev.mode] > rank[mode] ? prev.mode : mode,
          useSpan: prev && rank[prev.mode] >= rank[mode] ? prev.useSpan : span,
          consumed,
        });
    };
    const rootLocal = (x: Expr): { local: number; span: Span } | undefined => {
      let cur = x;
      for (let i = 0; i < 64; i++) {
        if (cur.kind === 'path' && cur.res.kind === 'local') return { local: cur.res.local, span: cur.span };
        if (cur.kind === 'field') cur = cur.base;
        else if (cur.kind === 'index') cur = cur.base;
        else return undefined;
      }
      return undefined;
    };
    const visit = (x: Expr, mode: 'ref' | 'mut' | 'move', depth: number): void => {
      if (depth > 300) return;
      if (x.kind === 'path' && x.res.kind === 'local') {
        const m = mode === 'move' && isCopy(x.ty, this.file.adts) !== false ? 'ref' : mode;
        note(x.res.local, m, x.span);
        return;
      }
      switch (x.kind) {
        case 'ref': {
          const r = rootLocal(x.operand);
          if (r) note(r.local, x.mutable ? 'mut' : 'ref', r.span);
          else visit(x.operand, 'ref', depth + 1);
          forEachChild(x.operand, (c) => visit(c, 'ref', depth + 1));
          return;
        }
        case 'field':
        case 'index': {
          const r = rootLocal(x);
          if (r) {
            let m = mode === 'move' && isCopy(x.ty, this.file.adts) !== false ? 'ref' : mode;
            // Through a reference nothing can be moved out: at most a unique borrow.
            if (m === 'move' && this.fn.locals[r.local]?.ty.kind === 'ref') m = 'mut';
            if (m === 'move' && x.ty.kind === 'ref') m = x.ty.mutable ? 'mut' : 'ref';
            note(r.local, m, r.span);
            if (x.kind === 'index') visit(x.index, 'move', depth + 1);
            return;
          }
          break;
        }
        case 'assign':
        case 'compoundAssign': {
          const r = rootLocal(x.lhs);
          if (r) note(r.local, 'mut', r.span);
          else visit(x.lhs, 'mut', depth + 1);
          visit(x.rhs, 'move', depth + 1);
          return;
        }
        case 'methodCall': {
          const res = this.tr.methods.get(x.id);
          const m = !res ? 'ref' : res.selfKind === 'value' ? 'move' : res.selfKind === 'mut' ? 'mut' : 'ref';
          visit(x.receiver, m, depth + 1);
          x.args.forEach((a) => visit(a, 'move', depth + 1));
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
            visit(x.operand, 'ref', depth + 1);
            return;
          }
          break;
        default:
          break;
      }
      forEachChild(x, (c) => visit(c, 'move', depth + 1));
    };
    visit(e.body, 'move', 0);
    return [...found.values()].sort((a, b) => a.hirLocal - b.hirLocal);
  }

  private structLit(e: Extract<Expr, { kind: 'structLit' }>, dest: Place): void {
    const adt = this.file.adts.get(e.adt);
    const defs = adt ? (adt.kind === 'enum' ? (adt.variants.find((v) => v.name === e.variant)?.fields ?? []) : adt.fields) : [];
    const given = new Map(e.fields.map((f) => [f.name, f] as const));
    // Field initialisers are evaluated in source order, then placed in declaration order.
    const evaluated = new Map<string, Operand>();
    for (const f of e.fields) evaluated.set(f.name, this.argOperand(f.expr));
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
    this.call({ kind: 'std', path: `${e.macro}!` }, ops, dest, span, span, e.macro, e.pieces, diverges);
  }

  // --- patterns

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
        const lit = this.exprAsOperand(p.expr);
        const eq = this.temp(BOOL, p.span);
        this.assign(place(eq), { kind: 'binary', op: '==', lhs: { kind: 'copy', place: base, span: p.span }, rhs: lit }, p.span);
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
        const r = this.temp(BOOL, p.span);
        this.assign(
          place(r),
          { kind: 'opaque', text: 'range pattern test', operands: [{ kind: 'copy', place: base, span: p.span }] },
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
        return;
      }
      case 'path':
      case 'tupleStruct':
      case 'struct': {
        const v = this.variantOf(p.kind === 'path' ? p.path : p.path, t);
        if (v) {
          const disc = this.temp(I32, p.span);
          this.assign(place(disc), { kind: 'discriminant', place: base }, p.span);
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
        const r = this.temp(BOOL, p.span);
        this.assign(
          place(r),
          { kind: 'opaque', text: 'slice pattern test', operands: [{ kind: 'copy', place: base, span: p.span }] },
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
        return;
      }
      default:
        return;
    }
  }

  /** The variant (name, index in declaration order) a path names, for enum types. */
  private variantOf(path: string, t: Ty): { name: string; index: number } | undefined {
    const last = path.split('::').pop() ?? path;
    if (t.kind === 'adt' && t.std) {
      if (t.name === 'Option')
        return last === 'None' ? { name: 'None', index: 0 } : last === 'Some' ? { name: 'Some', index: 1 } : undefined;
      if (t.name === 'Result') return last === 'Ok' ? { name: 'Ok', index: 0 } : last === 'Err' ? { name: 'Err', index: 1 } : undefined;
      return undefined;
    }
    if (t.kind === 'adt') {
      const adt = this.file.adts.get(t.name);
      if (adt?.kind !== 'enum') return undefined;
      const i = adt.variants.findIndex((v) => v.name === last);
      return i >= 0 ? { name: last, index: i } : undefined;
    }
    if (last === 'None') return { name: 'None', index: 0 };
    if (last === 'Some') return { name: 'Some', index: 1 };
    return undefined;
  }

  private patFields(p: Pat, t: Ty): { name: string; ty: Ty }[] {
    const path = p.kind === 'tupleStruct' || p.kind === 'struct' ? p.path : '';
    const last = path.split('::').pop() ?? path;
    if (t.kind === 'adt' && t.std) {
      if ((t.name === 'Option' && last === 'Some') || (t.name === 'Result' && last === 'Ok'))
        return [{ name: '0', ty: t.args[0] ?? unknown() }];
      if (t.name === 'Result' && last === 'Err') return [{ name: '0', ty: t.args[1] ?? unknown() }];
      return [];
    }
    if (t.kind === 'adt') {
      const adt = this.file.adts.get(t.name);
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
        if (bm === 'move') this.assign(place(l), { kind: 'use', operand: this.copyOrMove(base, p.span) }, p.span);
        else this.assign(place(l), { kind: 'ref', borrow: bm === 'mut' ? 'mut' : 'shared', place: base }, p.span);
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
      case 'or':
        // Bindings are the same in every alternative; bind from the first that could match.
        if (p.pats[0]) this.bindPattern(p.pats[0], src, ty, mode, span);
        return;
      case 'slice': {
        const elem = t.kind === 'array' || t.kind === 'slice' ? t.elem : unknown();
        p.pats.forEach((sp, i) => {
          if (sp.kind === 'rest') return;
          this.bindPattern(
            sp,
            place(base.local, [...base.projection, { kind: 'constantIndex', offset: i }]),
            elem,
            mode === 'move' ? 'ref' : mode,
            span,
          );
        });
        return;
      }
      case 'wild':
        // `let _ = x;` does not move x (rustc: a FakeRead, no move)
        if (isLet) this.push({ kind: 'fakeRead', place: src, span });
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

function needsDerefForPat(p: Pat): boolean {
  return (
    p.kind === 'tuple' || p.kind === 'tupleStruct' || p.kind === 'struct' || p.kind === 'slice' || p.kind === 'path' || p.kind === 'lit'
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
  return undefined;
}
