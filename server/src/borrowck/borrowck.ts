/**
 * Borrow checking over MIR, after rustc_borrowck: move paths (rustc_mir_dataflow::move_paths),
 * forward dataflow of maybe-uninitialised places, reaching move-outs and ever-initialised
 * places, then a walk that reports:
 *
 * - E0382 use/borrow of a (partially) moved value, assignment to part of a moved value;
 * - E0381 use of a possibly-uninitialised binding;
 * - E0384 assigning twice to an immutable binding;
 * - E0596 mutable borrow of a non-`mut` binding (or through a `&` reference);
 * - E0594 assignment to a field of a non-`mut` binding (or through a `&` reference).
 *
 * Messages, labels and their spans follow rustc 1.95's. Places whose type is unknown never
 * produce a diagnostic: MIR building lowers their uses as copies, and the mutability checks
 * below require a known owned type.
 */
import type { EngineDiagnostic } from '../base/diagnostic';
import type { Span } from '../hir/hir';
import { displayTy, isUnknown, type Ty } from '../hir/ty';
import type { Body, MoveNote, Operand, Place, ProjectionElem, Statement, Terminator } from '../mir/mir';
import { comparePos as cmpPos, spanEquals as spanEq } from '../base/span';
import { reversePostorder, rvalueOperands, successors } from '../mir/visit';

/** Error codes this module can report. */
export const BORROWCK_CODES: readonly string[] = ['E0382', 'E0381', 'E0384', 'E0596', 'E0594'];

// --- bit sets

class BitSet {
  words: Uint32Array;
  constructor(
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }
  clone(): BitSet {
    return new BitSet(this.size, this.words.slice());
  }
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }
  remove(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
  }
  /** this |= other; returns whether anything changed. */
  union(other: BitSet): boolean {
    let changed = false;
    for (let i = 0; i < this.words.length; i++) {
      const w = this.words[i] | other.words[i];
      if (w !== this.words[i]) {
        this.words[i] = w;
        changed = true;
      }
    }
    return changed;
  }
  *values(): Iterable<number> {
    for (let i = 0; i < this.words.length; i++) {
      let w = this.words[i];
      while (w) {
        const b = 31 - Math.clz32(w & -w);
        yield i * 32 + b;
        w &= w - 1;
      }
    }
  }
}

// --- move paths

/** A move path: a local and a chain of field/downcast projections (rustc `MovePath`). */
interface MovePath {
  local: number;
  projection: ProjectionElem[];
  parent: number | null;
  children: number[];
  key: string;
}

/** A recorded move out of a path (rustc `MoveOut`). */
interface MoveOut {
  path: number;
  span: Span;
  note?: MoveNote;
  /** Location key `block:index` of the move. */
  loc: string;
  /** Where the value went, in words: `y`, `takes(..)`, `s.into_bytes()`, a closure. */
  dest: string;
}

interface State {
  uninit: BitSet;
  init: BitSet;
  everInit: BitSet;
  moves: BitSet;
}

/** The ownership state of one local at one point, for hovers (see `MoveAnalysis.stateAt`). */
export interface LocalState {
  /** `yes`: initialised on every path; `maybe`: on some; `no`: on none. */
  init: 'yes' | 'maybe' | 'no';
  /** Moves of the whole local (or an ancestor) that reach this point. */
  moves: { span: Span; dest: string }[];
  /** Moves of parts of it (`p.name`) that reach this point. */
  partial: { path: string; span: Span; dest: string }[];
  /** Whether it was ever assigned before this point. */
  everInit: boolean;
}

/** Move/initialisation dataflow of one body, queried at MIR locations. */
export interface MoveAnalysis {
  /** State of `local` just before statement `index` of `block` (index = statements.length: the terminator). */
  stateAt(block: number, index: number, local: number): LocalState | undefined;
}

/** Runs the move dataflow of `body` once; states are computed on demand. Never throws. */
export function analyzeMoves(body: Body): MoveAnalysis {
  const c = new Checker(body);
  const states = c.prepare();
  return { stateAt: (block, index, local) => c.stateAt(states, block, index, local) };
}

/**
 * Checks one body and returns rustc-style diagnostics (0-based UTF-16 ranges), at most one per
 * (place, set of reaching moves) as rustc dedupes them. Only user bindings are checked.
 * Total: never throws (the caller also guards).
 */
export function borrowck(body: Body): EngineDiagnostic[] {
  return new Checker(body).run();
}

class Checker {
  private paths: MovePath[] = [];
  private byKey = new Map<string, number>();
  private moveOuts: MoveOut[] = [];
  private moveOutAt = new Map<string, number[]>();
  /** First initialisation site per local, for E0384's "first assignment" label. */
  private firstInit = new Map<number, Span>();
  private diags: EngineDiagnostic[] = [];
  private reported = new Set<string>();
  private isClosure: boolean;

  constructor(private body: Body) {
    this.isClosure = body.closureId !== undefined;
  }

  run(): EngineDiagnostic[] {
    const states = this.prepare();
    this.report(states);
    return this.diags;
  }

  /** Builds move paths and runs the dataflow; returns block-entry states. */
  prepare(): (State | undefined)[] {
    const b = this.body;
    for (let l = 0; l < b.locals.length; l++) if (this.tracked(l)) this.pathFor({ local: l, projection: [] });
    this.collectMoveOuts();
    const nPaths = this.paths.length;
    const nMoves = this.moveOuts.length;
    const entry: State = { uninit: new BitSet(nPaths), init: new BitSet(nPaths), everInit: new BitSet(nPaths), moves: new BitSet(nMoves) };
    for (let p = 0; p < nPaths; p++) {
      const local = this.paths[p].local;
      if (local >= 1 && local <= b.argCount) {
        entry.init.add(p);
        entry.everInit.add(p);
      } else entry.uninit.add(p);
    }
    return this.dataflow(entry);
  }

  stateAt(states: (State | undefined)[], block: number, index: number, local: number): LocalState | undefined {
    const entry = states[block];
    if (!entry) return undefined;
    const st = cloneState(entry);
    const bb = this.body.blocks[block];
    for (let i = 0; i < index && i < bb.statements.length; i++) this.applyStatement(st, bb.statements[i], `${block}:${i}`);
    if (index > bb.statements.length) this.applyTerminator(st, bb.terminator, `${block}:${bb.statements.length}`);
    const p = this.pathFor({ local, projection: [] });
    if (p < 0) return undefined;
    const sub = this.subtree(p);
    const moves = this.movesOf(st, p).map((m) => this.moveOuts[m]);
    const partial = sub.slice(1).flatMap((x) =>
      this.movesOf(st, x).map((m) => ({
        path: this.describe({ local, projection: this.paths[x].projection }),
        span: this.moveOuts[m].span,
        dest: this.moveOuts[m].dest,
      })),
    );
    const init = st.uninit.has(p) ? (st.init.has(p) ? 'maybe' : 'no') : 'yes';
    return { init, moves: moves.map((m) => ({ span: m.span, dest: m.dest })), partial, everInit: st.everInit.has(p) };
  }

  // --- move path construction

  /** Whether a local is tracked: user bindings and arguments (temporaries are never checked). */
  private tracked(local: number): boolean {
    const d = this.body.locals[local];
    return !!d && !!d.name && (d.kind === 'user' || d.kind === 'arg');
  }

  /** The move path for the longest movable prefix of `p` (stops at deref and index); -1 for temporaries. */
  private pathFor(p: Place): number {
    if (!this.tracked(p.local)) return -1;
    let cur = this.ensure(p.local, []);
    const proj: ProjectionElem[] = [];
    for (const e of p.projection) {
      if (e.kind === 'deref' || e.kind === 'index' || e.kind === 'constantIndex') break;
      proj.push(e);
      cur = this.ensure(p.local, proj.slice(), cur);
    }
    return cur;
  }

  private ensure(local: number, projection: ProjectionElem[], parent: number | null = null): number {
    const key = `${local}${projection.map((e) => (e.kind === 'field' ? `.${e.index}` : e.kind === 'downcast' ? `@${e.index}` : '')).join('')}`;
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const id = this.paths.length;
    this.paths.push({ local, projection, parent, children: [], key });
    this.byKey.set(key, id);
    if (parent !== null) this.paths[parent].children.push(id);
    return id;
  }

  private isMovable(p: Place): boolean {
    return !p.projection.some((e) => e.kind === 'deref' || e.kind === 'index' || e.kind === 'constantIndex');
  }

  private collectMoveOuts(): void {
    this.body.blocks.forEach((bb, bi) => {
      const visitOp = (o: Operand, idx: number, span: Span, dest: string): void => {
        if (o.kind !== 'move' || !this.isMovable(o.place)) return;
        const path = this.pathFor(o.place);
        if (path < 0) return;
        const loc = `${bi}:${idx}`;
        const id = this.moveOuts.length;
        const d =
          o.note?.kind === 'call'
            ? 'the call'
            : o.note?.kind === 'closure'
              ? 'a closure'
              : o.note?.kind === 'method'
                ? `\`.${o.note.method}()\``
                : o.note?.kind === 'intoIter'
                  ? 'a `for` loop'
                  : dest;
        this.moveOuts.push({ path, span: o.span ?? span, note: o.note, loc, dest: d });
        const list = this.moveOutAt.get(loc) ?? [];
        list.push(id);
        this.moveOutAt.set(loc, list);
      };
      bb.statements.forEach((s, i) => {
        if (s.kind === 'assign') for (const o of rvalueOperands(s.rvalue)) visitOp(o, i, s.span, this.destName(s.place));
        if (s.kind === 'assign') this.pathFor(s.place);
      });
      const t = bb.terminator;
      if (t.kind === 'call') {
        const callee =
          t.func.kind === 'fn'
            ? t.func.name
            : t.func.kind === 'std'
              ? t.func.path.replace(/!$/, '')
              : t.func.kind === 'local'
                ? this.name(t.func.local)
                : 'a call';
        for (const o of t.args) visitOp(o, bb.statements.length, t.span, `\`${callee}(..)\``);
        this.pathFor(t.dest);
      }
      if (t.kind === 'switchInt') visitOp(t.discr, bb.statements.length, t.span, 'a test');
    });
  }

  /** Names the destination of a move: a user local (`y`), or for temporaries, what they feed. */
  private destName(p: Place): string {
    const d = this.body.locals[p.local];
    if (d?.name) return `\`${this.describe(p)}\``;
    return 'a temporary';
  }

  /** This path and all its descendants. */
  private subtree(p: number): number[] {
    const out = [p];
    for (let i = 0; i < out.length; i++) out.push(...this.paths[out[i]].children);
    return out;
  }

  private ancestors(p: number): number[] {
    const out: number[] = [];
    let cur = this.paths[p].parent;
    while (cur !== null) {
      out.push(cur);
      cur = this.paths[cur].parent;
    }
    return out;
  }

  // --- transfer functions

  private applyMove(st: State, o: Operand, loc: string): void {
    if (o.kind !== 'move' || !this.isMovable(o.place)) return;
    const p = this.pathFor(o.place);
    if (p < 0) return;
    for (const c of this.subtree(p)) {
      st.uninit.add(c);
      st.init.remove(c);
    }
    for (const m of this.moveOutAt.get(loc) ?? []) if (this.moveOuts[m].path === p) st.moves.add(m);
  }

  private applyInit(st: State, place: Place): void {
    if (!this.isMovable(place)) return;
    const p = this.pathFor(place);
    if (p < 0) return;
    for (const c of this.subtree(p)) {
      st.uninit.remove(c);
      st.init.add(c);
      st.everInit.add(c);
    }
    // Re-initialising kills the move-outs of this path and of its children.
    const sub = new Set(this.subtree(p));
    for (const m of st.moves.values()) if (sub.has(this.moveOuts[m].path)) st.moves.remove(m);
    // An ancestor is initialised once all its children are; fields re-initialise it for reads
    // of those fields only, which the per-path bits already express.
  }

  private applyDead(st: State, local: number): void {
    const p = this.pathFor({ local, projection: [] });
    if (p < 0) return;
    const sub = new Set(this.subtree(p));
    for (const c of sub) {
      st.uninit.add(c);
      st.init.remove(c);
      st.everInit.remove(c);
    }
    for (const m of st.moves.values()) if (sub.has(this.moveOuts[m].path)) st.moves.remove(m);
  }

  private applyStatement(st: State, s: Statement, loc: string): void {
    switch (s.kind) {
      case 'assign':
        for (const o of rvalueOperands(s.rvalue)) this.applyMove(st, o, loc);
        this.applyInit(st, s.place);
        return;
      case 'storageDead':
        this.applyDead(st, s.local);
        return;
      case 'storageLive':
        this.applyDead(st, s.local);
        return;
      default:
        return;
    }
  }

  /** Effects of a terminator before its successors (arguments moved); the call's dest is written on the edge. */
  private applyTerminator(st: State, t: Terminator, loc: string): void {
    if (t.kind === 'call') {
      for (const o of t.args) this.applyMove(st, o, loc);
      this.applyInit(st, t.dest);
    } else if (t.kind === 'switchInt') {
      this.applyMove(st, t.discr, loc);
    } else if (t.kind === 'drop') {
      if (this.isMovable(t.place) && this.tracked(t.place.local)) {
        const p = this.pathFor(t.place);
        for (const c of this.subtree(p)) {
          st.uninit.add(c);
          st.init.remove(c);
        }
      }
    }
  }

  /**
   * Forward may-dataflow to a fixpoint, visiting blocks in reverse postorder (rustc's
   * `Engine::iterate_to_fixpoint` uses the same order); a few passes suffice for reducible CFGs.
   */
  private dataflow(entry: State): (State | undefined)[] {
    const blocks = this.body.blocks;
    const states: (State | undefined)[] = new Array(blocks.length);
    states[0] = entry;
    const order = reversePostorder(this.body);
    let changed = true;
    for (let pass = 0; changed && pass < 1000; pass++) {
      changed = false;
      for (const bi of order) {
        if (!states[bi]) continue;
        const st = cloneState(states[bi]!);
        const bb = blocks[bi];
        bb.statements.forEach((s, i) => this.applyStatement(st, s, `${bi}:${i}`));
        this.applyTerminator(st, bb.terminator, `${bi}:${bb.statements.length}`);
        for (const succ of successors(bb.terminator)) {
          const cur = states[succ];
          if (!cur) {
            states[succ] = cloneState(st);
            changed = true;
            continue;
          }
          let c = cur.uninit.union(st.uninit);
          c = cur.init.union(st.init) || c;
          c = cur.everInit.union(st.everInit) || c;
          c = cur.moves.union(st.moves) || c;
          if (c) changed = true;
        }
      }
    }
    return states;
  }

  // --- checks

  private lastStates: (State | undefined)[] | undefined;

  private report(states: (State | undefined)[]): void {
    this.lastStates = states;
    this.body.blocks.forEach((bb, bi) => {
      const entry = states[bi];
      if (!entry) return; // unreachable
      const st = cloneState(entry);
      bb.statements.forEach((s, i) => {
        const loc = `${bi}:${i}`;
        this.checkStatement(st, s, loc);
        this.applyStatement(st, s, loc);
      });
      const loc = `${bi}:${bb.statements.length}`;
      const t = bb.terminator;
      if (t.kind === 'call') {
        for (const o of t.args) this.checkOperand(st, o, t.span, loc);
        this.checkAssign(st, t.dest, t.span);
      } else if (t.kind === 'switchInt') this.checkOperand(st, t.discr, t.span, loc);
      this.applyTerminator(st, t, loc);
    });
  }

  private checkStatement(st: State, s: Statement, loc: string): void {
    if (s.kind === 'assign' && s.rvalue.kind === 'opaque' && s.rvalue.writtenByMacro) return;
    if (s.kind === 'assign') {
      const rv = s.rvalue;
      if (rv.kind === 'ref') {
        this.checkRead(st, rv.place, s.span, 'borrow', loc);
        if (rv.borrow !== 'shared') this.checkMutBorrow(rv.place, s.span);
      } else if (rv.kind === 'len' || rv.kind === 'discriminant') {
        this.checkRead(st, rv.place, s.span, 'use', loc);
      } else {
        for (const o of rvalueOperands(s.rvalue)) this.checkOperand(st, o, s.span, loc);
      }
      this.checkAssign(st, s.place, s.span);
      if (s.place.projection.length === 0 && !this.firstInit.has(s.place.local)) this.firstInit.set(s.place.local, s.span);
    } else if (s.kind === 'fakeRead') {
      this.checkRead(st, s.place, s.span, 'borrow', loc);
    }
  }

  private checkOperand(st: State, o: Operand, span: Span, loc: string): void {
    if (o.kind === 'constant') return;
    this.checkRead(st, o.place, o.span ?? span, 'use', loc);
  }

  private isUserLocal(l: number): boolean {
    const d = this.body.locals[l];
    return !!d && (d.kind === 'user' || d.kind === 'arg') && !!d.name;
  }

  /** E0382 / E0381 at a read of `place`. */
  private checkRead(st: State, place: Place, span: Span, kind: 'use' | 'borrow', loc: string): void {
    if (!this.isUserLocal(place.local)) return;
    const p = this.pathFor(place);
    const self = [p, ...this.ancestors(p)];
    // moved: the path itself or an ancestor
    const movedSelf = self.some((x) => st.uninit.has(x) && this.movesOf(st, x).length > 0);
    if (movedSelf) {
      const moves = self.flatMap((x) => this.movesOf(st, x));
      return this.reportMoved(place, p, span, kind, moves, loc, false);
    }
    // partially moved: a descendant
    const desc = this.subtree(p)
      .slice(1)
      .filter((x) => st.uninit.has(x) && this.movesOf(st, x).length > 0);
    if (desc.length && place.projection.every((e) => e.kind !== 'deref')) {
      const moves = desc.flatMap((x) => this.movesOf(st, x));
      return this.reportMoved(place, p, span, kind, moves, loc, true);
    }
    // uninitialised (never assigned on some path)
    const uninitSelf = self.some((x) => st.uninit.has(x));
    if (uninitSelf && this.body.locals[place.local].kind === 'user') {
      const maybe = self.some((x) => st.init.has(x));
      this.reportUninit(place, span, maybe);
    }
  }

  private movesOf(st: State, path: number): number[] {
    const out: number[] = [];
    for (const m of st.moves.values()) if (this.moveOuts[m].path === path) out.push(m);
    return out;
  }

  private name(l: number): string {
    return this.body.locals[l].name ?? `_${l}`;
  }

  /** rustc's place description: `x`, `x.name`, `*r`, `(*r).f` (downcasts omitted). */
  private describe(p: Place): string {
    let s = this.name(p.local);
    for (const e of p.projection) {
      if (e.kind === 'deref') s = `*${s}`;
      else if (e.kind === 'field') s = s.startsWith('*') ? `(${s}).${e.name}` : `${s}.${e.name}`;
      else if (e.kind === 'index' || e.kind === 'constantIndex') s = `${s}[..]`;
    }
    return s;
  }

  private reportMoved(
    place: Place,
    path: number,
    span: Span,
    kind: 'use' | 'borrow',
    moves: number[],
    loc: string,
    partial: boolean,
  ): void {
    const uniq = [...new Set(moves)].sort((a, b) => a - b);
    const key = `${this.paths[path].local}|${uniq.join(',')}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const root = this.name(place.local);
    const usedPath = this.paths[path];
    const usedName = this.describe({ local: usedPath.local, projection: usedPath.projection });
    const ty = this.body.locals[place.local].ty;
    const mo = uniq.map((m) => this.moveOuts[m]);
    const anyPartial =
      partial ||
      mo.some(
        (m) => this.paths[m.path].projection.length > 0 && this.paths[m.path].local === place.local && !this.isAncestorOrSelf(m.path, path),
      );
    const what = anyPartial ? 'partially moved value' : 'moved value';
    // rustc names the path that was moved (`config` for a use of `config.path` after `config` moved).
    const mp0 = mo[0] ? this.paths[mo[0].path] : undefined;
    const movedName =
      mp0 && this.isAncestorOrSelf(mo[0].path, path) ? this.describe({ local: mp0.local, projection: mp0.projection }) : usedName;
    const message = `${kind === 'borrow' ? 'borrow' : 'use'} of ${what}: \`${anyPartial ? root : movedName}\``;
    const related: { range: Span; message: string }[] = [];
    let primaryLabelInLoop = false;
    for (const m of mo) {
      const sameSite = m.loc === loc || spanEq(m.span, span);
      const later = cmpPos(m.span.start, span.start) > 0;
      const inLoop = sameSite || later;
      if (sameSite) primaryLabelInLoop = true;
      const n = m.note;
      if (n?.kind === 'method') {
        related.push({
          range: n.callSpan,
          message: `\`${root}\` moved due to this method call${inLoop ? ', in previous iteration of loop' : ''}`,
        });
        related.push({ range: n.callSpan, message: `\`${n.fnPath}\` takes ownership of the receiver \`self\`, which moves \`${root}\`` });
      } else if (n?.kind === 'closure') {
        related.push({ range: n.closureSpan, message: `value moved into closure here${inLoop ? ', in previous iteration of loop' : ''}` });
        related.push({ range: n.useSpan, message: 'variable moved due to use in closure' });
      } else if (n?.kind === 'call') {
        related.push({ range: n.span, message: `\`${root}\` moved due to this call${inLoop ? ', in previous iteration of loop' : ''}` });
        related.push({
          range: n.span,
          message: `closure cannot be invoked more than once because it moves the variable \`${n.captured}\` out of its environment`,
        });
      } else if (n?.kind === 'intoIter') {
        related.push({
          range: n.span,
          message: `\`${root}\` moved due to this implicit call to \`.into_iter()\`${inLoop ? ', in previous iteration of loop' : ''}`,
        });
      } else if (!sameSite) {
        related.push({
          range: m.span,
          message: `value ${anyPartial ? 'partially ' : ''}moved here${inLoop ? ', in previous iteration of loop' : ''}`,
        });
      }
    }
    const movedPath = mo[0] ? this.paths[mo[0].path] : undefined;
    if (!anyPartial && movedPath && movedPath.projection.length > 0) {
      const mp: Place = { local: movedPath.local, projection: movedPath.projection };
      const fty = lastFieldTy(movedPath.projection) ?? ty;
      related.push({
        range: mo[0].span,
        message: `move occurs because \`${this.describe(mp)}\` has type \`${displayTy(fty)}\`, which does not implement the \`Copy\` trait`,
      });
    } else if (anyPartial && movedPath) {
      const mp: Place = { local: movedPath.local, projection: movedPath.projection };
      const fty = lastFieldTy(movedPath.projection) ?? ty;
      related.push({
        range: this.body.locals[place.local].span,
        message: `partial move occurs because \`${this.describe(mp)}\` has type \`${displayTy(fty)}\`, which does not implement the \`Copy\` trait`,
      });
    } else {
      related.push({
        range: this.body.locals[place.local].span,
        message: `move occurs because \`${root}\` has type \`${displayTy(ty)}\`, which does not implement the \`Copy\` trait`,
      });
    }
    if (mo.some((m) => m.loc === loc || spanEq(m.span, span) || cmpPos(m.span.start, span.start) > 0)) {
      const loop = innermostLoop(this.body.loops ?? [], mo[0].span);
      if (loop) related.push({ range: loop, message: 'inside of this loop' });
    }
    const primary = primaryLabelInLoop
      ? 'value moved here, in previous iteration of loop'
      : kind === 'borrow'
        ? `value borrowed here after ${anyPartial ? 'partial ' : ''}move`
        : `value used here after ${anyPartial ? 'partial ' : ''}move`;
    related.unshift({ range: span, message: primary });
    this.diags.push({ range: span, severity: 'error', code: 'E0382', message, related });
  }

  private isAncestorOrSelf(a: number, b: number): boolean {
    return a === b || this.ancestors(b).includes(a);
  }

  private reportUninit(place: Place, span: Span, maybe: boolean): void {
    const key = `uninit|${place.local}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const name = this.name(place.local);
    const state = maybe ? 'is possibly-uninitialized' : "isn't initialized";
    const related = [
      { range: span, message: `\`${name}\` used here but it ${state}` },
      { range: this.body.locals[place.local].span, message: 'binding declared here but left uninitialized' },
    ];
    if (maybe) related.push(...this.uninitBranches(place.local, span));
    this.diags.push({ range: span, severity: 'error', code: 'E0381', message: `used binding \`${name}\` ${state}`, related });
  }

  /**
   * The `if` conditions and `for` loops whose skipping path leaves `local` uninitialised: the
   * branch is tagged in MIR, the local is definitely uninitialised before it, and it is assigned
   * inside the branch's body (rustc's "if this `if` condition is `false`" labels).
   */
  private uninitBranches(local: number, use: Span): { range: Span; message: string }[] {
    const out: { range: Span; message: string }[] = [];
    const name = this.name(local);
    const assignedIn = (body: Span): boolean =>
      this.body.blocks.some((bb) =>
        bb.statements.some(
          (s) =>
            s.kind === 'assign' &&
            s.place.local === local &&
            s.place.projection.length === 0 &&
            cmpPos(body.start, s.span.start) <= 0 &&
            cmpPos(s.span.end, body.end) <= 0,
        ),
      );
    this.body.blocks.forEach((bb, bi) => {
      const t = bb.terminator;
      if (t.kind !== 'switchInt' || !t.source || cmpPos(t.source.span.start, use.start) >= 0) return;
      const st = this.stateAt(this.lastStates ?? [], bi, bb.statements.length, local);
      if (!st || st.init === 'yes' || !assignedIn(t.source.body)) return;
      out.push({
        range: t.source.span,
        message:
          t.source.kind === 'if'
            ? `if this \`if\` condition is \`false\`, \`${name}\` is not initialized`
            : `if the \`for\` loop runs 0 times, \`${name}\` is not initialized`,
      });
    });
    return out;
  }

  /** E0382 (assign to part of a moved value), E0384 and E0594 at a write of `place`. */
  private checkAssign(st: State, place: Place, span: Span): void {
    if (!this.isUserLocal(place.local)) return;
    const decl = this.body.locals[place.local];
    if (place.projection.length === 0) {
      if ((!decl.mutable && decl.kind === 'user') || (!decl.mutable && decl.kind === 'arg' && !this.isClosure)) {
        const p = this.pathFor(place);
        if (st.everInit.has(p)) {
          const key = `E0384|${span.start.line}:${span.start.character}`;
          if (this.reported.has(key)) return;
          this.reported.add(key);
          const first = decl.kind === 'arg' ? decl.span : (this.firstInit.get(place.local) ?? decl.span);
          this.diags.push({
            range: span,
            severity: 'error',
            code: 'E0384',
            message:
              decl.kind === 'arg'
                ? `cannot assign to immutable argument \`${decl.name}\``
                : `cannot assign twice to immutable variable \`${decl.name}\``,
            related: [
              {
                range: span,
                message: decl.kind === 'arg' ? 'cannot assign to immutable argument' : 'cannot assign twice to immutable variable',
              },
              {
                range: decl.kind === 'arg' ? decl.span : sameLine(first, decl.span) ? decl.span : first,
                message: `first assignment to \`${decl.name}\``,
              },
              { range: decl.span, message: `consider making this binding mutable: \`mut ${decl.name}\`` },
            ],
          });
        }
      }
      return;
    }
    // assignment to a part of a moved value
    const p = this.pathFor(place);
    const anc = this.ancestors(p);
    const movedAnc = anc.filter((x) => st.uninit.has(x) && this.movesOf(st, x).length > 0);
    if (movedAnc.length && this.isMovable(place)) {
      const key = `assignpart|${place.local}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        const moves = movedAnc.flatMap((x) => this.movesOf(st, x)).map((m) => this.moveOuts[m]);
        this.diags.push({
          range: span,
          severity: 'error',
          code: 'E0382',
          message: `assign to part of moved value: \`${decl.name}\``,
          related: [
            { range: span, message: 'value partially assigned here after move' },
            ...moves.map((m) => ({ range: m.span, message: 'value moved here' })),
            {
              range: decl.span,
              message: `move occurs because \`${decl.name}\` has type \`${displayTy(decl.ty)}\`, which does not implement the \`Copy\` trait`,
            },
          ],
        });
      }
      return;
    }
    this.checkMutability(place, span, 'assign');
  }

  private checkMutBorrow(place: Place, span: Span): void {
    if (!this.isUserLocal(place.local)) return;
    this.checkMutability(place, span, 'borrow');
  }

  /**
   * E0596/E0594: the place must be reachable mutably: an owned path from a `mut` binding, or
   * through `&mut`/`Box` derefs. Requires every type on the way to be known.
   */
  private checkMutability(place: Place, span: Span, what: 'borrow' | 'assign'): void {
    if (this.isClosure && this.body.locals[place.local].kind === 'arg') return;
    const decl = this.body.locals[place.local];
    let ty: Ty = decl.ty;
    if (isUnknown(ty)) return;
    // Walk the projection: the last deref decides (a `&` deref is immutable, `&mut` mutable).
    let lastDerefOf: Ty | undefined;
    for (let i = 0; i < place.projection.length; i++) {
      const e = place.projection[i];
      if (e.kind === 'deref') {
        if (ty.kind === 'ref' || ty.kind === 'rawptr') {
          lastDerefOf = ty;
          ty = ty.inner;
        } else if (ty.kind === 'adt' && ty.std && ty.name === 'Box') {
          ty = ty.args[0];
        } else return; // Rc/Arc/unknown deref: not modelled
      } else if (e.kind === 'field') ty = e.ty;
      else if (e.kind === 'downcast') continue;
      else return; // index: via IndexMut, not modelled here
      if (!ty || isUnknown(ty)) return;
    }
    const desc = this.describe(place);
    if (lastDerefOf) {
      if (lastDerefOf.kind === 'ref' && lastDerefOf.mutable) return;
      if (lastDerefOf.kind === 'rawptr') return;
      this.pushMutError(
        what,
        span,
        what === 'borrow'
          ? `cannot borrow \`${desc}\` as mutable, as it is behind a \`&\` reference`
          : `cannot assign to \`${desc}\`, which is behind a \`&\` reference`,
        what === 'borrow'
          ? `\`${desc}\` is a \`&\` reference, so the data it refers to cannot be borrowed as mutable`
          : `\`${desc}\` is a \`&\` reference, so the data it refers to cannot be written`,
      );
      return;
    }
    if (decl.mutable) return;
    const message =
      what === 'borrow'
        ? `cannot borrow \`${desc}\` as mutable, as it is not declared as mutable`
        : `cannot assign to \`${desc}\`, as \`${decl.name}\` is not declared as mutable`;
    this.pushMutError(what, span, message, what === 'borrow' ? 'cannot borrow as mutable' : 'cannot assign', decl.span, decl.name ?? '');
  }

  private pushMutError(what: 'borrow' | 'assign', span: Span, message: string, label: string, declSpan?: Span, name?: string): void {
    const code = what === 'borrow' ? 'E0596' : 'E0594';
    const key = `${code}|${span.start.line}:${span.start.character}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const related = [{ range: span, message: label }];
    if (declSpan && name) related.push({ range: declSpan, message: `consider changing this to be mutable: \`mut ${name}\`` });
    this.diags.push({ range: span, severity: 'error', code, message, related });
  }
}

// --- helpers

function cloneState(s: State): State {
  return { uninit: s.uninit.clone(), init: s.init.clone(), everInit: s.everInit.clone(), moves: s.moves.clone() };
}

function lastFieldTy(proj: ProjectionElem[]): Ty | undefined {
  for (let i = proj.length - 1; i >= 0; i--) {
    const e = proj[i];
    if (e.kind === 'field') return e.ty;
  }
  return undefined;
}

/** The innermost loop (by its head span) whose body contains `s`. */
function innermostLoop(loops: { head: Span; body: Span }[], s: Span): Span | undefined {
  let best: { head: Span; body: Span } | undefined;
  for (const l of loops) {
    if (cmpPos(l.body.start, s.start) <= 0 && cmpPos(s.end, l.body.end) <= 0) {
      if (!best || cmpPos(l.body.start, best.body.start) >= 0) best = l;
    }
  }
  return best?.head;
}

function sameLine(a: Span, b: Span): boolean {
  return a.start.line === b.start.line;
}
