/**
 * The shape of a std simulation: what the interpreter passes to the simulation of one std call
 * (`SimCall`), the simulation itself (`Sim`), the explicit "not simulated: why" of a method the
 * engine declares but does not run (`NotSimulated`), and a family's table of them (`SimTable`:
 * TypeScript requires an entry for every method of the impl, so a new method without a
 * simulation or a reason does not compile).
 *
 * Simulations talk to the machine only through `interp/host.ts` (`StdHost`) and the values of
 * `interp/memory.ts`; they never see MIR.
 */
import type { FormatPiece, Span } from '../../hir/hir';
import type { Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import type { Loc, Val } from '../../interp/memory';
import type { StdFnId } from '../registry';
import type { StdImplDef } from '../types';

/** One std call as the simulation sees it. Receivers come as references (`&self`/`&mut self`) or values (`self`). */
export interface SimCall {
  id: StdFnId;
  /** Argument values, receiver first for methods. */
  args: Val[];
  /** The user-visible name of argument `i`'s place (`v`, `p.name`), undefined for temporaries and constants. */
  argName(i: number): string | undefined;
  /** The static type of argument `i`. */
  argTy(i: number): Ty;
  /** Where argument `i`'s place is (a consumed receiver iterator is stepped there), null for constants. */
  argLoc(i: number): Loc | null;
  /** The type of the call's destination. */
  destTy: Ty;
  /** The receiver's static type (method calls). */
  selfTy?: Ty;
  span: Span;
  /** Formatting macros: the format string's pieces (`syntax/lower.ts` keeps the literal's source text). */
  format?: FormatPiece[];
}

/** A simulation: the call's value, `'diverged'` (it panicked), or null when it cannot tell (the interpreter yields an unknown value). */
export type Sim = (h: StdHost, c: SimCall) => Val | 'diverged' | null;

/** A declared method the engine does not simulate, and why (printed by the coverage test). */
export interface NotSimulated {
  readonly notSimulated: string;
}

/** Marks a method as not simulated, with the reason. */
export function notSimulated(why: string): NotSimulated {
  return { notSimulated: why };
}

/** One entry per method of the impl `I`: its simulation or why there is none. */
export type SimTable<I extends StdImplDef> = { readonly [K in keyof I['fns']]: Sim | NotSimulated };

/** Builtins (macros, operators) by id: their simulation or why there is none. */
export type BuiltinSims<N extends string> = { readonly [K in N]: Sim | NotSimulated };
