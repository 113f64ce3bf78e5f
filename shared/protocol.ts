/**
 * The Rust Memory protocol: every custom LSP request and the Snapshot data model, declared once.
 *
 * The server implements these, the client (`client/`) sends them, and the webview (`webview/`)
 * renders `Snapshot` values. Nobody writes a method name as a bare string elsewhere. The same
 * shapes are documented for other editors in `docs/protocol.md`.
 *
 * Positions and ranges are LSP's: 0-based lines, 0-based UTF-16 code-unit columns.
 * Sizes are in bytes for x86_64 (`usize` = 8 bytes). Ids (`SlotId`, `HeapBlockId`, `StaticId`)
 * are opaque strings, unique within one snapshot, stable across the steps of one trace.
 *
 * This module must stay free of Node and VS Code APIs at run time except for the request
 * declarations, so that the webview can import its types.
 */
import { RequestType, type TextDocumentPositionParams, type Range } from 'vscode-languageserver-protocol';

export type { Range, Position, TextDocumentPositionParams } from 'vscode-languageserver-protocol';

// --- requests

/**
 * `rustMemory/snapshot`: the memory when execution reaches a position.
 *
 * Params: the document and position (0-based line, UTF-16 column), and optionally which visit of
 * that position to show (1-based; a line inside a loop or a function called several times is
 * reached once per visit; default 1). Result: a `Snapshot`, never null: when there is nothing to
 * show, `status` says why and `message` says it in words.
 */
export interface SnapshotParams extends TextDocumentPositionParams {
  /** 1-based visit of the position to show; values past the last visit show the last one. */
  visit?: number;
  /** Step offset from the chosen visit: -1 = the event before, +1 = the event after. */
  stepOffset?: number;
  /**
   * 0-based index of a step of the trace to show instead of the position's visit (the panel's
   * slider and first/last buttons). The trace is the one that reaches the position's function.
   * Out-of-range values are clamped; `visit` and `stepOffset` are then ignored.
   */
  step?: number;
}

export const snapshotRequest = /* @__PURE__ */ new RequestType<SnapshotParams, Snapshot, void>('rustMemory/snapshot');

/**
 * `rustMemory/lifetime`: the lifetime of the binding at a position, from the borrow checker's
 * liveness, loans and move-outs (what `textDocument/documentHighlight` also answers, with the
 * kinds and the legend the VS Code client draws as decorations). Null when the position names no
 * binding, its body is not checked, or `rustMemory.lifetimes.enable` is off.
 */
export const lifetimeRequest = new RequestType<TextDocumentPositionParams, Lifetime | null, void>('rustMemory/lifetime');

/** What a segment of a lifetime shows. */
export type LifetimeKind = 'decl' | 'live' | 'shared' | 'mut' | 'move' | 'assign' | 'drop';

export interface LifetimeSegment {
  kind: LifetimeKind;
  /** The source range; a borrow's runs from where it is taken to the last use of the reference. */
  range: Range;
  /** The legend, in words: "borrowed mutably by `r` from 4:13 to 6:5" (1-based line:column). */
  message: string;
  /** `range` cut at line ends, each part trimmed of leading and trailing blanks (what editors draw). */
  lines: Range[];
}

/** A binding's lifetime: its declaration's identifier and the segments, in source order. */
export interface Lifetime {
  name: string;
  decl: Range;
  segments: LifetimeSegment[];
}

// --- snapshot

/** Why a snapshot shows what it shows. `ok` means frames/heap/statics are meaningful. */
export type SnapshotStatus =
  | 'ok'
  /** The position is not inside any function body. */
  | 'no-function'
  /** The simulation never reached the position (dead code, or a function never called). */
  | 'not-reached'
  /** The simulation stopped (step budget, loop or recursion cap, panic) before the position. */
  | 'stopped'
  /** The document could not be analysed (empty, binary, too large). */
  | 'unavailable'
  /**
   * The code around the position does not parse (`syntax` says what is wrong): there is no
   * trustworthy picture; the panel keeps its last good one, dimmed.
   */
  | 'syntax-error';

/** The memory of the simulated program at one step. */
export interface Snapshot {
  status: SnapshotStatus;
  /** Human text for the status: "after line 3 of `main`", "the simulation stopped: ...". */
  message: string;
  /** The function holding the position, when there is one. */
  function?: string;
  /** 1-based line of the step shown (the line whose statement just ran). */
  line?: number;
  /** 1-based visit shown, and how many visits of this position the trace holds. */
  visit: number;
  visits: number;
  /** 0-based index of this step in the whole trace, and the trace's length. */
  step: number;
  steps: number;
  /** Source range of the statement whose effects are shown (the line just executed). */
  range?: Range;
  /**
   * Where the position sits on its line: `before` (at or before the line's first character of
   * code: the memory before the line runs) or `after` (the memory after it ran). Absent when a
   * step was chosen by index.
   */
  when?: 'before' | 'after';
  /** Source range of the step that runs next (absent at the end of the trace). */
  next?: Range;
  /** Call stack, oldest (`main`) first; the last frame is the one executing. */
  frames: Frame[];
  /** Heap allocations, live, freed at this step, or leaked. In allocation order. */
  heap: HeapBlock[];
  /**
   * Heap blocks live at this step but not in `heap`: too many to draw (more than the server's
   * cap on blocks and on drawn values per snapshot). `blocks`: how many; `bytes`: their
   * capacity in bytes, null when some are unknown. Absent when every block is drawn.
   */
  heapNotDrawn?: { blocks: number; bytes: number | null };
  /** Static memory: string literals and `static` items the program has touched. */
  statics: StaticItem[];
  /** What this step did, in order. */
  events: MemoryEvent[];
  /** Set when the trace ended early; the snapshot still shows the last step reached. */
  stopped?: { reason: StopReason; message: string; range?: Range };
  /** Facts the engine does not know (unknown types, unsupported constructs), in words. */
  unknowns?: string[];
  /**
   * Set when the snapshot was made from the analysis of an earlier version of the document,
   * because the newest is not finished yet (the server answers at once rather than wait);
   * `message` says so too. A request after the analysis finishes gets the newest.
   */
  outdated?: boolean;
  /** What the program printed up to and including this step, in order (absent: nothing yet). */
  output?: OutputChunk[];
  /**
   * Errors the engine reports in this file (borrow check and syntax; at most 20), so the panel
   * never presents a program rustc rejects as if it ran. See `SnapshotError`.
   */
  errors?: SnapshotError[];
  /** Set with status `syntax-error`: what does not parse, in words, and where. */
  syntax?: { message: string; range: Range };
}

/** A piece of the program's output. */
export interface OutputChunk {
  /** `stdout`: printed text (with its newlines); `panic`: the panic message, as rustc's runtime prints it to stderr. */
  stream: 'stdout' | 'panic';
  text: string;
  /** 0-based step that printed it. */
  step: number;
  /**
   * Printed at or after a step that runs a line with an error rustc reports: the compiled
   * program would not exist, so this is not output of a real run.
   */
  notReal?: boolean;
  /**
   * Shows a value the simulation does not know (printed as `?`), or comes after a step it guessed
   * (a branch on such a value) or did not know the effect of (an unsimulated call): the real
   * program may print something else here (`Snapshot.unknowns` says what was not known).
   */
  unknown?: boolean;
}

/** An error of the file, placed on the trace. */
export interface SnapshotError {
  /** rustc's code (`E0502`); absent for syntax errors (rustc gives them none). */
  code?: string;
  /** rustc's message: "cannot borrow `v` as mutable because it is also borrowed as immutable". */
  message: string;
  /** The rustc error index page for the code. */
  href?: string;
  /** Primary range of the error. */
  range: Range;
  /** 0-based first step of the shown trace that runs the error's line, if the trace reaches it. */
  step?: number;
  /** The step shown runs the error's line. */
  here: boolean;
}

/** The rustc error index page for an error code (`E0382`). */
export function errorCodeHref(code: string): string {
  return `https://doc.rust-lang.org/error_codes/${code}.html`;
}

/**
 * A snapshot with nothing to draw: `status` says why and `message` in words (the one place such
 * snapshots are made, for the server, the client and the tests). `steps`: the trace's length.
 */
export function emptySnapshot(
  status: SnapshotStatus,
  message: string,
  opts: { visit?: number; steps?: number; function?: string } = {},
): Snapshot {
  const snap: Snapshot = {
    status,
    message,
    visit: opts.visit ?? 1,
    visits: 0,
    step: 0,
    steps: opts.steps ?? 0,
    frames: [],
    heap: [],
    statics: [],
    events: [],
  };
  if (opts.function !== undefined) snap.function = opts.function;
  return snap;
}

/**
 * Why a simulation stopped. `memory-limit`: a budget on its work ran out (the program's heap
 * past 64 MB, its stack past 8 MB, or a step copying more values than the simulation shows;
 * `server/src/interp/budget.ts`).
 */
export type StopReason = 'step-limit' | 'loop-limit' | 'recursion-limit' | 'memory-limit' | 'panic' | 'unsupported' | 'end';

/** One call frame: the slots (locals and arguments) of one function activation. */
export interface Frame {
  /** Unique per activation, e.g. `frame:2`. */
  id: string;
  /** Function name as written, `main`, `foo`, `Point::new`. */
  function: string;
  /** Where this activation was called from (absent for the entry frame). */
  callSite?: Range;
  /** Slots in declaration order (arguments first). */
  slots: Slot[];
}

/** The lifecycle of a slot's value, following rustc's move-path states. */
export type SlotState =
  /** Declared, never assigned (`let x;`): reading it is E0381. */
  | 'uninit'
  /** Holds a value it owns. */
  | 'init'
  /** Its value was moved out; the bytes are still there but are dead. */
  | 'moved'
  /** Some fields were moved out (`let a = p.name;`). */
  | 'partially-moved'
  /** Dropped at the end of its scope (shown at the step it happens). */
  | 'dropped';

/** A local variable or argument: its own bytes live in its frame. */
export interface Slot {
  /** e.g. `slot:frame:1:x`; pointers use it as `target`. */
  id: string;
  name: string;
  /** Type as Rust writes it (`String`, `&str`, `Vec<i32>`), or `?` when unknown. */
  type: string;
  /** Size and alignment in bytes of the slot's own bytes, null when the type is unknown. */
  size: number | null;
  align: number | null;
  value: Value;
  state: SlotState;
  /** For `moved`: the place the value went to (`y`, `foo(s)`), and where (1-based line:col). */
  movedTo?: { to: string; line: number; column: number };
  /** Live borrows of this slot: the names of the references (`r`). */
  borrowedBy?: string[];
  /** Whether the binding is `mut`. */
  mutable: boolean;
  /** Range of the binding's declaration (the pattern identifier). */
  declRange: Range;
}

/**
 * A value, as stored in a slot, a heap block element or a field.
 * `text` is always a short rendering for display (`42`, `"wilspi"`, `0x…`, `?`).
 */
export type Value =
  /** Integer, float, bool, char, unit: `text` is the Rust literal. */
  | { kind: 'scalar'; text: string }
  /** A pointer (reference, Box, raw pointer, or the ptr field of String/Vec/&str). */
  | { kind: 'pointer'; text: string; target: PointerTarget | null }
  /**
   * A struct, tuple, array, enum variant or std container shown field by field. `adt`: the
   * type's name without path or generics (`Node`, `RefCell`, `Cell`), when it has one.
   */
  | { kind: 'aggregate'; text: string; fields: Field[]; variant?: string; adt?: string }
  /** Not known to the simulation (a value from an unknown call, a symbolic argument). */
  | { kind: 'unknown'; text: string }
  /** Never written. */
  | { kind: 'uninit'; text: string };

export interface Field {
  /** Field name, tuple index (`0`), or for std containers `ptr`, `len`, `cap`. */
  name: string;
  value: Value;
}

/** Where a pointer points: a slot, a heap block or a static item, optionally at an element. */
export interface PointerTarget {
  /** `SlotId`, `HeapBlockId` or `StaticId`. */
  id: string;
  region: 'stack' | 'heap' | 'static';
  /** 0-based element index inside the target, for `&v[2]` or a slice starting mid-block. */
  index?: number;
  /**
   * The field inside the target, as the dotted `Field.name`s from the target's value (a heap
   * block's element index first): `head.0` for `&list.head`, `0.next` for `&nodes[0].next`.
   * The picture ends the arrow on that row.
   */
  path?: string;
  /** Set when the target is gone (freed block, popped frame): a dangling pointer. */
  dangling?: boolean;
}

/** One heap allocation. */
export interface HeapBlock {
  /** e.g. `heap:3`. */
  id: string;
  /** Type of the contents: `[u8]` for String bytes, `[i32]` for a Vec<i32>, `i32` for Box<i32>. */
  type: string;
  /** Bytes in use (len × element size), and bytes allocated (capacity × element size). */
  size: number | null;
  capacity: number | null;
  /** Elements in use and allocated, for String (bytes) and Vec (elements). */
  len?: number | null;
  elementCapacity?: number | null;
  /** Element values in order; for String bytes, one scalar per char with `text` the char. */
  contents: Value[];
  /** For String bytes, the UTF-8 text. */
  text?: string;
  /** The slot or block that owns this allocation (the pointer that will free it). */
  owner?: string;
  /**
   * The owner as Rust code names it: `names`, `names[0]`, `list.head` (for a freed block, its
   * owner just before it was freed). Renderers title blocks with it (`HeapKind` says how).
   */
  ownerPlace?: string;
  /** Which std type's allocation this is. */
  kind?: HeapKind;
  /** Reference counts for Rc/Arc allocations. */
  rc?: { strong: number; weak: number };
  state: 'live' | 'freed' | 'leaked';
  /** Where it was allocated and (for freed blocks) freed. */
  allocatedAt?: Range;
  freedAt?: Range;
}

/** The std type an allocation belongs to (`other`: not one of these). */
/**
 * The std registry's heap owners (`server/src/std/registry.ts` `OwnKind`; the snapshot builder
 * assigns one to the other, so the compiler keeps them in step) and `other`.
 */
export type HeapKind =
  'String' | 'Vec' | 'VecDeque' | 'Box' | 'Rc' | 'Arc' | 'HashMap' | 'HashSet' | 'BTreeMap' | 'BTreeSet' | 'Weak' | 'sync::Weak' | 'other';

/** Static memory: a string literal's bytes or a `static` item. */
export interface StaticItem {
  /** e.g. `static:0`. */
  id: string;
  /**
   * `vtable`: the table of a `dyn Trait` fat pointer (drop, size, align, methods); `promoted`:
   * a constant rustc promotes to static memory because it is borrowed (`&10`, `&[1, 2]`).
   */
  kind: 'literal' | 'static' | 'vtable' | 'promoted';
  /** The static's name, or the literal or promoted constant as written (`"wilspi"`, `[1, 2]`). */
  name: string;
  type: string;
  size: number | null;
  value: Value;
  /** Where the literal or item is written. */
  range?: Range;
}

/**
 * What one step did, for the event list and the step controls. `guess`: the step branched on a
 * value the simulation does not know and took one side; what follows may not be what runs.
 */
export interface MemoryEvent {
  kind:
    | 'alloc'
    | 'free'
    | 'copy'
    | 'move'
    | 'borrow'
    | 'write'
    | 'drop'
    | 'call'
    | 'return'
    | 'storage-live'
    | 'storage-dead'
    | 'leak'
    | 'guess';
  /** Short human text: "moved `x` to `y`", "freed heap:1 (6 bytes)". */
  text: string;
  /** Ids touched (slots, blocks, statics). */
  ids: string[];
}
