/**
 * The checker walk (rustc_borrowck `MirBorrowckCtxt`): visits every reachable statement and
 * terminator with the dataflow states just before it — which move paths may be uninitialised or
 * moved, which loans are in scope — checks each access it makes, then applies its effect.
 *
 * Accesses, as rustc classifies them: an operand copy is a deep read, a move a deep write; `&p`
 * a deep read-borrow, `&mut p` a deep write-borrow (a two-phase one is reserved here and
 * activated where its reference is first used); `len`/discriminant and match scrutinee reads are
 * shallow reads; an assignment is a shallow write; StorageDead a shallow storage-dead write; a
 * `drop` a drop-depth write; a return checks the loans of the parameters.
 */
import type { Span } from '../base/span';
import type { Operand, Place, Statement, Terminator } from '../mir/mir';
import { reversePostorder, rvalueOperands, type Location } from '../mir/visit';
import type { BitSet } from './bitset';
import { copyState, iterateToFixpoint } from './dataflow';
import { checkAccess, reportBorrowConflictsWithDestructor, type Access } from './diagnostics/conflict';
import type { CheckCtx } from './diagnostics/context';
import { reportPartialAssignToUninit, reportUninit } from './diagnostics/init';
import {
  checkMoveOut,
  checkMoveOutOfCapture,
  checkMoveOutOfStatic,
  isIllegalMove,
  reportAssignToPartOfMoved,
  reportMoved,
} from './diagnostics/move';
import { checkMutability, reportAssignTwice } from './diagnostics/mutability';
import { reportDoesNotLiveLongEnough, reportEscapingAtUnwind } from './diagnostics/region';
import { BorrowsAnalysis } from './impls/borrows';
import { EVER_INIT, INIT, UNINIT } from './impls/moves';
import type { AccessDepth } from './placesConflict';
import { derefKindAt, placeTy, prefixTys } from './places';
import { needsDrop } from '../std/facts';
import type { AdtDef } from '../hir/hir';

/**
 * Accesses through an overloaded index or deref (`v[i]` of a Vec, `*rc`) go through a method
 * taking `&self` / `&mut self` (`Index::index`, `IndexMut::index_mut`, `Deref::deref`): to the
 * borrow checker they are a borrow of the base, shared for reads and mutable for writes
 * (rustc's MIR has the call; ours keeps the place, so the checker rewrites the access).
 */
function throughOverloads(cx: CheckCtx['cx'], place: Place, access: Access): { place: Place; access: Access; depth?: AccessDepth } {
  const tys = prefixTys(cx.body, place);
  for (let i = 0; i < place.projection.length; i++) {
    const e = place.projection[i];
    const base = tys[i];
    const overloaded =
      ((e.kind === 'index' || e.kind === 'constantIndex' || e.kind === 'subslice') && base.kind === 'adt') ||
      (e.kind === 'deref' && derefKindAt(tys, i) === 'other' && base.kind === 'adt' && base.std);
    if (!overloaded) continue;
    const basePlace: Place = { local: place.local, projection: place.projection.slice(0, i) };
    const reads = access.kind === 'read' || access.kind === 'reservation';
    return { place: basePlace, access: reads ? { kind: 'read', read: 'borrow' } : { kind: 'write', write: 'mutBorrow' }, depth: 'deep' };
  }
  return { place, access };
}

export class Checker {
  private readonly borrows: BorrowsAnalysis;

  constructor(readonly c: CheckCtx) {
    this.borrows = c.borrows?.analysis ?? new BorrowsAnalysis(c.cx, c.set, c.regions);
  }

  run(): void {
    const { cx, moves } = this.c;
    const body = cx.body;
    const borrowStates = this.c.borrows?.states ?? iterateToFixpoint(body, this.borrows);
    // One scratch state per analysis, reset to each block's entry state (no copy per block).
    let mst: BitSet[] | undefined;
    let bst: BitSet[] | undefined;
    // rustc visits the blocks in reverse postorder (`visit_results` over `reverse_postorder`):
    // when two errors share a de-duplication key, the order decides which one is reported.
    for (const b of reversePostorder(body)) {
      const bb = body.blocks[b];
      const m0 = this.c.moveStates[b];
      const b0 = borrowStates[b];
      if (!m0 || !b0) continue; // unreachable
      mst = copyState(m0, mst);
      bst = copyState(b0, bst);
      bb.statements.forEach((s, index) => {
        const loc = { block: b, index };
        this.borrows.killOutOfScope(bst!, loc);
        this.checkStatement(mst!, bst![0], s, loc);
        moves.applyStatement(mst!, s, loc);
        this.borrows.statementEffect(bst!, s, loc);
      });
      const loc = { block: b, index: bb.statements.length };
      this.borrows.killOutOfScope(bst!, loc);
      this.checkTerminator(mst!, bst![0], bb.terminator, loc);
    }
  }

  /** Checks an access against the loans in scope, after rewriting overloaded index/deref accesses. */
  private access(loc: Location, place: Place, span: Span, depth: AccessDepth, access: Access, inScope: BitSet): void {
    if (access.kind === 'activation' || (access.kind === 'write' && access.write === 'storageDeadOrDrop')) {
      checkAccess(this.c, loc, place, span, depth, access, inScope);
      return;
    }
    const r = throughOverloads(this.c.cx, place, access);
    checkAccess(this.c, loc, r.place, span, r.depth ?? depth, r.access, inScope);
  }

  // --- statements

  private checkStatement(mst: BitSet[], inScope: BitSet, s: Statement, loc: Location): void {
    this.checkActivations(inScope, loc, s.span);
    if (s.kind === 'assign') {
      if (s.rvalue.kind === 'opaque' && s.rvalue.writtenByMacro) return;
      const rv = s.rvalue;
      // A match's fake borrow accesses nothing when it is made (rustc: a shallow fake read
      // conflicts with no loan); it only guards the place while the guards run.
      if (rv.kind === 'ref' && rv.borrow === 'fake') return;
      if (rv.kind === 'ref') {
        this.checkRead(mst, rv.place, s.span, 'borrow', loc);
        const access: Access =
          rv.borrow === 'shared'
            ? { kind: 'read', read: 'borrow' }
            : rv.borrow === 'twoPhaseMut'
              ? { kind: 'reservation' }
              : { kind: 'write', write: rv.borrow === 'unique' ? 'uniqueBorrow' : 'mutBorrow' };
        this.access(loc, rv.place, s.span, 'deep', access, inScope);
        if (rv.borrow === 'mut' || rv.borrow === 'twoPhaseMut') checkMutability(this.c, rv.place, s.span, 'borrow');
      } else if (rv.kind === 'len' || rv.kind === 'discriminant') {
        this.checkRead(mst, rv.place, s.span, 'use', loc);
        this.access(loc, rv.place, s.span, 'shallow', { kind: 'read', read: 'copy' }, inScope);
      } else {
        // A temporary that stands for a `static` item (`&mut SFOO` borrows the item: `mir/promote.ts`) moves nothing out of it.
        const itemPlace = !!this.c.cx.body.locals[s.place.local]?.promoted;
        for (const o of rvalueOperands(rv)) this.consume(mst, inScope, o, s.span, loc, itemPlace);
      }
      this.checkAssign(mst, s.place, s.span, loc);
      this.access(loc, s.place, s.span, 'shallow', { kind: 'write', write: 'mutate' }, inScope);
      if (s.place.projection.length === 0 && !this.c.firstInit.has(s.place.local)) this.c.firstInit.set(s.place.local, s.span);
    } else if (s.kind === 'fakeRead') {
      // A fake read accesses no memory: it only needs the place initialised (rustc
      // `check_if_path_or_subpath_is_moved`); a place mention needs nothing.
      this.checkRead(mst, s.place, s.span, s.use ? 'use' : 'borrow', loc);
    } else if (s.kind === 'storageDead') {
      checkAccess(
        this.c,
        loc,
        { local: s.local, projection: [] },
        s.span,
        'shallow',
        { kind: 'write', write: 'storageDeadOrDrop' },
        inScope,
      );
    }
  }

  private checkTerminator(mst: BitSet[], inScope: BitSet, t: Terminator, loc: Location): void {
    // A call's arguments are evaluated before the call activates its two-phase borrows (rustc
    // reads them into temporaries first: `v.push(v.len())`, `self.f(self.x)`).
    if (t.kind !== 'call') this.checkActivations(inScope, loc, t.span);
    switch (t.kind) {
      case 'call':
        if (t.func.kind === 'local') {
          // Calling a closure borrows it (`Fn::call(&f)`), mutably for `FnMut` (`FnOnce` moves it:
          // the builder emits that move).
          const p: Place = { local: t.func.local, projection: [] };
          const k = t.func.callKind;
          // The call borrows the closure (`FnMut::call_mut(&mut f, ..)`): it must not be moved.
          if (k === 'Fn' || k === 'FnMut') this.checkRead(mst, p, t.fnSpan, 'borrow', loc);
          if (k === 'FnMut') {
            this.access(loc, p, t.fnSpan, 'deep', { kind: 'write', write: 'mutBorrow' }, inScope);
            if (this.isUserLocal(p.local)) checkMutability(this.c, p, t.fnSpan, 'borrow');
          } else this.access(loc, p, t.fnSpan, 'deep', { kind: 'read', read: k ? 'borrow' : 'copy' }, inScope);
        }
        this.c.readingArgsAt = loc;
        for (const o of t.args) this.consume(mst, inScope, o, t.span, loc);
        this.c.readingArgsAt = undefined;
        this.checkActivations(inScope, loc, t.span);
        reportEscapingAtUnwind(this.c, loc, inScope);
        this.checkAssign(mst, t.dest, t.span, loc);
        this.access(loc, t.dest, t.span, 'shallow', { kind: 'write', write: 'mutate' }, inScope);
        return;
      case 'switchInt':
      case 'assert':
        this.consume(mst, inScope, t.kind === 'switchInt' ? t.discr : t.cond, t.span, loc);
        return;
      case 'drop': {
        // Drop elaboration: a value that is certainly moved out or never initialised is not
        // dropped, nor one whose type may not need dropping (the builder drops unknown types).
        const path = this.c.md.isMovable(t.place) ? this.c.md.pathFor(t.place) : -1;
        if (path >= 0 && !mst[INIT].has(path)) return;
        if (needsDrop(placeTy(this.c.cx.body, t.place), this.c.cx.adts as Map<string, AdtDef>) !== true) return;
        // The drop of an old value before an assignment is part of the assignment (E0506).
        this.access(loc, t.place, t.span, 'drop', { kind: 'write', write: t.replace ? 'mutate' : 'storageDeadOrDrop' }, inScope);
        return;
      }
      case 'return':
        this.checkExit(inScope, loc, t.span, mst);
        return;
      default:
        return;
    }
  }

  /** At the function's exit its parameters are dropped: loans of them still in scope do not live long enough. */
  private checkExit(inScope: BitSet, loc: Location, span: Span, mst: BitSet[]): void {
    const body = this.c.cx.body;
    for (const id of inScope.values()) {
      const loan = this.c.set.loans[id];
      const root = loan.place.local;
      if (root < 1 || root > body.argCount) continue;
      if (loan.place.projection.some((e) => e.kind === 'deref')) {
        // A parameter whose destructor reaches the borrowed place behind its `&mut` field is
        // dropped here, unless it was moved away (E0713).
        const path = this.c.md.pathFor({ local: root, projection: [] });
        if (path >= 0 && mst[INIT].has(path)) reportBorrowConflictsWithDestructor(this.c, { local: root, projection: [] }, span, loan);
        continue;
      }
      reportDoesNotLiveLongEnough(this.c, loc, { local: root, projection: [] }, span, loan);
    }
  }

  /** Two-phase borrows whose reference is first used here become mutable borrows now. */
  /** The two-phase loans activated at each location (`block:index`), in loan order (rustc `activation_map`). */
  private activations?: Map<string, number[]>;

  private checkActivations(inScope: BitSet, loc: Location, span: Span): void {
    if (!this.activations) {
      this.activations = new Map();
      for (const l of this.c.set.loans) {
        if (l.kind !== 'twoPhaseMut' || !l.activation) continue;
        const k = `${l.activation.block}:${l.activation.index}`;
        const list = this.activations.get(k);
        if (list) list.push(l.id);
        else this.activations.set(k, [l.id]);
      }
    }
    if (!this.activations.size) return;
    for (const id of this.activations.get(`${loc.block}:${loc.index}`) ?? []) {
      if (inScope.has(id)) this.access(loc, this.c.set.loans[id].place, span, 'deep', { kind: 'activation', loan: id }, inScope);
    }
  }

  /** An operand: a copy is a deep read, a move a deep write (and maybe a move out of borrowed content). */
  private consume(mst: BitSet[], inScope: BitSet, o: Operand, span: Span, loc: Location, itemPlace = false): void {
    if (o.kind === 'constant') {
      if (o.value.kind === 'static' && o.span && !itemPlace) checkMoveOutOfStatic(this.c, o.value.name, o.ty, o.span);
      return;
    }
    const s = o.span ?? span;
    this.checkRead(mst, o.place, s, 'use', loc);
    const depth: AccessDepth = 'deep';
    checkAccess(
      this.c,
      loc,
      o.place,
      s,
      depth,
      o.kind === 'move' ? { kind: 'write', write: 'move' } : { kind: 'read', read: 'copy' },
      inScope,
    );
    if (o.kind === 'move' && checkMoveOutOfCapture(this.c, o.place, s)) {
      // reported: a move out of an `Fn`/`FnMut` closure's capture
    } else if (o.kind === 'move' && isIllegalMove(this.c, o.place))
      checkMoveOut(
        this.c,
        o.place,
        s,
        o.note?.kind === 'pattern' ? o.note.scrutinee : undefined,
        o.note?.kind === 'pattern' ? o.note.binding : undefined,
      );
    // The next operand of the same statement sees this move.
    if (o.kind === 'move') this.c.moves.applyOperandMove(mst, o, loc);
  }

  // --- moves and initialisation

  private isUserLocal(l: number): boolean {
    const d = this.c.cx.body.locals[l];
    return !!d && (d.kind === 'user' || d.kind === 'arg') && !!d.name;
  }

  /** E0382 / E0381 at a read of `place`. */
  private checkRead(st: BitSet[], place: Place, span: Span, kind: 'use' | 'borrow', loc: Location): void {
    if (!this.isUserLocal(place.local)) return;
    const { md, moves } = this.c;
    const p = md.pathFor(place);
    if (p < 0) return;
    const self = [p, ...md.ancestors(p)];
    // moved: the path itself or an ancestor
    if (self.some((x) => st[UNINIT].has(x) && moves.movesOf(st, x).length > 0)) {
      const ms = self.flatMap((x) => moves.movesOf(st, x));
      reportMoved(this.c, place, p, span, kind, ms, loc, false);
      return;
    }
    // partially moved: a descendant; of an array's subslice, only its elements (rustc
    // `check_if_subslice_element_is_moved`)
    const split = md.subsliceElems(place, true);
    const desc = (split ? split.elems.flatMap((x) => md.subtree(x)) : md.subtree(p).slice(1)).filter(
      (x) => st[UNINIT].has(x) && moves.movesOf(st, x).length > 0,
    );
    // rustc checks the children only of a place that is a move path itself (`a[i].0` is not:
    // its index stops the lookup at `a`, whose moved elements the bounds check's read reports).
    if (desc.length && (split || (md.isExactPath(place) && place.projection.every((e) => e.kind !== 'deref')))) {
      reportMoved(
        this.c,
        place,
        p,
        span,
        kind,
        desc.flatMap((x) => moves.movesOf(st, x)),
        loc,
        true,
      );
      return;
    }
    // uninitialised (never assigned on some path)
    if (self.some((x) => st[UNINIT].has(x)) && this.c.cx.body.locals[place.local].kind === 'user') {
      reportUninit(
        this.c,
        place,
        span,
        self.some((x) => st[INIT].has(x)),
      );
    }
  }

  /** E0384, E0382 (assign to part of a moved value, or through a moved reference) and E0594 at a write of `place`. */
  private checkAssign(st: BitSet[], place: Place, span: Span, loc: Location): void {
    // A write through the result of the file's `Index::index` / `Deref::deref` (`mir/placeOps.ts`).
    if (this.c.cx.body.locals[place.local]?.placeOp) checkMutability(this.c, place, span, 'assign');
    if (!this.isUserLocal(place.local)) return;
    const { md, moves, cx } = this.c;
    const decl = cx.body.locals[place.local];
    // Assigning through `*r` needs `r` itself (rustc `check_if_assigned_path_is_moved`: a
    // `Deref` checks the full path of its base): `src.next = None` after `src` moved is E0382.
    const lastDeref = place.projection.map((e) => e.kind).lastIndexOf('deref');
    if (lastDeref >= 0) {
      const base: Place = { local: place.local, projection: place.projection.slice(0, lastDeref) };
      const tys = prefixTys(cx.body, place);
      const kind = derefKindAt(tys, lastDeref);
      if ((kind === 'mut' || kind === 'shared') && md.isMovable(base)) {
        const p = md.pathFor(base);
        const self = [p, ...md.ancestors(p)];
        if (self.some((x) => st[UNINIT].has(x) && moves.movesOf(st, x).length > 0))
          reportMoved(
            this.c,
            base,
            p,
            span,
            'use',
            self.flatMap((x) => moves.movesOf(st, x)),
            loc,
            false,
          );
      }
    }
    if (place.projection.length === 0) {
      if (!decl.mutable && (decl.kind === 'user' || (decl.kind === 'arg' && !this.c.isClosure))) {
        if (st[EVER_INIT].has(md.pathFor(place))) reportAssignTwice(this.c, place, span);
      }
      return;
    }
    const p = md.pathFor(place);
    const movedAnc = md.ancestors(p).filter((x) => st[UNINIT].has(x) && moves.movesOf(st, x).length > 0);
    if (movedAnc.length && md.isMovable(place)) {
      reportAssignToPartOfMoved(
        this.c,
        place,
        span,
        movedAnc.flatMap((x) => moves.movesOf(st, x)),
      );
      return;
    }
    // Assigning a field of a binding that was never (fully) initialised (rustc
    // `check_if_assigned_path_is_moved`: the parent must be initialised).
    if (md.isMovable(place) && md.ancestors(p).some((x) => st[UNINIT].has(x)) && decl.kind === 'user') {
      reportPartialAssignToUninit(this.c, place, span);
      // Mutating a binding is allowed until it is first initialised (any part of it).
      if (!md.subtree(md.pathFor({ local: place.local, projection: [] })).some((x) => st[EVER_INIT].has(x))) return;
    }
    checkMutability(this.c, place, span, 'assign');
  }
}
