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
} from '../../../shared/protocol';
import { emptySnapshot } from '../../../shared/protocol';
import { type Machine, byteOf, floatText, frameId, heapId, slotIdOf, staticId } from '../interp/interp';
import { replayTo, runProgram } from '../interp/run';
import { simulation, type Analysis } from '../engine/engine';
import { type Activation, type HeapBlockRec, type Loc, type Val, fromUtf8, hasMovedPart } from '../interp/memory';
import type { Run, Step } from '../interp/trace';
import { baseName, sizeAlignOf } from '../interp/tyinfo';
import { heapShape } from '../std/registry';

/** The heap shape of an owning handle's or block's kind (`std/types.ts` `HeapShape`), from the std registry. */
const shapeOf = (kind: string) => (kind === 'other' ? undefined : heapShape(kind));
import { spanContains } from '../base/span';

const MAX_CONTENTS = 256;

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
      if (s.kind === 'nop' || s.kind === 'fakeRead' || isZero(s.span)) continue;
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
  let r = run.symbolicRuns.get(body.name);
  if (!r) {
    r = runProgram({ ...run.input, entry: body.name, symbolic: true });
    run.symbolicRuns.set(body.name, r);
  }
  return r;
}

/**
 * The memory when execution reaches `pos` for the `visit`-th time (1-based; past the last
 * visit shows the last), moved by `stepOffset` steps. Never throws.
 */
export function snapshotAt(a: Analysis, pos: Position, visit = 1, stepOffset = 0): Snapshot {
  try {
    return runSnapshotAt(simulation(a), pos, visit, stepOffset);
  } catch (e) {
    return emptySnapshot('unavailable', `the simulation failed: ${(e as Error).message}`, { visit });
  }
}

/** `snapshotAt` on a given run (see `snapshotAt`). Never throws. */
export function runSnapshotAt(run: Run, pos: Position, visit = 1, stepOffset = 0): Snapshot {
  const v = Number.isInteger(visit) && visit >= 1 ? visit : 1;
  try {
    const body = bodyAt(run.input.bodies, pos);
    if (!body) return emptySnapshot('no-function', 'the cursor is not inside a function body', { visit: v, steps: run.steps.length });
    const r = runReaching(run, body);
    const visits = visitsOf(r, body, pos.line);
    const stopped = r.stop.reason !== 'end' ? { reason: r.stop.reason, message: r.stop.message, range: r.stop.range } : undefined;
    if (!visits.length) {
      if (stopped && r.steps.length) {
        const last = r.steps.length - 1;
        const snap = render(
          r,
          replayTo(r, last),
          last,
          last,
          v,
          0,
          body,
          'stopped',
          `the simulation stopped before line ${pos.line + 1}: ${stopped.message}`,
        );
        snap.stopped = stopped;
        return snap;
      }
      const reached = r.acts.some((a) => a.fn === body.name);
      return {
        ...emptySnapshot(
          'not-reached',
          reached ? `line ${pos.line + 1} of \`${body.name}\` is never reached` : `\`${body.name}\` is never called`,
          { visit: v, steps: r.steps.length, function: body.name },
        ),
        stopped,
        unknowns: r.unknowns.length ? [...r.unknowns] : undefined,
      };
    }
    const chosen = visits[Math.min(v, visits.length) - 1];
    const off = Number.isInteger(stepOffset) ? stepOffset : 0;
    const k = Math.max(0, Math.min(r.steps.length - 1, chosen.step + off));
    const windowStart = off === 0 ? chosen.windowStart : k;
    const m = replayTo(r, k);
    const step = r.steps[k];
    const line = step.span.end.line + 1;
    const stepFn = r.acts[step.act - 1]?.fn ?? body.name;
    const message =
      off === 0
        ? `after line ${line} of \`${stepFn}\``
        : `${off > 0 ? `${off} step${off === 1 ? '' : 's'} after` : `${-off} step${off === -1 ? '' : 's'} before`} line ${chosen.step < r.steps.length ? r.steps[chosen.step].span.end.line + 1 : line}: line ${line} of \`${stepFn}\``;
    const snap = render(r, m, k, windowStart, Math.min(v, visits.length), visits.length, body, 'ok', message);
    if (stopped) snap.stopped = stopped;
    return snap;
  } catch (e) {
    return emptySnapshot('unavailable', `internal error in the snapshot: ${e instanceof Error ? e.message : String(e)}`, {
      visit: v,
      steps: run.steps.length,
    });
  }
}

/** Builds the protocol Snapshot from the machine state after step k. */
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
): Snapshot {
  const step: Step | undefined = run.steps[k];
  const r = new Renderer(m, windowStart, k);
  const frames = m.stack.map((a) => r.frame(a));
  const heap = r.heap();
  const statics = m.statics.filter((s) => s.kind !== 'scratch').map((s) => r.staticItem(s.id));
  r.fillBorrows(frames);
  // The events of the visit: every step of this activation from the window start to k (a call
  // on the line contributes its call and return, not the callee's inner steps).
  const events: MemoryEvent[] = [];
  if (step) {
    for (let i = Math.max(0, Math.min(windowStart, k)); i <= k; i++) {
      const st = run.steps[i];
      if (i !== k && st.act !== step.act) continue;
      for (const e of st.events) events.push({ ...e, ids: [...e.ids] });
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
    statics,
    events,
    unknowns: run.unknowns.length ? [...run.unknowns] : undefined,
  };
}

class Renderer {
  /** Pointer sources per slot id, for `borrowedBy`. */
  private readonly borrowers = new Map<string, Set<string>>();
  private currentSlotName = '';

  constructor(
    private readonly m: Machine,
    private readonly windowStart: number,
    private readonly k: number,
  ) {}

  frame(a: Activation): Frame {
    const slots: Slot[] = [];
    a.body.locals.forEach((l, i) => {
      if (l.kind === 'temp' || l.kind === 'return' || !l.name) return;
      const s = a.slots[i];
      if (!s || !s.shown) return;
      if (s.dead && (s.deadStep === undefined || s.deadStep < this.windowStart)) return;
      this.currentSlotName = l.name;
      const lay = sizeAlignOf(l.ty, this.m.adts);
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
        value: s.life === 'uninit' ? { kind: 'uninit', text: 'uninit' } : this.value(s.val, l.ty, 0),
        state,
        mutable: l.mutable,
        declRange: l.span,
      };
      if (s.life === 'moved' && s.movedTo)
        slot.movedTo = { to: s.movedTo.to, line: s.movedTo.at.start.line + 1, column: s.movedTo.at.start.character + 1 };
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
        if (a.popped || a.slots[loc.local]?.dead) t.dangling = true;
        return t;
      }
      case 'heap': {
        const b = m.heap[loc.block - 1];
        const t: PointerTarget = { id: heapId(loc.block), region: 'heap' };
        if (b && shapeOf(b.kind)?.kind === 'buffer' && loc.path.length) t.index = loc.path[0];
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

  value(v: Val, ty: Ty | undefined, depth: number): Value {
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
        return { kind: 'uninit', text: `moved to ${v.to}` };
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
              { name: 'ptr', value: { kind: 'pointer', text: target ? `→ ${target.id}` : 'dangling', target } },
              { name: 'len', value: v.len === null ? { kind: 'unknown', text: '?' } : { kind: 'scalar', text: String(v.len) } },
            ],
          };
        }
        return { kind: 'pointer', text: v.to ? `${v.raw ? '*' : '&'}${v.mutable ? 'mut ' : ''}${m.locText(v.to)}` : '?', target };
      }
      case 'own': {
        const b = m.block(v.block);
        const tgt: PointerTarget | null =
          v.block === null ? null : { id: heapId(v.block), region: 'heap', ...(b && b.state === 'freed' ? { dangling: true } : {}) };
        const ptr: Value = { kind: 'pointer', text: v.block === null ? 'dangling (no allocation)' : `→ heap:${v.block}`, target: tgt };
        const shape = shapeOf(v.kind);
        if (shape?.kind === 'buffer') {
          const known = !b || !b.unknownContents;
          const len = b ? b.elems.length : 0;
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
          const n = b && !b.unknownContents ? b.elems.length : null;
          return {
            kind: 'aggregate',
            text: `${v.kind} { … }`,
            fields: [
              { name: 'ptr', value: ptr },
              { name: 'len', value: n === null ? { kind: 'unknown', text: '?' } : { kind: 'scalar', text: String(n) } },
            ],
          };
        }
        return { kind: 'pointer', text: v.block === null ? 'dangling' : `${v.kind} → heap:${v.block}`, target: tgt };
      }
      case 'agg': {
        const names = this.fieldNames(v, ty);
        const tys = this.fieldTys(v, ty);
        const fields: Field[] = v.fields.map((f, i) => ({ name: names[i] ?? String(i), value: this.value(f, tys[i], depth + 1) }));
        let text: string;
        if (v.closure) text = 'closure';
        else if (v.variant !== undefined) text = fields.length ? `${v.variant}(${fields.map((f) => f.value.text).join(', ')})` : v.variant;
        else if (v.adt === 'RefCell' || v.adt === 'Cell' || v.adt === 'Mutex' || v.adt === 'RwLock')
          text = `${v.adt} { ${fields[0]?.value.text ?? '?'} }`;
        else if (v.adt && names.length && !/^\d+$/.test(names[0] ?? ''))
          text = `${baseName(v.adt)} { ${fields.map((f) => `${f.name}: ${f.value.text}`).join(', ')} }`;
        else if (v.adt) text = `${baseName(v.adt)}(${fields.map((f) => f.value.text).join(', ')})`;
        else if (ty && ty.kind === 'array') text = `[${fields.map((f) => f.value.text).join(', ')}]`;
        else text = fields.length === 0 ? '()' : `(${fields.map((f) => f.value.text).join(', ')})`;
        if (fields.length === 0 && v.variant === undefined && !v.adt && !v.closure) return { kind: 'scalar', text: '()' };
        const out: Value = { kind: 'aggregate', text: text.length > 120 ? `${text.slice(0, 117)}…` : text, fields };
        if (v.variant !== undefined) out.variant = v.variant;
        return out;
      }
    }
  }

  private vecText(b: HeapBlockRec | undefined): string {
    if (!b) return '[]';
    const parts = b.elems.slice(0, 16).map((e) => this.value(e, b.elemTy, 10).text);
    return `[${parts.join(', ')}${b.elems.length > 16 ? ', …' : ''}]`;
  }

  private fieldNames(v: Val & { k: 'agg' }, ty: Ty | undefined): string[] {
    if (v.names && v.names.length) return v.names;
    if (ty && ty.kind === 'adt') {
      const def = this.m.adts.get(ty.name);
      if (def) {
        const fields = def.kind === 'enum' ? (def.variants.find((x) => x.name === v.variant)?.fields ?? []) : def.fields;
        return fields.map((f) => f.name);
      }
    }
    if (v.closure) {
      const body = this.m.input.bodies.get(v.closure);
      if (body) return v.fields.map((_, i) => body.locals[i + 1]?.name ?? String(i));
    }
    return v.fields.map((_, i) => String(i));
  }

  private fieldTys(v: Val & { k: 'agg' }, ty: Ty | undefined): (Ty | undefined)[] {
    if (!ty) return [];
    if (ty.kind === 'tuple') return ty.elems;
    if (ty.kind === 'array') return v.fields.map(() => ty.elem);
    if (ty.kind === 'adt') {
      const def = this.m.adts.get(ty.name);
      if (def) {
        const fields = def.kind === 'enum' ? (def.variants.find((x) => x.name === v.variant)?.fields ?? []) : def.fields;
        return fields.map((f) => f.ty);
      }
      if (ty.std && ty.args.length) return v.fields.map(() => ty.args[0]);
    }
    return [];
  }

  heap(): HeapBlock[] {
    const m = this.m;
    const owners = this.owners();
    const out: HeapBlock[] = [];
    for (const b of m.heap) {
      if (b.state === 'freed' && (b.freeStep === undefined || b.freeStep < this.windowStart || b.freeStep > this.k)) continue;
      const es = b.kind === 'String' ? 1 : m.elemSize(b.elemTy);
      const known = !b.unknownContents;
      const shape = shapeOf(b.kind);
      const isSeq = shape?.kind === 'buffer' || shape?.kind === 'table' || shape?.kind === 'btree';
      const len = known ? b.elems.length : null;
      const bytes = m.blockBytes(b);
      const hb: HeapBlock = {
        id: heapId(b.id),
        type: b.kind === 'String' ? '[u8]' : isSeq ? `[${displayTy(b.elemTy)}]` : displayTy(b.elemTy),
        size: isSeq ? (len !== null && es !== null ? len * es : null) : bytes,
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
        const values = b.elems.slice(0, MAX_CONTENTS).map((e) => this.value(e, b.elemTy, 1));
        // A VecDeque's ring (`head` ≠ 0): elements where they are in the buffer, free slots empty.
        if (shape?.kind === 'buffer' && shape.ring && (b.head ?? 0) !== 0 && b.cap <= MAX_CONTENTS) {
          hb.contents = Array.from({ length: b.cap }, (): Value => ({ kind: 'uninit', text: 'uninit' }));
          values.forEach((v, i) => (hb.contents[((b.head ?? 0) + i) % b.cap] = v));
        } else hb.contents = values;
      } else hb.contents = [{ kind: 'unknown', text: '?' }];
      const owner = owners.get(b.id);
      if (owner) hb.owner = owner;
      if (b.rc) hb.rc = { strong: b.rc.strong, weak: Math.max(0, b.rc.weak - (b.rc.strong > 0 ? 1 : 0)) };
      if (b.allocSpan) hb.allocatedAt = b.allocSpan;
      if (b.freeSpan && b.state === 'freed') hb.freedAt = b.freeSpan;
      out.push(hb);
    }
    return out;
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
      if (b.state === 'freed') continue;
      for (const e of b.elems) visit(e, heapId(b.id), 0);
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
      kind: 'static',
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
 * position is not reached or the binding is not in scope there.
 */
export function valueStateAt(
  run: Run,
  pos: Position,
  binding: { name?: string; declRange?: Span },
  visit = 1,
  opts: { before?: boolean } = {},
): ValueState | null {
  let snap = runSnapshotAt(run, pos, visit, 0);
  if (opts.before && snap.status === 'ok') {
    // "Just before the use": the memory before the first step of the line's visit.
    const body = bodyAt(run.input.bodies, pos);
    const r = body ? runReaching(run, body) : run;
    const visits = body ? visitsOf(r, body, pos.line) : [];
    const chosen = visits[Math.min(visit, visits.length) - 1];
    if (chosen && chosen.windowStart > 0 && body) {
      const k = chosen.windowStart - 1;
      snap = render(r, replayTo(r, k), k, k, visit, visits.length, body, 'ok', `before line ${pos.line + 1} of \`${body.name}\``);
    }
  }
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
