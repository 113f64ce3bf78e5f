/**
 * Hover on a binding: its type, where its own bytes live (a slot in a function's frame, or
 * static memory), its layout, what it points to, and its ownership state at that point.
 *
 * The state comes from borrowck's move dataflow at the MIR location of the hovered occurrence
 * (so it holds on every path, not just the one the simulation took): at a `let`, just after the
 * initialisation; at a use, just before it; on the left of an assignment, just before it.
 * Concrete lengths and capacities come from the simulation when it reached the point.
 */
import { simulation, type Analysis } from '../engine/engine';
import type { Position, Range } from '../../../shared/protocol';
import { valueStateAt } from './snapshot';
import { lessonAt } from './teach';
import type { Expr, FnDef, LocalDecl, Span, Block } from '../hir/hir';
import { displayTy, isUnknown, type Ty } from '../hir/ty';
import { forEachChild, peelRefs } from '../hir/infer';
import { spanContains as contains, spansOverlap as overlaps } from '../base/span';
import { closureCapturesOf, layoutOf, layoutOfPointee } from '../layout/layout';
import { needsDrop } from '../std/facts';
import { heapShape, isHeapOwner } from '../std/registry';
import type { BodyBorrowck, LocalState } from '../borrowck';
import { bodyTooLargeReason, forEachLocation, rvaluePlace, statementOperands, terminatorOperands, type Location } from '../mir/visit';
import type { Body, Terminator } from '../mir/mir';

/** What a hover on a binding says; the markdown is what editors show. */
export interface HoverInfo {
  /** The identifier hovered (0-based, UTF-16). */
  range: Range;
  name: string;
  /** Type as Rust writes it, `?` when unknown. */
  type: string;
  /** Size and alignment of the binding's own bytes, null when unknown. */
  size: number | null;
  align: number | null;
  /** Where the binding's own bytes live. */
  location: 'stack' | 'static';
  /** The function whose frame holds it (absent for statics). */
  function?: string;
  /** Ownership state at the hovered point, in words: "owned", "moved to `y` at 3:13", ... */
  state: string;
  /** For pointers (references, Box, String, Vec, Rc, &str): where the pointee lives. */
  target?: 'heap' | 'static' | 'stack';
  /**
   * Bytes of the pointee, what `size_of_val(&*p)` says, when known: `&T`, `Box<T>`, `Rc<T>`: the
   * `T` (an element for `&v[0]`, the concrete type behind a `dyn Trait`); `&[T]`, `&str`,
   * `Box<[T]>`, `Rc<str>`: len × element size; String/Vec: the len × element size in use.
   */
  targetSize?: number | null;
  /**
   * Bytes of the heap block the pointee lives in, when it differs from `targetSize` or is
   * asked for: String/Vec: capacity × element size; Rc/Arc: the strong and weak counts and the
   * value (std's `RcInner`). Null when not known.
   */
  blockSize?: number | null;
  /** String/Vec length and capacity (elements; bytes for String) when the simulation knows them. */
  len?: number | null;
  capacity?: number | null;
  /** What the engine does not know about this binding, in words. */
  unknowns: string[];
  /** Plain markdown for the editor. */
  markdown: string;
}

/** Facts about a binding's value from the simulation (see `interp`), when it reached the point. */
export interface SimulatedValue {
  len?: number | null;
  capacity?: number | null;
  targetSize?: number | null;
  blockSize?: number | null;
  target?: 'heap' | 'static' | 'stack';
  /** Why the simulation has no value here (it stopped before this point, or never gets here); the rest is absent then. */
  unreached?: string;
  /** The value as text (`42`, `"wilspi"`). */
  text?: string;
}

/** The simulation's view of a binding at a position, when it reached the point. */
type ValueOracle = (fnName: string, local: LocalDecl, pos: Position) => SimulatedValue | undefined;

/**
 * Asks the analysis's simulation (run on first use) for the value of `local` at `at`. A
 * simulation that fails or is abandoned (`SimulationCancelled`) leaves the values unknown.
 */
function simulatedValues(a: Analysis): ValueOracle {
  return (_fn, local, at) => {
    try {
      let unreached: string | undefined;
      const v = valueStateAt(simulation(a), at, { declRange: local.span }, 1, { unreached: (why) => (unreached = why) });
      if (!v) return unreached ? { unreached } : undefined;
      return { len: v.len, capacity: v.capacity, targetSize: v.targetBytes, blockSize: v.blockBytes, target: v.targetRegion, text: v.text };
    } catch {
      return undefined;
    }
  };
}

/**
 * The hover for the identifier at `pos` (0-based line, UTF-16 column), or null if it names no
 * binding. `simulate: false`: without the simulation's values (lengths, capacities), for when
 * running it now would take too long (the language server's worker decides).
 */
export function hoverAt(a: Analysis, pos: Position, opts: { simulate?: boolean } = {}): HoverInfo | null {
  try {
    return hoverQuery(a, pos, opts.simulate === false ? undefined : simulatedValues(a));
  } catch {
    return null;
  }
}

function hoverQuery(cx: Analysis, pos: Position, values?: ValueOracle): HoverInfo | null {
  const node = cx.tree.rootNode.descendantForPosition({ row: pos.line, column: pos.character });
  const fn = innermostFn(cx.file.fns, pos);
  if (fn) {
    const found = findLocal(fn, pos);
    if (found) return localHover(cx, fn, found.local, found.span, found.isDecl, pos, values);
  }
  if (node && node.type === 'identifier') {
    const st = cx.file.statics.get(node.text) ?? cx.file.consts.get(node.text);
    if (st) return staticHover(cx, st.name, st.ty, cx.file.statics.has(node.text), rangeOf(node));
  }
  return null;
}

// --- finding the binding

export function innermostFn(fns: FnDef[], pos: Position): FnDef | undefined {
  let best: FnDef | undefined;
  for (const f of fns) {
    if (!f.body || !contains(f.span, pos)) continue;
    if (!best || contains(best.span, f.span.start)) best = f;
  }
  return best;
}

/** The local declared or used at `pos` in `fn`. */
export function findLocal(fn: FnDef, pos: Position): { local: LocalDecl; span: Span; isDecl: boolean } | undefined {
  for (const l of fn.locals) if (l.id !== 0 && contains(l.span, pos)) return { local: l, span: l.span, isDecl: true };
  let hit: { local: LocalDecl; span: Span } | undefined;
  const visit = (e: Expr, depth: number): void => {
    if (hit || depth > 500) return;
    if (e.kind === 'path' && e.res.kind === 'local' && contains(e.span, pos)) {
      hit = { local: fn.locals[e.res.local], span: e.span };
      return;
    }
    forEachChild(e, (c) => visit(c, depth + 1));
  };
  const block = (b: Block): void => visit({ kind: 'block', block: b, id: -1, span: b.span, ty: { kind: 'unknown' } } as Expr, 0);
  if (fn.body) block(fn.body);
  return hit ? { ...hit, isDecl: false } : undefined;
}

// --- hover for locals

function localHover(
  cx: Analysis,
  fn: FnDef,
  local: LocalDecl,
  span: Span,
  isDecl: boolean,
  pos: Position,
  values?: ValueOracle,
): HoverInfo {
  const ty = local.ty;
  const layout = isUnknown(ty) ? null : layoutOf(ty, cx.file.adts, closureCapturesOf(cx.mir.bodies));
  const body = bodyFor(cx, fn, local);
  const mirLocal = body ? body.locals.findIndex((l) => l.hirLocal === local.id && (l.kind === 'user' || l.kind === 'arg')) : -1;
  const unknowns: string[] = [];
  if (isUnknown(ty) || ty.kind === 'unknown') unknowns.push(ty.kind === 'unknown' && ty.reason ? `type: ${ty.reason}` : 'its type');
  let state = 'owned';
  let stateDetail: string | undefined;
  const bc = body ? cx.borrowcks.get(body.name) : undefined;
  if (body && bc && mirLocal >= 0) {
    const ls = stateAtPosition(bc, body, mirLocal, span, isDecl);
    if (ls) ({ state, detail: stateDetail } = describeState(ls, local));
    if (state === 'owned') {
      const by = borrowsAt(bc, body, mirLocal, span, isDecl);
      if (by.length) state = `owned, borrowed by ${by.join('; ')}`;
    }
  } else {
    const tooLarge = body && bodyTooLargeReason(body);
    unknowns.push(`its ownership state (${tooLarge ?? 'this code is not analysed'})`);
  }
  const fnName = local.closure !== undefined && body ? body.name : fn.qualName;
  const sim = values?.(fn.qualName, local, pos);
  const pointer = pointerInfo(cx, ty, sim);
  if (pointer.target && (pointer.targetSize === undefined || pointer.targetSize === null)) unknowns.push('the size of what it points to');
  if (sim?.unreached) unknowns.push(`its value here (${sim.unreached})`);
  const info: HoverInfo = {
    range: span,
    name: local.name,
    type: displayTy(ty),
    size: layout?.size ?? null,
    align: layout?.align ?? null,
    location: 'stack',
    function: fnName,
    state,
    ...(pointer.target ? { target: pointer.target, targetSize: pointer.targetSize ?? null } : {}),
    ...(pointer.blockSize !== undefined ? { blockSize: pointer.blockSize } : {}),
    ...(sim?.len !== undefined ? { len: sim.len } : {}),
    ...(sim?.capacity !== undefined ? { capacity: sim.capacity } : {}),
    unknowns,
    markdown: '',
  };
  // --- lessons (ide/teach.ts): what happens to the value here
  const lesson = lessonAt(cx, fn, local, span, isDecl, body, mirLocal);
  const drop = lesson.movedHere ? undefined : dropNote(cx, body, mirLocal, ty, state);
  info.markdown = markdownFor(info, ty, stateDetail, drop, sim?.text) + lesson.lines.map((l) => `\n- ${l}`).join('');
  return info;
}

export function bodyFor(cx: Analysis, fn: FnDef, local: LocalDecl): Body | undefined {
  if (local.closure !== undefined) {
    for (const b of cx.mir.bodies.values()) {
      if (b.closureId === undefined || !contains(b.span, local.span.start)) continue;
      if (b.locals.some((l) => l.hirLocal === local.id)) return b;
    }
  }
  return cx.mir.bodies.get(fn.qualName);
}

/**
 * The MIR location of the hovered occurrence of `local` (one walk: `mir/visit.ts`): for a
 * declaration, just after the statement that initialises it; for a use, the statement or
 * terminator that reads it there. Undefined when the occurrence is not in the MIR.
 */
export function locationOf(body: Body, local: number, span: Span, isDecl: boolean): Location | 'entry' | undefined {
  let found: Location | undefined;
  forEachLocation(body, (x, loc) => {
    if (found) return;
    if (isDecl) {
      if (x.kind === 'assign' && x.place.local === local && x.place.projection.length === 0)
        found = { block: loc.block, index: loc.index + 1 };
      return;
    }
    const ops = x.kind === 'assign' ? statementOperands(x) : terminatorOperands(x as Terminator);
    const direct = x.kind === 'assign' ? rvaluePlace(x.rvalue) : undefined;
    const hit =
      ops.some((o) => o.kind !== 'constant' && o.place.local === local && !!o.span && overlaps(o.span, span)) ||
      (direct !== undefined && direct.local === local && overlaps(x.span, span)) ||
      (x.kind === 'assign' && x.place.local === local && overlaps(x.span, span));
    if (hit) found = loc;
  });
  if (found) return found;
  // Arguments and pattern bindings without their own assignment: their state at entry.
  return isDecl ? 'entry' : undefined;
}

/** The move dataflow's state of `local` at the hovered occurrence. */
function stateAtPosition(bc: BodyBorrowck, body: Body, local: number, span: Span, isDecl: boolean): LocalState | undefined {
  const loc = locationOf(body, local, span, isDecl);
  if (loc === 'entry') return { init: 'yes', moves: [], partial: [], everInit: true };
  return loc ? bc.stateAt(loc.block, loc.index, local) : undefined;
}

/**
 * The borrows of `local` in scope at the hovered occurrence, from the borrow checker's own
 * loans: "borrowed by `first` (shared) until 5:16".
 */
function borrowsAt(bc: BodyBorrowck, body: Body, local: number, span: Span, isDecl: boolean): string[] {
  const loc = locationOf(body, local, span, isDecl);
  if (!loc || loc === 'entry') return [];
  const out: string[] = [];
  for (const info of bc.loansOfLocalAt(local, loc)) {
    const who = info.holders.length ? info.holders.map((h) => `\`${h}\``).join(', ') : 'a temporary';
    const kind = info.loan.kind === 'shared' ? 'shared' : 'mutable';
    out.push(`${who} (${kind})${info.lastUse ? ` until ${lc(info.lastUse)}` : ''}`);
  }
  return [...new Set(out)];
}

function lc(s: Span): string {
  return `${s.start.line + 1}:${s.start.character + 1}`;
}

function describeState(ls: LocalState, local: LocalDecl): { state: string; detail?: string } {
  if (ls.moves.length) {
    const where = ls.moves.map((m) => `${m.dest === 'a temporary' ? 'away' : `to ${m.dest}`} at ${lc(m.span)}`);
    const maybe = ls.init === 'maybe' ? 'maybe moved' : 'moved';
    return {
      state: `${maybe} ${where.join(', or ')}`,
      detail: `the value no longer belongs to \`${local.name}\`: using it now is error E0382`,
    };
  }
  if (ls.init === 'no')
    return { state: ls.everInit ? 'dropped' : 'not initialized yet', detail: ls.everInit ? undefined : 'reading it now is error E0381' };
  if (ls.init === 'maybe') return { state: 'maybe uninitialized', detail: 'it is not assigned on every path to here' };
  if (ls.partial.length) {
    const parts = ls.partial.map((p) => `\`${p.path}\` moved ${p.dest === 'a temporary' ? '' : `to ${p.dest} `}at ${lc(p.span)}`);
    return { state: `partially moved (${parts.join(', ')})`, detail: 'its other fields can still be used' };
  }
  return { state: 'owned' };
}

/**
 * Where the pointee of a pointer-like value lives and its bytes (`HoverInfo.targetSize`,
 * `blockSize`). The region comes from the simulation only (a reference may point to the
 * stack, static memory or the heap); the bytes from the type where it says them (`&T` with
 * `T: Sized`: `size_of::<T>()`, so `&v[0]` points to one element), else from the simulation
 * (the len of a slice, the concrete type behind a `dyn Trait`). Unknown bytes are null.
 */
function pointerInfo(
  cx: Analysis,
  ty: Ty,
  sim?: SimulatedValue,
): { target?: 'heap' | 'static' | 'stack'; targetSize?: number | null; blockSize?: number | null } {
  const closures = closureCapturesOf(cx.mir.bodies);
  const sized = (t: Ty): number | undefined => (isUnknown(t) ? undefined : (layoutOf(t, cx.file.adts, closures)?.size ?? undefined));
  /** `size_of_val` of a pointee of type `t`: sized from its layout; `[T]`/`str` from the len; else the simulation's. */
  const pointee = (t: Ty): number | null => {
    const own = sized(t);
    if (own !== undefined) return own;
    if (t.kind === 'slice' || t.kind === 'str') {
      const es = t.kind === 'str' ? 1 : sized(t.elem);
      const len = sim?.len;
      return typeof len === 'number' && es !== undefined ? len * es : (sim?.targetSize ?? null);
    }
    return sim?.targetSize ?? null;
  };
  if (ty.kind === 'ref' || ty.kind === 'rawptr') {
    if (!sim?.target) return {};
    return { target: sim.target, targetSize: pointee(ty.inner) };
  }
  // Types that own a heap block (the std registry's heap owners); weak handles only point at one.
  if (ty.kind === 'adt' && ty.std && isHeapOwner(ty.name) && heapShape(ty.name)?.kind !== 'weak') {
    const shape = heapShape(ty.name);
    const target = sim?.target ?? 'heap';
    if (shape?.kind === 'buffer') {
      // String/Vec: len × element size in use, capacity × element size allocated.
      const p = layoutOfPointee(ty, cx.file.adts);
      const es = p?.kind === 'elements' ? p.elemLayout.size : undefined;
      const inUse = sim ? (sim.targetSize ?? (typeof sim.len === 'number' && es !== undefined ? sim.len * es : null)) : null;
      const block = sim ? (sim.blockSize ?? (typeof sim.capacity === 'number' && es !== undefined ? sim.capacity * es : null)) : null;
      return { target, targetSize: inUse, blockSize: block };
    }
    if (shape?.kind === 'box' || shape?.kind === 'counted') {
      const inner = ty.args[0];
      const own = inner ? sized(inner) : undefined;
      const value = own !== undefined ? own : (sim?.targetSize ?? null);
      if (shape.kind === 'box') return { target, targetSize: value };
      const unit = layoutOfPointee(ty, cx.file.adts);
      const block = sim?.blockSize ?? (unit?.kind === 'single' ? unit.layout.size : null);
      return { target, targetSize: value, blockSize: block };
    }
    return { target, targetSize: sim?.targetSize ?? null };
  }
  // A reference: without the simulation we do not know whether it points to the stack, static
  // memory or the heap.
  return {};
}

function dropNote(cx: Analysis, body: Body | undefined, mirLocal: number, ty: Ty, state: string): string | undefined {
  if (!body || mirLocal < 0 || state !== 'owned') return undefined;
  if (needsDrop(ty, cx.file.adts) !== true) return undefined;
  for (const bb of body.blocks) {
    const t = bb.terminator;
    if (t.kind === 'drop' && t.place.local === mirLocal && t.place.projection.length === 0)
      return `dropped at the end of its scope (line ${t.span.start.line + 1}) unless moved before`;
  }
  return undefined;
}

function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

function markdownFor(h: HoverInfo, ty: Ty, stateDetail: string | undefined, drop: string | undefined, valueText?: string): string {
  const lines: string[] = [];
  lines.push(`**\`${h.name}\`**: \`${h.type}\``);
  const where = h.location === 'static' ? 'static memory (for the whole program)' : `a slot in the stack frame of \`${h.function}\``;
  const size = h.size !== null ? `${bytes(h.size)}, align ${h.align}` : 'size unknown';
  lines.push(`- **lives in** ${where} · ${size}`);
  if (h.target) {
    const region = h.target === 'heap' ? 'the heap' : h.target === 'static' ? 'static memory' : 'the stack';
    const count =
      h.targetSize !== undefined && h.targetSize !== null
        ? `${bytes(h.targetSize)} ${h.target === 'static' ? 'in' : 'on'} ${region}`
        : region;
    const known = (n: number | null | undefined): n is number => n !== undefined && n !== null;
    const lenCap = known(h.len) ? ` (len ${h.len}${known(h.capacity) ? `, capacity ${h.capacity}` : ''})` : '';
    // The heap block: String/Vec hold capacity × element size; Rc/Arc add their counts.
    const counted = h.type.startsWith('Rc<') || h.type.startsWith('Arc<');
    const block = known(h.blockSize)
      ? counted
        ? `, in a ${h.blockSize}-byte block with the strong and weak counts`
        : `, in a ${h.blockSize}-byte block`
      : '';
    lines.push(`- **points to** ${count}${lenCap}${block}`);
  } else if (ty.kind === 'ref') {
    lines.push(`- **points to** a \`${displayTy(peelRefs(ty).ty)}\` elsewhere (a reference: it borrows, it does not own)`);
  }
  if (valueText) lines.push(`- **value** \`${valueText}\``);
  lines.push(`- **state** ${h.state}${stateDetail ? ` — ${stateDetail}` : ''}`);
  if (drop) lines.push(`- ${drop}`);
  if (h.unknowns.length) lines.push(`- *not known:* ${h.unknowns.join('; ')}`);
  return lines.join('\n');
}

// --- statics and consts

function staticHover(cx: Analysis, name: string, ty: Ty, isStatic: boolean, range: Range): HoverInfo {
  const layout = isUnknown(ty) ? null : layoutOf(ty, cx.file.adts);
  const target = ty.kind === 'ref' && (ty.inner.kind === 'str' || ty.inner.kind === 'slice') ? 'static' : undefined;
  const init = (cx.file.statics.get(name) ?? cx.file.consts.get(name))?.init;
  const literalBytes = init?.kind === 'lit' && init.lit.kind === 'str' ? Buffer.byteLength(init.lit.value, 'utf8') : undefined;
  const info: HoverInfo = {
    range,
    name,
    type: displayTy(ty),
    size: layout?.size ?? null,
    align: layout?.align ?? null,
    location: 'static',
    state: isStatic ? 'static: lives for the whole program' : 'const: copied into each use',
    ...(target ? { target, targetSize: literalBytes ?? null } : {}),
    ...(literalBytes !== undefined ? { len: literalBytes } : {}),
    unknowns: [],
    markdown: '',
  };
  info.markdown = markdownFor(info, ty, undefined, undefined);
  return info;
}

function rangeOf(n: { startPosition: { row: number; column: number }; endPosition: { row: number; column: number } }): Range {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}
