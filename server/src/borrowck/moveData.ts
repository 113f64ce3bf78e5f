/**
 * Move paths and move-outs (rustc_mir_dataflow::move_paths): the tree of places that can be
 * moved from and (re)initialised — a user binding and its chains of field / downcast
 * projections, stopping at derefs and indices — and every move out of one of them, with where it
 * happened and where the value went.
 *
 * Only user bindings and arguments are tracked: temporaries are never reported on.
 */
import type { Span } from '../base/span';
import type { Body, MoveNote, Operand, Place, ProjectionElem } from '../mir/mir';
import { rvalueOperands, type Location } from '../mir/visit';
import { derefKindAt, localName, prefixTys } from './places';

/** A move path: a local and a chain of field/downcast projections (rustc `MovePath`). */
export interface MovePath {
  local: number;
  projection: ProjectionElem[];
  parent: number | null;
  children: number[];
}

/** A move out of a path (rustc `MoveOut`). */
export interface MoveOut {
  path: number;
  span: Span;
  note?: MoveNote;
  loc: Location;
  /** Where the value went, in words: `` `y` ``, `` `takes(..)` ``, `` `.into_bytes()` ``, `a closure`. */
  dest: string;
  /** The operand that moves (one statement may move several: `(t, t)`). */
  operand: Operand;
}

export const locKey = (l: Location): string => `${l.block}:${l.index}`;

export class MoveData {
  readonly paths: MovePath[] = [];
  readonly moveOuts: MoveOut[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly moveOutAt = new Map<string, number[]>();

  constructor(readonly body: Body) {
    for (let l = 0; l < body.locals.length; l++) if (this.tracked(l)) this.pathFor({ local: l, projection: [] });
    this.collectMoveOuts();
  }

  /** Whether a local is tracked: user bindings and arguments with a name. */
  tracked(local: number): boolean {
    const d = this.body.locals[local];
    return !!d && !!d.name && (d.kind === 'user' || d.kind === 'arg');
  }

  /**
   * Whether a place can be moved from: no deref or index in it. Elements of an array destructured
   * by a pattern (`let [a, b] = arr`: constant indices and subslices of a known-length array) can,
   * as in rustc's move paths.
   */
  isMovable(p: Place): boolean {
    if (p.projection.every((e) => e.kind === 'field' || e.kind === 'downcast' || isArrayPatternElem(e))) return true;
    // A `Box`'s contents can be moved out of too (`let s = *b;`).
    if (!p.projection.some((e) => e.kind === 'deref')) return false;
    const tys = prefixTys(this.body, p);
    return p.projection.every(
      (e, i) =>
        e.kind === 'field' || e.kind === 'downcast' || isArrayPatternElem(e) || (e.kind === 'deref' && derefKindAt(tys, i) === 'box'),
    );
  }

  /**
   * The move path of the longest movable prefix of `p` (stops at deref, index and subslice: an
   * array's subslice has no path of its own, its elements do, see `subsliceElems`); -1 for
   * untracked locals.
   */
  pathFor(p: Place): number {
    return this.prefixPath(p).path;
  }

  /** Whether `p` is exactly a move path (rustc `rev_lookup.find` is `Exact`), not below one through a deref or an index. */
  isExactPath(p: Place): boolean {
    const { path, len } = this.prefixPath(p);
    return path >= 0 && len === p.projection.length;
  }

  /** `pathFor` and how many projection elements of `p` it covers. */
  private prefixPath(p: Place): { path: number; len: number } {
    if (!this.tracked(p.local)) return { path: -1, len: 0 };
    let cur = this.ensure(p.local, []);
    const proj: ProjectionElem[] = [];
    const tys = p.projection.some((e) => e.kind === 'deref') ? prefixTys(this.body, p) : [];
    for (let i = 0; i < p.projection.length; i++) {
      const e = p.projection[i];
      if (!(
        e.kind === 'field' ||
        e.kind === 'downcast' ||
        (e.kind === 'constantIndex' && isArrayPatternElem(e)) ||
        (e.kind === 'deref' && derefKindAt(tys, i) === 'box')
      ))
        break;
      proj.push(e);
      cur = this.ensure(p.local, proj.slice(), cur);
    }
    return { path: cur, len: proj.length };
  }

  /**
   * A subslice of an array bound by a pattern (`rest @ ..` on `[T; N]`: `a[from..to]`) as rustc's
   * move paths see it: no path of its own, one `ConstantIndex` path per element below the
   * array's path (rustc_mir_dataflow `move_paths/builder.rs` splits a move of a `Subslice` into
   * its elements, and `check_if_subslice_element_is_moved` checks a use of one against them).
   * Shape: `base`, the array's path; `elems`, the element paths `from..to` (at most 64; with
   * `existing`, only those already made: a read after the dataflow ran must not add paths). Null
   * for any other place.
   */
  subsliceElems(p: Place, existing = false): { base: number; elems: number[] } | null {
    const { path, len } = this.prefixPath(p);
    const e = p.projection[len];
    if (path < 0 || len !== p.projection.length - 1 || e?.kind !== 'subslice' || e.fromEnd || e.to - e.from > 64) return null;
    const prefix = p.projection.slice(0, len);
    const arr = prefixTys(this.body, { local: p.local, projection: prefix })[len];
    const minLength = arr?.kind === 'array' && arr.len !== null ? arr.len : e.to;
    const elems: number[] = [];
    for (let k = e.from; k < e.to; k++) {
      const proj: ProjectionElem[] = [...prefix, { kind: 'constantIndex', offset: k, minLength }];
      const id = existing ? this.byKey.get(pathKey(p.local, proj)) : this.ensure(p.local, proj, path);
      if (id !== undefined) elems.push(id);
    }
    return { base: path, elems };
  }

  /** The paths a move out of `p` de-initialises: the elements of a subslice, else `pathFor(p)` (none for untracked locals). */
  movedPaths(p: Place): number[] {
    const split = this.subsliceElems(p);
    if (split) return split.elems;
    const path = this.pathFor(p);
    return path < 0 ? [] : [path];
  }

  private ensure(local: number, projection: ProjectionElem[], parent: number | null = null): number {
    const key = pathKey(local, projection);
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const id = this.paths.length;
    this.paths.push({ local, projection, parent, children: [] });
    this.byKey.set(key, id);
    if (parent !== null) this.paths[parent].children.push(id);
    return id;
  }

  /** This path and all its descendants. */
  subtree(p: number): number[] {
    const out = [p];
    for (let i = 0; i < out.length; i++) out.push(...this.paths[out[i]].children);
    return out;
  }

  ancestors(p: number): number[] {
    const out: number[] = [];
    let cur = this.paths[p].parent;
    while (cur !== null) {
      out.push(cur);
      cur = this.paths[cur].parent;
    }
    return out;
  }

  isAncestorOrSelf(a: number, b: number): boolean {
    return a === b || this.ancestors(b).includes(a);
  }

  /** Move-outs recorded at a location (statement or terminator). */
  movesAt(loc: Location): readonly number[] {
    return this.moveOutAt.get(locKey(loc)) ?? [];
  }

  /** The move path as rustc names it in messages: `x`, `x.name`, `(*r).f` (downcasts omitted). */
  describePath(path: number): string {
    const mp = this.paths[path];
    return describeMovePlace(this.body, { local: mp.local, projection: mp.projection });
  }

  private collectMoveOuts(): void {
    this.body.blocks.forEach((bb, block) => {
      const record = (o: Operand & { kind: 'move' }, path: number, index: number, span: Span, dest: string): void => {
        const loc = { block, index };
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
        this.moveOuts.push({ path, span: o.span ?? span, note: o.note, loc, dest: d, operand: o });
        const key = locKey(loc);
        const list = this.moveOutAt.get(key) ?? [];
        list.push(id);
        this.moveOutAt.set(key, list);
      };
      const visitOp = (o: Operand, index: number, span: Span, dest: string): void => {
        if (o.kind !== 'move' || !this.isMovable(o.place)) return;
        for (const path of this.movedPaths(o.place)) record(o, path, index, span, dest);
      };
      bb.statements.forEach((s, i) => {
        if (s.kind !== 'assign') return;
        for (const o of rvalueOperands(s.rvalue)) visitOp(o, i, s.span, this.destName(s.place));
        this.pathFor(s.place);
      });
      const t = bb.terminator;
      if (t.kind === 'call') {
        const callee =
          t.func.kind === 'fn'
            ? t.func.name
            : t.func.kind === 'std'
              ? t.func.path.replace(/!$/, '')
              : t.func.kind === 'local'
                ? localName(this.body, t.func.local)
                : 'a call';
        for (const o of t.args) visitOp(o, bb.statements.length, t.span, `\`${callee}(..)\``);
        this.pathFor(t.dest);
      }
      if (t.kind === 'switchInt') visitOp(t.discr, bb.statements.length, t.span, 'a test');
    });
  }

  /** Names the destination of a move: a user local (`y`), or for temporaries, what they feed. */
  private destName(p: Place): string {
    return this.body.locals[p.local]?.name ? `\`${describeMovePlace(this.body, p)}\`` : 'a temporary';
  }
}

/** The key of a move path: its local and projections (`3.0[2]`); indices and derefs print no number. */
function pathKey(local: number, projection: ProjectionElem[]): string {
  return `${local}${projection
    .map((e) =>
      e.kind === 'field'
        ? `.${e.index}`
        : e.kind === 'downcast'
          ? `@${e.index}`
          : e.kind === 'deref'
            ? '*'
            : e.kind === 'constantIndex'
              ? `[${e.offset}]`
              : e.kind === 'subslice'
                ? `[${e.from}..${e.to}]`
                : '',
    )
    .join('')}`;
}

/**
 * An element of an array pattern (`[a, b, rest @ ..]` on `[T; N]`): the builder writes those with
 * the array's length, from the start (`minLength`, no `fromEnd`).
 */
function isArrayPatternElem(e: ProjectionElem): boolean {
  return (e.kind === 'constantIndex' && e.minLength !== undefined && !e.fromEnd) || (e.kind === 'subslice' && !e.fromEnd);
}

/**
 * A place as rustc's diagnostics describe it (`describe_place`): derefs before a field or an
 * index are auto-derefs and print nothing (`(*self).ticks` is `self.ticks`), the trailing ones
 * print `*` (`*list`, `**r`); an index prints `_` (`v[_]`: rustc indexes by a temporary), a
 * constant index or subslice `[..]`; downcasts print nothing.
 */
export function describeMovePlace(body: Body, p: Place): string {
  let s = localName(body, p.local);
  let last = -1;
  p.projection.forEach((e, i) => {
    if (e.kind !== 'deref' && e.kind !== 'downcast') last = i;
  });
  p.projection.forEach((e, i) => {
    if (e.kind === 'deref') {
      if (i > last) s = `*${s}`;
    } else if (e.kind === 'field') s = `${s}.${e.name}`;
    else if (e.kind === 'index')
      s = `${s}[_]`; // rustc indexes by a temporary copy of the index
    else if (e.kind === 'constantIndex' || e.kind === 'subslice') s = `${s}[..]`;
  });
  return s;
}
