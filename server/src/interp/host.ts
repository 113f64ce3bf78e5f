/**
 * What the simulations of std calls (`std/sim/`) may do to the machine: read and write memory,
 * allocate and free heap blocks, format values, record events, call closures. `Machine`
 * (`interp.ts`) implements it; the simulations see only this interface (and the values of
 * `memory.ts`), so they depend neither on the interpreter's internals nor on MIR, and the import
 * graph has no cycle. What a call's arguments are (names, types, places) comes with the call
 * (`std/sim/api.ts` `SimCall`).
 */
import type { Span } from '../base/span';
import type { AdtDef } from '../hir/hir';
import type { IntName, Ty } from '../hir/ty';
import type { MemoryEvent, StopReason } from '../../../shared/protocol';
import type { ElemRun, HeapBlockRec, Loc, Val } from './memory';
import type { OwnKind } from '../std/registry';

export interface StdHost {
  /** The file's ADTs by name (`FileHir.adts`): derives, field and variant shapes. */
  readonly adts: ReadonlyMap<string, AdtDef>;
  /** Span of the statement or terminator being executed. */
  readonly span: Span;
  /** Ends the run with `reason` (a panic, a limit). */
  halt(reason: StopReason, message: string): never;
  /** Records a user-visible event of the current step; `ids` name the slots/blocks it touches. */
  emit(kind: MemoryEvent['kind'], text: string, ids: string[]): MemoryEvent;
  /** Records a fact the simulation did not know or guessed (later output is marked unsure unless `output` is false). */
  note(text: string, output?: boolean): void;
  derefLoc(loc: Loc): Loc | null;
  read(loc: Loc): Val;
  write(loc: Loc, v: Val): void;
  /** Size in bytes of one element of type `t`, null when unknown. */
  elemSize(t: Ty): number | null;
  /** Allocates a heap block; returns its id. `cap` in elements; `elems` an array or a run of one scalar (`ElemRun`). */
  alloc(kind: OwnKind | 'other', elemTy: Ty, elems: Val[] | ElemRun, cap: number, what: string): number;
  free(id: number): void;
  block(id: number | null): HeapBlockRec | undefined;
  /** A short text of a value for events. */
  short(v: Val): string;
  /** An integer of type `ty`: wrapped when `wrap`, else a debug-build overflow panic. */
  wrapInt(v: bigint, ty: IntName | undefined, wrap: boolean): Val;
  binary(op: string, l: Val, r: Val, lty: Ty): Val;
  valuesEqual(a: Val, b: Val, depth?: number): boolean | null;
  /** The value as `Display` prints it, null when unknown. */
  asText(v: Val, depth?: number): string | null;
  dropVal(v: Val, ty: Ty, loc: Loc | null, depth: number): void;
  /** Marks what `args` point to as unknown (an unmodelled call may have written it). */
  havoc(args: Val[]): void;
  escape(args: Val[]): void;
  /** A reference to a temporary holding `v`. */
  scratchRef(v: Val): Val;
  /** Calls a closure or fn value with `args`. */
  callValue(fv: Val, args: Val[]): Val;
  /**
   * Runs the file's impl of `traitName`'s `method` for the run-time type of the value `self`
   * points to (`Display::fmt` of a user type), like a call at the current statement; `self` is
   * passed first, then `args`. Undefined when the file has no such impl (nothing ran).
   */
  callImpl(traitName: string, method: string, self: Val, args: Val[]): Val | undefined;
  /** Appends to the program's stdout; `known` false when the text shows an unknown value as `?`. */
  print(text: string, newline: boolean, known?: boolean): void;
}
