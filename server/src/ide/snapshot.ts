/**
 * Snapshots: "what memory looks like when execution reaches position P (visit k)", as the
 * protocol's `Snapshot` (protocol.ts).
 *
 * Which step a position means: the function holding the cursor is the innermost MIR body whose
 * span contains it. In each activation of that function, its own steps (not those of callees)
 * are scanned in order; a *visit* of the cursor's line L ends at an own step s when s ends on or
 * before L and the next own step starts after L, or jumps back (a loop), or there is none (the
 * frame returns). When line L itself holds statements, only steps ending on L count (so a loop
 * that exits without running line L is not a visit of L). Before the first statement, the
 * frame's entry (the call) is the visit. The snapshot shows the memory after that step, rebuilt
 * by replaying the run (interp.ts `Machine` with `stopAfter`).
 */
import type { Span } from '../hir/hir';
import type { Ty } from '../hir/ty';
import { displayTy } from '../hir/ty';
import type { Body } from '../mir/mir';
import type {
  Field,
  Frame,
  HeapBlock,
  MemoryEvent,
  PointerTarget,
  Position,
  Slot,
  SlotState,
  Snapshot,
  StaticItem,
  Value,
  SnapshotError,
} from '../../../shared/protocol';
import { emptySnapshot, errorCodeHref } from '../../../shared/protocol';
import { type Machine, byteOf, floatText, frameId, heapId, slotIdOf, staticId } from '../interp/interp';
import { cheapToReplay, replayTo, runSymbolic } from '../interp/run';
import { simulation, type Analysis } from '../engine/engine';
import {
  type Activation,
  type HeapBlockRec,
  type Loc,
  type Val,
  elemAt,
  elemCount,
  firstElems,
  fromUtf8,
  hasMovedPart,
} from '../interp/memory';
import type { Run, Step } from '../interp/trace';
import { outputUpTo } from './output';
import { baseName, sizeAlignOf, valueTyOf } from '../interp/tyinfo';
import { type BlockOwner, Places, autoDeref, fieldNamesOf, fieldTys, rewriteEvent } from './places';
import { heapShape } from '../std/registry';
import { closureCapturesOf, type ClosureCaptures } from '../layout/layout';
import { movedText } from '../../../shared/render/names';
import { comparePos, spanContains } from '../base/span';
import { isSyntaxError, type EngineDiagnostic } from '../base/diagnostic';
import { syntaxErrors } from '../syntax/errors';
import { fillBorrowsFromLoans } from './snapshotLoans';
import type Parser from 'tree-sitter';

type SyntaxNode = Parser.SyntaxNode;

/** The heap shape of an owning handle's or block's kind (`std/types.ts` `HeapShape`), from the std registry. */
const shapeOf = (kind: string) => (kind === 'other' ? undefined : heapShape(kind));

const MAX_CONTENTS = 256;
/**
 * Heap blocks one snapshot draws at most, and values in their contents (`MAX_CONTENTS` each at
 * most): a program holding 10,000 buffers would otherwise send the panel a picture of 2.5
 * million values. The blocks the frames point to are drawn first; the rest are counted in
 * `Snapshot.heapNotDrawn`.
 */
const MAX_BLOCKS_DRAWN = 1_000;
const MAX_VALUES_DRAWN = 50_000;

/**
 * Elements of an aggregate drawn at nesting `depth` (0: a slot's value): `MAX_CONTENTS`, a
 * quarter as many one level down, at least 16, so a `[[0u64; 1000]; 255]` draws 255 × 64 values,
 * not 255 × 256 (the rest as "N more").
 */
const contentsAt = (depth: number): number => (depth <= 0 ? MAX_CONTENTS : Math.max(16, MAX_CONTENTS >> (2 * depth)));

// --- positions

/** The cursor may sit just after a body's closing brace: end inclusive. */
function contains(s: Span, p: Position): boolean {
  return spanContains(s, p, true);
}

function spanSize(s: Span): number {
  return (s.end.line - s.start.line) * 100_000 + (s.end.character - s.start.character);
}

/** The innermost body (fn or closure) whose span contains the position. */
export function bodyAt(bodies: ReadonlyMap<string, Body>, pos: Position): Body | undefined {
  let best: Body | undefined;
  for (const b of bodies.values()) {
    if (!contains(b.span, pos)) continue;
    if (!best || spanSize(b.span) < spanSize(best.span)) best = b;
  }
  return best;
}

function isZero(s: Span): boolean {
  return s.start.line === 0 && s.start.character === 0 && s.end.line === 0 && s.end.character === 0;
}

/** Lines (0-based) on which the body has statements or terminators that make steps. */
function stepLines(body: Body): Set<number> {
  const lines = new Set<number>();
  for (const b of body.blocks) {
    for (const s of b.statements) {
      if (s.kind === 'nop' || s.kind === 'fakeRead' || s.kind === 'placeMention' || isZero(s.span)) continue;
      if (s.kind === 'assign' && s.rvalue.kind === 'ref' && s.rvalue.borrow === 'fake') continue;
      if ((s.kind === 'storageLive' || s.kind === 'storageDead') && body.locals[s.local]?.kind === 'temp') continue;
      if (s.kind === 'assign' && body.locals[s.place.local]?.kind === 'temp' && s.place.projection.length === 0 && s.rvalue.kind !== 'ref')
        continue;
      lines.add(s.span.end.line);
    }
    const t = b.terminator;
    if (t.kind === 'goto' || t.kind === 'falseEdge' || t.kind === 'unreachable' || t.kind === 'return' || isZero(t.span)) continue;
    lines.add(t.span.end.line);
  }
  return lines;
}

export interface Visit {
  /** Step index whose memory is shown. */
  step: number;
  /** First step of the run of steps on the same line that ends at `step` (events/frees window). */
  windowStart: number;
}

/** All visits of line `line` in the activations of `body` (see the module comment). */
export function visitsOf(run: Run, body: Body, line: number): Visit[] {
  const visits: Visit[] = [];
  const hasStmt = stepLines(body).has(line);
  const acts = run.acts.filter((a) => a.fn === body.name);
  if (!acts.length) return visits;
  const own = new Map<number, number[]>();
  for (const a of acts) own.set(a.id, []);
  run.steps.forEach((s, i) => {
    const list = own.get(s.act);
    if (list && !isZero(s.span)) list.push(i);
  });
  const endLine = (i: number): number => run.steps[i].span.end.line;
  const startLine = (i: number): number => run.steps[i].span.start.line;
  for (const a of acts) {
    const steps = (own.get(a.id) ?? []).filter((i) => i !== a.enterStep || run.steps[i].act === a.id);
    // The entry: memory at the call, before the first statement.
    const first = steps.find((i) => i > a.enterStep);
    const fnLine = body.span.start.line;
    if (a.enterStep >= 0 && a.enterStep < run.steps.length && line >= fnLine && (first === undefined || startLine(first) > line)) {
      visits.push({ step: a.enterStep, windowStart: a.enterStep });
    }
    for (let j = 0; j < steps.length; j++) {
      const i = steps[j];
      if (i === a.enterStep) continue;
      const l = endLine(i);
      if (l > line) continue;
      if (hasStmt && l !== line) continue;
      const next = steps[j + 1];
      const ok = next === undefined || startLine(next) > line || endLine(next) < l || run.steps[next].loop === true;
      if (!ok) continue;
      let w = j;
      while (w > 0 && endLine(steps[w - 1]) === l && steps[w - 1] !== a.enterStep && !run.steps[steps[w]].loop) w--;
      visits.push({ step: i, windowStart: steps[w] });
    }
  }
  visits.sort((x, y) => x.step - y.step);
  return visits;
}

// --- snapshot

/** The run that reaches `body`: the main run, or a symbolic run of `body` alone (cached). */
export function runReaching(run: Run, body: Body): Run {
  if (run.acts.some((a) => a.fn === body.name)) return run;
  return runSymbolic(run, body.name);
}

/** How a snapshot is chosen beyond the position (see `runSnapshotAt`). */
export interface SnapshotOptions {
  /** Show this 0-based step of the trace (clamped) instead of the position's visit. */
  step?: number;
  /** Show the memory before the visit's line runs (when the line has statements). */
  before?: boolean;
  /** The file's diagnostics: placed on the trace (`Snapshot.errors`), marking output after them. */
  diagnostics?: readonly EngineDiagnostic[];
  /** Which heap blocks to draw (see `HeapDrawn`); default `all`. */
  heap?: HeapDrawn;
}

/**
 * `all`: every heap block the panel shows. `pointed`: only the blocks the frames' slots point to
 * directly (a reference's target, a `String`'s or `Vec`'s buffer), drawn exactly as `all` draws
 * them, and no events: what a hover reads (`valueStateAt`), without drawing the other blocks of a
 * program that allocated thousands.
 */
export type HeapDrawn = 'all' | 'pointed';

/**
 * The memory when execution reaches `pos` for the `visit`-th time (1-based; past the last
 * visit shows the last), moved by `stepOffset` steps, or at the absolute step `opts.step`.
 *
 * "Before" or "after": with the cursor at or before the first character of code on its line,
 * the memory before the line runs; elsewhere, after it (`Snapshot.when`). When the code around
 * the cursor does not parse, status `syntax-error` says what is wrong (`Snapshot.syntax`), with
 * no picture. The file's diagnostics become `Snapshot.errors`. Never throws.
 */
export function snapshotAt(a: Analysis, pos: Position, visit = 1, stepOffset = 0, opts: { step?: number } = {}): Snapshot {
  const diagnostics = a.diagnostics.filter((d) => d.severity === 'error');
  try {
    const broken = syntaxAround(a, pos);
    if (broken) {
      const snap = emptySnapshot('syntax-error', broken.message, { visit });
      snap.syntax = broken;
      const errors = placeErrors(diagnostics, undefined, -1);
      if (errors.length) snap.errors = errors;
      return snap;
    }
    const snap = runSnapshotAt(simulation(a), pos, visit, stepOffset, { ...opts, before: atLineStart(a.text, pos), diagnostics });
    fillBorrowsFromLoans(a, snap, bodyAt);
    return snap;
  } catch (e) {
    return emptySnapshot('unavailable', `the simulation failed: ${(e as Error).message}`, { visit });
  }
}

/** Whether `pos` is at or before the first non-blank character of a line that has code. */
function atLineStart(text: string, pos: Position): boolean {
  let start = 0;
  for (let l = 0; l < pos.line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return false;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  const line = text.slice(start, end < 0 ? text.length : end);
  const indent = line.length - line.trimStart().length;
  return line.trim().length > 0 && pos.character <= indent;
}

/**
 * The syntax error around `pos`, in words, when the code there does not parse: a `{` (or `(`,
 * `[`) before the cursor left open ("missing `}` for `fn main` at 3:11"), or a syntax error in
 * the function that holds the cursor. Undefined when the cursor's function parses.
 */
function syntaxAround(a: Analysis, pos: Position): { message: string; range: Span } | undefined {
  const syntax = a.diagnostics.filter(isSyntaxError);
  if (!syntax.length) return undefined;
  const { unclosed } = syntaxErrors(a.tree);
  const open = unclosed.filter((u) => comparePos(u.range.start, pos) <= 0);
  if (open.length) {
    const u = open.find((x) => x.opens?.startsWith('fn ')) ?? open[open.length - 1];
    const close = u.delimiter === '{' ? '}' : u.delimiter === '(' ? ')' : ']';
    const where = `${u.range.start.line + 1}:${u.range.start.character + 1}`;
    return { message: `missing \`${close}\` for ${u.opens ? `\`${u.opens}\`` : `the \`${u.delimiter}\``} at ${where}`, range: u.range };
  }
  const item = enclosingItem(a.tree.rootNode.descendantForPosition({ row: pos.line, column: pos.character }));
  const inItem = item
    ? syntax.filter((d) => d.range.start.line >= item.startPosition.row && d.range.start.line <= item.endPosition.row)
    : syntax.filter((d) => d.range.start.line === pos.line);
  const d = inItem[0];
  if (!d) return undefined;
  return { message: `${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`, range: d.range };
}

/** The function (or ERROR node standing for one) around a tree node. */
function enclosingItem(n: SyntaxNode | null): SyntaxNode | undefined {
  for (let p = n, i = 0; p && i < 200; p = p.parent, i++) {
    if (p.type === 'function_item' || p.type === 'closure_expression') return p;
    if (p.type === 'ERROR' && p.parent !== null) return p;
  }
  return undefined;
}

/**
 * The file's errors placed on run `r` (at most 20): the first step that runs each error's line,
 * and whether step `k` runs it. Steps "run a line" when their span starts or ends on it.
 */
function placeErrors(diagnostics: readonly EngineDiagnostic[], r: Run | undefined, k: number): SnapshotError[] {
  const onLine = (st: Step, line: number): boolean => st.span.start.line === line || st.span.end.line === line;
  const shown = diagnostics.slice(0, 20);
  const firstStep = new Map<number, number>();
  if (r && shown.length) {
    // One pass over the steps, two lookups each (not steps × error lines).
    const lines = new Set(shown.map((d) => d.range.start.line));
    r.steps.forEach((st, i) => {
      const a = st.span.start.line;
      const b = st.span.end.line;
      if (lines.has(a) && !firstStep.has(a)) firstStep.set(a, i);
      if (lines.has(b) && !firstStep.has(b)) firstStep.set(b, i);
    });
  }
  const here = r && k >= 0 && k < r.steps.length ? r.steps[k] : undefined;
  return shown.map((d) => {
    const e: SnapshotError = { message: d.message, range: d.range, here: !!here && onLine(here, d.range.start.line) };
    if (!isSyntaxError(d)) {
      e.code = d.code;
      if (/^E\d{4}$/.test(d.code)) e.href = errorCodeHref(d.code);
    }
    const st = firstStep.get(d.range.start.line);
    if (st !== undefined) e.step = st;
    return e;
  });
}

/** `snapshotAt` on a given run (see `snapshotAt`; `opts.before` is explicit here). Never throws. */
export function runSnapshotAt(run: Run, pos: Position, visit = 1, stepOffset = 0, opts: SnapshotOptions = {}): Snapshot {
  const v = Number.isInteger(visit) && visit >= 1 ? visit : 1;
  try {
    const body = bodyAt(run.input.bodies, pos);
    if (!body) return emptySnapshot('no-function', 'the cursor is not inside a function body', { visit: v, steps: run.steps.length });
    const r = runReaching(run, body);
    const stopped = r.stop.reason !== 'end' ? { reason: r.stop.reason, message: r.stop.message, range: r.stop.range } : undefined;
    const finish = (snap: Snapshot): Snapshot => decorate(snap, r, opts.diagnostics ?? []);
    if (opts.step !== undefined && Number.isInteger(opts.step) && r.steps.length) {
      const k = Math.max(0, Math.min(r.steps.length - 1, opts.step));
      const step = r.steps[k];
      const stepFn = r.acts[step.act - 1]?.fn ?? body.name;
      const stepBody = r.input.bodies.get(stepFn) ?? body;
      const line = step.span.end.line;
      // Which visit of its own line this step is (loops: "visit 3 of 5").
      const visits = visitsOf(r, stepBody, line);
      let idx = visits.findIndex((x) => x.windowStart <= k && k <= x.step);
      if (idx < 0) idx = visits.filter((x) => x.step <= k).length - 1;
      const snap = render(
        r,
        replayTo(r, k),
        k,
        k,
        Math.max(1, idx + 1),
        visits.length,
        stepBody,
        'ok',
        `after line ${line + 1} of \`${stepFn}\``,
        opts.heap,
      );
      if (stopped) snap.stopped = stopped;
      return finish(snap);
    }
    const visits = visitsOf(r, body, pos.line);
    if (!visits.length) {
      // Stopped before its first step (not simulated at all: `RunInput.off`): the reason, no memory.
      if (stopped && !r.steps.length)
        return finish({ ...emptySnapshot('stopped', stopped.message, { visit: v, steps: 0, function: body.name }), stopped });
      if (stopped && r.steps.length) {
        const last = r.steps.length - 1;
        const snap = render(
          r,
          replayTo(r, last),
          last,
          last,
          1,
          0,
          body,
          'stopped',
          `the simulation stopped before line ${pos.line + 1}: ${stopped.message.replace(/^the simulation stopped:? /, '')}`,
          opts.heap,
        );
        snap.stopped = stopped;
        return finish(snap);
      }
      const reached = r.acts.some((a) => a.fn === body.name);
      return finish({
        ...emptySnapshot(
          'not-reached',
          reached ? `line ${pos.line + 1} of \`${body.name}\` is never reached` : `\`${body.name}\` is never called`,
          { visit: v, steps: r.steps.length, function: body.name },
        ),
        stopped,
        unknowns: r.unknowns.length ? [...r.unknowns] : undefined,
      });
    }
    const chosen = visits[Math.min(v, visits.length) - 1];
    const off = Number.isInteger(stepOffset) ? stepOffset : 0;
    // Before the line: the last step before the visit's window (when the line has statements).
    const before = !!opts.before && off === 0 && stepLines(body).has(pos.line) && chosen.windowStart > 0;
    const base = before ? chosen.windowStart - 1 : chosen.step;
    const k = Math.max(0, Math.min(r.steps.length - 1, base + off));
    const windowStart = off === 0 && !before ? chosen.windowStart : k;
    const m = replayTo(r, k);
    const step = r.steps[k];
    const line = step.span.end.line + 1;
    const stepFn = r.acts[step.act - 1]?.fn ?? body.name;
    const message = before
      ? `before line ${pos.line + 1} of \`${body.name}\``
      : off === 0
        ? `after line ${line} of \`${stepFn}\``
        : `${off > 0 ? `${off} step${off === 1 ? '' : 's'} after` : `${-off} step${off === -1 ? '' : 's'} before`} line ${chosen.step < r.steps.length ? r.steps[chosen.step].span.end.line + 1 : line}: line ${line} of \`${stepFn}\``;
    const snap = render(r, m, k, windowStart, Math.min(v, visits.length), visits.length, body, 'ok', message, opts.heap);
    if (off === 0) snap.when = before ? 'before' : 'after';
    if (stopped) snap.stopped = stopped;
    return finish(snap);
  } catch (e) {
    return emptySnapshot('unavailable', `internal error in the snapshot: ${e instanceof Error ? e.message : String(e)}`, {
      visit: v,
      steps: run.steps.length,
    });
  }
}

/** Adds what a snapshot of run `r` shows beyond memory: the next step, the output, the errors. */
function decorate(snap: Snapshot, r: Run, diagnostics: readonly EngineDiagnostic[]): Snapshot {
  const drawn = snap.frames.length > 0 || snap.heap.length > 0;
  const k = drawn ? snap.step : -1;
  if (drawn && k + 1 < r.steps.length) snap.next = r.steps[k + 1].span;
  const errors = placeErrors(diagnostics, r, k);
  if (errors.length) snap.errors = errors;
  const reached = errors.map((e) => e.step).filter((x): x is number => x !== undefined);
  const errorStep = reached.length ? Math.min(...reached) : undefined;
  if (drawn) {
    const output = outputUpTo(r, k, errorStep);
    if (output.length) snap.output = output;
  }
  return snap;
}

/** Builds the protocol Snapshot from the machine state after step k (`drawn`: see `HeapDrawn`). */
function render(
  run: Run,
  m: Machine,
  k: number,
  windowStart: number,
  visit: number,
  visits: number,
  body: Body,
  status: Snapshot['status'],
  message: string,
  drawn: HeapDrawn = 'all',
): Snapshot {
  const step: Step | undefined = run.steps[k];
  const places = new Places(m);
  // Freed blocks have no owner any more: name them by their owner just before the step that
  // freed them (one more replay per such step, only when a freed block is drawn or named, and
  // only when that replay is cheap: a heavy run's freed blocks go unnamed).
  const earlier = new Map<number, Places>();
  const named = (block: number): BlockOwner | undefined => {
    const b = m.block(block);
    if (!b || b.state !== 'freed' || b.freeStep === undefined || b.freeStep < 1 || b.freeStep > k) return undefined;
    if (!earlier.has(b.freeStep) && !cheapToReplay(run, b.freeStep - 1)) return undefined;
    let p = earlier.get(b.freeStep);
    if (!p) earlier.set(b.freeStep, (p = new Places(replayTo(run, b.freeStep - 1))));
    return p.owner(block);
  };
  const r = new Renderer(m, windowStart, k, places, named);
  const frames = m.stack.map((a) => r.frame(a));
  const pointed = pointedBlocks(frames);
  const drawnHeap = r.heap(drawn === 'pointed' ? pointed : undefined, pointed);
  // A freed block drawn only when something points into it: whether another block does is known
  // only by drawing them all.
  if (!drawnHeap) return render(run, m, k, windowStart, visit, visits, body, status, message, 'all');
  const { blocks: heap, notDrawn } = drawnHeap;
  const statics = m.statics.filter((s) => s.kind !== 'scratch').map((s) => r.staticItem(s.id));
  statics.push(...r.vtables.values());
  r.fillBorrows(frames);
  // The events of the visit: every step of this activation from the window start to k (a call
  // on the line contributes its call and return, not the callee's inner steps).
  const events: MemoryEvent[] = [];
  if (step && drawn === 'all') {
    for (let i = Math.max(0, Math.min(windowStart, k)); i <= k; i++) {
      const st = run.steps[i];
      if (i !== k && st.act !== step.act) continue;
      const act = m.getAct(st.act);
      for (const e of st.events) events.push({ ...e, text: rewriteEvent(e.text, m, places, named, act), ids: [...e.ids] });
    }
  }
  const line = step ? step.span.end.line + 1 : undefined;
  return {
    status,
    message,
    function: body.name,
    line,
    visit,
    visits,
    step: k,
    steps: run.steps.length,
    range: step?.span,
    frames,
    heap,
    ...(notDrawn ? { heapNotDrawn: notDrawn } : {}),
    statics,
    events,
    unknowns: run.unknowns.length ? [...run.unknowns] : undefined,
  };
}

/** Ids of the heap blocks the frames' slots point to directly (a pointer, or an aggregate's `ptr` field). */
function pointedBlocks(frames: Frame[]): Set<string> {
  const ids = new Set<string>();
  for (const f of frames) {
    for (const s of f.slots) {
      const v = s.value;
      const ptr = v.kind === 'pointer' ? v : v.kind === 'aggregate' ? v.fields.find((x) => x.name === 'ptr')?.value : undefined;
      if (ptr && ptr.kind === 'pointer' && ptr.target && ptr.target.region === 'heap') ids.add(ptr.target.id);
    }
  }
  return ids;
}

/** The trait of a `dyn Trait` type (`Shape` for `dyn Shape`), else undefined. */
function dynTrait(ty: Ty | undefined): string | undefined {
  if (!ty || ty.kind !== 'opaque' || !ty.dyn) return undefined;
  const m = /^dyn\s+([A-Za-z_][\w:]*)/.exec(ty.text);
  return m ? (m[1].split('::').pop() ?? m[1]) : undefined;
}

/** The type of a Box/Rc block's value: the concrete type behind a `dyn Trait` (`tyinfo.ts` `valueTyOf`). */
function concreteTyText(b: HeapBlockRec): string {
  if (b.elemTy.kind !== 'opaque') return displayTy(b.elemTy);
  const t = valueTyOf(elemAt(b, 0), b.elemTy);
  if (t.kind === 'adt') return baseName(t.name);
  return displayTy(t.kind === 'unknown' ? b.elemTy : t);
}

class Renderer {
  /** Pointer sources per slot id, for `borrowedBy`. */
  private readonly borrowers = new Map<string, Set<string>>();
  /** Capture types of the program's closures, for their layouts. */
  private readonly closures: ClosureCaptures;
  private currentSlotName = '';

  constructor(
    private readonly m: Machine,
    private readonly windowStart: number,
    private readonly k: number,
    private readonly places: Places,
    /** The owner of a block freed in this window, just before it was freed. */
    private readonly freedOwner: (block: number) => BlockOwner | undefined,
  ) {
    this.closures = closureCapturesOf(m.input.bodies);
  }

  /** The dotted `Field.name` path of `path` inside value `v` of type `ty` (see `PointerTarget.path`). */
  private fieldPath(v: Val | undefined, ty: Ty | undefined, path: number[]): string[] {
    const out: string[] = [];
    let cur = v;
    let curTy = ty;
    for (const i of path) {
      if (cur && cur.k === 'moved') cur = cur.inner;
      if (!cur || cur.k !== 'agg') break;
      out.push(fieldNamesOf(this.m, cur, curTy)[i] ?? String(i));
      curTy = fieldTys(this.m, cur, curTy)[i];
      cur = cur.fields[i];
    }
    return out;
  }

  frame(a: Activation): Frame {
    const slots: Slot[] = [];
    a.body.locals.forEach((l, i) => {
      if (l.kind === 'temp' || l.kind === 'return' || !l.name) return;
      const s = a.slots[i];
      if (!s || !s.shown) return;
      if (s.dead && (s.deadStep === undefined || s.deadStep < this.windowStart)) return;
      this.currentSlotName = l.name;
      const lay = sizeAlignOf(l.ty, this.m.adts, this.closures);
      let state: SlotState;
      if (s.dead) state = s.life === 'moved' ? 'moved' : 'dropped';
      else if (s.life === 'init' && hasMovedPart(s.val)) state = 'partially-moved';
      else state = s.life;
      const slot: Slot = {
        id: slotIdOf(a, i),
        name: l.name,
        type: displayTy(l.ty),
        size: lay?.size ?? null,
        align: lay?.align ?? null,
        value:
          s.life === 'uninit'
            ? { kind: 'uninit', text: 'uninit' }
            : this.value(s.val, l.ty, 0, { region: 'stack', act: a.id, local: i, path: [] }),
        state,
        mutable: l.mutable,
        declRange: l.span,
      };
      if (s.life === 'moved' && s.movedTo)
        slot.movedTo = { to: autoDeref(s.movedTo.to), line: s.movedTo.at.start.line + 1, column: s.movedTo.at.start.character + 1 };
      slots.push(slot);
    });
    const f: Frame = { id: frameId(a.id), function: a.fn, slots };
    if (a.callSite) f.callSite = a.callSite;
    return f;
  }

  fillBorrows(frames: Frame[]): void {
    for (const f of frames) {
      for (const s of f.slots) {
        const by = this.borrowers.get(s.id);
        if (by && by.size) s.borrowedBy = [...by];
      }
    }
  }

  private target(loc: Loc | null): PointerTarget | null {
    if (!loc) return null;
    const m = this.m;
    switch (loc.region) {
      case 'stack': {
        const a = m.getAct(loc.act);
        if (!a) return null;
        const t: PointerTarget = { id: slotIdOf(a, loc.local), region: 'stack' };
        const base = a.slots[loc.local]?.val;
        if (loc.path.length && base && base.k === 'agg' && !base.adt && base.variant === undefined && !base.closure) t.index = loc.path[0];
        const path = this.fieldPath(base, a.body.locals[loc.local]?.ty, loc.path);
        if (path.length) t.path = path.join('.');
        if (a.popped || a.slots[loc.local]?.dead) t.dangling = true;
        return t;
      }
      case 'heap': {
        const b = m.heap[loc.block - 1];
        const t: PointerTarget = { id: heapId(loc.block), region: 'heap' };
        if (b && b.state === 'freed') this.danglingInto.add(b.id);
        const seq = !!b && shapeOf(b.kind)?.kind === 'buffer';
        if (b && seq && loc.path.length) t.index = loc.path[0];
        if (b && loc.path.length) {
          // A Vec element (`0`, `0.next`) or a field of a Box's value (`next`).
          const fields = this.fieldPath(elemAt(b, loc.path[0]), b.elemTy, loc.path.slice(1));
          const path = seq ? [String(loc.path[0]), ...fields] : fields;
          if (path.length && (fields.length || b.kind !== 'String')) t.path = path.join('.');
        }
        if (!b || b.state === 'freed') t.dangling = true;
        return t;
      }
      case 'static': {
        const t: PointerTarget = { id: staticId(loc.id), region: 'static' };
        if (loc.path.length) t.index = loc.path[0];
        return t;
      }
    }
  }

  private noteBorrow(loc: Loc | null, raw: boolean | undefined): void {
    if (!loc || raw || loc.region !== 'stack' || !this.currentSlotName) return;
    const a = this.m.getAct(loc.act);
    if (!a) return;
    const id = slotIdOf(a, loc.local);
    let set = this.borrowers.get(id);
    if (!set) this.borrowers.set(id, (set = new Set()));
    set.add(this.currentSlotName);
  }

  /** Freed blocks a converted pointer points into (drawn, so the dangling arrow has an end). */
  private readonly danglingInto = new Set<number>();

  /** Static vtables met while converting values (`Box<dyn Trait>`, `&dyn Trait`), by id. */
  readonly vtables = new Map<string, StaticItem>();

  /** The value at location `loc` (when known: a RefCell there shows its borrow flag). */
  value(v: Val, ty: Ty | undefined, depth: number, loc?: Loc): Value {
    const m = this.m;
    if (depth > 12) return { kind: 'unknown', text: '…' };
    switch (v.k) {
      case 'int':
        return { kind: 'scalar', text: v.v.toString() };
      case 'float':
        return { kind: 'scalar', text: floatText(v.v) };
      case 'bool':
        return { kind: 'scalar', text: String(v.v) };
      case 'char':
        return { kind: 'scalar', text: `'${v.v}'` };
      case 'fn':
        return { kind: 'scalar', text: `fn ${v.name}` };
      case 'unknown':
        return { kind: 'unknown', text: '?' };
      case 'uninit':
        return { kind: 'uninit', text: 'uninit' };
      case 'moved':
        return { kind: 'uninit', text: movedText(autoDeref(v.to)) };
      case 'iter':
        return { kind: 'aggregate', text: 'iterator', fields: [] };
      case 'ptr': {
        this.noteBorrow(v.to, v.raw);
        const target = this.target(v.to);
        if (v.len !== undefined) {
          const text = m.asText(v);
          const shown = text !== null ? JSON.stringify(text) : `&[…]`;
          return {
            kind: 'aggregate',
            text: shown,
            fields: [
              { name: 'ptr', value: { kind: 'pointer', text: target ? `→ ${this.regionWord(target)}` : 'dangling', target } },
              { name: 'len', value: v.len === null ? { kind: 'unknown', text: '?' } : { kind: 'scalar', text: String(v.len) } },
            ],
          };
        }
        const place = v.to ? (this.places.loc(v.to) ?? this.freedLoc(v.to)) : undefined;
        const sigil = v.raw ? (v.mutable ? '*mut ' : '*const ') : v.mutable ? '&mut ' : '&';
        const ptrValue: Value = { kind: 'pointer', text: v.to ? `${sigil}${place ?? '?'}` : '?', target };
        const dyn = ty && ty.kind === 'ref' ? dynTrait(ty.inner) : undefined;
        if (dyn && v.to) return this.fatDyn(ptrValue, dyn, m.read(v.to), undefined);
        return ptrValue;
      }
      case 'own': {
        const b = m.block(v.block);
        const tgt: PointerTarget | null =
          v.block === null ? null : { id: heapId(v.block), region: 'heap', ...(b && b.state === 'freed' ? { dangling: true } : {}) };
        const ptr: Value = { kind: 'pointer', text: v.block === null ? 'dangling (no allocation)' : '→ heap', target: tgt };
        const shape = shapeOf(v.kind);
        if (shape?.kind === 'buffer') {
          const known = !b || !b.unknownContents;
          const len = b ? elemCount(b) : 0;
          const cap = b ? b.cap : 0;
          const text =
            v.kind === 'String'
              ? known
                ? JSON.stringify(b ? fromUtf8(b.elems.map(byteOf)) : '')
                : 'String(?)'
              : known
                ? this.vecText(b)
                : 'Vec(?)';
          const num = (n: number): Value => (known ? { kind: 'scalar', text: String(n) } : { kind: 'unknown', text: '?' });
          return {
            kind: 'aggregate',
            text,
            fields: [
              { name: 'ptr', value: ptr },
              { name: 'len', value: num(len) },
              { name: 'cap', value: num(cap) },
            ],
          };
        }
        if (shape?.kind === 'table' || shape?.kind === 'btree') {
          const n = b && !b.unknownContents ? elemCount(b) : null;
          return {
            kind: 'aggregate',
            text: `${v.kind} { … }`,
            fields: [
              { name: 'ptr', value: ptr },
              { name: 'len', value: n === null ? { kind: 'unknown', text: '?' } : { kind: 'scalar', text: String(n) } },
            ],
          };
        }
        // Box, Rc, Arc, Weak: the handle, with a glimpse of what it holds.
        // (short contents shown, `Box(…)` otherwise: the arrow shows the rest)
        const first = b ? elemAt(b, 0) : undefined;
        const innerText = first && depth < 8 ? this.value(first, b!.elemTy, depth + 1).text : '…';
        const inner = innerText.length <= 16 ? innerText : '…';
        const handle: Value = { kind: 'pointer', text: v.block === null ? 'dangling' : `${v.kind}(${inner})`, target: tgt };
        const dyn = dynTrait(v.ty.kind === 'adt' ? v.ty.args[0] : undefined) ?? dynTrait(ty && ty.kind === 'adt' ? ty.args[0] : undefined);
        if (dyn && b && first) return this.fatDyn(handle, dyn, first, b.elemTy);
        return handle;
      }
      case 'agg': {
        // A `str` held as its bytes (the value of a `Box<str>`, `Rc<str>`): the text.
        if (ty?.kind === 'str' && v.variant === undefined && !v.adt)
          return { kind: 'scalar', text: JSON.stringify(fromUtf8(v.fields.map(byteOf))) };
        // A long array shows its first elements (`contentsAt`) and how many more there are.
        const cap = contentsAt(depth);
        const shown = v.fields.length > cap ? { ...v, fields: v.fields.slice(0, cap) } : v;
        const names = fieldNamesOf(this.m, shown, ty);
        const tys = fieldTys(this.m, shown, ty);
        const fields: Field[] = shown.fields.map((f, i) => ({
          name: names[i] ?? String(i),
          value: this.value(f, tys[i], depth + 1, loc ? ({ ...loc, path: [...loc.path, i] } as Loc) : undefined),
        }));
        if (shown !== v) fields.push({ name: '…', value: { kind: 'unknown', text: `${v.fields.length - cap} more` } });
        let text: string;
        if (v.closure) text = 'closure';
        else if (v.variant !== undefined) text = fields.length ? `${v.variant}(${fields.map((f) => f.value.text).join(', ')})` : v.variant;
        else if (v.adt === 'RefCell' || v.adt === 'Cell' || v.adt === 'Mutex' || v.adt === 'RwLock')
          text = `${v.adt}(${fields[0]?.value.text ?? '?'})`;
        else if (v.adt && names.length && !/^\d+$/.test(names[0] ?? ''))
          text = `${baseName(v.adt)} { ${fields.map((f) => `${f.name}: ${f.value.text}`).join(', ')} }`;
        else if (v.adt) text = `${baseName(v.adt)}(${fields.map((f) => f.value.text).join(', ')})`;
        else if (ty && (ty.kind === 'array' || ty.kind === 'slice')) text = `[${fields.map((f) => f.value.text).join(', ')}]`;
        else text = fields.length === 0 ? '()' : `(${fields.map((f) => f.value.text).join(', ')})`;
        if (fields.length === 0 && v.variant === undefined && !v.adt && !v.closure) return { kind: 'scalar', text: '()' };
        // A RefCell's borrow flag (std: `borrow: Cell<isize>`, before the value): 0 = not
        // borrowed, n = n live `Ref`s, -1 = a live `RefMut`.
        if (v.adt === 'RefCell' && loc) {
          const flag = this.refCellFlag(loc);
          fields.unshift({ name: 'borrow', value: { kind: 'scalar', text: String(flag) } });
        }
        const out: Value & { kind: 'aggregate' } = { kind: 'aggregate', text: text.length > 120 ? `${text.slice(0, 117)}…` : text, fields };
        if (v.variant !== undefined) out.variant = v.variant;
        if (v.adt) out.adt = baseName(v.adt);
        return out;
      }
    }
  }

  /** Where a pointer points, in one word (no ids): `heap`, `stack`, `static memory`. */
  private regionWord(t: PointerTarget): string {
    return t.dangling ? 'freed memory' : t.region === 'static' ? 'static memory' : t.region;
  }

  /** A location whose owner is gone (freed in this window): named by its owner just before. */
  private freedLoc(l: Loc): string | undefined {
    if (l.region !== 'heap') return undefined;
    const o = this.freedOwner(l.block);
    return o ? `${o.place}${l.path.length ? `[${l.path[0]}]` : ''}` : undefined;
  }

  /**
   * A fat pointer to a `dyn Trait` (`Box<dyn Shape>`, `&dyn Shape`): the data pointer and the
   * vtable pointer, the vtable itself drawn in static memory (rustc's layout: `drop_in_place`,
   * size, align, then the trait's methods in declaration order).
   */
  private fatDyn(data: Value, trait: string, concrete: Val, concreteTy: Ty | undefined): Value {
    const m = this.m;
    const cty = valueTyOf(concrete, concreteTy ?? { kind: 'opaque', text: `dyn ${trait}`, dyn: true });
    const self = cty.kind === 'adt' ? baseName(cty.name) : cty.kind !== 'unknown' && cty.kind !== 'opaque' ? displayTy(cty) : undefined;
    if (!self) return data;
    const id = `static:vtable:${self}:${trait}`;
    if (!this.vtables.has(id)) {
      const lay = sizeAlignOf(cty, m.adts);
      const methods = m.input.file.traits.get(trait)?.methods.map((f) => f.name) ?? [];
      const scalar = (text: string): Value => ({ kind: 'scalar', text });
      const fields: Field[] = [
        { name: 'drop_in_place', value: scalar(`fn drop_in_place::<${self}>`) },
        { name: 'size', value: lay ? scalar(String(lay.size)) : { kind: 'unknown', text: '?' } },
        { name: 'align', value: lay ? scalar(String(lay.align)) : { kind: 'unknown', text: '?' } },
        ...methods.map((name) => ({ name, value: scalar(`fn <${self} as ${trait}>::${name}`) })),
      ];
      this.vtables.set(id, {
        id,
        kind: 'vtable',
        name: `<${self} as ${trait}>`,
        type: `vtable for dyn ${trait}`,
        size: 8 * fields.length,
        value: { kind: 'aggregate', text: `vtable of ${self} for dyn ${trait}`, fields },
      });
    }
    return {
      kind: 'aggregate',
      text: `${data.text} as dyn ${trait}`,
      fields: [
        { name: 'ptr', value: data },
        { name: 'vtable', value: { kind: 'pointer', text: `&<${self} as ${trait}> vtable`, target: { id, region: 'static' } } },
      ],
    };
  }

  /** A RefCell's borrow flag: the live `Ref`s (each +1) and `RefMut`s (-1) pointing into it at `loc`. */
  private refCellFlag(loc: Loc): number {
    let shared = 0;
    let mutable = false;
    const into = (p: Loc | null): boolean =>
      !!p &&
      p.region === loc.region &&
      p.path.length === loc.path.length + 1 &&
      loc.path.every((x, i) => p.path[i] === x) &&
      (p.region !== 'stack' || loc.region !== 'stack' || (p.act === loc.act && p.local === loc.local)) &&
      (p.region !== 'heap' || loc.region !== 'heap' || p.block === loc.block);
    for (const a of this.m.stack) {
      a.slots.forEach((s, i) => {
        const t = a.body.locals[i]?.ty;
        if (s.life !== 'init' || s.dead || !t || t.kind !== 'adt' || (t.name !== 'Ref' && t.name !== 'RefMut')) return;
        if (s.val.k === 'ptr' && into(s.val.to)) {
          if (t.name === 'RefMut') mutable = true;
          else shared++;
        }
      });
    }
    return mutable ? -1 : shared;
  }

  private vecText(b: HeapBlockRec | undefined): string {
    if (!b) return '[]';
    const parts = firstElems(b, 16).map((e) => this.value(e, b.elemTy, 10).text);
    return `[${parts.join(', ')}${elemCount(b) > 16 ? ', …' : ''}]`;
  }

  /**
   * The heap blocks drawn, in allocation order; with `only`, just those ids, or null when one
   * of them is freed and drawn only if another block points into it (known by drawing them all).
   */
  heap(
    only?: ReadonlySet<string>,
    first?: ReadonlySet<string>,
  ): { blocks: HeapBlock[]; notDrawn?: { blocks: number; bytes: number | null } } | null {
    const m = this.m;
    const owners = this.owners();
    const out: HeapBlock[] = [];
    // The cap (`MAX_BLOCKS_DRAWN`, `MAX_VALUES_DRAWN`): the blocks in `first` come first.
    const shown: HeapBlockRec[] = [];
    for (const b of m.heap) {
      if (only && !only.has(heapId(b.id))) continue;
      // Freed blocks: shown at the step that frees them, and afterwards while a pointer still
      // points into them (the dangling pointer E0502 and friends prevent).
      const freedHere = b.freeStep !== undefined && b.freeStep >= this.windowStart && b.freeStep <= this.k;
      if (b.state === 'freed' && !freedHere && !this.danglingInto.has(b.id)) {
        if (only) return null;
        continue;
      }
      shown.push(b);
    }
    let drawnBlocks = shown;
    let notDrawn: { blocks: number; bytes: number | null } | undefined;
    if (shown.length > 1) {
      const ordered = first ? [...shown.filter((b) => first.has(heapId(b.id))), ...shown.filter((b) => !first.has(heapId(b.id)))] : shown;
      const keep = new Set<HeapBlockRec>();
      let values = 0;
      for (const b of ordered) {
        const n = Math.min(MAX_CONTENTS, elemCount(b));
        if (keep.size > 0 && (keep.size >= MAX_BLOCKS_DRAWN || values + n > MAX_VALUES_DRAWN)) continue;
        keep.add(b);
        values += n;
      }
      if (keep.size < shown.length) {
        drawnBlocks = shown.filter((b) => keep.has(b));
        let bytes: number | null = 0;
        for (const b of shown) {
          if (keep.has(b)) continue;
          const es = b.kind === 'String' ? 1 : m.elemSize(b.elemTy);
          bytes = bytes === null || es === null ? null : bytes + b.cap * es;
        }
        notDrawn = { blocks: shown.length - keep.size, bytes };
      }
    }
    for (const b of drawnBlocks) {
      const es = b.kind === 'String' ? 1 : m.elemSize(b.elemTy);
      const known = !b.unknownContents;
      const shape = shapeOf(b.kind);
      const isSeq = shape?.kind === 'buffer' || shape?.kind === 'table' || shape?.kind === 'btree';
      const len = known ? elemCount(b) : null;
      const bytes = m.blockBytes(b);
      const hb: HeapBlock = {
        id: heapId(b.id),
        type: b.kind === 'String' ? '[u8]' : isSeq ? `[${displayTy(b.elemTy)}]` : concreteTyText(b),
        // Box/Rc/Arc: the value's bytes (`size_of_val(&*handle)`); the block adds Rc's counts.
        size: isSeq
          ? len !== null && es !== null
            ? len * es
            : null
          : known
            ? (sizeAlignOf(valueTyOf(b.elems[0], b.elemTy), m.adts)?.size ?? null)
            : null,
        capacity: bytes,
        contents: [],
        state: b.state,
      };
      if (isSeq) {
        hb.len = len;
        hb.elementCapacity = b.cap;
      }
      if (b.kind === 'String') {
        if (known) {
          const text = fromUtf8(b.elems.map(byteOf));
          hb.text = text;
          hb.contents = Array.from(text)
            .slice(0, MAX_CONTENTS)
            .map((c) => ({ kind: 'scalar', text: c }) as Value);
        } else hb.contents = [{ kind: 'unknown', text: '?' }];
      } else if (known) {
        this.currentSlotName = '';
        const values = firstElems(b, MAX_CONTENTS).map((e, i) => this.value(e, b.elemTy, 1, { region: 'heap', block: b.id, path: [i] }));
        // A VecDeque's ring (`head` ≠ 0): elements where they are in the buffer, free slots empty.
        if (shape?.kind === 'buffer' && shape.ring && (b.head ?? 0) !== 0 && b.cap <= MAX_CONTENTS) {
          hb.contents = Array.from({ length: b.cap }, (): Value => ({ kind: 'uninit', text: 'uninit' }));
          values.forEach((v, i) => (hb.contents[((b.head ?? 0) + i) % b.cap] = v));
        } else hb.contents = values;
      } else hb.contents = [{ kind: 'unknown', text: '?' }];
      const owner = owners.get(b.id);
      if (owner) hb.owner = owner;
      hb.kind = b.kind;
      const place = this.places.owner(b.id)?.place ?? this.freedOwner(b.id)?.place;
      if (place) hb.ownerPlace = place;
      if (b.rc) hb.rc = { strong: b.rc.strong, weak: Math.max(0, b.rc.weak - (b.rc.strong > 0 ? 1 : 0)) };
      if (b.allocSpan) hb.allocatedAt = b.allocSpan;
      if (b.freeSpan && b.state === 'freed') hb.freedAt = b.freeSpan;
      out.push(hb);
    }
    return { blocks: out, ...(notDrawn ? { notDrawn } : {}) };
  }

  /** Owner of each live block: the first live slot (then block) holding an owning handle to it. */
  private owners(): Map<number, string> {
    const m = this.m;
    const owners = new Map<number, string>();
    const visit = (v: Val, owner: string, depth: number): void => {
      if (depth > 16) return;
      if (v.k === 'own' && v.block !== null && shapeOf(v.kind)?.kind !== 'weak') {
        if (!owners.has(v.block)) owners.set(v.block, owner);
      } else if (v.k === 'agg') v.fields.forEach((f) => visit(f, owner, depth + 1));
      else if (v.k === 'iter' && v.src.kind === 'owned' && v.src.block !== null && !owners.has(v.src.block)) owners.set(v.src.block, owner);
    };
    for (const a of m.stack) {
      a.slots.forEach((s, i) => {
        if (s.life !== 'init' || (s.dead && a.body.locals[i]?.kind !== 'temp')) return;
        visit(s.val, slotIdOf(a, i), 0);
      });
    }
    for (const b of m.heap) {
      // A run's elements are scalars: they own nothing.
      if (b.state === 'freed' || b.run) continue;
      const id = heapId(b.id);
      for (const e of b.elems) visit(e, id, 0);
    }
    return owners;
  }

  staticItem(id: number): StaticItem {
    const s = this.m.statics[id];
    if (s.kind === 'literal') {
      return {
        id: staticId(id),
        kind: 'literal',
        name: s.name,
        type: `str`,
        size: s.bytes?.length ?? null,
        value: { kind: 'scalar', text: s.name },
        ...(s.span ? { range: s.span } : {}),
      };
    }
    this.currentSlotName = '';
    return {
      id: staticId(id),
      kind: s.kind === 'promoted' ? 'promoted' : 'static',
      name: s.name,
      type: displayTy(s.ty),
      size: sizeAlignOf(s.ty, this.m.adts)?.size ?? null,
      value: s.val ? this.value(s.val, s.ty, 0) : { kind: 'unknown', text: '?' },
      ...(s.span ? { range: s.span } : {}),
    };
  }
}

// --- hover support

/** What hover shows about a binding's value at a position (see `valueStateAt`). */
export interface ValueState {
  /** Ownership state at that point. */
  state: SlotState;
  movedTo?: { to: string; line: number; column: number };
  /** Short rendering of the value (`42`, `"wilspi"`, `?`). */
  text: string;
  /** For pointers and containers: where the pointee lives, and its id (`heap:1`, `static:0`). */
  targetRegion?: 'stack' | 'heap' | 'static';
  targetId?: string;
  /** Bytes of the pointee in use (String/Vec: len × element size; &str: len; Box: size of T). */
  targetBytes?: number | null;
  /** Bytes of the heap block pointed to (String/Vec: capacity × element size; Rc: counts and value). */
  blockBytes?: number | null;
  /** String/Vec/&str length and String/Vec capacity (bytes for String, elements for Vec). */
  len?: number | null;
  capacity?: number | null;
  /** Heap block state when the value owns one. */
  heapState?: 'live' | 'freed' | 'leaked';
  /** The snapshot's status: `ok`, or why nothing is known. */
  status: Snapshot['status'];
}

/**
 * The concrete state of the binding `name` (or the one declared at `declRange`) in the frame of
 * the function holding `pos`, when execution reaches `pos` (visit 1 by default): after the
 * line's statements, or with `before: true` just before them (hover on a use). Null when the
 * position is not reached or the binding is not in scope there; when the run stopped before `pos`
 * or never gets there, `opts.unreached` is told why, in words ("the simulation stopped before
 * line 7: a loop in `main` ran 10000 times", "`helper` is never called"). Only the heap blocks the frames
 * point to are drawn (`heap: 'pointed'`, the default; `all` draws every block, with the same answer).
 */
export function valueStateAt(
  run: Run,
  pos: Position,
  binding: { name?: string; declRange?: Span },
  visit = 1,
  opts: { before?: boolean; heap?: HeapDrawn; unreached?: (why: string) => void } = {},
): ValueState | null {
  const drawn = opts.heap ?? 'pointed';
  let snap = runSnapshotAt(run, pos, visit, 0, { heap: drawn });
  if (opts.before && snap.status === 'ok') {
    // "Just before the use": the memory before the first step of the line's visit.
    const body = bodyAt(run.input.bodies, pos);
    const r = body ? runReaching(run, body) : run;
    const visits = body ? visitsOf(r, body, pos.line) : [];
    const chosen = visits[Math.min(visit, visits.length) - 1];
    if (chosen && chosen.windowStart > 0 && body) {
      const k = chosen.windowStart - 1;
      snap = render(r, replayTo(r, k), k, k, visit, visits.length, body, 'ok', `before line ${pos.line + 1} of \`${body.name}\``, drawn);
    }
  }
  if (snap.status === 'stopped' || snap.status === 'not-reached') opts.unreached?.(snap.message);
  if (snap.status !== 'ok' || !snap.frames.length) return null;
  const frame = [...snap.frames].reverse().find((f) => f.function === snap.function) ?? snap.frames[snap.frames.length - 1];
  const slot = [...frame.slots]
    .reverse()
    .find((s) =>
      binding.declRange
        ? s.declRange.start.line === binding.declRange.start.line && s.declRange.start.character === binding.declRange.start.character
        : s.name === binding.name,
    );
  if (!slot) return null;
  const out: ValueState = { state: slot.state, text: slot.value.text, status: snap.status };
  if (slot.movedTo) out.movedTo = slot.movedTo;
  const v = slot.value;
  const fieldOf = (n: string): Value | undefined => (v.kind === 'aggregate' ? v.fields.find((f) => f.name === n)?.value : undefined);
  const num = (x: Value | undefined): number | null | undefined =>
    x === undefined ? undefined : x.kind === 'scalar' ? Number(x.text) : null;
  const ptr: Value | undefined = v.kind === 'pointer' ? v : fieldOf('ptr');
  if (ptr && ptr.kind === 'pointer' && ptr.target) {
    out.targetRegion = ptr.target.region;
    out.targetId = ptr.target.id;
  }
  const len = num(fieldOf('len'));
  const cap = num(fieldOf('cap'));
  if (len !== undefined) out.len = len;
  if (cap !== undefined) out.capacity = cap;
  if (out.targetId) {
    const block = snap.heap.find((h) => h.id === out.targetId);
    if (block) {
      // A (sub-)slice or container: its own len × the block's element size; Box/Rc: the block.
      const es = block.len ? (block.size !== null ? block.size / block.len : null) : block.type === '[u8]' ? 1 : null;
      out.targetBytes = typeof len === 'number' && es !== null && block.len !== undefined ? len * es : block.size;
      out.blockBytes = block.capacity;
      out.heapState = block.state;
    } else if (out.targetRegion === 'static') {
      out.targetBytes = len ?? snap.statics.find((s) => s.id === out.targetId)?.size ?? null;
    } else if (out.targetRegion === 'stack') {
      const target = snap.frames.flatMap((f) => f.slots).find((s) => s.id === out.targetId);
      out.targetBytes = target?.size ?? null;
    }
  } else if (v.kind === 'aggregate' && fieldOf('ptr')) {
    // No allocation yet (String::new): nothing on the heap.
    out.targetBytes = 0;
  }
  return out;
}
