/**
 * The MIR interpreter: executes `Body`s (mir/mir.ts) from an entry function, recording a trace
 * (trace.ts) of steps with events, and able to stop after any step k so that the memory at step
 * k can be rebuilt by a deterministic re-run (`Machine.replay`).
 *
 * Semantics follow rustc's MIR (rustc_middle::mir) and Miri where it matters to a learner:
 *   - `Operand::Move` de-initialises its place (slot `moved`, or a `moved` field: partial move);
 *     values of Copy types are copied even when the operand says move.
 *   - `Drop` terminators drop only what is initialised at run time (drop elaboration by state):
 *     moved/uninit slots and moved fields are skipped; user `Drop::drop` bodies are called.
 *   - Heap: String/Vec grow like alloc::raw_vec (`grow_amortized`: max(2*cap, len+additional,
 *     MIN_NON_ZERO_CAP = 8 / 4 / 1 for element sizes 1 / ≤1024 / larger)), `String::from`,
 *     `clone`, `vec![..]` allocate exactly; `String::new`/`Vec::new` do not allocate.
 *   - Rc/Arc: strong/weak counts (weak starts at 1, the implicit weak of the strong refs);
 *     the value is dropped at strong 0, the block freed at weak 0. Blocks still live when the
 *     entry returns are marked `leaked` (e.g. an Rc cycle).
 *   - Integer arithmetic panics on overflow and division by zero (debug build semantics).
 * Bounds: step budget, per-loop-header visit cap, call depth cap. Nothing throws out of `run`:
 * an internal error ends the trace with reason `unsupported`.
 */
import type { AdtDef, Expr, Lit, Span } from '../hir/hir';
import type { IntName, Ty } from '../hir/ty';
import { displayTy, substitute } from '../hir/ty';
import type { BasicBlock, Body, Callee, Constant, Operand, Place, Rvalue, Statement, Terminator } from '../mir/mir';
import type { MemoryEvent, StopReason } from '../../../shared/protocol';
import {
  type Activation,
  type ElemRun,
  type HeapBlockRec,
  HeapBlock,
  elemAt,
  elemCount,
  firstElems,
  type Loc,
  type SlotRec,
  type StaticRec,
  type Val,
  UNINIT,
  cloneVal,
  fromUtf8,
  getAt,
  hasMovedPart,
  intVal,
  isRunScalar,
  setAt,
  unitVal,
  unknownVal,
  utf8,
  withPath,
  byteOf,
  floatText,
  heapId,
} from './memory';
export { byteOf, floatText, heapId } from './memory';
import { handOverTemps } from './handOver';
import {
  BudgetExceeded,
  WorkMeter,
  chargeHeap,
  chargeValues,
  checkElems,
  checkLength,
  popStack,
  pushStack,
  releaseHeap,
  withMeter,
  SIMULATION_MS,
} from './budget';
import { SimulationCancelled, type ActInfo, type RunInput, type StopInfo, type Step } from './trace';
import { blockSuccessors, bodyTooLargeReason } from '../mir/visit';
import { baseName, derefTy, elemTyOf, isCopyTy, ownKind, sizeOf, valueTyOf, type OwnKind } from './tyinfo';
import { callStd, type SimCall } from '../std/sim';
import { iterOver } from '../std/sim/iterate';
import { defaultOf } from '../std/sim/common';
import type { StdHost } from './host';
import { heapShape, stdAdtDef, stdFn, stdNameOf, stdType, type StdFnId } from '../std/registry';
import { heapBlockBytes } from '../layout/layout';
import { probeMethod, traitMethodFor } from '../hir/method';
import { stdAssocFn, stdConstValue, type StdMethod } from '../std/lookup';

/** True for owners whose block holds one value that `*` reaches (`Box`, `Rc`, `Arc`). */
const isBoxLike = (kind: string): boolean => {
  const s = heapShape(kind)?.kind;
  return s === 'box' || s === 'counted';
};

/** Thrown to end execution: `stop` null = a replay reached its target step. */
export class Halt {
  constructor(readonly stop: StopInfo | null) {}
}

const RETURN = -1;
/** Statements + terminators a run executes before it stops with `step-limit` (`RunInput.stepBudget`). */
export const DEFAULT_BUDGET = 100_000;
const DEFAULT_LOOP_CAP = 10_000;
const DEFAULT_MAX_DEPTH = 200;

const INT_RANGE: Record<IntName, [bigint, bigint]> = {
  i8: [-(1n << 7n), (1n << 7n) - 1n],
  i16: [-(1n << 15n), (1n << 15n) - 1n],
  i32: [-(1n << 31n), (1n << 31n) - 1n],
  i64: [-(1n << 63n), (1n << 63n) - 1n],
  i128: [-(1n << 127n), (1n << 127n) - 1n],
  isize: [-(1n << 63n), (1n << 63n) - 1n],
  u8: [0n, (1n << 8n) - 1n],
  u16: [0n, (1n << 16n) - 1n],
  u32: [0n, (1n << 32n) - 1n],
  u64: [0n, (1n << 64n) - 1n],
  u128: [0n, (1n << 128n) - 1n],
  usize: [0n, (1n << 64n) - 1n],
};

/** The type a range value is stepped as when an Iterator method is called on it. */
const RANGE_AS_ITER: Ty = { kind: 'adt', name: 'IntoIter', args: [{ kind: 'unknown' }], std: true };

/** The std::ops trait and method of a binary operator on user types (The Rust Reference, "Operator expressions"). */
const OPERATOR_TRAITS: Record<string, [string, string]> = {
  '+': ['Add', 'add'],
  '-': ['Sub', 'sub'],
  '*': ['Mul', 'mul'],
  '/': ['Div', 'div'],
  '%': ['Rem', 'rem'],
  '&': ['BitAnd', 'bitand'],
  '|': ['BitOr', 'bitor'],
  '^': ['BitXor', 'bitxor'],
  '<<': ['Shl', 'shl'],
  '>>': ['Shr', 'shr'],
};

/** 1-based "line:col" of a span start, as rustc prints it. */
export const lineCol = (s: Span): string => `${s.start.line + 1}:${s.start.character + 1}`;

/**
 * Facts of a MIR body the machine reads on every call of it, found once per body (a body never
 * changes once built; sizes also depend on the file's ADTs): every replay of a run is a new
 * machine, and a body of thousands of blocks and locals is costly to walk again.
 */
const BODY_FACTS = {
  /** Simulated stack bytes of a frame of the body (the sum of its locals' sizes), by the file's ADTs. */
  frameBytes: new WeakMap<ReadonlyMap<string, AdtDef>, WeakMap<Body, number>>(),
  /** Loop headers: targets of back edges in a depth-first walk. */
  loopHeaders: new WeakMap<Body, Set<number>>(),
  /** Loop exits: the imaginary targets of the builder's `falseEdge` back edges. */
  loopExits: new WeakMap<Body, Set<number>>(),
  /** Why the body is too large to simulate live (`bodyTooLargeReason`), or null. */
  tooLarge: new WeakMap<Body, string | null>(),
};

/** `bodyTooLargeReason` of `body`, found once per body. */
function tooLargeToSimulate(body: Body): string | null {
  let r = BODY_FACTS.tooLarge.get(body);
  if (r === undefined) BODY_FACTS.tooLarge.set(body, (r = bodyTooLargeReason(body) ?? null));
  return r;
}

/** Elements of a heap buffer `forgetContents` makes unknown one by one (keeping its length); larger ones become unknown whole. */
const FORGET_ELEMS = 4096;

/**
 * One execution of a program. `record` keeps the steps; `stopAfter` halts right after that step
 * (the memory then is the memory after step `stopAfter`).
 */
export class Machine implements StdHost {
  readonly adts: ReadonlyMap<string, AdtDef>;
  readonly acts: Activation[] = [];
  readonly stack: Activation[] = [];
  readonly heap: HeapBlockRec[] = [];
  readonly statics: StaticRec[] = [];
  private readonly staticByText = new Map<string, number>();
  readonly steps: Step[] | null;
  readonly actInfos: ActInfo[] = [];
  stepCount = 0;
  /** MIR statements and terminators executed so far (what `RunInput.stepBudget` counts). */
  executed = 0;
  events: MemoryEvent[] = [];
  readonly stdout: string[] = [];
  private stdoutLine = '';
  /** What the current step printed (recorded runs only; see `Step.printed`). */
  private printed = '';
  /** The current step printed an unknown value / guessed or missed something (see `Step`). */
  private printedUnknown = false;
  private unsure = false;
  /** Set by `placeLoc` when it fails inside known memory: the location it had reached (see `lostWrite`). */
  private unresolvedBase: Loc | null = null;
  readonly unknowns: string[] = [];
  private readonly unknownSet = new Set<string>();
  stop: StopInfo | null = null;
  /** Set when the run finished (entry returned): the entry frame is kept for display. */
  finished = false;
  /**
   * True when nothing has changed memory since the last recorded step: the machine is then the
   * memory after step `stepCount - 1`, as a replay to that step rebuilds it (`run.ts` keeps a
   * finished recorded machine instead of replaying its last step). False after an internal
   * error, or a stop with no frame to record it in, ended the run in the middle of a step.
   */
  atStepEnd = true;
  private readonly budget: number;
  private readonly loopCap: number;
  private readonly maxDepth: number;
  /** Moves whose destination was a temporary: patched when the temporary moves on. */
  private readonly pendingMoves = new Map<string, { slot?: SlotRec; field?: Val & { k: 'moved' }; ev?: MemoryEvent; from: string }[]>();
  /** Set when control jumped back to a loop header; the next step is marked `loop`. */
  private loopBack = false;
  /** Current statement span (for events that need one). */
  span: Span = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

  constructor(
    readonly input: RunInput,
    opts: { record: boolean; stopAfter?: number },
  ) {
    this.adts = input.file.adts;
    this.steps = opts.record ? [] : null;
    this.stopAfter = opts.stopAfter;
    this.budget = input.stepBudget ?? DEFAULT_BUDGET;
    this.loopCap = input.loopCap ?? DEFAULT_LOOP_CAP;
    this.maxDepth = input.maxDepth ?? DEFAULT_MAX_DEPTH;
  }
  private readonly stopAfter: number | undefined;

  // --- running

  /** The work budgets of this run (see `budget.ts`). */
  private readonly meter = new WorkMeter();
  /** `performance.now()` past which a recorded run stops (`SIMULATION_MS`). */
  private readonly deadline = performance.now() + SIMULATION_MS;

  /** Runs the entry to completion or to a stop (a budget included). Never throws. */
  run(): void {
    withMeter(this.meter, () => this.runMetered());
  }

  private runMetered(): void {
    if (this.input.off) {
      this.stop = { reason: 'unsupported', message: this.input.off, step: -1 };
      return;
    }
    try {
      const body = this.input.bodies.get(this.input.entry);
      if (!body) {
        this.stop = { reason: 'unsupported', message: `no MIR for \`${this.input.entry}\``, step: -1 };
        return;
      }
      const tooLarge = tooLargeToSimulate(body);
      if (tooLarge) {
        this.stop = { reason: 'unsupported', message: `not simulated: ${tooLarge}`, step: -1 };
        return;
      }
      const args: Val[] = [];
      for (let i = 1; i <= body.argCount; i++) {
        const ty = body.locals[i]?.ty;
        args.push(this.symbolicArg(ty));
      }
      if (body.argCount > 0)
        this.note(`the arguments of \`${body.name}\` are not known (it is simulated on its own, not called from \`main\`)`);
      const act = this.pushAct(body, args, undefined);
      const entrySpan = { start: body.span.start, end: body.span.start };
      this.emit('call', `entered \`${body.name}\``, [frameId(act.id)]);
      this.record(entrySpan, act, act.id);
      this.execBody(act);
      // The entry returned: everything still allocated is leaked (an Rc cycle, Box::leak, forget).
      this.finished = true;
      const retSpan = this.span;
      this.emit('return', `\`${body.name}\` returned`, [frameId(act.id)]);
      for (const b of this.heap) {
        if (b.state !== 'live' || b.escaped) continue;
        b.state = 'leaked';
        const why = b.rc ? ` (${b.kind} strong count ${b.rc.strong}: a reference cycle keeps it alive)` : '';
        this.emit('leak', `heap:${b.id} leaked${why}`, [heapId(b.id)]);
      }
      this.stop = { reason: 'end', message: `\`${body.name}\` returned`, range: retSpan, step: this.stepCount };
      this.record(retSpan, act);
      this.stop.step = this.stepCount - 1;
    } catch (e) {
      if (e instanceof Halt) {
        if (e.stop) this.stop = e.stop;
        return;
      }
      if (e instanceof SimulationCancelled) throw e;
      if (e instanceof BudgetExceeded) {
        // A budget ran out: the trace ends here, with the budget's reason.
        try {
          this.halt(e.reason, e.message);
        } catch (h) {
          if (h instanceof Halt && h.stop) this.stop = h.stop;
          else if (!(h instanceof Halt)) {
            this.atStepEnd = false;
            this.stop = { reason: e.reason, message: e.message, range: this.span, step: this.stepCount - 1 };
          }
        }
        return;
      }
      const msg = e instanceof Error ? e.message : String(e);
      this.atStepEnd = false;
      this.stop = {
        reason: 'unsupported',
        message: `internal error in the simulation: ${msg}`,
        range: this.span,
        step: this.stepCount - 1,
      };
      // Keep a last step so the trace shows where it happened.
      if (this.events.length && this.stack.length) {
        try {
          this.record(this.span, this.stack[this.stack.length - 1], undefined, true);
        } catch {
          /* replay target reached */
        }
      }
    }
  }

  private symbolicArg(ty: Ty | undefined): Val {
    return { k: 'unknown', text: ty ? `?` : '?' };
  }

  /** Ends the run: records a step with the pending events, then halts. */
  halt(reason: StopReason, message: string): never {
    const act = this.stack[this.stack.length - 1];
    const info: StopInfo = { reason, message, range: this.span, step: this.stepCount };
    if (act) {
      // No event kind for "stopped"; a panic unwinds like a return (shown with the message).
      this.emit('return', message, [frameId(act.id)]);
      this.record(this.span, act, undefined, true);
    } else this.atStepEnd = false;
    info.step = this.stepCount - 1;
    throw new Halt(info);
  }

  private tick(): void {
    this.executed++;
    if ((this.executed & 4095) === 0) {
      if (this.input.cancelled?.()) throw new SimulationCancelled();
      // Wall clock: recorded runs only (a replay re-runs at most the recorded steps).
      if (this.steps && performance.now() > this.deadline)
        this.halt('step-limit', `the simulation stopped: it took longer than ${SIMULATION_MS} ms`);
    }
    if (this.executed > this.budget) {
      this.halt('step-limit', `the simulation stopped after ${this.budget} MIR steps (${this.input.stepBudgetNote ?? 'step budget'})`);
    }
  }

  /** Closes the current step. */
  record(span: Span, act: Activation, enters?: number, force = false): void {
    const idx = this.stepCount++;
    if (this.steps) {
      const st: Step = { span, act: act.id, events: this.events, enters };
      if (this.loopBack) st.loop = true;
      if (this.printed) st.printed = this.printed;
      if (this.printedUnknown) st.printedUnknown = true;
      if (this.unsure) st.unsure = true;
      this.steps.push(st);
    }
    this.loopBack = false;
    this.printed = '';
    this.printedUnknown = false;
    this.unsure = false;
    this.events = [];
    this.atStepEnd = true;
    this.meter.newStep();
    if (!force && this.stopAfter !== undefined && idx >= this.stopAfter) throw new Halt(null);
    if (force && this.stopAfter !== undefined && idx >= this.stopAfter) throw new Halt(null);
  }

  emit(kind: MemoryEvent['kind'], text: string, ids: string[]): MemoryEvent {
    const ev = { kind, text, ids };
    // A replay rebuilds memory only: its events are never read (the recorded run has them).
    if (this.steps) this.events.push(ev);
    else this.events.length = 1;
    return ev;
  }

  /**
   * Records a fact the simulation does not know. Unless `output` is false (the note is about
   * printed text itself), the current step is marked `unsure`: later output may differ.
   */
  note(text: string, output = true): void {
    if (output) this.unsure = true;
    if (this.unknownSet.has(text) || this.unknownSet.size > 50) return;
    this.unknownSet.add(text);
    this.unknowns.push(text);
  }

  // --- activations

  private pushAct(body: Body, args: Val[], callSite: Span | undefined): Activation {
    const depth = this.stack.length + 1;
    if (depth > this.maxDepth) {
      this.halt('recursion-limit', `the simulation stopped at call depth ${this.maxDepth} (\`${body.name}\` keeps calling itself?)`);
    }
    const tooLarge = tooLargeToSimulate(body);
    if (tooLarge) this.halt('unsupported', `the simulation stopped at a call: ${tooLarge}`);
    const id = this.acts.length + 1;
    const slots: SlotRec[] = body.locals.map(() => ({ val: UNINIT, life: 'uninit', shown: false, dead: false }));
    for (let i = 1; i <= body.argCount && i < slots.length; i++) {
      slots[i] = { val: args[i - 1] ?? unknownVal(), life: 'init', shown: true, dead: false };
    }
    const act: Activation = { id, fn: body.name, body, depth, callSite, slots, blockVisits: new Map(), popped: false };
    pushStack(this.frameBytesOf(body));
    this.acts.push(act);
    this.stack.push(act);
    const parent = this.stack.length > 1 ? this.stack[this.stack.length - 2].id : undefined;
    this.actInfos.push({ id, fn: body.name, depth, parent, callSite, enterStep: this.stepCount });
    for (const u of body.unsupported) this.note(`line ${u.span.start.line + 1}: ${u.what} is not simulated exactly`);
    return act;
  }

  /** The simulated stack bytes of a frame of `body`: its locals' sizes (unknown sizes count 8). */
  private frameBytesOf(body: Body): number {
    let byBody = BODY_FACTS.frameBytes.get(this.adts);
    if (!byBody) BODY_FACTS.frameBytes.set(this.adts, (byBody = new WeakMap()));
    let n = byBody.get(body);
    if (n === undefined) {
      n = 0;
      for (const l of body.locals) n += (l.ty ? sizeOf(l.ty, this.adts) : null) ?? 8;
      byBody.set(body, n);
    }
    return n;
  }

  getAct(id: number): Activation | undefined {
    return this.acts[id - 1];
  }

  /** Loop exit blocks: the imaginary targets of the builder's `falseEdge` back edges. */
  private loopExits(body: Body): Set<number> {
    let s = BODY_FACTS.loopExits.get(body);
    if (!s) {
      s = new Set();
      for (const b of body.blocks) if (b.terminator.kind === 'falseEdge' && !b.terminator.alternative) s.add(b.terminator.imaginaryTarget);
      BODY_FACTS.loopExits.set(body, s);
    }
    return s;
  }

  private loopHeadersOf(body: Body): Set<number> {
    let s = BODY_FACTS.loopHeaders.get(body);
    if (s) return s;
    s = new Set();
    // Iterative DFS: a successor on the DFS stack is the target of a back edge (a loop header).
    const state = new Uint8Array(body.blocks.length);
    const stack: { b: number; succ: number[]; i: number }[] = [];
    const push = (b: number): void => {
      state[b] = 1;
      stack.push({ b, succ: blockSuccessors(body, b), i: 0 });
    };
    if (body.blocks.length) push(0);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i >= top.succ.length) {
        state[top.b] = 2;
        stack.pop();
        continue;
      }
      const n = top.succ[top.i++];
      if (n < 0 || n >= body.blocks.length) continue;
      if (state[n] === 1) s.add(n);
      else if (state[n] === 0) push(n);
    }
    BODY_FACTS.loopHeaders.set(body, s);
    return s;
  }

  /** Executes an activation's blocks until `return`; returns the return place's value. */
  private execBody(act: Activation): Val {
    const body = act.body;
    const headers = this.loopHeadersOf(body);
    let bb = 0;
    for (;;) {
      const block = body.blocks[bb];
      if (!block) this.halt('unsupported', `\`${body.name}\` has no basic block ${bb}`);
      const visits = (act.blockVisits.get(bb) ?? 0) + 1;
      act.blockVisits.set(bb, visits);
      if (visits > 1 && headers.has(bb)) this.loopBack = true;
      if (visits > this.loopCap && headers.has(bb)) {
        this.halt('loop-limit', `the simulation stopped: a loop in \`${body.name}\` ran ${this.loopCap} times`);
      }
      for (const st of block.statements) {
        this.tick();
        this.span = st.span;
        this.execStatement(act, st);
      }
      this.tick();
      this.span = block.terminator.span;
      const next = this.execTerminator(act, block.terminator);
      if (next === RETURN) {
        const slot = act.slots[0];
        return slot ? slot.val : unitVal();
      }
      bb = next;
    }
  }

  // --- names

  localName(act: Activation, local: number): string | undefined {
    const l = act.body.locals[local];
    return l && l.kind !== 'temp' && l.kind !== 'return' ? l.name : undefined;
  }

  /** `x`, `p.name`, `*r`; undefined when the place is a temporary. */
  placeName(act: Activation, p: Place): string | undefined {
    const base = this.localName(act, p.local);
    if (base === undefined) return undefined;
    let s = base;
    for (const e of p.projection) {
      if (e.kind === 'deref') s = `*${s}`;
      else if (e.kind === 'field') s = `${s.startsWith('*') ? `(${s})` : s}.${e.name}`;
      else if (e.kind === 'index') s = `${s}[${e.local === null ? '_' : (this.localName(act, e.local) ?? '_')}]`;
      else if (e.kind === 'constantIndex') s = `${s}[${e.offset}]`;
    }
    return s;
  }

  slotId(act: Activation, local: number): string {
    return slotIdOf(act, local);
  }

  // --- types

  placeTy(act: Activation, p: Place): Ty {
    let t: Ty = act.body.locals[p.local]?.ty ?? { kind: 'unknown' };
    for (const e of p.projection) {
      if (e.kind === 'deref') t = derefTy(t);
      else if (e.kind === 'field') t = e.ty;
      else if (e.kind === 'index' || e.kind === 'constantIndex') t = elemTyOf(t);
    }
    return t;
  }

  operandTy(act: Activation, op: Operand): Ty {
    return op.kind === 'constant' ? op.ty : this.placeTy(act, op.place);
  }

  isCopy(t: Ty): boolean {
    return isCopyTy(t, this.adts);
  }

  // --- locations

  /** Evaluates a place to a location; null when it goes through something unknown. */
  placeLoc(act: Activation, p: Place): Loc | null {
    this.unresolvedBase = null;
    // A `static` item's temporary, and any projection of it (`HITS += 1`, `LIMITS[1]`,
    // `CONFIG.name`), is a place of the item itself, in static memory, as in rustc (a static path
    // is a place): a write through it (to a `static mut`) changes the item.
    const item = act.body.locals[p.local]?.promoted?.kind === 'static' ? this.promotedLoc(act, p.local) : undefined;
    let loc: Loc | null = item ?? { region: 'stack', act: act.id, local: p.local, path: [] };
    for (const e of p.projection) {
      if (!loc) return null;
      // Known memory whose element or field this projection cannot pick (`v[i]` with `i`
      // unknown): a write there changes some part of it (`lostWrite`).
      if (e.kind !== 'deref' && e.kind !== 'downcast') this.unresolvedBase = loc;
      switch (e.kind) {
        case 'deref':
          loc = this.derefLoc(loc) ?? this.userDerefLoc(loc);
          break;
        case 'field': {
          // Auto-deref (through as many references/boxes as there are) when the builder did not
          // insert the derefs (receiver types it could not see).
          for (let i = 0; i < 8; i++) {
            const v = this.read(loc);
            if (!(v.k === 'ptr' || (v.k === 'own' && isBoxLike(v.kind)))) break;
            loc = this.derefLoc(loc);
            if (!loc) return null;
          }
          let index = e.index;
          if (index < 0) {
            // The builder could not resolve the field (receiver type not known to it): by name.
            const agg = this.read(loc);
            index = agg.k === 'agg' && agg.names ? agg.names.indexOf(e.name) : -1;
            if (index < 0 && /^\d+$/.test(e.name)) index = Number(e.name);
            if (index < 0) return null;
          }
          loc = withPath(loc, [index]);
          break;
        }
        case 'downcast':
          break;
        case 'subslice': {
          // `rest @ ..` in a slice pattern: a view of the elements between the pattern's ends.
          for (let i = 0; i < 4 && loc; i++) {
            const v = this.read(loc);
            if (v.k !== 'own' && v.k !== 'ptr') break;
            loc = this.derefLoc(loc);
          }
          const len = loc ? this.lenAt(loc) : null;
          if (!loc || len === null) return null;
          const n = e.fromEnd ? len - e.from - e.to : e.to - e.from;
          if (n < 0) return null;
          const { view, ...whole } = loc;
          loc = { ...whole, view: { off: (view?.off ?? 0) + e.from, len: n } } as Loc;
          break;
        }
        case 'index':
        case 'constantIndex': {
          let idx: number | null;
          if (e.kind === 'constantIndex') idx = e.offset;
          else {
            const iv = e.local === null ? unknownVal() : act.slots[e.local]?.val;
            idx = iv && iv.k === 'int' ? Number(iv.v) : null;
          }
          // `v[i]` through references and owners to the sequence (`guard[0]` on a `RwLockReadGuard<Vec<T>>`).
          for (let i = 0; i < 4; i++) {
            // A whole heap block is the sequence itself (read as an aggregate: not read, which would make a run's elements).
            if (loc.region === 'heap' && loc.path.length === 0) break;
            const v = this.read(loc);
            if (v.k !== 'own' && v.k !== 'ptr') break;
            loc = this.derefLoc(loc);
            if (!loc) return null;
          }
          // `map[&key]` on a HashMap/BTreeMap (`impl Index<&Q> for HashMap`): the value of the
          // entry with that key; a missing key panics, as std's `index` does.
          if (idx === null && e.kind === 'index' && e.local !== null && loc.region === 'heap' && loc.path.length === 0) {
            const b = this.block(loc.block);
            if (!b || (b.kind !== 'HashMap' && b.kind !== 'BTreeMap') || b.unknownContents) return null;
            const key = act.slots[e.local]?.val ?? unknownVal();
            const elems = Array.isArray(b.elems) ? b.elems : null;
            if (!elems) return null;
            let found = -1;
            for (let i = 0; i < elems.length && found < 0; i++) {
              const ent = elems[i];
              const eq = ent.k === 'agg' && ent.fields[0] ? this.valuesEqual(ent.fields[0], key) : null;
              if (eq === null) return null;
              if (eq) found = i;
            }
            if (found < 0)
              this.halt('panic', b.kind === 'HashMap' ? 'panicked: key not found in HashMap' : 'panicked: key not found in BTreeMap');
            loc = withPath(loc, [found, 1]);
            break;
          }
          if (idx === null) return null;
          // A struct of the file indexed by a projection: its `Index` impl was not one the builder
          // could choose (`mir/placeOps.ts` calls the ones it can): not its fields, unknown.
          if (this.isFileAdt(loc)) return null;
          const len = this.lenAt(loc);
          if (e.kind === 'constantIndex' && e.fromEnd) {
            // `[.., x]`: counted from the end (the pattern matched, so the slice is long enough).
            if (len === null) return null;
            idx = len - e.offset;
          }
          if (len !== null && (idx < 0 || idx >= len)) {
            this.halt('panic', `panicked: index out of bounds: the len is ${len} but the index is ${idx}`);
          }
          loc = withPath(loc, [idx]);
          break;
        }
      }
    }
    if (loc) this.unresolvedBase = null;
    return loc;
  }

  /**
   * A write to a place `placeLoc` could not resolve (`v[i] = x` with `i` unknown, a map entry
   * whose key compares unknown, a field the builder could not name). When it failed inside known
   * memory (`unresolvedBase`), the part written could be any element of it: those become
   * unknown (`forgetContents`). Either way the step is marked unsure with a note, so later output
   * is not presented as certain. A write through a pointer the simulation does not know needs no
   * more: that pointer came from something already noted as unknown. What `v` owns is not reported
   * leaked.
   */
  private lostWrite(act: Activation, p: Place, span: Span, v: Val): void {
    const base = this.unresolvedBase;
    this.unresolvedBase = null;
    // The value went somewhere the simulation does not see: what it owns is not reported leaked.
    this.escape([v]);
    if (!base) return;
    this.forgetContents(base);
    const name = this.placeName(act, { local: p.local, projection: [] });
    this.note(
      `line ${span.start.line + 1}: the simulation cannot tell which part of ${name !== undefined ? `\`${name}\`` : 'a value'} this writes; its contents are unknown from here`,
    );
  }

  /**
   * Makes the elements of the sequence or the fields of the value at `loc` unknown, through
   * references and owners to a heap block: a block of at most `FORGET_ELEMS` scalars keeps its
   * length, others (larger, stored as a run, or whose elements own memory) become
   * `unknownContents` (`HeapBlockRec`).
   */
  private forgetContents(loc: Loc): void {
    let at: Loc | null = loc;
    for (let i = 0; i < 4 && at && !(at.region === 'heap' && at.path.length === 0); i++) {
      const v = this.read(at);
      if (v.k !== 'ptr' && v.k !== 'own') break;
      at = this.derefLoc(at);
    }
    if (!at) return;
    if (at.region === 'heap' && at.path.length === 0) {
      const b = this.block(at.block);
      const from = at.view?.off ?? 0;
      if (!b || b.state !== 'live' || b.unknownContents) return;
      // A small buffer of scalars keeps its length (each element looked at is charged); any
      // other becomes unknown as a whole, at no cost per element (a lost write in a loop).
      const small = !b.run && Array.isArray(b.elems) && b.elems.length <= FORGET_ELEMS;
      if (small) chargeValues(b.elems.length);
      if (small && b.elems.every((e) => isRunScalar(e) || e.k === 'uninit')) {
        const to = at.view ? from + at.view.len : b.elems.length;
        for (let j = from; j < to && j < b.elems.length; j++) b.elems[j] = unknownVal();
      } else b.unknownContents = true;
      return;
    }
    const v = this.read(at);
    if (v.k === 'agg') {
      chargeValues(v.fields.length);
      // Owned parts keep their blocks (their drops stay simulated), with contents unknown.
      v.fields.forEach((f, j) => {
        if (f.k === 'own') {
          const b = this.block(f.block);
          if (b) b.unknownContents = true;
        } else if (f.k !== 'uninit') this.write(withPath(at, [j]), unknownVal());
      });
    } else if (v.k !== 'uninit') this.write(at, unknownVal());
  }

  /**
   * `*x` on a user type with `impl Deref` (rustc: `*Deref::deref(&x)`, "Dereference expressions"
   * in the Rust reference): runs the user's `deref` on a reference to `loc` and returns where its
   * result points. Null when the value there is not such a type or its `deref` gives no reference.
   */
  private userDerefLoc(loc: Loc): Loc | null {
    const v = this.read(loc);
    if (v.k !== 'agg' || !v.adt || v.closure || !this.stack.length) return null;
    if (!this.adts.has(v.adt) && !this.adts.has(baseName(v.adt))) return null;
    const r = this.callImpl('Deref', 'deref', { k: 'ptr', to: loc, mutable: false }, []);
    return r && r.k === 'ptr' && r.to ? r.to : null;
  }

  /**
   * The value at `loc` is a struct or enum of the file (not a sequence an index projection can
   * reach into). A whole heap block is a sequence, not read (reading would make a run's elements).
   */
  private isFileAdt(loc: Loc): boolean {
    if (loc.region === 'heap' && loc.path.length === 0) return false;
    const v = this.read(loc);
    return v.k === 'agg' && !!v.adt && !v.closure && (this.adts.has(v.adt) || this.adts.has(baseName(v.adt)));
  }

  /** Where the value at `loc` points (refs, Box/Rc/Arc contents, String/Vec buffers). */
  derefLoc(loc: Loc): Loc | null {
    const v = this.read(loc);
    if (v.k === 'ptr') {
      // A fat pointer into the middle of a sequence: a view of the sequence.
      if (v.to && typeof v.len === 'number' && v.to.path.length > 0) {
        const parent = { ...v.to, path: v.to.path.slice(0, -1) } as Loc;
        delete (parent as { view?: unknown }).view;
        const isSeq =
          parent.region === 'heap'
            ? parent.path.length === 0
            : parent.region === 'static'
              ? parent.path.length === 0
              : (() => {
                  const pv = this.read(parent);
                  return pv.k === 'agg' && pv.array === true;
                })();
        if (isSeq) return { ...parent, view: { off: v.to.path[v.to.path.length - 1], len: v.len } } as Loc;
      }
      return v.to;
    }
    if (v.k === 'own') {
      if (v.block === null) return null;
      if (isBoxLike(v.kind)) return { region: 'heap', block: v.block, path: [0] };
      return { region: 'heap', block: v.block, path: [] };
    }
    return null;
  }

  /** Number of elements of the slice/array at `loc`, or null. */
  lenAt(loc: Loc): number | null {
    if (loc.view) return loc.view.len;
    if (loc.region === 'heap' && loc.path.length === 0) {
      const b = this.heap[loc.block - 1];
      return b && !b.unknownContents ? elemCount(b) : null;
    }
    // A string literal's bytes; any other static item (a promoted `&[1, 2]`, a `static` array) is read.
    const bytes = loc.region === 'static' && loc.path.length === 0 ? this.statics[loc.id]?.bytes : undefined;
    if (bytes) return bytes.length;
    const v = this.read(loc);
    return v.k === 'agg' && v.variant === undefined && !v.partial ? v.fields.length : null;
  }

  read(loc: Loc): Val {
    if (loc.view) {
      const { view, ...whole } = loc;
      const all = this.read(whole as Loc);
      return all.k === 'agg' ? { k: 'agg', fields: all.fields.slice(view.off, view.off + view.len), array: true } : unknownVal();
    }
    switch (loc.region) {
      case 'stack': {
        const a = this.getAct(loc.act);
        const s = a?.slots[loc.local];
        if (!s) return unknownVal();
        return getAt(s.val, loc.path);
      }
      case 'heap': {
        const b = this.heap[loc.block - 1];
        if (!b) return unknownVal();
        if (b.unknownContents) return unknownVal();
        if (loc.path.length === 0) return { k: 'agg', fields: b.elems };
        const e = elemAt(b, loc.path[0]);
        return e === undefined ? unknownVal() : getAt(e, loc.path, 1);
      }
      case 'static': {
        const s = this.statics[loc.id];
        if (!s) return unknownVal();
        if (s.bytes) {
          if (loc.path.length === 0) return { k: 'agg', fields: s.bytes.map((b) => intVal(b, 'u8')) };
          const x = s.bytes[loc.path[0]];
          return x === undefined ? unknownVal() : intVal(x, 'u8');
        }
        return s.val ? getAt(s.val, loc.path) : unknownVal();
      }
    }
  }

  write(loc: Loc, v: Val): void {
    switch (loc.region) {
      case 'stack': {
        const a = this.getAct(loc.act);
        const s = a?.slots[loc.local];
        if (!s) return;
        s.val = setAt(s.val, loc.path, v);
        if (loc.path.length === 0) {
          s.life = v.k === 'uninit' ? 'uninit' : 'init';
          s.movedTo = undefined;
        } else if (s.life !== 'init') {
          // Writing a field of a moved/uninit aggregate re-initialises that part.
          s.life = 'init';
        }
        s.shown = true;
        s.dead = false;
        return;
      }
      case 'heap': {
        const b = this.heap[loc.block - 1];
        if (!b || b.state !== 'live' || loc.path.length === 0) return;
        while (b.elems.length <= loc.path[0]) b.elems.push(UNINIT);
        b.elems[loc.path[0]] = setAt(b.elems[loc.path[0]], loc.path.slice(1), v);
        return;
      }
      case 'static': {
        const s = this.statics[loc.id];
        if (s && s.val) s.val = setAt(s.val, loc.path, v);
        return;
      }
    }
  }

  // --- heap

  elemSize(t: Ty): number | null {
    return sizeOf(t, this.adts);
  }

  /** Allocates a block and emits an `alloc` event. Returns its id (1-based). */
  alloc(kind: OwnKind | 'other', elemTy: Ty, elems: Val[] | ElemRun, cap: number, what: string): number {
    const id = this.heap.length + 1;
    this.heap.push(new HeapBlock(id, { kind, elemTy, elems, cap }, this.stepCount, this.span));
    if (kind !== 'other' && heapShape(kind)?.kind === 'counted') this.heap[id - 1].rc = { strong: 1, weak: 1 };
    checkLength(elemCount(this.heap[id - 1]), `a heap block of ${what}`);
    const bytes = this.blockBytes(this.heap[id - 1]);
    chargeHeap(bytes);
    this.emit('alloc', `allocated heap:${id}${bytes !== null ? ` (${bytes} bytes)` : ''} for ${what}`, [heapId(id)]);
    return id;
  }

  /** Bytes allocated by a block: the one formula of `layout.ts` `heapBlockBytes` (`Rc<u8>`: 24, `RcInner<u8>`). */
  blockBytes(b: HeapBlockRec): number | null {
    if (b.kind === 'other') return null;
    // Box/Rc of a `dyn Trait` or a slice: the block holds the concrete value (`valueTyOf`).
    const elem = heapShape(b.kind)?.kind === 'buffer' ? b.elemTy : valueTyOf(elemAt(b, 0), b.elemTy);
    return heapBlockBytes(b.kind, elem, { cap: b.cap, len: elemCount(b), buckets: b.buckets }, this.adts as Map<string, AdtDef>);
  }

  free(id: number): void {
    const b = this.heap[id - 1];
    if (!b || b.state !== 'live') return;
    b.state = 'freed';
    b.freeStep = this.stepCount;
    b.freeSpan = this.span;
    const bytes = this.blockBytes(b);
    releaseHeap(bytes);
    this.emit('free', `freed heap:${id}${bytes !== null ? ` (${bytes} bytes)` : ''}`, [heapId(id)]);
  }

  block(id: number | null): HeapBlockRec | undefined {
    return id === null ? undefined : this.heap[id - 1];
  }

  /** The static literal for a string (deduplicated by text, as rustc does for identical literals). */
  literal(text: string, bytes = false): number {
    const key = (bytes ? 'b' : 's') + text;
    const found = this.staticByText.get(key);
    if (found !== undefined) return found;
    const id = this.statics.length;
    const data = bytes ? Array.from(text, (c) => c.charCodeAt(0) & 0xff) : utf8(text);
    this.statics.push({ id, kind: 'literal', name: JSON.stringify(text), ty: { kind: 'str' }, bytes: data, text, span: this.span });
    this.staticByText.set(key, id);
    return id;
  }

  // --- statements

  private execStatement(act: Activation, st: Statement): void {
    switch (st.kind) {
      case 'assign': {
        // A match's fake borrow exists only for the borrow checker (rustc removes it after).
        if (st.rvalue.kind === 'ref' && st.rvalue.borrow === 'fake') return;
        const destName = this.placeName(act, st.place);
        const destText = destName ?? this.tempText(act, st.place);
        const v = this.evalRvalue(act, st.rvalue, destText, st.place);
        const loc = this.placeLoc(act, st.place);
        if (loc) {
          this.dropOverwritten(act, st.place, loc);
          this.write(loc, v);
        } else this.lostWrite(act, st.place, st.span, v);
        if (destName !== undefined) this.describeAssign(act, st.rvalue, destName, v, st.place);
        // Writes to temporaries without a visible effect are not steps of their own.
        if (destName === undefined && this.events.length === 0) return;
        this.record(st.span, act);
        return;
      }
      case 'storageLive': {
        const s = act.slots[st.local];
        if (!s) return;
        // mir/build.ts emits StorageLive after a `let`'s initialiser: keep a value just written.
        if (s.shown && !s.dead) return;
        s.val = UNINIT;
        s.life = 'uninit';
        s.movedTo = undefined;
        s.dead = false;
        const name = this.localName(act, st.local);
        if (name !== undefined) {
          s.shown = true;
          this.emit('storage-live', `\`${name}\` comes into scope`, [this.slotId(act, st.local)]);
          this.record(st.span, act);
        }
        return;
      }
      case 'storageDead': {
        const s = act.slots[st.local];
        if (!s) return;
        s.dead = true;
        s.deadStep = this.stepCount;
        const name = this.localName(act, st.local);
        if (name !== undefined && s.shown) {
          this.emit('storage-dead', `\`${name}\` goes out of scope`, [this.slotId(act, st.local)]);
          this.record(st.span, act);
        }
        return;
      }
      case 'setDiscriminant': {
        const loc = this.placeLoc(act, st.place);
        if (!loc) return;
        const v = this.read(loc);
        const ty = this.placeTy(act, st.place);
        const vidx = this.variantIndex(ty, st.variant);
        if (v.k === 'agg') {
          v.variant = st.variant;
          v.vidx = vidx;
        } else this.write(loc, { k: 'agg', fields: [], variant: st.variant, vidx });
        return;
      }
      case 'fakeRead':
      case 'placeMention':
      case 'nop':
        return;
    }
  }

  /** Text for a temporary destination; the real destination patches it later. */
  private tempText(act: Activation, p: Place): string {
    return `_${p.local}@${act.id}`;
  }

  private describeAssign(act: Activation, rv: Rvalue, dest: string, v: Val, _place: Place): void {
    const ids = [this.slotId(act, _place.local)];
    if (rv.kind === 'use') {
      if (rv.operand.kind === 'copy') {
        const src = this.placeName(act, rv.operand.place);
        if (src !== undefined) {
          this.emit('copy', `copied \`${src}\` to \`${dest}\` (${this.short(v)})`, ids);
          return;
        }
      }
      if (rv.operand.kind === 'move' && this.placeName(act, rv.operand.place) !== undefined) return; // the move event says it
    }
    if (rv.kind === 'ref' || rv.kind === 'addressOf') {
      // The borrow event was emitted by evalRvalue.
      return;
    }
    this.emit('write', `\`${dest}\` = ${this.short(v)}`, ids);
  }

  /** Short text of a value for event messages. */
  short(v: Val): string {
    switch (v.k) {
      case 'int':
        return v.v.toString();
      case 'float':
        return floatText(v.v);
      case 'bool':
        return String(v.v);
      case 'char':
        return `'${v.v}'`;
      case 'own': {
        const b = this.block(v.block);
        if (v.kind === 'String') return b ? (b.unknownContents ? 'String(?)' : JSON.stringify(fromUtf8(b.elems.map(byteOf)))) : '""';
        if (heapShape(v.kind)?.kind === 'buffer')
          return b
            ? `vec![${firstElems(b, 8)
                .map((e) => this.short(e))
                .join(', ')}${elemCount(b) > 8 ? ', …' : ''}]`
            : 'vec![]';
        return `${v.kind}(heap:${v.block ?? '?'})`;
      }
      case 'ptr': {
        if (v.to?.region === 'static') {
          const s = this.statics[v.to.id];
          if (s?.text !== undefined) return JSON.stringify(s.text);
        }
        return v.to ? `&${this.locText(v.to)}` : '&?';
      }
      case 'agg':
        if (v.variant) return v.fields.length ? `${v.variant}(${v.fields.map((f) => this.short(f)).join(', ')})` : v.variant;
        if (v.closure) return 'closure';
        if (v.array)
          return `[${v.fields
            .slice(0, 8)
            .map((f) => this.short(f))
            .join(', ')}${v.fields.length > 8 ? ', …' : ''}]`;
        if (v.adt && v.names && v.names.length && !/^\d+$/.test(v.names[0]))
          return `${baseName(v.adt)} { ${v.fields.map((f, i) => `${v.names![i]}: ${this.short(f)}`).join(', ')} }`;
        if (v.adt) return `${baseName(v.adt)}(${v.fields.map((f) => this.short(f)).join(', ')})`;
        return `(${v.fields.map((f) => this.short(f)).join(', ')})`;
      case 'fn':
        return `fn ${v.name}`;
      case 'iter':
        return 'iterator';
      case 'moved':
        return '(moved)';
      case 'unknown':
        return '?';
      case 'uninit':
        return 'uninit';
    }
  }

  locText(l: Loc): string {
    if (l.region === 'stack') {
      const a = this.getAct(l.act);
      const n = a ? (this.localName(a, l.local) ?? `_${l.local}`) : '?';
      return n + l.path.map((p) => `.${p}`).join('');
    }
    if (l.region === 'heap') return `heap:${l.block}${l.path.length ? `[${l.path[0]}]` : ''}`;
    return `static:${l.id}`;
  }

  /**
   * rustc drops the old value of an initialised place before assigning (`DropAndReplace`). The
   * builder emits a `drop` first; if it did not, drop the old value here so nothing leaks.
   */
  private dropOverwritten(act: Activation, p: Place, loc: Loc): void {
    if (p.projection.length !== 0 || loc.region !== 'stack') return;
    const s = act.slots[p.local];
    if (!s || s.life !== 'init' || act.body.locals[p.local]?.kind === 'temp') return;
    if (!ownsSomething(s.val)) return;
    const name = this.localName(act, p.local);
    this.emit('drop', `dropped the old value of \`${name ?? '_'}\``, [this.slotId(act, p.local)]);
    this.dropVal(s.val, this.placeTy(act, p), loc, 0);
  }

  // --- operands and rvalues

  /** Reads an operand; `move` marks the place moved (unless its type is Copy). */
  evalOperand(act: Activation, op: Operand, dest: string): Val {
    if (op.kind === 'constant') return this.evalConst(op.value, op.ty);
    const loc = this.placeLoc(act, op.place);
    if (!loc) return unknownVal();
    const v = this.read(loc);
    const ty = this.placeTy(act, op.place);
    // A whole temporary the body names nowhere else (`handOverTemps`: not one a guarded match arm moves twice).
    const wholeTemp = op.place.projection.length === 0 && loc.region === 'stack' && handOverTemps(act.body).has(op.place.local);
    if (op.kind === 'move' && wholeTemp && this.isCopy(ty)) {
      // A temporary moving on is never read again: its Copy value is handed over, not copied
      // (`Some(Some(…))` a hundred deep copied each level's value once per level).
      return v;
    }
    if (op.kind === 'copy' || this.isCopy(ty)) {
      // mir/build.ts reads places behind a deref as `copy` (it stays silent where it cannot
      // prove a move is legal). Moving out of a Box (`self.head = node.next`) is a real move:
      // the value owns memory and the path goes through Boxes only (never a reference).
      if (op.kind === 'copy' && ownsSomething(v) && !this.isCopy(ty) && this.derefsOnlyBoxes(act, op.place)) {
        this.markMoved(act, op.place, loc, dest, op.span);
      }
      return cloneVal(v);
    }
    this.markMoved(act, op.place, loc, dest, op.span);
    if (wholeTemp) {
      // A whole temporary moving on is never read again and is not shown: its value is handed
      // over, not copied (`Some(Some(…))` a hundred deep moved each level's value once per
      // level, quadratic in the depth). The slot forgets it, so a later write there cannot
      // change the value's new owner.
      const s = act.slots[op.place.local];
      if (s && s.val === v) {
        s.val = UNINIT;
        return v;
      }
    }
    return cloneVal(v);
  }

  /** True when the place has at least one deref and every deref goes through an owned Box. */
  private derefsOnlyBoxes(act: Activation, p: Place): boolean {
    let loc: Loc | null = { region: 'stack', act: act.id, local: p.local, path: [] };
    let sawDeref = false;
    for (let i = 0; i < p.projection.length; i++) {
      const e = p.projection[i];
      if (!loc) return false;
      if (e.kind === 'index' || e.kind === 'constantIndex') return false;
      const v = this.read(loc);
      if (e.kind === 'deref' || e.kind === 'field') {
        // A field of a Box or a reference is reached through an implicit deref.
        if (e.kind === 'deref' || v.k === 'ptr' || v.k === 'own') {
          if (!(v.k === 'own' && v.kind === 'Box')) return false;
          sawDeref = true;
        }
      }
      loc = this.placeLoc(act, { local: p.local, projection: p.projection.slice(0, i + 1) });
    }
    return sawDeref;
  }

  private markMoved(act: Activation, p: Place, loc: Loc, dest: string, opSpan?: Span): void {
    const srcName = this.placeName(act, p);
    const shownDest = dest.includes('@') ? 'a temporary' : dest;
    // Where the value moved: the operand's own span ("value moved here"), else the statement.
    const at = opSpan ?? this.span;
    let entry: { slot?: SlotRec; field?: Val & { k: 'moved' }; ev?: MemoryEvent; from: string } | undefined;
    if (loc.region === 'stack' && loc.path.length === 0) {
      const s = act.slots[p.local];
      if (!s) return;
      if (act.body.locals[p.local]?.kind === 'temp') {
        // A temporary moving on: whatever moved into it now goes to `dest`.
        s.life = 'moved';
        this.forwardPending(act, p.local, dest);
        return;
      }
      s.life = 'moved';
      s.movedTo = { to: shownDest, at };
      entry = { slot: s, from: srcName ?? '_' };
    } else {
      const cur = this.read(loc);
      if (cur.k === 'moved') return;
      const mv = { k: 'moved' as const, inner: cur, to: shownDest, at };
      this.write(loc, mv);
      entry = { field: mv, from: srcName ?? '_' };
      if (loc.region === 'stack') {
        const s = this.getAct(loc.act)?.slots[loc.local];
        if (s && s.life === 'init') s.life = 'init';
      }
    }
    if (srcName !== undefined) {
      entry.ev = this.emit('move', `moved \`${srcName}\` to ${shownDest === 'a temporary' ? 'a temporary' : `\`${shownDest}\``}`, [
        loc.region === 'stack' ? this.slotId(act, p.local) : this.locText(loc),
      ]);
    }
    if (dest.includes('@') && entry) {
      const list = this.pendingMoves.get(dest) ?? [];
      list.push(entry);
      this.pendingMoves.set(dest, list);
    }
  }

  private forwardPending(act: Activation, local: number, dest: string): void {
    const key = `_${local}@${act.id}`;
    const list = this.pendingMoves.get(key);
    if (!list) return;
    this.pendingMoves.delete(key);
    if (dest.includes('@')) {
      const next = this.pendingMoves.get(dest) ?? [];
      for (const e of list) next.push(e);
      this.pendingMoves.set(dest, next);
      return;
    }
    for (const e of list) {
      const to = dest.endsWith('(…)') ? `${dest.slice(0, -2)}${e.from})` : dest;
      if (e.slot?.movedTo) e.slot.movedTo.to = to;
      if (e.field) e.field.to = to;
      if (e.ev) e.ev.text = `moved \`${e.from}\` to \`${to}\``;
    }
  }

  evalConst(c: Constant, ty: Ty): Val {
    switch (c.kind) {
      case 'lit':
        return this.evalLit(c.lit, ty);
      case 'unit':
        return unitVal();
      case 'fn':
        return { k: 'fn', name: c.name };
      case 'static':
        return this.staticValue(c.name);
      case 'unknown': {
        const k = stdConstValue(c.text);
        if (k?.kind === 'int') return intVal(k.value, k.ty as IntName);
        if (k?.kind === 'float') return { k: 'float', v: k.value };
        // A std method named as a value (`partition(Result::is_ok)`, `map(Result::unwrap)`): a fn item.
        if (stdFnByPath(c.text)) return { k: 'fn', name: c.text };
        return unknownVal();
      }
    }
    return unknownVal();
  }

  private readonly staticItems = new Map<string, number>();
  /** Promoted constants by body and temporary (`mir/promote.ts`): one static slot each, as rustc's `promoted[N]`. */
  private readonly promotedItems = new Map<string, number>();

  /**
   * Where a borrow of the temporary `local` points when it is not in the frame: the `static`
   * item `&NAME` borrows, or the promoted constant's slot in static memory (made on first use,
   * holding the temporary's value). Undefined for a temporary of the frame.
   */
  private promotedLoc(act: Activation, local: number): Loc | undefined {
    const p = act.body.locals[local]?.promoted;
    if (!p) return undefined;
    if (p.kind === 'static') {
      this.staticValue(p.name);
      const id = this.staticItems.get(p.name);
      return id === undefined ? undefined : { region: 'static', id, path: [] };
    }
    const key = `${act.body.name}#${local}`;
    let id = this.promotedItems.get(key);
    if (id === undefined) {
      id = this.statics.length;
      const l = act.body.locals[local];
      this.statics.push({
        id,
        kind: 'promoted',
        name: p.text,
        ty: l.ty,
        val: cloneVal(act.slots[local]?.val ?? unknownVal()),
        span: l.span,
      });
      this.promotedItems.set(key, id);
    }
    return { region: 'static', id, path: [] };
  }

  /** The value of a `static` item: its bytes live in static memory (shown once touched). */
  private staticValue(name: string): Val {
    let id = this.staticItems.get(name);
    if (id === undefined) {
      const def = this.input.file.statics.get(name);
      const val = def?.init ? this.constInit(def.init, def.ty, 0) : unknownVal();
      id = this.statics.length;
      this.statics.push({ id, kind: 'static', name, ty: def?.ty ?? { kind: 'unknown' }, val, span: def?.nameSpan });
      this.staticItems.set(name, id);
    }
    return cloneVal(this.statics[id].val ?? unknownVal());
  }

  /** A `static` item's initializer when it is made of literals (`5`, `"hi"`, `[1, 2, 3]`, `[0; 3]`, `(1, 'a')`); unknown otherwise. */
  private constInit(e: Expr, ty: Ty, depth: number): Val {
    if (depth > 8) return unknownVal();
    if (e.kind === 'lit') return this.evalLit(e.lit, ty);
    if (e.kind === 'array' && ty.kind === 'array' && e.elems.length <= 4096)
      return { k: 'agg', fields: e.elems.map((x) => this.constInit(x, ty.elem, depth + 1)), array: true };
    if (e.kind === 'arrayRepeat' && ty.kind === 'array' && typeof ty.len === 'number' && ty.len <= 4096) {
      const v = this.constInit(e.elem, ty.elem, depth + 1);
      return { k: 'agg', fields: Array.from({ length: ty.len }, () => cloneVal(v)), array: true };
    }
    if (e.kind === 'tuple' && ty.kind === 'tuple' && ty.elems.length === e.elems.length)
      return { k: 'agg', fields: e.elems.map((x, i) => this.constInit(x, ty.elems[i], depth + 1)) };
    return unknownVal();
  }

  evalLit(lit: Lit, ty: Ty): Val {
    switch (lit.kind) {
      case 'int': {
        if (ty.kind === 'float') return { k: 'float', v: ty.name === 'f32' ? Math.fround(Number(lit.value)) : Number(lit.value) };
        const name = (lit.suffix && lit.suffix in INT_RANGE ? lit.suffix : ty.kind === 'int' ? ty.name : undefined) as IntName | undefined;
        return intVal(lit.value, name);
      }
      case 'float':
        return { k: 'float', v: ty.kind === 'float' && ty.name === 'f32' ? Math.fround(lit.value) : lit.value };
      case 'bool':
        return { k: 'bool', v: lit.value };
      case 'char':
        return { k: 'char', v: lit.value };
      case 'str': {
        const id = this.literal(lit.value);
        return { k: 'ptr', to: { region: 'static', id, path: [] }, mutable: false, len: this.statics[id].bytes!.length };
      }
      case 'bytestr': {
        const id = this.literal(lit.value, true);
        return { k: 'ptr', to: { region: 'static', id, path: [] }, mutable: false, len: this.statics[id].bytes!.length };
      }
    }
  }

  private evalRvalue(act: Activation, rv: Rvalue, dest: string, destPlace: Place): Val {
    switch (rv.kind) {
      case 'use':
        return this.evalOperand(act, rv.operand, dest);
      case 'ref':
      case 'addressOf': {
        const promoted = rv.place.projection.length === 0 ? this.promotedLoc(act, rv.place.local) : undefined;
        if (promoted) {
          const v: Val = {
            k: 'ptr',
            to: promoted,
            mutable: rv.kind === 'ref' ? rv.borrow !== 'shared' : rv.mutable,
            raw: rv.kind === 'addressOf',
          };
          const ty = this.placeTy(act, rv.place);
          if (ty.kind === 'str' || ty.kind === 'slice') v.len = this.lenAt(promoted);
          return v;
        }
        const sub = this.subSlice(act, rv.place);
        if (sub) {
          const src = this.placeName(act, { local: rv.place.local, projection: [] });
          if (src !== undefined)
            this.emit('borrow', `${dest.includes('@') ? 'a temporary ' : `\`${dest}\` `}borrows a slice of \`${src}\``, [
              this.slotId(act, rv.place.local),
            ]);
          return { k: 'ptr', to: sub.to, mutable: rv.kind === 'ref' ? rv.borrow !== 'shared' : rv.mutable, len: sub.len };
        }
        const loc0 = this.placeLoc(act, rv.place);
        const mutable = rv.kind === 'ref' ? rv.borrow !== 'shared' : rv.mutable;
        const viewLen = loc0?.view?.len;
        const loc = loc0 && loc0.view ? withPath(loc0, [0]) : loc0;
        const v: Val = { k: 'ptr', to: loc, mutable, raw: rv.kind === 'addressOf' };
        if (viewLen !== undefined) v.len = viewLen;
        if (loc && viewLen === undefined) {
          const len = this.lenOfPointee(loc, this.placeTy(act, rv.place));
          if (len !== undefined) v.len = len;
        }
        const src = this.placeName(act, rv.place);
        if (src !== undefined) {
          const who = dest.includes('@') ? '' : `\`${dest}\` `;
          const how = rv.kind === 'addressOf' ? 'takes the address of' : mutable ? 'mutably borrows' : 'borrows';
          this.emit('borrow', `${who || 'a temporary '}${how} \`${src}\``, [this.slotId(act, rv.place.local)]);
        }
        // A reborrow through a fat pointer keeps its length (`&*s` where s: &str).
        if (
          loc &&
          v.len === undefined &&
          rv.place.projection.length &&
          rv.place.projection[rv.place.projection.length - 1].kind === 'deref'
        ) {
          const baseLoc = this.placeLoc(act, { local: rv.place.local, projection: rv.place.projection.slice(0, -1) });
          const base = baseLoc ? this.read(baseLoc) : undefined;
          if (base && base.k === 'ptr' && base.len !== undefined) v.len = base.len;
        }
        return v;
      }
      case 'binary': {
        const l = this.evalOperand(act, rv.lhs, dest);
        const r = this.evalOperand(act, rv.rhs, dest);
        // `a + b` on a user type runs its `Add::add` (std::ops), as rustc desugars it.
        const op = l.k === 'agg' && l.adt && !l.closure ? OPERATOR_TRAITS[rv.op] : undefined;
        const viaImpl = op ? this.callImpl(op[0], op[1], l, [r]) : undefined;
        if (viaImpl) return viaImpl;
        if (rv.op === '+' && l.k === 'own' && l.kind === 'String') return this.concatString(l, r);
        return this.binary(rv.op, l, r, this.operandTy(act, rv.lhs));
      }
      case 'unary': {
        let v = this.evalOperand(act, rv.operand, dest);
        // `-&x`, `!&b`: std implements `Neg` and `Not` for references to primitives too
        // (core/src/internal_macros.rs `forward_ref_unop`).
        for (let i = 0; i < 4 && v.k === 'ptr' && v.to; i++) v = this.read(v.to);
        if (rv.op === 'not') {
          if (v.k === 'bool') return { k: 'bool', v: !v.v };
          if (v.k === 'int') return this.wrapInt(~v.v, v.ty, true);
          return unknownVal();
        }
        if (v.k === 'int') {
          const r = -v.v;
          if (v.ty && (r < INT_RANGE[v.ty][0] || r > INT_RANGE[v.ty][1])) this.halt('panic', 'panicked: attempt to negate with overflow');
          return intVal(r, v.ty);
        }
        if (v.k === 'float') return { k: 'float', v: -v.v };
        return unknownVal();
      }
      case 'aggregate': {
        const vals = rv.operands.map((o) => this.evalOperand(act, o, dest));
        const a = rv.agg;
        switch (a.kind) {
          case 'tuple':
            return { k: 'agg', fields: vals };
          case 'array':
            return { k: 'agg', fields: vals, array: true };
          case 'closure':
            return { k: 'agg', fields: vals, closure: this.closureBodyName(a.closureId) };
          case 'adt': {
            const n = baseName(a.adt);
            if (a.variant !== undefined) {
              const ty = this.placeTy(act, destPlace);
              return {
                k: 'agg',
                fields: vals,
                names: a.fieldNames,
                adt: a.adt,
                variant: a.variant,
                vidx: this.variantIndex(ty.kind === 'adt' ? ty : { kind: 'adt', name: a.adt, args: [] }, a.variant),
              };
            }
            if ((n === 'Range' || n === 'RangeInclusive') && vals.length === 2) {
              return { k: 'agg', fields: vals, names: ['start', 'end'], adt: n };
            }
            return { k: 'agg', fields: vals, names: a.fieldNames, adt: a.adt };
          }
        }
        return unknownVal();
      }
      case 'repeat': {
        const v = this.evalOperand(act, rv.operand, dest);
        if (rv.count === null) return unknownVal();
        checkElems(rv.count, `an array \`[_; ${rv.count}]\``);
        // Scalars are never changed in place: one value stands for every element.
        const scalar = v.k === 'int' || v.k === 'bool' || v.k === 'char' || v.k === 'float' || v.k === 'unknown' || v.k === 'uninit';
        const fields = scalar ? new Array<Val>(rv.count).fill(v) : Array.from({ length: rv.count }, () => cloneVal(v));
        return { k: 'agg', fields, array: true };
      }
      case 'cast':
        return this.cast(this.evalOperand(act, rv.operand, dest), rv.ty);
      case 'len': {
        const loc = this.placeLoc(act, rv.place);
        const n = loc ? this.lenAt(loc) : null;
        return n === null ? unknownVal() : intVal(n, 'usize');
      }
      case 'discriminant': {
        let loc = this.placeLoc(act, rv.place);
        if (!loc) return unknownVal();
        let v = this.read(loc);
        // A `&Box<List>` passed where `&List` is expected (deref coercion the builder did not
        // write): the enum is behind the pointer, as for a field access (`placeLoc`).
        const want = this.placeTy(act, rv.place);
        const wantsPointer =
          want.kind === 'ref' || want.kind === 'rawptr' || want.kind === 'unknown' || (want.kind === 'adt' && isBoxLike(want.name));
        for (let i = 0; i < 8 && !wantsPointer && loc && (v.k === 'ptr' || (v.k === 'own' && isBoxLike(v.kind))); i++) {
          loc = this.derefLoc(loc);
          if (!loc) return unknownVal();
          v = this.read(loc);
        }
        act.lastDiscr = v;
        return this.discriminantOf(v, this.placeTy(act, rv.place));
      }
      case 'opaque': {
        if (rv.text === '? early return' && act.lastDiscr) {
          // `expr?` on Err(e) / None returns Err(e) / None (From::from on the error is identity
          // for the same type; a conversion to another error type is not modelled).
          const d = act.lastDiscr.k === 'moved' ? act.lastDiscr.inner : act.lastDiscr;
          if (d.k === 'agg' && d.variant === 'None') return cloneVal(d);
          if (d.k === 'agg' && d.variant === 'Err') {
            // The error converts by `From::from` into the function's error type: the identity when
            // it already is that type; another conversion (a user `impl From`, `Box<dyn Error>`) is
            // not simulated, so the error's value is then unknown.
            const ret = act.body.locals[0]?.ty;
            const target = ret?.kind === 'adt' ? ret.args[1] : undefined;
            const payload = d.fields[0];
            const shown = payload ? this.runtimeTy(payload, payload) : undefined;
            const same =
              target !== undefined &&
              shown !== undefined &&
              target.kind === shown.kind &&
              (target.kind !== 'adt' || (shown.kind === 'adt' && baseName(target.name) === baseName(shown.name)));
            if (same) return cloneVal(d);
            // A user `impl From<E> for Target`: `?` calls it on the error.
            const from = target?.kind === 'adt' && !target.std && payload ? this.implBody('From', 'from', target, payload) : undefined;
            if (from && payload) return { ...d, fields: [this.invoke(from, [payload], this.span, act, null, from.name)] };
            // `impl<E: Error> From<E> for Box<dyn Error>` (alloc): the error moves into a new Box.
            if (target?.kind === 'adt' && target.std && stdNameOf(target.name) === 'Box' && payload && shown) {
              const id = this.alloc('Box', shown, [payload], 1, 'Box');
              return { ...d, fields: [{ k: 'own', kind: 'Box', block: id, ty: target }] };
            }
            this.note(`line ${this.span.start.line + 1}: \`?\` converts the error with \`From::from\`, which is not simulated`);
            return { ...d, fields: [unknownVal()] };
          }
        }
        for (const o of rv.operands) this.evalOperand(act, o, dest);
        this.note(`line ${this.span.start.line + 1}: ${rv.text} is not simulated (its value is unknown)`);
        return unknownVal();
      }
    }
  }

  /**
   * `&s[a..b]` (the index local holds a Range): the sub-slice's first element and length, with
   * the bounds checks of `str`/slice indexing (they panic). Null when the place is not a range
   * index or a bound is unknown.
   */
  private subSlice(act: Activation, p: Place): { to: Loc | null; len: number } | null {
    const last = p.projection[p.projection.length - 1];
    if (!last || last.kind !== 'index' || last.local === null) return null;
    const r = act.slots[last.local]?.val;
    if (!r || r.k !== 'agg' || !r.adt || !/^Range/.test(baseName(r.adt))) return null;
    let base = this.placeLoc(act, { local: p.local, projection: p.projection.slice(0, -1) });
    if (!base) return null;
    const bv = this.read(base);
    if (bv.k === 'own' || bv.k === 'ptr') {
      const inner = this.derefLoc(base);
      if (!inner && bv.k === 'own' && bv.block === null) return { to: null, len: 0 };
      if (!inner) return null;
      base = inner;
    }
    // A struct of the file whose `Index` impl the builder could not choose: unknown.
    if (this.isFileAdt(base)) return null;
    let start = 0;
    let end: number | null = this.lenAt(base);
    const total = end;
    const names = r.names ?? [];
    const si = names.indexOf('start');
    const ei = names.indexOf('end');
    const sv = si >= 0 ? r.fields[si] : undefined;
    const ev = ei >= 0 ? r.fields[ei] : undefined;
    if (sv) {
      if (sv.k !== 'int') return null;
      start = Number(sv.v);
    }
    if (ev) {
      if (ev.k !== 'int') return null;
      end = Number(ev.v) + (baseName(r.adt) === 'RangeInclusive' ? 1 : 0);
    }
    if (end === null) return null;
    if (total !== null && (end > total || start > end)) {
      this.halt(
        'panic',
        `panicked: range ${start > end ? `start index ${start} out of range for slice ending at ${end}` : `end index ${end} out of range for slice of length ${total}`}`,
      );
    }
    if (total !== null && this.isStrPlace(act, { local: p.local, projection: p.projection.slice(0, -1) })) {
      // `str` indexing panics when a bound falls inside a character (core/src/str/mod.rs
      // `slice_error_fail`); a byte the simulation does not know makes the slice unknown.
      for (const [which, i] of [
        ['start', start],
        ['end', end],
      ] as const) {
        if (i === 0 || i >= total) continue;
        const b = this.read(withPath(base, [i]));
        if (b.k !== 'int') return null;
        if ((Number(b.v) & 0xc0) !== 0x80) continue;
        let lead = i - 1;
        for (; lead > 0; lead--) {
          const x = this.read(withPath(base, [lead]));
          if (x.k !== 'int') return null;
          if ((Number(x.v) & 0xc0) !== 0x80) break;
        }
        const bytes: number[] = [];
        for (let k = 0; k < total; k++) {
          const x = this.read(withPath(base, [k]));
          if (x.k !== 'int') return null;
          bytes.push(Number(x.v));
        }
        const first = bytes[lead];
        const width = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : 2;
        const ch = fromUtf8(bytes.slice(lead, lead + width));
        this.halt(
          'panic',
          `panicked: ${which} byte index ${i} is not a char boundary; it is inside ${JSON.stringify(ch).replace(/^"|"$/g, "'")} (bytes ${lead}..${lead + width}) of \`${fromUtf8(bytes)}\``,
        );
        return null;
      }
    }
    return { to: withPath(base, [start]), len: end - start };
  }

  /** Whether the place is a `str` or a `String` (through references), the types indexed by byte ranges. */
  private isStrPlace(act: Activation, p: Place): boolean {
    let t = this.placeTy(act, p);
    for (let i = 0; i < 4 && t.kind === 'ref'; i++) t = t.inner;
    return t.kind === 'str' || (t.kind === 'adt' && t.name === 'String');
  }

  /** Length of a fat pointer's pointee (`str`, `[T]`), undefined for thin pointers. */
  private lenOfPointee(loc: Loc, ty: Ty): number | null | undefined {
    if (ty.kind === 'str' || ty.kind === 'slice') return this.lenAt(loc);
    if (loc.path.length === 0 && (loc.region === 'heap' || loc.region === 'static')) {
      if (loc.region === 'heap') {
        const b = this.heap[loc.block - 1];
        if (b && b.kind !== 'other' && heapShape(b.kind)?.kind === 'buffer') return b.unknownContents ? null : elemCount(b);
      } else return this.lenAt(loc);
    }
    return undefined;
  }

  closureBodyName(closureId: number): string | undefined {
    if (!this.closureBodies) {
      this.closureBodies = new Map();
      for (const [name, b] of this.input.bodies) if (b.closureId !== undefined) this.closureBodies.set(b.closureId, name);
    }
    return this.closureBodies.get(closureId);
  }

  /** Closure id → body name (`mir/build.ts` sets `Body.closureId`), built on first use. */
  private closureBodies: Map<number, string> | undefined;

  /**
   * The discriminant the MIR switches on: the variant's index in declaration order (as
   * `mir/build.ts` emits it; Option: None 0, Some 1; Result: Ok 0, Err 1).
   */
  variantIndex(ty: Ty, variant: string): number | undefined {
    const v = baseName(variant);
    if (ty.kind === 'adt') {
      const n = baseName(ty.name);
      // The file's enum, else a std enum's definition in the registry (`Option`, `Result`, `Ordering`).
      const def = (ty.std ? undefined : (this.adts.get(ty.name) ?? this.adts.get(n))) ?? stdAdtDef(n);
      if (def && def.kind === 'enum') {
        const i = def.variants.findIndex((vd) => vd.name === v);
        if (i >= 0) return i;
      }
    }
    if (v === 'None' || v === 'Ok') return 0;
    if (v === 'Some' || v === 'Err') return 1;
    for (const def of this.adts.values()) {
      if (def.kind !== 'enum') continue;
      const i = def.variants.findIndex((vd) => vd.name === v);
      if (i >= 0) return i;
    }
    return undefined;
  }

  private discriminantOf(v: Val, ty: Ty): Val {
    if (v.k === 'moved') return this.discriminantOf(v.inner, ty);
    if (v.k === 'agg' && v.variant !== undefined) {
      const d = v.vidx ?? this.variantIndex(ty, v.variant);
      return d === undefined ? unknownVal() : intVal(d, 'isize');
    }
    return unknownVal();
  }

  wrapInt(v: bigint, ty: IntName | undefined, wrap: boolean): Val {
    if (!ty) return intVal(v);
    const [lo, hi] = INT_RANGE[ty];
    if (v >= lo && v <= hi) return intVal(v, ty);
    if (!wrap) return intVal(v, ty);
    const m = hi - lo + 1n;
    let r = ((((v - lo) % m) + m) % m) + lo;
    if (r > hi) r -= m;
    return intVal(r, ty);
  }

  binary(op: string, l: Val, r: Val, lty: Ty): Val {
    if (l.k === 'moved') l = l.inner;
    if (r.k === 'moved') r = r.inner;
    // std implements the arithmetic and comparison operators for references to numbers too
    // (`impl Mul<i32> for &i32`, `PartialOrd for &A`): look through references to scalars.
    const scalar = (v: Val): Val => {
      let x = v;
      for (let i = 0; i < 4 && x.k === 'ptr' && x.to && x.len === undefined; i++) {
        const t = this.read(x.to);
        if (t.k !== 'int' && t.k !== 'float' && t.k !== 'bool' && t.k !== 'char' && t.k !== 'ptr') return v;
        x = t;
      }
      return x;
    };
    l = scalar(l);
    r = scalar(r);
    if (lty.kind === 'ref') lty = lty.inner;
    if (l.k === 'int' && r.k === 'int') {
      const ty = l.ty ?? r.ty ?? (lty.kind === 'int' ? lty.name : undefined);
      const a = l.v;
      const b = r.v;
      const checked = (x: bigint, what: string): Val => {
        if (ty && (x < INT_RANGE[ty][0] || x > INT_RANGE[ty][1])) this.halt('panic', `panicked: attempt to ${what} with overflow`);
        // Of a type the analysis does not know: past 128 bits no Rust integer holds it (no BigInt growth).
        if (!ty && (x < INT_RANGE.i128[0] || x > INT_RANGE.u128[1])) return unknownVal();
        return intVal(x, ty);
      };
      // Rust checks the shift amount against the type's width (debug build: a panic); the result wraps.
      const shift = (left: boolean): Val => {
        const bits = ty ? BigInt(ty === 'usize' || ty === 'isize' ? 64 : Number(ty.slice(1))) : 128n;
        if (b < 0n || b >= bits) {
          if (ty) this.halt('panic', `panicked: attempt to shift ${left ? 'left' : 'right'} with overflow`);
          return unknownVal();
        }
        return this.wrapInt(left ? a << b : a >> b, ty, true);
      };
      switch (op) {
        case '+':
          return checked(a + b, 'add');
        case '-':
          return checked(a - b, 'subtract');
        case '*':
          return checked(a * b, 'multiply');
        case '/':
          if (b === 0n) this.halt('panic', 'panicked: attempt to divide by zero');
          return checked(a / b, 'divide');
        case '%':
          if (b === 0n) this.halt('panic', 'panicked: attempt to calculate the remainder with a divisor of zero');
          return checked(a % b, 'calculate the remainder');
        case '&':
          return this.wrapInt(a & b, ty, true);
        case '|':
          return this.wrapInt(a | b, ty, true);
        case '^':
          return this.wrapInt(a ^ b, ty, true);
        case '<<':
          return shift(true);
        case '>>':
          return shift(false);
        case '==':
        case '!=':
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(op, a, b);
      }
      return unknownVal();
    }
    if ((l.k === 'float' || l.k === 'int') && (r.k === 'float' || r.k === 'int')) {
      const a = l.k === 'float' ? l.v : Number(l.v);
      const b = r.k === 'float' ? r.v : Number(r.v);
      // f32 arithmetic rounds each result to single precision (IEEE 754 binary32).
      const f = lty.kind === 'float' && lty.name === 'f32' ? Math.fround : (x: number): number => x;
      switch (op) {
        case '+':
          return { k: 'float', v: f(a + b) };
        case '-':
          return { k: 'float', v: f(a - b) };
        case '*':
          return { k: 'float', v: f(a * b) };
        case '/':
          return { k: 'float', v: f(a / b) };
        case '%':
          return { k: 'float', v: f(a % b) };
        case '==':
        case '!=':
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(op, a, b);
      }
      return unknownVal();
    }
    if (l.k === 'bool' && r.k === 'bool') {
      switch (op) {
        case '&':
        case '&&':
          return { k: 'bool', v: l.v && r.v };
        case '|':
        case '||':
          return { k: 'bool', v: l.v || r.v };
        case '^':
        case '!=':
          return { k: 'bool', v: l.v !== r.v };
        case '==':
          return { k: 'bool', v: l.v === r.v };
      }
    }
    if (l.k === 'char' && r.k === 'char') {
      const a = l.v.codePointAt(0)!;
      const b = r.v.codePointAt(0)!;
      switch (op) {
        case '==':
        case '!=':
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(op, a, b);
      }
    }
    if ((op === '==' || op === '!=') && l.k !== 'unknown' && r.k !== 'unknown') {
      const eq = this.valuesEqual(l, r);
      if (eq !== null) return { k: 'bool', v: op === '==' ? eq : !eq };
    }
    return unknownVal();
  }

  /**
   * `string + &str` (alloc `impl Add<&str> for String`: `self.push_str(other); self`): the
   * String's own buffer grows as `push_str` grows it, and the String is the result.
   */
  private concatString(l: Val & { k: 'own' }, r: Val): Val {
    const push = stdFnByPath('String::push_str');
    if (!push) return unknownVal();
    const cell = this.scratchRef(l);
    if (cell.k !== 'ptr' || !cell.to) return unknownVal();
    const call: SimCall = {
      id: push.id,
      args: [{ ...cell, mutable: true }, r],
      span: this.span,
      destTy: { kind: 'tuple', elems: [] },
      argName: () => undefined,
      argTy: (i) => push.params[i - 1] ?? { kind: 'unknown' },
      argLoc: () => null,
    };
    const done = callStd(this, call);
    if (done === null || done === 'diverged') return unknownVal();
    return this.read(cell.to);
  }

  /** Structural equality of two values through pointers and containers; null when unknown. */
  valuesEqual(a: Val, b: Val, depth = 0): boolean | null {
    if (depth > 32) return null;
    chargeValues(1);
    const sa = this.asText(a);
    const sb = this.asText(b);
    if (sa !== null && sb !== null) return sa === sb;
    if (a.k === 'ptr' && a.to) return this.valuesEqual(this.read(a.to), b, depth + 1);
    if (b.k === 'ptr' && b.to) return this.valuesEqual(a, this.read(b.to), depth + 1);
    if (a.k === 'int' && b.k === 'int') return a.v === b.v;
    if (a.k === 'bool' && b.k === 'bool') return a.v === b.v;
    if (a.k === 'char' && b.k === 'char') return a.v === b.v;
    if (a.k === 'float' && b.k === 'float') return a.v === b.v;
    if (a.k === 'agg' && b.k === 'agg') {
      if (a.variant !== b.variant || a.fields.length !== b.fields.length) return false;
      for (let i = 0; i < a.fields.length; i++) {
        const e = this.valuesEqual(a.fields[i], b.fields[i], depth + 1);
        if (e !== true) return e;
      }
      return true;
    }
    // Containers compare elementwise (Rc/Box: their values); hash tables are unordered: not decided here.
    if (a.k === 'own' && b.k === 'own' && a.kind === b.kind && heapShape(a.kind)?.kind !== 'table') {
      const ba = this.block(a.block);
      const bb = this.block(b.block);
      const ea = ba?.elems ?? [];
      const eb = bb?.elems ?? [];
      if (ba?.unknownContents || bb?.unknownContents) return null;
      if (ea.length !== eb.length) return false;
      for (let i = 0; i < ea.length; i++) {
        const e = this.valuesEqual(ea[i], eb[i], depth + 1);
        if (e !== true) return e;
      }
      return true;
    }
    return null;
  }

  /** The text of a String / &str / &String value, or null when it is not a known string. */
  asText(v: Val, depth = 0): string | null {
    if (depth > 8) return null;
    if (v.k === 'own' && v.kind === 'String') {
      const b = this.block(v.block);
      if (!b) return '';
      chargeValues(b.elems.length);
      return b.unknownContents ? null : fromUtf8(b.elems.map(byteOf));
    }
    // `Box<str>` / `Rc<str>`: the block holds the bytes as one array value.
    if (v.k === 'own' && isBoxLike(v.kind)) {
      const b = this.block(v.block);
      const bytes = b && b.elemTy.kind === 'str' && !b.unknownContents ? b.elems[0] : undefined;
      if (bytes && bytes.k === 'agg') return fromUtf8(bytes.fields.map(byteOf));
    }
    if (v.k === 'ptr' && v.to) {
      if (v.to.region === 'static' && v.to.path.length <= 1) {
        const s = this.statics[v.to.id];
        const start = v.to.path[0] ?? 0;
        if (s?.bytes) return fromUtf8(s.bytes.slice(start, v.len !== undefined && v.len !== null ? start + v.len : s.bytes.length));
      }
      if (v.to.region === 'heap') {
        const b = this.heap[v.to.block - 1];
        if (b && b.kind === 'String') {
          if (b.unknownContents || v.to.path.length > 1) return null;
          const start = v.to.path[0] ?? 0;
          const bytes = b.elems.map(byteOf);
          return fromUtf8(bytes.slice(start, v.len !== undefined && v.len !== null ? start + v.len : bytes.length));
        }
        if (!b || v.len !== undefined) return null;
      }
      return this.asText(this.read(v.to), depth + 1);
    }
    return null;
  }

  private cast(v: Val, ty: Ty): Val {
    if (v.k === 'moved') v = v.inner;
    if (ty.kind === 'int') {
      if (v.k === 'int') return this.wrapInt(v.v, ty.name, true);
      if (v.k === 'bool') return intVal(v.v ? 1 : 0, ty.name);
      if (v.k === 'char') return this.wrapInt(BigInt(v.v.codePointAt(0)!), ty.name, true);
      // A field-less enum's discriminant (The Rust Reference, "Enumerations"): written, or one more than the previous.
      if (v.k === 'agg' && v.variant !== undefined && v.adt && !v.fields.length) {
        const def = this.adts.get(v.adt) ?? this.adts.get(baseName(v.adt));
        if (def?.kind === 'enum') {
          let d = -1n;
          for (const vd of def.variants) {
            d = vd.discriminant !== undefined ? BigInt(vd.discriminant) : d + 1n;
            if (vd.name === v.variant) return this.wrapInt(d, ty.name, true);
          }
        }
        return unknownVal();
      }
      if (v.k === 'float') {
        if (Number.isNaN(v.v)) return intVal(0, ty.name);
        const [lo, hi] = INT_RANGE[ty.name];
        const t = BigInt(Math.trunc(Math.max(Math.min(v.v, Number(hi)), Number(lo))));
        return intVal(t < lo ? lo : t > hi ? hi : t, ty.name);
      }
      return unknownVal();
    }
    if (ty.kind === 'float') {
      if (v.k === 'int') return { k: 'float', v: Number(v.v) };
      if (v.k === 'float') return { k: 'float', v: ty.name === 'f32' ? Math.fround(v.v) : v.v };
      return unknownVal();
    }
    if (ty.kind === 'char' && v.k === 'int') return { k: 'char', v: String.fromCodePoint(Number(v.v & 0xffn)) };
    return v;
  }

  // --- terminators

  private execTerminator(act: Activation, t: Terminator): number {
    switch (t.kind) {
      case 'goto':
        return t.target;
      case 'falseEdge':
        return t.realTarget;
      case 'unreachable':
        this.halt('unsupported', 'reached code the simulation considers unreachable');
        break;
      case 'return':
        this.dropArgsAtReturn(act);
        return RETURN;
      case 'switchInt': {
        const d = this.evalOperand(act, t.discr, '_');
        let n: bigint | null = null;
        let dv = d.k === 'moved' ? d.inner : d;
        if (dv.k === 'ptr' && dv.to) dv = this.read(dv.to);
        if (dv.k === 'int') n = dv.v;
        else if (dv.k === 'bool') n = dv.v ? 1n : 0n;
        else if (dv.k === 'char') n = BigInt(dv.v.codePointAt(0)!);
        let target: number;
        if (n !== null) {
          const i = t.values.findIndex((x) => x === n);
          target = i >= 0 ? t.targets[i] : t.otherwise;
        } else {
          // mir/build.ts idioms: `if`/`while` test `values: [0]` → targets: [else], otherwise:
          // then; pattern tests `values: [variant]` → targets: [arm], otherwise: next test.
          // Prefer the side that runs the code under the test, then the least visited one.
          const isBoolTest =
            this.operandTy(act, t.discr).kind === 'bool' ||
            (t.values.length === 1 && t.values[0] === 0n && this.operandTy(act, t.discr).kind !== 'int');
          // A `for` loop's `next()` test: `[0 (None): exit], otherwise: body`; run the body first.
          const exitsLoop = t.targets.length === 1 && this.loopExits(act.body).has(t.targets[0]);
          const order = isBoolTest || exitsLoop ? [t.otherwise, ...t.targets] : [...t.targets, t.otherwise];
          target = this.chooseUnknown(
            act,
            order.filter((b) => !isUnreachableBlock(act.body.blocks[b])),
          );
          this.note(`line ${t.span.start.line + 1}: a branch on a value the simulation does not know; it took one side`);
          this.emit(
            'guess',
            `line ${t.span.start.line + 1} branches on a value the simulation does not know: one side is taken, as a guess`,
            [],
          );
        }
        this.record(t.span, act);
        return target;
      }
      case 'assert': {
        const c = this.evalOperand(act, t.cond, '_');
        if (c.k === 'bool' && c.v !== t.expected) this.halt('panic', `panicked: ${t.message}`);
        return t.target;
      }
      case 'drop': {
        this.execDrop(act, t.place);
        if (this.events.length) this.record(t.span, act);
        return t.target;
      }
      case 'call':
        return this.execCall(act, t);
    }
    return RETURN;
  }

  /** Least-visited successor (coverage first: a loop on an unknown condition runs once). */
  private chooseUnknown(act: Activation, cands: number[]): number {
    if (!cands.length) this.halt('unsupported', 'a branch on an unknown value with no reachable side');
    let best = cands[0];
    let bestN = Infinity;
    for (const c of cands) {
      const n = act.blockVisits.get(c) ?? 0;
      if (n < bestN) {
        best = c;
        bestN = n;
      }
    }
    return best;
  }

  // --- drops

  /**
   * rustc drops a fn's by-value arguments when it returns. Arguments still initialised at
   * `return` (the builder did not drop them) are dropped here; closure bodies are skipped
   * (their leading arguments are the captured environment, owned by the closure value).
   */
  private dropArgsAtReturn(act: Activation): void {
    // Temporaries still owning heap memory at return (the builder did not drop them, e.g. a
    // `for` loop's iterator) are dropped, so they are not reported as leaks.
    for (let i = act.body.locals.length - 1; i > act.body.argCount; i--) {
      const s = act.slots[i];
      if (act.body.locals[i]?.kind !== 'temp' || !s || s.life !== 'init' || !ownsSomething(s.val)) continue;
      this.dropVal(s.val, act.body.locals[i].ty, { region: 'stack', act: act.id, local: i, path: [] }, 0);
      s.life = 'dropped';
    }
    // Closure bodies: the leading arguments are the captures (owned by the closure value).
    const first = act.body.closureId !== undefined ? (act.captures ?? act.body.argCount) + 1 : 1;
    for (let i = act.body.argCount; i >= first; i--) {
      const s = act.slots[i];
      if (!s || s.life !== 'init' || !ownsSomething(s.val)) continue;
      this.execDrop(act, { local: i, projection: [] });
    }
    if (this.events.length) this.record(this.span, act);
  }

  private execDrop(act: Activation, p: Place): void {
    const loc = this.placeLoc(act, p);
    if (!loc) return;
    const ty = this.placeTy(act, p);
    if (p.projection.length === 0) {
      const s = act.slots[p.local];
      if (!s || s.life !== 'init') return;
      const name = this.localName(act, p.local);
      if (!needsDropVal(s.val, ty, this)) {
        return;
      }
      if (name !== undefined) this.emit('drop', `dropped \`${name}\``, [this.slotId(act, p.local)]);
      this.dropVal(s.val, ty, loc, 0);
      s.life = 'dropped';
      return;
    }
    const v = this.read(loc);
    if (v.k === 'moved' || v.k === 'uninit') return;
    const name = this.placeName(act, p);
    if (name !== undefined && needsDropVal(v, ty, this)) this.emit('drop', `dropped \`${name}\``, [this.slotId(act, p.local)]);
    this.dropVal(v, ty, loc, 0);
  }

  /** Runs drop glue for a value: user Drop impl, then fields; frees owned heap blocks. */
  dropVal(v: Val, ty: Ty, loc: Loc | null, depth: number): void {
    if (depth > 64) return;
    switch (v.k) {
      case 'own':
        this.dropOwn(v, depth);
        return;
      case 'agg': {
        if (v.closure === undefined && v.adt) {
          const def = this.adts.get(v.adt) ?? this.adts.get(baseName(v.adt));
          if (def?.hasDropImpl && loc) this.callUserDrop(def.name, loc);
        }
        const fieldTys = this.fieldTys(ty, v);
        v.fields.forEach((f, i) => this.dropVal(f, fieldTys[i] ?? { kind: 'unknown' }, loc ? withPath(loc, [i]) : null, depth + 1));
        return;
      }
      case 'iter':
        if (v.src.kind === 'owned' && v.src.block !== null) {
          const b = this.block(v.src.block);
          if (b && b.state === 'live') {
            for (let i = v.pos; i < b.elems.length; i++) this.dropVal(b.elems[i], b.elemTy, null, depth + 1);
            this.free(b.id);
          }
        }
        return;
      default:
        return;
    }
  }

  private fieldTys(ty: Ty, v: Val & { k: 'agg' }): Ty[] {
    if (ty.kind === 'tuple') return ty.elems;
    if (ty.kind === 'array') return v.fields.map(() => ty.elem);
    if (ty.kind === 'adt') {
      const def = this.adts.get(ty.name);
      if (def) {
        const fields = def.kind === 'enum' ? (def.variants.find((x) => x.name === baseName(v.variant ?? ''))?.fields ?? []) : def.fields;
        const map = new Map(def.generics.map((g, i) => [g, ty.args[i]] as const));
        return fields.map((f) => substParams(f.ty, map));
      }
      if (ty.std && ty.args.length) return v.fields.map(() => ty.args[0]);
    }
    return [];
  }

  dropOwn(v: Val & { k: 'own' }, depth: number): void {
    const b = this.block(v.block);
    if (!b || b.state !== 'live') return;
    switch (heapShape(v.kind)?.kind) {
      case 'counted': {
        if (!b.rc) return;
        const before = b.rc.strong;
        b.rc.strong = Math.max(0, b.rc.strong - 1);
        this.emit('drop', `${v.kind} strong count of heap:${b.id}: ${before} → ${b.rc.strong}`, [heapId(b.id)]);
        if (b.rc.strong === 0) {
          const inner = b.elems[0];
          if (inner) this.dropVal(inner, b.elemTy, { region: 'heap', block: b.id, path: [0] }, depth + 1);
          b.rc.weak = Math.max(0, b.rc.weak - 1);
          if (b.rc.weak === 0) this.free(b.id);
        }
        return;
      }
      case 'weak': {
        if (!b.rc) return;
        b.rc.weak = Math.max(0, b.rc.weak - 1);
        if (b.rc.weak === 0 && b.rc.strong === 0) this.free(b.id);
        return;
      }
      default: {
        // A run's elements are scalars: nothing to drop in them.
        if (!b.run)
          for (let i = 0; i < b.elems.length; i++)
            this.dropVal(b.elems[i], b.elemTy, { region: 'heap', block: b.id, path: [i] }, depth + 1);
        this.free(b.id);
      }
    }
  }

  /**
   * The MIR body of method `method` of the file's ADT `adt` (its key, `FileHir.adts`), from the
   * ADT's impls (of trait `traitName` when given); methods are keyed by path (`a::Point::new`).
   */
  private userMethodBody(adt: string, method: string, traitName?: string): Body | undefined {
    const cacheKey = `${adt}|${method}|${traitName ?? ''}`;
    if (this.methodBodies.has(cacheKey)) return this.methodBodies.get(cacheKey) ?? undefined;
    const body = this.findMethodBody(adt, method, traitName);
    this.methodBodies.set(cacheKey, body ?? null);
    return body;
  }

  private readonly methodBodies = new Map<string, Body | null>();

  private findMethodBody(adt: string, method: string, traitName?: string): Body | undefined {
    for (const key of [adt, baseName(adt)]) {
      for (const impl of this.input.file.impls) {
        if (impl.selfTy.kind !== 'adt' || impl.selfTy.name !== key || (traitName && impl.traitName !== traitName)) continue;
        const fn = impl.methods.find((m) => m.name === method);
        const body = fn ? this.input.bodies.get(fn.qualName) : undefined;
        if (body) return body;
      }
    }
    return undefined;
  }

  private callUserDrop(adt: string, loc: Loc): void {
    const body = this.userMethodBody(adt, 'drop', 'Drop');
    if (!body) return;
    const self: Val = { k: 'ptr', to: loc, mutable: true };
    this.invoke(body, [self], this.span, this.stack[this.stack.length - 1], null, `drop`);
  }

  // --- calls

  private execCall(act: Activation, t: Terminator & { kind: 'call' }): number {
    const callee = this.calleeName(act, t.func);
    // Argument moves go "into" the call, named as the code writes it: `foo(s)`,
    // `Box::new(n3)`, and for a method called on a borrowed receiver `names.push(..)`.
    const recv = this.receiverName(act, t);
    const args = t.args.map((o) => {
      const src = o.kind === 'constant' ? undefined : this.placeName(act, o.place);
      return this.evalOperand(act, o, recv ? `${recv}.${shortCallee(callee)}(..)` : `${calleePath(callee)}(${src ?? '…'})`);
    });
    // Temporaries moved into the call: forward their pending moves to the call.
    const ret = this.dispatchCall(act, t, callee, args);
    if (ret === 'diverged') {
      this.halt('panic', `panicked at line ${t.span.start.line + 1}${t.macro ? ` (\`${t.macro}!\`)` : ''}`);
    }
    if (ret !== 'pushed') {
      const loc = this.placeLoc(act, t.dest);
      if (loc) {
        this.write(loc, ret);
        const dn = this.placeName(act, t.dest);
        if (dn !== undefined && ret.k !== 'unknown') this.emit('write', `\`${dn}\` = ${this.short(ret)}`, [this.slotId(act, t.dest.local)]);
      }
      this.record(t.span, act);
    }
    if (t.target === null) this.halt('panic', `\`${callee}\` does not return`);
    return t.target;
  }

  /** `names` when a call's first argument is a reference to a named place (a method's `&self`). */
  private receiverName(act: Activation, t: Terminator & { kind: 'call' }): string | undefined {
    const first = t.args[0];
    if (!first || first.kind === 'constant' || t.macro) return undefined;
    const loc = this.placeLoc(act, first.place);
    const v = loc ? this.read(loc) : undefined;
    if (!v || v.k !== 'ptr' || v.raw || !v.to || v.to.region !== 'stack' || v.len !== undefined) return undefined;
    const owner = this.getAct(v.to.act);
    return owner ? this.localName(owner, v.to.local) : undefined;
  }

  private calleeName(act: Activation, f: Callee): string {
    switch (f.kind) {
      case 'fn':
        return f.name;
      case 'std':
        return f.path;
      case 'local':
        return this.localName(act, f.local) ?? 'closure';
      case 'unknown':
        return f.text;
    }
  }

  /** Runs a call; returns its value, 'pushed' when a user fn ran (steps recorded), or 'diverged'. */
  private dispatchCall(act: Activation, t: Terminator & { kind: 'call' }, callee: string, args: Val[]): Val | 'pushed' | 'diverged' {
    const f = t.func;
    if (f.kind === 'fn') {
      // A trait's method called in generic code (`Named::name` from a default body) runs the impl
      // of the receiver's run-time type: dynamic dispatch, as monomorphisation would pick it.
      const impl = this.traitImpl(f.name, args);
      const body = this.input.bodies.get(impl ?? f.name);
      if (body) {
        this.invoke(body, this.derefCoerceArgs(body, args), t.span, act, t.dest, f.name);
        return 'pushed';
      }
      const ctor = this.ctor(f.name, args, act, t.dest);
      if (ctor) return ctor;
      const byDest = this.implByDest(act, t, f.name, args);
      if (byDest) return byDest;
      return this.stdOrUnknown(act, t, f.name, undefined, args);
    }
    if (f.kind === 'std') return this.stdOrUnknown(act, t, f.path, f.selfTy, args, f.id);
    if (f.kind === 'local') {
      // `f(x)` on a `&F`, a `Box<dyn Fn>`, an `&Box<dyn Fn>` or an `Rc<dyn Fn>`: the `Fn*` impls
      // of `&F` and `Box<F>` call the closure behind them (the vtable's `call`).
      const fv = this.calleeValue(act.slots[f.local]?.val ?? unknownVal());
      const name = fv.k === 'agg' ? fv.closure : fv.k === 'fn' ? fv.name : undefined;
      const body = name ? this.input.bodies.get(name) : undefined;
      if (!body) {
        this.note(`line ${t.span.start.line + 1}: the closure called here has no MIR; its result is unknown`);
        return unknownVal();
      }
      let callArgs = args;
      if (fv.k === 'agg' && fv.closure) {
        // mir/build.ts: a closure body takes its captures first (by-ref captures as references,
        // by-move captures as values), then its parameters.
        const caps = fv.fields.map(cloneVal);
        callArgs = [...caps, ...callArgs];
      }
      this.invoke(body, callArgs, t.span, act, t.dest, name!, fv.k === 'agg' && fv.closure ? fv.fields.length : undefined);
      return 'pushed';
    }
    const dynamic = this.dispatchByValue(act, t, f.text, args);
    if (dynamic !== null) return dynamic;
    const byDest = this.implByDest(act, t, f.text, args);
    if (byDest) return byDest;
    this.note(`line ${t.span.start.line + 1}: \`${f.text}\` is not known; its result is unknown`);
    this.escape(args);
    return unknownVal();
  }

  /**
   * A trait function chosen by the type of the call's destination (as rustc infers `Self` from
   * the expected type): `let s: Sheep = Animal::new(..)`, `let b: Borrowed = Default::default()`,
   * `let n: Number = 5.into()` (`<Number as From<i32>>::from`), `T::try_from`/`try_into` and `s.parse()` (`FromStr`; the
   * `Ok` type of the destination). Among several impls of the trait for that type (`From<i32>`,
   * `From<&str>`), the one whose parameter takes the argument's run-time type; a derived `Default`
   * builds the value. 'pushed' when the impl's body was called, null when there is no such impl.
   */
  private implByDest(act: Activation, t: Terminator & { kind: 'call' }, name: string, args: Val[]): 'pushed' | Val | null {
    const segs = name.split('::');
    const method = segs[segs.length - 1];
    const conv: Record<string, [string, string]> = {
      into: ['From', 'from'],
      try_into: ['TryFrom', 'try_from'],
      parse: ['FromStr', 'from_str'],
    };
    let trait: string;
    let fn: string;
    if (conv[method]) [trait, fn] = conv[method];
    else if (segs.length >= 2) [trait, fn] = [segs[segs.length - 2], method];
    else return null;
    let dest = this.placeTy(act, t.dest);
    if (trait === 'TryFrom' || trait === 'FromStr') dest = dest.kind === 'adt' && dest.name === 'Result' ? (dest.args[0] ?? dest) : dest;
    if (dest.kind !== 'adt' || dest.std) return null;
    const key = baseName(dest.name);
    const hasImpl = this.input.file.impls.some((i) => i.traitName === trait && i.selfTy.kind === 'adt' && baseName(i.selfTy.name) === key);
    if (!hasImpl && trait === 'Default' && fn === 'default') {
      const v = defaultOf(this, dest);
      return v.k === 'unknown' ? null : v;
    }
    const body = this.implBody(trait, fn, dest, args[0]);
    if (!body) return null;
    this.invoke(body, args, t.span, act, t.dest, body.name);
    return 'pushed';
  }

  /**
   * The body of `<dest as trait>::fn` among the file's impls; among several impls of the trait
   * for that type (`From<i32>`, `From<&str>`), the one whose first parameter takes `arg`'s
   * run-time type. Undefined when there is none, or no single one fits.
   */
  private implBody(trait: string, fn: string, dest: Ty & { kind: 'adt' }, arg: Val | undefined): Body | undefined {
    const key = baseName(dest.name);
    const cands = this.input.file.impls.filter(
      (i) => i.traitName === trait && i.selfTy.kind === 'adt' && baseName(i.selfTy.name) === key && i.methods.some((m) => m.name === fn),
    );
    let pick = cands.length === 1 ? cands[0] : undefined;
    if (cands.length > 1 && arg) {
      const a0 = arg;
      const argTy: Ty | undefined =
        a0.k === 'ptr' && this.asText(a0) !== null ? { kind: 'ref', mutable: false, inner: { kind: 'str' } } : this.runtimeTy(a0, a0);
      const same = (p: Ty | undefined): boolean =>
        !!argTy &&
        !!p &&
        p.kind === argTy.kind &&
        (p.kind !== 'adt' && p.kind !== 'int' && p.kind !== 'float'
          ? true
          : (p as { name: string }).name === (argTy as { name: string }).name);
      const fit = cands.filter((i) => same(i.methods.find((m) => m.name === fn)?.params[0]?.ty));
      if (fit.length === 1) pick = fit[0];
    }
    return pick ? this.input.bodies.get(pick.methods.find((m) => m.name === fn)!.qualName) : undefined;
  }

  /** For a call of a trait's declared method `Trait::m`: the impl method of the first argument's run-time type, by qualName. */
  private traitImpl(name: string, args: Val[]): string | undefined {
    const sep = name.lastIndexOf('::');
    const tr = sep > 0 ? this.input.file.traits.get(name.slice(0, sep)) : undefined;
    if (!tr || !args.length || !tr.methods.some((m) => m.name === name.slice(sep + 2))) return undefined;
    let v = args[0];
    for (let i = 0; i < 8 && v.k === 'ptr' && v.to; i++) v = this.read(v.to);
    const ty = this.runtimeTy(v, args[0]);
    const found = ty ? traitMethodFor(tr.name, name.slice(sep + 2), ty, { file: this.input.file }) : undefined;
    return found?.fn.qualName;
  }

  /** What a std simulation sees of a call terminator (`std/sim/api.ts` `SimCall`). */
  private simCall(act: Activation, t: Terminator & { kind: 'call' }, id: StdFnId, args: Val[], selfTy?: Ty): SimCall {
    const op = (i: number): Operand | undefined => t.args[i];
    return {
      id,
      args,
      ...(selfTy ? { selfTy } : {}),
      span: t.span,
      destTy: this.placeTy(act, t.dest),
      ...(t.format ? { format: t.format } : {}),
      argName: (i) => {
        const o = op(i);
        return o && o.kind !== 'constant' ? this.placeName(act, o.place) : undefined;
      },
      argTy: (i) => {
        const o = op(i);
        return o ? this.operandTy(act, o) : { kind: 'unknown' };
      },
      argLoc: (i) => {
        const o = op(i);
        return o && o.kind !== 'constant' ? this.placeLoc(act, o.place) : null;
      },
    };
  }

  /**
   * The type a run-time value shows (for a method the type checker could not resolve): an owning
   * handle's type, a user or std enum/struct by its name (arguments unknown), scalars, an array,
   * a `&str` / `&[T]` fat pointer, an iterator. Undefined when the value says nothing.
   */
  private runtimeTy(v: Val, viaPtr: Val): Ty | undefined {
    const unknownArgs = (n: number): Ty[] => Array.from({ length: n }, () => ({ kind: 'unknown' }) as Ty);
    switch (v.k) {
      case 'own': {
        // `collect::<Vec<_>>()`: the element type shows in the elements (`join` needs `String`s).
        if (v.ty.kind === 'adt' && v.ty.args.length === 1 && v.ty.args[0].kind === 'unknown' && heapShape(v.kind)?.kind === 'buffer') {
          const b = this.block(v.block);
          const first = b && Array.isArray(b.elems) && !b.unknownContents ? b.elems[0] : undefined;
          const elem = first && first.k !== 'ptr' ? this.runtimeTy(first, first) : undefined;
          if (elem) return { ...v.ty, args: [elem] };
        }
        if (v.ty.kind === 'adt') return v.ty;
        // Its static type was unknown (a type alias): the handle still says which std type it is.
        return { kind: 'adt', name: v.kind, args: unknownArgs(stdType(v.kind)?.params.length ?? 0), std: true };
      }
      case 'int':
        return { kind: 'int', name: v.ty ?? 'i32' };
      case 'float':
        return { kind: 'float', name: 'f64' };
      case 'bool':
        return { kind: 'bool' };
      case 'char':
        return { kind: 'char' };
      case 'iter':
        return { kind: 'adt', name: 'IntoIter', args: unknownArgs(1), std: true };
      case 'agg': {
        if (v.closure) return undefined;
        if (v.array) return { kind: 'array', elem: { kind: 'unknown' }, len: v.fields.length };
        if (!v.adt) return viaPtr.k === 'ptr' && viaPtr.len !== undefined ? { kind: 'slice', elem: { kind: 'unknown' } } : undefined;
        const def = this.adts.get(v.adt) ?? this.adts.get(baseName(v.adt));
        if (def) {
          // A struct's parameter shows in a field declared as it (`Point<T> { x: T }` holding
          // `3.0` is a `Point<f64>`: `impl Point<f64>`'s methods apply).
          const args = def.generics.map((g): Ty => {
            const i = def.kind === 'struct' ? def.fields.findIndex((f) => f.ty.kind === 'param' && f.ty.name === g) : -1;
            const fv = i >= 0 ? v.fields[i] : undefined;
            // Integers only with their width known; floats (held as f64) only when no impl names `f32`.
            const known =
              fv &&
              ((fv.k === 'int' && fv.ty !== undefined) ||
                fv.k === 'bool' ||
                fv.k === 'char' ||
                (fv.k === 'float' && !this.input.file.impls.some((im) => displayTy(im.selfTy).includes('f32'))));
            return (known && this.runtimeTy(fv, fv)) || { kind: 'unknown' };
          });
          return { kind: 'adt', name: def.name, args };
        }
        const std = stdNameOf(v.adt);
        const n = stdType(std)?.params.length ?? 0;
        // A wrapper's argument shows in its value (`Cell(5)` is a `Cell<i32>`).
        const inner = n === 1 && v.fields[0] ? this.runtimeTy(v.fields[0], v.fields[0]) : undefined;
        return { kind: 'adt', name: std, args: inner ? [inner] : unknownArgs(n), std: true };
      }
      default:
        return undefined;
    }
  }

  /**
   * A method the type checker could not resolve (`{kind:'unknown', text: 'len'}`): resolved at
   * run time by the one method resolution (`hir/method.ts`) on the type the receiver's value
   * shows, as the program would: a user type's method body, or the std simulation. The builder
   * passes such receivers by copy; methods that take `&self`/`&mut self` get a reference to the
   * receiver's place instead.
   */
  private dispatchByValue(
    act: Activation,
    t: Terminator & { kind: 'call' },
    method: string,
    args: Val[],
  ): Val | 'pushed' | 'diverged' | null {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(method) || !args.length) return null;
    const op0 = t.args[0];
    const recvLoc = op0 && op0.kind !== 'constant' ? this.placeLoc(act, op0.place) : null;
    let v = args[0];
    let loc: Loc | null = recvLoc;
    // The innermost fat pointer on the way (`&&str`'s `&str`): a `str` receiver shows there.
    let fat: Val | undefined = args[0].k === 'ptr' && args[0].len !== undefined ? args[0] : undefined;
    for (let i = 0; i < 8 && v.k === 'ptr' && v.to; i++) {
      loc = v.to;
      v = this.read(v.to);
      if (v.k === 'ptr' && v.len !== undefined) fat = v;
    }
    // A range is its own iterator (`(0..3).next()`): stepped in its place, as `Range::next` does.
    if (
      v.k === 'agg' &&
      (v.adt === 'Range' || v.adt === 'RangeInclusive') &&
      loc &&
      probeMethod(RANGE_AS_ITER, method, { file: this.input.file })
    ) {
      const it = iterOver(this, v, 'into');
      if (it.k === 'iter') {
        this.write(loc, it);
        v = it;
      }
    }
    let ty: Ty | undefined =
      fat && this.asText(fat) !== null ? { kind: 'ref', mutable: false, inner: { kind: 'str' } } : this.runtimeTy(v, args[0]);
    if (!ty) return null;
    let res = probeMethod(ty, method, { file: this.input.file, blanketImpls: true });
    // A method of the value inside a Box/Rc (`Box<dyn Animal>`'s `noise`): the pointee's run-time
    // type picks the impl, as the vtable does.
    for (let i = 0; !res && i < 4 && v.k === 'own' && isBoxLike(v.kind) && v.block !== null; i++) {
      loc = { region: 'heap', block: v.block, path: [0] };
      v = this.read(loc);
      for (let j = 0; j < 8 && v.k === 'ptr' && v.to; j++) {
        loc = v.to;
        v = this.read(v.to);
      }
      const inner = this.runtimeTy(v, v);
      if (!inner) return null;
      ty = inner;
      res = probeMethod(ty, method, { file: this.input.file, blanketImpls: true });
    }
    // Through a user `Deref` (`m.len()` on a `MyBox<String>`): the method of the target type,
    // on the reference the user's `deref` returns (autoderef's next step).
    let viaDeref: Val | undefined;
    for (let i = 0; !res && i < 4 && loc && v.k === 'agg' && v.adt && !v.closure; i++) {
      const to = this.userDerefLoc(loc);
      viaDeref = { k: 'ptr', to, mutable: true };
      if (!to) return null;
      loc = to;
      v = this.read(to);
      const inner = this.runtimeTy(v, v);
      if (!inner) return null;
      ty = inner;
      res = probeMethod(ty, method, { file: this.input.file, blanketImpls: true });
    }
    if (!res) return null;
    // The builder read the receiver as a `copy` (its type was not known there); a method taking
    // `self` by value moves it, so its place must not be dropped again at the end of the
    // statement (`opt.and_then(..).map(|rc| ..)` would drop the `Rc` twice).
    const byValue = res.kind === 'user' ? res.fn.selfKind !== 'ref' && res.fn.selfKind !== 'mut' : res.method.selfKind === 'value';
    if (byValue && op0?.kind === 'copy' && recvLoc && v === args[0] && ownsSomething(v))
      this.markMoved(act, op0.place, recvLoc, `${method}(..)`, op0.span);
    if (res.kind === 'user') {
      const body = this.input.bodies.get(res.fn.qualName);
      if (!body) return null;
      const self: Val =
        res.fn.selfKind === 'ref' || res.fn.selfKind === 'mut' ? { k: 'ptr', to: loc, mutable: res.fn.selfKind === 'mut' } : cloneVal(v);
      this.invoke(body, [self, ...args.slice(1)], t.span, act, t.dest, body.name);
      return 'pushed';
    }
    const strRecv = ty.kind === 'ref' && ty.inner.kind === 'str' ? fat : undefined;
    const recv: Val = strRecv ?? viaDeref ?? (args[0].k === 'ptr' ? args[0] : recvLoc ? { k: 'ptr', to: recvLoc, mutable: true } : args[0]);
    const call = this.simCall(act, t, res.method.id, [recv, ...args.slice(1)], ty);
    // `s.parse::<i32>()` where the checker did not know `s`: the turbofish gives the result type.
    const fish = t.func.kind === 'unknown' ? t.func.turbofish : undefined;
    const generics = res.method.generics ?? [];
    if (fish && generics.length && call.destTy.kind === 'unknown')
      call.destTy = substitute(res.method.ret, new Map(generics.map((g, i) => [g, fish[i] ?? { kind: 'unknown' }])));
    return callStd(this, call);
  }

  /** Tuple-struct / enum-variant constructors called like functions (`Some(x)`, `Point(1, 2)`). */
  private readonly notCtors = new Set<string>();

  private ctor(name: string, args: Val[], act: Activation, dest: Place): Val | null {
    if (this.notCtors.has(name)) return null;
    const r = this.ctorUncached(name, args, act, dest);
    if (r === null) this.notCtors.add(name);
    return r;
  }

  private ctorUncached(name: string, args: Val[], act: Activation, dest: Place): Val | null {
    const parts = name.split('::');
    const last = parts[parts.length - 1];
    const def = this.adts.get(name);
    if (def && def.kind === 'struct') return { k: 'agg', fields: args, names: def.fields.map((f) => f.name), adt: def.name };
    if (parts.length >= 2) {
      const e = this.adts.get(parts.slice(0, -1).join('::')) ?? this.adts.get(parts[parts.length - 2]);
      if (e && e.kind === 'enum' && e.variants.some((v) => v.name === last)) {
        const vd = e.variants.find((v) => v.name === last)!;
        return {
          k: 'agg',
          fields: args,
          names: vd.fields.map((f) => f.name),
          adt: e.name,
          variant: last,
          vidx: this.variantIndex({ kind: 'adt', name: e.name, args: [] }, last),
        };
      }
    }
    if (last === 'Some' || last === 'Ok' || last === 'Err') {
      return { k: 'agg', fields: args, adt: last === 'Some' ? 'Option' : 'Result', variant: last, vidx: last === 'Ok' ? 0 : 1 };
    }
    void act;
    void dest;
    return null;
  }

  private stdOrUnknown(
    act: Activation,
    t: Terminator & { kind: 'call' },
    path: string,
    selfTy: Ty | undefined,
    args: Val[],
    id?: StdFnId,
  ): Val | 'diverged' | 'pushed' {
    const c = this.ctor(path, args, act, t.dest);
    if (c) return c;
    const r = id && stdFn(id) ? callStd(this, this.simCall(act, t, id, args, selfTy)) : null;
    if (r === null) {
      // A std trait's function whose impl is the file's (`x.into()` into a user type).
      const byDest = this.implByDest(act, t, path, args);
      if (byDest) return byDest;
      this.note(`line ${t.span.start.line + 1}: \`${path}\` is not modelled; its result is unknown`);
      this.escape(args);
      return unknownVal();
    }
    return r;
  }

  /**
   * Code the simulation does not see may write through `&mut` arguments: what they point to
   * becomes unknown (a container's contents, or the pointee's value). Shared references are
   * left alone (no interior mutability is modelled through unknown calls).
   */
  havoc(args: Val[]): void {
    // A closure passed along may write what it captured by `&mut` (`|e| errors.push(e)`); so may an iterator adapter's closure.
    const reach = (v: Val, d: number): Val[] =>
      d > 4
        ? []
        : v.k === 'agg' && v.closure
          ? v.fields.flatMap((f) => reach(f, d + 1))
          : v.k === 'iter' && 'f' in v.src
            ? [...reach(v.src.f, d + 1), ...reach(v.src.inner, d + 1)]
            : [v];
    for (const a of args.flatMap((x) => reach(x, 0))) {
      if (a.k !== 'ptr' || !a.mutable || !a.to) continue;
      if (a.to.region === 'heap' && a.to.path.length === 0) {
        // `&mut [T]` / `&mut str` into a buffer (a view of it, or all of it).
        this.forgetContents(a.to);
        continue;
      }
      const target = this.read(a.to);
      if (target.k === 'own') {
        const b = this.block(target.block);
        if (b && !isBoxLike(b.kind)) b.unknownContents = true;
        else if (b) b.elems = b.elems.map(() => unknownVal());
        // Nothing allocated yet: whether it allocates, and what, is unknown.
        else this.write(a.to, unknownVal());
      } else if (target.k !== 'uninit') this.write(a.to, unknownVal());
    }
  }

  /** Owned values passed to code the simulation does not see: their blocks are not reported leaked. */
  escape(args: Val[]): void {
    this.havoc(args);
    const visit = (v: Val, d: number): void => {
      if (d > 16) return;
      if (v.k === 'own') {
        const b = this.block(v.block);
        if (b) b.escaped = true;
      } else if (v.k === 'agg') v.fields.forEach((f) => visit(f, d + 1));
    };
    args.forEach((a) => visit(a, 0));
  }

  /**
   * Calls a user body: pushes a frame (a `call` step), runs it, pops it and writes the result to
   * `dest` in the caller (a `return` step at the call site). `dest` null = discard (drop calls).
   */
  invoke(
    body: Body,
    args: Val[],
    callSite: Span,
    caller: Activation | undefined,
    dest: Place | null,
    name: string,
    captures?: number,
  ): Val {
    const act = this.pushAct(body, args, callSite);
    if (captures !== undefined) act.captures = captures;
    const argNames: string[] = [];
    for (let i = 1; i <= body.argCount; i++) {
      const n = this.localName(act, i);
      if (n !== undefined) argNames.push(`${n} = ${this.short(act.slots[i].val)}`);
    }
    this.emit('call', `called \`${name}\`${argNames.length ? ` with ${argNames.join(', ')}` : ''}`, [frameId(act.id)]);
    this.record(callSite, caller ?? act, act.id);
    const ret = this.execBody(act);
    const retSpan = this.span;
    // Pop: anything the body did not drop (it should have) is left as it is.
    act.popped = true;
    this.stack.pop();
    popStack(this.frameBytesOf(body));
    this.span = callSite;
    this.emit(
      'return',
      `returned from \`${name}\`${ret.k === 'agg' && ret.fields.length === 0 && !ret.variant ? '' : ` with ${this.short(ret)}`}`,
      [frameId(act.id)],
    );
    if (caller && dest) {
      const loc = this.placeLoc(caller, dest);
      if (loc) {
        this.write(loc, ret);
        const dn = this.placeName(caller, dest);
        if (dn !== undefined) this.emit('write', `\`${dn}\` = ${this.short(ret)}`, [this.slotId(caller, dest.local)]);
      }
    }
    void retSpan;
    if (caller) this.record(callSite, caller);
    return ret;
  }

  /**
   * Deref coercion of a user type's reference at a call site (Rust reference, "Coercion types":
   * `&T` to `&U` when `T: Deref<Target = U>`; rustc inserts the `Deref::deref` call): an argument
   * `&X` where `X` is a user type with `impl Deref` and the parameter is a reference to a known,
   * different type (`&str`, `&String`, `&Y`) runs the user's `deref` (a call step), up to 4 times
   * (`&MyBox<MyBox<String>>` → `&MyBox<String>` → `&String`), and `&Box<T>`/`&Rc<T>` → `&T`
   * (`sum(rest)` with `rest: &Box<List>`); the String/Vec derefs on from there (`&String` →
   * `&str`) are the fat pointer's own. Generic, `dyn`/`impl` and unknown parameter
   * types take the argument as it is.
   */
  private derefCoerceArgs(body: Body, args: Val[]): Val[] {
    return args.map((a, i) => {
      const pt = body.locals[i + 1]?.ty;
      if (!pt || pt.kind !== 'ref' || i >= body.argCount || (body.closure && i < body.closure.upvars)) return a;
      const want = pt.inner;
      if (['param', 'opaque', 'unknown', 'infer', 'closure'].includes(want.kind)) return a;
      let cur = a;
      for (let n = 0; n < 4 && cur.k === 'ptr' && cur.to && !cur.raw; n++) {
        const target = this.read(cur.to);
        // `&Box<T>` / `&Rc<T>` where `&T` is expected: the built-in deref to the contents.
        if (target.k === 'own' && isBoxLike(target.kind) && target.block !== null) {
          if (want.kind === 'adt' && want.std && want.name === target.kind) return cur;
          cur = { k: 'ptr', to: { region: 'heap', block: target.block, path: [0] }, mutable: cur.mutable };
          continue;
        }
        if (target.k !== 'agg' || !target.adt || target.closure || target.variant !== undefined) return cur;
        const def = this.adts.get(target.adt) ?? this.adts.get(baseName(target.adt));
        if (!def || (want.kind === 'adt' && baseName(want.name) === baseName(def.name))) return cur;
        const r = this.callImpl('Deref', 'deref', cur, []);
        if (!r || r.k !== 'ptr' || !r.to) return cur;
        cur = r;
      }
      return cur;
    });
  }

  /** A reference to a copy of `v` in a hidden scratch cell (not shown in snapshots). */
  scratchRef(v: Val): Val {
    const id = this.statics.length;
    this.statics.push({ id, kind: 'scratch', name: '', ty: { kind: 'unknown' }, val: cloneVal(v) });
    return { k: 'ptr', to: { region: 'static', id, path: [] }, mutable: false };
  }

  /**
   * Calls a closure or fn item value from std code (`map`, `filter`, `for_each`): pushes its
   * frame like a call at the current statement. Unknown callee: unknown result.
   */
  callValue(fv: Val, args: Val[]): Val {
    const f = this.calleeValue(fv);
    const name = f.k === 'agg' ? f.closure : f.k === 'fn' ? f.name : undefined;
    const body = name ? this.input.bodies.get(name) : undefined;
    const caller = this.stack[this.stack.length - 1];
    const std = !body && f.k === 'fn' ? stdFnByPath(f.name) : undefined;
    if (std) {
      const call: SimCall = {
        id: std.id,
        args,
        span: this.span,
        destTy: std.ret,
        argName: () => undefined,
        argTy: (i) => std.params[i] ?? { kind: 'unknown' },
        argLoc: () => null,
      };
      const r = callStd(this, call);
      if (r === 'diverged') this.halt('panic', `panicked at line ${this.span.start.line + 1} (\`${name}\`)`);
      return r ?? unknownVal();
    }
    if (!body || !caller) return unknownVal();
    const callArgs = f.k === 'agg' ? [...f.fields.map(cloneVal), ...args] : args;
    const span = this.span;
    const ret = this.invoke(body, callArgs, span, caller, null, name!, f.k === 'agg' ? f.fields.length : undefined);
    this.span = span;
    return ret;
  }

  /**
   * The closure or fn item a callable value stands for, through references and Box/Rc/Arc
   * owners (`impl<F: Fn> Fn for &F`, `impl<F: Fn + ?Sized> Fn for Box<F>`): the value itself
   * when it is neither; bounded by 8 steps.
   */
  private calleeValue(fv: Val): Val {
    let f = fv;
    for (let i = 0; i < 8; i++) {
      if (f.k === 'ptr' && f.to) f = this.read(f.to);
      else if (f.k === 'own' && isBoxLike(f.kind) && f.block !== null) f = this.read({ region: 'heap', block: f.block, path: [0] });
      else break;
    }
    return f;
  }

  /** See `StdHost.callImpl`. */
  callImpl(traitName: string, method: string, self: Val, args: Val[]): Val | undefined {
    let v = self;
    for (let i = 0; i < 8 && v.k === 'ptr' && v.to; i++) v = this.read(v.to);
    const ty = this.runtimeTy(v, self);
    const found = ty ? traitMethodFor(traitName, method, ty, { file: this.input.file }) : undefined;
    const body = found ? this.input.bodies.get(found.fn.qualName) : undefined;
    const caller = this.stack[this.stack.length - 1];
    if (!body || !caller) return undefined;
    const span = this.span;
    const ret = this.invoke(body, [self, ...args], span, caller, null, body.name);
    this.span = span;
    return ret;
  }

  // --- printing

  /** The lines printed, with a last `print!` that ended without a newline. */
  stdoutLines(): string[] {
    return this.stdoutLine ? [...this.stdout, this.stdoutLine] : this.stdout;
  }

  /** Appends printed text to stdout (lines split on `\n`). */
  print(text: string, newline: boolean, known = true): void {
    if (this.steps && this.printed.length < 100_000) this.printed += text + (newline ? '\n' : '');
    if (!known) {
      this.printedUnknown = true;
      this.note(`line ${this.span.start.line + 1}: printed a value the simulation does not know (shown as \`?\`)`, false);
    }
    const all = this.stdoutLine + text + (newline ? '\n' : '');
    const parts = all.split('\n');
    this.stdoutLine = parts.pop() ?? '';
    for (const p of parts) if (this.stdout.length < 10_000) this.stdout.push(p);
  }
}

// --- helpers

/** The std function a path written as a value names (`Result::is_ok`, `String::from`), or undefined. */
function stdFnByPath(path: string): StdMethod | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)::([A-Za-z_][A-Za-z0-9_]*)$/.exec(path);
  return m ? stdAssocFn(m[1], m[2]) : undefined;
}

export const frameId = (act: number): string => `frame:${act}`;
export const staticId = (id: number): string => `static:${id}`;

/** Each body's slot names (`x`, or `x:4` for a shadowed `x`, `_3` for a temporary), by local index: made once per body. */
const slotNames = new WeakMap<Body, string[]>();

function slotNamesOf(body: Body): string[] {
  let names = slotNames.get(body);
  if (names) return names;
  names = [];
  const seen = new Set<string>();
  body.locals.forEach((l, i) => {
    const name = l && l.kind !== 'temp' && l.kind !== 'return' && l.name ? l.name : `_${i}`;
    // Shadowed: an earlier non-temporary local has the name (its own name or `_i`).
    names![i] = seen.has(name) ? `${name}:${i}` : name;
    if (l && l.kind !== 'temp' && l.name) seen.add(l.name);
  });
  slotNames.set(body, names);
  return names;
}

/** Slot id: `slot:frame:1:x`; shadowed names get the local index (`slot:frame:1:x:4`). O(1) after the body's first. */
export function slotIdOf(act: Activation, local: number): string {
  const name = slotNamesOf(act.body)[local] ?? `_${local}`;
  return `slot:frame:${act.id}:${name}`;
}

function isUnreachableBlock(b: BasicBlock | undefined): boolean {
  return !!b && b.statements.length === 0 && b.terminator.kind === 'unreachable';
}

function ownsSomething(v: Val, depth = 0): boolean {
  if (depth > 16) return false;
  if (v.k === 'own') return v.block !== null;
  if (v.k === 'agg') return v.fields.some((f) => ownsSomething(f, depth + 1));
  if (v.k === 'iter') return v.src.kind === 'owned';
  return false;
}

function needsDropVal(v: Val, ty: Ty, m: Machine): boolean {
  if (ownsSomething(v)) return true;
  if (v.k === 'agg' && v.adt) {
    const def = m.adts.get(v.adt);
    if (def?.hasDropImpl) return true;
  }
  void ty;
  return hasMovedPart(v) ? false : false;
}

function substParams(t: Ty, map: Map<string, Ty | undefined>): Ty {
  if (t.kind === 'param') return map.get(t.name) ?? t;
  if (t.kind === 'adt') return { ...t, args: t.args.map((a) => substParams(a, map)) };
  if (t.kind === 'ref' || t.kind === 'rawptr') return { ...t, inner: substParams(t.inner, map) };
  if (t.kind === 'tuple') return { kind: 'tuple', elems: t.elems.map((e) => substParams(e, map)) };
  if (t.kind === 'array') return { ...t, elem: substParams(t.elem, map) };
  return t;
}

const shortNames = new Map<string, string>();

/** A comparison operator on two numbers of the same kind (ints as bigint, floats, chars as code points). */
function compare<T extends number | bigint>(op: '==' | '!=' | '<' | '<=' | '>' | '>=', a: T, b: T): Val {
  const v = op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  return { k: 'bool', v };
}

/** A callee as a call writes it: `Box::new`, `String::from`, `Point::new`, `foo` (modules dropped). */
export function calleePath(name: string): string {
  const parts = name.replace(/<[^<>]*>/g, '').split('::');
  const last = parts[parts.length - 1] || name;
  const ty = parts[parts.length - 2];
  return ty && /^[A-Z]/.test(ty) ? `${ty}::${last}` : last;
}

export function shortCallee(name: string): string {
  let s = shortNames.get(name);
  if (s === undefined) {
    const parts = name.split('::');
    s = parts[parts.length - 1] || name;
    if (shortNames.size < 10_000) shortNames.set(name, s);
  }
  return s;
}

export { displayTy, ownKind };
